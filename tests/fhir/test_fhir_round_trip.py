"""A demo history as a FHIR R4 Bundle: valid by HL7's schema and the library, and back whole."""

import base64
import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle

from sirelief.domain import findings
from sirelief.domain.checkin import CheckIn
from sirelief.domain.preferences import Preferences
from sirelief.services import Services, fhir_codes
from sirelief.services.demo import fill_demo
from sirelief.services.demo_person import PSFS_ACTIVITIES
from sirelief.services.fhir_export import build_bundle
from sirelief.services.fhir_import import read_bundle
from sirelief.settings import Settings
from sirelief.storage.transfer import export_document
from tests.clock import MovableClock
from tests.fhir.schema import resource_errors, schema_errors
from tests.storage.postgres_support import fresh_postgres_url, postgres_admin_engine

END = datetime(2026, 11, 18, tzinfo=UTC)
ROUTINE_FILES = Path(__file__).parents[2] / "src/sirelief/catalogue/routines"


def new_library(path: Path) -> Services:
    return Services(Settings(data_dir=path, database_url=None), MovableClock(END))


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Iterator[Services]:
    """Four weeks of demo history, plus settings, precautions and a routine file of one's own."""
    library = new_library(tmp_path_factory.mktemp("fhir-demo"))
    fill_demo(library, weeks=4, end=END)
    library.preferences.save(Preferences(reminder_days=(0, 3), reminder_time=time(18, 30)))
    library.safety.save_precautions(["head-down-risk"])
    text = (ROUTINE_FILES / "after-sitting.yaml").read_text(encoding="utf-8")
    text = text.replace("id: after-sitting", "id: my-after-sitting", 1)
    library.routines.add(library.routines.check_upload("mine.yaml", text.encode("utf-8")))
    add_psfs_and_findings(library)
    yield library
    library.close()


def add_psfs_and_findings(library: Services) -> None:
    """Two weekly PSFS ratings, an activity named later and never rated, one examination."""
    library.clock.set(END - timedelta(days=14))
    assert library.psfs.save_activities(["Sitting through a film", "Carrying the shopping"]).done
    first, second = library.psfs.activities()
    library.psfs.rate({f"score_{first.id}": "3", f"score_{second.id}": "6"})
    library.clock.set(END - timedelta(days=7))
    library.psfs.rate({f"score_{first.id}": "5", f"score_{second.id}": "6"})
    library.psfs.save_activities(["Sitting through a film", "Carrying the shopping", "Cycling"])
    library.clock.set(END)
    library.findings.record(
        date(2026, 11, 10), "Dr Rossi, letter of 11 Nov",
        {"distraction": "positive", "thigh-thrust-left": "positive",
         "thigh-thrust-right": "negative", "gaenslen-left": "not-done"},
        "yes", "left", None,
    )  # fmt: skip


@pytest.fixture(scope="module")
def bundle(demo: Services) -> dict:
    return json.loads(demo.data.export("fhir"))


def test_the_bundle_is_valid_by_the_official_r4_schema(bundle: dict) -> None:
    assert bundle["resourceType"] == "Bundle"
    assert bundle["type"] == "collection"
    assert schema_errors(bundle) == []


def test_the_schema_check_would_catch_a_broken_resource(bundle: dict) -> None:
    """The schema really looks inside the entries: a wrong status is found by place."""
    broken = {**bundle, "entry": bundle["entry"][:8]}
    broken["entry"] = json.loads(json.dumps(broken["entry"]))
    assert schema_errors(broken) == []
    index = next(i for i, e in enumerate(broken["entry"])
                 if e["resource"]["resourceType"] == "Observation")  # fmt: skip
    broken["entry"][index]["resource"]["status"] = "guessed"
    assert any(f"entry/{index}/resource" in error for error in schema_errors(broken))


def test_every_entry_is_valid_by_the_library(bundle: dict) -> None:
    Bundle.model_validate(bundle)
    for entry in bundle["entry"]:
        resource = entry["resource"]
        get_fhir_model_class(resource["resourceType"]).model_validate(resource)


