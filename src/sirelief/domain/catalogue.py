"""The catalogue: every exercise known, with look-ups and filters."""

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from sirelief.domain.exercise import Exercise
from sirelief.domain.problems import Problem


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
        """Exercises that work ``region``, use ``equipment`` (directly or as a substitute)
        and start in ``position``; ``None`` means any."""
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
    return found
