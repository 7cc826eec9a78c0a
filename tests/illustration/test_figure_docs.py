"""docs/figures.md describes every figure field and angle with the range the code checks."""

from pathlib import Path

from sirelief.domain.figure import BODY_RANGES, LIMB_RANGES, Figure, Keyframe, Prop

DOC = (Path(__file__).parents[2] / "docs" / "figures.md").read_text(encoding="utf-8")


def test_every_angle_is_documented_with_its_range_and_meaning() -> None:
    for name, limit in {**BODY_RANGES, **LIMB_RANGES}.items():
        row = f"| `{name}` | {limit.low:g} to {limit.high:g} | {limit.meaning} |"
        assert row in DOC, row


def test_every_field_is_documented() -> None:
    for model in (Figure, Keyframe, Prop):
        for name in model.model_fields:
            assert f"`{name}`" in DOC, f"{model.__name__}.{name}"
