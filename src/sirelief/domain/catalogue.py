"""The catalogue: every exercise known, with look-ups and filters."""

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from sirelief.domain.exercise import Exercise
from sirelief.domain.problems import Problem
from sirelief.domain.vocabulary import label, names_item


class UnknownIdError(LookupError):
    """An id that names nothing in the catalogue; carries close matches for the message."""

    def __init__(self, kind: str, wanted: str, known: Iterable[str]) -> None:
        self.kind, self.wanted = kind, wanted
        self.suggestions = difflib.get_close_matches(wanted, sorted(known), n=3, cutoff=0.5)
        hint = f"; did you mean {' or '.join(self.suggestions)}?" if self.suggestions else ""
        super().__init__(f"no {kind} with id '{wanted}'{hint}")


@dataclass(frozen=True)
class Catalogue:
    """Exercises by id, in a stable order (by protocol, category, then name)."""

    exercises: Mapping[str, Exercise] = field(default_factory=dict)

    @classmethod
    def of(cls, exercises: Iterable[Exercise]) -> "Catalogue":
        ordered = sorted(exercises, key=lambda e: (e.protocol, e.category, e.name))
        return cls({exercise.id: exercise for exercise in ordered})

    def exercise(self, exercise_id: str) -> Exercise:
        try:
            return self.exercises[exercise_id]
        except KeyError:
            raise UnknownIdError("exercise", exercise_id, self.exercises) from None

    def __contains__(self, exercise_id: object) -> bool:
        return exercise_id in self.exercises

    def __len__(self) -> int:
        return len(self.exercises)

    def filter(
        self,
        region: str | None = None,
        equipment: str | None = None,
        position: str | None = None,
    ) -> list[Exercise]:
        """Exercises that work ``region``, use ``equipment`` themselves (a substitute for
        missing kit is listed in its own right) and start in ``position``; ``None`` means
        any."""
        return [
            exercise
            for exercise in self.exercises.values()
            if (region is None or region in exercise.regions)
            and (equipment is None or exercise.uses(equipment))
            and (position is None or exercise.position == position)
        ]


def check_links(exercises: Mapping[str, Exercise]) -> list[tuple[str, Problem]]:
    """References between exercises that point nowhere, as (exercise id, problem)."""
    found: list[tuple[str, Problem]] = []
    known = exercises.keys()
    for exercise in exercises.values():
        for index, other in enumerate(exercise.alternatives):
            if other not in known:
                found.append(
                    (
                        exercise.id,
                        Problem(
                            message=str(UnknownIdError("exercise", other, known))
                            + " (in alternatives)",
                            path=("alternatives", index),
                        ),
                    )
                )
        for kind in ("easier", "harder"):
            for index, variation in enumerate(getattr(exercise, kind)):
                if variation.exercise and variation.exercise not in known:
                    found.append(
                        (
                            exercise.id,
                            Problem(
                                message=str(UnknownIdError("exercise", variation.exercise, known)),
                                path=(kind, index, "exercise"),
                            ),
                        )
                    )
        found += [(exercise.id, problem) for problem in substitute_problems(exercise, exercises)]
    return found


def substitute_problems(exercise: Exercise, exercises: Mapping[str, Exercise]) -> list[Problem]:
    """Equipment substitutes that are not exercises of their own (SPEC 5.8).

    Each must exist, differ from the original, need nothing but the alternative's item,
    never use or name the missing item, be done per side the same way, work one of the
    same regions, and carry its own name, steps and cues.
    """
    found: list[Problem] = []
    for n, need in enumerate(exercise.equipment):
        for a, alt in enumerate(need.alternatives):
            path = ("equipment", n, "alternatives", a, "exercise")

            def problem(message: str, path: tuple = path) -> None:
                found.append(Problem(message=message, path=path))

            if alt.exercise == exercise.id:
                problem("an exercise cannot be its own substitute: name another exercise")
                continue
            if alt.exercise not in exercises:
                problem(str(UnknownIdError("exercise", alt.exercise, exercises.keys())))
                continue
            sub = exercises[alt.exercise]
            missing = label(need.item)
            if sub.uses(need.item):
                problem(f"substitute {sub.id} uses a {missing}, the item it stands in for")
            extra = [item for item in sub.needs if item != alt.item]
            if extra:
                problem(
                    f"substitute {sub.id} needs {', '.join(map(label, extra))}, but this "
                    f"alternative is for someone with {label(alt.item)}"
                )
            named = [text for text in sub.shown_texts() if names_item(text, need.item)]
            if named:
                problem(
                    f"substitute {sub.id} names a {missing}, which the person does not have: "
                    f"'{named[0][:60]}'"
                )
            if sub.laterality != exercise.laterality:
                problem(
                    f"substitute {sub.id} is {label(sub.laterality)} but {exercise.id} is "
                    f"{label(exercise.laterality)}: the routine's side policy needs the same"
                )
            if not set(sub.regions) & set(exercise.regions):
                problem(f"substitute {sub.id} works none of the regions of {exercise.id}")
            if sub.name == exercise.name:
                problem(f"substitute {sub.id} needs a name of its own, not '{exercise.name}'")
            shared = (set(sub.steps) | set(sub.cues)) & (set(exercise.steps) | set(exercise.cues))
            if shared:
                problem(
                    f"substitute {sub.id} copies steps or cues of {exercise.id}: write its "
                    f"own ('{sorted(shared)[0][:60]}')"
                )
    return found
