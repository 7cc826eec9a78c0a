"""The routine builder (issue 18 item 1), read as parsed HTML: a routine built from nothing
round-trips through its downloaded file, each file of the bad-routine corpus shows the
CLI's messages, problems sit beside their fields, and saving makes a routine or a new
template version."""

import json
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser
from starlette.testclient import TestClient

from sirelief.catalogue.loader import SourceFile, builtin_catalogue, check_routine_file
from sirelief.settings import Settings
from tests.cli.runner import run
from tests.web.access_world import World, build_world
from tests.web.web_support import csrf, html

CORPUS = Path(__file__).parents[1] / "catalogue" / "bad_routines"


def form_of(page: LexborHTMLParser) -> list[tuple[str, str]]:
    """What a browser would send of the builder form (checked boxes, selected options)."""
    sent = []
    for node in page.css("form.builder input, form.builder textarea, form.builder select"):
        name = node.attributes.get("name")
        kind = node.attributes.get("type")
        if not name or kind in ("file", "submit") or name == "_do":
            continue
        if kind == "checkbox" and "checked" not in node.attributes:
            continue
        if node.tag == "select":
            chosen = node.css_first("option[selected]") or node.css_first("option")
            value = chosen.attributes.get("value", "") if chosen else ""
        elif node.tag == "textarea":
            value = node.text()
        else:
            value = node.attributes.get("value") or ""
        sent.append((name, value))
    return sent


def press(client: TestClient, page, action: str, path: str = "/routines/builder", **changes):
    """Press a builder button with ``changes`` typed into the form first."""
    fields = [(n, v) for n, v in form_of(page) if n not in changes]
    fields += list(changes.items())
    data: dict[str, list[str]] = {}
    for name, value in [*fields, ("_do", action), ("csrf_token", csrf(client))]:
        data.setdefault(name, []).append(value)
    return client.post(path, data=data, follow_redirects=False)


def cli_line(problem: dict) -> str:
    """A problem of ``routines check --json`` as the builder's summary words it."""
    line = f"line {problem['line']} " if problem["line"] else ""
    label = "warning: " if problem["severity"] == "warning" else ""
    return " ".join(f"{line}{label}{problem['message']}".split())


def summary(page) -> list[str]:
    return [" ".join(li.text().split()) for li in page.css(".builder-summary .problems li")]


def build_small_routine(client: TestClient, path: str = "/routines/builder"):
    page = html(client.get(path))
    response = press(client, page, "add-assess:blocks.0.steps", path, id="calm-hips",
                     name="Calm hips", summary="Check, stretch, check again.",
                     **{"blocks.0.title": "Check and stretch"})  # fmt: skip
    page = html(response)
    page = html(press(client, page, "add-exercise:kb-hip-flexor-smash", path,
                      _to="blocks.0.steps"))  # fmt: skip
    page = html(press(client, page, "add-cue:blocks.0.steps.1", path))
    page = html(press(client, page, "add-exercise:figure-four-piriformis", path,
                      _to="blocks.0.steps"))  # fmt: skip
    page = html(press(client, page, "add-block", path))
    page = html(press(client, page, "add-assess:blocks.1.steps", path))
    assert page.css_first("#in-f-blocks-1-steps-0-assess option[selected]").text() == "final"
    return html(press(client, page, "check", path,
                      **{"blocks.1.title": "Final check",
                         "blocks.0.steps.1.minutes": "2", "blocks.0.steps.1.cues.0.at_s": "30",
                         "blocks.0.steps.1.cues.0.say": "Breathe out slowly.",
                         "blocks.0.steps.2.hold_s": "45"}))  # fmt: skip


