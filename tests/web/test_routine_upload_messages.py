"""Routine uploads say exactly what happened, and a file checked only is kept for adding."""

from starlette.testclient import TestClient

from tests.web.web_support import csrf, html

GOOD = (
    "id: my-hips\nname: My hips\nsummary: Mine.\nblocks:\n  - id: main\n"
    "    title: Main\n    steps:\n      - exercise: figure-four-piriformis\n"
)


def send(client: TestClient, action: str, content: str | None = None, **fields):
    files = {"file": ("mine.yaml", content.encode())} if content is not None else None
    data = {"csrf_token": csrf(client), "action": action, **fields}
    return client.post("/routines", data=data, files=files, follow_redirects=False)


def outcome(response) -> str:
    return html(response).css_first(".outcome").text()


def test_check_only_says_nothing_was_added_and_keeps_the_file(client: TestClient) -> None:
    checked = send(client, "check", GOOD)
    assert outcome(checked) == "Checked only, nothing added: mine.yaml can be added."
    form = html(checked).css_first("form[action='/routines#add']")
    kept = {i.attributes["name"]: i.attributes["value"] for i in form.css("input[type=hidden]")}
    assert kept["kept_name"] == "mine.yaml"
    assert kept["kept"] == GOOD
    added = send(client, "add", None, kept=kept["kept"], kept_name=kept["kept_name"])
    assert added.status_code == 303
    page = html(client.get(added.headers["location"]))
    assert page.css_first("p.notice[role=status]").text() == "Added “My hips” to your routines."


def test_a_second_add_of_the_same_id_says_you_already_have_it(client: TestClient) -> None:
    assert send(client, "add", GOOD).status_code == 303
    again = send(client, "add", GOOD.replace("name: My hips", "name: My hips 2"))
    assert again.status_code == 400
    said = outcome(again)
    assert said.startswith("Not added: you already have a routine with the id “my-hips”")
    assert "“My hips”" in said
    assert "tick “Replace my routine with the same id”" in said


def test_a_file_with_problems_says_it_was_not_added(client: TestClient) -> None:
    response = send(client, "add", GOOD.replace("figure-four-piriformis", "nope"))
    assert response.status_code == 400
    assert outcome(response) == "Not added: mine.yaml has problems to fix."
    assert html(response).css_first("#kept-file") is None
