"""Export and import: everything a person has, out as JSON or CSV, and back in.

The JSON document is versioned (``format``/``version``, shape in ``export_format``) and
checked whole on import (``import_check``), so a damaged or foreign file is refused with
every place that is wrong, before anything is written. Import is one transaction and
skips every row whose id is already there, so importing the same file twice changes
nothing. Non-finite numbers kept by older versions are exported as ``Infinity``/``NaN``
(not ``null``), so the import refuses them by name rather than change them silently.
"""

import csv
import io
import json
import zipfile
from typing import Any

from sqlalchemy import select

from sirelief.domain.catalogue import Catalogue
from sirelief.domain.preferences import Preferences
from sirelief.storage.database import Transaction
from sirelief.storage.export_format import (
    EXPORT_FORMAT,
    EXPORT_VERSION,
    AssessmentOut,
    AuditOut,
    CheckInOut,
    ClearanceOut,
    ExportDocument,
    FindingOut,
    MorningOut,
    NoteOut,
    PainOut,
    Part,
    PrecautionsOut,
    PreferencesOut,
    ProfileOut,
    PsfsActivityOut,
    PsfsRatingOut,
    ReviewOut,
    RoutineOut,
    SessionOut,
    StopOut,
)
from sirelief.storage.findings_rows import ExaminationRow
from sirelief.storage.import_check import (
    RefusedImportError,
    check_against_database,
    check_document,
)
from sirelief.storage.schema import (
    AccountRow,
    AssessmentRow,
    AuditRow,
    CheckInRow,
    ClearanceRow,
    EventRow,
    MorningAnswerRow,
    NoteRow,
    PainReportRow,
    PrecautionsRow,
    PreferencesRow,
    ProfileRow,
    PsfsActivityRow,
    PsfsRatingRow,
    ReviewRow,
    SafetyStopRow,
    SessionRow,
    UserRoutineRow,
)
from sirelief.storage.store import Store


def export_document(store: Store) -> dict[str, Any]:
    """The person's data as a JSON-ready dict, in a stable order (same data, same bytes)."""
    profile_id = store.profile_id
    with store.database.read() as tx:
        profile = tx.get(ProfileRow, profile_id)

        def owned(table, *order):
            query = select(table).where(table.profile_id == profile_id).order_by(*order)
            return list(tx.scalars(query))

        sessions = []
        for row in owned(SessionRow, SessionRow.created_at, SessionRow.id):
            events = tx.scalars(
                select(EventRow).where(EventRow.session_id == row.id).order_by(EventRow.seq)
            )
            values = tx.scalars(
                select(AssessmentRow)
                .where(AssessmentRow.session_id == row.id)
                .order_by(AssessmentRow.at, AssessmentRow.event_id, AssessmentRow.region,
                          AssessmentRow.side)
            )  # fmt: skip
            pains = tx.scalars(
                select(PainReportRow)
                .where(PainReportRow.session_id == row.id)
                .order_by(PainReportRow.at, PainReportRow.event_id)
            )
            sessions.append(SessionOut(
                id=row.id, checkin_id=row.checkin_id, created_at=row.created_at,
                routine_id=row.routine_id, routine_version=row.routine_version,
                routine=row.routine, plan=row.plan, seed=row.seed,
                randomise_first_side=row.randomise_first_side, status=row.status,
                ended_at=row.ended_at, max_pain=row.max_pain,
                events=[event.event for event in events],
                assessment_values=[_fields(AssessmentOut, v) for v in values],
                pain_reports=[_fields(PainOut, p) for p in pains],
            ))  # fmt: skip
        document = ExportDocument(
            format=EXPORT_FORMAT,
            version=EXPORT_VERSION,
            profile=_fields(ProfileOut, profile),
            checkins=[_fields(CheckInOut, r) for r in owned(CheckInRow, CheckInRow.taken_at,
                                                             CheckInRow.id)],
            sessions=sessions,
            morning_answers=[_fields(MorningOut, r) for r in owned(
                MorningAnswerRow, MorningAnswerRow.session_id)],
            safety_stops=[_fields(StopOut, r) for r in owned(SafetyStopRow, SafetyStopRow.at,
                                                              SafetyStopRow.id)],
            notes=[_fields(NoteOut, r) for r in owned(NoteRow, NoteRow.at, NoteRow.id)],
            routines=[_fields(RoutineOut, r) for r in owned(UserRoutineRow,
                                                             UserRoutineRow.routine_id)],
            precautions=_precautions_out(tx.get(PrecautionsRow, profile_id)),
            clearances=[_fields(ClearanceOut, r) for r in owned(
                ClearanceRow, ClearanceRow.recorded_at, ClearanceRow.id)],
            reviews=[_fields(ReviewOut, r) for r in owned(
                ReviewRow, ReviewRow.recorded_at, ReviewRow.id)],
            preferences=_preferences_out(tx.get(PreferencesRow, profile_id)),
            psfs_activities=[_fields(PsfsActivityOut, r) for r in owned(
                PsfsActivityRow, PsfsActivityRow.position)],
            psfs_ratings=[_fields(PsfsRatingOut, r) for r in owned(
                PsfsRatingRow, PsfsRatingRow.rated_at, PsfsRatingRow.id)],
            findings=[_fields(FindingOut, r) for r in owned(
                ExaminationRow, ExaminationRow.recorded_at, ExaminationRow.id)],
            audit=_audit_out(tx, profile_id),
        )  # fmt: skip
    return document.model_dump(mode="json")


