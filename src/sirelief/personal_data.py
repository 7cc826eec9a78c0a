"""Use cases for the person's own data: export, import, delete, history and insights."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sirelief.domain.insights import CLIMB_WEEKS, Insights, build_insights
from sirelief.domain.records import SessionRecord
from sirelief.domain.results import SessionResults, session_results
from sirelief.services import Library, ServiceError, read_text_file
from sirelief.storage.transfer import (
    UnusableExportError,
    export_csv_zip,
    export_json,
    import_document,
    read_document,
)

MAX_IMPORT_BYTES = 200 * 1024 * 1024
MAX_INSIGHT_WEEKS = 104


@dataclass(frozen=True)
class HistoryEntry:
    record: SessionRecord
    results: SessionResults

    @property
    def status(self) -> str:
        return self.record.state.ended or ("running" if self.record.events else "planned")

    @property
    def headline(self) -> str:
        """The one line that says how it went."""
        lines = self.results.summary()
        if not lines:
            return "No reassessment was recorded."
        return lines[0]


@dataclass
class PersonalData:
    library: Library

    def export(self, fmt: str) -> bytes:
        if fmt == "json":
            return export_json(self.library.store).encode("utf-8")
        return export_csv_zip(self.library.store)

    def import_file(self, path: Path) -> dict[str, int]:
        try:
            text = read_text_file(
                path, MAX_IMPORT_BYTES, "export file",
                "not a JSON export (CSV zips are for reading elsewhere; import the file "
                "made by: sirelief export --format json)",
            )  # fmt: skip
        except ServiceError as error:
            raise ServiceError(f"{path}: {error}") from None
        try:
            document = read_document(text)
        except UnusableExportError as error:
            raise ServiceError(f"{path}: {error}; nothing was imported") from None
        return import_document(self.library.store, document)

    def delete_everything(self) -> dict[str, int]:
        return self.library.store.delete_profile()

    def history(self, limit: int | None = None) -> list[HistoryEntry]:
        return [
            HistoryEntry(record, session_results(record.state, record.checkin.pain))
            for record in self.library.store.sessions(limit=limit)
        ]

    def insights(self, weeks: int, now: datetime) -> Insights:
        """What the last ``weeks`` weeks show, in the local time zone of ``now``."""
        if not 1 <= weeks <= MAX_INSIGHT_WEEKS:
            raise ServiceError(f"weeks must be between 1 and {MAX_INSIGHT_WEEKS}, got {weeks}")
        local = now.astimezone(self.library.settings.zone())
        # whole weeks, and never fewer than the climb rule reads; the domain trims
        since = local - timedelta(weeks=max(weeks, CLIMB_WEEKS), days=1)
        records = self.library.store.sessions(since=since)
        exercises = self.library.catalogue.exercises.values()
        return build_insights(records, exercises, local.date(), local.tzinfo, weeks)
