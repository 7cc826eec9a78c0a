"""A real terminal session in tmux: the whole smash protocol to its results, and a resume
after the process is killed. The clock runs 60 times faster through SIRELIEF_CLOCK_SPEED.

Needs tmux: skipped with a reason where it is missing; CI installs it and sets
SIRELIEF_REQUIRE_TERMINAL=1 so the skip becomes a failure there.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from sirelief.catalogue.loader import builtin_safety_rules
from sirelief.services import Services
from sirelief.settings import Settings
from tests.clock import MovableClock

TMUX = shutil.which("tmux")
if TMUX is None:
    if os.environ.get("SIRELIEF_REQUIRE_TERMINAL"):
        pytest.fail("tmux is required here (SIRELIEF_REQUIRE_TERMINAL is set)", pytrace=False)
    pytest.skip("tmux is not installed: terminal session tests skipped", allow_module_level=True)

SIRELIEF = str(Path(sys.executable).with_name("sirelief"))
CHECKIN = {
    "pain": 4,
    "tightness": {"hip": {"left": 3, "right": 7},
                  "hamstrings_adductors": {"left": 2, "right": 5},
                  "ankle": {"left": 4, "right": 6}},
    "red_flags": [], "minutes": 60,
    "equipment": ["kettlebell", "mat", "strap", "wall", "band", "suspension_trainer"],
}  # fmt: skip
ANSWERS = {"Baseline check": [3, 7, 2, 5, 4, 6, 4], "Mid check": [3, 3, 2, 4, 4, 5, 3],
           "Final check": [1, 3, 1, 4, 2, 5, 2]}  # fmt: skip
PROMPT = re.compile(r"(side|imaginable\))\s*:\s*$")


class Terminal:
    def __init__(self, data_dir: Path) -> None:
        self.name = f"sirelief-{uuid.uuid4().hex[:8]}"
        self.env = {"SIRELIEF_DATA_DIR": str(data_dir), "SIRELIEF_CLOCK_SPEED": "60"}
        # A private tmux server per terminal (-L): on the shared default server, one test's
        # kill-session can shut the server down just as the next test connects to it.
        self.tmux = [TMUX, "-L", self.name]
        subprocess.run([*self.tmux, "new-session", "-d", "-s", self.name, "-x", "250", "-y", "50"],
                       check=True)  # fmt: skip

    def run(self, command: str) -> None:
        exports = " ".join(f"{k}={v}" for k, v in self.env.items())
        self.keys(f"{exports} {command}", "Enter")

    def keys(self, *keys: str) -> None:
        subprocess.run([*self.tmux, "send-keys", "-t", self.name, *keys], check=True)

    def screen(self) -> list[str]:
        out = subprocess.run(
            [*self.tmux, "capture-pane", "-t", self.name, "-p", "-S", "-60"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        return [line for line in out.splitlines() if line.strip()]

    def wait_for(self, text: str, limit_s: float = 30) -> list[str]:
        end = time.monotonic() + limit_s
        while time.monotonic() < end:
            lines = self.screen()
            if any(text in line for line in lines):
                return lines
            time.sleep(0.2)
        raise AssertionError(f"never saw {text!r}; screen:\n" + "\n".join(self.screen()))

    def close(self) -> None:
        subprocess.run([*self.tmux, "kill-server"], check=False)


@pytest.fixture
def terminal(tmp_path: Path):
    term = Terminal(tmp_path / "data")
    (tmp_path / "checkin.json").write_text(json.dumps(CHECKIN))
    yield term
    term.close()


def drive_to_results(term: Terminal, limit_s: float = 240) -> list[str]:
    """Answer every assessment, confirm every set of repetitions, until the results."""
    queue: list[int] = []
    current = None
    end = time.monotonic() + limit_s
    while time.monotonic() < end:
        lines = term.screen()
        if any(line.startswith("Saved (session") for line in lines):
            return lines
        for title in ANSWERS:
            if any(line.strip() == title for line in lines[-8:]) and current != title:
                current, queue = title, list(ANSWERS[title])
        if lines and PROMPT.search(lines[-1]) and queue:
            term.keys(str(queue.pop(0)), "Enter")
        elif any("press Enter when done" in line for line in lines[-10:]):
            term.keys("Enter")
        time.sleep(0.25)
    raise AssertionError("no results in time; screen:\n" + "\n".join(term.screen()))


def stored_events(data_dir: Path) -> list[dict]:
    """The session's events as the database holds them."""
    library = Services(Settings(data_dir=data_dir, database_url=None), MovableClock())
    [record] = library.session_log.sessions()
    return [event.model_dump() for event in record.events]


def test_smash_reset_runs_to_results(terminal: Terminal, tmp_path: Path) -> None:
    terminal.run(
        f"{SIRELIEF} session kettlebell-smash-reset --quiet --checkin {tmp_path / 'checkin.json'}"
    )
    terminal.wait_for("Press Enter to start")
    terminal.keys("Enter")
    lines = drive_to_results(terminal)
    text = "\n".join(lines)
    assert re.search(r"front of hip\s+│ right\s+│ 7\s+│ 3\s+│ 3\s+│ -4", text)
    assert (
        "Biggest change: your right front of hip felt 4 points less tight than at the start."
        in text
    )
    assert "your worked right side felt 4 points less tight" in text
    assert "Pain went from 4 to 2." in text
    events = stored_events(tmp_path / "data")
    points = [e["ratings"] is not None for e in events if e["kind"] == "assessment"]
    assert points == [True, True, True]


