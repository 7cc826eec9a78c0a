"""Every route x every kind of account, on SQLite and PostgreSQL (issue 17, item 4).

The harness enumerates the app's routes (so a new route is in the matrix the moment it
exists), fills path parameters with the client Cleo's objects, and asks each route as
each person in ``ASKED``, with a valid CSRF token so only access is under test. It checks:

- the status is what ``domain.access.decide`` predicts from who the person is (built here
  from the world's facts, not read back from the app), and a few cells spelled out by hand;
- a 404 is word for word the 404 of an id that does not exist (an id tells nothing);
- a refused request shows none of Cleo's data, and a refused write changes no row.

A test app whose table leaves one route unguarded shows the harness catches it.
"""

import hashlib
import json
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass

import pytest
from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from starlette.testclient import TestClient

from sirelief.domain.access import Decision, Target, decide
from sirelief.settings import Settings
from sirelief.storage.schema import Base
from sirelief.web import access_table
from sirelief.web.access_guard import MissingAccessRuleError
from sirelief.web.access_table import ACCESS_TABLE, EVERYONE, clients_data
from sirelief.web.app import create_app
from tests.web.access_world import ASKED, BASE, OWN_ROUTINE, World, build_world
from tests.web.fake_printer import fake_chromium
from tests.web.web_support import csrf, html

