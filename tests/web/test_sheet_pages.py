"""The printable routine sheet as a page (issue 18 item 7), read as parsed HTML: every
block's exercises with their dose, sides, cues and stop signs, the safety words, the coach's
note, the print style sheet, and the answers to ids and queries that name nothing."""

from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser
from starlette.testclient import TestClient

from sirelief.catalogue.loader import builtin_files, load_routines
from sirelief.domain.catalogue import Catalogue
from sirelief.domain.routine import AssessmentStep, ChoiceStep, ExerciseStep
from sirelief.settings import Settings
from sirelief.web.assets import STATIC
from tests.services.coaching_support import routine_text
from tests.web.access_world import World, build_world
from tests.web.web_support import csrf, html, post

BUILT_IN = sorted(Path(source.name).stem for source in builtin_files("routines"))
COACHED = """\
format: sirelief.routine.v1
id: my-hips
version: 3
name: My hips, on paper
summary: Hip work for the sheet test.
blocks:
  - id: start
    title: Start
    steps:
      - assess: baseline
        ratings: [hip]
  - id: first
    title: Tighter side first
    sides: tighter_first
    steps:
      - exercise: figure-four-piriformis
        hold_s: 45
        sets: 3
        note: Keep the foot flexed.
      - exercise: half-kneeling-hip-flexor
    between_sides:
      - assess: mid
        squat_reps: 5
        ratings: [hip]
  - id: left-only
    title: Left only
    sides: left
    steps:
      - exercise: half-kneeling-hip-flexor
        hold_s: 60
  - id: menu
    title: A choice
    optional: true
    priority: 2
    steps:
      - choose: 1
        title: Pick one
        options:
          - exercise: glute-bridge
            reps: 12
          - exercise: seated-butterfly
"""


def add_routine(client: TestClient, text: str, name: str = "mine.yaml") -> None:
    response = client.post(
        "/routines", data={"action": "add", "csrf_token": csrf(client)},
        files={"file": (name, text.encode(), "text/yaml")}, follow_redirects=False,
    )  # fmt: skip
    assert response.status_code == 303, response.text


def rows(page) -> dict[str, object]:
    """Each written-out exercise row by its mark (``2a``)."""
    return {row.css_first(".sheet-mark").text(): row for row in page.css(".sheet-ex")}


def words(node) -> str:
    return " ".join(node.text().split())


def texts(node, selector: str) -> list[str]:
    return [words(item) for item in node.css(selector)]


@pytest.mark.parametrize("routine_id", BUILT_IN)
def test_every_exercise_of_every_block_is_on_the_sheet(
    client: TestClient, catalogue: Catalogue, routine_id: str
) -> None:
    """Walks the routine file itself: each block in order, each exercise with its own
    cues and stop signs (the first time it appears), its dose and its sides."""
    (routine,) = [r for r in load_routines(builtin_files("routines"), catalogue)
                  if r.id == routine_id]  # fmt: skip
    response = client.get(f"/routines/{routine_id}/sheet")
    assert response.status_code == 200
    page = html(response)
    assert page.css_first(".sheet h1").text() == routine.name
    blocks = page.css(".sheet-block")
    assert [" ".join(b.css_first("h2").text().split()) for b in blocks] == [
        f"{n}. {b.title}" + (" optional" if b.optional else "")
        for n, b in enumerate(routine.blocks, 1)
    ]
    shown_once: set[str] = set()
    for block, section in zip(routine.blocks, blocks, strict=True):
        steps = [*block.steps, *block.between_sides]
        exercises = [s for step in steps
                     for s in (step.options if isinstance(step, ChoiceStep) else [step])
                     if isinstance(s, ExerciseStep)]  # fmt: skip
        found = section.css(".sheet-ex")
        assert [words(r.css_first("h3")) for r in found] == [
            f"{r.css_first('.sheet-mark').text()} {catalogue.exercise(s.exercise).name}"
            for r, s in zip(found, exercises, strict=True)
        ]
        for step, row in zip(exercises, found, strict=True):
            exercise = catalogue.exercise(step.exercise)
            dose = row.css_first(".sheet-dose").text()
            numbers = [step.hold_s or getattr(exercise.dose, "hold_s", None),
                       step.reps or getattr(exercise.dose, "reps", None)]  # fmt: skip
            assert all(f"{n}" in dose for n in numbers if n), (exercise.id, dose)
            assert ("per side" in dose or "each way" in dose) == exercise.is_one_sided
            if exercise.id in shown_once:
                assert "as in" in row.css_first(".sheet-again").text()
                assert row.css_first("img") is None
                continue
            shown_once.add(exercise.id)
            assert texts(row, ".sheet-cues li") == list(exercise.cues)
            assert texts(row, ".sheet-stops li") == list(exercise.stop_signs)
            figure = row.css_first("img.sheet-fig").attributes["src"]
            assert figure == f"/figures/{exercise.id}/left/start.svg"
            assert client.get(figure).status_code == 200
        checks = [s for s in steps if isinstance(s, AssessmentStep)]
        assert len(section.css(".sheet-check")) == len(checks)
        one_sided = any(catalogue.exercise(s.exercise).is_one_sided for s in exercises)
        assert (section.css_first(".sheet-order") is not None) == one_sided