def test_a_routine_built_from_nothing_round_trips_through_its_file(client: TestClient) -> None:
    page = build_small_routine(client)
    assert "No problems found" in page.css_first(".builder-summary").text()
    downloaded = press(client, page, "download")
    assert downloaded.status_code == 200
    assert 'filename="calm-hips.yaml"' in downloaded.headers["content-disposition"]
    text = downloaded.text
    check = check_routine_file(SourceFile("calm-hips.yaml", text), builtin_catalogue())
    assert check.ok, check.problems
    routine = check.routine
    assert [b.title for b in routine.blocks] == ["Check and stretch", "Final check"]
    smash = routine.blocks[0].steps[1]
    assert (smash.exercise, smash.minutes) == ("kb-hip-flexor-smash", 2)
    assert [(c.at_s, c.say) for c in smash.cues] == [(30, "Breathe out slowly.")]
    loaded = client.post(
        "/routines/builder", data={"_do": "load", "csrf_token": csrf(client)},
        files={"_file": ("calm-hips.yaml", text.encode(), "text/yaml")},
    )  # fmt: skip
    assert loaded.status_code == 200
    again = press(client, html(loaded), "download")
    assert again.text == text
    again_check = check_routine_file(SourceFile("again.yaml", again.text), builtin_catalogue())
    assert again_check.routine == routine


def test_each_bad_routine_shows_the_cli_messages(
    client: TestClient, capsys: pytest.CaptureFixture[str]
) -> None:
    """One app for the whole corpus (a fresh one per file costs minutes, not meaning)."""
    files = sorted(CORPUS.glob("*.yaml"))
    assert len(files) >= 45
    _status, out, _err = run(capsys, "routines", "check", "--json", *map(str, files))
    reports = json.loads(out)["files"]
    assert len(reports) == len(files)
    differ = {}
    for path, report in zip(files, reports, strict=True):
        assert report["file"] == str(path)
        expected = [cli_line(p) for p in report["problems"]]
        response = client.post(
            "/routines/builder", data={"_do": "load", "csrf_token": csrf(client)},
            files={"_file": (path.name, path.read_bytes(), "text/yaml")},
        )  # fmt: skip
        shown = summary(html(response))
        if response.status_code != 400 or not expected or shown != expected:
            differ[path.name] = (response.status_code, expected, shown)
    assert differ == {}


def test_each_problem_sits_beside_its_field_and_the_summary_links_to_it(
    client: TestClient,
) -> None:
    page = build_small_routine(client)
    response = press(client, page, "check", **{"blocks.0.steps.2.hold_s": "900",
                                              "blocks.1.id": "Not Kebab"})  # fmt: skip
    page = html(response)
    hold = page.css_first("#f-blocks-0-steps-2-hold_s")
    assert "hold_s must be between 5 and 300 seconds, got 900" in hold.text()
    assert "kebab" in page.css_first("#f-blocks-1-id .field-problems").text().lower()
    links = [a.attributes["href"] for a in page.css(".builder-summary a")]
    assert "#f-blocks-0-steps-2-hold_s" in links
    assert "#f-blocks-1-id" in links
    assert "Default 30; range" in hold.css_first(".hint").text()


def test_blocks_move_and_go(client: TestClient) -> None:
    page = build_small_routine(client)
    moved = html(press(client, page, "down:blocks.0"))
    titles = [h.text() for h in moved.css(".builder-block > h3")]
    assert titles == ["Block 1: Final check", "Block 2: Check and stretch"]
    gone = html(press(client, moved, "remove:blocks.0"))
    assert [h.text() for h in gone.css(".builder-block > h3")] == ["Block 1: Check and stretch"]
    step_up = html(press(client, gone, "up:blocks.0.steps.2"))
    names = [h.text() for h in step_up.css("#f-blocks-0 .builder-step > h4")]
    assert names[1] == "Lying figure-four buttock stretch"


def test_the_library_filter_narrows_the_exercises(client: TestClient) -> None:
    page = html(client.get("/routines/builder?_equipment=kettlebell&_position=prone"))
    names = [s.text() for s in page.css(".pick-list strong")]
    assert names
    assert len(names) < 10
    catalogue = builtin_catalogue()
    expected = sorted(e.name for e in catalogue.filter(equipment="kettlebell", position="prone"))
    assert names == expected


