"""'Too much' by symptom (SPEC 5.5): pain may go gentler; numbness, tingling or shooting
pain never do. The choices, the words, and the session fold that enforces them."""

import pytest

from sirelief.domain.monitoring import PAIN_LIMIT, zone
from sirelief.domain.pain_rules import pain_rule
from sirelief.domain.session import Event, apply
from sirelief.domain.too_much import (
    NERVE_SYMPTOMS,
    OFFERED_SYMPTOMS,
    PAIN_SYMPTOMS,
    advice,
    choices_for,
    gentler_changes,
    kind_of,
    offers_too_much,
)
from tests.domain.test_session import PLAN, _at_first_smash


@pytest.mark.parametrize("symptom", [*PAIN_SYMPTOMS, "too_intense", None])
def test_pain_offers_gentler_skip_or_end(symptom) -> None:
    assert kind_of(symptom) == "pain"
    assert choices_for(symptom) == ("gentler", "skip", "end")


@pytest.mark.parametrize("symptom", NERVE_SYMPTOMS)
def test_numbness_tingling_or_shooting_offer_skip_or_end_only(symptom) -> None:
    assert kind_of(symptom) == "nerve"
    assert choices_for(symptom) == ("skip", "end")


def test_every_offered_symptom_is_pain_or_nerve() -> None:
    assert set(OFFERED_SYMPTOMS) == {"aching", "sharp", "numbness", "tingling", "shooting"}


def test_nerve_advice_sends_to_a_clinician_if_it_lasts_or_returns() -> None:
    words = " ".join(advice("nerve").lines)
    assert "within a few minutes" in words
    assert "comes back" in words
    assert "see a clinician" in words
    assert "does not replace a clinician" in words
    assert "gentler" not in advice("nerve").choices


def test_pain_advice_states_the_limit_from_the_constant() -> None:
    assert f"over {PAIN_LIMIT} out of 10" in advice("pain").lines[0]
    assert "over 3 out of 10" in advice("pain", limit=3).lines[0]
    assert "does not replace a clinician" in " ".join(advice("pain").lines)


def test_gentler_says_what_changes() -> None:
    held = gentler_changes(90, None, "stretch", [("Small rocks", "Sway a little.")])
    assert held == (
        "Shorter: 0:45 instead of 1:30.",
        f"A smaller range: only as far as stays at {PAIN_LIMIT} out of 10 or less.",
        "Or try the easier version: Small rocks. Sway a little.",
    )
    smash = gentler_changes(60, None, "smash")
    assert smash[1] == f"Lighter pressure: at most {PAIN_LIMIT} out of 10, never sharp."
    assert len(smash) == 2  # no easier version listed, none named
    reps = gentler_changes(60, 10, "mobility")
    assert not any(line.startswith("Shorter") for line in reps)  # repetitions keep their count


def test_too_much_is_offered_in_work_and_rests_not_on_switches() -> None:
    assert offers_too_much("exercise")
    assert offers_too_much("rest")
    assert not offers_too_much("transition")
    assert not offers_too_much("assessment")


def _too_much(symptom: str, pain: int = 7):
    _events, state = _at_first_smash()
    index = state.index
    state = apply(state, Event(id="t", at=10.0, kind="too_much", step=index, pain=pain,
                               symptom=symptom))  # fmt: skip
    assert state.phase == "too_much"
    return state, index


@pytest.mark.parametrize("symptom", NERVE_SYMPTOMS)
def test_the_fold_ignores_gentler_after_a_nerve_symptom(symptom: str) -> None:
    state, index = _too_much(symptom)
    after = apply(state, Event(id="g", at=12.0, kind="too_much_choice", choice="gentler"))
    assert after.phase == "too_much"  # still asking: skip or end
    assert after.gentler == frozenset()
    assert after.too_much.symptom == symptom
    skipped = apply(after, Event(id="k", at=13.0, kind="too_much_choice", choice="skip"))
    assert skipped.index > index
    assert skipped.step.exercise_id != PLAN.steps[index].exercise_id


@pytest.mark.parametrize("symptom", PAIN_SYMPTOMS)
def test_the_fold_takes_gentler_after_pain(symptom: str) -> None:
    state, index = _too_much(symptom)
    after = apply(state, Event(id="g", at=12.0, kind="too_much_choice", choice="gentler"))
    assert after.phase != "too_much"
    assert after.index == index
    assert PLAN.steps[index].exercise_id in after.gentler


def test_the_pain_report_keeps_the_pain_and_the_symptom() -> None:
    state, _index = _too_much("tingling", pain=3)
    assert state.max_pain == 3
    assert (state.too_much.pain, state.too_much.symptom) == (3, "tingling")


def test_amber_and_the_pain_rule_use_the_same_limit() -> None:
    assert zone(PAIN_LIMIT) == "amber"
    assert zone(PAIN_LIMIT + 1) == "red"
    assert pain_rule(PAIN_LIMIT).band.endswith(f"-{PAIN_LIMIT}")
    assert pain_rule(PAIN_LIMIT + 1).lowest_intensity == 1.0
