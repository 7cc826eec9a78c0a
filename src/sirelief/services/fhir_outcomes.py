"""The weekly PSFS and a clinician's recorded findings as FHIR Observations (issue 20).

PSFS has no LOINC code of its own, so each week's rating uses the PROM panel code
(``PSFS_CODE``) with the scale's name as text, one component per activity and the mean as
the value. The SI provocation tests and the Fortin sign have no code we could verify, so
findings use the app's own code system ``FINDINGS``; they are carried as recorded, never
read into. Activities named but not yet rated travel in the records Binary.

``fhir_export`` calls the builders, ``fhir_import`` the readers; a reader gets the
Observation's JSON and the ``BundleReader`` and says whether the Observation was its kind.
"""

from datetime import date
from typing import Any

from fhir.resources.R4B.observation import Observation

from sirelief.domain.findings import (
    FORTIN_ANSWERS,
    FORTIN_SIDES,
    FORTIN_WORDS,
    RESULT_WORDS,
    RESULTS,
    SLOT_IDS,
    SLOTS,
)
from sirelief.domain.psfs import MAX_ACTIVITIES, psfs_score, score_problem
from sirelief.services import fhir_codes as codes

Json = dict[str, Any]
_SLOTS = {slot.id: slot for slot in SLOTS}


def _category(code: str) -> list[Json]:
    return [{"coding": [{"system": codes.OBSERVATION_CATEGORY, "code": code}]}]


def psfs_observations(document: Json, patient: str) -> list[Observation]:
    """Each weekly PSFS rating: a component per activity, the mean as the value."""
    found = []
    for rating in document.get("psfs_ratings", []):
        components = [
            {
                "extension": [{"url": codes.EXT_PSFS_ACTIVITY, "valueString": s["activity_id"]}],
                "code": {"text": s["activity"]},
                "valueInteger": s["score"],
            }
            for s in rating["scores"]
        ]
        mean = round(psfs_score(s["score"] for s in rating["scores"]), 2)
        found.append(
            Observation(
                id=codes.resource_id("psfs-rating", rating["id"]),
                identifier=[{"system": f"{codes.ID_SYSTEM}/psfs-rating", "value": rating["id"]}],
                status="final",
                category=_category("survey"),
                code={
                    "coding": [{"system": codes.LOINC, "code": codes.PSFS_CODE}],
                    "text": codes.PSFS_TEXT,
                },
                subject={"reference": patient},
                effectiveDateTime=codes.when(rating["rated_at"]),
                valueQuantity={
                    "value": mean,
                    "unit": "{score}",
                    "system": codes.UCUM,
                    "code": "{score}",
                },
                component=components,
            )
        )
    return found


def _result(system: str, code: str, words: str) -> Json:
    return {"valueCodeableConcept": {"coding": [{"system": system, "code": code}], "text": words}}


def findings_observations(document: Json, patient: str) -> list[Observation]:
    """One Observation per recorded examination: a component per test, then the Fortin sign."""
    found = []
    for record in document.get("findings", []):
        components = []
        for slot_id, result in record["results"].items():
            component = {
                "code": {
                    "coding": [{"system": codes.FINDINGS, "code": slot_id}],
                    "text": _SLOTS[slot_id].words,
                },
                **_result(codes.FINDING_RESULTS, result, RESULT_WORDS[result]),
            }
            side = _SLOTS[slot_id].side
            if side:
                component["extension"] = [codes.laterality(side)]
            components.append(component)
        fortin: Json = {
            "code": {
                "coding": [{"system": codes.FINDINGS, "code": "fortin"}],
                "text": "Fortin finger sign",
            },
            **_result(codes.FORTIN_RESULTS, record["fortin"], FORTIN_WORDS[record["fortin"]]),
        }
        if record["fortin_side"] is not None:
            fortin["extension"] = [
                {"url": codes.EXT_FORTIN_SIDE, "valueCode": record["fortin_side"]}
            ]
        components.append(fortin)
        recorder = [
            {"url": name, "valueString": record[f"recorded_by{suffix}"]}
            for name, suffix in (("account", ""), ("name", "_name"), ("role", "_role"))
            if record[f"recorded_by{suffix}"] is not None
        ]
        by = record["recorded_by_name"] or "the person"
        more: Json = {"note": [{"text": f"Recorded by {by}; shown as given, not interpreted."}]}
        if recorder:
            more["extension"] = [{"url": codes.EXT_RECORDED_BY, "extension": recorder}]
        if record["examiner"] is not None:
            more["performer"] = [{"display": record["examiner"]}]
        found.append(
            Observation(
                id=codes.resource_id("findings", record["id"]),
                identifier=[{"system": f"{codes.ID_SYSTEM}/findings", "value": record["id"]}],
                status="final",
                category=_category("exam"),
                code={
                    "coding": [
                        {
                            "system": codes.FINDINGS,
                            "code": codes.FINDINGS_CODE,
                            "display": codes.FINDINGS_TEXT,
                        }
                    ],
                    "text": codes.FINDINGS_TEXT,
                },
                subject={"reference": patient},
                effectiveDateTime=record["examined_on"],
                issued=codes.when(record["recorded_at"]),
                component=components,
                **more,
            )
        )
    return found