UNKNOWN_ID = "0" * 32
SAMPLE_PARAMETERS = {
    "exercise_id": "kb-hip-flexor-smash",
    "side": "left",
    "pose": "start",
    "routine_id": "kettlebell-smash-reset",
    "icon_name": "icon-192",
}
"""Path parameters that name shared things; ``session_id``, ``client_id`` and ``login_id``
are Cleo's, ``invitation_id`` and ``token`` coach Ada's invitations, ``reset_token`` a
password-reset link of Dan's (``World``)."""
SIGNING_OUT = {"/sign-out", "/account/logins/{login_id}/end"}
"""Routes that end the asker's login when allowed: asked last, then signed in again."""
CHANGING_TABLES = {"logins", "audit_log", "sign_in_failures"}
"""Rows a request may write whatever it is refused (its login seen, the audit trail)."""
BY_HAND = {
    ("GET", "/sessions/{session_id}"): {
        "anonymous": 303, "client": 200, "other_client": 404, "coach": 200,
        "idle_coach": 404, "other_clinic_coach": 404, "admin": 200,
    },
    ("POST", "/sessions/{session_id}/events"): {
        "anonymous": 401, "other_client": 404, "coach": 404, "idle_coach": 404,
        "other_clinic_coach": 404, "admin": 403,
    },
    ("GET", "/clients/{client_id}"): {
        "anonymous": 303, "client": 403, "other_client": 404, "coach": 200,
        "idle_coach": 404, "other_clinic_coach": 404, "admin": 200,
    },
    ("GET", "/checkin"): {"client": 200, "coach": 403, "admin": 403},
    ("GET", "/exercises"): {"client": 200, "coach": 200, "other_clinic_coach": 200},
    ("POST", "/account/logins/{login_id}/end"): {
        "anonymous": 303, "other_client": 404, "coach": 404, "other_clinic_coach": 404,
        "admin": 404,
    },
    ("GET", "/invitations"): {"anonymous": 303, "client": 403, "coach": 200, "admin": 200},
    ("GET", "/invitations/{invitation_id}"): {
        "anonymous": 303, "client": 404, "other_client": 404, "coach": 200,
        "idle_coach": 404, "other_clinic_coach": 404, "admin": 200,
    },
    ("GET", "/join/{token}"): {"anonymous": 200, "client": 200},
    ("GET", "/password-reset/{reset_token}"): {"anonymous": 200, "client": 200, "admin": 200},
    ("POST", "/password-reset/{reset_token}"): {"anonymous": 400, "coach": 400},
    ("GET", "/settings"): {"anonymous": 303, "client": 200, "coach": 403, "admin": 403},
    ("POST", "/settings/calendar/revoke"): {"anonymous": 303, "other_client": 303,
                                           "coach": 403, "admin": 403},
    ("GET", "/calendar/{feed_token}.ics"): {"anonymous": 200, "coach": 200, "client": 200},
    ("GET", "/templates"): {"anonymous": 303, "client": 403, "coach": 200, "admin": 200},
    ("POST", "/templates"): {"client": 403, "coach": 400, "admin": 403},
    ("GET", "/templates/builder"): {"anonymous": 303, "client": 403, "coach": 200,
                                    "other_clinic_coach": 200, "admin": 403},
    ("POST", "/templates/builder"): {"anonymous": 303, "client": 403, "coach": 200,
                                     "admin": 403},
    ("GET", "/routines/builder"): {"anonymous": 303, "client": 200, "coach": 403, "admin": 403},
    ("POST", "/routines/builder"): {"anonymous": 303, "client": 200, "coach": 403,
                                    "admin": 403},
    ("GET", "/templates/{template_id}"): {
        "anonymous": 303, "client": 403, "other_client": 403, "coach": 200, "idle_coach": 200,
        "other_clinic_coach": 404, "admin": 200,
    },
    ("GET", "/templates/{template_id}/sheet.pdf"): {
        "anonymous": 303, "client": 403, "other_client": 403, "coach": 200, "idle_coach": 200,
        "other_clinic_coach": 404, "admin": 200,
    },
    ("GET", "/routines/{routine_id}/sheet"): {
        "anonymous": 303, "client": 200, "coach": 200, "other_clinic_coach": 200, "admin": 200,
    },
    ("POST", "/templates/{template_id}/share"): {
        "client": 403, "coach": 400, "idle_coach": 400, "other_clinic_coach": 404,
        "admin": 403,
    },
    ("POST", "/clients/{client_id}/assignment"): {
        "anonymous": 303, "client": 403, "other_client": 404, "coach": 400, "idle_coach": 404,
        "other_clinic_coach": 404, "admin": 403,
    },
    ("POST", "/clients/{client_id}/assignment/note"): {
        "anonymous": 303, "client": 403, "other_client": 404, "coach": 400, "idle_coach": 404,
        "other_clinic_coach": 404, "admin": 403,
    },
    ("POST", "/clients/{client_id}/alerts/dismiss"): {
        "anonymous": 303, "other_client": 404, "coach": 400, "idle_coach": 404,
        "other_clinic_coach": 404,
    },
    ("POST", "/templates/{template_id}/share-link"): {
        "anonymous": 303, "client": 403, "coach": 200, "idle_coach": 400,
        "other_clinic_coach": 404, "admin": 403,
    },
    ("POST", "/templates/{template_id}/share-link/revoke"): {
        "client": 403, "coach": 303, "idle_coach": 400, "other_clinic_coach": 404,
        "admin": 403,
    },
    ("POST", "/templates/{template_id}/note"): {
        "client": 403, "coach": 303, "idle_coach": 400, "other_clinic_coach": 404,
        "admin": 403,
    },
    ("GET", "/shared/{share_token}"): {
        "anonymous": 200, "client": 200, "other_clinic_coach": 200, "admin": 200,
    },
    ("GET", "/shared/{share_token}/routine.yaml"): {"anonymous": 200, "other_client": 200},
    ("POST", "/routines/{routine_id}/share-link"): {
        "anonymous": 303, "client": 200, "other_client": 200, "coach": 403, "admin": 403,
    },
    ("POST", "/routines/import"): {"anonymous": 303, "client": 400, "coach": 403},
    ("GET", "/findings"): {"anonymous": 303, "client": 200, "coach": 403, "admin": 403},
    ("POST", "/findings"): {"anonymous": 303, "client": 400, "other_client": 400,
                            "coach": 403, "admin": 403},
    ("GET", "/clients/{client_id}/findings"): {
        "anonymous": 303, "client": 403, "other_client": 404, "coach": 200, "idle_coach": 404,
        "other_clinic_coach": 404, "admin": 200,
    },
    ("POST", "/clients/{client_id}/findings"): {
        "anonymous": 303, "client": 403, "other_client": 404, "coach": 400, "idle_coach": 404,
        "other_clinic_coach": 404, "admin": 403,
    },
    ("GET", "/alerts/settings"): {"anonymous": 303, "client": 403, "coach": 200, "admin": 403},
    ("GET", "/settings/push/key"): {"anonymous": 303, "client": 200, "coach": 403, "admin": 403},
    ("POST", "/settings/push"): {"anonymous": 303, "client": 400, "coach": 403, "admin": 403},
    ("POST", "/settings/push/remove-all"): {"anonymous": 303, "other_client": 303,
                                            "coach": 403, "admin": 403},
}  # fmt: skip
"""Cells spelled out by hand, so a wrong ``decide`` cannot agree with itself."""


