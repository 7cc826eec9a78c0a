"""Routine files and a clinic for the template and assignment tests (issue 18 item 2)."""

from sirelief.catalogue.loader import RoutineCheck, SourceFile, check_routine_file
from sirelief.domain.access import Actor
from sirelief.services import Services


def routine_text(routine_id: str = "hips-for-cleo", name: str = "Hips for Cleo",
                 exercise: str = "figure-four-piriformis") -> str:  # fmt: skip
    return (
        f"format: sirelief.routine.v1\nid: {routine_id}\nversion: 1\nname: {name}\n"
        "summary: Gentle hip work.\nblocks:\n  - id: main\n    title: Main\n"
        f"    sides: both\n    steps:\n      - exercise: {exercise}\n"
    )


def checked(services: Services, text: str, name: str = "hips.yaml") -> RoutineCheck:
    return check_routine_file(SourceFile(name, text), services.catalogue)


def with_clients(actor: Actor, *client_ids: str) -> Actor:
    """The coach as the session layer reads them once the clients are assigned."""
    return Actor(actor.user_id, actor.role, actor.clinic_id, frozenset(client_ids),
                 actor.profile_id)  # fmt: skip
