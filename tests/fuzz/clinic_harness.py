"""A clinic installation under fuzz: what only clinic mode serves, for every kind of account.

Built on tests/web/access_world.py's ``build_world`` (two clinics, an admin, coaches and
clients, each signed in), with test clients that report a server error as a 500 instead of
raising it. Every probe passes the checks of tests/fuzz/harness.py (no 5xx, no traceback,
nothing written when refused) and those of signing in:

- a redirect never leads to another site (its location starts with one "/"), nor does the
  ``next`` the sign-in form carries;
- a refused sign-in answers 400 or 429 with the form again, and only the right password
  signs anyone in;
- an unknown client or session id answers 404, and a login cookie no login has signs
  nobody in.

The installation's clock is a ``MovableClock``: the sign-in delay (up to a minute after a
few failures, ``domain/accounts.py``) is passed by moving it, never by waiting. The
service does not sleep either: a try during the delay is answered 429 at once.

Shared by tests/fuzz/test_clinic_fuzz.py and bench/fuzz.py (``any_probe``).
"""

import functools
import hashlib
import json
from contextlib import ExitStack
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import pyotp
from hypothesis import strategies as st
from sqlalchemy import select
from starlette.testclient import TestClient

from sirelief.domain.accounts import LONGEST_DELAY_S, fold_user_name
from sirelief.settings import Settings
from sirelief.storage.schema import Base
from sirelief.web.sign_in import LOGIN_COOKIE
from tests.fuzz import strategies as fuzz
from tests.fuzz.harness import Tally, traceback_in
from tests.web.access_world import BASE, PASSWORD, PEOPLE, build_world
from tests.web.fake_printer import fake_chromium
from tests.web.web_support import csrf, html, start_session

CHANGING_TABLES = {"logins", "audit_log", "sign_in_failures"}
"""Rows a request may write however it is answered: its login seen, a failed sign-in
recorded (it slows the next tries), the audit trail."""
STAFF_PAGES = (
    "/", "/clients/{id}", "/invitations/{id}", "/admin/accounts/{id}/data", "/admin/audit",
    "/account/data", "/account/logins", "/account/password", "/account/two-step",
    "/account/who-looked", "/invitations", "/templates", "/alerts/settings", "/settings",
    "/what-helps",
)  # fmt: skip
"""Pages any signed-in account may ask for with hostile ids and queries: an unknown id
answers 404 (an invitation or an account id is unknown as a client id too)."""
ACCOUNT_FORMS = (
    "/account/password", "/account/two-step", "/account/recovery-codes",
    "/account/logins/{id}/end", "/invitations", "/invitations/{id}/revoke",
    "/settings/calendar/revoke", "/settings/push/remove-all", "/routines/import",
    "/routines/{id}/share-link", "/routines/{id}/share-link/revoke",
    "/clients/{id}/assignment/note",
)  # fmt: skip
"""Forms whose fields no other fuzz test sends (deleting data and ending every other login
are left out: accepted, they would change what later examples stand on)."""
SESSION_PAGES = ("/sessions/{id}", "/sessions/{id}/run", "/sessions/{id}/results")
SESSION_WRITES = ("/sessions/{id}/act", "/sessions/{id}/events")
SIGNED_IN = ("client", "other_client", "coach", "idle_coach", "other_clinic_coach", "admin")
COOKIE_PROBES = (("GET", "/"), ("GET", "/history"), ("GET", "/sessions/{id}"),
                 ("GET", "/clients/{id}"), ("GET", "/sign-in"), ("POST", "/sign-out"),
                 ("POST", "/sessions/{id}/events"), ("POST", "/checkin"))  # fmt: skip
TEMPLATE_ROUTES = (("GET", "/templates/{id}"), ("POST", "/templates/{id}/share"),
                   ("GET", "/templates"), ("GET", "/templates/{id}/sheet"),
                   ("GET", "/templates/{id}/sheet.pdf"), ("POST", "/templates/{id}/note"),
                   ("POST", "/templates/{id}/share-link"),
                   ("POST", "/templates/{id}/share-link/revoke"))  # fmt: skip
