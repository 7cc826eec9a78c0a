"""Every exercise's figure: drawn, self-contained, inside its view box, mirrored, complete."""

import itertools
import re

import pytest

from sirelief.domain.catalogue import Catalogue
from sirelief.illustration import (
    FIGURE_CSS,
    POSES,
    SIDES,
    figure_layout,
    render_figure,
    render_figure_parts,
    render_gallery_html,
)
from tests.illustration.svg_checks import (
    SVG,
    all_path_data,
    drawn_points,
    parse,
    path_points,
    props_drawn,
    tags,
    view_box,
)

VARIANTS = list(itertools.product(SIDES, POSES))


@pytest.fixture(scope="module")
def documents(catalogue: Catalogue) -> dict[tuple[str, str, str], str]:
    """Every exercise drawn every way, once for the whole module."""
    return {
        (exercise.id, side, pose): render_figure(exercise, side=side, pose=pose)
        for exercise in catalogue.exercises.values()
        for side, pose in VARIANTS
    }


def test_every_exercise_has_a_figure_with_start_and_end(catalogue: Catalogue) -> None:
    assert len(catalogue) >= 22
    for exercise in catalogue.exercises.values():
        names = [keyframe.name for keyframe in exercise.figure.keyframes]
        assert names[0] == "start", exercise.id
        assert names[-1] == "end", exercise.id
        assert exercise.figure.caption


def test_every_svg_parses_and_is_accessible(documents) -> None:
    for (exercise_id, side, pose), document in documents.items():
        root = parse(document)
        assert root.tag == f"{SVG}svg"
        assert root.attrib["role"] == "img"
        assert root.attrib["aria-label"]
        title = root.find(f"{SVG}title")
        desc = root.find(f"{SVG}desc")
        assert title is not None
        assert title.text
        assert desc is not None
        assert desc.text
        assert (root.attrib["data-side"], root.attrib["data-pose"]) == (side, pose)
        assert root.attrib["data-exercise"] == exercise_id


def test_every_svg_is_self_contained_and_script_free(documents) -> None:
    for key, document in documents.items():
        root = parse(document)
        assert "script" not in tags(root), key
        assert "foreignObject" not in tags(root), key
        for element in root.iter():
            for name, value in element.attrib.items():
                assert not name.lower().startswith("on"), (key, name)
                assert name != "style", f"{key}: style attributes need 'unsafe-inline'"
                if name.endswith("href"):
                    assert value.startswith("#"), (key, value)
        assert "url(" not in document.replace("url(#", ""), key
        assert "http://" not in document.replace("http://www.w3.org/2000/svg", ""), key


def test_ids_are_unique_and_every_reference_resolves(documents) -> None:
    for key, document in documents.items():
        root = parse(document)
        ids = [e.attrib["id"] for e in root.iter() if "id" in e.attrib]
        assert len(ids) == len(set(ids)), key
        wanted = {e.attrib["href"][1:] for e in root.iter() if "href" in e.attrib}
        wanted |= set(re.findall(r"url\(#([^)]+)\)", document))
        assert wanted <= set(ids), key


def test_every_drawn_point_stays_inside_the_view_box(documents) -> None:
    for key, document in documents.items():
        root = parse(document)
        x0, y0, width, height = view_box(root)
        points = drawn_points(root)
        assert len(points) > 100, key
        for x, y in points:
            assert x0 <= x <= x0 + width, (key, x, y)
            assert y0 <= y <= y0 + height, (key, x, y)


def test_paths_use_only_absolute_lines_and_cubics(documents) -> None:
    for document in documents.values():
        for data in all_path_data(parse(document)):
            path_points(data)  # raises on anything but M, L, C and Z


def test_the_right_side_is_the_mirror_of_the_left(catalogue: Catalogue) -> None:
    for exercise in catalogue.exercises.values():
        left = figure_layout(exercise, "left")
        right = figure_layout(exercise, "right")
        for keyframe in (k.name for k in exercise.figure.keyframes):
            a, b = left.joints(keyframe), right.joints(keyframe)
            assert a.keys() == b.keys()
            for name in a:
                assert a[name][0] == pytest.approx(left.width - b[name][0]), (exercise.id, name)
                assert a[name][1] == pytest.approx(b[name][1]), (exercise.id, name)


def test_mirrored_documents_draw_mirrored_points(catalogue: Catalogue) -> None:
    exercise = catalogue.exercise("kb-hip-flexor-smash")
    left = drawn_points(parse(render_figure(exercise, "left", "start")))
    right = drawn_points(parse(render_figure(exercise, "right", "start")))
    assert len(left) == len(right)
    for (lx, ly), (rx, ry) in zip(left, right, strict=True):
        assert lx == pytest.approx(480 - rx, abs=0.11)
        assert ly == pytest.approx(ry, abs=0.11)


