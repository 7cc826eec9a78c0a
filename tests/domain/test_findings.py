"""A clinician's findings (SPEC 4, issue 20 item 3): the vocabulary, the checks that name
each field, and words that repeat what was recorded and never add a conclusion."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sirelief.domain.findings import (
    FORTIN_ANSWERS,
    FORTIN_SIDES,
    MAX_EXAMINER,
    RESULTS,
    SLOT_IDS,
    TESTS,
    Examination,
    FindingsError,
    Recorder,
    check_findings,
    newest_first,
)

TODAY = date(2026, 12, 7)
AT = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def build(**changes) -> Examination:
    fields = {"examined_on": TODAY, "examiner": None, "results": {"compression": "positive"},
              "fortin": "not-checked", "fortin_side": None}  # fmt: skip
    fields |= changes
    return Examination.build("e1", fields["examined_on"], AT, TODAY, fields["examiner"],
                             fields["results"], fields["fortin"], fields["fortin_side"],
                             Recorder())  # fmt: skip


def test_the_five_tests_of_the_spec_and_their_sides() -> None:
    assert [t.id for t in TESTS] == [
        "distraction", "thigh-thrust", "compression", "sacral-thrust", "gaenslen",
    ]  # fmt: skip
    assert {t.id for t in TESTS if t.sided} == {"thigh-thrust", "gaenslen"}
    assert SLOT_IDS == (
        "distraction", "thigh-thrust-left", "thigh-thrust-right", "compression",
        "sacral-thrust", "gaenslen-left", "gaenslen-right",
    )  # fmt: skip


def test_slots_left_out_are_kept_as_not_done() -> None:
    record = build(results={"gaenslen-right": "negative"})
    assert record.results["gaenslen-right"] == "negative"
    assert {r for s, r in record.results.items() if s != "gaenslen-right"} == {"not-done"}
    assert record.done_lines() == ["Gaenslen test, right side: negative"]
    assert "Distraction test" in record.not_done()
    assert "Fortin finger sign" in record.not_done()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"examined_on": TODAY + timedelta(days=1)}, "examined_on"),
        ({"examined_on": date(1900, 1, 1)}, "examined_on"),
        ({"examiner": "x" * (MAX_EXAMINER + 1)}, "examiner"),
        ({"examiner": "Dr\u200bX"}, "examiner"),
        ({"results": {"compression": "maybe"}}, "compression"),
        ({"results": {"slump": "positive"}}, "slump"),
        ({"fortin": "sometimes"}, "fortin"),
        ({"fortin": "yes"}, "fortin_side"),
        ({"fortin": "yes", "fortin_side": "middle"}, "fortin_side"),
        ({"fortin": "no", "fortin_side": "left"}, "fortin_side"),
        ({"results": {}}, "results"),
    ],
)
def test_each_problem_names_its_field(changes: dict, field: str) -> None:
    with pytest.raises(FindingsError) as refused:
        build(**changes)
    assert [f for f, _message in refused.value.problems] == [field]


def test_every_problem_is_reported_at_once() -> None:
    problems = check_findings(TODAY + timedelta(days=3), TODAY, "x" * 300,
                              {"distraction": "?", "gaenslen-left": "?"}, "yes", None)  # fmt: skip
    fields = [field for field, _ in problems]
    assert fields == ["examined_on", "examiner", "distraction", "gaenslen-left", "fortin_side"]


def test_the_examiner_is_trimmed_and_empty_means_none() -> None:
    assert build(examiner="  Dr Rossi  ").examiner == "Dr Rossi"
    assert build(examiner="   ").examiner is None


def test_newest_examination_first_then_latest_typed_in() -> None:
    old = build(examined_on=date(2026, 1, 1))
    new = build(examined_on=date(2026, 6, 1))
    again = Examination(**{**new.__dict__, "id": "e2", "recorded_at": AT + timedelta(hours=1)})
    ordered = newest_first([old, new, again])
    assert [(r.id, r.examined_on.month) for r in ordered] == [("e2", 6), ("e1", 6), ("e1", 1)]


results = st.dictionaries(st.sampled_from(SLOT_IDS), st.sampled_from(RESULTS))
fortin = st.sampled_from(FORTIN_ANSWERS)
sides = st.none() | st.sampled_from(FORTIN_SIDES)
days = st.dates(TODAY - timedelta(days=3650), TODAY)


@given(days, results, fortin, sides)
def test_a_valid_record_repeats_exactly_what_was_given(on, given_results, answer, side) -> None:
    """Whatever is recorded, the words name every given result, and nothing counts them."""
    problems = check_findings(on, TODAY, None, given_results, answer, side)
    if problems:
        return
    record = build(examined_on=on, results=given_results, fortin=answer, fortin_side=side)
    done = [s for s in SLOT_IDS if given_results.get(s, "not-done") != "not-done"]
    lines = record.done_lines()
    assert len(lines) == len(done) + (answer != "not-checked")
    assert len(lines) + len(record.not_done()) == len(SLOT_IDS) + 1
    text = " ".join([*lines, *record.not_done()]).lower()
    assert not re.search(r"\d+ (of|out of) \d+", text)
    for conclusion in ("likely", "diagnos", "cluster", "sacroiliac joint pain"):
        assert conclusion not in text
    assert record.to_json()["results"] == {s: given_results.get(s, "not-done") for s in SLOT_IDS}


@given(days, results, fortin, sides, st.text(max_size=250))
def test_the_checks_accept_only_the_vocabulary(on, given_results, answer, side, examiner) -> None:
    problems = check_findings(on, TODAY, examiner, given_results, answer, side)
    fields = {field for field, _ in problems}
    assert ("fortin_side" in fields) == ((answer == "yes") != (side is not None))
    assert all(message.endswith(".") for _, message in problems)


@given(st.text(min_size=1, max_size=20), st.text(max_size=20))
def test_unknown_tests_and_results_are_refused_by_name(slot: str, result: str) -> None:
    problems = check_findings(TODAY, TODAY, None, {slot: result}, "no", None)
    if slot in SLOT_IDS and result in RESULTS:
        assert problems == []
    else:
        assert problems
        assert problems[0][0] == slot[:40]