def _coding(resource: Json) -> tuple[Any, Any]:
    coding = ((resource.get("code") or {}).get("coding") or [{}])[0]
    return coding.get("system"), coding.get("code")


def read_psfs(resource: Json, reader) -> bool:
    if _coding(resource) != (codes.LOINC, codes.PSFS_CODE):
        return False
    rating_id = reader._identifier(resource.get("identifier"), "psfs-rating")
    rated_at = reader._iso("effectiveDateTime", resource.get("effectiveDateTime"))
    components = resource.get("component") or []
    if not 1 <= len(components) <= MAX_ACTIVITIES:
        reader.add(
            "component", f"has {len(components)} activities; a PSFS rates 1 to {MAX_ACTIVITIES}"
        )
        return True
    scores = []
    for number, component in enumerate(components):
        place = f"component[{number}]"
        activity = reader._extension(component, codes.EXT_PSFS_ACTIVITY) or {}
        text = (component.get("code") or {}).get("text")
        score = component.get("valueInteger")
        problem = score_problem(score)
        if problem:
            reader.add(f"{place}.valueInteger", f"the PSFS score {problem}")
        elif not activity.get("valueString") or not text:
            reader.add(
                place, f"needs the activity's words (code.text) and {codes.EXT_PSFS_ACTIVITY}"
            )
        else:
            scores.append(
                {"activity_id": activity["valueString"], "activity": text, "score": score}
            )
    if rating_id and rated_at and len(scores) == len(components):
        reader.more["psfs_ratings"].append(
            {"id": rating_id, "rated_at": rated_at, "scores": scores}
        )
    return True


def _is_date(text: Any) -> bool:
    """A calendar date as the app keeps it (YYYY-MM-DD), no time."""
    try:
        return isinstance(text, str) and date.fromisoformat(text).isoformat() == text
    except ValueError:
        return False


def read_findings(resource: Json, reader) -> bool:
    if _coding(resource) != (codes.FINDINGS, codes.FINDINGS_CODE):
        return False
    record_id = reader._identifier(resource.get("identifier"), "findings")
    recorded_at = reader._iso("issued", resource.get("issued"))
    examined_on = resource.get("effectiveDateTime")
    if not _is_date(examined_on):
        reader.add(
            "effectiveDateTime",
            f"{str(examined_on)[:40]!r} is not the examination's date (YYYY-MM-DD)",
        )
        return True
    results, fortin, fortin_side = {}, None, None
    for number, component in enumerate(resource.get("component") or []):
        place = f"component[{number}]"
        system, code = _coding(component)
        answer = ((component.get("valueCodeableConcept") or {}).get("coding") or [{}])[0]
        word = answer.get("code")
        if system != codes.FINDINGS or (code not in SLOT_IDS and code != "fortin"):
            reader.add(f"{place}.code", f"{str(code)[:40]!r} is not a test sirelief records")
        elif code == "fortin":
            if word not in FORTIN_ANSWERS:
                reader.add(
                    f"{place}.valueCodeableConcept",
                    f"{str(word)[:40]!r} is not a Fortin answer: {', '.join(FORTIN_ANSWERS)}",
                )
            fortin = word
            side = reader._extension(component, codes.EXT_FORTIN_SIDE)
            fortin_side = None if side is None else side.get("valueCode")
            if side is not None and fortin_side not in FORTIN_SIDES:
                reader.add(f"{place}.extension", f"the side is one of {', '.join(FORTIN_SIDES)}")
        elif word not in RESULTS:
            reader.add(
                f"{place}.valueCodeableConcept",
                f"{str(word)[:40]!r} is not a result: {', '.join(RESULTS)}",
            )
        else:
            results[code] = word
    if fortin is None:
        reader.add("component", "needs the Fortin finger sign (code fortin)")
    recorded_by = reader._extension(resource, codes.EXT_RECORDED_BY) or {}
    recorder = {e.get("url"): e.get("valueString") for e in recorded_by.get("extension", [])}
    if record_id and recorded_at and fortin is not None:
        reader.more["findings"].append(
            {
                "id": record_id,
                "examined_on": examined_on,
                "examiner": ((resource.get("performer") or [{}])[0]).get("display"),
                "results": results,
                "fortin": fortin,
                "fortin_side": fortin_side,
                "recorded_at": recorded_at,
                "recorded_by": recorder.get("account"),
                "recorded_by_name": recorder.get("name"),
                "recorded_by_role": recorder.get("role"),
            }
        )
    return True
