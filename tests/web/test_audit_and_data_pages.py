"""Who looked, the admin's audit log, and data rights from the web (issue 17 items 5, 7):
in process, pages parsed as HTML, in a clinic (tests/web/access_world.py) and in personal
mode."""

import io
import json
import zipfile
from collections.abc import Iterator
from contextlib import ExitStack
from datetime import timedelta

import pytest
from starlette.testclient import TestClient

from sirelief.domain.audit import READ
from sirelief.settings import Settings
from tests.web.access_world import PASSWORD, World, build_world
from tests.web.web_support import error_text, html, post, start_session


@pytest.fixture
def world(settings: Settings) -> Iterator[World]:
    with ExitStack() as stack:
        yield build_world(settings, stack)


def test_a_client_sees_who_looked_in_plain_words(world: World) -> None:
    audit = world.services.audit
    world.clock.set(world.clock() + timedelta(minutes=1))
    audit.record_access(world.actors["coach"], world.client_id, READ,
                        f"sessions/{world.session_id}")  # fmt: skip
    audit.record_access(world.actors["client"], world.client_id, READ, "history")  # own
    page = html(world.clients["client"].get("/account/who-looked"))
    lines = [li.css_first("p").text() for li in page.css("ol.who-looked li")]
    day = world.clock().astimezone()
    assert lines == [f"Coach ada read your session of {day.day} {day:%b}"]
    empty = html(world.clients["other_client"].get("/account/who-looked"))
    assert "Nobody else has looked" in empty.css_first("main").text()


def test_staff_have_no_who_looked_list(world: World) -> None:
    assert world.clients["coach"].get("/account/who-looked").status_code == 403


def test_the_admin_reads_the_log_newest_first_filtered_by_account(world: World) -> None:
    admin = world.clients["admin"]
    page = html(admin.get("/admin/audit", params={"account": world.client_id}))
    rows = page.css("table.audit-log tbody tr")
    assert rows
    assert all("cleo" in row.text() for row in rows)
    times = [row.css_first("time").attributes["datetime"] for row in rows]
    assert times == sorted(times, reverse=True)
    chosen = page.css_first("select#account option[selected]")
    assert chosen.attributes["value"] == world.client_id
    everyone = html(admin.get("/admin/audit"))
    assert len(everyone.css("table.audit-log tbody tr")) > len(rows)


@pytest.mark.parametrize(
    ("query", "field"),
    [({"page": "x"}, "page:"), ({"page": "0"}, "page:"), ({"account": "a b"}, "account:")],
)
def test_bad_log_filters_name_the_field(world: World, query: dict, field: str) -> None:
    response = world.clients["admin"].get("/admin/audit", params=query)
    assert response.status_code == 400
    assert field in html(response).css_first("main").text()


def test_only_an_admin_reads_the_log(world: World) -> None:
    assert world.clients["coach"].get("/admin/audit").status_code == 403
    assert world.clients["client"].get("/admin/audit").status_code == 403


def test_a_client_downloads_their_data_with_its_audit_lines(world: World) -> None:
    client = world.clients["client"]
    page = html(client.get("/account/data"))
    links = {a.attributes["href"] for a in page.css("main a.button")}
    assert links == {
        "/account/data/export.json",
        "/account/data/export.zip",
        "/account/data/export.fhir.json",
    }
    response = client.get("/account/data/export.json")
    assert response.headers["content-type"] == "application/json"
    assert response.headers["content-disposition"].startswith("attachment;")
    assert response.headers["cache-control"] == "no-store"
    document = response.json()
    assert [s["id"] for s in document["sessions"]] == [world.session_id]
    assert "signed in" in {line["action"] for line in document["audit"]}
    archive = zipfile.ZipFile(io.BytesIO(client.get("/account/data/export.zip").content))
    assert "sirelief-export/audit.csv" in archive.namelist()
    fhir = client.get("/account/data/export.fhir.json")
    assert fhir.headers["content-type"] == "application/fhir+json"
    assert fhir.headers["content-disposition"].endswith('.fhir.json"')
    bundle = fhir.json()
    assert bundle["resourceType"] == "Bundle"
    procedures = [e["resource"] for e in bundle["entry"]
                  if e["resource"]["resourceType"] == "Procedure"]  # fmt: skip
    assert [p["identifier"][0]["value"] for p in procedures] == [world.session_id]


