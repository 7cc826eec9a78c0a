"""Check-ins through the planning use case, as tables (issue 15's "done when").

Each red flag alone and every pair, each pain rating 0-10, and kit from everything to
nothing against budgets from 1 to 180 minutes: the outcome each must give, stated
independently of the code that gives it (SPEC 5.1, 5.4, 5.7).
"""

from itertools import combinations

import pytest

from sirelief.catalogue.loader import builtin_files, builtin_safety_rules
from sirelief.domain.checkin import CheckIn
from sirelief.domain.plan import Plan
from sirelief.domain.safety import LEVELS, StopDecision
from sirelief.services import ServiceError, Services
from sirelief.services.planning import Planning
from tests.clock import MovableClock
from tests.test_precautions import BASE, EVERYTHING

RULES = builtin_safety_rules()
STOPPING_LEVELS = ("emergency", "same_day", "soon")
ROUTINES = [
    s.name.removeprefix("routines/").removesuffix(".yaml") for s in builtin_files("routines")
]


@pytest.fixture(scope="module")
def planning(tmp_path_factory) -> Planning:
    from sirelief.settings import Settings

    folder = tmp_path_factory.mktemp("table")
    return Services(Settings(data_dir=folder, database_url=None), MovableClock()).planning


def checkin(**changes) -> CheckIn:
    return CheckIn.model_validate({**BASE, **changes})


def expected_level(flag_ids: tuple[str, ...]) -> str | None:
    """The most urgent stopping level among the flags, or None when none stops."""
    levels = [RULES.flag(f).level for f in flag_ids if RULES.flag(f).level in STOPPING_LEVELS]
    return min(levels, key=LEVELS.index) if levels else None


def review_advised(flag_ids: tuple[str, ...]) -> bool:
    """Two features of the inflammatory pattern, or any review flag outside it."""
    review = [RULES.flag(f) for f in flag_ids if RULES.flag(f).level == "review"]
    pattern = [f for f in review if f.pattern == "inflammatory"]
    return len(pattern) >= 2 or any(f.pattern is None for f in review)


FLAG_SETS = [(f.id,) for f in RULES.flags] + list(combinations([f.id for f in RULES.flags], 2))


@pytest.mark.parametrize("flags", FLAG_SETS, ids=["+".join(f) for f in FLAG_SETS])
def test_each_flag_alone_and_every_pair(planning: Planning, flags: tuple[str, ...]) -> None:
    outcome = planning.plan(checkin(red_flags=list(flags)))
    level = expected_level(flags)
    if level is not None:
        assert isinstance(outcome, StopDecision)
        advice = RULES.advice_for(level)
        assert (outcome.urgency, outcome.badge, outcome.title) == (
            level, advice.badge, advice.title
        )  # fmt: skip
        assert {f.id for f in outcome.flags} >= {f for f in flags if RULES.flag(f).level == level}
        return
    assert isinstance(outcome, Plan)
    advised = RULES.advice_for("review").badge
    assert any(reason.startswith(advised) for reason in outcome.reasons) == review_advised(flags)


def smashes(plan: Plan, planning: Planning) -> list[str]:
    catalogue = planning.catalogue
    return [
        step.exercise_id
        for step in plan.steps
        if step.exercise_id and catalogue.exercise(step.exercise_id).category == "smash"
    ]


@pytest.mark.parametrize("pain", range(11))
def test_each_pain_rating_decides_how_much(planning: Planning, pain: int) -> None:
    plan = planning.plan(checkin(pain=pain), "kettlebell-smash-reset")
    assert isinstance(plan, Plan)
    named = [reason for reason in plan.reasons if reason.startswith(f"Pain {pain}/10")]
    assert len(named) == 1, plan.reasons  # the rule that applied is named once
    if pain <= 5:
        assert plan.routine_id == "kettlebell-smash-reset"
        assert smashes(plan, planning)
    elif pain <= 7:
        assert plan.routine_id == "kettlebell-smash-reset"
        assert smashes(plan, planning) == []
        assert "no smashing" in named[0]
    else:
        assert plan.routine_id == "gentle-day"
        assert smashes(plan, planning) == []
        assert "see a clinician" in named[0]
    assert (plan.dose_decision is None or plan.dose_decision.action != "progress") or pain <= 3


KITS = {
    "everything": EVERYTHING,
    **{f"no {item}": [i for i in EVERYTHING if i != item] for item in EVERYTHING},
    "mat only": ["mat"],
    "towel and chair": ["towel", "chair"],
    "nothing": [],
}
BUDGETS = [1, 2, 5, 10, 15, 20, 30, 45, 60, 90, 120, 180]


@pytest.mark.parametrize("kit", list(KITS))
@pytest.mark.parametrize("routine_id", ROUTINES)
def test_every_kit_and_budget_gives_a_plan_that_fits_or_says_why(
    planning: Planning, routine_id: str, kit: str
) -> None:
    for minutes in BUDGETS:
        try:
            plan = planning.plan(checkin(equipment=KITS[kit], minutes=minutes), routine_id)
        except ServiceError as error:  # nothing left to do with this kit: said plainly
            assert routine_id in str(error) or "nothing" in str(error), str(error)  # noqa: PT017
            continue
        assert isinstance(plan, Plan)
        assert plan.steps
        if plan.fits:
            assert plan.total_s <= minutes * 60, (routine_id, kit, minutes)
        else:
            assert any("shortest" in reason for reason in plan.reasons), plan.reasons
        for step in plan.steps:
            if step.kind == "work" and step.exercise_id:
                exercise = planning.catalogue.exercise(step.exercise_id)
                for need in exercise.equipment:
                    assert need.optional or need.item in KITS[kit] or step.note, (
                        step.exercise_id, need.item, kit
                    )  # fmt: skip
