"""The real-browser suite: `sirelief serve` in a subprocess, driven by Playwright + chromium.

Skipped (with the reason) when Debian's chromium or Playwright is missing, unless
SIRELIEF_REQUIRE_BROWSER=1, which turns the skip into a failure (CI sets it).
Nothing here asserts how long anything takes: every wait is Playwright's own, generous.
"""

import importlib.util
import json
import os
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from sirelief.services import Services
from sirelief.settings import Settings
from tests.clock import MovableClock
from tests.serving import answers, free_port, sirelief_command, stop

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--autoplay-policy=no-user-gesture-required",
]
ROOT = Path(__file__).resolve().parents[2]
NO_WORKER = {"service_workers": "block"}
"""Context options every test's browser context starts from: no service worker."""
WAIT_MS = 60_000
"""Generous upper bound for any single wait (never an assertion about time)."""

GOOD_CHECKIN = {
    "pain": 4,
    "tightness": {"hip": (3, 7), "hamstrings_adductors": (2, 5), "ankle": (4, 6)},
    "minutes": 60,
    "equipment": ["kettlebell", "mat", "strap", "wall", "band"],
    "context": "repair",
    "routine": "kettlebell-smash-reset",
}
RATING_NAMES = ["hip_left", "hip_right", "hamstrings_adductors_left",
                "hamstrings_adductors_right", "ankle_left", "ankle_right", "pain"]  # fmt: skip
ASSESSMENTS = {"baseline": [3, 7, 2, 5, 4, 6, 4], "mid": [3, 3, 2, 4, 4, 5, 3],
               "final": [1, 3, 1, 4, 2, 5, 2]}  # fmt: skip


def _missing() -> str | None:
    if importlib.util.find_spec("playwright") is None:
        return "Playwright for Python is not installed (it is a dev dependency: make test)"
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing (Debian: apt-get install chromium)"
    return None


BROWSER_MISSING = _missing()


def _unavailable() -> None:
    reason = f"browser suite: {BROWSER_MISSING}"
    if os.environ.get("SIRELIEF_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason}; SIRELIEF_REQUIRE_BROWSER=1 makes it mandatory", pytrace=False)
    pytest.skip(reason)


# --- the browser -----------------------------------------------------------------------
@pytest.fixture(scope="session")
def playwright() -> Iterator[Any]:
    """One Playwright per worker: its sync API refuses a second one while one runs."""
    if BROWSER_MISSING:
        _unavailable()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as running:
        yield running


@pytest.fixture(scope="session")
def browser(playwright) -> Iterator[Any]:
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def expect(browser) -> Any:
    """Playwright's auto-waiting assertions (imported late so a missing install skips)."""
    from playwright.sync_api import expect

    expect.set_options(timeout=WAIT_MS)
    return expect


@pytest.fixture
def new_page(browser) -> Iterator[Callable[..., Any]]:
    """Open a page in a fresh context; uncaught page errors fail the test at teardown.

    The app's service worker is blocked (``NO_WORKER``) unless a test asks for it with
    ``service_workers="allow"`` (tests/browser/test_offline.py): the other tests see the
    server's own answers, never a kept copy."""
    contexts = []
    errors: list[str] = []

    def open_page(color_scheme: str = "light", width: int = 1280, height: int = 800,
                  **options: Any):  # fmt: skip
        context = browser.new_context(
            color_scheme=color_scheme, viewport={"width": width, "height": height},
            **{**NO_WORKER, **options},
        )  # fmt: skip
        context.set_default_timeout(WAIT_MS)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert not errors, "uncaught errors in the page:\n" + "\n".join(errors)


# --- the server ------------------------------------------------------------------------
@dataclass
class LiveServer:
    url: str
    data_dir: Path
    clock_speed: float
    log: Path
    process: subprocess.Popen = field(repr=False)

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1])

    def library(self) -> Services:
        return Services(Settings(data_dir=self.data_dir, database_url=None), MovableClock())

    def events(self, session_id: str) -> list[dict[str, Any]]:
        """The session's stored events, as the JSON the browser holds."""
        library = self.library()
        try:
            events = library.session_log.session(session_id).events
            return [event.model_dump(mode="json", exclude_none=True) for event in events]
        finally:
            library.close()


