"""Hostile PSFS forms (issue 20 item 2), beside ``strategies.py``: activity lines that are
empty, blank, too long, multi-line or full of odd characters; scores outside 0-10, not
numbers, or missing."""

from hypothesis import strategies as st

from tests.fuzz.strategies import _form, field_value

ACTIVITIES = ["Getting out of the car", "Walking 30 minutes", "Lifting my child",
              "<b>Stairs</b>", "Sitting \u202eat work", "  ", "a" * 121, "line\nbreak"]  # fmt: skip


def psfs_activities_form(known_bugs: bool = False) -> st.SearchStrategy:
    line = field_value(st.sampled_from(ACTIVITIES), known_bugs)
    long = st.integers(100, 5000).map(lambda n: "x" * n)
    fields = {f"activity_{n}": st.one_of(line, long) for n in (1, 2, 3)}
    return _form(fields, known_bugs)


def psfs_scores(known_bugs: bool = False) -> st.SearchStrategy[list]:
    """One answer per activity line (None: left out), mapped to its field by the test."""
    score = st.one_of(st.integers(0, 10).map(str), st.sampled_from(["11", "-1", "5.5", "٣", "10 "]))
    return st.lists(field_value(score, known_bugs), min_size=3, max_size=3)
