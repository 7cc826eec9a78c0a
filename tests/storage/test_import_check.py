"""Hostile import files: each refused with the JSON path of the problem, nothing written."""

import copy
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from sirelief.domain.flag_records import CLEARANCE, REVIEW, RecordKind
from sirelief.services import ServiceError, Services
from sirelief.settings import Settings
from sirelief.storage.import_check import MAX_SHOWN
from sirelief.storage.safety_store import ROWS, SafetyStore
from sirelief.storage.schema import Base, ProfileRow
from sirelief.storage.transfer import export_json
from tests.cli.runner import run
from tests.clock import MovableClock
from tests.storage.test_transfer import fill

Doc = dict[str, Any]


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Doc:
    """A valid export: two sessions with events, values, pain reports, a morning answer,
    a note, a safety stop and a routine of the person's own."""
    folder = tmp_path_factory.mktemp("source")
    library = Services(Settings(data_dir=folder, database_url=None), MovableClock())
    fill(library, [(30, True, True), (8, False, True)])
    document = json.loads(export_json(library.store))
    library.close()
    return document


def rows_stored(library: Services) -> int:
    with library.database.read() as session:
        return sum(
            session.execute(select(func.count()).select_from(table)).scalar_one()
            for table in Base.metadata.sorted_tables
        )


def first_of_kind(document: Doc, kind: str) -> int:
    return next(i for i, e in enumerate(document["sessions"][0]["events"]) if e["kind"] == kind)


def _set(path: str, value: Any) -> Callable[[Doc], None]:
    """A change at a dotted path (numbers index lists)."""

    def change(document: Doc) -> None:
        *parents, last = [int(p) if p.isdigit() else p for p in path.split(".")]
        target = document
        for part in parents:
            target = target[part]
        if value is DELETE:
            del target[last]
        else:
            target[last] = value

    return change


DELETE = object()


def _duplicate_event(document: Doc) -> None:
    document["sessions"][1]["events"][0]["id"] = document["sessions"][0]["events"][0]["id"]


def _value_of_a_start_event(document: Doc) -> None:
    document["sessions"][0]["assessment_values"][0]["event_id"] = document["sessions"][0]["events"][
        0
    ]["id"]


def _same_ids(section: str) -> Callable[[Doc], None]:
    def change(document: Doc) -> None:
        document[section][1]["id"] = document[section][0]["id"]

    return change


def _flag_record_cases(kind: RecordKind, other_level_flag: str) -> list[tuple]:
    """What every clearance and review is checked for, in the words of its kind."""
    section, day, noun = f"{kind.noun}s", kind.date_field, kind.noun
    return [
        (f"{noun} of a {other_level_flag} flag", _set(f"{section}.0.flag_id", other_level_flag),
         f"{section}[0].flag_id", kind.not_recordable),
        (f"{noun} of an unknown flag", _set(f"{section}.1.flag_id", "x" * 500),
         f"{section}[1].flag_id", "unknown red flag '" + "x" * 40 + "'"),
        (f"{noun} dated as text", _set(f"{section}.0.{day}", "last week"),
         f"{section}[0].{day}", "YYYY-MM-DD"),
        (f"{noun} dated after it was recorded", _set(f"{section}.1.{day}", "2099-01-01"),
         f"{section}[1].{day}", f"after the {noun} was recorded"),
        (f"{noun} withdrawn before it was made",
         _set(f"{section}.0.withdrawn_at", "2000-01-01T00:00:00+00:00"),
         f"{section}[0].withdrawn_at", f"before the {noun} was recorded"),
        (f"{noun} id given twice", _same_ids(section), f"{section}[1].id", "used twice"),
        (f"{noun} id with a slash", _set(f"{section}.0.id", "../x"), f"{section}[0].id", ""),
    ]  # fmt: skip


