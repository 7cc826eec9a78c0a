"""Substitutes are exercises of their own (SPEC 5.8): nothing shown names kit the person lacks.

For any kit, from everything to nothing, every step the planner lays out (titles, spoken
cues, notes) and every exercise it plans (everything its pages show: name, summary, steps,
cues, cautions, stop signs, easier and harder versions, evidence, figure caption and props)
names and draws only equipment the person has. One exception, on purpose: a figure may
draw the mat as the floor under the body (``DRAWN_WHEN_OPTIONAL``); the mat is optional
everywhere, and its words never appear in what the person reads.
"""

from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from sirelief.catalogue.loader import builtin_catalogue, builtin_files, load_routines
from sirelief.domain.catalogue import Catalogue, substitute_problems
from sirelief.domain.checkin import CheckIn
from sirelief.domain.exercise import EquipmentNeed, EquipmentOption, Exercise
from sirelief.domain.figure import DRAWN_WHEN_OPTIONAL
from sirelief.domain.pain_rules import pain_rule
from sirelief.domain.plan import Plan
from sirelief.domain.planner import _equip, plan_session
from sirelief.domain.precautions import PRECAUTIONS, apply
from sirelief.domain.routine import ExerciseStep
from sirelief.domain.vocabulary import EquipmentId, label, names_item, words

CATALOGUE: Catalogue = builtin_catalogue()
ROUTINES = load_routines(builtin_files("routines"), CATALOGUE)
EVERYTHING = frozenset(words(EquipmentId))


def checkin(kit: frozenset[str], pain: int = 3, **extra: Any) -> CheckIn:
    return CheckIn.model_validate(
        {
            "pain": pain,
            "tightness": {
                "hip": {"left": 4, "right": 2},
                "hamstrings_adductors": {"left": 3, "right": 3},
                "ankle": {"left": 2, "right": 5},
            },
            "minutes": 120,
            "equipment": sorted(kit),
            **extra,
        }
    )


def shown_kit_problems(p: Plan, kit: frozenset[str]) -> list[str]:
    """Every place a planned step names or draws equipment that is not in ``kit``."""
    lacking = EVERYTHING - kit
    found = []
    for step in p.steps:
        texts = [("title", step.title), ("note", step.note or "")]
        texts += [("spoken cue", cue.say) for cue in step.cues]
        if step.exercise_id and step.kind != "assessment":
            exercise = CATALOGUE.exercise(step.exercise_id)
            texts += [("shown text", text) for text in exercise.shown_texts(kit)]
            for prop in exercise.figure.props:
                if prop.item in lacking and prop.item not in DRAWN_WHEN_OPTIONAL:
                    found.append(f"{exercise.id} draws a {prop.item}")
        for where, text in texts:
            for item in lacking:
                if names_item(text, item):
                    found.append(f"{step.exercise_id} {where} names {item}: {text!r}")
    return found


kits = st.frozensets(st.sampled_from(sorted(EVERYTHING)))
precaution_sets = st.lists(st.sampled_from([p.id for p in PRECAUTIONS]), max_size=2)


@settings(deadline=None, max_examples=60)
@given(kit=kits, pain=st.integers(0, 7), precautions=precaution_sets)
@example(kit=EVERYTHING, pain=3, precautions=[])
@example(kit=frozenset(), pain=3, precautions=[])
@example(kit=frozenset({"foam_roller"}), pain=3, precautions=[])
@example(kit=frozenset({"towel", "chair"}), pain=3, precautions=[])
@example(kit=frozenset({"strap"}), pain=3, precautions=["pregnancy-after-20-weeks"])
def test_nothing_planned_names_or_draws_kit_the_person_lacks(
    kit: frozenset[str], pain: int, precautions: list[str]
) -> None:
    check = checkin(kit, pain)
    for routine in ROUTINES:
        changed, _reasons = apply(routine, CATALOGUE, precautions)
        p = plan_session(changed, CATALOGUE, check)
        assert shown_kit_problems(p, kit) == [], routine.id
        for step in p.steps:
            if step.kind == "exercise" and step.exercise_id:
                needs = CATALOGUE.exercise(step.exercise_id).needs
                assert set(needs) <= kit, (step.exercise_id, needs)


