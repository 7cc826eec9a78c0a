"""The planner keeps to the protocols: baseline first, activation for what comes next, an
exercise once per session unless repeated on purpose."""

import pytest

from sirelief.domain.planner import plan_session
from sirelief.domain.routine import Routine
from tests.domain.planner_support import (
    ALL_EQUIPMENT,
    CATALOGUE,
    SMASH,
    checkin,
    plan,
)


def test_the_smash_reset_starts_with_the_baseline_check() -> None:
    p = plan(SMASH, checkin(5, 2, equipment=ALL_EQUIPMENT))
    assert p.steps[0].kind in {"assessment", "transition"}
    first_real = next(s for s in p.steps if s.kind in {"assessment", "exercise"})
    assert first_real.assessment is not None
    assert first_real.assessment.assess == "baseline"


@pytest.mark.parametrize(
    ("activity", "expected"),
    [
        ("walk_run_sport", {"banded-side-steps"}),
        ("lifting", {"banded-glute-bridge"}),
        ("deep_knee_bends", set()),  # the assisted squat is already in the ankle preparation
        ("none", set()),
    ],
)
def test_the_activation_follows_the_next_activity(activity: str, expected: set[str]) -> None:
    p = plan(SMASH, checkin(5, 2, next_activity=activity))
    activation = {s.exercise_id for s in p.steps if s.block_id == "activation"}
    assert activation == expected
    assert any(r.startswith("Pick one for your activity") for r in p.reasons)
    if expected:
        stretches = {s.exercise_id for s in p.steps if s.block_id == "stretch-menu"}
        assert not stretches & expected


def test_a_deliberate_repeat_is_kept() -> None:
    routine = Routine.model_validate(
        {
            "id": "twice",
            "version": 1,
            "name": "Twice on purpose",
            "summary": "The same stretch three times, the third on purpose.",
            "blocks": [
                {"id": "first", "title": "First", "steps": [{"exercise": "lower-trunk-rotation"}]},
                {"id": "again", "title": "Again", "steps": [{"exercise": "lower-trunk-rotation"}]},
                {
                    "id": "once-more",
                    "title": "Once more",
                    "steps": [{"exercise": "lower-trunk-rotation", "repeat": True}],
                },
            ],
        }
    )
    p = plan_session(routine, CATALOGUE, checkin())
    assert {s.block_id for s in p.steps if s.kind == "exercise"} == {"first", "once-more"}
    assert any("already in this session" in r for r in p.reasons)
