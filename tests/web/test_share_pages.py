"""Share links (issue 18 item 6): a person's routine and a coach's template version,
the public page a link opens (read-only, with figures, its file and a QR code, nobody's
data), revoking, and importing a link of this installation. And the coach's note on a
template (item 5), which every client it was assigned to reads. Pages are parsed HTML."""

import re
from collections.abc import Iterator
from contextlib import ExitStack

import pytest
import segno
from starlette.testclient import TestClient

from sirelief.services.share_fetch import ShareFetcher
from sirelief.settings import Settings
from tests.services.coaching_support import routine_text
from tests.web.access_world import BASE, OWN_ROUTINE, World, build_world
from tests.web.web_support import csrf, html, post

ROUTINE = routine_text("hips-at-home", "Hips at home")


@pytest.fixture
def world(settings: Settings) -> Iterator[World]:
    with ExitStack() as stack:
        yield build_world(settings, stack)


def add_routine(client: TestClient, text: str = ROUTINE, name: str = "hips.yaml") -> None:
    form = {"csrf_token": csrf(client), "action": "add"}
    response = client.post("/routines", data=form, files={"file": (name, text.encode())},
                           follow_redirects=False)  # fmt: skip
    assert response.status_code == 303, response.text


def made_link(response) -> str:
    assert response.status_code == 200, response.text
    return html(response).css_first("#share-url").attributes["value"]


def token_of(link: str) -> str:
    return link.rsplit("/", 1)[1]


# --- personal mode ------------------------------------------------------------------------
def test_a_person_shares_a_routine_and_anyone_reads_it(client: TestClient, settings) -> None:
    add_routine(client)
    link = made_link(post(client, "/routines/hips-at-home/share-link"))
    assert re.fullmatch(r"http://127\.0\.0\.1:8000/shared/[A-Za-z0-9_-]{43}", link)
    with TestClient(client.app, base_url=BASE) as stranger:  # no cookies of the owner
        page = stranger.get(link.removeprefix(BASE))
        assert page.status_code == 200
        shown = html(page)
        assert shown.css_first("main h1").text() == "Hips at home"
        figure = shown.css_first("main img.mini").attributes["src"]
        assert figure.startswith(f"/shared/{token_of(link)}/figures/figure-four-piriformis/")
        drawn = stranger.get(figure)
        assert drawn.status_code == 200
        assert drawn.headers["content-type"] == "image/svg+xml"
        assert shown.css("main a[href^='/exercises/']") == []  # the library needs no visit
        assert page.headers["x-robots-tag"].startswith("noindex")
        assert page.headers["cache-control"] == "no-store"
        assert page.headers["referrer-policy"] == "no-referrer"
        assert "script-src 'self'" in page.headers["content-security-policy"]
        assert shown.css_first("meta[name=robots]").attributes["content"].startswith("noindex")
        assert shown.css("header nav") == []
        assert shown.css(".settings-link") == []
        download = stranger.get(f"/shared/{token_of(link)}/routine.yaml")
        assert download.status_code == 200
        assert download.text == ROUTINE  # exactly the file, byte for byte
        assert download.headers["content-disposition"] == 'attachment; filename="hips.yaml"'


def test_the_qr_code_on_the_shared_page_is_the_links_code(client: TestClient) -> None:
    """No QR decoder is installed here (no zbarimg, no OpenCV): the code drawn is checked
    module for module against segno's own matrix of the link (tests/auth/test_qr.py)."""
    from tests.auth.test_qr import SVG, drawn_modules

    add_routine(client)
    link = made_link(post(client, "/routines/hips-at-home/share-link"))
    page = client.get(link.removeprefix(BASE))
    svg = html(page).css_first(".share-code svg").html
    code = segno.make(link, error="m", micro=False)
    expected = {(r + 4, c + 4) for r, line in enumerate(code.matrix)
                for c, value in enumerate(line) if value}  # fmt: skip
    assert drawn_modules(svg.replace("<svg ", f'<svg xmlns="{SVG[1:-1]}" ', 1)) == expected
    assert "QR code of the share link" in svg


def test_revoking_makes_the_link_answer_not_found(client: TestClient) -> None:
    add_routine(client)
    link = made_link(post(client, "/routines/hips-at-home/share-link"))
    path = link.removeprefix(BASE)
    assert client.get(path).status_code == 200
    response = post(client, "/routines/hips-at-home/share-link/revoke")
    assert response.status_code == 303
    assert "Sharing stopped" in html(client.get(response.headers["location"])).text()
    for gone in (
        path,
        f"{path}/routine.yaml",
        f"{path}/figures/figure-four-piriformis/left/start.svg",
    ):
        assert client.get(gone).status_code == 404
    assert client.get("/shared/" + "A" * 43).status_code == 404


