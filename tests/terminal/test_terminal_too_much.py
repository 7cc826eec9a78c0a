"""'Too much' in a real terminal (tmux): cancel goes back recording nothing; numbness then
offers skip or end only, and the session ends with the pain and the symptom kept."""

import time
from pathlib import Path

from tests.terminal.test_terminal_session import (
    SIRELIEF,
    Terminal,
    answer_until,
    stored_events,
    terminal,  # noqa: F401 - the fixture
)


def wait_for_count(term: Terminal, text: str, count: int, limit_s: float = 30) -> list[str]:
    """Wait until ``text`` shows on ``count`` lines (earlier prompts stay on screen)."""
    end = time.monotonic() + limit_s
    while time.monotonic() < end:
        lines = term.screen()
        if sum(text in line for line in lines) >= count:
            return lines
        time.sleep(0.2)
    raise AssertionError(f"never saw {text!r} {count} times:\n" + "\n".join(term.screen()))


def test_too_much_by_symptom_in_the_terminal(terminal: Terminal, tmp_path: Path) -> None:  # noqa: F811
    terminal.run(
        f"{SIRELIEF} session kettlebell-smash-reset --quiet --checkin {tmp_path / 'checkin.json'}"
    )
    terminal.wait_for("Press Enter to start")
    terminal.keys("Enter")
    answer_until(terminal, "press Enter when done")  # a set of repetitions: it waits
    terminal.keys("x")
    terminal.wait_for("What do you feel?")
    terminal.keys("c", "Enter")
    terminal.wait_for("Back to the exercise; nothing was recorded.")
    assert [e for e in stored_events(tmp_path / "data") if e["kind"] == "too_much"] == []
    terminal.keys("x")
    wait_for_count(terminal, "What do you feel?", 2)
    terminal.keys("3", "Enter")  # numbness
    terminal.wait_for("Pain right now")
    terminal.keys("2", "Enter")
    lines = terminal.wait_for("s skip this exercise, e end the session")
    text = "\n".join(lines)
    assert "try it gentler" not in text
    assert "see a clinician" in text
    terminal.keys("e", "Enter")
    terminal.wait_for("Saved (session")
    events = stored_events(tmp_path / "data")
    told = [(e["kind"], e["pain"], e["symptom"], e["choice"]) for e in events
            if e["kind"].startswith("too_much")]  # fmt: skip
    assert told == [("too_much", 2, "numbness", None), ("too_much_choice", None, None, "end")]
