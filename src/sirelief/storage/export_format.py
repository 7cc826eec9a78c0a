"""The export document's shape: ``"format": "sirelief.export"``, ``"version": 1``.

These models describe what ``sirelief export`` writes and are the first gate of an import
(the shape); ``import_check`` then checks every record with the live domain models. On
the way out they accept whatever is stored: a non-finite number kept by an older version
is written as the JSON token ``Infinity`` (or ``NaN``), never as ``null``, so a backup
never silently changes a value, and the import refuses it by name instead.

A new kind of record goes here as a list defaulting to empty (so older files still read)
plus its checks in ``import_check.py`` and its writing in ``transfer.py``; raise
``EXPORT_VERSION`` only when the meaning of an existing key changes.
"""

from typing import Any, Literal

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
)

EXPORT_FORMAT = "sirelief.export"
EXPORT_VERSION = 1


class Part(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=False, ser_json_inf_nan="constants")


class ProfileOut(Part):
    id: StrictStr
    name: StrictStr
    created_at: AwareDatetime


class CheckInOut(Part):
    id: StrictStr
    taken_at: AwareDatetime
    pain: StrictInt
    answers: dict[str, Any]


class AssessmentOut(Part):
    event_id: StrictStr
    point: StrictStr
    region: StrictStr
    side: StrictStr
    value: StrictFloat
    at: StrictFloat


class PainOut(Part):
    event_id: StrictStr
    at: StrictFloat
    pain: StrictInt
    step: StrictInt | None
    source: StrictStr


class SessionOut(Part):
    id: StrictStr
    checkin_id: StrictStr | None
    created_at: AwareDatetime
    routine_id: StrictStr
    routine_version: StrictInt
    routine: dict[str, Any]
    plan: dict[str, Any]
    seed: StrictInt
    randomise_first_side: StrictBool
    status: Literal["planned", "running", "completed", "stopped", "abandoned"]
    ended_at: StrictFloat | None
    max_pain: StrictInt | None
    events: list[dict[str, Any]]
    assessment_values: list[AssessmentOut]
    pain_reports: list[PainOut]


class MorningOut(Part):
    session_id: StrictStr
    answered_at: AwareDatetime
    settled: StrictBool
    pain: StrictInt | None


class StopOut(Part):
    id: StrictStr
    checkin_id: StrictStr | None
    at: AwareDatetime
    urgency: StrictStr
    decision: dict[str, Any]


class NoteOut(Part):
    id: StrictStr
    session_id: StrictStr | None
    at: AwareDatetime
    text: StrictStr
    author_account_id: StrictStr | None = None
    """Who wrote it: the client or a coach (absent in exports made before notes had authors,
    and for notes written in personal mode)."""


class RoutineOut(Part):
    id: StrictStr
    routine_id: StrictStr
    file_name: StrictStr
    source: StrictStr
    added_at: AwareDatetime


class PrecautionsOut(Part):
    ids: list[StrictStr]
    confirmed_at: AwareDatetime


class PreferencesOut(Part):
    """The person's settings (issue 19 item 4), as ``Preferences.to_json`` writes them."""

    voice: StrictBool
    voice_name: StrictStr | None
    sound: StrictBool
    equipment: list[StrictStr]
    time_zone: StrictStr | None
    randomise_first_side: StrictBool
    reminder_days: list[StrictStr]
    reminder_time: StrictStr
    updated_at: AwareDatetime


class PsfsActivityOut(Part):
    """An activity the person named for the weekly PSFS (issue 20 item 2)."""

    id: StrictStr
    position: StrictInt
    text: StrictStr
    created_at: AwareDatetime
    updated_at: AwareDatetime


class PsfsScoreOut(Part):
    activity_id: StrictStr
    activity: StrictStr
    """The activity's words when it was rated."""
    score: StrictInt


class PsfsRatingOut(Part):
    """One week's PSFS rating."""

    id: StrictStr
    rated_at: AwareDatetime
    scores: list[PsfsScoreOut]


class ClearanceOut(Part):
    id: StrictStr
    flag_id: StrictStr
    cleared_on: StrictStr
    by: StrictStr | None
    recorded_at: AwareDatetime
    withdrawn_at: AwareDatetime | None


class ReviewOut(Part):
    id: StrictStr
    flag_id: StrictStr
    reviewed_on: StrictStr
    recorded_at: AwareDatetime
    withdrawn_at: AwareDatetime | None


class FindingOut(Part):
    """One examination's findings as recorded (issue 20 item 3): the provocation tests by
    slot (``domain.findings.SLOT_IDS``) and the Fortin finger sign."""

    id: StrictStr
    examined_on: StrictStr
    examiner: StrictStr | None
    results: dict[StrictStr, StrictStr]
    fortin: StrictStr
    fortin_side: StrictStr | None
    recorded_at: AwareDatetime
    recorded_by: StrictStr | None
    """The account that typed it in (clinic mode); None in personal mode."""
    recorded_by_name: StrictStr | None
    recorded_by_role: StrictStr | None


class AuditOut(Part):
    """A line of the audit log about the person's account (clinic mode only)."""

    at: AwareDatetime
    action: StrictStr
    actor_id: StrictStr | None
    actor_name: StrictStr | None
    """None for the command line or an account since deleted."""
    actor_role: StrictStr | None
    object: StrictStr | None
    address: StrictStr | None
    """Kept only on lines the person's own sign-ins (or tries on their name) wrote: another
    person's address is not theirs to take."""


class ExportDocument(Part):
    """Everything one person has in sirelief (format ``sirelief.export``, version 1)."""

    format: Literal["sirelief.export"]
    version: Literal[1]
    profile: ProfileOut
    checkins: list[CheckInOut]
    sessions: list[SessionOut]
    morning_answers: list[MorningOut]
    safety_stops: list[StopOut]
    notes: list[NoteOut]
    routines: list[RoutineOut]
    precautions: PrecautionsOut | None = None
    """The precaution answers (SPEC 5.3); absent from files made before they existed."""
    clearances: list[ClearanceOut] = []
    """Clinician clearances of "soon" flags (SPEC 5.2), withdrawn ones included."""
    reviews: list[ReviewOut] = []
    """Reviews recorded for review-level flags (SPEC 5.1), withdrawn ones included; absent
    from files made before they existed."""
    preferences: PreferencesOut | None = None
    """The person's settings; absent from files made before they existed (or before the
    person saved any). Calendar addresses are never exported: they are keys, not data."""
    psfs_activities: list[PsfsActivityOut] = []
    """The activities named for the weekly PSFS; absent from files made before it."""
    psfs_ratings: list[PsfsRatingOut] = []
    """The weekly PSFS ratings, each score with its activity's words then."""
    findings: list[FindingOut] = []
    """A clinician's findings, as recorded; absent from files made before they existed."""
    audit: list[AuditOut] = []
    """The audit log's lines about the person's account (sign-ins, who looked at their
    data). Exported for the person to read; an import never writes them (the log is the
    installation's record, and a file must not be able to forge it)."""
