"""Session records built in memory: a real plan from the built-in routines, then the events
a person would record, with chosen ratings at each assessment point."""

import itertools
from datetime import UTC, datetime, timedelta

from sirelief.catalogue.loader import builtin_catalogue, builtin_files, load_routines
from sirelief.domain.checkin import CheckIn, SideRatings
from sirelief.domain.planner import PlanOptions, plan_session
from sirelief.domain.records import MorningAnswer, SessionRecord
from sirelief.domain.session import Event, replay

CATALOGUE = builtin_catalogue()
ROUTINES = {r.id: r for r in load_routines(builtin_files("routines"), CATALOGUE)}
DAY_ONE = datetime(2026, 9, 7, 8, 0, tzinfo=UTC)  # a Monday
KIT = ["kettlebell", "mat", "strap", "wall", "band", "suspension_trainer"]
Triple = tuple[tuple[int, int], tuple[int, int], tuple[int, int]]
"""(left, right) for hip, hamstrings_adductors, ankle."""


def checkin(pain: int = 4, tight: Triple = ((3, 7), (2, 5), (4, 6)), **extra) -> CheckIn:
    (hl, hr), (al, ar), (kl, kr) = tight
    return CheckIn.model_validate({
        "pain": pain, "minutes": 60, "equipment": KIT,
        "tightness": {"hip": {"left": hl, "right": hr},
                      "hamstrings_adductors": {"left": al, "right": ar},
                      "ankle": {"left": kl, "right": kr}},
        **extra,
    })  # fmt: skip


def _ratings(values: Triple) -> dict[str, SideRatings]:
    regions = ("hip", "hamstrings_adductors", "ankle")
    return {r: SideRatings(left=lv, right=rv) for r, (lv, rv) in zip(regions, values, strict=True)}


def session(
    day: float,
    points: dict[str, Triple],
    *,
    pain: int = 4,
    routine: str = "kettlebell-smash-reset",
    randomise: bool = False,
    seed: int = 0,
    tight: Triple | None = None,
    settled: bool | None = True,
    stop_before: str | None = None,
    knee_to_wall: dict | None = None,
    knee_to_wall_deg: dict | None = None,
    measured_deg: dict | None = None,
    session_id: str | None = None,
) -> SessionRecord:
    """A session ``day`` days after DAY_ONE; ``points`` maps baseline/mid/final to ratings.

    ``stop_before`` ends the session (an ``end`` event) when that assessment point comes.
    ``knee_to_wall_deg`` is the check-in's phone angle; ``measured_deg`` the assessments'.
    """
    first = tight or points.get("baseline") or ((3, 7), (2, 5), (4, 6))
    extra = {"knee_to_wall_cm": knee_to_wall} if knee_to_wall else {}
    extra |= {"knee_to_wall_deg": knee_to_wall_deg} if knee_to_wall_deg else {}
    entry = checkin(pain, first, **extra)
    plan = plan_session(ROUTINES[routine], CATALOGUE, entry, options=PlanOptions(seed, randomise))
    created = DAY_ONE + timedelta(days=day)
    counter = itertools.count()
    at = created.timestamp()
    events = [Event(id=f"e{next(counter)}", at=at, kind="start")]
    state = replay(plan, events)
    while state.step is not None:
        step = state.step
        at += step.duration_s
        if step.kind == "assessment":
            point = step.assessment.assess
            if point == stop_before:
                event = Event(id=f"e{next(counter)}", at=at, kind="end", step=state.index)
            else:
                event = Event(
                    id=f"e{next(counter)}", at=at, kind="assessment", step=state.index,
                    ratings=_ratings(points[point]), pain=pain, knee_to_wall_deg=measured_deg,
                )  # fmt: skip
        else:
            event = Event(id=f"e{next(counter)}", at=at, kind="complete", step=state.index)
        events.append(event)
        state = replay(plan, events)
    morning = (
        None if settled is None
        else MorningAnswer(settled, max(0, pain - 1), created + timedelta(hours=24))
    )  # fmt: skip
    return SessionRecord(
        id=session_id or f"s{day:g}-{seed}", created_at=created, plan=plan, checkin=entry,
        events=tuple(events), morning=morning, first_side_randomised=randomise,
    )  # fmt: skip
