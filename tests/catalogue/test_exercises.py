"""The shipped exercise catalogue: complete, consistent, and safe to show."""

import pytest

from sirelief.catalogue.loader import SourceFile, builtin_files, load_exercises
from sirelief.domain.catalogue import Catalogue, UnknownIdError
from sirelief.domain.dose import TimedDose
from sirelief.domain.problems import InvalidFileError

SPEC_IDS = {
    # SPEC 2.1: the smashes, the ankle block and the coach's stretch menu
    "kb-hip-flexor-smash", "kb-adductor-smash", "kb-calf-smash",
    "wall-lean-ankle-stretch", "half-kneeling-ankle-mobilisation", "trx-assisted-squat",
    "lunge-and-twist", "banded-glute-bridge", "inchworm-downward-dog", "banded-side-steps",
    # SPEC 2.2: warm-up, foam rolling, targeted stretches and their own-position alternatives
    "lower-trunk-rotation", "childs-pose-side-reach", "supine-adductor-strap", "foam-roll",
    "half-kneeling-hip-flexor", "supine-hamstring-strap", "figure-four-piriformis",
    "standing-side-bend", "seated-butterfly", "standing-lunge",
    # measurement
    "assessment-squat", "knee-to-wall-test",
}  # fmt: skip


def test_every_spec_exercise_is_in_the_catalogue(catalogue: Catalogue) -> None:
    assert set(catalogue.exercises) >= SPEC_IDS
    assert len(catalogue) >= 22


def test_smashes_are_timed_with_sub_step_cues(catalogue: Catalogue) -> None:
    for exercise_id in ("kb-hip-flexor-smash", "kb-adductor-smash", "kb-calf-smash"):
        dose = catalogue.exercise(exercise_id).dose
        assert isinstance(dose, TimedDose)
        assert dose.minutes_range == [2, 4]
        assert len(dose.cues) >= 3
        assert dose.cues[0].at_s == 0


def test_smashes_are_labelled_coach_practice(catalogue: Catalogue) -> None:
    """SPEC 3: no controlled study exists, so it must not look like proven treatment."""
    for exercise in catalogue.exercises.values():
        if exercise.category == "smash":
            assert exercise.evidence.level == "coach_practice"


def test_si_stretches_follow_the_clinic_dose(catalogue: Catalogue) -> None:
    for exercise in catalogue.exercises.values():
        if exercise.protocol == "si-joint-stretches" and exercise.dose.kind == "hold":
            assert 30 <= exercise.dose.hold_s <= 60
            assert exercise.dose.hold_s_range[1] >= 60
            assert exercise.laterality != "bilateral" or exercise.id == "seated-butterfly"


def test_no_hold_range_reaches_below_30_s(catalogue: Catalogue) -> None:
    """SPEC 5.7: a shorter stretch does little, so no range offers one."""
    holds = [e for e in catalogue.exercises.values() if e.dose.kind == "hold"]
    assert holds
    for exercise in holds:
        low = (exercise.dose.hold_s_range or [exercise.dose.hold_s])[0]
        assert low >= 30, exercise.id


def test_strap_stretches_fall_back_to_towel_then_hands(catalogue: Catalogue) -> None:
    hamstring = catalogue.exercise("supine-hamstring-strap")
    strap = next(need for need in hamstring.equipment if need.item == "strap")
    assert [alt.item for alt in strap.alternatives] == ["towel", "hands"]


def test_alternatives_with_their_own_position(catalogue: Catalogue) -> None:
    assert "seated-butterfly" in catalogue.exercise("supine-adductor-strap").alternatives
    assert "standing-lunge" in catalogue.exercise("half-kneeling-hip-flexor").alternatives
    assert catalogue.exercise("seated-butterfly").position == "seated"
    assert catalogue.exercise("standing-lunge").position == "standing"


def test_every_exercise_says_when_to_stop(catalogue: Catalogue) -> None:
    for exercise in catalogue.exercises.values():
        warning_text = " ".join(exercise.stop_signs).lower()
        assert "sharp" in warning_text or "pain" in warning_text, exercise.id


def test_rated_regions_follow_body_regions(catalogue: Catalogue) -> None:
    assert catalogue.exercise("kb-hip-flexor-smash").rated_regions == ("hip",)
    assert catalogue.exercise("kb-adductor-smash").rated_regions == ("hamstrings_adductors",)
    assert catalogue.exercise("kb-calf-smash").rated_regions == ("ankle",)


def test_filters(catalogue: Catalogue) -> None:
    strap_users = {e.id for e in catalogue.filter(equipment="strap")}
    assert {"supine-hamstring-strap", "supine-adductor-strap"} <= strap_users
    # a substitute is listed by what it uses itself, never under the kit it replaces
    assert "supine-hamstring-towel" not in strap_users
    assert "supine-hamstring-towel" in {e.id for e in catalogue.filter(equipment="towel")}
    assert "supine-hamstring-strap" not in {e.id for e in catalogue.filter(equipment="towel")}
    assert all(e.position == "prone" for e in catalogue.filter(position="prone"))
    hamstrings = catalogue.filter(region="hamstrings", position="supine")
    assert [e.id for e in hamstrings] == [
        "supine-hamstring-strap",
        "supine-hamstring-towel",
        "supine-hamstring-hands",
    ]


