"""One sirelief in process (web app and CLI on one SQLite file) and the checks every fuzz
input must pass: no 5xx, no traceback, nothing written when refused, and anything
accepted read back by history, report and export, and re-imported whole.

Shared by tests/fuzz (a few dozen inputs per test) and bench/fuzz.py (100,000 and more).
"""

import contextlib
import functools
import io
import json
import sqlite3
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from unittest import mock

from ruamel.yaml import YAML
from starlette.testclient import TestClient

from sirelief.catalogue.loader import (
    builtin_catalogue,
    builtin_files,
    builtin_safety_rules,
    load_routines,
)
from sirelief.cli import main
from sirelief.domain.catalogue import Catalogue
from sirelief.domain.routine import Routine
from sirelief.domain.safety import SafetyRules
from sirelief.services import Services
from sirelief.settings import Settings
from sirelief.storage.database import Database
from sirelief.storage.import_check import read_export
from sirelief.storage.store import Store
from sirelief.storage.transfer import export_json, import_document
from sirelief.web.app import create_app
from tests.web import web_support
from tests.web.fake_printer import fake_chromium

GOOD_CHECKIN = {**web_support.GOOD_CHECKIN, "minutes": "30"}
TRACEBACK_MARKS = ("Traceback (most recent call last)", 'File "/', "sqlalche.me")


@functools.cache
def shipped() -> tuple[Catalogue, tuple[Routine, ...], SafetyRules]:
    """The built-in exercises, routines and red flags, read once per process.

    They are the package's own files, the same for every run; reading them again for each
    CLI call and each Target (some 25 YAML files, 0.4-3 s) was most of a long fuzz run.
    """
    catalogue = builtin_catalogue()
    routines = tuple(load_routines(builtin_files("routines"), catalogue))
    return catalogue, routines, builtin_safety_rules()


