"""The one pain limit in every exercise file (SPEC 5.5): "at most 5 out of 10".

Rule: a line that sets a pressure or discomfort target out of 10 states the domain's
``PAIN_LIMIT`` as its maximum, in the words "at most N out of 10" or "N out of 10 or less"
(never a range such as
"5 to 7"); a line that says when pain is too much ("past N out of 10", "above", "over",
"more than") names the same number. Change the constant and these files must follow.
"""

import re

import pytest

from sirelief.catalogue.loader import builtin_files
from sirelief.domain.monitoring import PAIN_LIMIT

FILES = builtin_files("exercises")
OUT_OF_10 = re.compile(r"(\d+)(?:\s*(?:to|-)\s*(\d+))?\s+out of 10")
THRESHOLD = re.compile(r"\b(?:past|above|over|more than|beyond)\s+(\d+)\s+out of 10")
TARGET_WORDS = ("pressure", "discomfort")


def wrong_lines(text: str, limit: int = PAIN_LIMIT) -> list[str]:
    """The lines of one file that break the rule, with their line numbers."""
    wrong = []
    for number, line in enumerate(text.splitlines(), 1):
        if "out of 10" not in line:
            continue
        thresholds = [int(m.group(1)) for m in THRESHOLD.finditer(line)]
        is_target = any(word in line.lower() for word in TARGET_WORDS) and not thresholds
        ranged = any(m.group(2) for m in OUT_OF_10.finditer(line))
        states_limit = f"at most {limit} out of 10" in line or f"{limit} out of 10 or less" in line
        if (is_target and (not states_limit or ranged)) or any(n != limit for n in thresholds):
            wrong.append(f"line {number}: {line.strip()}")
    return wrong


@pytest.mark.parametrize("source", FILES, ids=[f.name for f in FILES])
def test_every_pressure_target_states_the_pain_limit_as_its_maximum(source) -> None:
    wrong = wrong_lines(source.text)
    assert not wrong, f"{source.name} should say 'at most {PAIN_LIMIT} out of 10': {wrong}"


def test_the_rule_refuses_the_old_range_and_another_limit() -> None:
    old = "cautions:\n  - Aim for productive discomfort, about 5 to 7 out of 10, never sharp.\n"
    assert wrong_lines(old) == [
        "line 2: - Aim for productive discomfort, about 5 to 7 out of 10, never sharp."
    ]
    assert wrong_lines("  - Pain that climbs past 6 out of 10.") != []
    assert wrong_lines("  - Gentle pull, around 3 out of 10.") == []  # a stretch, no pressure
    good = "  - Strong but tolerable pressure: at most 5 out of 10, never sharp."
    assert wrong_lines(good, limit=5) == []
    assert wrong_lines(good, limit=4) != []  # the constant decides, not the text
    assert wrong_lines("  - Keep the pressure at 5 out of 10 or less.", limit=5) == []
    assert wrong_lines("  - Keep the pressure at 6 out of 10 or less.", limit=5) != []
