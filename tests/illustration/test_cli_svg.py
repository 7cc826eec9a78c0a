"""``sirelief exercises show ID --svg FILE``: the figure written to a file."""

import json
from pathlib import Path

import pytest

from sirelief.settings import Settings
from tests.cli.runner import run
from tests.illustration.svg_checks import SVG, parse


@pytest.fixture(autouse=True)
def _isolated(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")


def test_svg_defaults_to_the_animated_left_side(capsys, tmp_path: Path) -> None:
    path = tmp_path / "smash.svg"
    status, out, err = run(capsys, "exercises", "show", "kb-hip-flexor-smash", "--svg", str(path))
    assert status == 0, err
    assert str(path) in out
    assert "animated" in out
    root = parse(path.read_text(encoding="utf-8"))
    assert (root.attrib["data-side"], root.attrib["data-pose"]) == ("left", "animated")
    assert root.find(f"{SVG}style") is not None


def test_svg_side_and_pose(capsys, tmp_path: Path) -> None:
    path = tmp_path / "end.svg"
    status, out, _ = run(
        capsys, "exercises", "show", "kb-calf-smash",
        "--svg", str(path), "--side", "right", "--pose", "end",
    )  # fmt: skip
    assert status == 0
    assert "right side" in out
    root = parse(path.read_text(encoding="utf-8"))
    assert (root.attrib["data-side"], root.attrib["data-pose"]) == ("right", "end")


def test_svg_to_standard_output(capsys) -> None:
    status, out, _ = run(capsys, "exercises", "show", "foam-roll", "--svg", "-", "--pose", "start")
    assert status == 0
    assert parse(out).attrib["data-exercise"] == "foam-roll"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--svg", "x.svg", "--side", "middle"], "'middle' is not one of 'left', 'right'"),
        (["--svg", "x.svg", "--pose", "halfway"], "'halfway' is not one of"),
        (["--pose", "end"], "add --svg"),
        (["--svg", "/no/such/folder/x.svg"], "cannot write /no/such/folder/x.svg"),
    ],
)
def test_bad_svg_options_are_one_line(capsys, args, expected) -> None:
    status, out, err = run(capsys, "exercises", "show", "foam-roll", *args)
    assert status == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1, err
    assert err.startswith("error: ")
    assert expected in err


def test_show_json_includes_the_figure(capsys) -> None:
    status, out, _ = run(capsys, "exercises", "show", "wall-lean-ankle-stretch", "--json")
    assert status == 0
    figure = json.loads(out)["figure"]
    assert [k["name"] for k in figure["keyframes"]] == ["start", "end"]
    assert figure["props"][0]["item"] == "wall"
