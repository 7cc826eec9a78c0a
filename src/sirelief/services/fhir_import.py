"""A FHIR Bundle made by ``sirelief export --format fhir``, read back into an export document.

Every entry is checked with the ``fhir.resources`` R4B model of its type first, then for
what sirelief reads (resource types, codes, ranges); each problem names the entry and the
field. The document it gives then goes through the same checks and single transaction as
a sirelief JSON import (``import_check``, ``transfer.import_document``), so a bad bundle
writes nothing.
"""

import base64
import binascii
import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from fhir.resources.R4B import get_fhir_model_class
from pydantic import ValidationError

from sirelief.services import fhir_codes as codes
from sirelief.services.fhir_export import PROCEDURE_STATUS, SESSION_RECORD_FIELDS
from sirelief.services.fhir_outcomes import read_findings, read_psfs
from sirelief.storage.export_format import EXPORT_FORMAT, EXPORT_VERSION, SessionOut
from sirelief.storage.import_check import ImportProblem, RefusedImportError

Json = dict[str, Any]
MAX_ENTRIES = 500_000
READ_TYPES = (
    "Patient",
    "Questionnaire",
    "QuestionnaireResponse",
    "Observation",
    "Procedure",
    "CarePlan",
    "Binary",
)
"""The resource types sirelief exports; any other is refused by name."""

ObservationReader = Callable[[dict, "BundleReader"], bool]
OBSERVATION_READERS: list[ObservationReader] = [read_psfs, read_findings]
"""Readers for further observation kinds (PSFS, findings): each gets the Observation's JSON
and the reader, and returns True when it took the Observation (see ``fhir_codes``)."""


def is_fhir(data: Any) -> bool:
    """A FHIR resource says what it is with ``resourceType``; a sirelief export does not."""
    return isinstance(data, dict) and "resourceType" in data


def read_bundle(data: Json) -> Json:
    """The sirelief export document the Bundle holds, or ``RefusedImportError``."""
    return BundleReader(data).run()


def _moment(text: Any) -> datetime | None:
    """A full FHIR dateTime with its time zone (what sirelief writes); None otherwise."""
    if not isinstance(text, str) or "T" not in text:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


