"""A corpus of malformed routine files: each must give its expected message and line.

Every file in ``bad_routines/`` starts with one or more ``# expect: LINE: TEXT`` comments;
the check must report an error on that line whose message contains that text, and must
never raise.
"""

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from sirelief.catalogue.loader import SourceFile, check_routine_file
from sirelief.domain.catalogue import Catalogue
from tests.fuzz import strategies as fuzz
from tests.fuzz.harness import builtin_routine_documents, dump_yaml

CORPUS = Path(__file__).parent / "bad_routines"
EXPECT = re.compile(r"^# expect: (\d+): (.+)$", re.MULTILINE)
FILES = sorted(CORPUS.glob("*.yaml"))


def test_corpus_is_large_enough() -> None:
    assert len(FILES) >= 20


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_bad_routine_reports_expected_problem(path: Path, catalogue: Catalogue) -> None:
    text = path.read_text(encoding="utf-8")
    expected = [(int(line), message) for line, message in EXPECT.findall(text)]
    assert expected, f"{path.name} has no '# expect:' line"

    check = check_routine_file(SourceFile(path.name, text), catalogue)

    assert not check.ok
    reported = [(p.line, p.message) for p in check.problems if p.severity == "error"]
    for line, message in expected:
        assert any(line == got_line and message in got for got_line, got in reported), (
            f"expected line {line}: {message!r}\n got: {reported}"
        )
    for problem in check.problems:
        assert str(problem).startswith(f"{path.name}:{problem.line}: ")
        assert "Traceback" not in problem.message
        assert "pydantic" not in problem.message.lower()


def test_one_round_shows_the_shape_and_the_meaning_problems_together(
    catalogue: Catalogue,
) -> None:
    """A coach fixing a file sees all ten problems at once, not six and then four more."""
    path = CORPUS / "45-ten-problems-one-pass.yaml"
    text = path.read_text(encoding="utf-8")
    expected = sorted(int(line) for line, _ in EXPECT.findall(text))
    check = check_routine_file(SourceFile(path.name, text), catalogue)
    assert sorted(p.line for p in check.problems if p.severity == "error") == expected
    assert len(expected) == 10


def test_an_id_too_short_says_how_long_it_must_be(catalogue: Catalogue) -> None:
    text = (
        "id: x\nname: X\nsummary: s\nblocks:\n  - id: b\n    title: T\n    steps:\n"
        "      - exercise: standing-lunge\n"
    )
    check = check_routine_file(SourceFile("short.yaml", text), catalogue)
    assert [p.message for p in check.problems] == [
        "id needs at least 2 characters, got 'x'",
        "id needs at least 2 characters, got 'b'",
    ]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=fuzz.routine_text(builtin_routine_documents(), dump_yaml))
def test_a_mutated_routine_is_checked_in_one_round_without_raising(
    catalogue: Catalogue, text: str
) -> None:
    """The second round runs on what survives the first; whatever the damage, it must
    neither raise nor report a problem twice."""
    check = check_routine_file(SourceFile("mutated.yaml", text), catalogue)
    assert check.ok == (not any(p.severity == "error" for p in check.problems))
    reported = [(p.line, p.message) for p in check.problems]
    assert len(reported) == len(set(reported)), reported
