"""Hostile YAML is refused from its events, quickly, with its file and line, everywhere.

The corpus in ``bad_routines/`` (files 34-42) pins one message and line per limit; these
tests add what a corpus file cannot: limits too big to keep as files, the guard's
exact boundaries, the isolated web check, the CLI, and routines arriving by import.
A test that would hang (the old code expanded the billion laughs for ever) is failed
by an alarm, not timed: no assertion here is about speed.
"""

import json
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from sirelief.catalogue import guard
from sirelief.catalogue.isolated import CheckerBusyError, IsolatedChecker
from sirelief.catalogue.loader import SourceFile, check_routine_file
from sirelief.domain.catalogue import Catalogue
from sirelief.services import Services
from tests.cli.runner import run
from tests.clock import MovableClock

HANG_LIMIT_S = 30
"""Generous: a refusal takes milliseconds; the old code never finished at all."""
LAUGHS = (Path(__file__).parent / "bad_routines" / "34-billion-laughs.yaml").read_text()
HEAD = "id: big\nname: Big\nsummary: Big.\nblocks:\n"


@pytest.fixture(autouse=True)
def no_hang() -> Iterator[None]:
    """Fail (not hang) a test that runs past ``HANG_LIMIT_S``."""

    def expired(_signum, _frame):
        pytest.fail(f"still running after {HANG_LIMIT_S} s: the input was not refused")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(HANG_LIMIT_S)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def check(text: str, catalogue: Catalogue, name: str = "mine.yaml"):
    return check_routine_file(SourceFile(name, text), catalogue)


def lines_of(result) -> list[tuple[int, str]]:
    return [(p.line, p.message) for p in result.problems if p.severity == "error"]


def test_billion_laughs_is_refused_at_its_first_anchor(catalogue: Catalogue) -> None:
    result = check(LAUGHS, catalogue)
    assert not result.ok
    found = lines_of(result)
    assert (7, found[0][1]) == found[0]
    assert "'&a'" in found[0][1]
    assert any(line == 8 and "'*a'" in message for line, message in found)
    assert len(found) <= guard.MAX_PROBLEMS
    assert all(str(p).startswith("mine.yaml:") for p in result.problems)


def small_routine(steps: int = 1, blocks: int = 1, note: str = "") -> str:
    step = "      - exercise: kb-calf-smash\n" + (f"        note: {note}\n" if note else "")
    block = "  - id: b{i}\n    title: Block\n    steps:\n" + step * steps
    return HEAD + "".join(block.format(i=i) for i in range(blocks))


def test_a_routine_at_every_limit_is_accepted(catalogue: Catalogue) -> None:
    at_limits = small_routine(steps=40, blocks=5, note="x" * 200)
    assert check(at_limits, catalogue).ok
    assert guard.guard_yaml(small_routine(note="x" * guard.MAX_SCALAR_CHARS), "f.yaml") == []
    assert check(small_routine(blocks=30), catalogue).ok


def test_steps_over_the_total_are_refused(catalogue: Catalogue) -> None:
    result = check(small_routine(steps=35, blocks=6), catalogue)
    assert not result.ok
    assert any(line == 4 and "210 steps in all" in m for line, m in lines_of(result))


def test_too_many_values_are_refused_at_the_first_one_over(catalogue: Catalogue) -> None:
    values = ", ".join(["1"] * guard.MAX_SCALARS)
    text = HEAD + f"  - id: a\n    title: A\n    steps: [{values}]\n"
    found = lines_of(check(text, catalogue))
    assert any(line == 7 and "more than 10,000 values" in m for line, m in found)


def test_a_file_over_64_kb_is_refused_before_it_is_read(catalogue: Catalogue) -> None:
    text = small_routine() + "# " + "x" * guard.MAX_FILE_BYTES + "\n"
    assert lines_of(check(text, catalogue)) == [
        (1, "the file is 64 KB; routine and exercise files are at most 64 KB: "
            "split it into smaller files")
    ]  # fmt: skip


def test_deep_flow_brackets_are_refused_without_parsing(catalogue: Catalogue) -> None:
    text = HEAD + "  - " + "[" * 20_000 + "]" * 20_000 + "\n"
    [(line, message)] = lines_of(check(text, catalogue))
    assert line == 5
    assert "more than 48 '[' or '{'" in message


def test_brackets_inside_text_and_comments_are_not_counted(catalogue: Catalogue) -> None:
    note = "'see [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[ above'"
    text = small_routine(note=note) + "# " + "{" * 60 + "\n"
    assert check(text, catalogue).ok