class WarmLibrary(Services):
    """A ``Services`` that starts with the built-ins already read (see ``shipped``)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        catalogue, routines, safety_rules = shipped()
        self.__dict__["catalogue"] = catalogue
        self.__dict__["builtin_routines"] = list(routines)
        self.__dict__["safety_rules"] = safety_rules


def cli(*args: str) -> tuple[int, str, str]:
    """``sirelief ARGS`` in process: exit status, standard output, standard error."""
    out, err = io.StringIO(), io.StringIO()
    with (
        mock.patch("sirelief.cli.app.Services", WarmLibrary),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
    ):
        try:
            status = main(list(args))
        except SystemExit as stop:
            status = stop.code if isinstance(stop.code, int) else 1
        except Exception as error:  # reported as a problem, with its type
            status = -1
            err.write(f"Traceback (most recent call last): {type(error).__name__}: {error}")
    return status, out.getvalue(), err.getvalue()


def traceback_in(text: str) -> bool:
    return any(mark in text for mark in TRACEBACK_MARKS)


def builtin_routine_documents() -> list[dict]:
    yaml = YAML(typ="safe")
    return [yaml.load(source.text) for source in builtin_files("routines")]


def dump_yaml(document) -> str:
    yaml = YAML(typ="safe")
    yaml.default_flow_style = False
    stream = io.StringIO()
    try:
        yaml.dump(document, stream)
    except Exception:  # a value YAML cannot write: send its JSON form (also YAML)
        return json.dumps(document, default=str)
    return stream.getvalue()


class Tally:
    """What a fuzz target counts (bench/fuzz.py sums it), and the checks of any answer."""

    inputs = server_errors = tracebacks = accepted = 0

    def _response_problems(self, label: str, response) -> list[str]:
        problems = []
        if response.status_code >= 500:
            self.server_errors += 1
            problems.append(f"{label}: {response.status_code}")
        if traceback_in(response.text):
            self.tracebacks += 1
            problems.append(f"{label}: a traceback in the body")
        return problems


class Target(Tally):
    """A fresh data folder, the web app on it, and the CLI pointed at the same file."""

    def __init__(self, folder: Path, read_back_every: int = 1) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self.epoch = time.time()
        """Near every session's clock: event times are drawn around it (a strategy must not
        depend on state that changes between examples)."""
        self.url = f"sqlite:///{folder / 'sirelief.db'}"
        with mock.patch("sirelief.web.context.Services", WarmLibrary):
            self.app = create_app(
                Settings(
                    data_dir=folder,
                    database_url=self.url,
                    chromium_path=fake_chromium(folder / "bin"),
                )
            )
        self.client = TestClient(
            self.app, base_url="http://127.0.0.1:8000", raise_server_exceptions=False
        )
        self.client.__enter__()
        self.client.get("/exercises")
        self.token = self.client.cookies.get("sirelief_csrf")
        self.data = self.app.state.context.services.data
        self.read_back_every = read_back_every
        self.accepted = 0
        self.inputs = 0
        self.server_errors = 0
        self.tracebacks = 0
        self.export()
        self._watch = sqlite3.connect(folder / "sirelief.db", isolation_level=None)
        self._stored: tuple[int, bytes] | None = None

    def close(self) -> None:
        self._watch.close()
        self.client.__exit__(None, None, None)

    # --- the app's own state -----------------------------------------------------------
    def export(self) -> bytes:
        return self.data.export("json")

    def stored(self) -> bytes:
        """The export, made again only when something was committed since the last one.

        SQLite's ``data_version`` changes with every commit by another connection (the
        app's, the CLI's): an unchanged number means the same stored data, hence the same
        export, and a refused request that wrote nothing costs no export at all.
        """
        version = self._watch.execute("PRAGMA data_version").fetchone()[0]
        if self._stored is None or self._stored[0] != version:
            self._stored = (version, self.export())
        return self._stored[1]

    def start_session(self, **changes) -> str:
        form = {**GOOD_CHECKIN, **changes}
        response = self.client.post(
            "/checkin", data=form, headers=self.headers(), follow_redirects=False
        )
        assert response.status_code == 303, response.text
        return response.headers["location"].rsplit("/", 1)[-1]

    def session_clock(self, session_id: str) -> float:
        return self.app.state.context.services.sessions.load(session_id).created_at.timestamp()

    def headers(self, **more) -> dict[str, str]:
        return {"x-csrf-token": self.token, **more}

    # --- probes ------------------------------------------------------------------------
    def get(self, address: str) -> list[str]:
        self.inputs += 1
        return self._response_problems(f"GET {address}", self.client.get(address))

    def write(
        self, label: str, method: str, address: str, token_in_form: bool = False, **request
    ) -> list[str]:
        """Send one state-changing request and check what it did to the stored data.

        The CSRF token goes in a header (as the timer sends it) or, with ``token_in_form``,
        in the form body (as a browser without JavaScript does).
        """
        self.inputs += 1
        before = self.stored()
        headers = request.pop("headers", {})
        if token_in_form:
            request["data"] = {**request.get("data", {}), "csrf_token": self.token}
        else:
            headers = self.headers(**headers)
        response = self.client.request(
            method, address, headers=headers, follow_redirects=False, **request
        )
        problems = self._response_problems(f"{label} {address}", response)
        recorded = partly_recorded(response)
        if recorded is None:
            return problems + self._after(label, before, refused=response.status_code >= 400)
        # The event API's 409: the batch's other events were recorded all the same (its
        # documented answer); only those, in this session, may be new in the data.
        problems += self._after(label, before, refused=False)
        session_id = address.split("/")[2]
        added = event_keys(self.stored()) - event_keys(before)
        if not added <= {(session_id, event_id) for event_id in recorded}:
            problems.append(f"{label}: a 409 stored events it did not list as recorded")
        return problems

    def import_file(self, text: str) -> list[str]:
        """``sirelief import`` on a file: a one-line refusal or a whole import."""
        self.inputs += 1
        before = self.stored()
        path = self.folder / "import.json"
        path.write_text(text, encoding="utf-8")
        status, out, err = cli("--database-url", self.url, "import", str(path))
        problems = []
        if status not in (0, 2) or traceback_in(out + err):
            self.tracebacks += 1
            problems.append(f"import: exit {status}, {err[-400:]}")
        elif status == 2 and (not err.startswith("error: ") or err.count("\n") > 14):
            # one message: a first line, then at most 12 located problems and "and N more"
            problems.append(f"import refusal is not one short message: {err[:400]}")
        return problems + self._after("import", before, refused=status != 0)

    def check_routine_with_cli(self, text: str) -> list[str]:
        self.inputs += 1
        path = self.folder / "routine.yaml"
        path.write_text(text, encoding="utf-8")
        status, out, err = cli("--database-url", self.url, "routines", "check", str(path))
        if status not in (0, 1, 2) or traceback_in(out + err):
            self.tracebacks += 1
            return [f"routines check: exit {status}, {err[-400:]}"]
        return []

    def _after(self, label: str, before: bytes, refused: bool) -> list[str]:
        try:
            after = self.stored()
        except Exception as error:
            return [f"{label}: export fails afterwards: {type(error).__name__}: {error}"]
        if after == before:
            return []
        if refused:
            return [f"{label}: refused, yet the stored data changed"]
        self.accepted += 1
        if self.accepted % self.read_back_every:
            return []
        return [f"{label}: {problem}" for problem in self.read_back()]

    def read_back(self) -> list[str]:
        """History, report and export (web and CLI) work, and the export imports whole."""
        problems = []
        for page in ("/", "/history", "/insights", "/routines"):
            response = self.client.get(page)
            if response.status_code != 200 or traceback_in(response.text):
                problems.append(f"GET {page} answers {response.status_code} afterwards")
        exported = ""
        for args in (["history", "--json"], ["report", "--json"], ["report"], ["export"]):
            status, out, err = cli("--database-url", self.url, *args)
            if status != 0 or traceback_in(out + err):
                problems.append(f"sirelief {' '.join(args)} exits {status}: {err[-300:]}")
            exported = out
        if exported:
            library = self.app.state.context.services
            builtin = [routine.id for routine in library.builtin_routines]
            problems += round_trip(exported, library.catalogue, builtin)
        return problems


def partly_recorded(response) -> list | None:
    """The event ids a 409 of the event API says it recorded (the others' ids belong to
    another session: ``Sessions.record_all``), or None for any other answer."""
    if response.status_code != 409:
        return None
    try:
        recorded = response.json().get("recorded")
    except (ValueError, AttributeError):
        return None
    return recorded if isinstance(recorded, list) and recorded else None


def event_keys(export: bytes) -> set[tuple[str, str]]:
    """(session id, event id) of every event in an export."""
    return {(s["id"], e["id"]) for s in json.loads(export)["sessions"] for e in s["events"]}


def round_trip(text: str, catalogue, builtin_routines) -> list[str]:
    """Export -> import into an empty database -> export gives the same document."""
    with tempfile.TemporaryDirectory() as folder:
        database = Database(f"sqlite:///{folder}/copy.db").ensure_current()
        try:
            store = Store(database, clock=lambda: datetime.now(UTC))
            import_document(store, read_export(text), catalogue, builtin_routines)
            again = export_json(store)
        except Exception as error:
            return [f"the export cannot be imported back: {type(error).__name__}: {error}"]
        finally:
            database.close()
    if json.loads(again) != json.loads(text):
        return ["export -> import -> export changed the document"]
    return []
