"""A corpus of malformed routine files: each must give its expected message and line.

Every file in ``bad_routines/`` starts with one or more ``# expect: LINE: TEXT`` comments;
the check must report an error on that line whose message contains that text, and must
never raise.
"""

import re
from pathlib import Path

import pytest

from sirelief.catalogue.loader import SourceFile, check_routine_file
from sirelief.domain.catalogue import Catalogue

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
