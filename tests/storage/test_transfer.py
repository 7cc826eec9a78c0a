"""Export and import: the person's data goes out whole and comes back without doubles."""

import csv
import io
import json
import tempfile
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sirelief.domain.findings import Examination, Recorder
from sirelief.domain.flag_records import CLEARANCE, REVIEW
from sirelief.services import ServiceError, Services
from sirelief.settings import Settings
from sirelief.storage.findings_store import FindingsStore
from sirelief.storage.safety_store import SafetyStore
from sirelief.storage.transfer import export_json
from tests.clock import MovableClock, at
from tests.storage import scripted

ROUTINE = """\
id: my-hips
name: My hips
summary: A short hip stretch.
version: 2
blocks:
  - id: stretch
    title: Stretch
    steps:
      - exercise: figure-four-piriformis
"""


def fill(library: Services, plan: list[tuple[int, bool | None, bool]], prefix: str = "d") -> None:
    """Sessions (events recorded, morning answer, a note), a stop and a routine.

    Event ids start with ``prefix``: two libraries meant to be merged need different ones.
    """
    sessions = library.sessions
    for day, (events, settled, note) in enumerate(plan):
        running = scripted.start(sessions, day=day, seed=day)
        for number in range(events):
            if running.state.ended is not None:
                break
            moment = 1000.0 + day * 86_400 + number * 3.5
            running.record(
                scripted.next_event(running, f"{prefix}{day}n{number}", moment, shift=day % 3)
            )
        when = scripted.START + timedelta(days=day, hours=22)
        if settled is not None:
            at(sessions, when).answer_morning(running.session_id, settled, day % 11)
        if note:
            library.session_log.add_note(f"day {day}: felt ok ✓ <b>", when, running.session_id)
    flagged = scripted.CHECKIN.model_copy(update={"red_flags": ["fever-unwell"]})
    at(sessions, scripted.START).start(flagged, None, scripted.PlanOptions())
    library.routine_store.save_routine("my-hips", "my-hips.yaml", ROUTINE, scripted.START, False)
    fill_safety(library)
    fill_psfs(library)


def fill_psfs(library: Services) -> None:
    """Two weekly PSFS ratings, with an activity renamed and one added between them."""
    psfs = at(library.psfs, scripted.START)
    psfs.save_activities(["Getting out of the car", "Walking 30 minutes"])
    ids = {a.text: a.id for a in psfs.activities()}
    psfs.rate({f"score_{ids['Getting out of the car']}": "3",
               f"score_{ids['Walking 30 minutes']}": "5"})  # fmt: skip
    at(psfs, scripted.START + timedelta(days=7)).save_activities(
        ["Getting into the car", "Walking 30 minutes", "Lifting a box"]
    )
    psfs.rate({f"score_{a.id}": str(4 + a.position) for a in psfs.activities()})


def fill_safety(library: Services) -> None:
    """Precaution answers, clearances (one withdrawn, one standing) and reviews (the
    inflammatory pattern standing, the 6-week review withdrawn)."""
    safety = SafetyStore(library.store)
    safety.save_precautions(["clot-risk", "head-down-risk"], scripted.START)
    day = scripted.START.date()
    safety.add_records(CLEARANCE, ["cancer-history"], day, "Dr Ng", scripted.START)
    safety.withdraw(CLEARANCE, "cancer-history", scripted.START + timedelta(days=1))
    safety.add_records(CLEARANCE, ["age-onset"], day, None, scripted.START + timedelta(days=2))
    safety.add_records(REVIEW, ["morning-stiffness", "second-half-night-waking"], day, None,
                       scripted.START + timedelta(days=3))  # fmt: skip
    safety.add_records(REVIEW, ["no-better-6-weeks"], day, None, scripted.START)
    safety.withdraw(REVIEW, "no-better-6-weeks", scripted.START + timedelta(days=4))
    fill_findings(library)