CASES = [
    ("unknown event kind", _set("sessions.0.events.3.kind", "dance"),
     "sessions[0].events[3].kind", "input should be 'start'"),
    ("infinite time", _set("sessions.0.events.2.at", float("inf")),
     "sessions[0].events[2].at", "finite number"),
    ("not-a-number time", _set("sessions.1.events.0.at", float("nan")),
     "sessions[1].events[0].at", "finite number"),
    ("event id with a space", _set("sessions.0.events.1.id", "a b"),
     "sessions[0].events[1].id", "should match pattern"),
    ("event id too long", _set("sessions.0.events.1.id", "e" * 65),
     "sessions[0].events[1].id", "at most 64 characters"),
    ("event id in two sessions", _duplicate_event,
     "sessions[1].events[0].id", "is used twice (first at sessions[0].events[0].id)"),
    ("plan step without kind", _set("sessions.0.plan.steps.0.kind", DELETE),
     "sessions[0].plan.steps[0].kind", "is missing"),
    ("plan duration as text", _set("sessions.0.plan.steps.2.duration_s", "30"),
     "sessions[0].plan.steps[2].duration_s", "should be"),
    ("plan with an unknown key", _set("sessions.0.plan.colour", "red"),
     "sessions[0].plan.colour", "is not a field sirelief knows here"),
    ("plan of another routine", _set("sessions.0.plan.routine", "si-joint-stretches"),
     "sessions[0].plan.routine", "should be the session's routine_id"),
    ("routine copy broken", _set("sessions.0.routine.blocks", "none"),
     "sessions[0].routine.blocks", "input should be a valid"),
    ("check-in pain 11", _set("checkins.0.answers.pain", 11),
     "checkins[0].answers.pain", "less than or equal to 10"),
    ("check-in with an unknown key", _set("checkins.0.answers.mood", "ok"),
     "checkins[0].answers.mood", "extra inputs are not permitted"),
    ("session without check-in", _set("sessions.0.checkin_id", None),
     "sessions[0].checkin_id", "needs the check-in"),
    ("session with a missing check-in", _set("sessions.0.checkin_id", "nothere"),
     "sessions[0].checkin_id", "refers to check-in 'nothere'"),
    ("session id too long", _set("sessions.0.id", "s" * 33),
     "sessions[0].id", "use 1 to 32 letters"),
    ("seed beyond 32 bits", _set("sessions.0.seed", 2**40),
     "sessions[0].seed", "out of range"),
    ("ended_at infinite", _set("sessions.0.ended_at", float("inf")),
     "sessions[0].ended_at", "finite number"),
    ("value of a missing event", _set("sessions.0.assessment_values.0.event_id", "gone"),
     "sessions[0].assessment_values[0].event_id", "refers to event 'gone'"),
    ("value of a start event", _value_of_a_start_event,
     "sessions[0].assessment_values[0].event_id", "refers to a 'start' event"),
    ("rating 11", _set("sessions.0.assessment_values.0.value", 11.0),
     "sessions[0].assessment_values[0].value", "less than or equal to 10"),
    ("unknown region", _set("sessions.0.assessment_values.0.region", "neck"),
     "sessions[0].assessment_values[0].region", "input should be"),
    ("pain report from the wrong source", _set("sessions.0.pain_reports.0.source", "too_much"),
     "sessions[0].pain_reports[0].source", "should be 'assessment'"),
    ("pain report of 12", _set("sessions.0.pain_reports.0.pain", 12),
     "sessions[0].pain_reports[0].pain", "less than or equal to 10"),
    ("morning answer for no session", _set("morning_answers.0.session_id", "nope"),
     "morning_answers[0].session_id", "refers to session 'nope'"),
    ("morning pain 12", _set("morning_answers.0.pain", 12),
     "morning_answers[0].pain", "less than or equal to 10"),
    ("stop of unknown urgency", _set("safety_stops.0.decision.urgency", "whenever"),
     "safety_stops[0].decision.urgency", "input should be 'emergency'"),
    ("note of a missing session", _set("notes.0.session_id", "gone"),
     "notes[0].session_id", "refers to session 'gone'"),
    ("note time without zone", _set("notes.0.at", "2026-11-02T07:30:00"),
     "notes[0].at", "timezone"),
    ("routine that does not validate", _set("routines.0.source", "id: my-hips\n"),
     "routines[0].source", "my-hips.yaml:1"),
    ("routine with a built-in id", _set("routines.0.routine_id", "kettlebell-smash-reset"),
     "routines[0].routine_id", "a built-in routine's id"),
    ("profile name too long", _set("profile.name", "n" * 101),
     "profile.name", "1 to 100 characters"),
    ("lone surrogate in a note", _set("notes.0.text", "ok \ud800"),
     "notes[0].text", "unpaired surrogate"),
    ("NUL in a profile name", _set("profile.name", "me\x00"),
     "profile.name", "NUL"),
    ("unknown precaution", _set("precautions.ids.0", "cold-feet"),
     "precautions.ids[0]", "unknown precaution 'cold-feet'"),
    ("precaution listed twice", _set("precautions.ids.1", "clot-risk"),
     "precautions.ids[1]", "listed twice"),
    ("precautions without a time zone", _set("precautions.confirmed_at", "2026-11-02T07:30"),
     "precautions.confirmed_at", "timezone"),
    ("clearance by a very long name", _set("clearances.0.by", "x" * 121),
     "clearances[0].by", "1 to 120 characters"),
    ("review dated as a number", _set("reviews.0.reviewed_on", 20261102),
     "reviews[0].reviewed_on", "string"),
    ("review with an extra key", _set("reviews.0.by", "Dr Ng"), "reviews[0].by", ""),
    *_flag_record_cases(CLEARANCE, "saddle-numbness"),
    *_flag_record_cases(REVIEW, "weight-loss"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("change", "path", "message"), [case[1:] for case in CASES], ids=[case[0] for case in CASES]
)
def test_a_hostile_document_is_refused_at_its_place_and_nothing_is_written(
    exported: Doc, tmp_path: Path, change, path: str, message: str
) -> None:
    document = copy.deepcopy(exported)
    change(document)
    file = tmp_path / "hostile.json"
    file.write_text(json.dumps(document))  # non-finite numbers as Infinity / NaN
    library = Services(Settings(data_dir=tmp_path / "target", database_url=None), MovableClock())
    with pytest.raises(ServiceError) as refused:
        library.data.import_file(file)
    text = str(refused.value)
    assert "nothing was imported" in text
    line = next((line for line in text.splitlines() if f"{path}: " in line), None)
    assert line is not None, text
    assert message in line
    assert all(line.startswith("  ") for line in text.splitlines()[1:]), text
    assert rows_stored(library) == 0
    library.close()


def test_a_broken_assessment_step_is_refused_one_line_per_problem(
    exported: Doc, tmp_path: Path
) -> None:
    """Found by ``make fuzz``: Pydantic's message for the step's assessment came whole into
    the refusal, a dozen lines of its own, not one located problem per line."""
    document = copy.deepcopy(exported)
    steps = document["sessions"][0]["plan"]["steps"]
    index = next(i for i, step in enumerate(steps) if step.get("assessment"))
    steps[index]["assessment"]["ratings"] = [0, "neck"]
    file = tmp_path / "hostile.json"
    file.write_text(json.dumps(document))
    library = Services(Settings(data_dir=tmp_path / "target", database_url=None), MovableClock())
    with pytest.raises(ServiceError) as refused:
        library.data.import_file(file)
    lines = str(refused.value).splitlines()
    place = f"  sessions[0].plan.steps[{index}].assessment.ratings"
    assert lines[0].endswith("2 problems; nothing was imported:"), lines
    assert lines[1].startswith(f"{place}[0]: input should be"), lines
    assert lines[2].startswith(f"{place}[1]: input should be"), lines
    assert len(lines) == 3
    assert rows_stored(library) == 0
    library.close()


def test_the_message_shows_the_first_twelve_problems_and_counts_the_rest(
    exported: Doc, tmp_path: Path
) -> None:
    document = copy.deepcopy(exported)
    for event in document["sessions"][0]["events"][:20]:
        event["kind"] = "dance"
    file = tmp_path / "many.json"
    file.write_text(json.dumps(document))
    library = Services(Settings(data_dir=tmp_path / "target", database_url=None), MovableClock())
    with pytest.raises(ServiceError) as refused:
        library.data.import_file(file)
    lines = str(refused.value).splitlines()
    # 20 unknown kinds, plus the records that pointed at those events as assessments
    count = int(lines[0].split(": ")[-1].split(" problems")[0])
    assert count >= 20
    assert f"{count} problems; nothing was imported:" in lines[0]
    assert lines[1].strip().startswith("sessions[0].events[0].kind:")
    assert len(lines) == 1 + MAX_SHOWN + 1
    assert lines[-1].strip() == f"and {count - MAX_SHOWN} more"
    library.close()


def test_an_event_id_stored_in_another_session_refuses_the_import(
    exported: Doc, library: Services, tmp_path: Path
) -> None:
    """On SQLite and PostgreSQL: the id would otherwise be skipped as "already there"."""
    fill(library, [(3, None, False)], prefix="d")  # stores d0n0 .. d0n2 in its own session
    before = export_json(library.store)
    document = copy.deepcopy(exported)
    file = tmp_path / "export.json"
    file.write_text(json.dumps(document))
    with pytest.raises(ServiceError) as refused:
        library.data.import_file(file)
    assert "sessions[0].events[0].id: event id 'd0n0' is already stored in another session" in str(
        refused.value
    )
    assert export_json(library.store) == before


@pytest.mark.parametrize("text", ["\x00", "\ud800"])
def test_text_no_database_can_keep_is_refused_on_each_database(
    exported: Doc, library: Services, tmp_path: Path, text: str
) -> None:
    document = copy.deepcopy(exported)
    document["notes"][0]["text"] = f"felt ok{text}"
    file = tmp_path / "export.json"
    file.write_text(json.dumps(document))
    with pytest.raises(ServiceError, match=r"notes\[0\]\.text: contains a character"):
        library.data.import_file(file)
    assert rows_stored(library) == 0


def test_the_cli_refuses_with_exit_2_and_one_message(
    exported: Doc, settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = copy.deepcopy(exported)
    document["sessions"][1]["events"][2]["at"] = float("inf")
    file = tmp_path / "hostile.json"
    file.write_text(json.dumps(document))
    status, out, err = run(capsys, "import", str(file))
    assert status == 2
    assert out == ""
    assert err.startswith("error: ")
    assert "sessions[1].events[2].at: input should be a finite number" in err
    assert "Traceback" not in err
    library = Services(settings, MovableClock())
    assert rows_stored(library) == 0
    library.close()


def test_a_valid_export_still_imports(exported: Doc, tmp_path: Path) -> None:
    file = tmp_path / "export.json"
    file.write_text(json.dumps(exported))
    library = Services(Settings(data_dir=tmp_path / "target", database_url=None), MovableClock())
    added = library.data.import_file(file)
    assert added["sessions"] == 2
    assert json.loads(export_json(library.store)) == exported
    library.close()


def test_a_file_from_before_precautions_and_clearances_still_imports(
    exported: Doc, tmp_path: Path
) -> None:
    document = {k: v for k, v in exported.items()
                if k not in ("precautions", "clearances", "reviews")}  # fmt: skip
    file = tmp_path / "old.json"
    file.write_text(json.dumps(document))
    library = Services(Settings(data_dir=tmp_path / "target", database_url=None), MovableClock())
    added = library.data.import_file(file)
    assert (added["sessions"], added["precautions"], added["clearances"]) == (2, 0, 0)
    assert added["reviews"] == 0
    again = json.loads(export_json(library.store))
    assert (again["precautions"], again["clearances"], again["reviews"]) == (None, [], [])
    library.close()


def test_a_file_from_before_reviews_still_imports_its_clearances(
    exported: Doc, tmp_path: Path
) -> None:
    document = {k: v for k, v in exported.items() if k != "reviews"}
    file = tmp_path / "old.json"
    file.write_text(json.dumps(document))
    library = Services(Settings(data_dir=tmp_path / "target", database_url=None), MovableClock())
    added = library.data.import_file(file)
    assert (added["clearances"], added["reviews"]) == (2, 0)
    assert SafetyStore(library.store).records(REVIEW) == []
    library.close()


def test_only_newer_precaution_answers_replace_the_stored_ones(
    exported: Doc, tmp_path: Path
) -> None:
    library = Services(Settings(data_dir=tmp_path / "target", database_url=None), MovableClock())
    safety = SafetyStore(library.store)
    stored_at = datetime.fromisoformat(exported["precautions"]["confirmed_at"])
    safety.save_precautions(["pregnancy"], stored_at + timedelta(days=1))
    file = tmp_path / "export.json"
    file.write_text(json.dumps(exported))
    assert library.data.import_file(file)["precautions"] == 0
    assert safety.precautions().ids == ("pregnancy",)
    safety.save_precautions(["pregnancy"], stored_at - timedelta(days=1))
    assert library.data.import_file(file)["precautions"] == 1
    assert safety.precautions().ids == tuple(exported["precautions"]["ids"])
    library.close()


@pytest.mark.parametrize(("kind", "index"), [(CLEARANCE, 1), (REVIEW, 2)])
def test_a_record_id_of_another_profile_refuses_the_import(
    exported: Doc, library: Services, tmp_path: Path, kind: RecordKind, index: int
) -> None:
    """On SQLite and PostgreSQL: the record would otherwise be skipped as "already there"."""
    section = f"{kind.noun}s"
    taken = exported[section][index]["id"]
    with library.database.write() as session:
        session.add(ProfileRow(id="someone", name="Someone", created_at=datetime.now(UTC)))
        session.flush()
        session.add(ROWS[kind.noun](
            id=taken, profile_id="someone", flag_id=library.safety_rules.at(kind.level)[0].id,
            recorded_at=datetime.now(UTC), withdrawn_at=None, **{kind.date_field: "2026-01-02"},
        ))  # fmt: skip
    file = tmp_path / "export.json"
    file.write_text(json.dumps(exported))
    with pytest.raises(ServiceError) as refused:
        library.data.import_file(file)
    assert f"{section}[{index}].id: id '{taken}' already belongs to another profile" in str(
        refused.value
    )
    assert SafetyStore(library.store).records(kind) == []
