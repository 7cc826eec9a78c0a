"""Hostile FHIR Bundles given to ``sirelief import``: a clear refusal naming the entry and
field, never a traceback, and nothing written."""

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import Phase, given, settings
from hypothesis import strategies as st

from sirelief.services import Services
from sirelief.services import personal_data as personal
from sirelief.services.demo import fill_demo
from sirelief.services.errors import ServiceError
from sirelief.settings import Settings
from tests.clock import MovableClock
from tests.fuzz import strategies as fuzz
from tests.fuzz.harness import Target

pytestmark = pytest.mark.fuzz
FUZZ = settings.get_profile("fuzz")
END = datetime(2026, 11, 18, tzinfo=UTC)


def _library(path: Path) -> Services:
    return Services(Settings(data_dir=path, database_url=None), MovableClock(END))


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> dict:
    """A real Bundle: two weeks of demo history."""
    library = _library(tmp_path_factory.mktemp("fhir-source"))
    try:
        fill_demo(library, weeks=2, end=END)
        return json.loads(library.data.export("fhir"))
    finally:
        library.close()


@pytest.fixture(scope="module")
def rich_bundle(tmp_path_factory) -> dict:
    """A Bundle with a weekly PSFS rating and a clinician's recorded findings."""
    library = _library(tmp_path_factory.mktemp("fhir-rich"))
    try:
        library.psfs.save_activities(["Sitting through a film", "Carrying the shopping"])
        first, second = library.psfs.activities()
        library.psfs.rate({f"score_{first.id}": "3", f"score_{second.id}": "6"})
        library.findings.record(date(2026, 11, 10), "Dr Rossi", {"distraction": "positive"},
                                "no", None, None)  # fmt: skip
        return json.loads(library.data.export("fhir"))
    finally:
        library.close()


@pytest.fixture
def empty(tmp_path: Path) -> Iterator[Services]:
    library = _library(tmp_path / "empty")
    yield library
    library.close()


def _first(bundle: dict, kind: str, code: str | None = None) -> int:
    for index, entry in enumerate(bundle["entry"]):
        resource = entry["resource"]
        if resource["resourceType"] != kind:
            continue
        if code is None or resource["code"]["coding"][0]["code"] == code:
            return index
    raise AssertionError(f"no {kind} {code or ''} in the bundle")


def _refusal(library: Services, tmp_path: Path, document: object) -> str:
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(document) if not isinstance(document, str) else document)
    with pytest.raises(ServiceError) as refused:
        library.data.import_file(path)
    assert library.data.is_empty()
    assert json.loads(library.data.export("json"))["checkins"] == []
    return str(refused.value)


def _changed(bundle: dict, change) -> dict:
    copy = json.loads(json.dumps(bundle))
    change(copy)
    return copy


def test_a_fhir_resource_that_is_not_a_bundle(empty, tmp_path, bundle) -> None:
    patient = bundle["entry"][0]["resource"]
    assert "'Patient' is not a Bundle" in _refusal(empty, tmp_path, patient)


def test_a_resource_type_sirelief_does_not_export(empty, tmp_path, bundle) -> None:
    medication = {"resource": {"resourceType": "Medication", "id": "m1"}}
    message = _refusal(empty, tmp_path, _changed(bundle, lambda b: b["entry"].append(medication)))
    assert f"entry[{len(bundle['entry'])}].resource.resourceType" in message
    assert "'Medication' is not a resource sirelief exports" in message


def test_a_code_sirelief_does_not_read(empty, tmp_path, bundle) -> None:
    index = _first(bundle, "Observation", "72514-3")

    def recode(b):
        b["entry"][index]["resource"]["code"]["coding"][0]["code"] = "8480-6"

    message = _refusal(empty, tmp_path, _changed(bundle, recode))
    assert f"entry[{index}] (Observation).code.coding[0]" in message
    assert "http://loinc.org|8480-6 is not a code sirelief exports" in message