def test_the_clinical_facts_use_the_standard_codes(demo: Services, bundle: dict) -> None:
    document = export_document(demo.store)
    resources = [entry["resource"] for entry in bundle["entry"]]
    kinds = [r["resourceType"] for r in resources]
    assert kinds.count("Patient") == 1
    assert kinds.count("Questionnaire") == 1
    assert kinds.count("QuestionnaireResponse") == len(document["checkins"])
    procedures = [r for r in resources if r["resourceType"] == "Procedure"]
    assert len(procedures) == len(document["sessions"])
    for procedure in procedures:
        assert procedure["code"]["coding"][0] == {
            "system": "http://snomed.info/sct", "code": "229065009",
            "display": "Exercise therapy (regime/therapy)",
        }  # fmt: skip
        assert "start" in procedure["performedPeriod"]
    observations = [r for r in resources if r["resourceType"] == "Observation"]
    pains = [o for o in observations if o["code"]["coding"][0]["code"] == "72514-3"]
    reports = sum(len(s["pain_reports"]) for s in document["sessions"])
    assert len(pains) == len(document["checkins"]) + reports
    assert all(0 <= o["valueInteger"] <= 10 for o in pains)
    ratings = [o for o in observations if o["code"]["coding"][0]["system"] == fhir_codes.MEASURES]
    sides = {o["bodySite"]["extension"][0]["valueCodeableConcept"]["coding"][0]["code"]
             for o in ratings}  # fmt: skip
    assert sides == {"7771000", "24028007"}
    distances = [o for o in ratings if o["code"]["coding"][0]["code"] == "knee_to_wall_cm"]
    assert distances
    assert all(o["valueQuantity"]["code"] == "cm" for o in distances)
    responses = [r for r in resources if r["resourceType"] == "QuestionnaireResponse"]
    assert {r["questionnaire"] for r in responses} == {f"{fhir_codes.QUESTIONNAIRE_URL}|1"}


def test_it_imports_into_an_empty_database_as_the_same_export(
    demo: Services, tmp_path: Path
) -> None:
    path = tmp_path / "bundle.json"
    path.write_bytes(demo.data.export("fhir"))
    fresh = new_library(tmp_path / "fresh")
    try:
        added = fresh.data.import_file(path)
        assert added["sessions"]
        assert added["routines"] == 1
        assert added["precautions"] == 1
        assert fresh.data.export("json") == demo.data.export("json")
        assert fresh.data.import_file(path) == dict.fromkeys(added, 0)  # nothing doubled
    finally:
        fresh.close()


def test_an_assigned_routine_is_a_care_plan_of_its_exercises(demo: Services) -> None:
    routine = demo.routines.get("after-sitting").routine
    bundle = build_bundle(export_document(demo.store), END, assigned=routine)
    document = json.loads(bundle.model_dump_json())
    plans = [e["resource"] for e in document["entry"]
             if e["resource"]["resourceType"] == "CarePlan"]  # fmt: skip
    assert resource_errors(plans[0]) == []
    assert len(plans) == 1
    assert plans[0]["status"] == "active"
    assert plans[0]["intent"] == "plan"
    assert plans[0]["title"] == routine.name
    activities = plans[0]["activity"]
    assert activities
    assert all(a["detail"]["description"] for a in activities)
    assert read_bundle(document)["sessions"]  # the CarePlan is no obstacle to an import


def test_the_knee_to_wall_angle_travels_like_any_other_measure(demo: Services) -> None:
    """The phone's angle (region ``knee_to_wall_deg``) is coded, valid and read back."""
    document = export_document(demo.store)
    session = next(s for s in document["sessions"] if s["assessment_values"])
    value = session["assessment_values"][0]
    session["assessment_values"].append({**value, "region": "knee_to_wall_deg", "value": 38.5})
    bundle = json.loads(build_bundle(document, END).model_dump_json())
    angles = [e["resource"] for e in bundle["entry"]
              if e["resource"]["resourceType"] == "Observation"
              and e["resource"]["code"]["coding"][0]["code"] == "knee_to_wall_deg"]  # fmt: skip
    assert [a["valueQuantity"]["code"] for a in angles] == ["deg"]
    assert resource_errors(angles[0]) == []
    back = next(s for s in read_bundle(bundle)["sessions"] if s["id"] == session["id"])
    assert {"region": "knee_to_wall_deg", "value": 38.5, "side": value["side"]}.items() <= next(
        v for v in back["assessment_values"] if v["region"] == "knee_to_wall_deg"
    ).items()


