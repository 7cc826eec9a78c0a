"""Use cases for the person's own data: export, import, delete, history and insights.

The export and import formats (FHIR above all) are imported by the functions that use
them: ``sirelief report`` builds this class and must not pay for them (issue 21).
"""

import contextlib
import gc
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path

from sirelief.domain.catalogue import Catalogue
from sirelief.domain.effects import SessionEffect, session_effects
from sirelief.domain.insights import (
    CLIMB_WEEKS,
    Climb,
    Insights,
    build_insights,
    weekly_climbs,
)
from sirelief.domain.psfs import PsfsRating
from sirelief.domain.records import SessionRecord
from sirelief.domain.results import SessionResults, session_results
from sirelief.domain.routine import Routine
from sirelief.domain.too_much_reports import TooMuchReport, too_much_reports
from sirelief.services.errors import ServiceError
from sirelief.storage.database import Database
from sirelief.storage.session_log import SessionLog
from sirelief.storage.store import Store

MAX_IMPORT_BYTES = 200 * 1024 * 1024
MAX_INSIGHT_WEEKS = 104


@dataclass(frozen=True)
class HistoryEntry:
    record: SessionRecord
    results: SessionResults

    @property
    def status(self) -> str:
        return self.record.status

    @property
    def headline(self) -> str:
        """The one line that says how it went."""
        lines = self.results.summary()
        if not lines:
            return "No reassessment was recorded."
        return lines[0]

    @property
    def too_much(self) -> tuple[TooMuchReport, ...]:
        """Each "too much" of the session, with what was felt and chosen."""
        return too_much_reports(self.record.plan, self.record.events)


def export_bytes(
    store: Store, fmt: str, now: datetime | None = None, assigned: Routine | None = None
) -> bytes:
    """The profile's export: the JSON document, (``csv``) a zip of CSV tables, or (``fhir``)
    a FHIR R4 Bundle (with the ``assigned`` routine as its CarePlan)."""
    from sirelief.services.fhir_export import build_bundle, bundle_json
    from sirelief.storage.transfer import export_csv_zip, export_document, export_json

    if fmt == "json":
        return export_json(store).encode("utf-8")
    if fmt == "fhir":
        bundle = build_bundle(export_document(store), now or datetime.now(UTC), assigned)
        return bundle_json(bundle).encode("utf-8")
    return export_csv_zip(store)


def _document_text(text: str) -> str:
    """The sirelief export in ``text``: itself, or the one a FHIR Bundle holds."""
    from sirelief.services.fhir_import import is_fhir, read_bundle

    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return text  # read_export names the problem
    if not is_fhir(data):
        return text
    return json.dumps(read_bundle(data))


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector off while a report builds its records (re-enabled after).

    A long span loads hundreds of sessions of some 200 objects each, almost none in
    cycles; the growing heap makes the collector rescan it several times, which was half
    the time of a 104-week report (1.3 s against 0.65 s, bench/insights.py).
    """
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


@dataclass
class PersonalData:
    store: Store
    log: SessionLog
    database: Database
    catalogue: Catalogue
    builtin_routines: Callable[[], list[Routine]]
    """Read only by an import (which checks routine ids against them), so on first need."""
    zone: Callable[[], tzinfo]
    clock: Callable[[], datetime]
    psfs_ratings: Callable[[], list[PsfsRating]] = list
    """The person's weekly PSFS ratings (none where nothing keeps them)."""

    def where(self) -> str:
        """Where the data is kept, without any password."""
        return self.database.describe()

    def schema_revision(self) -> tuple[str | None, str | None]:
        """The database's schema revision and the newest this code knows."""
        return self.database.current(), self.database.head()

    def upgrade_schema(self) -> str | None:
        """Bring the schema to the newest (opening the data already does); the revision."""
        self.database.upgrade()
        return self.database.current()

    def is_empty(self) -> bool:
        return not self.log.session_ids()

    def export(self, fmt: str) -> bytes:
        return export_bytes(self.store, fmt, self.clock())

    def import_file(self, path: Path) -> dict[str, int]:
        from sirelief.services.files import read_text_file
        from sirelief.storage.import_check import RefusedImportError, read_export
        from sirelief.storage.transfer import import_document

        try:
            text = read_text_file(
                path, MAX_IMPORT_BYTES, "export file",
                "not a JSON export (CSV zips are for reading elsewhere; import the file "
                "made by: sirelief export --format json, or --format fhir)",
            )  # fmt: skip
        except ServiceError as error:
            raise ServiceError(f"{path}: {error}") from None
        try:
            document = read_export(_document_text(text))
            builtin = [routine.id for routine in self.builtin_routines()]
            return import_document(self.store, document, self.catalogue, builtin)
        except RefusedImportError as error:
            raise ServiceError(f"{path}: {error}") from None

    def delete_everything(self) -> dict[str, int]:
        return self.store.delete_profile()

    def history(self, limit: int | None = None) -> list[HistoryEntry]:
        return [
            HistoryEntry(record, session_results(record.state, record.checkin.pain))
            for record in self.log.sessions(limit=limit)
        ]

    def insights(self, weeks: int) -> Insights:
        """What the last ``weeks`` weeks show, in the person's time zone."""
        if not 1 <= weeks <= MAX_INSIGHT_WEEKS:
            raise ServiceError(f"weeks must be between 1 and {MAX_INSIGHT_WEEKS}, got {weeks}")
        with _collector_paused():
            # never fewer weeks than the climb rule reads
            local, records = self._recent(max(weeks, CLIMB_WEEKS))
            exercises = self.catalogue.exercises.values()
            return build_insights(
                records, exercises, local.date(), local.tzinfo, weeks, self.psfs_ratings()
            )

    def session_effects(self, weeks: int) -> list[SessionEffect]:
        """Each session's untreated-side effects over the last ``weeks`` weeks (what a
        coach's pooling across clients reads)."""
        local, records = self._recent(weeks)
        return [effect for record in records for effect in session_effects(record, local.tzinfo)]

    def climbs(self) -> tuple[Climb, ...]:
        """Pain or tightness climbing two weeks running: the warning Today shows."""
        local, records = self._recent(CLIMB_WEEKS)
        return weekly_climbs(records, local.tzinfo, local.date())

    def _recent(self, weeks: int) -> tuple[datetime, list[SessionRecord]]:
        """Local now, and the sessions of the last ``weeks`` whole weeks (the domain trims)."""
        local = self.clock().astimezone(self.zone())
        since = local - timedelta(weeks=weeks, days=1)
        return local, self.log.sessions(since=since)
