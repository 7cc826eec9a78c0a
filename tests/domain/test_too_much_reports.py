""" "Too much" reports read back from a session's events (SPEC 5.5)."""

import pytest

from sirelief.domain.session import Event
from sirelief.domain.too_much_reports import too_much_reports
from tests.domain.test_session import PLAN, _at_first_smash


def test_a_session_without_too_much_has_no_reports() -> None:
    events, _ = _at_first_smash()
    assert too_much_reports(PLAN, events) == ()


@pytest.mark.parametrize(
    ("symptom", "choice", "said"),
    [("numbness", "skip", "you skipped it"), ("sharp", "gentler", "you went on with a gentler "
     "version"), ("shooting", "end", "you ended the session")],
)  # fmt: skip
def test_each_report_names_the_step_symptom_pain_and_choice(symptom, choice, said) -> None:
    events, state = _at_first_smash()
    step = PLAN.steps[state.index]
    events += [
        Event(id="t", at=5.0, kind="too_much", pain=6, symptom=symptom),
        Event(id="c", at=6.0, kind="too_much_choice", choice=choice),
    ]
    [report] = too_much_reports(PLAN, events)
    assert (report.step, report.symptom, report.pain, report.choice) == (step, symptom, 6, choice)
    felt = {"numbness": "numbness", "sharp": "sharp pain", "shooting": "shooting pain"}[symptom]
    assert report.says() == (
        f"You said it was too much during {step.title}, {step.side} side "
        f"({felt}, pain 6 of 10): {said}."
    )


def test_gentler_after_a_nerve_symptom_is_not_a_choice_made() -> None:
    """The fold ignores it (never offered), so the report waits for skip or end."""
    events, _ = _at_first_smash()
    events += [
        Event(id="t", at=5.0, kind="too_much", pain=2, symptom="tingling"),
        Event(id="g", at=6.0, kind="too_much_choice", choice="gentler"),
    ]
    assert [r.choice for r in too_much_reports(PLAN, events)] == [None]
    events.append(Event(id="e", at=7.0, kind="end"))
    [report] = too_much_reports(PLAN, events)
    assert report.choice == "end"
    assert report.says().endswith(": you ended the session.")


def test_a_repeated_event_is_one_report() -> None:
    events, _ = _at_first_smash()
    told = Event(id="t", at=5.0, kind="too_much", pain=7, symptom="aching")
    events += [told, told, Event(id="c", at=6.0, kind="too_much_choice", choice="skip")]
    assert len(too_much_reports(PLAN, events)) == 1