def export_json(store: Store) -> str:
    return json.dumps(export_document(store), indent=1, ensure_ascii=False) + "\n"


def _audit_out(tx: Transaction, profile_id: str) -> list[AuditOut]:
    """The audit lines about the account whose profile this is (none in personal mode)."""
    account_id = tx.scalar(select(AccountRow.id).where(AccountRow.profile_id == profile_id))
    if account_id is None:
        return []
    query = (
        select(AuditRow, AccountRow.display_name, AccountRow.role)
        .outerjoin(AccountRow, AccountRow.id == AuditRow.actor_id)
        .where(AuditRow.subject_account_id == account_id)
        .order_by(AuditRow.at, AuditRow.id)
    )
    return [
        AuditOut(
            at=row.at, action=row.action, actor_id=row.actor_id, actor_name=name,
            actor_role=role, object=row.object,
            address=row.address if row.actor_id in (None, account_id) else None,
        )
        for row, name, role in tx.execute(query)
    ]  # fmt: skip


def _precautions_out(row: PrecautionsRow | None) -> PrecautionsOut | None:
    return None if row is None else PrecautionsOut(ids=list(row.ids),
                                                   confirmed_at=row.confirmed_at)  # fmt: skip


def _preferences_out(row: PreferencesRow | None) -> PreferencesOut | None:
    return None if row is None else _fields(PreferencesOut, row)


def _fields(model: type[Part], row) -> Part:
    return model.model_validate({name: getattr(row, name) for name in model.model_fields})


CSV_TABLES = (
    "profile", "checkins", "sessions", "events", "assessment_values", "pain_reports",
    "morning_answers", "safety_stops", "notes", "routines", "precautions", "clearances",
    "reviews", "preferences", "psfs_activities", "psfs_ratings", "findings", "audit",
)  # fmt: skip


def export_csv_zip(store: Store) -> bytes:
    """One CSV per table in a zip; nested values (check-in answers, plans) as JSON text."""
    document = export_document(store)
    tables: dict[str, list[dict[str, Any]]] = {
        "profile": [document["profile"]],
        "checkins": document["checkins"],
        "sessions": [
            {k: v for k, v in s.items() if k not in ("events", "assessment_values",
                                                      "pain_reports")}
            for s in document["sessions"]
        ],
        "events": [
            {"session_id": s["id"], "seq": seq, **{k: event.get(k) for k in ("id", "at", "kind",
                                                                            "step")},
             "event": event}
            for s in document["sessions"] for seq, event in enumerate(s["events"], start=1)
        ],
        "assessment_values": [
            {"session_id": s["id"], **value}
            for s in document["sessions"] for value in s["assessment_values"]
        ],
        "pain_reports": [
            {"session_id": s["id"], **report}
            for s in document["sessions"] for report in s["pain_reports"]
        ],
        "morning_answers": document["morning_answers"],
        "safety_stops": document["safety_stops"],
        "notes": document["notes"],
        "routines": document["routines"],
        "precautions": [
            {"precaution": precaution_id, "confirmed_at": document["precautions"]["confirmed_at"]}
            for precaution_id in (document["precautions"] or {}).get("ids", [])
        ],
        "clearances": document["clearances"],
        "reviews": document["reviews"],
        "preferences": [document["preferences"]] if document["preferences"] else [],
        "psfs_activities": document["psfs_activities"],
        "psfs_ratings": [
            {"id": r["id"], "rated_at": r["rated_at"], **score}
            for r in document["psfs_ratings"] for score in r["scores"]
        ],
        "findings": document["findings"],
        "audit": document["audit"],
    }  # fmt: skip
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in CSV_TABLES:
            archive.writestr(f"sirelief-export/{name}.csv", _csv(tables[name], name))
    return buffer.getvalue()


