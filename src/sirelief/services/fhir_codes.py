"""The codes and addresses of sirelief's FHIR R4 Bundle, shared by its export and import.

Standard codes are used where one exists (LOINC for the pain score, SNOMED CT for the
exercise session and for left/right); tightness and knee-to-wall have none, so they use
the app's own code system ``MEASURES`` (docs/fhir.md lists both kinds).

To add an observation kind (a new rating region, PSFS, a clinician's findings): add its
``Measure`` to ``MEASURES_BY_REGION`` (a value per region and side, read back into the
session's assessment values), or, for a kind with its own records, a builder in
``fhir_export.OBSERVATION_BUILDERS`` and its reader in ``fhir_import.OBSERVATION_READERS``.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sirelief.domain.inclinometer import ANGLE_RANGE

BASE = "https://sirelief.org/fhir"
MEASURES = f"{BASE}/CodeSystem/measures"
"""The app's own codes for what it measures and no standard names (tightness, knee-to-wall)."""
BODY_SITES = f"{BASE}/CodeSystem/body-sites"
ASSESSMENT_POINTS = f"{BASE}/CodeSystem/assessment-points"
QUESTIONNAIRE_URL = f"{BASE}/Questionnaire/check-in"
QUESTIONNAIRE_VERSION = "1"
ID_SYSTEM = f"{BASE}/id"
"""Identifier systems: ``{ID_SYSTEM}/profile``, ``/check-in``, ``/session``, ``/event``."""

EXT_PROFILE_CREATED = f"{BASE}/StructureDefinition/profile-created"
EXT_LATERALITY = f"{BASE}/StructureDefinition/laterality"
EXT_POINT = f"{BASE}/StructureDefinition/assessment-point"
EXT_PAIN_STEP = f"{BASE}/StructureDefinition/pain-report-step"
EXT_PAIN_SOURCE = f"{BASE}/StructureDefinition/pain-report-source"
EXT_SESSION_RECORD = f"{BASE}/StructureDefinition/session-record"
"""The session's own record (plan, routine as planned, timer events) as JSON text: FHIR
has no element for a timer's event log, and the import needs it to give the same export."""
EXT_PSFS_ACTIVITY = f"{BASE}/StructureDefinition/psfs-activity"
"""On a PSFS component: the id of the activity rated (its words are the code's text)."""
EXT_FORTIN_SIDE = f"{BASE}/StructureDefinition/fortin-side"
"""On the Fortin component: the side pointed to (left, right or both)."""
EXT_RECORDED_BY = f"{BASE}/StructureDefinition/recorded-by"
"""On findings: the account that typed them in (``account``, ``name``, ``role``)."""
FINDINGS = f"{BASE}/CodeSystem/findings"
"""The app's own codes for the recorded examination and its tests (no standard code we
could verify offline): ``si-provocation-examination``, each test slot id, ``fortin``."""
FINDINGS_CODE = "si-provocation-examination"
FINDINGS_TEXT = "SI joint provocation tests and Fortin finger sign, as recorded"
FINDING_RESULTS = f"{BASE}/CodeSystem/finding-results"
FORTIN_RESULTS = f"{BASE}/CodeSystem/fortin-results"
PSFS_CODE = "89196-0"
"""LOINC's patient-reported outcome measure panel: PSFS has no code of its own, so the code
goes without a display (not verified offline) and ``PSFS_TEXT`` says what it is."""
PSFS_TEXT = "Patient-Specific Functional Scale"
EXT_JSON_NULL = f"{BASE}/StructureDefinition/json-null"
"""On a QuestionnaireResponse item: the check-in held this field as null."""
RECORDS_BINARY_ID = "sirelief-records"
"""The Binary with the records FHIR has no resource for (morning answers, safety stops,
notes, your routine files, precautions, clearances, reviews, settings)."""
RECORDS_CONTENT_TYPE = "application/json"
OPTIONAL_RECORDS = ("psfs_activities",)
"""Sections a Binary made before they existed lacks; the import reads them as empty."""
RECORDS_SECTIONS = (
    "morning_answers",
    "safety_stops",
    "notes",
    "routines",
    "precautions",
    "clearances",
    "reviews",
    "preferences",
    "psfs_activities",
)

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
UCUM = "http://unitsofmeasure.org"

PAIN_CODE = "72514-3"
PAIN_DISPLAY = "Pain severity - 0-10 verbal numeric rating [Score] - Reported"
EXERCISE_THERAPY = ("229065009", "Exercise therapy (regime/therapy)")
LATERALITY = {
    "left": ("7771000", "Left (qualifier value)"),
    "right": ("24028007", "Right (qualifier value)"),
}
SIDE_OF_LATERALITY = {code: side for side, (code, _) in LATERALITY.items()}


