"""Anything the app can store, it can export and import again, unchanged.

Histories are generated through the app's own use cases (check-ins with and without red
flags, any built-in routine, events of every kind in any order, odd but valid event ids
and times, morning answers, notes in any text, a routine of one's own), then:
export -> import into an empty database -> export gives the same document, on SQLite
and on PostgreSQL.
"""

import string
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import get_args

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sirelief.domain.checkin import CheckIn
from sirelief.domain.planner import PlanOptions
from sirelief.domain.records import MorningAnswer
from sirelief.domain.session import Event
from sirelief.domain.too_much import Symptom
from sirelief.services import Services
from sirelief.services.sessions import RunningSession
from sirelief.settings import Settings
from sirelief.storage.transfer import export_json
from tests.clock import MovableClock, at
from tests.storage import scripted

ROUTINES = ("kettlebell-smash-reset", "si-joint-stretches", "morning-loosen-up", "after-sitting")
OWN_ROUTINE = """\
id: my-hips
name: "My hips: ✓ <b>"
summary: A short hip stretch.
version: 3
blocks:
  - id: stretch
    title: Stretch
    steps:
      - exercise: figure-four-piriformis
"""
ACTIONS = ("next", "next", "next", "pause", "resume", "skip", "back", "restart", "too_much",
           "gentler", "skip_rest", "stale", "end")  # fmt: skip

SYMPTOMS = (None, *get_args(Symptom))
"""Every symptom, old and new (gentler after numbness is then recorded but changes nothing)."""
ratings = st.integers(0, 10)
sides = st.fixed_dictionaries({"left": ratings, "right": ratings})
checkins = st.builds(
    lambda pain, hip, ham, ankle, minutes, flagged, context, ktw, deg: CheckIn.model_validate({
        "pain": pain, "minutes": minutes,
        "tightness": {"hip": hip, "hamstrings_adductors": ham, "ankle": ankle},
        "red_flags": ["fever-unwell"] if flagged else [],
        "equipment": ["kettlebell", "mat", "strap", "wall", "band"], "context": context,
        **({"knee_to_wall_cm": {"left": ktw, "right": 25 - ktw}} if ktw is not None else {}),
        **({"knee_to_wall_deg": {"left": deg, "right": 60 - deg}} if deg is not None else {}),
    }),
    ratings, sides, sides, sides, st.integers(5, 90), st.sampled_from([False, False, False, True]),
    st.sampled_from(["morning", "after_sitting", "repair"]),
    st.none() | st.floats(0, 25, allow_nan=False),
    st.none() | st.floats(0, 60, allow_nan=False),
)  # fmt: skip
event_ids = st.text(string.ascii_letters + string.digits + "_-", min_size=1, max_size=56)
actions = st.lists(
    st.tuples(st.sampled_from(ACTIONS), st.floats(0.0, 400.0, allow_nan=False), ratings),
    max_size=25,
)
note_text = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40
)
sessions = st.fixed_dictionaries({
    "checkin": checkins, "routine": st.sampled_from(ROUTINES),
    "seed": st.integers(0, 2**31 - 1), "randomise": st.booleans(), "prefix": event_ids,
    "actions": actions, "morning": st.none() | st.tuples(st.booleans(), st.none() | ratings),
    "note": st.none() | note_text,
})  # fmt: skip
histories = st.tuples(st.lists(sessions, max_size=3), st.booleans())


def make_event(running: RunningSession, action: str, event_id: str, at: float, pain: int):
    state = running.state
    step = state.index
    if action == "next":
        return scripted.next_event(running, event_id, at, shift=pain % 3)
    if action in ("pause", "resume", "restart", "end"):
        return Event(id=event_id, at=at, kind=action)
    if action in ("skip", "back"):
        return Event(id=event_id, at=at, kind=action, step=step)
    if action == "too_much":
        return Event(id=event_id, at=at, kind="too_much", step=step, pain=pain,
                     symptom=SYMPTOMS[pain % len(SYMPTOMS)])  # fmt: skip
    if action in ("gentler", "skip_rest"):
        choice = "gentler" if action == "gentler" else "skip"
        return Event(id=event_id, at=at, kind="too_much_choice", choice=choice)
    return Event(id=event_id, at=at, kind="complete", step=step + 7)  # a stale double tap


def fill(library: Services, history) -> None:
    items, own_routine = history
    use_cases = library.sessions
    for day, item in enumerate(items):
        when = scripted.START + timedelta(days=day, minutes=item["seed"] % 600)
        options = PlanOptions(seed=item["seed"], randomise_first_side=item["randomise"])
        running = at(use_cases, when).start(item["checkin"], item["routine"], options)
        if not isinstance(running, RunningSession):
            continue  # a red flag: a safety stop was kept instead
        moment = when.timestamp()
        for number, (action, pause, pain) in enumerate(item["actions"]):
            moment += pause
            event_id = f"{item['prefix']}-{day}-{number}"
            running.record(make_event(running, action, event_id, moment, pain))
        if item["morning"] is not None:
            settled, pain = item["morning"]
            answer = MorningAnswer(settled, pain, when + timedelta(hours=20))
            at(use_cases, answer.answered_at).answer_morning(
                running.session_id, answer.settled, answer.pain
            )
        if item["note"] is not None:
            library.session_log.add_note(
                item["note"], when + timedelta(hours=1), running.session_id
            )
    if own_routine:
        library.routine_store.save_routine(
            "my-hips", "my hips.yaml", OWN_ROUTINE, scripted.START, False
        )


@pytest.mark.parametrize("examples", [15])
def test_export_import_export_gives_the_same_document(library: Services, examples: int) -> None:
    """``library`` is SQLite or PostgreSQL; emptied (delete-my-data) before each example."""

    @settings(max_examples=examples, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])  # fmt: skip
    @given(history=histories)
    def round_trip(history) -> None:
        target = library.data
        target.delete_everything()
        with tempfile.TemporaryDirectory() as folder:
            source = Services(Settings(data_dir=Path(folder), database_url=None), MovableClock())
            try:
                fill(source, history)
                exported = export_json(source.store)
                file = Path(folder) / "export.json"
                file.write_text(exported, encoding="utf-8")
                target.import_file(file)
                assert export_json(library.store) == exported
            finally:
                source.close()

    round_trip()
