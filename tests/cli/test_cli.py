"""The command line, run in process through its real entry point."""

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from sirelief.services import Services
from sirelief.settings import Settings
from tests.cli.runner import run
from tests.clock import MovableClock

NOW = datetime(2026, 11, 22, 8, 0, tzinfo=UTC)

GOOD_ROUTINE = """\
id: my-hips
name: My hips
summary: Two stretches my physio gave me.
blocks:
  - id: stretch
    title: Stretch
    sides: both
    steps:
      - exercise: half-kneeling-hip-flexor
        hold_s: 45
      - exercise: figure-four-piriformis
"""


@pytest.fixture(autouse=True)
def _isolated(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")


def test_overview(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys)
    assert status == 0
    assert "38 exercises, 7 routines" in out
    assert "does not replace a clinician" in out


def test_exercises_list_shows_both_protocols(capsys, catalogue) -> None:
    status, out, _ = run(capsys, "exercises", "list")
    assert status == 0
    for exercise_id in catalogue.exercises:
        assert exercise_id in out


def test_exercises_list_json_filters(capsys) -> None:
    status, out, _ = run(capsys, "exercises", "list", "--equipment", "strap", "--json")
    document = json.loads(out)
    assert status == 0
    assert document["format"] == "sirelief.exercises.v1"
    ids = {e["id"] for e in document["exercises"]}
    assert {"supine-hamstring-strap", "supine-adductor-strap"} <= ids
    assert "kb-calf-smash" not in ids
    hamstring = next(e for e in document["exercises"] if e["id"] == "supine-hamstring-strap")
    assert hamstring["rated_regions"] == ["hamstrings_adductors"]


def test_exercises_show(capsys) -> None:
    status, out, _ = run(capsys, "exercises", "show", "kb-calf-smash")
    assert status == 0
    for heading in ("How to do it", "Timed cues", "Take care", "Stop if", "Evidence"):
        assert heading in out
    assert "without it: roller-calf-release (with foam roller)" in out


def test_a_substitute_is_listed_by_the_kit_it_uses_itself(capsys) -> None:
    """SPEC 5.8: the towel stretch uses a towel; the strap stretch does not."""
    status, out, _ = run(capsys, "exercises", "list", "--equipment", "towel", "--json")
    ids = {e["id"] for e in json.loads(out)["exercises"]}
    assert status == 0
    assert {"supine-hamstring-towel", "supine-adductor-towel"} <= ids
    assert not ids & {"supine-hamstring-strap", "supine-adductor-strap"}
    status, out, _ = run(capsys, "exercises", "list", "--equipment", "kettlebell", "--json")
    ids = {e["id"] for e in json.loads(out)["exercises"]}
    assert ids >= {"kb-hip-flexor-smash", "kb-adductor-smash", "kb-calf-smash"}
    assert not any(i.startswith("roller-") for i in ids)


def test_exercises_show_says_how_to_use_optional_kit(capsys) -> None:
    status, out, _ = run(capsys, "exercises", "show", "standing-lunge")
    assert status == 0
    assert "if you have it: Stand beside a chair" in " ".join(out.split())


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["exercises", "show", "kb-calf-smosh"], "no exercise with id 'kb-calf-smosh'; did you"),
        (["exercises", "list", "--region", "elbow"], "'elbow' is not one of"),
        (["routines", "show", "nope"], "no routine with id 'nope'"),
        (["exercises", "frobnicate"], "No such command"),
        (["routines", "add"], "Missing argument"),
    ],
)
def test_bad_input_is_one_line_and_status_2(capsys, args, expected) -> None:
    status, out, err = run(capsys, *args)
    assert status == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1, err
    assert err.startswith("error: ")
    assert expected in err
    assert "Traceback" not in err
    assert "Value error" not in err


def test_routines_show_prints_the_protocol_in_order(capsys) -> None:
    status, out, _ = run(capsys, "routines", "show", "kettlebell-smash-reset")
    assert status == 0
    order = [
        "Baseline assessment", "Ankle preparation", "On the tighter side:",
        "Kettlebell hip flexor smash", "Mid assessment", "Then the same on the other side:",
        "Final assessment", "Pick two stretches: choose 2 of", "Activation",
    ]  # fmt: skip
    positions = [out.index(text) for text in order]
    assert positions == sorted(positions)
    assert "3 min per side" in out
    assert "tighter side first, then the other side" in out
    assert "optional, priority 3" in out


