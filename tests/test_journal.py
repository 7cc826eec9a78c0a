"""Session journals: acknowledged events survive, damage is reported, resume goes on."""

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from sirelief.domain.checkin import CheckIn
from sirelief.domain.planner import PlanOptions
from sirelief.domain.session import Event
from sirelief.journal import Journal, UnreadableJournalError
from sirelief.services import Library, ServiceError
from sirelief.sessions import Sessions
from sirelief.settings import Settings

CHECKIN = CheckIn.model_validate({
    "pain": 3,
    "tightness": {"hip": {"left": 2, "right": 6}, "hamstrings_adductors": {"left": 2, "right": 4},
                  "ankle": {"left": 3, "right": 5}},
    "minutes": 40, "equipment": ["kettlebell", "mat", "strap", "wall"],
})  # fmt: skip


def start(settings: Settings, when: int = 0) -> tuple[Sessions, Journal]:
    sessions = Sessions(Library(settings))
    running = sessions.start(CHECKIN, "kettlebell-smash-reset", PlanOptions(seed=3),
                             datetime(2026, 11, 22, 8, 0, when, tzinfo=UTC))  # fmt: skip
    running.record(Event(id="a", at=0.0, kind="start"))
    running.record(Event(id="b", at=5.0, kind="skip", step=0))
    return sessions, running.journal


def test_a_session_rebuilds_from_its_journal(settings: Settings) -> None:
    sessions, journal = start(settings)
    again = sessions.load(journal)
    assert again.state.index == 1
    assert again.plan.first_side == "right"
    assert again.plan == sessions.latest_unfinished().plan


def test_a_torn_last_line_is_ignored(settings: Settings) -> None:
    sessions, journal = start(settings)
    with journal.path.open("a") as stream:
        stream.write('{"id": "c", "at": 9.0, "ki')  # killed mid-write: never acknowledged
    assert sessions.load(journal).state.index == 1


def test_damage_in_the_middle_is_reported_with_its_line(settings: Settings) -> None:
    _, journal = start(settings)
    lines = journal.path.read_text().splitlines()
    lines[1] = "garbage"
    journal.path.write_text("\n".join(lines) + "\n")
    with pytest.raises(UnreadableJournalError, match=r":2: not a valid event"):
        journal.read()


def test_resume_passes_over_a_damaged_journal(settings: Settings, tmp_path: Path) -> None:
    sessions, good = start(settings)
    broken = good.path.with_name("20991231T000000-broken.jsonl")
    broken.write_text(json.dumps({"format": "something-else"}) + "\n")
    assert sessions.latest_unfinished().journal == good
    good.path.unlink()
    with pytest.raises(ServiceError, match=r"could not read: .*broken\.jsonl:1"):
        sessions.latest_unfinished()
