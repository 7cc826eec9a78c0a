"""'Too much' in the terminal (SPEC 5.5): the same choices by symptom as on the web, a
cancel that records nothing, and end or pause only between exercises."""

from datetime import UTC, datetime

import pytest

from sirelief.cli.output import console
from sirelief.cli.session import Runner
from sirelief.cli.terminal_io import Voice
from sirelief.domain.checkin import CheckIn
from sirelief.domain.monitoring import PAIN_LIMIT
from sirelief.domain.planner import PlanOptions
from sirelief.domain.session import Event
from sirelief.services import Services
from tests.clock import MovableClock, at

CHECKIN = CheckIn.model_validate({
    "pain": 3,
    "tightness": {"hip": {"left": 3, "right": 7},
                  "hamstrings_adductors": {"left": 2, "right": 5},
                  "ankle": {"left": 4, "right": 6}},
    "minutes": 60, "equipment": ["kettlebell", "mat", "strap", "wall", "band"],
})  # fmt: skip


@pytest.fixture
def runner(settings):
    library = Services(settings, MovableClock())
    running = at(library.sessions, datetime.now(UTC)).start(
        CHECKIN, "si-joint-stretches", PlanOptions()
    )
    clock = iter(range(1, 10_000))
    made = Runner(running, Voice(speak=False), lambda: float(next(clock)), library.catalogue)
    made.record("start")
    yield made
    library.close()


def answers(monkeypatch: pytest.MonkeyPatch, runner: Runner, *typed: str) -> None:
    """Type these answers; every question is printed, as a terminal would show it."""
    queue = list(typed)
    runner.out = console()  # bound to the captured output

    def typing(prompt: str) -> str:
        print(prompt)
        return queue.pop(0)

    monkeypatch.setattr("builtins.input", typing)


def move_to(runner: Runner, test) -> int:
    while not test(runner.running.state.step):
        runner.record("skip", step=runner.running.state.index)
    return runner.running.state.index


def kinds(runner: Runner) -> list[Event]:
    return [e for e in runner.running.log.session(runner.running.session_id).events
            if e.kind.startswith("too_much")]  # fmt: skip


def test_numbness_offers_skip_or_end_only_with_the_clinician_advice(
    runner, monkeypatch, capsys
) -> None:
    index = move_to(runner, lambda s: s.kind == "exercise")
    answers(monkeypatch, runner, "3", "2", "g", "s")  # numbness, pain 2, "gentler" refused, skip
    runner._too_much()
    out = capsys.readouterr().out
    assert "s skip this exercise, e end the session" in out
    assert "try it gentler" not in out
    assert "Gentler means" not in out
    assert "Please answer one of: s, e" in out  # "g" is not a way on here
    assert "within a few minutes" in out
    assert "does not replace a clinician" in out
    too_much, choice = kinds(runner)
    assert (too_much.pain, too_much.symptom, too_much.step) == (2, "numbness", index)
    assert choice.choice == "skip"
    assert runner.running.state.index > index


def test_aching_offers_gentler_and_says_what_changes(runner, monkeypatch, capsys) -> None:
    index = move_to(runner, lambda s: s.kind == "exercise" and not s.reps)
    answers(monkeypatch, runner, "1", "7", "g")  # aching, pain 7, gentler
    runner._too_much()
    out = capsys.readouterr().out
    assert "g try it gentler, s skip this exercise, e end the session" in out
    assert "Gentler means:" in out
    assert "Shorter: " in out
    assert f"over {PAIN_LIMIT} out of 10" in out
    too_much, choice = kinds(runner)
    assert (too_much.pain, too_much.symptom, choice.choice) == (7, "aching", "gentler")
    state = runner.running.state
    assert state.index == index
    assert state.step.exercise_id in state.gentler


def test_cancel_goes_back_and_records_nothing(runner, monkeypatch, capsys) -> None:
    move_to(runner, lambda s: s.kind == "exercise")
    before = len(runner.running.log.session(runner.running.session_id).events)
    answers(monkeypatch, runner, "", "c")  # a bare Enter is not an answer; c cancels
    runner._too_much()
    assert "Back to the exercise; nothing was recorded." in capsys.readouterr().out
    assert len(runner.running.log.session(runner.running.session_id).events) == before
    assert runner.running.state.phase == "work"


@pytest.mark.parametrize(("key", "outcome"), [("p", "paused"), ("e", "done"), ("r", "switch_side")])
def test_between_exercises_only_end_or_pause(runner, monkeypatch, key, outcome) -> None:
    move_to(runner, lambda s: s.switches_side)
    answers(monkeypatch, runner, "x", key)  # "x" (too much) is not offered here: asked again
    runner._between()
    assert runner.running.state.phase == outcome
    assert kinds(runner) == []