def test_deleting_from_the_web_needs_the_password_and_the_word(world: World) -> None:
    client = world.clients["client"]
    wrong = post(client, "/account/data/delete", password="not it", confirm="DELETE")
    assert wrong.status_code == 400
    assert "Password: that is not your password" in error_text(wrong)
    unconfirmed = post(client, "/account/data/delete", password=PASSWORD, confirm="yes")
    assert "Confirmation: type DELETE" in error_text(unconfirmed)
    assert client.get("/account/data/export.json").json()["sessions"]


def test_a_client_deletes_their_account_and_is_signed_out(world: World) -> None:
    client = world.clients["client"]
    world.clock.set(world.clock() + timedelta(seconds=5))  # past the wrong tries' wait
    response = post(client, "/account/data/delete", password=PASSWORD, confirm="delete")
    assert response.status_code == 200
    assert "Nothing of yours is left" in html(response).css_first("main").text()
    assert html(response).css_first("form.sign-out") is None
    assert "sirelief_login=" in response.headers["set-cookie"]
    assert client.get("/", follow_redirects=False).status_code == 303
    names = {a.user_name for a in world.services.accounts.list_users()}
    assert "cleo" not in names


def test_an_admin_exports_and_deletes_for_a_client_and_the_log_keeps_it(world: World) -> None:
    admin = world.clients["admin"]
    here = f"/admin/accounts/{world.client_id}/data"
    assert html(admin.get(here)).css_first("h1").text() == "cleo's data"
    document = admin.get(f"{here}/export.json").json()
    assert document["audit"][-1]["action"] == "data exported"
    world.clock.set(world.clock() + timedelta(seconds=1))
    refused = post(admin, f"{here}/delete", confirm="")
    assert refused.status_code == 400
    assert "type DELETE" in error_text(refused)
    done = post(admin, f"{here}/delete", confirm="DELETE")
    assert done.status_code == 303
    assert done.headers["location"] == f"/admin/audit?account={world.client_id}"
    log = html(admin.get(done.headers["location"]))
    # newest first: the deletion, then the guard's "changed" line of the same instant
    first, second = (row.text() for row in log.css("table.audit-log tbody tr")[:2])
    assert "account deleted" in first
    assert f"deleted account {world.client_id[:8]}" in first
    assert "changed" in second
    assert admin.get(here).status_code == 404  # gone, like any unknown id


def test_staff_cannot_reach_a_clients_data_rights(world: World) -> None:
    here = f"/admin/accounts/{world.client_id}/data"
    assert world.clients["coach"].get(here).status_code == 403
    assert world.clients["other_clinic_coach"].get(here).status_code == 404
    coach_id = world.actors["coach"].user_id
    assert world.clients["admin"].get(f"/admin/accounts/{coach_id}/data").status_code == 404


# --- personal mode -----------------------------------------------------------------------
def test_personal_mode_exports_and_deletes_without_a_password(client: TestClient) -> None:
    start_session(client)
    page = html(client.get("/account/data"))
    assert page.css_first("input[name=password]") is None
    document = json.loads(client.get("/account/data/export.json").content)
    assert len(document["sessions"]) == 1
    assert document["audit"] == []
    refused = post(client, "/account/data/delete", confirm="please")
    assert refused.status_code == 400
    assert "type DELETE" in error_text(refused)
    done = post(client, "/account/data/delete", confirm="DELETE")
    assert done.status_code == 200
    assert "Deleted" in html(done).css_first("h1").text()
    assert client.get("/account/data/export.json").json()["sessions"] == []
    assert client.get("/").status_code == 200  # the owner carries on with a fresh start


def test_personal_mode_has_nobody_else_to_look(client: TestClient) -> None:
    page = html(client.get("/account/who-looked"))
    assert "nobody else has looked" in page.css_first("main").text()
    assert client.get("/admin/audit").status_code == 404