def _csv(rows: list[dict[str, Any]], name: str) -> str:
    columns = list(rows[0]) if rows else _empty_columns(name)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(
            json.dumps(value, ensure_ascii=False, separators=(",", ":"))
            if isinstance(value, dict | list)
            else ("" if value is None else value)
            for value in (row.get(column) for column in columns)
        )
    return out.getvalue()


def _empty_columns(name: str) -> list[str]:
    models = {
        "profile": ProfileOut, "checkins": CheckInOut, "morning_answers": MorningOut,
        "safety_stops": StopOut, "notes": NoteOut, "routines": RoutineOut,
        "clearances": ClearanceOut, "reviews": ReviewOut, "audit": AuditOut,
        "preferences": PreferencesOut, "psfs_activities": PsfsActivityOut,
        "findings": FindingOut,
    }  # fmt: skip
    if name in models:
        return list(models[name].model_fields)
    if name == "sessions":
        return [
            f
            for f in SessionOut.model_fields
            if f not in ("events", "assessment_values", "pain_reports")
        ]
    if name == "events":
        return ["session_id", "seq", "id", "at", "kind", "step", "event"]
    if name == "precautions":
        return ["precaution", "confirmed_at"]
    if name == "psfs_ratings":
        return ["id", "rated_at", "activity_id", "activity", "score"]
    model = AssessmentOut if name == "assessment_values" else PainOut
    return ["session_id", *model.model_fields]


