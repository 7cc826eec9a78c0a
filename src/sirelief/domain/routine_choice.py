"""Which routine a check-in gets when the person names none, read from the routines' data.

Each built-in routine file says which moments of the day it is the default for
(``default_for``) and what kit must be at hand for that (``default_needs``). Per moment,
one default needs no kit; a default that needs kit goes first when all of it is at hand.
"""

from collections.abc import Sequence

from sirelief.domain.checkin import CheckIn
from sirelief.domain.problems import Problem
from sirelief.domain.routine import Routine
from sirelief.domain.vocabulary import SessionContext, label, words


class NoDefaultRoutineError(LookupError):
    """No routine is the default for a moment (the built-ins' check prevents it)."""


def choose_routine(checkin: CheckIn, routines: Sequence[Routine]) -> tuple[Routine, str]:
    """The default routine for the check-in's moment of the day, and why."""
    context = checkin.context
    kit_free, with_kit = _defaults(routines, context)
    for routine in with_kit:
        if all(checkin.has(item) for item in routine.default_needs):
            kit = " and ".join(f"a {label(item)}" for item in routine.default_needs)
            return routine, (
                f"No routine was named: for a {label(context)} session with {kit} at hand, "
                f"the {_in_sentence(routine.name)}."
            )
    if not kit_free:
        raise NoDefaultRoutineError(f"no routine is the default for '{context}'")
    routine = kit_free[0]
    if not with_kit:
        return routine, (
            f"No routine was named, so '{routine.id}' was chosen for {label(context)}."
        )
    missing = [item for item in with_kit[0].default_needs if not checkin.has(item)]
    return routine, (
        f"No routine was named and there is no {' or '.join(label(m) for m in missing)} "
        f"at hand, so the {label(context)} session is the {_in_sentence(routine.name)}."
    )


def default_problems(routines: Sequence[Routine]) -> list[tuple[str | None, Problem]]:
    """Per moment, exactly one default that needs no kit and at most one that needs kit.

    Each problem comes with the id of the routine whose file it belongs to, or None when
    no file holds it (a moment no routine is the default for).
    """
    found: list[tuple[str | None, Problem]] = []
    for context in words(SessionContext):
        kit_free, with_kit = _defaults(routines, context)
        if not kit_free:
            found.append((None, Problem(
                message=f"no routine is the default for '{context}': add it to the "
                "default_for of one routine without default_needs",
            )))  # fmt: skip
        for group, kind in ((kit_free, "need no kit"), (with_kit, "need kit")):
            if len(group) < 2:
                continue
            ids = ", ".join(routine.id for routine in group)
            found.extend(
                (routine.id, Problem(
                    message=f"{len(group)} defaults for '{context}' {kind} ({ids}): "
                    "keep it in the default_for of one",
                    path=("default_for", routine.default_for.index(context)),
                ))
                for routine in group
            )  # fmt: skip
    return found


def _defaults(routines: Sequence[Routine], context: str) -> tuple[list[Routine], list[Routine]]:
    """The defaults for a moment: those that need no kit, and those that do."""
    defaults = [routine for routine in routines if context in routine.default_for]
    return (
        [routine for routine in defaults if not routine.default_needs],
        [routine for routine in defaults if routine.default_needs],
    )


def _in_sentence(name: str) -> str:
    """A routine's name inside a sentence: lower case, but abbreviations kept.

    >>> _in_sentence("Kettlebell smash reset"), _in_sentence("SI joint stretches")
    ('kettlebell smash reset', 'SI joint stretches')
    """
    return " ".join(word if word.isupper() else word.lower() for word in name.split(" "))
