"""The person's data as a FHIR R4 Bundle (type collection) a clinic's system can read.

Built from the same document as ``sirelief export`` (``transfer.export_document``) with the
``fhir.resources`` R4B models, so every resource is checked by the library as it is made.
The clinical facts use standard resources and codes (``fhir_codes``); what FHIR has no
element for travels in the app's own extensions and one Binary, so ``fhir_import`` can
give back exactly the same sirelief export.
"""

import base64
import json
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from fhir.resources.R4B.binary import Binary
from fhir.resources.R4B.bundle import Bundle, BundleEntry
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.procedure import Procedure
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from sirelief.domain.routine import Routine
from sirelief.services import fhir_codes as codes
from sirelief.services.fhir_careplan import care_plan
from sirelief.services.fhir_codes import resource_id, when
from sirelief.services.fhir_outcomes import findings_observations, psfs_observations

Json = dict[str, Any]
PROCEDURE_STATUS = {
    "planned": "preparation",
    "running": "in-progress",
    "completed": "completed",
    "stopped": "stopped",
    "abandoned": "stopped",
}
"""sirelief's session status to Procedure.status (the exact word is in the session record)."""


def instant(epoch: float) -> str:
    """A session time (seconds since 1970) as a FHIR dateTime, to the microsecond."""
    return datetime.fromtimestamp(epoch, UTC).isoformat().replace("+00:00", "Z")


def _identifier(kind: str, value: str) -> list[Json]:
    return [{"system": f"{codes.ID_SYSTEM}/{kind}", "value": value}]


def _patient(profile: Json) -> Patient:
    return Patient(
        id=resource_id("profile", profile["id"]),
        identifier=_identifier("profile", profile["id"]),
        name=[{"text": profile["name"]}],
        extension=[
            {"url": codes.EXT_PROFILE_CREATED, "valueDateTime": when(profile["created_at"])}
        ],
    )


def questionnaire() -> Questionnaire:
    """The check-in as the Questionnaire sirelief publishes (its canonical URL)."""

    def item(question: codes.Question) -> Json:
        out: Json = {"linkId": question.link_id, "text": question.text, "type": question.kind}
        if question.repeats:
            out["repeats"] = True
        if question.items:
            out["item"] = [item(child) for child in question.items]
        return out

    return Questionnaire(
        id="sirelief-check-in",
        url=codes.QUESTIONNAIRE_URL,
        version=codes.QUESTIONNAIRE_VERSION,
        name="SireliefCheckIn",
        title="sirelief check-in",
        status="active",
        subjectType=["Patient"],
        item=[item(question) for question in codes.CHECK_IN_QUESTIONS],
    )


def _answer(kind: str, value: Any) -> Json:
    if kind == "integer":
        return {"valueInteger": value}
    if kind == "decimal":
        return {"valueDecimal": value}
    if kind == "boolean":
        return {"valueBoolean": value}
    return {"valueString": value}


def _answer_items(answers: Json, questions: tuple[codes.Question, ...]) -> list[Json]:
    """The check-in's answers as QuestionnaireResponse items, in the Questionnaire's order."""
    items = []
    for question in questions:
        key = question.link_id.rsplit(".", 1)[-1]
        if key not in answers:
            continue
        value = answers[key]
        out: Json = {"linkId": question.link_id}
        if value is None:
            out["extension"] = [{"url": codes.EXT_JSON_NULL, "valueBoolean": True}]
        elif question.kind == "group":
            out["item"] = _answer_items(value, question.items)
        else:
            values = value if question.repeats else [value]
            if values:
                out["answer"] = [_answer(question.kind, v) for v in values]
        items.append(out)
    return items


def _check_in(checkin: Json, patient: str) -> QuestionnaireResponse:
    return QuestionnaireResponse(
        id=resource_id("check-in", checkin["id"]),
        identifier=_identifier("check-in", checkin["id"])[0],
        questionnaire=f"{codes.QUESTIONNAIRE_URL}|{codes.QUESTIONNAIRE_VERSION}",
        status="completed",
        subject={"reference": patient},
        authored=when(checkin["taken_at"]),
        item=_answer_items(checkin["answers"], codes.CHECK_IN_QUESTIONS),
    )


def _pain(value: int) -> Json:
    return {
        "code": {
            "coding": [
                {"system": codes.LOINC, "code": codes.PAIN_CODE, "display": codes.PAIN_DISPLAY}
            ],
            "text": "Pain 0-10",
        },
        "valueInteger": value,
    }


def _measure(region: str, side: str, value: float) -> Json:
    measure = codes.MEASURES_BY_REGION[region]
    laterality = codes.laterality(side)
    out: Json = {
        "code": {
            "coding": [{"system": codes.MEASURES, "code": region, "display": measure.display}],
            "text": measure.display,
        },
        "bodySite": {
            "coding": [
                {
                    "system": codes.BODY_SITES,
                    "code": measure.body_site,
                    "display": measure.body_site_display,
                }
            ],
            "text": f"{measure.body_site_display}, {side}",
            "extension": [laterality],
        },
    }
    if measure.whole:
        out["valueInteger"] = int(value)
    else:
        out["valueQuantity"] = {
            "value": value,
            "unit": measure.unit,
            "system": codes.UCUM,
            "code": measure.unit,
        }
    return out


def _observation(key: tuple[str, ...], patient: str, at: str, body: Json, **more) -> Observation:
    category = [{"coding": [{"system": codes.OBSERVATION_CATEGORY, "code": "survey"}]}]
    return Observation(
        id=resource_id(*key),
        status="final",
        category=category,
        subject={"reference": patient},
        effectiveDateTime=at,
        **body,
        **more,
    )


