"""Use case: the exercise library, to browse and to read one exercise."""

from dataclasses import dataclass

from sirelief.domain.catalogue import Catalogue, UnknownIdError
from sirelief.domain.exercise import Exercise
from sirelief.services.errors import ServiceError


@dataclass(frozen=True)
class Exercises:
    catalogue: Catalogue

    def find(
        self,
        region: str | None = None,
        equipment: str | None = None,
        position: str | None = None,
    ) -> list[Exercise]:
        return self.catalogue.filter(region=region, equipment=equipment, position=position)

    def get(self, exercise_id: str) -> Exercise:
        try:
            return self.catalogue.exercise(exercise_id)
        except UnknownIdError as unknown:
            raise ServiceError(f"{unknown} (see: sirelief exercises list)") from None

    def __len__(self) -> int:
        return len(self.catalogue)
