"""What the planner tests share: the shipped routines, check-ins and ways to read a plan."""

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from hypothesis import settings
from hypothesis import strategies as st

from sirelief.catalogue.loader import builtin_catalogue, builtin_files, load_routines
from sirelief.domain.catalogue import Catalogue
from sirelief.domain.checkin import CheckIn
from sirelief.domain.monitoring import PastSession
from sirelief.domain.plan import Plan, PlanStep
from sirelief.domain.planner import PlanOptions, plan_session
from sirelief.domain.routine import AssessmentStep, Routine
from sirelief.domain.vocabulary import EquipmentId, SessionContext, words
from tests.domain.checkin_data import tightness

# Loaded once at import, for the hypothesis strategies; the tests use the fixture's
# catalogue where they can, which is the same shipped data.
CATALOGUE: Catalogue = builtin_catalogue()
ROUTINES: dict[str, Routine] = {
    r.id: r for r in load_routines(builtin_files("routines"), CATALOGUE)
}
SMASH = "kettlebell-smash-reset"
STRETCHES = "si-joint-stretches"
GENEROUS = 180
ALL_EQUIPMENT = list(words(EquipmentId))
PROGRESS = (PastSession(1, True),)
REPEAT = (PastSession(4, True),)
REGRESS = (PastSession(7, False),)


def checkin(
    left: int = 3,
    right: int = 3,
    minutes: int = GENEROUS,
    equipment: list[str] | None = None,
    **extra: Any,
) -> CheckIn:
    """A check-in whose summed tightness is ``left`` and ``right`` (hip rating only varies)."""
    data: dict[str, Any] = {
        "pain": 3,
        "tightness": tightness(hip=(left, right)),
        "minutes": minutes,
        "equipment": ALL_EQUIPMENT if equipment is None else equipment,
        **extra,
    }
    return CheckIn.model_validate(data)


def plan(
    routine_id: str,
    check: CheckIn,
    seed: int = 0,
    randomise: bool = False,
    history: tuple[PastSession, ...] = (),
) -> Plan:
    return plan_session(
        ROUTINES[routine_id],
        CATALOGUE,
        check,
        PlanOptions(seed=seed, randomise_first_side=randomise),
        history,
    )


def other(side: str) -> str:
    return "right" if side == "left" else "left"


def block_work(p: Plan, block_id: str) -> list[PlanStep]:
    """The exercise and assessment steps of one block, in order."""
    return [s for s in p.steps if s.block_id == block_id and s.kind in ("exercise", "assessment")]


def exercise_steps(p: Plan, exercise_id: str) -> list[PlanStep]:
    return [s for s in p.steps if s.exercise_id == exercise_id and s.kind == "exercise"]


def routine_assessments(routine: Routine) -> list[str]:
    """The assessment points a routine asks for, in the order they run."""
    points: list[str] = []

    def assess(steps) -> list[str]:
        return [s.assess for s in steps if isinstance(s, AssessmentStep)]

    for block in routine.blocks:
        if block.sides == "tighter_first":
            points += assess(block.steps) + assess(block.between_sides) + assess(block.steps)
        else:
            points += assess(block.steps) + assess(block.between_sides)
    return points


def plan_assessments(p: Plan) -> list[str]:
    return [s.assessment.assess for s in p.steps if s.kind == "assessment" and s.assessment]


def first_set_durations(p: Plan) -> dict[tuple[str, str | None, str | None], int]:
    """Seconds of the first set of each exercise, per block and side."""
    return {
        (s.block_id, s.exercise_id, s.side): s.duration_s
        for s in p.steps
        if s.kind == "exercise" and s.set == 1
    }


def sets_done(p: Plan) -> dict[tuple[str, str | None, str | None], int]:
    counts: dict[tuple[str, str | None, str | None], int] = defaultdict(int)
    for s in p.steps:
        if s.kind == "exercise":
            counts[(s.block_id, s.exercise_id, s.side)] += 1
    return dict(counts)


# --- generated check-ins, and every routine planned for one ---------------------------------

ratings = st.integers(0, 10)


@st.composite
def checkins(draw: st.DrawFn, max_minutes: int = 90) -> CheckIn:
    def sides() -> dict[str, int]:
        return {"left": draw(ratings), "right": draw(ratings)}

    data: dict[str, Any] = {
        "pain": draw(ratings),
        "tightness": {"hip": sides(), "hamstrings_adductors": sides(), "ankle": sides()},
        "minutes": draw(st.integers(1, max_minutes)),
        "equipment": draw(st.lists(st.sampled_from(ALL_EQUIPMENT), unique=True)),
        "context": draw(st.sampled_from(words(SessionContext))),
        "pain_side": draw(st.sampled_from([None, "left", "right"])),
    }
    return CheckIn.model_validate(data)


histories = st.sampled_from([(), PROGRESS, REPEAT, REGRESS])
options = st.builds(PlanOptions, seed=st.integers(0, 2**32), randomise_first_side=st.booleans())
FAST = settings(deadline=None, max_examples=40)


@dataclass(frozen=True)
class Planned:
    """One check-in, options and history, and every built-in routine planned for them."""

    check: CheckIn
    options: PlanOptions
    history: tuple[PastSession, ...]
    plans: tuple[tuple[Routine, Plan], ...]


def plan_every_routine(
    check: CheckIn, opts: PlanOptions, history: tuple[PastSession, ...]
) -> Planned:
    plans = tuple(
        (routine, plan_session(routine, CATALOGUE, check, opts, history))
        for routine in ROUTINES.values()
    )
    return Planned(check, opts, history, plans)


planned = st.builds(plan_every_routine, checkins(), options, histories)
"""Every routine planned for a generated check-in, options and history."""