def test_a_coachs_doses_sides_notes_and_repeats(client: TestClient) -> None:
    add_routine(client, COACHED)
    page = html(client.get("/routines/my-hips/sheet"))
    found = rows(page)
    assert list(found) == ["2a", "2b", "3a", "4a", "4b"]
    assert found["2a"].css_first(".sheet-dose").text() == "3 x 45 s per side · one side at a time"
    assert found["2a"].css_first(".sheet-note").text() == "Keep the foot flexed."
    assert found["3a"].css_first(".sheet-dose").text().startswith("2 x 60 s per side")
    assert "as in 2b above" in found["3a"].css_first(".sheet-again").text()
    assert found["4a"].css_first(".sheet-dose").text() == "12 reps x 2 · both sides together"
    orders = texts(page, ".sheet-order")
    assert orders[0].startswith("Sides: Work the tighter side first")
    assert orders[1] == "Sides: Left side only."
    between = page.css(".sheet-block")[1].css_first(".sheet-between + .sheet-steps").text()
    assert "Mid check: 5 slow squats, then rate front of hip on each side" in between
    assert page.css_first(".sheet-choose").text() == "Pick one (choose 1):"
    assert "Version 3" in page.css_first(".sheet-meta").text()


def test_the_safety_words_and_the_print_links(client: TestClient) -> None:
    page = html(client.get("/routines/gentle-day/sheet"))
    safety = page.css_first(".sheet-safety").text()
    for words in ("Stop at once", "see a clinician", "emergency number",
                  "does not replace a clinician"):  # fmt: skip
        assert words in safety
    button = page.css_first("#print-sheet")
    assert "hidden" in button.attributes  # shown by print.js; the menu's Print otherwise
    assert any("print.js" in s.attributes.get("src", "") for s in page.css("script"))
    links = [a.attributes["href"] for a in page.css(".sheet-buttons a")]
    pdf = "/routines/gentle-day/sheet.pdf"
    assert links == [pdf, f"{pdf}?paper=letter"]
    routine_page = html(client.get("/routines/gentle-day"))
    assert "/routines/gentle-day/sheet" in [a.attributes.get("href") for a in routine_page.css("a")]


def test_the_print_style_sheet(client: TestClient) -> None:
    page = html(client.get("/routines/gentle-day/sheet"))
    sheets = [link.attributes["href"] for link in page.css("link[rel=stylesheet]")]
    assert any(href.startswith("/static/sheet.css?v=") for href in sheets)
    css = (STATIC / "sheet.css").read_text()
    printed = css[css.index("@media print") :]
    assert "@page" in css
    assert "margin" in css[css.index("@page") :]
    for rule in ("header.top", "nav", ".foot", "display: none"):
        assert rule in printed
    assert "break-inside: avoid" in printed
    assert ".sheet-fig" in printed
    assert "width: 20mm" in printed
    assert "background: #fff" in printed  # paper is light, whatever the screen's scheme
    script = (STATIC / "print.js").read_text()
    assert "window.print()" in script
    assert "hidden = false" in script


@pytest.mark.parametrize("address", [
    "/routines/no-such-routine/sheet", "/routines/no-such-routine/sheet.pdf",
    "/routines/%2e%2e/sheet", "/routines/" + "a" * 65 + "/sheet",
    "/routines/kettlebell%00/sheet.pdf", "/templates/anything/sheet",
    "/templates/anything/sheet.pdf",
])  # fmt: skip
def test_an_id_that_names_nothing_is_not_found(client: TestClient, address: str) -> None:
    assert client.get(address).status_code == 404


def test_a_paper_size_other_than_a4_or_letter_is_refused_by_name(client: TestClient) -> None:
    response = client.get("/routines/gentle-day/sheet.pdf?paper=a3")
    assert response.status_code == 400
    assert html(response).css_first("main .lead").text().startswith("Paper: choose A4")


def test_without_chromium_the_pdf_link_explains_and_points_to_the_page(
    settings: Settings, tmp_path: Path
) -> None:
    from sirelief.web.app import create_app

    missing = settings.model_copy(update={"chromium_path": str(tmp_path / "no-chromium")})
    with TestClient(create_app(missing), base_url="http://127.0.0.1:8000") as client:
        response = client.get("/routines/gentle-day/sheet.pdf")
    assert response.status_code == 503
    page = html(response)
    assert "needs Chromium" in page.css_first("main .lead").text()
    assert str(tmp_path / "no-chromium") in page.css_first("main .lead").text()
    assert page.css_first("main a.primary").attributes["href"] == "/routines/gentle-day/sheet"


