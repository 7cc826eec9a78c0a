"""The routine for a check-in when none is named: chosen from the routines' own data."""

import pytest

from sirelief.catalogue.loader import SourceFile, builtin_files, load_routines
from sirelief.domain.catalogue import Catalogue
from sirelief.domain.checkin import CheckIn
from sirelief.domain.problems import InvalidFileError
from sirelief.domain.routine_choice import (
    NoDefaultRoutineError,
    choose_routine,
    default_problems,
)
from sirelief.domain.vocabulary import SessionContext, words
from tests.domain.checkin_data import tightness
from tests.domain.planner_support import ROUTINES, SMASH, STRETCHES, checkin

BUILTIN = list(ROUTINES.values())
BY_CONTEXT = {
    "morning": "morning-loosen-up",
    "after_sitting": "after-sitting",
    "before_activity": "before-activity",
    "after_activity": "after-activity",
}


@pytest.mark.parametrize(("context", "routine_id"), sorted(BY_CONTEXT.items()))
def test_each_context_has_its_routine(context: str, routine_id: str) -> None:
    chosen, why = choose_routine(checkin(context=context), BUILTIN)
    assert chosen.id == routine_id
    assert context in chosen.contexts
    moment = context.replace("_", " ")
    assert why == f"No routine was named, so '{routine_id}' was chosen for {moment}."


def test_every_context_is_covered() -> None:
    assert set(BY_CONTEXT) | {"repair"} == set(words(SessionContext))
    assert default_problems(BUILTIN) == []


def test_repair_with_a_kettlebell_is_the_smash_reset() -> None:
    kit = checkin(context="repair", equipment=["kettlebell", "mat"])
    chosen, why = choose_routine(kit, BUILTIN)
    assert chosen.id == SMASH
    assert why == (
        "No routine was named: for a repair session with a kettlebell at hand, "
        "the kettlebell smash reset."
    )


@pytest.mark.parametrize("equipment", [[], ["mat", "strap"], ["foam_roller"]])
def test_repair_without_a_kettlebell_is_the_stretches(equipment: list[str]) -> None:
    chosen, why = choose_routine(checkin(context="repair", equipment=equipment), BUILTIN)
    assert chosen.id == STRETCHES
    assert why == (
        "No routine was named and there is no kettlebell at hand, "
        "so the repair session is the SI joint stretches."
    )


def test_repair_is_the_default_context() -> None:
    check = CheckIn.model_validate({"pain": 1, "tightness": tightness((1, 1), (1, 1), (1, 1)),
                                    "minutes": 20})  # fmt: skip
    assert choose_routine(check, BUILTIN)[0].id == STRETCHES


def test_only_the_routines_given_are_chosen_from() -> None:
    with pytest.raises(NoDefaultRoutineError):
        choose_routine(checkin(context="morning"), [ROUTINES[SMASH]])


# --- the defaults, checked across the built-in files ----------------------------------------


def _without_default(text: str) -> str:
    """The routine file's text with its default_for line taken out."""
    return "\n".join(line for line in text.splitlines() if not line.startswith("default_for"))


def test_a_moment_without_a_default_is_reported(catalogue: Catalogue) -> None:
    sources = [
        SourceFile(s.name, _without_default(s.text)) if "morning-loosen" in s.name else s
        for s in builtin_files("routines")
    ]
    with pytest.raises(InvalidFileError) as raised:
        load_routines(sources, catalogue)
    assert [str(p) for p in raised.value.problems] == [
        "routines: no routine is the default for 'morning': add it to the default_for of "
        "one routine without default_needs"
    ]


def test_two_defaults_for_a_moment_are_reported_in_each_file(catalogue: Catalogue) -> None:
    also_morning = "default_for: [morning, repair]"
    sources = [
        SourceFile(s.name, s.text.replace("default_for: [repair]", also_morning))
        if s.name.endswith("si-joint-stretches.yaml") else s
        for s in builtin_files("routines")
    ]  # fmt: skip
    with pytest.raises(InvalidFileError) as raised:
        load_routines(sources, catalogue)
    message = (
        "2 defaults for 'morning' need no kit (morning-loosen-up, si-joint-stretches): "
        "keep it in the default_for of one"
    )
    assert [str(p) for p in raised.value.problems] == [
        f"routines/morning-loosen-up.yaml:11: {message}",
        f"routines/si-joint-stretches.yaml:16: {message}",
    ]