def _check_in_observations(checkin: Json, patient: str) -> list[Observation]:
    """The check-in's pain, tightness and knee-to-wall, each derived from its answers."""
    answers, taken = checkin["answers"], when(checkin["taken_at"])
    source = {"derivedFrom": [{"reference": f"urn:uuid:{resource_id('check-in', checkin['id'])}"}]}
    found = [
        _observation(
            ("check-in", checkin["id"], "pain"), patient, taken, _pain(answers["pain"]), **source
        )
    ]
    measured = {key: answers[key] for key in codes.MEASURES_BY_REGION if answers.get(key)}
    regions = {**answers.get("tightness", {}), **measured}
    for region, sides in regions.items():
        for side, value in (sides or {}).items():
            key = ("check-in", checkin["id"], region, side)
            found.append(_observation(key, patient, taken, _measure(region, side, value), **source))
    return found


def _session_observations(session: Json, patient: str, procedure: str) -> list[Observation]:
    """Each rating and pain report of a session, part of its Procedure."""
    found = []
    part_of = {"partOf": [{"reference": procedure}]}
    for value in session["assessment_values"]:
        key = ("event", value["event_id"], value["region"], value["side"])
        point = {"url": codes.EXT_POINT, "valueCode": value["point"]}
        found.append(
            _observation(
                key,
                patient,
                instant(value["at"]),
                _measure(value["region"], value["side"], value["value"]),
                identifier=_identifier("event", value["event_id"]),
                extension=[point],
                **part_of,
            )
        )
    for report in session["pain_reports"]:
        extension = [{"url": codes.EXT_PAIN_SOURCE, "valueCode": report["source"]}]
        if report["step"] is not None:
            extension.append({"url": codes.EXT_PAIN_STEP, "valueInteger": report["step"]})
        found.append(
            _observation(
                ("event", report["event_id"], "pain"),
                patient,
                instant(report["at"]),
                _pain(report["pain"]),
                identifier=_identifier("event", report["event_id"]),
                extension=extension,
                **part_of,
            )
        )
    return found


SESSION_RECORD_FIELDS = (
    "checkin_id",
    "routine_id",
    "routine_version",
    "routine",
    "plan",
    "seed",
    "randomise_first_side",
    "status",
    "max_pain",
    "events",
)
"""What of a session has no FHIR element and travels in its record extension."""


def _procedure(session: Json, patient: str) -> Procedure:
    record = {name: session[name] for name in SESSION_RECORD_FIELDS}
    period = {"start": when(session["created_at"])}
    if session["ended_at"] is not None:
        period["end"] = instant(session["ended_at"])
    code, display = codes.EXERCISE_THERAPY
    name = session["plan"].get("routine_name") or session["routine_id"]
    return Procedure(
        id=resource_id("session", session["id"]),
        identifier=_identifier("session", session["id"]),
        status=PROCEDURE_STATUS[session["status"]],
        code={
            "coding": [{"system": codes.SNOMED, "code": code, "display": display}],
            "text": f"Exercise session: {name}",
        },
        subject={"reference": patient},
        performedPeriod=period,
        extension=[{"url": codes.EXT_SESSION_RECORD, "valueString": _json(record)}],
    )


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _records(document: Json) -> Binary:
    records = {name: document.get(name, []) for name in codes.RECORDS_SECTIONS}
    return Binary(
        id=codes.RECORDS_BINARY_ID,
        contentType=codes.RECORDS_CONTENT_TYPE,
        data=base64.b64encode(_json(records).encode("utf-8")),
    )


ObservationBuilder = Callable[[Json, str], list[Observation]]
OBSERVATION_BUILDERS: list[ObservationBuilder] = [psfs_observations, findings_observations]
"""More observation kinds (PSFS, a clinician's findings: ``fhir_outcomes``): each builder
gets the export document and the Patient's reference and returns its Observations;
``fhir_import`` reads them back with the matching entry of ``OBSERVATION_READERS``."""


def build_bundle(document: Json, now: datetime, assigned: Routine | None = None) -> Bundle:
    """The Bundle of one person's export document (``transfer.export_document``)."""
    patient = _patient(document["profile"])
    reference = f"urn:uuid:{patient.id}"
    resources: list[Any] = [patient, questionnaire()]
    for checkin in document["checkins"]:
        resources.append(_check_in(checkin, reference))
        resources.extend(_check_in_observations(checkin, reference))
    for session in document["sessions"]:
        procedure = _procedure(session, reference)
        resources.append(procedure)
        resources.extend(_session_observations(session, reference, f"urn:uuid:{procedure.id}"))
    for builder in OBSERVATION_BUILDERS:
        resources.extend(builder(document, reference))
    if assigned is not None:
        resources.append(care_plan(assigned, reference, resource_id("routine", assigned.id)))
    resources.append(_records(document))
    entries = [BundleEntry(fullUrl=f"urn:uuid:{_uuid_of(r)}", resource=r) for r in resources]
    return Bundle(
        id=resource_id("bundle", document["profile"]["id"]),
        type="collection",
        timestamp=now.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        entry=entries,
    )


def _uuid_of(resource: Any) -> str:
    """The entry's fullUrl uuid: the resource id, or one made from it when it is a name."""
    try:
        return str(uuid.UUID(resource.id))
    except ValueError:
        return resource_id("resource", resource.id)


def bundle_json(bundle: Bundle) -> str:
    return bundle.model_dump_json(indent=1) + "\n"