def test_a_new_link_stops_the_old_one_and_shares_the_file_as_it_is_then(
    client: TestClient,
) -> None:
    add_routine(client)
    first = made_link(post(client, "/routines/hips-at-home/share-link"))
    page = html(client.get("/routines/hips-at-home"))
    assert "A share link has been working since" in page.css_first("#share").text()
    assert page.css("#share-url") == []  # shown once, never again
    form = {"csrf_token": csrf(client), "action": "add", "replace": "on"}
    changed = routine_text("hips-at-home", "Hips at home, slower")
    client.post("/routines", data=form, files={"file": ("hips.yaml", changed.encode())})
    assert "Hips at home</h1>" in client.get(first.removeprefix(BASE)).text  # the copy
    second = made_link(post(client, "/routines/hips-at-home/share-link"))
    assert client.get(first.removeprefix(BASE)).status_code == 404
    assert "Hips at home, slower" in html(client.get(second.removeprefix(BASE))).text()


def test_a_built_in_routine_has_no_share_link(client: TestClient) -> None:
    assert html(client.get("/routines/kettlebell-smash-reset")).css("#share") == []
    assert post(client, "/routines/kettlebell-smash-reset/share-link").status_code == 404
    assert post(client, "/routines/no-such-routine/share-link").status_code == 404


def test_importing_a_link_of_this_installation_adds_the_routine(
    client: TestClient, settings: Settings
) -> None:
    add_routine(client)
    link = made_link(post(client, "/routines/hips-at-home/share-link"))
    shared = html(client.get(link.removeprefix(BASE)))
    import_href = shared.css_first("a[href^='/routines?import=']").attributes["href"]
    prefilled = html(client.get(import_href))
    assert prefilled.css_first("input#link").attributes["value"] == link
    taken = post(client, "/routines/import", link=link)
    assert taken.status_code == 400  # the owner has it already
    assert "already have a routine with the id" in html(taken).text()
    with TestClient(create_other_app(settings), base_url=BASE) as other:
        other.get("/")
        # another installation (its own database) does not know this link
        refused = post(other, "/routines/import", link=link)
        assert refused.status_code == 400
        assert "does not work" in html(refused).css_first("#link-error").text()
    replaced = post(client, "/routines/import", link=link + "/routine.yaml", replace="on")
    assert replaced.status_code == 303