def test_the_working_side_faces_the_viewer_on_both_sides(catalogue: Catalogue) -> None:
    """The working leg is drawn after (in front of) the resting leg in the side view."""
    exercise = catalogue.exercise("half-kneeling-hip-flexor")
    for side in SIDES:
        document = render_figure(exercise, side, "start")
        assert document.index("#14a3b5") > document.index("#cbd3db")


def test_every_prop_the_exercise_uses_is_drawn(catalogue: Catalogue, documents) -> None:
    for exercise in catalogue.exercises.values():
        expected = {prop.item for prop in exercise.figure.props}
        expected |= {need.item for need in exercise.equipment if not need.optional}
        for side, pose in VARIANTS:
            drawn = props_drawn(parse(documents[exercise.id, side, pose]))
            assert expected <= drawn, (exercise.id, side, pose, expected - drawn)


def test_the_target_region_is_highlighted(documents) -> None:
    for key, document in documents.items():
        root = parse(document)
        targets = [e for e in root.iter() if e.attrib.get("class") == "sr-target"]
        assert targets, key
        assert all(list(t.iter(f"{SVG}path")) for t in targets), key


def test_stills_have_no_style_and_no_animation(documents) -> None:
    for (exercise_id, _, pose), document in documents.items():
        if pose == "animated":
            continue
        root = parse(document)
        assert not {"style", "animate"} & tags(root), exercise_id
        assert any(e.attrib.get("class") == "sr-ghost" for e in root.iter()), exercise_id


def test_animation_stops_for_reduced_motion(documents) -> None:
    for (exercise_id, _, pose), document in documents.items():
        if pose != "animated":
            continue
        root = parse(document)
        style = root.find(f"{SVG}style")
        assert style is not None
        assert style.text == FIGURE_CSS
        assert "@media (prefers-reduced-motion: reduce)" in style.text
        motion = [e for e in root.iter() if e.attrib.get("class") == "sr-motion"]
        still = [e for e in root.iter() if e.attrib.get("class") == "sr-still"]
        assert len(motion) == 1, exercise_id
        assert len(still) == 1, exercise_id
        # Without the CSS (a strict policy blocking it) the still shows and nothing moves.
        assert motion[0].attrib["visibility"] == "hidden"
        animations = list(motion[0].iter(f"{SVG}animate"))
        assert animations, exercise_id
        for animate in animations:
            times = [float(t) for t in animate.attrib["keyTimes"].split(";")]
            assert (times[0], times[-1]) == (0, 1)
            assert times == sorted(times)
            assert len(times) == len(animate.attrib["values"].split(";"))
            assert animate.attrib["repeatCount"] == "indefinite"


def test_parts_split_the_style_from_the_svg(catalogue: Catalogue) -> None:
    exercise = catalogue.exercise("supine-hamstring-strap")
    svg, css = render_figure_parts(exercise, "right", "animated")
    assert "<style" not in svg
    assert css == FIGURE_CSS
    assert render_figure(exercise, "right", "animated") == svg.replace(
        "</desc>", f"</desc><style>{css}</style>", 1
    )
    still, none = render_figure_parts(exercise, "right", "end")
    assert none == ""
    assert "<style" not in still


def test_id_prefix_keeps_two_copies_apart(catalogue: Catalogue) -> None:
    exercise = catalogue.exercise("assessment-squat")
    one = render_figure(exercise, "left", "animated", id_prefix="a-")
    two = render_figure(exercise, "left", "animated", id_prefix="b-")
    assert 'id="a-' in one
    assert 'id="a-' not in two
    assert 'id="b-' in two


def test_titles_name_the_side_or_direction(catalogue: Catalogue) -> None:
    titles = {
        exercise_id: parse(render_figure(catalogue.exercise(exercise_id), "right", "end"))
        .find(f"{SVG}title")
        .text
        for exercise_id in ("kb-calf-smash", "standing-side-bend", "assessment-squat")
    }
    assert titles["kb-calf-smash"] == "Kettlebell calf smash, right side: end position"
    assert titles["standing-side-bend"] == "Standing side bend, to the right: end position"
    assert titles["assessment-squat"] == "Check-in squats: end position"


def test_bad_side_or_pose_is_refused(catalogue: Catalogue) -> None:
    exercise = catalogue.exercise("foam-roll")
    with pytest.raises(ValueError, match="side must be left or right"):
        render_figure(exercise, side="middle")
    with pytest.raises(ValueError, match="pose must be start, end or animated"):
        render_figure(exercise, pose="halfway")


def test_gallery_shows_every_exercise(catalogue: Catalogue) -> None:
    page = render_gallery_html(catalogue)
    assert page.startswith("<!doctype html>")
    for exercise_id in catalogue.exercises:
        assert f'id="{exercise_id}"' in page
    assert page.count("<img ") == 4 * len(catalogue)
