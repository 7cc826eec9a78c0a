"""An event's time is a finite number and its id a short plain token."""

import math
import re
import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from sirelief.domain.plan import Plan, PlanStep
from sirelief.domain.session import Event, replay

PLAN = Plan(
    "r", 1, "R",
    tuple(PlanStep("exercise", "b", f"step {n}", 30, exercise_id="x", side="left")
          for n in range(3)),
    10, True, None, None, 0,
)  # fmt: skip


@pytest.mark.parametrize("at", [math.inf, -math.inf, math.nan])
def test_a_non_finite_time_is_refused(at: float) -> None:
    with pytest.raises(ValidationError, match="finite number"):
        Event(id="e1", at=at, kind="start")


@pytest.mark.parametrize(
    "event_id", ["", "a b", "e" * 65, "é", "a/b", "a\n", "\ud800", "1.5", "x;drop"]
)
def test_an_unusable_id_is_refused(event_id: str) -> None:
    with pytest.raises(ValidationError):
        Event(id=event_id, at=1.0, kind="start")


@pytest.mark.parametrize(
    "event_id",
    [
        "0f8fad5bd9cb469fa16570867728950e",  # the outbox and the server: UUID hex
        "1764930000000" + "0123456789012345",  # the outbox without crypto.randomUUID
        "17649300000005e-7",  # ... when Math.random() prints in exponent form
        "d0n0", "e" * 64, "A_b-9",
    ],
)  # fmt: skip
def test_ids_the_apps_make_still_pass(event_id: str) -> None:
    assert Event(id=event_id, at=1.5, kind="start").id == event_id


@settings(max_examples=60)
@given(
    ids=st.lists(
        st.text(string.ascii_letters + string.digits + "_-", min_size=1, max_size=64),
        min_size=1, max_size=12,
    ),
    times=st.lists(st.floats(0, 1e10, allow_nan=False, allow_infinity=False), min_size=12,
                   max_size=12),
)  # fmt: skip
def test_replay_is_unchanged_for_every_valid_event(ids: list[str], times: list[float]) -> None:
    """Any id of the format and any finite time: replay keeps its rules (duplicates
    ignored, the fold the same as applying one by one)."""
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{1,64}", i) for i in ids)
    kinds = ["start", "complete", "pause", "resume", "complete", "back", "skip"]
    events = [Event(id=i, at=t, kind=kinds[n % len(kinds)]) for n, (i, t) in
              enumerate(zip(ids, times, strict=False))]  # fmt: skip
    once = replay(PLAN, events)
    twice = replay(PLAN, events + events)
    assert once == twice
    assert once.seen == frozenset(ids)
