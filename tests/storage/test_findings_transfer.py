"""A clinician's findings go out in every export and come back whole (issue 20 item 3); a
hostile or damaged record is refused with its place and the fix, and nothing is written."""

import copy
import csv
import io
import json
import zipfile
from pathlib import Path

import pytest

from sirelief.services import ServiceError, Services
from sirelief.storage.transfer import export_json
from tests.storage.test_transfer import fill_findings, temporary_library


@pytest.fixture
def exported(tmp_path: Path) -> dict:
    source = temporary_library(tmp_path / "source")
    fill_findings(source)
    document = json.loads(export_json(source.store))
    source.close()
    return document


def import_into(library: Services, document: dict, folder: Path) -> dict[str, int]:
    path = folder / "findings.json"
    path.write_text(json.dumps(document))
    return library.data.import_file(path)


def test_findings_round_trip_with_who_recorded_them(exported: dict, tmp_path: Path) -> None:
    assert [f["id"] for f in exported["findings"]] == ["finding1", "finding2"]
    first = exported["findings"][0]
    assert first["results"]["thigh-thrust-left"] == "positive"
    assert (first["fortin"], first["fortin_side"], first["recorded_by"]) == ("yes", "left", None)
    assert exported["findings"][1]["recorded_by_name"] == "Cora Coach"
    target = temporary_library(tmp_path / "target")
    assert import_into(target, exported, tmp_path)["findings"] == 2
    assert json.loads(export_json(target.store))["findings"] == exported["findings"]
    assert import_into(target, exported, tmp_path)["findings"] == 0  # no doubles
    shown = target.findings.shown(None)
    assert [s.record.id for s in shown] == ["finding2", "finding1"]
    assert [s.by for s in shown] == ["Cora Coach (coach)", "you"]
    target.close()


def test_an_export_from_before_findings_still_imports(exported: dict, tmp_path: Path) -> None:
    older = {k: v for k, v in exported.items() if k != "findings"}
    target = temporary_library(tmp_path / "target")
    assert import_into(target, older, tmp_path)["findings"] == 0
    target.close()


def test_the_csv_export_has_the_findings(tmp_path: Path) -> None:
    library = temporary_library(tmp_path)
    fill_findings(library)
    archive = zipfile.ZipFile(io.BytesIO(library.data.export("csv")))
    rows = list(csv.DictReader(io.StringIO(archive.read(
        "sirelief-export/findings.csv").decode())))  # fmt: skip
    assert [row["examiner"] for row in rows] == ["Dr Ng's letter ✓", ""]
    assert json.loads(rows[1]["results"])["gaenslen-right"] == "positive"
    library.close()


HOSTILE = [
    (lambda f: f["results"].update({"compression": "probably"}),
     r"findings\[0\]\.results\[\"compression\"\]|findings\[0\]\.results\.compression: "
     r"Compression test: choose positive"),
    (lambda f: f["results"].update({"slump": "positive"}), r"'slump' is not one of the tests"),
    (lambda f: f["results"].pop("distraction"), r"findings\[0\]\.results: has no result for "
     "distraction"),
    (lambda f: f.update(examined_on="2999-01-01"), r"findings\[0\]\.examined_on: The "
     "examination date is after it was recorded"),
    (lambda f: f.update(examined_on="last week"), r"examined_on: should be a date"),
    (lambda f: f.update(fortin="yes", fortin_side=None), r"findings\[0\]\.fortin_side: Say "
     "which side"),
    (lambda f: f.update(fortin="no", fortin_side="left"), r"fortin_side: A side goes with"),
    (lambda f: f.update(examiner="x" * 201), r"findings\[0\]\.examiner: Examiner or source: "
     "at most 200"),
    (lambda f: f.update(recorded_by="../../etc"), r"findings\[0\]\.recorded_by: '../../etc' "
     "is not a usable id"),
    (lambda f: f.update(recorded_by_role="root"), r"recorded_by_role: should be one of"),
    (lambda f: f.update(recorded_by_name=""), r"recorded_by_name: should be 1 to 120"),
    (lambda f: f.update(id="no spaces allowed"), r"findings\[0\]\.id: 'no spaces allowed' "
     "is not a usable id"),
    (lambda f: f.update(results=["positive"]), r"findings\[0\]\.results: input should be a "
     "valid dictionary"),
    (lambda f: f.update(examiner="Dr \u0000X"), r"findings\[0\]\.examiner: "),
    (lambda f: f.update(verdict="SI joint"), r"findings\[0\]\.verdict: extra inputs are not "
     "permitted"),
]  # fmt: skip


@pytest.mark.parametrize(("change", "message"), HOSTILE)
def test_a_hostile_finding_is_refused_by_place(
    exported: dict, tmp_path: Path, change, message: str
) -> None:
    document = copy.deepcopy(exported)
    change(document["findings"][0])
    target = temporary_library(tmp_path / "target")
    with pytest.raises(ServiceError, match=message) as refused:
        import_into(target, document, tmp_path)
    assert "nothing was imported" in str(refused.value)
    assert target.findings.records() == []
    target.close()


def test_two_findings_with_one_id_are_refused(exported: dict, tmp_path: Path) -> None:
    document = copy.deepcopy(exported)
    document["findings"][1]["id"] = "finding1"
    target = temporary_library(tmp_path / "target")
    with pytest.raises(ServiceError, match=r"findings\[1\]\.id: findings id 'finding1' is "
                       "used twice"):  # fmt: skip
        import_into(target, document, tmp_path)
    target.close()