def laterality(side: str) -> dict[str, Any]:
    """The laterality extension (SNOMED CT left or right)."""
    code, display = LATERALITY[side]
    return {
        "url": EXT_LATERALITY,
        "valueCodeableConcept": {"coding": [{"system": SNOMED, "code": code, "display": display}]},
    }


def resource_id(*parts: str) -> str:
    """A stable id (same data, same bytes): a UUID made from what the resource is."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "/".join((BASE, *parts))))


def when(text: str) -> str:
    """An export's date-time text as FHIR writes it."""
    return datetime.fromisoformat(text).isoformat().replace("+00:00", "Z")


@dataclass(frozen=True)
class Measure:
    """One kind of per-side value: how it is coded, where on the body, and its range."""

    region: str
    """The region word sirelief stores (``AssessmentRow.region``, check-in answers)."""
    display: str
    body_site: str
    body_site_display: str
    low: float
    high: float
    whole: bool
    """A 0-10 rating (valueInteger) rather than a measured quantity (valueQuantity)."""
    unit: str | None = None
    """UCUM unit of a quantity."""


MEASURES_BY_REGION: dict[str, Measure] = {
    m.region: m
    for m in (
        Measure("hip", "Hip tightness, 0-10 self-rating", "hip", "Hip", 0, 10, True),
        Measure(
            "hamstrings_adductors",
            "Hamstring and adductor tightness, 0-10 self-rating",
            "thigh",
            "Back and inner thigh",
            0,
            10,
            True,
        ),
        Measure("ankle", "Ankle tightness, 0-10 self-rating", "ankle", "Ankle", 0, 10, True),
        Measure(
            "knee_to_wall_cm",
            "Knee-to-wall distance, big toe to wall",
            "ankle",
            "Ankle",
            0,
            25,
            False,
            "cm",
        ),
        Measure(
            "knee_to_wall_deg",
            "Knee-to-wall shin angle from vertical (phone inclinometer)",
            "ankle",
            "Ankle",
            *ANGLE_RANGE,
            False,
            "deg",
        ),
    )
}
"""Every per-side measure. ``knee_to_wall_deg`` is the phone's angle (issue 20 item 1),
read and written like any other region; its range is the app's own (``ANGLE_RANGE``)."""


@dataclass(frozen=True)
class Question:
    """One item of the check-in Questionnaire; its ``link_id`` is the check-in field's path."""

    link_id: str
    text: str
    kind: str
    """FHIR item type: group, integer, decimal, string, boolean."""
    repeats: bool = False
    items: tuple["Question", ...] = ()


def _sides(parent: str, kind: str) -> tuple[Question, ...]:
    return tuple(Question(f"{parent}.{side}", side.capitalize(), kind) for side in LATERALITY)


CHECK_IN_QUESTIONS: tuple[Question, ...] = (
    Question("pain", "Pain now, 0 (none) to 10 (worst imaginable)", "integer"),
    Question(
        "tightness",
        "Tightness per region and side, 0-10",
        "group",
        items=tuple(
            Question(
                f"tightness.{region}",
                MEASURES_BY_REGION[region].display,
                "group",
                items=_sides(f"tightness.{region}", "integer"),
            )
            for region in ("hip", "hamstrings_adductors", "ankle")
        ),
    ),
    Question("red_flags", "Warning signs answered yes (ids)", "string", repeats=True),
    Question("minutes", "Minutes available for the session", "integer"),
    Question("equipment", "Equipment at hand (ids)", "string", repeats=True),
    Question("context", "When the session happens", "string"),
    Question("pain_side", "Side of the pain, when one-sided", "string"),
    Question(
        "knee_to_wall_cm",
        "Knee-to-wall distance in cm",
        "group",
        items=_sides("knee_to_wall_cm", "decimal"),
    ),
    Question(
        "knee_to_wall_deg",
        "Knee-to-wall shin angle in degrees",
        "group",
        items=_sides("knee_to_wall_deg", "decimal"),
    ),
    Question("next_activity", "What comes after the session", "string"),
    Question("precautions", "Precautions for this plan (ids)", "string", repeats=True),
)
"""The check-in's questions. A field added to ``CheckIn`` needs its question here (a test
compares them; the import refuses answers to questions it does not know)."""


def questions_by_link() -> dict[str, Question]:
    """Every question (groups' items too) by its link id."""
    found: dict[str, Question] = {}
    stack = list(CHECK_IN_QUESTIONS)
    while stack:
        question = stack.pop()
        found[question.link_id] = question
        stack.extend(question.items)
    return found