@pytest.fixture(scope="session")
def start_server() -> Iterator[Callable[..., LiveServer]]:
    """Start `sirelief serve` on a free port; every server started is stopped at the end."""
    running: list[tuple[subprocess.Popen, Any]] = []

    def start(
        data_dir: Path, clock_speed: float = 60, options: tuple[str, ...] = (), port: int = 0
    ) -> LiveServer:
        """``options`` are added to the ``sirelief serve`` command line; ``port`` brings a
        stopped server back where its pages expect it."""
        if BROWSER_MISSING:
            _unavailable()
        data_dir.mkdir(parents=True, exist_ok=True)
        port = port or free_port()
        # A whole suite on two cores can hold a small routine's check past the 5 s meant for
        # hostile files (CI saw it once); the limit itself is tested in test_routine_upload.
        env = {"SIRELIEF_ROUTINE_CHECK_SECONDS": "60", **os.environ,
               "SIRELIEF_DATA_DIR": str(data_dir),
               "SIRELIEF_CLOCK_SPEED": str(clock_speed)}  # fmt: skip
        env.pop("SIRELIEF_DATABASE_URL", None)
        log = data_dir / "server.log"
        out = log.open("ab")  # a server brought back adds to its log
        command = [sirelief_command(), "serve", "--no-browser", "--port", str(port), *options]
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
        running.append((process, out))
        url = f"http://127.0.0.1:{port}"
        give_up = time.monotonic() + WAIT_MS / 1000
        while not answers(url + "/"):
            if process.poll() is not None or time.monotonic() > give_up:
                raise RuntimeError(f"sirelief serve did not start:\n{log.read_text()}")
            time.sleep(0.1)
        return LiveServer(url, data_dir, clock_speed, log, process)

    yield start
    for process, out in running:
        stop(process)
        out.close()


@pytest.fixture
def live_server(start_server, tmp_path: Path) -> Iterator[LiveServer]:
    """A fresh server and data folder per test, its session clocks running 60x."""
    server = start_server(tmp_path / "data", 60)
    yield server
    stop(server.process)


# --- driving the app -------------------------------------------------------------------
STATE_JS = """() => {
  if (!window.sirelief) return null;
  const s = window.sirelief.state;
  const step = s.index < s.steps.length ? s.steps[s.index] : null;
  return {index: s.index, ended: s.ended, started: s.startedAt !== null,
          paused: s.pausedAt !== null, tooMuch: s.tooMuch !== null,
          stepStartedAt: s.stepStartedAt, kind: step && step.kind, reps: step && step.reps,
          exercise: step && step.exercise_id, title: step && step.title,
          assess: step && step.assessment ? step.assessment.assess : null,
          phase: document.getElementById("run").dataset.phase,
          pending: window.sirelief.outbox.pending().length};
}"""

# Every title/side the session screen shows, in order, kept across reloads (sessionStorage),
# so no fleeting screen is missed however fast the test clock runs.
SHOWN_JS = """
document.addEventListener("DOMContentLoaded", () => {
  const title = document.getElementById("title");
  if (!title || !document.getElementById("run")) return;
  const side = document.getElementById("side");
  const note = () => {
    const shown = JSON.parse(sessionStorage.getItem("test:shown") || "[]");
    const entry = [title.textContent, side.hidden ? "" : side.textContent];
    const last = shown[shown.length - 1];
    if (!last || last[0] !== entry[0] || last[1] !== entry[1]) {
      shown.push(entry);
      sessionStorage.setItem("test:shown", JSON.stringify(shown));
    }
  };
  note();
  new MutationObserver(note).observe(document.getElementById("run"),
    {subtree: true, childList: true, characterData: true, attributes: true});
});
"""