# --- import ------------------------------------------------------------------------------
def import_document(
    store: Store, document: ExportDocument, catalogue: Catalogue, builtin_routines=()
) -> dict[str, int]:
    """Add every row not already present, in one transaction; returns rows added per table.

    The whole document is checked first (``import_check``): any problem raises
    ``RefusedImportError`` and nothing is written. Into an empty database the exported
    profile is recreated as the default one; into a database that already has a person,
    the rows join that person's data.
    """
    problems = check_document(document, catalogue, builtin_routines)
    if problems:
        raise RefusedImportError(problems)
    added = {name: 0 for name in CSV_TABLES if name != "audit"}  # the log is never imported
    with store.database.write() as tx:
        existing = _default_profile(tx)
        problems = check_against_database(tx, document, existing or document.profile.id)
        if problems:
            raise RefusedImportError(problems)  # the transaction rolls back: nothing written
        profile_id = existing or _create_profile(tx, document.profile, added)

        def add(table: str, row) -> None:
            tx.add(row)
            added[table] += 1

        def add_new(table: str, row_type, items) -> None:
            """Each item whose id is not stored yet, as a row of this profile."""
            stored = set(tx.scalars(select(row_type.id)))
            for item in items:
                if item.id not in stored:
                    add(table, row_type(profile_id=profile_id, **item.model_dump()))

        add_new("checkins", CheckInRow, document.checkins)
        tx.flush()
        session_ids = set(tx.scalars(select(SessionRow.id)))
        event_ids = set(tx.scalars(select(EventRow.id)))
        for item in document.sessions:
            if item.id not in session_ids:
                fields = item.model_dump(exclude={"events", "assessment_values", "pain_reports"})
                add("sessions", SessionRow(profile_id=profile_id, **fields))
            tx.flush()
            next_seq = _next_seq(tx, item.id)
            new_events = [e for e in item.events if e.get("id") not in event_ids]
            for event in new_events:
                add("events", EventRow(
                    id=event["id"], session_id=item.id, seq=next_seq, at=event["at"],
                    kind=event["kind"], event=event,
                ))  # fmt: skip
                next_seq += 1
            tx.flush()
            fresh = {event["id"] for event in new_events}
            for value in item.assessment_values:
                if value.event_id in fresh:
                    add(
                        "assessment_values", AssessmentRow(session_id=item.id, **value.model_dump())
                    )
            for report in item.pain_reports:
                if report.event_id in fresh:
                    add("pain_reports", PainReportRow(session_id=item.id, **report.model_dump()))
        tx.flush()
        answered = set(tx.scalars(select(MorningAnswerRow.session_id)))
        for answer in document.morning_answers:
            if answer.session_id not in answered:
                add(
                    "morning_answers",
                    MorningAnswerRow(profile_id=profile_id, **answer.model_dump()),
                )
        add_new("safety_stops", SafetyStopRow, document.safety_stops)
        add_new("notes", NoteRow, document.notes)
        have = set(tx.scalars(
            select(UserRoutineRow.routine_id).where(UserRoutineRow.profile_id == profile_id)
        ))  # fmt: skip
        for routine in document.routines:
            if routine.routine_id not in have:
                add("routines", UserRoutineRow(profile_id=profile_id, **routine.model_dump()))
        _import_precautions(tx, document.precautions, profile_id, add)
        add_new("clearances", ClearanceRow, document.clearances)
        add_new("reviews", ReviewRow, document.reviews)
        add_new("findings", ExaminationRow, document.findings)
        _import_preferences(tx, document.preferences, profile_id, add)
        _import_psfs(tx, document, profile_id, add, add_new)
    store.forget_profile()
    return added


def _import_precautions(
    tx: Transaction, answers: PrecautionsOut | None, profile_id: str, add
) -> None:
    """Precaution answers replace the stored ones only when newer."""
    stored = tx.get(PrecautionsRow, profile_id)
    if answers is not None and (stored is None or stored.confirmed_at < answers.confirmed_at):
        if stored is not None:
            tx.delete(stored)
            tx.flush()
        add("precautions", PrecautionsRow(profile_id=profile_id, **answers.model_dump()))


def _import_preferences(
    tx: Transaction, preferences: PreferencesOut | None, profile_id: str, add
) -> None:
    """Imported settings replace the stored ones only when they were saved later."""
    stored = tx.get(PreferencesRow, profile_id)
    if preferences is None or (stored is not None and stored.updated_at >= preferences.updated_at):
        return
    if stored is not None:
        tx.delete(stored)
        tx.flush()
    canonical = Preferences.from_json(preferences.model_dump()).to_json()  # checked already
    add("preferences", PreferencesRow(profile_id=profile_id, updated_at=preferences.updated_at,
                                      **canonical))  # fmt: skip


def _import_psfs(tx: Transaction, document: ExportDocument, profile_id: str, add, add_new):
    """Ratings join by id. The activities are a list of at most three, so a file's list is
    taken only when the person has named none yet (theirs is never mixed with another)."""
    named = tx.scalar(select(PsfsActivityRow.id).where(PsfsActivityRow.profile_id == profile_id))
    if named is None:
        add_new("psfs_activities", PsfsActivityRow, document.psfs_activities)
    add_new("psfs_ratings", PsfsRatingRow, document.psfs_ratings)


def _default_profile(tx: Transaction) -> str | None:
    return tx.scalars(
        select(ProfileRow.id).where(ProfileRow.is_default).order_by(ProfileRow.created_at)
    ).first()


def _create_profile(tx: Transaction, profile: ProfileOut, added: dict[str, int]) -> str:
    tx.add(ProfileRow(is_default=True, **profile.model_dump()))
    tx.flush()
    added["profile"] = 1
    return profile.id


def _next_seq(tx: Transaction, session_id: str) -> int:
    rows = tx.scalars(select(EventRow.seq).where(EventRow.session_id == session_id))
    return max(rows, default=0) + 1