@pytest.mark.parametrize(("code", "value", "field"), [
    ("72514-3", {"valueInteger": 11}, "value"),
    ("72514-3", {"valueInteger": -1}, "value"),
    ("hip", {"valueInteger": 12}, "value"),
    ("knee_to_wall_cm", {"valueQuantity": {"value": 99, "unit": "cm", "code": "cm",
                                           "system": "http://unitsofmeasure.org"}}, "value"),
    ("knee_to_wall_cm", {"valueQuantity": {"value": 9, "unit": "in", "code": "[in_i]",
                                           "system": "http://unitsofmeasure.org"}},
     "valueQuantity"),
    ("72514-3", {"valueString": "six"}, "valueInteger"),
])  # fmt: skip
def test_values_out_of_range_or_of_the_wrong_kind(
    empty, tmp_path, bundle, code, value, field
) -> None:
    index = _first(bundle, "Observation", code)

    def revalue(b):
        resource = b["entry"][index]["resource"]
        for name in ("valueInteger", "valueQuantity"):
            resource.pop(name, None)
        resource.update(value)

    message = _refusal(empty, tmp_path, _changed(bundle, revalue))
    assert f"entry[{index}] (Observation).{field}" in message


@pytest.mark.parametrize(("field", "value"), [
    ("status", "guessed"),
    ("performedPeriod", {"start": "yesterday"}),
    ("performedPeriod", {"start": "2026"}),
    ("performedPeriod", {"start": "2026-11-02T10:00:00Z", "end": "2026-11-02"}),
    ("subject", "the patient"),
])  # fmt: skip
def test_a_field_fhir_or_the_session_forbids(empty, tmp_path, bundle, field, value) -> None:
    index = _first(bundle, "Procedure")

    def spoil(b):
        b["entry"][index]["resource"][field] = value

    message = _refusal(empty, tmp_path, _changed(bundle, spoil))
    assert f"entry[{index}] (Procedure).{field}" in message


@pytest.mark.parametrize("code", ["72514-3", "hip", "knee_to_wall_cm"])
def test_a_check_in_value_that_is_not_what_was_answered(empty, tmp_path, bundle, code) -> None:
    """In range, but not the QuestionnaireResponse's answer: two stories, refused."""
    index = _first(bundle, "Observation", code)

    def other(b):
        resource = b["entry"][index]["resource"]
        if "valueQuantity" in resource:
            resource["valueQuantity"]["value"] = (resource["valueQuantity"]["value"] + 1) % 25
        else:
            resource["valueInteger"] = (resource["valueInteger"] + 1) % 11

    message = _refusal(empty, tmp_path, _changed(bundle, other))
    assert f"entry[{index}] (Observation).value:" in message
    assert "is not the check-in's answer" in message


def _psfs(bundle: dict) -> int:
    return _first(bundle, "Observation", "89196-0")


def test_a_psfs_score_past_ten(empty, tmp_path, rich_bundle) -> None:
    index = _psfs(rich_bundle)

    def eleven(b):
        b["entry"][index]["resource"]["component"][1]["valueInteger"] = 11

    message = _refusal(empty, tmp_path, _changed(rich_bundle, eleven))
    assert f"entry[{index}] (Observation).component[1].valueInteger" in message
    assert "must be from 0 to 10, not 11" in message


def test_more_psfs_activities_than_the_scale_has(empty, tmp_path, rich_bundle) -> None:
    index = _psfs(rich_bundle)

    def crowded(b):
        components = b["entry"][index]["resource"]["component"]
        components.extend(json.loads(json.dumps(components)))

    message = _refusal(empty, tmp_path, _changed(rich_bundle, crowded))
    assert f"entry[{index}] (Observation).component: has 4 activities; a PSFS rates 1 to 3" in (
        message
    )


def test_a_finding_with_a_result_word_sirelief_does_not_record(
    empty, tmp_path, rich_bundle
) -> None:
    index = _first(rich_bundle, "Observation", "si-provocation-examination")

    def unsure(b):
        component = b["entry"][index]["resource"]["component"][0]
        component["valueCodeableConcept"]["coding"][0]["code"] = "probably"

    message = _refusal(empty, tmp_path, _changed(rich_bundle, unsure))
    assert f"entry[{index}] (Observation).component[0].valueCodeableConcept" in message
    assert "'probably' is not a result: positive, negative, not-done" in message


def test_a_finding_without_its_date_or_fortin_sign(empty, tmp_path, rich_bundle) -> None:
    index = _first(rich_bundle, "Observation", "si-provocation-examination")

    def undated(b):
        resource = b["entry"][index]["resource"]
        resource["effectiveDateTime"] = "2026-11-10T09:00:00Z"
        resource["component"] = resource["component"][:-1]

    message = _refusal(empty, tmp_path, _changed(rich_bundle, undated))
    assert f"entry[{index}] (Observation).effectiveDateTime" in message
    assert "is not the examination's date" in message

    def no_fortin(b):
        b["entry"][index]["resource"]["component"].pop()

    message = _refusal(empty, tmp_path, _changed(rich_bundle, no_fortin))
    assert f"entry[{index}] (Observation).component: needs the Fortin finger sign" in message


