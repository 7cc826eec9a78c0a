"""Any valid figure renders inside its view box, mirrored, whatever the angles and props."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sirelief.domain.catalogue import Catalogue
from sirelief.domain.figure import BODY_RANGES, LIMB_RANGES, Figure
from sirelief.illustration import figure_layout, render_figure
from tests.illustration.svg_checks import drawn_points, parse, view_box


def _angles(ranges) -> st.SearchStrategy[dict]:
    return st.fixed_dictionaries(
        {},
        optional={
            name: st.floats(limit.low, limit.high, allow_nan=False).map(lambda v: round(v, 1))
            for name, limit in ranges.items()
        },
    )


def _keyframe(name: str) -> st.SearchStrategy[dict]:
    return st.builds(
        lambda body, near, far: {"name": name, **body, "near": near, "far": far},
        _angles(BODY_RANGES),
        _angles(LIMB_RANGES),
        _angles(LIMB_RANGES),
    )


POINTS = ["pelvis", "head", "near.hand", "far.knee", "near.thigh", "near.calf", "far.heel"]
PROPS = st.lists(
    st.one_of(
        st.builds(lambda at: {"item": "kettlebell", "at": at}, st.sampled_from(POINTS)),
        st.builds(lambda at: {"item": "foam_roller", "at": at}, st.sampled_from(POINTS)),
        st.builds(lambda at: {"item": "wall", "at": at}, st.sampled_from(POINTS)),
        st.builds(lambda at: {"item": "strap", "at": at}, st.sampled_from(POINTS)),
        st.builds(lambda at: {"item": "band", "at": at}, st.sampled_from(["knees", "ankles"])),
        st.builds(lambda at: {"item": "chair", "at": at}, st.sampled_from(POINTS)),
        st.builds(lambda at: {"item": "towel", "at": at}, st.sampled_from(POINTS)),
        st.just({"item": "mat"}),
        st.just({"item": "suspension_trainer", "at": "hands"}),
    ),
    max_size=3,
    unique_by=lambda prop: prop["item"],
)

FIGURES = st.builds(
    lambda start, middle, end, view, tilt, turn, props: {
        "caption": "Any pose at all.",
        "view": view,
        "view_tilt": tilt,
        "view_turn": turn,
        "keyframes": [start, *middle, end],
        "props": props,
    },
    _keyframe("start"),
    st.lists(_keyframe("middle"), max_size=1),
    _keyframe("end"),
    st.sampled_from(["side", "front", "top"]),
    st.integers(-90, 90),
    st.integers(-180, 180),
    PROPS,
)


@pytest.fixture(scope="module")
def base(catalogue: Catalogue):
    return catalogue.exercise("supine-hamstring-strap")


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=FIGURES, side=st.sampled_from(["left", "right"]))
def test_any_valid_figure_renders_inside_its_view_box(base, data: dict, side: str) -> None:
    exercise = base.model_copy(update={"figure": Figure.model_validate(data)})
    for pose in ("start", "animated"):
        root = parse(render_figure(exercise, side=side, pose=pose))
        x0, y0, width, height = view_box(root)
        for x, y in drawn_points(root):
            assert x0 <= x <= x0 + width
            assert y0 <= y <= y0 + height


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=FIGURES)
def test_any_valid_figure_mirrors_exactly(base, data: dict) -> None:
    exercise = base.model_copy(update={"figure": Figure.model_validate(data)})
    left, right = figure_layout(exercise, "left"), figure_layout(exercise, "right")
    a, b = left.joints("end"), right.joints("end")
    for name in a:
        assert a[name][0] == pytest.approx(left.width - b[name][0])
        assert a[name][1] == pytest.approx(b[name][1])
