"""Precautions (SPEC 5.3) through planning: each changes the plan, never stops it."""

import re
from datetime import UTC, datetime, timedelta

import pytest

from sirelief.catalogue.loader import builtin_catalogue, builtin_files
from sirelief.domain.checkin import CheckIn
from sirelief.domain.exercise import Exercise
from sirelief.domain.plan import Plan
from sirelief.domain.precautions import BY_ID, PRECAUTIONS, confirmation_due
from sirelief.services import ServiceError, Services
from sirelief.services.planning import Planning
from tests.clock import MovableClock, at

ROUTINES = [
    s.name.removeprefix("routines/").removesuffix(".yaml") for s in builtin_files("routines")
]
EVERYTHING = [
    "kettlebell",
    "mat",
    "strap",
    "wall",
    "band",
    "foam_roller",
    "chair",
    "suspension_trainer",
    "towel",
]
BASE = {
    "pain": 3,
    "tightness": {"hip": {"left": 6, "right": 3},
                  "hamstrings_adductors": {"left": 5, "right": 4},
                  "ankle": {"left": 6, "right": 2}},
    "minutes": 60, "equipment": EVERYTHING,
}  # fmt: skip


@pytest.fixture
def planning(settings) -> Planning:
    return Services(settings, MovableClock()).planning


def checkin(precautions: list[str] | None, **changes) -> CheckIn:
    data = {**BASE, **changes}
    if precautions is not None:
        data["precautions"] = precautions
    return CheckIn.model_validate(data)


def exercises(plan: Plan) -> set[str]:
    return {step.exercise_id for step in plan.steps if step.exercise_id}


def test_the_spec_list_of_precautions() -> None:
    assert set(BY_ID) == {
        "pregnancy", "pregnancy-after-20-weeks", "clot-risk", "hernia-or-recent-surgery",
        "aortic-aneurysm", "bowel-or-pelvic-condition", "hip-replacement", "osteoporosis",
        "head-down-risk",
    }  # fmt: skip


SKIP = re.compile(r"\bskip\b", re.IGNORECASE)
PART_ONLY = re.compile(r"\bskip the\b|go gently, or skip", re.IGNORECASE)
CONDITION = re.compile(
    r"\b(\w+ disease|condition|disorder|infection|aneurysm|hernia|pregnan\w*|birth|"
    r"thinners|clots?|bruise|veins|osteoporosis|steroids?|glaucoma|blood pressure|"
    r"replacement|surgery|operated|cancer|fracture|implant|diabetes|kidney)\b"
)
"""Words that name a medical condition; in a skip sentence, each must be part of the
words of a precaution (``Precaution.words``), so the person is asked about it."""


def unasked_skips(exercise: Exercise) -> list[str]:
    """Each condition a caution says to skip for that no question asks about, and each
    asked one whose precaution still lets the whole exercise through.

    "Skip the front-of-hip position" and "go gently, or skip it" leave the exercise in
    the plan (the person decides), so for those being asked is enough."""
    found = []
    for caution in exercise.cautions:
        for sentence in re.split(r"(?<=\.)\s+", caution):
            if not SKIP.search(sentence):
                continue
            said = sentence.lower()
            spans = {
                p.id: [m.span() for w in p.words for m in re.finditer(re.escape(w), said)]
                for p in PRECAUTIONS
            }
            conditions = list(CONDITION.finditer(said))
            if not conditions:
                found.append(f"{exercise.id}: a skip that names no condition: {sentence!r}")
            for term in conditions:
                if not any(
                    start <= term.start() and term.end() <= end
                    for hits in spans.values()
                    for start, end in hits
                ):
                    found.append(f"{exercise.id}: no question asks about {term.group()!r}")
            if not PART_ONLY.search(sentence):
                found += [
                    f"{exercise.id}: {BY_ID[pid].id} is asked but lets it through"
                    for pid, hits in spans.items()
                    if hits and not BY_ID[pid].rules_out(exercise)
                ]
    return found


def test_every_skip_an_exercise_declares_is_asked_and_acted_on() -> None:
    catalogue = builtin_catalogue()
    assert [f for e in catalogue.exercises.values() for f in unasked_skips(e)] == []