def test_a_knee_to_wall_angle_past_the_apps_limit(empty, tmp_path, bundle) -> None:
    """FHIR takes the app's own angle range (``ANGLE_RANGE``), not a wider one of its own."""
    index = _first(bundle, "Observation", "knee_to_wall_cm")

    def steep(b):
        resource = b["entry"][index]["resource"]
        resource["code"]["coding"][0]["code"] = "knee_to_wall_deg"
        resource["valueQuantity"].update(value=75, unit="deg", code="deg")

    message = _refusal(empty, tmp_path, _changed(bundle, steep))
    assert f"entry[{index}] (Observation).value: 75.0 is out of range (0.0 to 60.0)" in message


def test_a_moment_without_its_time(empty, tmp_path, bundle) -> None:
    """A date alone is valid FHIR, but sirelief needs the moment a value was recorded."""
    index = _first(bundle, "Observation", "hip")
    while "partOf" not in bundle["entry"][index]["resource"]:
        index += 1

    def dated(b):
        b["entry"][index]["resource"]["effectiveDateTime"] = "2026-11"

    message = _refusal(empty, tmp_path, _changed(bundle, dated))
    assert (
        f"entry[{index}] (Observation).effectiveDateTime: '2026-11' is not a date and time"
        in message
    )


def test_a_wrong_side(empty, tmp_path, bundle) -> None:
    index = _first(bundle, "Observation", "ankle")

    def unsided(b):
        site = b["entry"][index]["resource"]["bodySite"]
        site["extension"][0]["valueCodeableConcept"]["coding"][0]["code"] = "51440002"

    message = _refusal(empty, tmp_path, _changed(bundle, unsided))
    assert f"entry[{index}] (Observation).bodySite.extension" in message


def test_a_check_in_answer_the_questionnaire_does_not_ask(empty, tmp_path, bundle) -> None:
    index = _first(bundle, "QuestionnaireResponse")

    def ask_more(b):
        b["entry"][index]["resource"]["item"].append(
            {"linkId": "favourite_colour", "answer": [{"valueString": "red"}]}
        )

    message = _refusal(empty, tmp_path, _changed(bundle, ask_more))
    assert f"entry[{index}] (QuestionnaireResponse).item[" in message
    assert "'favourite_colour' is not a question" in message


def test_a_bundle_without_its_records_or_patient(empty, tmp_path, bundle) -> None:
    def strip(b):
        b["entry"] = [e for e in b["entry"]
                      if e["resource"]["resourceType"] not in ("Binary", "Patient")]  # fmt: skip

    message = _refusal(empty, tmp_path, _changed(bundle, strip))
    assert "no Patient entry" in message
    assert "no Binary 'sirelief-records'" in message


@pytest.mark.parametrize("text", [
    '{"resourceType": "Bundle", "type": "collection", "entry": []}',
    '{"resourceType": "Bundle", "entry": "many"}',
    '{"resourceType": "Bundle", "entry": [1, null, "x"]}',
    '{"resourceType": "Bundle", "entry": [{"resource": {"resourceType": "Patient", '
    '"birthDate": "yesterday"}}]}',
    '{"resourceType": 7}',
    '{"resourceType": "Bundle", "entry": [' + '[' * 5000 + ']' * 5000 + ']}',
    '{"resourceType": "Bundle", "entry": [{"resource": ' + '{"a":' * 3000 + '1' + '}' * 3001
    + ']}',
])  # fmt: skip
def test_malformed_bundles(empty, tmp_path, text) -> None:
    assert _refusal(empty, tmp_path, text)


def test_a_huge_file_is_refused_before_it_is_read(empty, tmp_path, bundle, monkeypatch) -> None:
    monkeypatch.setattr(personal, "MAX_IMPORT_BYTES", 64 * 1024)
    assert "export files are at most 64 KB" in _refusal(empty, tmp_path, bundle)


@settings(FUZZ, phases=[Phase.explicit, Phase.generate])
@given(data=st.data())
def test_changed_bundles_through_the_cli(target: Target, bundle: dict, data) -> None:
    """A real Bundle with a few values changed: imported whole or refused in one message."""
    document = data.draw(fuzz.import_document(bundle))
    assert target.import_file(json.dumps(document, ensure_ascii=False)) == []