def test_every_refusal_is_reported_together(catalogue: Catalogue) -> None:
    text = small_routine().replace("summary: Big.", "summary: !!str Big.\n<<: {x: 1}")
    found = lines_of(check(text, catalogue))
    assert [line for line, _ in found] == [3, 4]
    assert "tag '!!str'" in found[0][1]
    assert "'<<' merge keys" in found[1][1]


def test_quoted_merge_key_is_an_ordinary_unknown_field(catalogue: Catalogue) -> None:
    text = small_routine() + "'<<': 1\n"
    found = lines_of(check(text, catalogue))
    assert found
    assert all("merge" not in message for _, message in found)


def test_exercise_files_get_the_same_guard() -> None:
    from sirelief.catalogue.loader import load_exercises
    from sirelief.domain.problems import InvalidFileError

    with pytest.raises(InvalidFileError) as refused:
        load_exercises([SourceFile("exercises/x.yaml", "id: &x x\nname: *x\n")])
    assert [p.line for p in refused.value.problems] == [1, 2]


# --- the isolated check (web uploads) ---------------------------------------------------
def test_isolated_check_returns_the_same_problems(catalogue: Catalogue) -> None:
    checker = IsolatedChecker(seconds=20)
    result = checker.check(SourceFile("laughs.yaml", LAUGHS), catalogue)
    assert lines_of(result) == lines_of(check(LAUGHS, catalogue, "laughs.yaml"))
    good = checker.check(SourceFile("good.yaml", small_routine()), catalogue)
    assert good.ok
    assert good.routine is not None
    assert good.routine.id == "big"


def test_a_check_past_its_time_limit_is_killed_and_located(catalogue: Catalogue) -> None:
    checker = IsolatedChecker(seconds=0.5, burn_s=60)
    result = checker.check(SourceFile("slow.yaml", small_routine()), catalogue)
    [(line, message)] = lines_of(result)
    assert line == 1
    assert "took too long to check" in message
    assert str(result.problems[0]).startswith("slow.yaml:1: ")


def test_a_third_check_is_told_to_try_again(catalogue: Catalogue) -> None:
    checker = IsolatedChecker(seconds=0.2, concurrency=2)
    taken = [checker._slots.acquire(), checker._slots.acquire()]  # two checks running
    assert taken == [True, True]
    with pytest.raises(CheckerBusyError, match="try again"):
        checker.check(SourceFile("third.yaml", small_routine()), catalogue)


def test_stored_routines_are_checked_once_not_on_every_listing(settings, monkeypatch) -> None:
    library = Services(settings, MovableClock())
    path = settings.data_dir.parent / "mine.yaml"
    path.write_text(small_routine())
    library.routines.add(library.routines.check_file(path))
    calls = []
    real = check_routine_file
    monkeypatch.setattr(
        "sirelief.services.routines.check_routine_file", lambda *a: calls.append(a) or real(*a)
    )
    for _ in range(3):
        assert [e.routine.id for e in library.routines.all() if e.origin == "yours"] == ["big"]
    assert len(calls) == 1
    library.close()


# --- the CLI and import -----------------------------------------------------------------
def test_cli_check_names_the_line_of_the_anchor(capsys, settings, tmp_path) -> None:
    path = tmp_path / "laughs.yaml"
    path.write_text(LAUGHS)
    status, out, _ = run(capsys, "routines", "check", str(path))
    assert status == 1  # the documented code for "the file has problems"
    assert "laughs.yaml:7: " in out
    assert "anchors are not allowed" in out
    assert "Traceback" not in out


def test_import_with_a_hostile_routine_is_refused_whole(capsys, settings, tmp_path) -> None:
    target = tmp_path / "export.json"
    assert run(capsys, "export", "--output", str(target))[0] == 0
    document = json.loads(target.read_text())
    document["checkins"] = []
    document["routines"] = [
        {"id": "r1", "routine_id": "laughs", "file_name": "laughs.yaml", "source": LAUGHS,
         "added_at": "2026-11-03T10:00:00+00:00"}
    ]  # fmt: skip
    target.write_text(json.dumps(document))
    status, _, err = run(capsys, "import", str(target))
    assert status == 2
    assert err.startswith("error: ")
    assert "routines[0].source" in err
    assert "laughs.yaml:7" in err
    assert "nothing was imported" in err
    library = Services(settings, MovableClock())
    assert library.routine_store.routines() == []
    library.close()