def test_unknown_exercise_suggests_close_ids(catalogue: Catalogue) -> None:
    with pytest.raises(UnknownIdError, match="did you mean kb-calf-smash"):
        catalogue.exercise("kb-calf-smosh")


def _sources_with(changes: dict[str, tuple[str, str]]) -> list[SourceFile]:
    sources = []
    for source in builtin_files("exercises"):
        text = source.text
        if source.name in changes:
            old, new = changes[source.name]
            assert old in text
            text = text.replace(old, new, 1)
        sources.append(SourceFile(source.name, text))
    return sources


def test_broken_exercise_files_are_all_reported_with_lines() -> None:
    sources = _sources_with({
        "exercises/kb-calf-smash.yaml": ("laterality: one_side", "laterality: sideways"),
        "exercises/foam-roll.yaml": ("position: ", "position: upside_down\nposture: "),
        "exercises/standing-lunge.yaml": ("id: standing-lunge", "id: standing-lunges"),
    })  # fmt: skip
    with pytest.raises(InvalidFileError) as raised:
        load_exercises(sources)
    problems = {(p.file, p.message.split(";")[0]) for p in raised.value.problems}
    assert (
        "exercises/kb-calf-smash.yaml",
        "laterality must be one of one_side, both_directions, bilateral",
    ) in problems
    assert any(
        f == "exercises/foam-roll.yaml" and "unknown field 'posture'" in m for f, m in problems
    )
    assert any(
        f == "exercises/standing-lunge.yaml" and "must match the file name" in m
        for f, m in problems
    )
    assert all(p.line > 0 for p in raised.value.problems)


def test_dangling_alternative_is_reported() -> None:
    sources = _sources_with({
        "exercises/seated-butterfly.yaml": (
            "alternatives: [supine-adductor-strap]",
            "alternatives: [supine-adductor-strap, frog-stretch]",
        ),
    })  # fmt: skip
    with pytest.raises(InvalidFileError, match="1 problem") as raised:
        load_exercises(sources)
    problem = raised.value.problems[0]
    assert "no exercise with id 'frog-stretch'" in problem.message
    butterfly = next(
        s for s in builtin_files("exercises") if s.name == "exercises/seated-butterfly.yaml"
    )
    line = butterfly.text.splitlines().index("alternatives: [supine-adductor-strap]") + 1
    assert line > 1
    assert (problem.file, problem.line) == ("exercises/seated-butterfly.yaml", line)


def _line_of(name: str, text: str) -> int:
    source = next(s for s in builtin_files("exercises") if s.name == name)
    return source.text.splitlines().index(text) + 1


def test_bad_equipment_substitutes_are_reported_with_file_and_line() -> None:
    """SPEC 5.8: each substitute exists, is not the original, lacks the missing item,
    needs only the alternative's item and has words of its own."""
    sources = _sources_with({
        "exercises/kb-calf-smash.yaml": (
            "exercise: roller-calf-release", "exercise: kb-calf-smash"),
        "exercises/kb-adductor-smash.yaml": (
            "exercise: roller-adductor-release", "exercise: roller-adductor-relese"),
        "exercises/foam-roll.yaml": (
            "exercise: hands-on-thigh-massage", "exercise: roller-calf-release"),
        "exercises/supine-hamstring-strap.yaml": (
            "exercise: supine-hamstring-hands", "exercise: supine-adductor-strap"),
        "exercises/roller-hip-flexor-release.yaml": (
            "name: Foam-roller hip-flexor release", "name: Kettlebell hip flexor smash"),
    })  # fmt: skip
    with pytest.raises(InvalidFileError) as raised:
        load_exercises(sources)
    found: dict[tuple[str, int], list[str]] = {}
    for p in raised.value.problems:
        found.setdefault((p.file, p.line), []).append(p.message)

    def at(name: str, line: str) -> str:
        return " | ".join(
            found[(f"exercises/{name}.yaml", _line_of(f"exercises/{name}.yaml", line))]
        )

    assert "cannot be its own substitute" in at(
        "kb-calf-smash", "        exercise: roller-calf-release"
    )
    assert "did you mean roller-adductor-release" in at(
        "kb-adductor-smash", "        exercise: roller-adductor-release"
    )
    roll = at("foam-roll", "        exercise: hands-on-thigh-massage")
    assert "uses a foam roller, the item it stands in for" in roll
    assert "works none of the regions of foam-roll" in roll
    strap = at("supine-hamstring-strap", "        exercise: supine-hamstring-hands")
    assert "supine-adductor-strap uses a strap" in strap
    hip = at("kb-hip-flexor-smash", "        exercise: roller-hip-flexor-release")
    assert "needs a name of its own" in hip
    assert "names a kettlebell" in hip


def test_optional_kit_takes_no_substitute() -> None:
    sources = _sources_with({
        "exercises/standing-lunge.yaml": (
            "    how: Stand beside a chair",
            "    alternatives:\n      - item: hands\n        exercise: standing-side-bend\n"
            "    how: Stand beside a chair",
        ),
    })  # fmt: skip
    with pytest.raises(InvalidFileError) as raised:
        load_exercises(sources)
    [problem] = [p for p in raised.value.problems if p.file == "exercises/standing-lunge.yaml"]
    assert problem.line == _line_of("exercises/standing-lunge.yaml", "  - item: chair")
    assert "chair is optional, so it needs no substitute" in problem.message