def test_a_chromium_that_hangs_is_stopped_and_said_so(settings: Settings, tmp_path: Path) -> None:
    from sirelief.web.app import create_app

    hanging = tmp_path / "chromium"
    hanging.write_text("#!/bin/sh\nexec sleep 600\n")
    hanging.chmod(0o755)
    slow = settings.model_copy(update={"chromium_path": str(hanging), "print_seconds": 0.5})
    with TestClient(create_app(slow), base_url="http://127.0.0.1:8000") as client:
        response = client.get("/routines/gentle-day/sheet.pdf")
    assert response.status_code == 503
    assert "took longer than 0.5 s" in html(response).css_first("main .lead").text()


# --- clinic mode: a coach's template, a client's assigned routine ------------------------
@pytest.fixture
def world(settings: Settings) -> Iterator[World]:
    with ExitStack() as stack:
        yield build_world(settings, stack)


def test_a_template_sheet_for_each_version(world: World) -> None:
    coach = world.clients["coach"]
    response = coach.post(
        "/templates", data={"csrf_token": csrf(coach)},
        files={"file": ("hips.yaml", routine_text(name="Hips, longer").encode(), "text/yaml")},
        follow_redirects=False,
    )  # fmt: skip
    assert response.status_code == 303
    latest = html(coach.get(f"/templates/{world.template_id}/sheet"))
    assert latest.css_first(".sheet h1").text() == "Hips, longer"
    assert "template version 2" in latest.css_first(".sheet-meta").text()
    first = html(coach.get(f"/templates/{world.template_id}/sheet?version=1"))
    assert first.css_first(".sheet h1").text() == "Hips for Cleo"
    assert "template version 1" in first.css_first(".sheet-meta").text()
    assert next(a.attributes["href"] for a in first.css(".sheet-buttons a")) == (
        f"/templates/{world.template_id}/sheet.pdf?version=1"
    )
    (row,) = first.css(".sheet-ex")
    assert texts(row, ".sheet-stops li")  # the exercise's stop signs
    template_page = html(coach.get(f"/templates/{world.template_id}?version=1"))
    hrefs = [a.attributes.get("href") for a in template_page.css("main a")]
    assert f"/templates/{world.template_id}/sheet?version=1" in hrefs
    shared = world.clients["idle_coach"].get(f"/templates/{world.template_id}/sheet")
    assert shared.status_code == 200
    assert world.clients["other_clinic_coach"].get(
        f"/templates/{world.template_id}/sheet").status_code == 404  # fmt: skip
    assert coach.get(f"/templates/{world.template_id}/sheet?version=9").status_code == 404


@pytest.mark.parametrize("version", ["x", "-1", "1.0", "9999999", ""])
def test_a_version_that_is_not_a_number_is_refused_by_name(world: World, version: str) -> None:
    response = world.clients["coach"].get(f"/templates/{world.template_id}/sheet?version={version}")
    assert response.status_code == 400
    assert html(response).css_first("main .lead").text().startswith("Version:")


def test_the_clients_assigned_routine_carries_the_coachs_note(world: World) -> None:
    response = post(world.clients["coach"], f"/clients/{world.client_id}/assignment",
                    template=world.template_id, days=["mon", "thu"], moment="evening",
                    note="Both sides, slowly.")  # fmt: skip
    assert response.status_code == 303
    page = html(world.clients["client"].get("/routines/hips-for-cleo/sheet"))
    coach = page.css_first(".sheet-coach").text()
    assert "From your coach" in coach
    assert "Both sides, slowly." in coach
    assert "Mondays and Thursdays, in the evening" in coach
    today = html(world.clients["client"].get("/")).css_first(".from-coach")
    assert "/routines/hips-for-cleo/sheet" in [a.attributes["href"] for a in today.css("a")]
    built_in = html(world.clients["client"].get("/routines/gentle-day/sheet"))
    assert built_in.css_first(".sheet-coach") is None


def test_chromium_is_handed_one_self_contained_file(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What Chromium prints names no address of this server (no cookie needed, nothing
    fetched): the style sheet is inside, each figure a data: image, the paper asked for."""
    from sirelief.services.printing import PdfPrinter

    handed: list[str] = []
    monkeypatch.setattr(PdfPrinter, "pdf", lambda self, html: handed.append(html) or b"%PDF-")
    response = client.get("/routines/kettlebell-smash-reset/sheet.pdf?paper=letter")
    assert response.status_code == 200
    assert response.headers["content-disposition"] == (
        'attachment; filename="kettlebell-smash-reset-sheet.pdf"'
    )
    (printed,) = handed
    page = HTMLParser(printed)
    assert page.css("link") == []
    assert page.css("script") == []
    policy = page.css_first("meta[http-equiv=Content-Security-Policy]").attributes["content"]
    assert "default-src 'none'" in policy
    assert "img-src data:" in policy
    figures = [img.attributes["src"] for img in page.css("img")]
    assert len(figures) == len(rows(page)) - len(page.css(".sheet-again"))
    assert all(src.startswith("data:image/svg+xml;base64,") for src in figures)
    style = page.css_first("style").text()
    assert "@media print" in style
    assert "@page { size: letter; }" in style
    assert ".sheet-safety" in printed
    assert 'src="/' not in printed
    assert 'href="/' not in printed
