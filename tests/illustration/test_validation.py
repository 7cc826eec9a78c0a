"""Bad figures in exercise files: every problem reported with its file, line and a fix."""

import pytest

from sirelief.catalogue.loader import SourceFile, builtin_files, load_exercises
from sirelief.domain.figure import Figure, equipment_problems, resolve
from sirelief.domain.problems import InvalidFileError, Problem


def _load_with(name: str, old: str, new: str) -> list[Problem]:
    """Load the shipped catalogue with one exercise file edited; return its problems."""
    sources = []
    for source in builtin_files("exercises"):
        text = source.text
        if source.name == f"exercises/{name}.yaml":
            assert old in text, old
            text = text.replace(old, new, 1)
        sources.append(SourceFile(source.name, text))
    with pytest.raises(InvalidFileError) as raised:
        load_exercises(sources)
    return [p for p in raised.value.problems if p.file == f"exercises/{name}.yaml"]


def _line_of(name: str, text: str) -> int:
    source = next(s for s in builtin_files("exercises") if s.name == f"exercises/{name}.yaml")
    return next(i for i, line in enumerate(source.text.splitlines(), 1) if text in line)


def test_an_angle_out_of_human_range_names_the_field_its_range_and_line() -> None:
    line = "      near: {shoulder: 65, elbow: 15}"
    [problem] = _load_with("trx-assisted-squat", line, "      near: {shoulder: 65, elbow: 200}")
    assert problem.message == (
        "elbow must be between 0 and 150 degrees (elbow bend: 0 straight), got 200"
    )
    assert problem.line == _line_of("trx-assisted-squat", line)


def test_a_knee_cannot_bend_backwards() -> None:
    old = "      near: {knee: 95, ankle: -20}"
    [problem] = _load_with("kb-hip-flexor-smash", old, "      near: {knee: -30, ankle: -20}")
    assert problem.message.startswith("knee must be between 0 and 160 degrees")
    assert "got -30" in problem.message
    assert problem.line == _line_of("kb-hip-flexor-smash", old)


def test_an_unknown_prop_lists_the_known_ones() -> None:
    old = "    - item: wall\n      at: near.hand"
    [problem] = _load_with("wall-lean-ankle-stretch", old, "    - item: door\n      at: near.hand")
    assert problem.message.startswith("item must be one of kettlebell, mat, strap, towel")
    assert "got 'door'" in problem.message
    assert problem.line == _line_of("wall-lean-ankle-stretch", "    - item: wall")


def test_an_unknown_body_point_is_refused() -> None:
    old = "      at: near.calf"
    [problem] = _load_with("kb-calf-smash", old, "      at: near.shin")
    assert problem.message.startswith("at must be one of pelvis, belly, chest")
    assert "got 'near.shin'" in problem.message
    assert problem.line == _line_of("kb-calf-smash", old)


def test_equipment_the_exercise_needs_must_be_drawn() -> None:
    old = "  props:\n    - item: kettlebell\n      at: near.hip\n    - item: mat\n"
    problems = _load_with("kb-hip-flexor-smash", old, "  props:\n    - item: mat\n")
    [problem] = problems
    assert problem.message == (
        "kettlebell is in the exercise's equipment but not drawn: add '- item: kettlebell' "
        "with 'at: ...' under figure props"
    )
    assert problem.line == _line_of("kb-hip-flexor-smash", "  props:")


def test_a_prop_the_exercise_does_not_use_is_refused_on_its_own_line() -> None:
    old = "    - item: mat\n"
    problems = _load_with(
        "knee-to-wall-test", "      keyframe: end\n", "      keyframe: end\n" + old
    )
    [problem] = problems
    assert problem.message.startswith("mat is drawn but the exercise's equipment does not list it")
    source = next(
        s for s in builtin_files("exercises") if s.name.endswith("knee-to-wall-test.yaml")
    )
    assert problem.line == len(source.text.splitlines()) + 1


def test_a_highlight_must_be_a_region_the_exercise_works() -> None:
    old = "  highlight: [hamstrings]"
    [problem] = _load_with("foam-roll", old, "  highlight: [hamstrings, calf_ankle]")
    assert problem.message.startswith("highlight calf_ankle (calf & ankle) is not one of")
    assert problem.line == _line_of("foam-roll", old)


def test_keyframes_begin_with_start_and_finish_with_end() -> None:
    [problem] = _load_with("kb-calf-smash", "    - name: end\n", "    - name: finish\n")
    assert "must begin with one named 'start' and finish with one named 'end'" in problem.message
    assert "got start, finish" in problem.message


def test_a_mat_needs_no_point_and_a_band_goes_around_the_legs() -> None:
    base = {"caption": "x.", "keyframes": [{"name": "start"}, {"name": "end"}]}
    with pytest.raises(ValueError, match="a mat lies under the whole body: remove 'at'"):
        Figure.model_validate({**base, "props": [{"item": "mat", "at": "pelvis"}]})
    with pytest.raises(ValueError, match="a band goes around both legs"):
        Figure.model_validate({**base, "props": [{"item": "band", "at": "hands"}]})
    with pytest.raises(ValueError, match="kettlebell needs 'at'"):
        Figure.model_validate({**base, "props": [{"item": "kettlebell"}]})


def test_later_keyframes_carry_values_over() -> None:
    figure = Figure.model_validate({
        "caption": "x.",
        "keyframes": [
            {"name": "start", "trunk": -90, "near": {"hip": 40}},
            {"name": "middle", "far": {"knee": 30}},
            {"name": "end", "near": {"hip": 80}},
        ],
    })  # fmt: skip
    poses = resolve(figure)
    assert [(p.trunk, p.near.hip, p.far.knee) for p in poses] == [
        (-90, 40, 0),
        (-90, 40, 30),
        (-90, 80, 30),
    ]


def test_optional_equipment_may_be_left_out_of_the_drawing() -> None:
    figure = Figure.model_validate(
        {"caption": "x.", "keyframes": [{"name": "start"}, {"name": "end"}]}
    )
    assert equipment_problems(figure, [("mat", True), ("chair", True)], ["hip_flexors"]) == []