class BundleReader:
    def __init__(self, data: Json) -> None:
        self.data = data
        self.problems: list[ImportProblem] = []
        self.profile: Json | None = None
        self.checkins: list[Json] = []
        self.sessions: dict[str, Json] = {}
        """Procedure fullUrl -> session."""
        self.records: Json | None = None
        self.answers: dict[str, Json] = {}
        """QuestionnaireResponse fullUrl -> the check-in's answers."""
        self.more: dict[str, list[Json]] = {"psfs_ratings": [], "findings": []}
        """What ``OBSERVATION_READERS`` read, by export section."""
        self.where = ""

    def add(self, field: str, message: str) -> None:
        self.problems.append(
            ImportProblem(f"{self.where}.{field}" if field else self.where, message)
        )

    def refuse(self, message: str) -> RefusedImportError:
        return RefusedImportError([ImportProblem("", message)])

    def run(self) -> Json:
        if self.data.get("resourceType") != "Bundle":
            raise self.refuse(
                f"a FHIR {str(self.data.get('resourceType'))[:40]!r} is not a "
                "Bundle: import the Bundle made by: sirelief export --format fhir"
            )
        entries = self.data.get("entry")
        if not isinstance(entries, list) or not entries:
            raise self.refuse("the Bundle has no entries: it holds no sirelief data")
        if len(entries) > MAX_ENTRIES:
            raise self.refuse(f"the Bundle has {len(entries)} entries; at most {MAX_ENTRIES}")
        observations: list[tuple[str, Json]] = []
        for index, entry in enumerate(entries):
            self.where = f"entry[{index}]"
            resource = self._resource(entry)
            if resource is None:
                continue
            self.where = f"entry[{index}] ({resource['resourceType']})"
            kind = resource["resourceType"]
            if kind == "Observation":
                observations.append((self.where, resource))
            elif kind == "Procedure":
                self._procedure(str(entry.get("fullUrl")), resource)
            elif kind == "QuestionnaireResponse":
                self._questionnaireresponse(str(entry.get("fullUrl")), resource)
            else:
                getattr(self, f"_{kind.lower()}")(resource)
        for where, resource in observations:
            self.where = where
            self._observation(resource)
        self.where = "Bundle"
        if self.profile is None:
            self.add("", "has no Patient entry: the person's profile is missing")
        if self.records is None:
            self.add("", f"has no Binary '{codes.RECORDS_BINARY_ID}' with the other records")
        if self.problems:
            raise RefusedImportError(self.problems)
        return self._document()

    def _resource(self, entry: Any) -> Json | None:
        if not isinstance(entry, dict) or not isinstance(entry.get("resource"), dict):
            self.add("resource", "is missing: each entry holds one resource")
            return None
        resource = entry["resource"]
        kind = resource.get("resourceType")
        if kind not in READ_TYPES:
            self.add(
                "resource.resourceType",
                f"{str(kind)[:40]!r} is not a resource sirelief "
                f"exports; it reads {', '.join(READ_TYPES)}",
            )
            return None
        try:
            get_fhir_model_class(kind).model_validate(resource)
        except ValidationError as error:
            self.where = f"{self.where} ({kind})"
            for item in error.errors(include_url=False)[:5]:
                field = ".".join(str(part) for part in item["loc"]) or "resource"
                self.add(field, item["msg"][:200])
            return None
        except (ValueError, TypeError, RecursionError) as error:
            self.add("resource", f"is not a valid FHIR {kind}: {str(error)[:200]}")
            return None
        return resource

    def _when(self, field: str, text: Any) -> datetime | None:
        """The moment in ``field``, or a problem naming it: sirelief writes every moment to
        the second (or finer) with its time zone."""
        moment = _moment(text)
        if moment is None:
            self.add(field, f"{str(text)[:40]!r} is not a date and time with a time zone")
        return moment

    def _iso(self, field: str, text: Any) -> str | None:
        moment = self._when(field, text)
        return None if moment is None else moment.isoformat().replace("+00:00", "Z")

    def _extension(self, resource: Json, url: str) -> Json | None:
        return next((e for e in resource.get("extension", []) if e.get("url") == url), None)

    def _identifier(self, identifiers: Any, kind: str) -> str | None:
        items = identifiers if isinstance(identifiers, list) else [identifiers or {}]
        system = f"{codes.ID_SYSTEM}/{kind}"
        value = next((i.get("value") for i in items if i.get("system") == system), None)
        if value is None:
            self.add("identifier", f"needs an identifier of system {system}")
        return value

    def _patient(self, resource: Json) -> None:
        if self.profile is not None:
            self.add("", "a second Patient: a bundle holds one person")
            return
        created = self._extension(resource, codes.EXT_PROFILE_CREATED)
        names = resource.get("name") or [{}]
        if created is None:
            self.add("extension", f"needs {codes.EXT_PROFILE_CREATED} (when the profile began)")
            return
        created_at = self._iso("extension.valueDateTime", created.get("valueDateTime"))
        self.profile = {
            "id": self._identifier(resource.get("identifier"), "profile"),
            "name": names[0].get("text", ""),
            "created_at": created_at,
        }

    def _questionnaire(self, resource: Json) -> None:
        if resource.get("url") != codes.QUESTIONNAIRE_URL:
            self.add("url", f"should be {codes.QUESTIONNAIRE_URL}, sirelief's check-in")

    def _careplan(self, resource: Json) -> None:
        """The assigned routine: informative only (the assignment is the clinic's record)."""

    def _binary(self, resource: Json) -> None:
        if resource.get("id") != codes.RECORDS_BINARY_ID:
            self.add("id", f"should be '{codes.RECORDS_BINARY_ID}'")
            return
        try:
            records = json.loads(base64.b64decode(resource.get("data", ""), validate=True))
        except (binascii.Error, ValueError, RecursionError):
            self.add("data", "is not base64 of a JSON object")
            return
        required = set(codes.RECORDS_SECTIONS) - set(codes.OPTIONAL_RECORDS)
        if not isinstance(records, dict) or not required <= set(records) <= set(
            codes.RECORDS_SECTIONS
        ):
            self.add("data", f"should be a JSON object with {', '.join(codes.RECORDS_SECTIONS)}")
            return
        self.records = records

    def _questionnaireresponse(self, full_url: str, resource: Json) -> None:
        if resource.get("questionnaire", "").split("|")[0] != codes.QUESTIONNAIRE_URL:
            self.add("questionnaire", f"should be {codes.QUESTIONNAIRE_URL}")
            return
        checkin_id = self._identifier(resource.get("identifier"), "check-in")
        answers = self._answers(resource.get("item", []), codes.questions_by_link(), "item")
        taken_at = self._iso("authored", resource.get("authored"))
        if checkin_id is None or answers is None or taken_at is None:
            return
        pain = answers.get("pain")
        if not isinstance(pain, int) or not 0 <= pain <= 10:
            self.add("item[pain]", f"pain should be a whole number 0 to 10, not {pain!r}")
            return
        self.answers[full_url] = answers
        self.checkins.append(
            {
                "id": checkin_id,
                "taken_at": taken_at,
                "pain": pain,
                "answers": answers,
            }
        )

    def _answers(self, items: list, questions: dict, field: str) -> Json | None:
        out: Json = {}
        for number, item in enumerate(items):
            link = item.get("linkId")
            place = f"{field}[{number}]"
            question = questions.get(link)
            if question is None:
                self.add(
                    f"{place}.linkId",
                    f"{str(link)[:40]!r} is not a question of the sirelief check-in",
                )
                return None
            key = link.rsplit(".", 1)[-1]
            if self._extension(item, codes.EXT_JSON_NULL) is not None:
                out[key] = None
            elif question.kind == "group":
                inner = self._answers(item.get("item", []), questions, f"{place}.item")
                if inner is None:
                    return None
                out[key] = inner
            else:
                values = [self._value(a, question.kind) for a in item.get("answer", [])]
                if any(v is _WRONG for v in values):
                    self.add(f"{place}.answer", f"{link} takes {question.kind} answers")
                    return None
                if not question.repeats and len(values) != 1:
                    self.add(f"{place}.answer", f"{link} takes exactly one answer")
                    return None
                out[key] = values if question.repeats else values[0]
        return out

    def _value(self, answer: Json, kind: str) -> Any:
        name = {
            "integer": "valueInteger",
            "decimal": "valueDecimal",
            "boolean": "valueBoolean",
        }.get(kind, "valueString")
        if name not in answer:
            return _WRONG
        return float(answer[name]) if kind == "decimal" else answer[name]

    def _procedure(self, full_url: str, resource: Json) -> None:
        session_id = self._identifier(resource.get("identifier"), "session")
        record = self._extension(resource, codes.EXT_SESSION_RECORD)
        if record is None:
            self.add(
                "extension", f"needs {codes.EXT_SESSION_RECORD} (the session's plan and events)"
            )
            return
        try:
            fields = json.loads(record.get("valueString", ""))
        except (ValueError, RecursionError):
            fields = None
        if not isinstance(fields, dict) or set(fields) != set(SESSION_RECORD_FIELDS):
            self.add(
                "extension.valueString",
                f"should be a JSON object with {', '.join(SESSION_RECORD_FIELDS)}",
            )
            return
        expected = PROCEDURE_STATUS.get(fields["status"])
        if resource.get("status") != expected:
            self.add("status", f"should be {expected!r} for a {fields['status']!r} session")
            return
        period = resource.get("performedPeriod") or {}
        start = self._iso("performedPeriod.start", period.get("start"))
        end = period.get("end")
        ended = None if end is None else self._when("performedPeriod.end", end)
        if session_id is None or start is None or (end is not None and ended is None):
            return
        self.sessions[full_url] = {
            "id": session_id,
            "created_at": start,
            "ended_at": None if ended is None else ended.timestamp(),
            **fields,
            "assessment_values": [],
            "pain_reports": [],
        }

    def _observation(self, resource: Json) -> None:
        if any(reader(resource, self) for reader in OBSERVATION_READERS):
            return
        coding = ((resource.get("code") or {}).get("coding") or [{}])[0]
        system, code = coding.get("system"), coding.get("code")
        if (system, code) == (codes.LOINC, codes.PAIN_CODE):
            measure, low, high = None, 0, 10
        elif system == codes.MEASURES and code in codes.MEASURES_BY_REGION:
            measure = codes.MEASURES_BY_REGION[code]
            low, high = measure.low, measure.high
        else:
            self.add(
                "code.coding[0]",
                f"{system}|{code} is not a code sirelief exports: pain "
                f"is {codes.LOINC}|{codes.PAIN_CODE}, measures are {codes.MEASURES}",
            )
            return
        value = self._observed(resource, measure)
        if value is None:
            return
        if not low <= value <= high:
            self.add("value", f"{value} is out of range ({low} to {high})")
            return
        side = None if measure is None else self._side(resource)
        if measure is not None and side is None:
            return
        parts = resource.get("partOf") or []
        if not parts:
            self._as_answered(resource, measure, side, value)
            return
        session = self.sessions.get(parts[0].get("reference"))
        if session is None:
            self.add("partOf", "refers to no session Procedure of this bundle")
            return
        event_id = self._identifier(resource.get("identifier"), "event")
        moment = self._when("effectiveDateTime", resource.get("effectiveDateTime"))
        if event_id is None or moment is None:
            return
        at = moment.timestamp()
        if measure is None:
            step = self._extension(resource, codes.EXT_PAIN_STEP)
            source = self._extension(resource, codes.EXT_PAIN_SOURCE) or {}
            session["pain_reports"].append(
                {
                    "event_id": event_id,
                    "at": at,
                    "pain": value,
                    "step": None if step is None else step.get("valueInteger"),
                    "source": source.get("valueCode", ""),
                }
            )
            return
        point = (self._extension(resource, codes.EXT_POINT) or {}).get("valueCode", "")
        value_row = {"event_id": event_id, "point": point, "region": measure.region}
        session["assessment_values"].append({**value_row, "side": side, "value": float(value),
                                             "at": at})  # fmt: skip

    def _as_answered(
        self, resource: Json, measure: codes.Measure | None, side: str | None, value: float
    ) -> None:
        """A check-in's value is derived from its answers (read from the response): it must
        say the same, or a clinic's system and sirelief would tell different stories."""
        sources = resource.get("derivedFrom") or [{}]
        answers = self.answers.get(sources[0].get("reference"))
        if answers is None:
            self.add("derivedFrom", "refers to no check-in QuestionnaireResponse of this bundle")
            return
        if measure is None:
            expected = answers.get("pain")
        else:
            tightness = answers.get("tightness") or {}
            group = tightness if measure.region in tightness else answers
            expected = (group.get(measure.region) or {}).get(side)
        if expected is None or float(expected) != float(value):
            self.add("value", f"{value} is not the check-in's answer ({expected})")

    def _observed(self, resource: Json, measure: codes.Measure | None) -> float | None:
        if measure is None or measure.whole:
            value = resource.get("valueInteger")
            if not isinstance(value, int):
                self.add("valueInteger", "is missing: a 0-10 rating is a whole number")
                return None
            return value
        quantity = resource.get("valueQuantity") or {}
        if quantity.get("code") != measure.unit or "value" not in quantity:
            self.add("valueQuantity", f"should be a value in {measure.unit} ({codes.UCUM})")
            return None
        return float(quantity["value"])

    def _side(self, resource: Json) -> str | None:
        site = resource.get("bodySite") or {}
        laterality = self._extension(site, codes.EXT_LATERALITY) or {}
        coding = ((laterality.get("valueCodeableConcept") or {}).get("coding") or [{}])[0]
        side = codes.SIDE_OF_LATERALITY.get(coding.get("code"))
        if coding.get("system") != codes.SNOMED or side is None:
            self.add(
                "bodySite.extension",
                f"needs {codes.EXT_LATERALITY} with SNOMED CT left (7771000) or right (24028007)",
            )
        return side

    def _document(self) -> Json:
        sessions = sorted(self.sessions.values(), key=lambda s: (s["created_at"], s["id"]))
        for session in sessions:
            session["assessment_values"].sort(
                key=lambda v: (v["at"], v["event_id"], v["region"], v["side"])
            )
            session["pain_reports"].sort(key=lambda r: (r["at"], r["event_id"]))
        return {
            "format": EXPORT_FORMAT,
            "version": EXPORT_VERSION,
            "profile": self.profile,
            "checkins": sorted(self.checkins, key=lambda c: (c["taken_at"], c["id"])),
            "sessions": [{k: s[k] for k in _SESSION_ORDER} for s in sessions],
            **(self.records or {}),
            "psfs_ratings": sorted(
                self.more["psfs_ratings"], key=lambda r: (r["rated_at"], r["id"])
            ),
            "findings": sorted(self.more["findings"], key=lambda f: (f["recorded_at"], f["id"])),
            "audit": [],
        }


_WRONG = object()
_SESSION_ORDER = tuple(SessionOut.model_fields)
"""A session's keys in the order ``sirelief export`` writes them (the round trip is exact)."""