@dataclass(frozen=True)
class Ask:
    method: str
    template: str
    names_object: str | None

    def path(self, world: World, object_id: str | None = None) -> str:
        values = {**SAMPLE_PARAMETERS, "session_id": world.session_id,
                  "client_id": world.client_id, "account_id": world.client_id,
                  "invitation_id": world.invitation_id, "template_id": world.template_id,
                  "token": world.join_token, "reset_token": world.reset_token}  # fmt: skip
        if "{feed_token}" in self.template:
            values["feed_token"] = world.feed_token()
        if "{share_token}" in self.template:
            values["share_token"] = world.share_token()
        if self.template.startswith("/routines/{routine_id}/share-link"):
            values["routine_id"] = OWN_ROUTINE  # a person's own routine, not a built-in
        if "{login_id}" in self.template:
            values["login_id"] = world.client_login_id()
        if self.names_object:
            values[self.names_object] = object_id or values[self.names_object]
        return self.template.format(**values)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def world(request, tmp_path_factory) -> Iterator[World]:
    folder = tmp_path_factory.mktemp("access")
    with ExitStack() as stack:
        if request.param == "sqlite":
            url = f"sqlite:///{folder / 'sirelief.db'}"
        else:
            from tests.storage.postgres_support import fresh_postgres_url, postgres_admin_engine

            admin = postgres_admin_engine()
            stack.callback(admin.dispose)
            urls = fresh_postgres_url(admin, "sirelief_access")
            url = next(urls)
            stack.callback(urls.close)
        settings = Settings(data_dir=folder / "data", database_url=url,
                            chromium_path=fake_chromium(folder / "bin"))  # fmt: skip
        yield build_world(settings, stack)


def asks(app) -> list[Ask]:
    """Every (method, path template) the app routes, with what its entry says it names."""
    found = []
    for route in app.routes:
        if isinstance(route, Route):
            for method in sorted((route.methods or {"GET"}) - {"HEAD"}):
                entry = ACCESS_TABLE[(method, route.path)]
                found.append(Ask(method, route.path, entry.names_object))
    return sorted(found, key=lambda ask: ask.template in SIGNING_OUT)  # they end the logins


def send(world: World, who: str, ask: Ask, object_id: str | None = None):
    client = world.clients[who]
    path = ask.path(world, object_id)
    if ask.method == "GET":
        return client.get(path, follow_redirects=False)
    if path.endswith("/events"):
        return client.post(path, json={"events": []}, headers={"x-csrf-token": csrf(client)})
    return client.post(path, data={"csrf_token": csrf(client)}, follow_redirects=False)


def expected(world: World, who: str, ask: Ask) -> int | None:
    """The status ``decide`` predicts (None: allowed, any answer but a refusal)."""
    rule = ACCESS_TABLE[(ask.method, ask.template)].rule
    if rule is None:
        return None
    if who == "anonymous":
        return 401 if ask.template.endswith("/events") else 303
    actor = world.actors[who]
    if ask.names_object:
        target = world.target_of(ask.names_object)
    else:
        target = Target(actor.clinic_id, actor.user_id)
    decision = decide(actor, rule, target)
    return {Decision.NOT_FOUND: 404, Decision.FORBIDDEN: 403}.get(decision)


def digest(world: World) -> str:
    """Every row of every table but those a refused request may still write."""
    hasher = hashlib.sha256()
    with world.services.database.read() as tx:
        for table in Base.metadata.sorted_tables:
            if table.name in CHANGING_TABLES:
                continue
            rows = sorted(repr(tuple(row)) for row in tx.execute(select(table)))
            hasher.update(json.dumps([table.name, rows]).encode())
    return hasher.hexdigest()


def main_text(response) -> str:
    if response.headers.get("content-type", "").startswith("application/json"):
        return response.text
    return html(response).css_first("main").text()


