"""The pain-monitoring model (SPEC 5): the next-morning check decides the next dose."""

import pytest

from sirelief.domain.monitoring import PROGRESS_STEP, PastSession, advise, zone

CLINICIAN = "see a clinician"


@pytest.mark.parametrize(
    ("max_pain", "settled", "decision"),
    [
        # settled and green -> progress a little
        (0, True, "progress"),
        (2, True, "progress"),
        (3, True, "progress"),
        (None, True, "progress"),
        # amber that settled -> repeat
        (4, True, "repeat"),
        (5, True, "repeat"),
        # red, even if settled -> regress
        (6, True, "regress"),
        (8, True, "regress"),
        (10, True, "regress"),
        # not settled, whatever the pain during it -> regress
        (0, False, "regress"),
        (3, False, "regress"),
        (5, False, "regress"),
        (9, False, "regress"),
        (None, False, "regress"),
    ],
)
def test_decision_table(max_pain: int | None, settled: bool, decision: str) -> None:
    advice = advise((PastSession(max_pain, settled),))
    assert advice is not None
    assert advice.decision == decision
    expected_intensity = {"progress": PROGRESS_STEP, "repeat": 0.0, "regress": 1.0}[decision]
    assert advice.intensity == expected_intensity
    assert len(advice.reasons) == 1
    assert advice.reasons[0].strip()
    if max_pain is not None:
        assert f"{max_pain}/10" in advice.reasons[0]


def test_progress_moves_toward_the_top_and_regress_toward_the_bottom() -> None:
    progress = advise((PastSession(1, True),))
    repeat = advise((PastSession(4, True),))
    regress = advise((PastSession(7, True),))
    assert progress is not None
    assert repeat is not None
    assert regress is not None
    assert progress.intensity < repeat.intensity == 0 < regress.intensity


@pytest.mark.parametrize(
    "history",
    [
        (),
        (PastSession(2, None),),
        (PastSession(None, None), PastSession(9, None)),
    ],
)
def test_no_morning_answer_gives_no_advice(history: tuple[PastSession, ...]) -> None:
    assert advise(history) is None


@pytest.mark.parametrize(
    ("history", "decision"),
    [
        # newest first: the first session with a morning answer decides
        ((PastSession(1, True), PastSession(9, False)), "progress"),
        ((PastSession(9, False), PastSession(1, True)), "regress"),
        ((PastSession(9, None), PastSession(1, True)), "progress"),
        ((PastSession(1, None), PastSession(None, None), PastSession(4, True)), "repeat"),
        ((PastSession(0, None), PastSession(7, True), PastSession(2, True)), "regress"),
    ],
)
def test_newest_answered_session_decides(history: tuple[PastSession, ...], decision: str) -> None:
    advice = advise(history)
    assert advice is not None
    assert advice.decision == decision


def test_two_regressions_in_a_row_add_a_see_a_clinician_reason() -> None:
    advice = advise((PastSession(7, True), PastSession(3, False)))
    assert advice is not None
    assert advice.decision == "regress"
    assert len(advice.reasons) == 2
    assert CLINICIAN in advice.reasons[1]


@pytest.mark.parametrize(
    "history",
    [
        (PastSession(7, True),),
        (PastSession(7, True), PastSession(2, True)),
        (PastSession(7, True), PastSession(5, True)),
        # the older regression is not followed by another one
        (PastSession(2, True), PastSession(7, True)),
        (PastSession(4, True), PastSession(9, False), PastSession(9, False)),
    ],
)
def test_a_single_regression_does_not_send_to_a_clinician(
    history: tuple[PastSession, ...],
) -> None:
    advice = advise(history)
    assert advice is not None
    assert not any(CLINICIAN in reason for reason in advice.reasons)


@pytest.mark.parametrize(
    ("pain", "expected"),
    [
        (0, "green"),
        (3, "green"),
        (4, "amber"),
        (5, "amber"),
        (6, "red"),
        (10, "red"),
    ],
)
def test_zone_boundaries(pain: int, expected: str) -> None:
    assert zone(pain) == expected