def fill_findings(library: Services) -> None:
    """Two examinations: one the person copied from a letter, one a coach recorded."""
    findings = FindingsStore(library.store)
    day = scripted.START.date()
    findings.add(Examination.build(
        "finding1", day - timedelta(days=9), scripted.START, day, "Dr Ng's letter ✓",
        {"thigh-thrust-left": "positive", "compression": "negative"}, "yes", "left", Recorder(),
    ))  # fmt: skip
    findings.add(Examination.build(
        "finding2", day, scripted.START + timedelta(hours=2), day, None,
        {"gaenslen-right": "positive"}, "not-checked", None,
        Recorder("a" * 32, "Cora Coach", "coach"),
    ))  # fmt: skip


def temporary_library(folder: Path) -> Services:
    return Services(Settings(data_dir=folder, database_url=None), MovableClock())


sessions_plan = st.lists(
    st.tuples(st.integers(0, 40), st.none() | st.booleans(), st.booleans()), max_size=3
)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plan=sessions_plan)
def test_export_import_export_is_identical(plan) -> None:
    with tempfile.TemporaryDirectory() as first_dir, tempfile.TemporaryDirectory() as second_dir:
        source, target = temporary_library(Path(first_dir)), temporary_library(Path(second_dir))
        fill(source, plan)
        exported = export_json(source.store)
        path = Path(first_dir) / "export.json"
        path.write_text(exported)
        target.data.import_file(path)
        assert export_json(target.store) == exported
        source.close()
        target.close()


def test_round_trip_and_no_doubles_on_each_database(library: Services, tmp_path: Path) -> None:
    """The same, on SQLite and PostgreSQL: into an empty database, then once more."""
    source = temporary_library(tmp_path / "source")
    fill(source, [(60, True, True), (12, False, False), (60, None, False)])
    path = tmp_path / "export.json"
    path.write_bytes(source.data.export("json"))
    assert "knee_to_wall_deg" in path.read_text()  # the third day measured the angle too
    added = library.data.import_file(path)
    assert added["sessions"] == 3
    assert added["events"] > 40
    assert (added["precautions"], added["clearances"], added["reviews"]) == (1, 2, 3)
    assert (added["psfs_activities"], added["psfs_ratings"]) == (3, 2)
    assert added["findings"] == 2
    assert export_json(library.store) == path.read_text()
    assert sum(library.data.import_file(path).values()) == 0
    assert export_json(library.store) == path.read_text()
    source.close()


def test_import_into_a_database_in_use_joins_that_persons_data(tmp_path: Path) -> None:
    old, new = temporary_library(tmp_path / "old"), temporary_library(tmp_path / "new")
    fill(old, [(60, True, False)])
    fill(new, [(10, None, True)], prefix="new")
    path = tmp_path / "old.json"
    path.write_bytes(old.data.export("json"))
    new.data.import_file(path)
    merged = json.loads(export_json(new.store))
    assert len(merged["sessions"]) == 2
    assert len(merged["safety_stops"]) == 2
    assert len(merged["routines"]) == 1  # the same routine id is not doubled
    assert merged["profile"]["id"] != json.loads(path.read_text())["profile"]["id"]
    old.close()
    new.close()