def test_a_skip_for_a_condition_nobody_asks_about_is_found() -> None:
    smash = builtin_catalogue().exercise("kb-hip-flexor-smash")
    kidney = "Skip this if you have kidney disease or a hernia."
    [found] = unasked_skips(smash.model_copy(update={"cautions": [kidney]}))
    assert found == "kb-hip-flexor-smash: no question asks about 'kidney disease'"
    twist = builtin_catalogue().exercise("lunge-and-twist")
    glaucoma = "Skip this if you have glaucoma."
    [found] = unasked_skips(twist.model_copy(update={"cautions": [glaucoma]}))
    assert "head-down-risk is asked but lets it through" in found


@pytest.mark.parametrize(
    ("precaution", "gone"),
    [
        ("pregnancy", {"kb-hip-flexor-smash", "kb-adductor-smash", "kb-calf-smash"}),
        ("pregnancy-after-20-weeks", {"kb-hip-flexor-smash", "supine-hamstring-strap",
                                      "figure-four-piriformis", "lower-trunk-rotation"}),
        ("clot-risk", {"kb-hip-flexor-smash", "kb-adductor-smash", "kb-calf-smash"}),
        ("hernia-or-recent-surgery", {"kb-hip-flexor-smash", "foam-roll"}),
        ("aortic-aneurysm", {"kb-hip-flexor-smash", "roller-hip-flexor-release", "foam-roll"}),
        ("bowel-or-pelvic-condition", {"kb-hip-flexor-smash", "foam-roll"}),
        ("hip-replacement", {"figure-four-piriformis", "childs-pose-side-reach",
                             "kb-adductor-smash"}),
        ("osteoporosis", {"kb-hip-flexor-smash", "kb-calf-smash", "inchworm-downward-dog"}),
        ("head-down-risk", {"inchworm-downward-dog"}),
    ],
)  # fmt: skip
@pytest.mark.parametrize("routine_id", ROUTINES)
def test_each_precaution_keeps_its_exercises_out_of_every_routine(
    planning: Planning, precaution: str, gone: set[str], routine_id: str
) -> None:
    before = planning.plan(checkin([]), routine_id)
    after = planning.plan(checkin([precaution]), routine_id)
    assert isinstance(after, Plan), "a precaution never stops a session"
    assert not exercises(after) & gone
    rule = BY_ID[precaution].rules_out
    assert not [e for e in exercises(after) if rule(planning.catalogue.exercise(e))]
    named = [r for r in after.reasons if BY_ID[precaution].label.lower() in r]
    assert bool(named) == bool(exercises(before) & gone), after.reasons
    assert not [r for r in before.reasons if r.startswith("Precaution")]


def test_pregnancy_swaps_the_smashes_for_listed_alternatives_and_says_so(planning) -> None:
    plan = planning.plan(checkin(["pregnancy"]), "kettlebell-smash-reset")
    assert isinstance(plan, Plan)
    assert not {e for e in exercises(plan) if e.startswith("kb-")}
    [reason] = [r for r in plan.reasons if r.startswith("Precaution")]
    assert "Kettlebell hip flexor smash swapped for" in reason
    assert "no smashing" in reason


def test_all_precautions_together_still_give_a_plan_or_a_clear_error(planning) -> None:
    for routine_id in ROUTINES:
        try:
            plan = planning.plan(checkin(list(BY_ID)), routine_id)
        except ServiceError as error:
            assert "nothing in" in str(error)  # noqa: PT017
            continue
        for p in PRECAUTIONS:
            assert not [e for e in exercises(plan) if p.rules_out(planning.catalogue.exercise(e))]


def test_checkin_precautions_replace_the_profiles(planning) -> None:

    at(planning.care, datetime.now(UTC)).save_precautions(["head-down-risk"])
    from_profile = planning.plan(checkin(None), "before-activity")
    given = planning.plan(checkin([]), "before-activity")
    assert "inchworm-downward-dog" not in exercises(from_profile)
    assert not [r for r in given.reasons if r.startswith("Precaution")]


def test_an_unknown_precaution_in_the_json_names_the_field(planning) -> None:
    import json

    with pytest.raises(ServiceError, match=r"precautions\[1\]: unknown precaution 'tall'"):
        planning.read_checkin(json.dumps({**BASE, "precautions": ["pregnancy", "tall"]}))


def test_confirmation_is_due_every_12_weeks() -> None:
    now = datetime(2026, 12, 5, tzinfo=UTC)
    assert confirmation_due(None, now)
    assert not confirmation_due(now - timedelta(weeks=12) + timedelta(seconds=1), now)
    assert confirmation_due(now - timedelta(weeks=12), now)