def test_a_killed_session_resumes_at_its_step(terminal: Terminal, tmp_path: Path) -> None:
    terminal.run(
        f"{SIRELIEF} session kettlebell-smash-reset --quiet --checkin {tmp_path / 'checkin.json'}"
    )
    terminal.wait_for("Press Enter to start")
    terminal.keys("Enter")
    lines = answer_until(terminal, "press Enter when done")  # the baseline check comes first
    step = [line for line in lines if "- step " in line][-1]
    number = int(re.search(r"step (\d+) of", step).group(1))
    # SIGKILL: no chance to save anything beyond what each recorded event already wrote.
    subprocess.run(["pkill", "-KILL", "-f", str(tmp_path / "checkin.json")], check=False)
    time.sleep(0.5)
    terminal.keys("reset", "Enter")
    terminal.run(f"{SIRELIEF} session --resume --quiet")
    terminal.wait_for(f"Resuming at step {number} of")
    terminal.wait_for(f"- step {number} of")


def answer_until(term: Terminal, text: str, limit_s: float = 60) -> list[str]:
    """Answer every 0-10 question with 3 until ``text`` shows on a step after the first."""
    end = time.monotonic() + limit_s
    while time.monotonic() < end:
        lines = term.screen()
        steps = [int(m.group(1)) for line in lines if (m := re.search(r"- step (\d+) of", line))]
        if steps and steps[-1] > 1 and any(text in line for line in lines[-10:]):
            return lines
        if lines and PROMPT.search(lines[-1]):
            term.keys("3", "Enter")
        time.sleep(0.25)
    raise AssertionError(f"no {text!r} in time; screen:\n" + "\n".join(term.screen()))


def answer(term: Terminal, prompt: str, value: str) -> None:
    term.wait_for(prompt)
    term.keys(value, "Enter")


def test_checkin_questions_lead_to_a_plan(terminal: Terminal) -> None:
    terminal.run(f"{SIRELIEF} session --quiet")
    answer(terminal, "Any of them? (y/n)", "n")
    answer(terminal, "Pain now", "3")
    for region in ("Front of hip", "Hamstrings & inner thighs", "Ankle"):
        answer(terminal, f"{region}, left", "2")
        answer(terminal, f"{region}, right", "6")
    answer(terminal, "Minutes you have", "12")
    answer(terminal, "Equipment at hand", "mat, wall, strap, chair")
    answer(terminal, "Moment (", "morning")
    answer(terminal, "What comes next (", "none")
    lines = terminal.wait_for("Press Enter to start")
    assert any("Morning loosen-up" in line for line in lines)


def test_a_red_flag_in_the_questions_stops_with_advice(terminal: Terminal) -> None:
    terminal.run(f"{SIRELIEF} session --quiet")
    answer(terminal, "Any of them? (y/n)", "y")
    for flag in builtin_safety_rules().flags:
        answer(terminal, f"{flag.question[-40:]} (y/n)", "y" if flag.id == "fever" else "n")
    lines = terminal.wait_for("What to do", limit_s=15)
    text = "\n".join(lines)
    assert "See a doctor today" in text
    assert "Press Enter to start" not in text


def test_the_hint_says_resume_while_paused(terminal: Terminal, tmp_path: Path) -> None:
    terminal.run(
        f"{SIRELIEF} session morning-loosen-up --quiet --checkin {tmp_path / 'checkin.json'}"
    )
    terminal.wait_for("Press Enter to start")
    terminal.keys("Enter")
    terminal.wait_for("[space] pause")
    terminal.keys(" ")
    lines = terminal.wait_for("PAUSED")
    hint = terminal.wait_for("[space] resume")[-1]
    assert "[space] pause" not in hint, lines
    terminal.keys(" ")
    assert "[space] pause" in terminal.wait_for("[space] pause")[-1]


def test_a_routine_without_checks_shows_no_empty_table(terminal: Terminal, tmp_path: Path) -> None:
    terminal.run(
        f"{SIRELIEF} session morning-loosen-up --quiet --checkin {tmp_path / 'checkin.json'}"
    )
    terminal.wait_for("Press Enter to start")
    terminal.keys("Enter")
    end = time.monotonic() + 60
    while time.monotonic() < end:
        lines = terminal.screen()
        if any(line.startswith("Saved (session") for line in lines):
            break
        terminal.keys("n")  # skip every step
        time.sleep(0.3)
    else:
        raise AssertionError("no results in time; screen:\n" + "\n".join(terminal.screen()))
    results = lines[next(i for i, line in enumerate(lines) if line.startswith("Results - ")) :]
    text = "\n".join(results)
    assert "This routine has no checks, so there is no before-and-after to show." in text
    assert "baseline" not in text, text  # no headers of an empty table