def test_a_link_of_another_installation_is_fetched_checked_and_added(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The guarded fetch itself is tested against a real HTTPS server in
    tests/services/test_share_fetch.py; here, what the page does with its answer."""
    fetched: list[str] = []

    def fetch(_fetcher, link: str) -> tuple[str, bytes]:
        fetched.append(link)
        return "hips-at-home.yaml", ROUTINE.encode()

    monkeypatch.setattr(ShareFetcher, "__call__", fetch)
    link = "https://clinic.example/shared/" + "k" * 43
    added = post(client, "/routines/import", link=link)
    assert added.status_code == 303
    assert fetched == [link]
    assert "Hips at home" in client.get("/routines").text


def test_a_private_address_is_refused_without_a_request(client: TestClient) -> None:
    refused = post(client, "/routines/import", link="https://127.0.0.2/shared/" + "k" * 43)
    assert refused.status_code == 400
    assert "private network or this computer" in html(refused).css_first("#link-error").text()


def create_other_app(settings: Settings):
    from sirelief.web.app import create_app

    other = settings.model_copy(update={"data_dir": settings.data_dir / "other",
                                        "database_url": None})  # fmt: skip
    return create_app(other)


@pytest.mark.parametrize(
    "link",
    [
        "",
        " ",
        "https://evil.example/shared/abc",
        "http://127.0.0.1:9999/shared/abc",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "/shared/",
        "/shared/a/b/c",
        "/calendar/abc.ics",
        "http://127.0.0.1:8000/join/abc",
        "/shared/" + "x" * 300,
        "http://[::1/shared/abc",
        "\x00/shared/abc",
        "/shared/%2e%2e%2fsecret",
    ],
)
def test_a_link_that_is_not_a_share_link_of_here_is_refused_by_name(
    client: TestClient, link: str
) -> None:
    response = post(client, "/routines/import", link=link)
    assert response.status_code == 400
    assert html(response).css_first("#link-error").text().startswith("Share link:")


# --- clinic mode: a coach's template, and its note -------------------------------------------
def test_a_coachs_share_link_shows_the_version_and_no_one_else(world: World) -> None:
    coach = world.clients["coach"]
    path = f"/templates/{world.template_id}/share-link"
    link = made_link(post(coach, path, version="1"))
    page = world.clients["anonymous"].get(link.removeprefix(BASE))
    assert page.status_code == 200
    text = html(page).css_first("main").text()
    assert "Hips for Cleo" in text  # the file's own name
    for private in ("ada", "Riverside", "cleo", world.client_id, world.template_id):
        assert private not in page.text.replace("Hips for Cleo", "")
    named = made_link(post(coach, path, show_name="on"))
    assert world.clients["anonymous"].get(link.removeprefix(BASE)).status_code == 404
    assert "shared by ada" in html(world.clients["anonymous"].get(named.removeprefix(BASE))).text()
    assert post(world.clients["idle_coach"], path).status_code == 400  # not the author
    assert post(world.clients["other_clinic_coach"], path).status_code == 404
    assert post(coach, path, version="9").status_code == 404
    assert post(coach, path, version="1x").status_code == 400
    assert post(coach, f"{path}/revoke").status_code == 303
    assert world.clients["anonymous"].get(named.removeprefix(BASE)).status_code == 404


def test_a_client_shares_their_own_routine_without_their_name(world: World) -> None:
    cleo = world.clients["client"]
    link = made_link(post(cleo, f"/routines/{OWN_ROUTINE}/share-link"))
    page = world.clients["other_clinic_coach"].get(link.removeprefix(BASE))
    assert page.status_code == 200
    assert "cleo" not in page.text.lower()
    imported = post(world.clients["other_client"], "/routines/import", link=link)
    assert imported.status_code == 400  # Cora has one of that id: she is told so
    assert "already have a routine" in imported.text


def test_the_template_note_reaches_the_client_with_author_and_time(world: World) -> None:
    coach, cleo = world.clients["coach"], world.clients["client"]
    note_path = f"/templates/{world.template_id}/note"
    assert post(coach, note_path, note="Breathe out on the stretch.").status_code == 303
    post(coach, f"/clients/{world.client_id}/assignment", template=world.template_id,
         days=["mon"], moment="morning", note="Start gently.")  # fmt: skip
    today = html(cleo.get("/")).css_first(".from-coach")
    notes = [q.css_first(".note-text").text() for q in today.css(".coach-note")]
    assert notes == ["Start gently.", "Breathe out on the stretch."]
    assert "ada" in today.css_first(".template-note footer").text()
    post(coach, note_path, note="Breathe out slowly.")
    routine_page = html(cleo.get("/routines/hips-for-cleo"))
    assert routine_page.css_first(".template-note .note-text").text() == "Breathe out slowly."
    assert post(coach, note_path, note="").status_code == 303
    assert html(cleo.get("/")).css(".template-note") == []
    refused = post(world.clients["idle_coach"], note_path, note="Mine now.")
    assert refused.status_code == 400
    assert post(world.clients["other_clinic_coach"], note_path, note="x").status_code == 404


@pytest.mark.parametrize("note", ["x" * 1001, "bell\x07", "nul\x00"])
def test_a_bad_template_note_is_named_and_nothing_is_saved(world: World, note: str) -> None:
    response = post(world.clients["coach"], f"/templates/{world.template_id}/note", note=note)
    assert response.status_code == 400
    assert html(response).css_first("#note-error").text().startswith("Note:")
    assert world.services.coaching.template_note(world.actors["coach"], world.template_id) is None


def test_the_coach_changes_the_assignment_note_in_place(world: World) -> None:
    coach, cleo = world.clients["coach"], world.clients["client"]
    path = f"/clients/{world.client_id}/assignment/note"
    before = post(coach, path, note="Too early: nothing is assigned.")
    assert before.status_code == 400
    assert "Note: assign a routine first" in html(before).css_first("main").text()
    post(coach, f"/clients/{world.client_id}/assignment", template=world.template_id,
         days=["mon"], moment="morning", note="Start gently.")  # fmt: skip
    changed = post(coach, path, note="Only on good days this week.")
    assert changed.status_code == 303
    page = html(coach.get(changed.headers["location"]))
    assert "Note saved" in page.css_first("#coach-routine .notice").text()
    assert "Earlier assignments" not in page.css_first("#coach-routine").text()  # in place
    note = html(cleo.get("/")).css_first(".from-coach .coach-note .note-text").text()
    assert note == "Only on good days this week."
    too_long = post(coach, path, note="x" * 1001)
    assert too_long.status_code == 400
    assert "Note: keep it to 1000 characters" in html(too_long).css_first("main").text()
    assert post(world.clients["idle_coach"], path, note="x").status_code == 404
    assert post(world.clients["other_clinic_coach"], path, note="x").status_code == 404


def test_personal_mode_says_the_link_opens_only_on_this_computer(client: TestClient) -> None:
    add_routine(client)
    assert "only on this computer" in html(client.get("/routines/hips-at-home")).text()


def test_a_clinic_client_is_not_told_so(world: World) -> None:
    clinic_page = html(world.clients["client"].get(f"/routines/{OWN_ROUTINE}"))
    assert clinic_page.css_first("#share") is not None
    assert "only on this computer" not in clinic_page.text()