def test_the_check_itself_finds_the_old_kettlebell_wording() -> None:
    """Today's smash planned for someone with only a roller would fail the property."""
    smash = next(r for r in ROUTINES if r.id == "kettlebell-smash-reset")
    p = plan_session(smash, CATALOGUE, checkin(EVERYTHING))
    found = shown_kit_problems(p, frozenset({"foam_roller", "mat"}))
    assert any(f == "kb-hip-flexor-smash draws a kettlebell" for f in found)
    assert any("names kettlebell" in f for f in found)


def test_each_alternative_is_chosen_in_turn_with_its_reason() -> None:
    """Lacking the item and the earlier alternatives, the planner takes the next one."""
    rule = pain_rule(3)
    for exercise in CATALOGUE.exercises.values():
        for need in exercise.equipment:
            for index, alt in enumerate(need.alternatives):
                gone = {need.item, *(a.item for a in need.alternatives[:index])}
                kit = (EVERYTHING - gone) | ({alt.item} - {"hands"})
                reasons: list[str] = []
                step = ExerciseStep(exercise=exercise.id)
                work = _equip(exercise, step, checkin(kit), reasons, CATALOGUE, rule)
                sub = CATALOGUE.exercise(alt.exercise)
                assert work is not None
                assert work.exercise is sub
                assert work.step.exercise == sub.id
                assert reasons == [f"No {label(need.item)} at hand, so: {sub.name}."]


def test_substitutes_need_only_their_own_kit_and_keep_the_side_policy() -> None:
    for exercise in CATALOGUE.exercises.values():
        for need in exercise.equipment:
            for alt in need.alternatives:
                sub = CATALOGUE.exercise(alt.exercise)
                assert sub.id != exercise.id
                assert not sub.uses(need.item), sub.id
                assert set(sub.needs) <= {alt.item}, sub.id
                assert sub.laterality == exercise.laterality, sub.id
                assert sub.name != exercise.name


def test_a_precaution_never_allows_an_original_whose_substitute_it_rules_out() -> None:
    """Precautions act on the routine's own exercise before any substitution, so a
    substitute must be ruled out by no precaution that lets its original through."""
    for exercise in CATALOGUE.exercises.values():
        for sub_id in exercise.substitutes:
            sub = CATALOGUE.exercise(sub_id)
            for precaution in PRECAUTIONS:
                if precaution.rules_out(sub):
                    assert precaution.rules_out(exercise), (precaution.id, exercise.id, sub.id)


def test_the_substitute_check_reports_each_problem() -> None:
    """A substitute that is the original, unknown, or needs the missing item is refused."""
    bridge = CATALOGUE.exercise("banded-glute-bridge")

    def with_alternatives(*alts: EquipmentOption):
        equipment = [EquipmentNeed(item="band", alternatives=list(alts))]
        return bridge.model_copy(update={"equipment": equipment})

    exercises = dict(CATALOGUE.exercises)
    cases = {
        "banded-glute-bridge": "cannot be its own substitute",
        "glute-brige": "no exercise with id 'glute-brige'; did you mean glute-bridge",
        "banded-side-steps": "uses a band, the item it stands in for",
    }
    for target, message in cases.items():
        broken = with_alternatives(EquipmentOption(item="hands", exercise=target))
        problems = substitute_problems(broken, exercises)
        assert any(message in p.message for p in problems), (target, problems)
        assert problems[0].path == ("equipment", 0, "alternatives", 0, "exercise")
    needs_kit = with_alternatives(EquipmentOption(item="hands", exercise="strap-loop-glute-bridge"))
    assert any(
        "needs strap, but this alternative is for someone with hands" in p.message
        for p in substitute_problems(needs_kit, exercises)
    )


def test_a_version_that_names_other_kit_says_it_needs_it() -> None:
    """An easier or harder version naming kit the exercise does not need declares ``needs``,
    so it is shown only to people who have that kit."""
    for exercise in CATALOGUE.exercises.values():
        for version in (*exercise.easier, *exercise.harder):
            text = f"{version.name}. {version.how}"
            named = {item for item in EVERYTHING if names_item(text, item)}
            undeclared = named - set(exercise.needs) - {version.needs}
            assert not undeclared, (exercise.id, version.name, undeclared)


def test_the_gentler_version_needs_no_extra_kit() -> None:
    """The first easier version is offered as 'gentler' mid-session, to anyone."""
    smash = CATALOGUE.exercise("kb-calf-smash")
    needy = smash.easier[1]
    assert needy.needs == "foam_roller"
    with pytest.raises(ValidationError, match="first easier version"):
        Exercise.model_validate(smash.model_dump() | {"easier": [needy.model_dump()]})