def mismatches(world: World, app_asks: list[Ask]) -> list[str]:
    """Every cell where the app's answer is not what the table and ``decide`` predict."""
    problems = []
    private = [world.session_id, "cleo"]
    for ask in app_asks:
        for who in ASKED:
            want = expected(world, who, ask)
            before = digest(world) if ask.method == "POST" and want is not None else None
            response = send(world, who, ask)
            if ask.template in SIGNING_OUT and who != "anonymous" and want is None:
                world.sign_in(who)  # its login ended
            got = response.status_code
            cell = f"{ask.method} {ask.template} as {who}: {got}"
            if got >= 500:
                problems.append(f"{cell}, a server error")
            elif want is None:
                sent_away = response.headers.get("location", "").startswith("/sign-in")
                if got in (401, 403, 404) or (sent_away and ask.template not in SIGNING_OUT):
                    problems.append(f"{cell}, but it should be allowed")
            elif got != want:
                problems.append(f"{cell}, want {want}")
            if want is not None and got == want:
                if any(secret in response.text for secret in private):
                    problems.append(f"{cell} shows Cleo's data")
                if before is not None and digest(world) != before:
                    problems.append(f"{cell} changed stored data")
                if got == 404 and ask.names_object:
                    unknown = send(world, who, ask, UNKNOWN_ID)
                    if (unknown.status_code, main_text(unknown)) != (404, main_text(response)):
                        problems.append(f"{cell} differs from an unknown id's 404")
    return problems


def test_every_route_answers_every_kind_of_account_as_the_table_says(world: World) -> None:
    app = world.clients["client"].app
    app_asks = asks(app)
    assert len(app_asks) >= len(ACCESS_TABLE) - 0  # every entry is a route the app has
    assert mismatches(world, app_asks) == []


def test_cells_spelled_out_by_hand(world: World) -> None:
    by_template = {(a.method, a.template): a for a in asks(world.clients["client"].app)}
    wrong = {}
    for key, statuses in BY_HAND.items():
        for who, want in statuses.items():
            got = send(world, who, by_template[key]).status_code
            if got != want:
                wrong[(key, who)] = got
    assert wrong == {}


def test_every_table_entry_is_a_route_of_the_app(world: World) -> None:
    routed = {(a.method, a.template) for a in asks(world.clients["client"].app)}
    assert set(ACCESS_TABLE) - routed == set()


def test_a_route_missing_from_the_table_stops_the_app_from_starting(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    table = dict(ACCESS_TABLE)
    del table[("GET", "/insights")]
    monkeypatch.setattr(access_table, "ACCESS_TABLE", table)
    monkeypatch.setattr("sirelief.web.access_guard.ACCESS_TABLE", table)
    with pytest.raises(MissingAccessRuleError, match="GET /insights"):
        create_app(settings)


LEAK = "/sessions/{session_id}/leak"


async def leaky_session(request: Request) -> Response:
    """Reads any session by id straight from the installation, as a careless page might."""
    services = request.app.state.context.services
    session_id = request.path_params["session_id"]
    owner = services.accounts.owner_of_session(session_id)
    if owner is None:
        return PlainTextResponse("none", 404)
    person = services.for_profile(services.accounts.profile_of(owner.owner_id))
    return PlainTextResponse(f"{session_id}: {person.sessions.record_of(session_id).plan}")


def test_the_harness_catches_a_route_left_open(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A test app with one route added after the guard wrapped the others, declared as a
    client's data: the same harness reports the other clinic's coach reading it."""
    table = {**ACCESS_TABLE, ("GET", LEAK): clients_data(EVERYONE, "session_id")}
    monkeypatch.setattr(f"{__name__}.ACCESS_TABLE", table)
    app = create_app(world.settings, clock=world.clock)
    app.router.routes.insert(0, Route(LEAK, leaky_session))
    originals = dict(world.clients)
    try:
        with ExitStack() as stack:
            for who, client in originals.items():
                twin = TestClient(app, base_url=BASE, cookies=client.cookies)
                world.clients[who] = stack.enter_context(twin)
            problems = mismatches(world, [Ask("GET", LEAK, "session_id")])
    finally:
        world.clients.update(originals)
    assert f"GET {LEAK} as other_clinic_coach: 200, want 404" in problems
    assert f"GET {LEAK} as other_clinic_coach: 200 shows Cleo's data" not in problems  # 200
    assert any("other_client: 200, want 404" in problem for problem in problems)


def test_each_app_guards_its_own_copy_of_the_routes(settings: Settings) -> None:
    """The page modules' route lists are shared; wrapping them in place would make a
    second app ask the first app's database who owns an object."""
    from sirelief.web.pages import sessions

    first, second = create_app(settings), create_app(settings)
    page = ("/sessions/{session_id}", frozenset({"GET", "HEAD"}))
    apps = [r.app for app in (first, second) for r in app.routes
            if isinstance(r, Route) and (r.path, frozenset(r.methods or ())) == page]  # fmt: skip
    assert len(apps) == 2
    assert apps[0] is not apps[1]
    assert not any(type(r.app).__name__ == "AccessGuard" for r in sessions.ROUTES)