SHEET_PAGES = ("/templates/{id}/sheet", "/templates/{id}/sheet.pdf",
               "/routines/hips-for-cleo/sheet.pdf", "/routines/gentle-day/sheet.pdf")  # fmt: skip
"""Printable sheets with a real template or routine, for hostile ``version`` and ``paper``."""
DOT_SEGMENTS = {".", ".."}
"""Path parts the HTTP client folds away: ``/clients/..`` is ``/``, not an id."""


def local(location: str) -> bool:
    """A path on this site: one leading "/", and no backslash or control character a
    browser would read as a "/" or drop (a tab: "/\t/evil.example" is "//evil.example").
    This site's own origin before it is local too (Starlette's "/x/" to "/x" redirect)."""
    location = location.removeprefix(BASE)
    return (
        location.startswith("/")
        and location[1:2] not in ("/", "\\")
        and not any(ord(c) < 0x20 or ord(c) == 0x7F for c in location)
    )


class ClinicTarget(Tally):
    """The world's app, a test client per kind of account and one for strangers."""

    def __init__(self, folder: Path, database_url: str | None = None) -> None:
        """On ``database_url`` (PostgreSQL: it keeps no NUL, checks lengths), else SQLite."""
        folder.mkdir(parents=True, exist_ok=True)
        self.stack = ExitStack()
        url = database_url or f"sqlite:///{folder / 'sirelief.db'}"
        settings = Settings(data_dir=folder, database_url=url,
                            chromium_path=fake_chromium(folder / "bin"))  # fmt: skip
        self.world = world = build_world(settings, self.stack)
        self.clock = world.clock
        self.accounts = world.services.accounts
        app = world.clients["client"].app
        self.clients = {
            who: self._client(app, client.cookies) for who, client in world.clients.items()
        }
        self.stranger = self._client(app)
        """Anonymous, for sign-in and hostile login cookies; keeps no login between probes."""
        self.stranger.get("/sign-in")
        self.token = csrf(self.stranger)
        self.bare = self._client(app)
        """Sends its cookies by hand (raw bytes), keeps none."""
        self.epoch = self.clock().timestamp()
        self.foreign_session = start_session(self._signed_in("other_clinic_client"))
        self.ids = {
            "client": [world.client_id, world.actors["other_client"].user_id,
                       world.actors["other_clinic_client"].user_id,
                       world.actors["coach"].user_id],
            "session": [world.session_id, self.foreign_session],
            "template": [world.template_id],
        }  # fmt: skip
        names = [user_name for user_name, *_ in PEOPLE.values()]
        self.strategies = {
            "sign_in": fuzz.sign_in_form(names, PASSWORD),
            "right_sign_in": fuzz.sign_in_form(names, PASSWORD, right=True),
            "next": fuzz.next_target(),
            "cookie": fuzz.login_cookie(world.clients["client"].cookies.get(LOGIN_COOKIE)),
            "client_id": fuzz.object_id(self.ids["client"]),
            "session_id": fuzz.object_id(self.ids["session"]),
            "query": fuzz.get_request().map(lambda a: a.partition("?")[2]),
            "act": fuzz.act_form(),
            "events": fuzz.event_body(self.epoch),
            "reset": fuzz.reset_form("a brand new phrase for dan"),
            "template_id": fuzz.object_id(self.ids["template"]),
            "assign": fuzz.assign_form(self.ids["template"]),
            "sheet_query": fuzz.sheet_query(),
            "share": st.dictionaries(
                st.sampled_from(["shared", "x", "note", "version", "show_name"]),
                st.one_of(st.sampled_from(["on", "off", "1", "x" * 1001]), fuzz.hostile_text()),
            ),
        }

    def _client(self, app, cookies=None) -> TestClient:
        client = TestClient(app, base_url=BASE, cookies=cookies, raise_server_exceptions=False)
        return self.stack.enter_context(client)

    def _signed_in(self, who: str) -> TestClient:
        """A client for someone ``build_world`` signs nobody in as."""
        client = self._client(self.stranger.app)
        client.get("/sign-in")
        login = self.accounts.sign_in(PEOPLE[who][0], PASSWORD, address="127.0.0.1")
        client.cookies.set(LOGIN_COOKIE, login)
        return client

    def close(self) -> None:
        self.stack.close()

    # --- the stored data ---------------------------------------------------------------
    def digest(self) -> str:
        """Every row of every table but those any request may write."""
        hasher = hashlib.sha256()
        with self.world.services.database.read() as tx:
            for table in Base.metadata.sorted_tables:
                if table.name not in CHANGING_TABLES:
                    rows = sorted(repr(tuple(row)) for row in tx.execute(select(table)))
                    hasher.update(json.dumps([table.name, rows]).encode())
        return hasher.hexdigest()

    # --- checks ------------------------------------------------------------------------
    def _send(self, client: TestClient, label: str, method: str, address: str, **request):
        """One request and the problems any answer may show: a 5xx, a traceback, a
        redirect to another site."""
        self.inputs += 1
        response = client.request(method, address, follow_redirects=False, **request)
        problems = self._response_problems(f"{label} {address[:200]!r}", response)
        location = response.headers.get("location")
        if location is not None and not local(location):
            problems.append(f"{label} {address[:200]!r}: redirects off-site to {location!r}")
        return response, problems

    def _write(self, client: TestClient, label: str, address: str, **request):
        """A POST: refused, it leaves the stored data as it was; accepted, the pages that
        show it still work."""
        before = self.digest()
        response, problems = self._send(client, label, "POST", address, **request)
        if self.digest() != before:
            if response.status_code >= 400:
                problems.append(f"{label} {address[:200]!r}: refused, yet the data changed")
            else:
                self.accepted += 1
                problems += self.read_back()
        return response, problems

    def read_back(self) -> list[str]:
        """The client's own pages and their coach's view of them."""
        problems = []
        cleo, coach = self.clients["client"], self.clients["coach"]
        for client, page in ((cleo, "/"), (cleo, "/history"), (cleo, "/insights"),
                             (coach, f"/clients/{self.world.client_id}"),
                             (coach, f"/sessions/{self.world.session_id}/results")):  # fmt: skip
            response = client.get(page)
            if response.status_code != 200 or traceback_in(response.text):
                problems.append(f"GET {page} answers {response.status_code} afterwards")
        return problems

    def _unknown(self, kind: str, object_id: str) -> bool:
        return object_id not in self.ids[kind] and object_id not in DOT_SEGMENTS

    # --- probes ------------------------------------------------------------------------
    def sign_in_page(self, next_value: str) -> list[str]:
        """GET /sign-in?next=...: the form carries only a local ``next``."""
        address = f"/sign-in?next={quote(next_value, safe='')}"
        response, problems = self._send(self.stranger, "sign-in page", "GET", address)
        if response.status_code != 200:
            return [*problems, f"GET {address[:200]!r}: {response.status_code}, want 200"]
        carried = html(response).css_first("form input[name=next]").attributes.get("value")
        if not local(carried or ""):
            problems.append(f"GET {address[:200]!r}: the form carries next={carried!r}")
        return problems

    def sign_in(
        self, form: dict, token: str | None, wait_out_delay: bool, expect: int | None = None
    ) -> list[str]:
        """POST /sign-in by a stranger (``token``: the CSRF token sent, None: none;
        ``expect``: the status it must answer)."""
        if wait_out_delay:  # past the longest delay: the try is heard, not answered 429
            self._advance(LONGEST_DELAY_S + 1)
        form = dict(form)
        if form.get("code") == fuzz.VALID_CODE:
            form["code"] = self._code_for(form.get("user_name"))
        if token is not None:
            form["csrf_token"] = token
        self.stranger.cookies.delete(LOGIN_COOKIE)
        response, problems = self._write(self.stranger, "sign-in", "/sign-in", data=form)
        self.stranger.cookies.delete(LOGIN_COOKIE)
        status = response.status_code
        user_name = form.get("user_name")
        if isinstance(user_name, list):  # a field sent twice: the form reads the last one
            user_name = user_name[-1] if user_name else None
        right = (
            form.get("password") == PASSWORD
            and isinstance(user_name, str)
            and fold_user_name(user_name) in {name for name, *_ in PEOPLE.values()}
        )
        if expect is not None and status != expect:
            problems.append(f"sign-in: {form!r} answers {status}, want {expect}")
        if status == 303 and not right:
            problems.append(f"sign-in: {form!r} signed someone in")
        elif status in (200, 400, 429):
            if html(response).css_first('form[action="/sign-in"] input[name=user_name]') is None:
                problems.append(f"sign-in: {status} without the form")
        elif status != 303 and not (status == 403 and token != self.token):
            problems.append(f"sign-in: {form!r} answers {status}")
        return problems

    def _advance(self, seconds: int) -> None:
        """Move the clock on, and keep every signed-in client's login from idling out
        (a coach's ends after 30 minutes unused)."""
        self.clock.set(self.clock() + timedelta(seconds=seconds))
        for client in self.clients.values():
            login = client.cookies.get(LOGIN_COOKIE)
            if login:
                self.accounts.actor_for(login)

    def _code_for(self, user_name) -> str:
        """The code the user's app shows now (a fresh time step: a code is used once)."""
        self._advance(30)
        if isinstance(user_name, list):
            user_name = user_name[-1] if user_name else None
        for who, (name, *_) in PEOPLE.items():
            if isinstance(user_name, str) and fold_user_name(user_name) == name:
                secret = self.world.secrets.get(who)
                return pyotp.TOTP(secret).at(self.clock()) if secret else "000000"
        return "000000"

    def sign_out(self, token: str | None, form: dict) -> list[str]:
        """POST /sign-out from a fresh login of the client: it ends, unless refused."""
        self._advance(LONGEST_DELAY_S + 1)  # see sign_in
        login = self.accounts.sign_in(PEOPLE["client"][0], PASSWORD, address="127.0.0.1")
        self.stranger.cookies.set(LOGIN_COOKIE, login)
        data = {**form, **({"csrf_token": token} if token is not None else {})}
        response, problems = self._write(self.stranger, "sign-out", "/sign-out", data=data)
        self.stranger.cookies.delete(LOGIN_COOKIE)
        ended = self.accounts.actor_for(login) is None
        if response.status_code == 303 and not ended:
            problems.append("sign-out: answered 303, yet the login lives on")
        elif response.status_code != 303 and ended:
            problems.append(f"sign-out: refused with {response.status_code}, yet it ended")
        elif response.status_code not in (303, 403):
            problems.append(f"sign-out: {response.status_code}")
        return problems

    def staff_page(self, who: str, page: str, client_id: str, query: str) -> list[str]:
        """A coach's or admin's page (anyone may ask): unknown ids answer 404."""
        address = page.replace("{id}", quote(client_id, safe="")) + (f"?{query}" if query else "")
        response, problems = self._send(self.clients[who], f"as {who}", "GET", address)
        if "{id}" in page and self._unknown("client", client_id) and response.status_code != 404:
            problems.append(f"GET {address[:200]!r} as {who}: {response.status_code}, want 404")
        return problems

    def session_route(self, who: str, route: str, session_id: str, body) -> list[str]:
        """A session's pages and writes as any account: unknown ids answer 404."""
        address = route.replace("{id}", quote(session_id, safe=""))
        client = self.clients[who]
        if route.endswith("/events"):
            headers = {"x-csrf-token": csrf(client), "content-type": "application/json"}
            response, problems = self._write(client, f"as {who}", address, content=body,
                                             headers=headers)  # fmt: skip
        elif route.endswith("/act"):
            data = {**body, "csrf_token": csrf(client)}
            response, problems = self._write(client, f"as {who}", address, data=data)
        else:
            response, problems = self._send(client, f"as {who}", "GET", address)
        if self._unknown("session", session_id) and response.status_code != 404:
            problems.append(f"{address[:200]!r} as {who}: {response.status_code}, want 404")
        return problems

    def account_form(self, who: str, route: str, some_id: str, form: dict) -> list[str]:
        """An account, invitation or settings form posted as anyone with hostile fields:
        never a 5xx, and a refusal changes nothing (``_write``)."""
        address = route.replace("{id}", quote(some_id, safe=""))
        client = self.clients[who]
        _, problems = self._write(client, f"as {who}", address,
                                  data={**form, "csrf_token": csrf(client)})  # fmt: skip
        return problems

    def assignment(self, who: str, client_id: str, form: dict) -> list[str]:
        """The assign form posted as anyone, for any client id: unknown ids answer 404,
        a refusal names its field (400) and changes nothing."""
        address = f"/clients/{quote(client_id, safe='')}/assignment"
        client = self.clients[who]
        data = {**form, "csrf_token": csrf(client)}
        response, problems = self._write(client, f"as {who}", address, data=data)
        if self._unknown("client", client_id) and response.status_code != 404:
            problems.append(f"POST {address[:200]!r} as {who}: {response.status_code}, want 404")
        missing = html(response).css_first("#coach-routine .error") is None
        if response.status_code == 400 and who == "coach" and missing:
            problems.append(f"POST {address[:200]!r}: 400 without the field's message")
        return problems

    def template_route(self, who: str, route: tuple, template_id: str, form: dict) -> list[str]:
        """A template's page and its share button as anyone: unknown ids answer 404."""
        method, page = route
        address = page.replace("{id}", quote(template_id, safe=""))
        client = self.clients[who]
        if method == "POST":
            data = {**form, "csrf_token": csrf(client)}
            response, problems = self._write(client, f"as {who}", address, data=data)
        else:
            response, problems = self._send(client, f"as {who}", "GET", address)
        unknown = "{id}" in page and self._unknown("template", template_id)
        if unknown and response.status_code != 404:
            problems.append(f"{method} {address[:200]!r} as {who}: {response.status_code}, "
                            "want 404")  # fmt: skip
        return problems

    def sheet(self, who: str, page: str, query: str) -> list[str]:
        """A real template's or routine's sheet with a hostile query: a refusal (400)
        names the query parameter it could not use."""
        address = page.replace("{id}", self.world.template_id) + (f"?{query}" if query else "")
        response, problems = self._send(self.clients[who], f"as {who}", "GET", address)
        if response.status_code == 400:
            said = html(response).css_first("main .lead")
            if said is None or not said.text().startswith(("Version:", "Paper:")):
                problems.append(f"GET {address[:200]!r} as {who}: 400 naming no field")
        return problems

    def login_cookie(self, value: bytes, method: str, page: str) -> list[str]:
        """A login cookie no login has: the request is a stranger's."""
        address = page.replace("{id}", self.world.session_id if "sessions" in page
                               else self.world.client_id)  # fmt: skip
        cookie = f"sirelief_csrf={self.token}; {LOGIN_COOKIE}=".encode() + value
        headers = {"cookie": cookie, "x-csrf-token": self.token}
        if page.endswith("/events"):
            request = {"headers": {**headers, "content-type": "application/json"},
                       "content": b'{"events": []}'}  # fmt: skip
        else:
            request = {"headers": headers, "data": {"csrf_token": self.token}}
        self.bare.cookies.clear()
        if method == "GET":
            response, problems = self._send(self.bare, "cookie", "GET", address, **request)
        else:
            response, problems = self._write(self.bare, "cookie", address, **request)
        self.bare.cookies.clear()
        status, location = response.status_code, response.headers.get("location", "")
        if page == "/sign-in":
            wanted = status == 200
        elif page.endswith("/events"):
            wanted = status in (401, 403)
        else:
            wanted = (status == 303 and location.startswith("/sign-in")) or status == 403
        if not wanted:
            problems.append(f"{method} {page} with cookie {value[:40]!r}: {status} {location}")
        return problems

    def password_reset(
        self, real_link: bool, token: str, method: str, form: dict, csrf_token: str | None
    ) -> list[str]:
        """GET or POST /password-reset/... by a stranger, with the world's real link (Dan's)
        or a hostile token: only the real link with a good password typed twice changes
        anything (then it is spent and a new one made); every other link answers 404."""
        self._advance(LONGEST_DELAY_S + 1)  # past the slowing a bad link causes
        token = self.world.reset_token if real_link else token
        address = f"/password-reset/{quote(token, safe='')}"
        if method == "GET":
            response, problems = self._send(self.stranger, "reset", "GET", address)
        else:
            data = {**form, **({"csrf_token": csrf_token} if csrf_token is not None else {})}
            response, problems = self._write(self.stranger, "reset", address, data=data)
        status, label = response.status_code, f"{method} reset {address[:80]!r} {form!r}"
        page = html(response)
        if status == 303:
            if not real_link or method == "GET":
                problems.append(f"{label}: changed a password without the link")
            elif response.headers["location"] != "/sign-in?password=changed":
                problems.append(f"{label}: led to {response.headers['location']!r}")
            self._advance(LONGEST_DELAY_S + 1)
            if self.stranger.get(address).status_code != 404:
                problems.append(f"{label}: the spent link still opens")
            resets = self.world.services.password_resets
            resets.redeem(resets.make("dan")[0], PASSWORD)  # what the other probes sign in with
            self.world.reset_token = resets.make("dan")[0]
        elif status in (200, 400) and real_link:
            if page.css_first("main form input[name=password]") is None:
                problems.append(f"{label}: {status} without the form")
        elif status == 404 and not real_link:
            if page.css_first("input[name=password]") is not None:
                problems.append(f"{label}: a bad link shows the form")
        elif not (status == 403 and csrf_token != self.token):
            problems.append(f"{label}: answers {status}")
        return problems

    # --- one probe of any kind (bench/fuzz.py) --------------------------------------------
    def any_probe(self, data) -> list[str]:
        kind = data.draw(st.sampled_from(["sign-in page", "sign-in", "sign-out", "staff",
                                          "session", "cookie", "reset"]))  # fmt: skip
        draw = functools.partial(_draw, data, self.strategies)
        if kind == "sign-in page":
            return self.sign_in_page(draw("next"))
        if kind == "sign-in":
            return self.sign_in(draw("sign_in"), draw(csrf_tokens(self.token)), draw(st.booleans()))
        if kind == "sign-out":
            return self.sign_out(draw(csrf_tokens(self.token)), {})
        if kind == "staff":
            who, page = draw(st.sampled_from(SIGNED_IN)), draw(st.sampled_from(STAFF_PAGES))
            return self.staff_page(who, page, draw("client_id"), draw("query"))
        if kind == "session":
            who = draw(st.sampled_from(SIGNED_IN))
            route = draw(st.sampled_from(SESSION_PAGES + SESSION_WRITES))
            body = draw("events" if route.endswith("/events") else "act")
            return self.session_route(who, route, draw("session_id"), body)
        if kind == "reset":
            return self.password_reset(
                draw(st.booleans()), draw(fuzz.hostile_text()),
                draw(st.sampled_from(["GET", "POST"])), draw("reset"),
                draw(csrf_tokens(self.token)),
            )  # fmt: skip
        method, page = draw(st.sampled_from(COOKIE_PROBES))
        return self.login_cookie(draw("cookie"), method, page)


def _draw(data, strategies: dict, what):
    return data.draw(strategies[what] if isinstance(what, str) else what)


def csrf_tokens(token: str) -> st.SearchStrategy[str | None]:
    """Mostly the right CSRF token; sometimes none, another or a broken one."""
    wrong = st.sampled_from([None, "", "x", token[:-1], token + "x"])
    return st.one_of(st.just(token), st.just(token), st.just(token), wrong)