def test_csv_export_has_one_readable_table_per_kind(tmp_path: Path) -> None:
    library = temporary_library(tmp_path)
    fill(library, [(60, True, True)])
    archive = zipfile.ZipFile(io.BytesIO(library.data.export("csv")))
    names = sorted(Path(name).stem for name in archive.namelist())
    assert names == sorted(["profile", "checkins", "sessions", "events", "assessment_values",
                            "pain_reports", "morning_answers", "safety_stops", "notes",
                            "routines", "precautions", "clearances", "reviews",
                            "preferences", "psfs_activities", "psfs_ratings",
                            "findings", "audit"])  # fmt: skip
    values = list(csv.DictReader(io.StringIO(archive.read(
        "sirelief-export/assessment_values.csv").decode())))  # fmt: skip
    assert {"point": "baseline", "region": "hip", "side": "right", "value": "7.0"}.items() <= (
        next(v for v in values if v["region"] == "hip" and v["side"] == "right").items()
    )
    notes = list(csv.DictReader(io.StringIO(archive.read("sirelief-export/notes.csv").decode())))
    assert notes[0]["text"] == "day 0: felt ok ✓ <b>"
    precautions = list(csv.DictReader(io.StringIO(archive.read(
        "sirelief-export/precautions.csv").decode())))  # fmt: skip
    assert [row["precaution"] for row in precautions] == ["clot-risk", "head-down-risk"]
    clearances = list(csv.DictReader(io.StringIO(archive.read(
        "sirelief-export/clearances.csv").decode())))  # fmt: skip
    assert [(row["flag_id"], row["by"], bool(row["withdrawn_at"])) for row in clearances] == [
        ("cancer-history", "Dr Ng", True), ("age-onset", "", False)]  # fmt: skip
    DAY = scripted.START.date().isoformat()  # noqa: N806
    reviews = list(csv.DictReader(io.StringIO(archive.read(
        "sirelief-export/reviews.csv").decode())))  # fmt: skip
    assert sorted((r["flag_id"], r["reviewed_on"], bool(r["withdrawn_at"])) for r in reviews) == [
        ("morning-stiffness", DAY, False), ("no-better-6-weeks", DAY, True),
        ("second-half-night-waking", DAY, False)]  # fmt: skip
    psfs = list(csv.DictReader(io.StringIO(archive.read(
        "sirelief-export/psfs_ratings.csv").decode())))  # fmt: skip
    assert [(r["activity"], r["score"]) for r in psfs] == [
        ("Getting out of the car", "3"), ("Walking 30 minutes", "5"),
        ("Getting into the car", "5"), ("Walking 30 minutes", "6"),
        ("Lifting a box", "7")]  # fmt: skip
    library.close()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{", "not valid JSON at line 1, column 2"),
        ("[]", 'not a sirelief export: expected a JSON object with "format"'),
        ('{"format": "sirelief.export", "version": 9}', "version 9 is not supported"),
        ('{"format": "sirelief.export", "version": 1}', "profile: field required"),
    ],
)
def test_a_bad_import_file_is_refused_before_anything_is_written(
    tmp_path: Path, content: str, message: str
) -> None:
    library = temporary_library(tmp_path)
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(ServiceError, match=message) as error:
        library.data.import_file(path)
    assert "nothing was imported" in str(error.value)
    assert library.session_log.sessions() == []
    library.close()


def test_a_half_valid_import_writes_nothing(tmp_path: Path) -> None:
    source, target = temporary_library(tmp_path / "a"), temporary_library(tmp_path / "b")
    fill(source, [(20, True, True)])
    document = json.loads(export_json(source.store))
    document["notes"][0]["at"] = "yesterday"
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(document))
    with pytest.raises(ServiceError, match=r"notes\[0\]\.at: input should be a valid datetime"):
        target.data.import_file(path)
    assert target.session_log.sessions() == []
    source.close()
    target.close()


def test_a_notes_author_is_an_id_or_nothing(tmp_path: Path) -> None:
    source, target = temporary_library(tmp_path / "a"), temporary_library(tmp_path / "b")
    fill(source, [(3, None, True)])
    document = json.loads(export_json(source.store))
    document["notes"][0]["author_account_id"] = "../../etc"
    path = tmp_path / "authored.json"
    path.write_text(json.dumps(document))
    with pytest.raises(ServiceError, match=r"notes\[0\]\.author_account_id"):
        target.data.import_file(path)
    del document["notes"][0]["author_account_id"]  # an export from before authors
    path.write_text(json.dumps(document))
    assert target.data.import_file(path)["notes"] == 1
    source.close()
    target.close()
