"""The five shipped routines: valid, and faithful to the source protocols."""

import jsonschema
import pytest

from sirelief.catalogue.loader import (
    SourceFile,
    builtin_files,
    check_routine_file,
    dump_routine,
    load_routines,
)
from sirelief.catalogue.yaml_source import parse_yaml
from sirelief.domain.catalogue import Catalogue
from sirelief.domain.routine import AssessmentStep, ChoiceStep, ExerciseStep, Routine, schema

BUILTIN_IDS = {
    "kettlebell-smash-reset", "si-joint-stretches", "morning-loosen-up", "after-sitting",
    "after-activity", "before-activity", "gentle-day",
}  # fmt: skip


@pytest.fixture(scope="module")
def routines(catalogue: Catalogue) -> dict[str, Routine]:
    return {r.id: r for r in load_routines(builtin_files("routines"), catalogue)}


def test_all_builtins_load_without_warnings(catalogue: Catalogue) -> None:
    for source in builtin_files("routines"):
        check = check_routine_file(source, catalogue)
        assert check.problems == [], check.problems
        assert check.ok
    assert {r.id for r in load_routines(builtin_files("routines"), catalogue)} == BUILTIN_IDS


def test_smash_reset_follows_spec_order(routines: dict[str, Routine]) -> None:
    """SPEC 2.1 with the baseline first (issue 15): nothing, not even the ankle work, comes
    before the check the session is measured against."""
    routine = routines["kettlebell-smash-reset"]
    ids = [block.id for block in routine.blocks]
    assert ids == ["baseline", "ankle-prep", "smash", "final-check", "stretch-menu", "activation"]
    baseline, ankle, smash, final, menu, activation = routine.blocks
    assert ankle.optional
    assert [s.exercise for s in ankle.steps] == [
        "wall-lean-ankle-stretch", "half-kneeling-ankle-mobilisation", "trx-assisted-squat",
    ]  # fmt: skip
    assert isinstance(baseline.steps[0], AssessmentStep)
    assert baseline.steps[0].assess == "baseline"
    assert smash.sides == "tighter_first"
    assert [s.exercise for s in smash.steps] == [
        "kb-hip-flexor-smash", "kb-adductor-smash", "kb-calf-smash",
    ]  # fmt: skip
    assert [s.assess for s in smash.between_sides] == ["mid"]
    assert final.steps[0].assess == "final"
    menu_step = menu.steps[0]
    assert isinstance(menu_step, ChoiceStep)
    assert [o.exercise for o in menu_step.options] == [
        "lunge-and-twist", "banded-glute-bridge", "inchworm-downward-dog", "banded-side-steps",
    ]  # fmt: skip
    assert activation.optional
    assert isinstance(activation.steps[0], ChoiceStep)


def test_stretch_routine_covers_spec_2_2(routines: dict[str, Routine]) -> None:
    routine = routines["si-joint-stretches"]
    used = {s.exercise for b in routine.blocks for s in b.steps if isinstance(s, ExerciseStep)}
    assert used == {
        "lower-trunk-rotation", "childs-pose-side-reach", "supine-adductor-strap", "foam-roll",
        "half-kneeling-hip-flexor", "supine-hamstring-strap", "figure-four-piriformis",
        "standing-side-bend",
    }  # fmt: skip


def test_context_routines_declare_their_moment(routines: dict[str, Routine]) -> None:
    assert routines["before-activity"].contexts == ["before_activity"]
    assert routines["morning-loosen-up"].contexts == ["morning"]
    assert routines["after-sitting"].contexts == ["after_sitting"]
    assert routines["after-activity"].contexts == ["after_activity"]


def test_schema_is_valid_and_accepts_every_builtin(catalogue: Catalogue) -> None:
    document = schema()
    jsonschema.Draft202012Validator.check_schema(document)
    validator = jsonschema.Draft202012Validator(document)
    for source in builtin_files("routines"):
        data = parse_yaml(source.text, source.name).data
        assert list(validator.iter_errors(data)) == [], source.name


def test_schema_describes_fields_by_the_docstrings_written_under_them() -> None:
    """Read when the schema is made, not as each model is defined (issue 21); an explicit
    description stays as written."""
    document = schema()
    routine = document["properties"]
    assert routine["contexts"]["description"] == "Moments this routine suits (SPEC 1)."
    assert routine["default_needs"]["description"].startswith("Kit that must be at hand")
    assert list(routine["contexts"]) == sorted(routine["contexts"])
    described = [
        name
        for definition in document["$defs"].values()
        for name, field in definition.get("properties", {}).items()
        if "description" in field
    ]
    assert len(described) >= 10


@pytest.mark.parametrize(
    "change",
    [
        ("hold_s", {"exercise": "figure-four-piriformis", "hold_s": 900}),
        ("extra key", {"exercise": "figure-four-piriformis", "holds": 30}),
        ("two kinds", {"exercise": "figure-four-piriformis", "assess": "final"}),
    ],
    ids=lambda change: change[0],
)
def test_schema_rejects_what_the_loader_rejects(change: tuple[str, dict]) -> None:
    data = {"id": "x-y", "name": "n", "summary": "s",
            "blocks": [{"id": "b1", "title": "t", "steps": [change[1]]}]}  # fmt: skip
    assert not jsonschema.Draft202012Validator(schema()).is_valid(data)


def test_dump_keeps_every_builtin_intact(catalogue: Catalogue, routines: dict[str, Routine]):
    for routine in routines.values():
        check = check_routine_file(SourceFile("again.yaml", dump_routine(routine)), catalogue)
        assert check.routine == routine