def test_routines_show_json_is_a_valid_routine_file(capsys, tmp_path: Path) -> None:
    _, out, _ = run(capsys, "routines", "show", "after-sitting", "--json")
    path = tmp_path / "copy.json"
    path.write_text(out)
    status, out, _ = run(capsys, "routines", "check", str(path))
    assert status == 0
    assert "valid" in out


def test_check_reports_each_problem_on_one_line(capsys, tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(GOOD_ROUTINE.replace("hold_s: 45", "hold_s: 900").replace("id: my", "id: My"))
    status, out, _ = run(capsys, "routines", "check", str(path))
    assert status == 1
    lines = out.strip().splitlines()
    assert f"{path}:1: id must be a kebab-case id" in lines[0]
    assert lines[1] == f"{path}:10: hold_s must be between 5 and 300 seconds, got 900"
    assert lines[2] == f"failed {path}: 2 errors"


def test_check_json(capsys, tmp_path: Path) -> None:
    path = tmp_path / "ok.yaml"
    path.write_text(GOOD_ROUTINE.replace("hold_s: 45", "hold_s: 200"))
    status, out, _ = run(capsys, "routines", "check", "--json", str(path), str(tmp_path / "no"))
    document = json.loads(out)
    assert status == 1
    assert document["format"] == "sirelief.check.v1"
    first, missing = document["files"]
    assert first["valid"]
    assert first["problems"][0]["severity"] == "warning"
    assert not missing["valid"]
    assert "no such file" in missing["problems"][0]["message"]


def test_add_installs_beside_builtins(capsys, tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(GOOD_ROUTINE)
    status, out, _ = run(capsys, "routines", "add", str(path))
    assert status == 0
    assert "Added 'My hips'" in out
    stored = Services(settings, MovableClock()).routine_store.routines()
    assert [(r.routine_id, r.file_name, r.source) for r in stored] == [
        ("my-hips", "mine.yaml", GOOD_ROUTINE)
    ]

    _, out, _ = run(capsys, "routines", "list", "--json")
    listed = {e["routine"]["id"]: e["origin"] for e in json.loads(out)["routines"]}
    assert listed["my-hips"] == "yours"
    assert listed["kettlebell-smash-reset"] == "built-in"

    status, _, err = run(capsys, "routines", "add", str(path))
    assert status == 2
    assert "--replace" in err
    assert run(capsys, "routines", "add", "--replace", str(path))[0] == 0


def test_add_refuses_invalid_and_builtin_ids(capsys, tmp_path: Path, settings: Settings):
    bad = tmp_path / "bad.yaml"
    bad.write_text(GOOD_ROUTINE.replace("hold_s: 45", "hold_s: -1"))
    status, _, err = run(capsys, "routines", "add", str(bad))
    assert status == 2
    assert "hold_s must be between 5 and 300 seconds, got -1" in err
    clash = tmp_path / "clash.yaml"
    clash.write_text(GOOD_ROUTINE.replace("id: my-hips", "id: after-sitting"))
    status, _, err = run(capsys, "routines", "add", str(clash))
    assert status == 2
    assert "built-in" in err
    assert Services(settings, MovableClock()).routine_store.routines() == []


def test_list_warns_about_broken_user_files(capsys, settings: Settings) -> None:
    Services(settings, MovableClock()).routine_store.save_routine(
        "broken", "broken.yml", "id: [\n", NOW, replace=False
    )
    status, out, err = run(capsys, "routines", "list")
    assert status == 0
    assert "kettlebell-smash-reset" in out
    assert "warning: skipped" in err
    assert "broken.yml" in err


def test_schema_is_json(capsys) -> None:
    status, out, _ = run(capsys, "routines", "schema")
    assert status == 0
    assert json.loads(out)["title"] == "sirelief routine"


def test_every_command_has_help_with_an_example(capsys) -> None:
    for command in (["exercises", "list"], ["exercises", "show"], ["routines", "list"],
                    ["routines", "show"], ["routines", "check"], ["routines", "schema"],
                    ["routines", "add"]):  # fmt: skip
        status, out, _ = run(capsys, *command, "--help")
        assert status == 0, command
        assert "Example: sirelief" in out, command
