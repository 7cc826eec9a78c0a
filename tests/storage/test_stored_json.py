"""The fast reading of stored JSON (issue 21) gives exactly what the validated path gave.

Session records are read from the JSON columns' text: decoded by jiter, a session's events
validated in one pass, equal plan steps shared. Each shortcut is compared here with the
path it replaced (``json.loads``, then ``Event.from_stored`` and ``Plan.from_json`` one
value at a time), on generated values, on off-spec rows, and on a whole demo history
(records and the insights built from them) on both databases.
"""

import json
import math
import string
from datetime import UTC, datetime, timedelta
from typing import get_args

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from sqlalchemy import select

from sirelief.domain.checkin import CheckIn, KneeToWall, SideRatings
from sirelief.domain.inclinometer import ANGLE_RANGE, KneeToWallAngle
from sirelief.domain.insights import build_insights
from sirelief.domain.plan import Plan, PlanStep, StepsRead
from sirelief.domain.records import MorningAnswer, SessionRecord
from sirelief.domain.session import Event, EventKind
from sirelief.domain.too_much import Choice, Symptom
from sirelief.domain.vocabulary import RATED_REGIONS
from sirelief.services import Services
from sirelief.services.demo import fill_demo
from sirelief.storage.schema import CheckInRow, EventRow, MorningAnswerRow, SessionRow
from sirelief.storage.stored_json import decoded, stored_events

END = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)

# --- events: one pass from text against one by one from dicts -----------------------------
numbers = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-5, 30),
    st.sampled_from([0.0, 2.5, 10.0, 25.0, -1.0]),
)
side_pair = st.fixed_dictionaries({"left": numbers, "right": numbers})
app_ids = st.text(string.ascii_letters + string.digits + "_-", min_size=1, max_size=64)
event_ids = app_ids | st.sampled_from(["", "has space", "x" * 65, "é", "\ud800"])  # refused now
optional = {
    "step": st.one_of(st.none(), st.integers(-1, 40), st.booleans()),
    "ratings": st.dictionaries(st.sampled_from([*RATED_REGIONS, "knee"]), side_pair, max_size=3),
    "pain": st.one_of(st.integers(-1, 11), st.floats(0, 10)),
    "knee_to_wall": side_pair,
    "knee_to_wall_deg": side_pair,
    "symptom": st.sampled_from(["aching", "numbness", "too_intense", "itchy"]),
    "choice": st.sampled_from(["gentler", "skip", "end", "later"]),
    "changed_most": st.sampled_from([*RATED_REGIONS, "none", "elbow"]),
}
stored_event = st.fixed_dictionaries(
    {"id": event_ids, "at": numbers, "kind": st.sampled_from([*get_args(EventKind), "jump"])},
    optional=optional,
)


def pair(model, low: float, high: float):
    return st.none() | st.builds(model, left=st.floats(low, high), right=st.floats(low, high))


app_events = st.builds(
    Event,
    id=app_ids,
    at=st.floats(0, 2e9),
    kind=st.sampled_from(get_args(EventKind)),
    step=st.none() | st.integers(0, 40),
    ratings=st.none()
    | st.dictionaries(
        st.sampled_from(RATED_REGIONS),
        st.builds(SideRatings, left=st.integers(0, 10), right=st.integers(0, 10)),
    ),
    pain=st.none() | st.integers(0, 10),
    knee_to_wall=pair(KneeToWall, 0, 25),
    knee_to_wall_deg=pair(KneeToWallAngle, *ANGLE_RANGE),
    symptom=st.none() | st.sampled_from(get_args(Symptom)),
    choice=st.none() | st.sampled_from(get_args(Choice)),
    changed_most=st.none() | st.sampled_from([*RATED_REGIONS, "none"]),
)
"""Events as the app records them (each field valid), stored as the event store writes."""
as_stored = app_events.map(lambda event: event.model_dump(mode="json", exclude_none=True))


def one_by_one(texts: list[str]) -> tuple[Event, ...] | type[Exception]:
    """The path replaced: ``json.loads`` and ``Event.from_stored`` for each event."""
    try:
        return tuple(Event.from_stored(json.loads(text)) for text in texts)
    except ValidationError:
        return ValidationError


def same_events(fast: tuple[Event, ...], slow: tuple[Event, ...]) -> bool:
    """Equal to the last field and type (``repr`` tells 5 from 5.0, and NaN from NaN)."""
    return len(fast) == len(slow) and all(
        type(a) is type(b) and repr(a) == repr(b) and a.model_fields_set == b.model_fields_set
        for a, b in zip(fast, slow, strict=True)
    )


@settings(max_examples=300, deadline=None)
@given(st.lists(as_stored | stored_event, max_size=6), st.booleans())
def test_a_sessions_events_read_in_one_pass_equal_those_read_one_by_one(events, ascii_only) -> None:
    texts = [json.dumps(event, ensure_ascii=ascii_only) for event in events]
    expected = one_by_one(texts)
    if expected is ValidationError:
        with pytest.raises(ValidationError):
            stored_events(texts)
    else:
        assert same_events(stored_events(texts), expected)