def test_saving_adds_the_routine_and_asks_before_replacing(client: TestClient) -> None:
    page = build_small_routine(client)
    saved = press(client, page, "save")
    assert saved.status_code == 303
    assert saved.headers["location"] == "/routines?added=calm-hips"
    assert "Calm hips" in client.get("/routines").text
    twice = press(client, page, "save")
    assert twice.status_code == 400
    assert "Replace my routine" in html(twice).css_first(".notice").text()
    assert press(client, page, "save", _replace="on").status_code == 303
    edit = html(client.get("/routines/builder?from=calm-hips"))
    assert edit.css_first("#in-f-name").attributes["value"] == "Calm hips"
    assert edit.css_first("#in-f-version").attributes["value"] == "2"  # an edit: the next


def test_the_preview_shows_the_plan_with_figures(client: TestClient) -> None:
    page = html(press(client, build_small_routine(client), "preview"))
    rows = page.css("#preview .timeline li")
    assert any("Right side" in row.text() for row in rows)
    assert page.css("#preview img.mini")


@pytest.fixture
def world(settings: Settings) -> Iterator[World]:
    with ExitStack() as stack:
        yield build_world(settings, stack)


def test_a_coach_saves_a_template_version_and_edits_it(world: World) -> None:
    coach = world.clients["coach"]
    page = build_small_routine(coach, "/templates/builder")
    saved = press(coach, page, "save", "/templates/builder")
    assert saved.status_code == 303
    template_id = saved.headers["location"].split("/")[2].split("?")[0]
    edit = html(coach.get(f"/templates/builder?from={template_id}"))
    assert edit.css_first("#in-f-name").attributes["value"] == "Calm hips"
    again = press(coach, edit, "save", "/templates/builder", name="Calm hips, longer")
    assert again.headers["location"] == f"/templates/{template_id}?added=1"
    shown = html(coach.get(f"/templates/{template_id}"))
    assert shown.css_first("main h1").text() == "Calm hips, longer"
    link = shown.css_first(f'main a[href^="/templates/builder?from={template_id}"]')
    assert link.text() == "Edit in the builder"
    assert html(coach.get("/templates")).css_first('main a[href="/templates/builder"]')
    other = world.clients["other_clinic_coach"]
    assert other.get(f"/templates/builder?from={template_id}").status_code == 404


def test_a_menu_of_substitutes_is_built_with_its_options(client: TestClient) -> None:
    page = build_small_routine(client)
    page = html(press(client, page, "add-menu:blocks.0.steps"))
    menu = "blocks.0.steps.3"
    page = html(press(client, page, f"add-option:{menu}", **{
        f"{menu}.title": "Pick one stretch", f"{menu}.choose": "1",
        f"{menu}.options.0.exercise": "half-kneeling-hip-flexor",
        f"{menu}.options.1.exercise": "standing-lunge",
    }))  # fmt: skip
    third = f"#in-f-{menu.replace('.', '-')}-options-2-exercise"
    assert page.css_first(third) is not None
    page = html(press(client, page, f"remove:{menu}.options.2"))
    assert page.css_first(third) is None
    assert "No problems found" in page.css_first(".builder-summary").text()
    text = press(client, page, "download").text
    routine = check_routine_file(SourceFile("m.yaml", text), builtin_catalogue()).routine
    options = routine.blocks[0].steps[3].options
    assert [o.exercise for o in options] == ["half-kneeling-hip-flexor", "standing-lunge"]


def test_routine_and_template_pages_offer_the_builder(client: TestClient) -> None:
    assert html(client.get("/routines")).css_first('main a[href="/routines/builder"]')
    page = html(client.get("/routines/kettlebell-smash-reset"))
    link = page.css_first('main a[href="/routines/builder?from=kettlebell-smash-reset"]')
    assert link.text() == "Copy into the builder"
    edit = html(client.get(link.attributes["href"]))
    assert edit.css_first("#in-f-blocks-0-id").attributes["value"] == "baseline"