class Guide:
    """A person using the app through one page: check in, plan, run, rate, read results."""

    def __init__(self, page, server: LiveServer, expect) -> None:
        self.page = page
        self.server = server
        self.expect = expect
        self.session_id: str | None = None
        self.server_events: list[dict] = []
        """The events the server had when the session screen first loaded (the plan's Start)."""
        page.add_init_script(SHOWN_JS)

    # --- pages -------------------------------------------------------------------------
    def goto(self, path: str):
        return self.page.goto(self.server.url + path)

    def fill_checkin(self, red_flags: tuple[str, ...] = (), **changes) -> None:
        answers = {**GOOD_CHECKIN, **changes}
        page = self.page
        self.goto("/checkin")
        for flag in red_flags:
            page.locator(f"input[name=red_flags][value='{flag}']").check()
        page.locator(f"input[name=pain][value='{answers['pain']}']").check()
        for region, (left, right) in answers["tightness"].items():
            page.locator(f"input[name={region}_left][value='{left}']").check()
            page.locator(f"input[name={region}_right][value='{right}']").check()
        page.locator(f"input[name=minutes][value='{answers['minutes']}']").check()
        for item in answers["equipment"]:
            page.locator(f"input[name=equipment][value='{item}']").check()
        page.locator(f"input[name=context][value='{answers['context']}']").check()
        page.select_option("#routine", answers["routine"])

    def submit_checkin(self) -> None:
        self.page.get_by_role("button", name="Plan my session").click()
        self.page.wait_for_load_state()

    def plan(self, **changes) -> str:
        """Check in and arrive at the plan; returns the session id."""
        self.fill_checkin(**changes)
        self.submit_checkin()
        self.page.wait_for_url("**/sessions/*")
        self.session_id = self.page.url.rstrip("/").rsplit("/", 1)[-1]
        return self.session_id

    def start(self) -> None:
        """Press Start on the plan page and wait for the session screen's script."""
        self.page.get_by_role("button", name="Start the session").click()
        self.page.wait_for_url("**/run")
        self.wait_ready()
        self.server_events = self.page.evaluate(
            "JSON.parse(document.getElementById('session-data').textContent).events"
        )

    def wait_ready(self) -> None:
        self.page.wait_for_function("() => window.sirelief !== undefined")

    # --- the session screen ------------------------------------------------------------
    def state(self) -> dict | None:
        """The session as the page holds it; None once the page has left the session."""
        for _ in range(50):
            try:
                return self.page.evaluate(STATE_JS)
            except Exception as error:
                if "context was destroyed" not in str(error):
                    raise
                self.page.wait_for_load_state()
        raise AssertionError("the page kept navigating")

    def wait_step_change(self, index: int) -> None:
        """Until the step moves on (or the session ends and the results page loads)."""
        self.page.wait_for_function(
            "(i) => !window.sirelief || window.sirelief.state.index !== i"
            " || window.sirelief.state.ended !== null",
            arg=index,
        )

    def button(self, name: str):
        return self.page.get_by_role("button", name=name, exact=True)

    def rate(self, values: list[int]) -> None:
        form = self.page.locator("#assessment form")
        for name, value in zip(RATING_NAMES, values, strict=True):
            form.locator(f"input[name={name}][value='{value}']").check()
        form.get_by_role("button", name="Save and go on").click()

    def press_done(self) -> None:
        state = self.state()
        self.button("Done").click()
        self.wait_step_change(state["index"])

    def step(self, wait_timed: bool = True) -> bool:
        """Do what the current step asks; False once the session has ended."""
        state = self.state()
        if state is None or state["ended"] is not None:
            return False
        if state["assess"]:
            self.rate(ASSESSMENTS[state["assess"]])
        elif state["reps"] or not wait_timed:
            self.button("Done").click()
        self.wait_step_change(state["index"])
        return True

    def run_until(self, stop: Callable[[dict], bool], wait_timed: bool = True) -> dict | None:
        """Follow the session until ``stop(state)``; timed steps run out by themselves."""
        for _ in range(500):
            state = self.state()
            if state is None or stop(state):
                return state
            if not self.step(wait_timed):
                return self.state()
        raise AssertionError("the session never reached the wanted state")

    def finish(self, wait_timed: bool = True) -> None:
        self.run_until(lambda state: state["ended"] is not None, wait_timed)
        self.page.wait_for_url("**/results")

    def local_log(self) -> list[dict]:
        """The browser's own event log for this session (kept in localStorage)."""
        raw = self.page.evaluate("(key) => localStorage.getItem(key)", self.log_key)
        return json.loads(raw or "[]")

    @property
    def log_key(self) -> str:
        return f"sirelief:log:{self.session_id}"

    def browser_log(self) -> list[dict]:
        """Everything the browser knows happened: the server's events at load, then its own."""
        return self.server_events + self.local_log()

    def real_time_of(self, session_time: float) -> float:
        """The wall-clock time (s since the epoch) at which the session clock shows this."""
        data = self.page.evaluate("JSON.parse(document.getElementById('session-data').textContent)")
        return data["clockBase"] + (session_time - data["clockBase"]) / data["clockSpeed"]

    def shown(self) -> list[list[str]]:
        return json.loads(self.page.evaluate("sessionStorage.getItem('test:shown') || '[]'"))

    def wait_outbox_empty(self) -> None:
        self.page.wait_for_function(
            "() => !window.sirelief || window.sirelief.outbox.pending().length === 0"
        )


@pytest.fixture
def guide(new_page, live_server, expect) -> Guide:
    return Guide(new_page(), live_server, expect)


@pytest.fixture(scope="session")
def guide_class() -> type[Guide]:
    """The Guide class itself, for module-scoped set-ups (conftest is not importable)."""
    return Guide


@pytest.fixture
def make_guide(new_page, start_server, tmp_path, expect) -> Iterator[Callable[..., Guide]]:
    """A guide on its own server whose session clock runs ``clock_speed`` times real time."""
    servers: list[LiveServer] = []

    def make(clock_speed: float = 60, server: LiveServer | None = None, **page_options) -> Guide:
        """On ``server`` when given (left running), else on a new one."""
        if server is None:
            servers.append(start_server(tmp_path / f"data-{len(servers)}", clock_speed))
            server = servers[-1]
        return Guide(new_page(**page_options), server, expect)

    yield make
    for server in servers:
        stop(server.process)