@settings(max_examples=200, deadline=None)
@given(st.lists(app_events, max_size=8))
def test_events_as_the_app_stores_them_come_back_equal(events: list[Event]) -> None:
    texts = [json.dumps(event.model_dump(mode="json", exclude_none=True)) for event in events]
    read = stored_events(texts)
    assert read == tuple(events)
    assert [repr(event) for event in read] == [repr(event) for event in events]


@pytest.mark.parametrize(
    "event",
    [
        {"id": "old id", "at": 12.5, "kind": "complete", "step": 0},  # id refused today
        {"id": "a", "at": math.inf, "kind": "pause"},  # time refused today
        {"id": "b", "at": 3, "kind": "start"},  # a whole number of seconds
        {"id": "c", "at": 1.0, "kind": "assessment", "step": 0,
         "ratings": {"hip": {"left": 2, "right": 7}}, "knee_to_wall": {"left": 4, "right": 5}},
    ],
)  # fmt: skip
def test_off_spec_rows_read_as_before(event: dict) -> None:
    texts = [json.dumps({"id": "first", "at": 0.5, "kind": "start"}), json.dumps(event)]
    assert same_events(stored_events(texts), one_by_one(texts))


# --- decoding: jiter against json.loads -----------------------------------------------------
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(st.characters(codec=None)),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(st.characters(codec=None), max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(json_values, st.booleans())
def test_decoding_gives_what_json_loads_gives(value, ascii_only: bool) -> None:
    text = json.dumps(value, ensure_ascii=ascii_only)
    assert repr(decoded(text)) == repr(json.loads(text))


@pytest.mark.parametrize("text", ['{"say": "\\ud800"}', '{"say": "\ud800"}'])
def test_a_lone_surrogate_is_still_read(text: str) -> None:
    assert decoded(text) == {"say": "\ud800"}


# --- plan steps: shared against read one by one ----------------------------------------------
cues = st.fixed_dictionaries(
    {"at_s": st.sampled_from([5, 15]), "say": st.sampled_from(["Breathe.", "Halfway."])}
)
step_dicts = st.fixed_dictionaries(
    {
        "kind": st.sampled_from(["exercise", "rest", "transition"]),
        "block": st.sampled_from(["warm-up", "main"]),
        "title": st.sampled_from(["Rest", "Hip flexor smash"]),
        "duration_s": st.sampled_from([10, 30]),
    },
    optional={
        "exercise_id": st.sampled_from([None, "hip-flexor-smash"]),
        "side": st.sampled_from([None, "left", "right", "both"]),
        "set": st.sampled_from([None, 1, 2]),
        "sets": st.sampled_from([None, 2]),
        "reps": st.sampled_from([None, 8]),
        "tempo": st.sampled_from([None, "3-1-3"]),
        "cues": st.lists(cues, max_size=2),
        "assessment": st.sampled_from(
            [None, {"assess": "baseline"}, {"assess": "final", "pain": False}]
        ),
        "note": st.sampled_from([None, "Use the mat."]),
        "switches_side": st.booleans(),
    },
)


@settings(max_examples=200, deadline=None)
@given(st.lists(step_dicts, max_size=30))
def test_shared_steps_equal_steps_read_one_by_one(steps: list[dict]) -> None:
    shared = StepsRead()
    read = [shared.step(step) for step in steps]
    assert read == [PlanStep.from_json(step) for step in steps]


# --- a whole history, both databases -----------------------------------------------------------
def validated_records(library: Services) -> list[SessionRecord]:
    """The records as the replaced path read them: JSON columns through the driver, then
    ``Plan.from_json``, ``CheckIn.model_validate`` and ``Event.from_stored`` one by one."""
    newest_first = select(SessionRow).order_by(SessionRow.created_at.desc(), SessionRow.id)
    records = []
    with library.database.read() as tx:
        for row in tx.scalars(newest_first):
            in_order = select(EventRow.event).where(EventRow.session_id == row.id)
            events = tx.scalars(in_order.order_by(EventRow.seq))
            morning = tx.get(MorningAnswerRow, row.id)
            checkin = tx.get(CheckInRow, row.checkin_id)
            records.append(
                SessionRecord(
                    id=row.id,
                    created_at=row.created_at,
                    plan=Plan.from_json(row.plan),
                    checkin=CheckIn.model_validate(checkin.answers),
                    events=tuple(Event.from_stored(event) for event in events),
                    morning=morning
                    and MorningAnswer(morning.settled, morning.pain, morning.answered_at),
                    first_side_randomised=row.randomise_first_side,
                )
            )
    return records


def test_a_demo_history_reads_and_reports_exactly_as_the_validated_path(library) -> None:
    fill_demo(library, weeks=6, seed=3, end=END)
    fast = library.session_log.sessions()
    slow = validated_records(library)
    assert len(fast) == len(slow) > 10
    assert fast == slow
    for a, b in zip(fast, slow, strict=True):
        assert same_events(a.events, b.events)
    exercises = list(library.catalogue.exercises.values())
    today = (END - timedelta(days=1)).date()
    fast_insights = build_insights(fast, exercises, today, UTC, 6)
    slow_insights = build_insights(slow, exercises, today, UTC, 6)
    assert repr(fast_insights) == repr(slow_insights)
    assert fast_insights.sessions > 10
