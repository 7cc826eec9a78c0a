"""Notes both ways on a session's results page (issue 18 item 5): the person writes one,
and so does a coach who follows them; in process, pages parsed as HTML."""

import json
from collections.abc import Iterator
from contextlib import ExitStack
from datetime import timedelta
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from sirelief.domain.notes import MAX_NOTE_CHARACTERS
from sirelief.services import Services
from sirelief.settings import Settings
from tests.web.access_world import World, build_world
from tests.web.web_support import error_text, html, post, start_session


def notes_on(client: TestClient, session_id: str) -> list[tuple[str, str]]:
    """(who, text) of each note shown, oldest first."""
    page = html(client.get(f"/sessions/{session_id}/results"))
    return [
        (li.css_first(".note-by strong").text(), li.css_first(".note-text").text())
        for li in page.css("#notes ol.note-list li")
    ]


# --- personal mode -----------------------------------------------------------------------
def test_a_note_is_kept_with_its_lines_and_shown_as_yours(client: TestClient) -> None:
    session_id = start_session(client)
    empty = html(client.get(f"/sessions/{session_id}/results"))
    assert "No notes yet" in empty.css_first("#notes").text()
    saved = post(
        client, f"/sessions/{session_id}/notes", note="  Left hip freer.\r\nTry less next time.  "
    )
    assert saved.status_code == 303
    assert saved.headers["location"] == f"/sessions/{session_id}/results#notes"
    post(client, f"/sessions/{session_id}/notes", note="<script>alert(1)</script>")
    assert notes_on(client, session_id) == [
        ("You", "Left hip freer.\nTry less next time."),
        ("You", "<script>alert(1)</script>"),  # shown as text, never run
    ]
    raw = client.get(f"/sessions/{session_id}/results").text
    assert "<script>alert(1)" not in raw


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("   \n ", "note is empty"),
        ("x" * (MAX_NOTE_CHARACTERS + 1), f"at most {MAX_NOTE_CHARACTERS:,} fit"),
        ("felt\u200bbetter", "invisible character (U+200B)"),
        ("bell\x07", "invisible character (U+0007)"),
    ],
)
def test_a_refused_note_says_why_keeps_the_words_and_stores_nothing(
    client: TestClient, typed: str, says: str
) -> None:
    session_id = start_session(client)
    refused = post(client, f"/sessions/{session_id}/notes", note=typed)
    assert refused.status_code == 400
    assert says in error_text(refused)
    page = html(refused)
    assert page.css_first("textarea#note").attributes.get("aria-invalid") == "true"
    assert page.css_first("textarea#note").text() == typed.replace("\r", "")
    assert notes_on(client, session_id) == []
    assert json.loads(client.get("/account/data/export.json").content)["notes"] == []


def test_a_note_on_an_unknown_session_is_not_found(client: TestClient) -> None:
    start_session(client)
    assert post(client, "/sessions/nosuchsession/notes", note="hello").status_code == 404
    assert post(client, "/sessions/..%2Fx/notes", note="hello").status_code == 404


def test_notes_go_out_with_the_export_and_come_back_with_an_import(
    client: TestClient, settings: Settings, tmp_path: Path
) -> None:
    session_id = start_session(client)
    post(client, f"/sessions/{session_id}/notes", note="slept well")
    exported = client.get("/account/data/export.json").content
    (note,) = json.loads(exported)["notes"]
    assert (note["session_id"], note["text"], note["author_account_id"]) == (
        session_id, "slept well", None,
    )  # fmt: skip
    assert post(client, "/account/data/delete", confirm="DELETE").status_code == 200
    (tmp_path / "export.json").write_bytes(exported)
    elsewhere = Services(settings)
    try:
        assert elsewhere.data.import_file(tmp_path / "export.json")["notes"] == 1
    finally:
        elsewhere.close()
    assert notes_on(client, session_id) == [("You", "slept well")]


# --- clinic mode --------------------------------------------------------------------------
@pytest.fixture
def world(settings: Settings) -> Iterator[World]:
    with ExitStack() as stack:
        yield build_world(settings, stack)


def test_the_client_and_their_coach_write_to_each_other(world: World) -> None:
    client, coach = world.clients["client"], world.clients["coach"]
    here = f"/sessions/{world.session_id}/notes"
    assert post(client, here, note="Numb toes for a minute.").status_code == 303
    world.clock.set(world.clock() + timedelta(minutes=5))
    assert post(coach, here, note="Go gentler on the left next time.").status_code == 303
    coach_name = world.services.accounts.accounts_with_ids([world.actors["coach"].user_id])[0]
    client_name = world.services.accounts.accounts_with_ids([world.client_id])[0]
    assert notes_on(client, world.session_id) == [
        ("You", "Numb toes for a minute."),
        (f"{coach_name.display_name} (coach)", "Go gentler on the left next time."),
    ]
    assert notes_on(coach, world.session_id) == [
        (client_name.display_name, "Numb toes for a minute."),
        ("You", "Go gentler on the left next time."),
    ]
    mine = world.services.for_profile(world.actors["client"].profile_id).data
    authors = [n["author_account_id"] for n in json.loads(mine.export("json"))["notes"]]
    assert authors == [world.client_id, world.actors["coach"].user_id]


def test_an_admin_reads_the_notes_but_has_no_pen(world: World) -> None:
    post(world.clients["client"], f"/sessions/{world.session_id}/notes", note="fine")
    admin = world.clients["admin"]
    page = html(admin.get(f"/sessions/{world.session_id}/results"))
    assert page.css_first("#notes form") is None
    assert [li.css_first(".note-text").text() for li in page.css("#notes li")] == ["fine"]
    refused = post(admin, f"/sessions/{world.session_id}/notes", note="hello")
    assert refused.status_code == 403
    assert len(notes_on(world.clients["client"], world.session_id)) == 1


def test_a_coach_who_does_not_follow_the_client_cannot_write(world: World) -> None:
    here = f"/sessions/{world.session_id}/notes"
    assert post(world.clients["idle_coach"], here, note="hi").status_code in (403, 404)
    assert post(world.clients["other_clinic_coach"], here, note="hi").status_code == 404
    assert notes_on(world.clients["client"], world.session_id) == []