def test_psfs_ratings_and_findings_are_observations(demo: Services, bundle: dict) -> None:
    document = export_document(demo.store)
    observations = [e["resource"] for e in bundle["entry"]
                    if e["resource"]["resourceType"] == "Observation"]  # fmt: skip
    every_psfs = [o for o in observations if o["code"]["coding"][0]["code"] == "89196-0"]
    named = {o["id"]: [c["code"]["text"] for c in o["component"]] for o in every_psfs}
    demo_weeks = [o for o in every_psfs if named[o["id"]] == list(PSFS_ACTIVITIES)]
    psfs = [o for o in every_psfs if o not in demo_weeks]  # this file's two
    assert demo_weeks
    assert [o["code"]["text"] for o in psfs] == ["Patient-Specific Functional Scale"] * 2
    assert [[(c["code"]["text"], c["valueInteger"]) for c in o["component"]] for o in psfs] == [
        [("Sitting through a film", 3), ("Carrying the shopping", 6)],
        [("Sitting through a film", 5), ("Carrying the shopping", 6)],
    ]
    assert [o["valueQuantity"]["value"] for o in psfs] == [4.5, 5.5]
    rated = [fhir_codes.when(r["rated_at"]) for r in document["psfs_ratings"]]
    assert [o["effectiveDateTime"] for o in every_psfs] == rated
    (exam,) = [o for o in observations if o["code"]["coding"][0]["system"] == fhir_codes.FINDINGS]
    assert exam["effectiveDateTime"] == "2026-11-10"
    assert exam["performer"] == [{"display": "Dr Rossi, letter of 11 Nov"}]
    results = {c["code"]["coding"][0]["code"]: c["valueCodeableConcept"]["coding"][0]["code"]
               for c in exam["component"]}  # fmt: skip
    given = {"distraction": "positive", "thigh-thrust-left": "positive",
             "thigh-thrust-right": "negative", "fortin": "yes"}  # fmt: skip
    assert results.items() >= given.items()
    assert set(results) == {*findings.SLOT_IDS, "fortin"}
    assert "interpretation" not in exam
    for resource in [*every_psfs, exam]:
        assert resource_errors(resource) == []
    back = read_bundle(bundle)
    assert back["psfs_ratings"] == document["psfs_ratings"]
    assert back["findings"] == document["findings"]
    assert [a["text"] for a in back["psfs_activities"]][-1] == "Cycling"  # named, never rated


def test_who_recorded_the_findings_travels_with_them(demo: Services) -> None:
    """In clinic mode the account that typed the findings in is kept (an extension)."""
    document = export_document(demo.store)
    document["findings"][0].update(
        recorded_by="u-1", recorded_by_name="Ada Coach", recorded_by_role="coach",
        examiner=None, fortin_side=None, fortin="not-checked",
    )  # fmt: skip
    bundle = json.loads(build_bundle(document, END).model_dump_json())
    assert read_bundle(bundle)["findings"] == document["findings"]


def test_every_check_in_field_has_its_question() -> None:
    """A field without a question would be left out of the QuestionnaireResponse."""
    fields = set(CheckIn.model_fields)
    asked = {question.link_id for question in fhir_codes.CHECK_IN_QUESTIONS}
    assert fields <= asked
    assert asked - fields <= {"knee_to_wall_deg"}  # the phone's angle, coming (issue 20)


@pytest.fixture
def postgres_url() -> Iterator[str]:
    engine = postgres_admin_engine()
    try:
        yield from fresh_postgres_url(engine)
    finally:
        engine.dispose()


def test_it_imports_into_postgresql_and_exports_the_same_bundle(
    demo: Services, bundle: dict, postgres_url: str, tmp_path: Path
) -> None:
    """A clinic's database keeps JSON in its own key order: the same records, the same
    Bundle entries."""
    path = tmp_path / "bundle.json"
    path.write_bytes(demo.data.export("fhir"))
    clinic = Services(Settings(data_dir=tmp_path, database_url=postgres_url), MovableClock(END))
    try:
        clinic.data.import_file(path)
        assert json.loads(clinic.data.export("json")) == json.loads(demo.data.export("json"))
        again = json.loads(clinic.data.export("fhir"))
        assert _parsed(again["entry"]) == _parsed(bundle["entry"])
    finally:
        clinic.close()


def _parsed(entries: list[dict]) -> list[dict]:
    """Entries with their session records read as JSON (text whose key order may differ)."""
    out = json.loads(json.dumps(entries))
    for entry in out:
        for extension in entry["resource"].get("extension", []):
            if extension["url"] == fhir_codes.EXT_SESSION_RECORD:
                extension["valueString"] = json.loads(extension["valueString"])
        if entry["resource"]["resourceType"] == "Binary":
            entry["resource"]["data"] = json.loads(base64.b64decode(entry["resource"]["data"]))
    return out
