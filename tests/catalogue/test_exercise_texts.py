"""What the exercise texts say: safe placements, the one pressure limit, honest claims.

SPEC 5.3 (precautions), 5.5 (the pressure limit), 5.9 (placing pressure safely) and
5.10 (honest words). These phrases were once in the catalogue and must not come back.
"""

import re

import pytest

from sirelief.domain.catalogue import Catalogue
from sirelief.domain.exercise import Exercise
from sirelief.domain.monitoring import PAIN_LIMIT

PRESSURE_LIMIT = (
    f"strong but tolerable: at most {PAIN_LIMIT} out of 10, never sharp, and no worse afterwards"
)

UNSAFE_PHRASES = (
    # SPEC 5.9: the groin holds the femoral artery, vein and nerve
    "near the groin",
    "close to the groin",
    "high on the inner thigh",
    "from the groin",
    # the lateral femoral cutaneous nerve sits just below the front hip bone
    "just below the front hip bone",
    # the session does the switching: one side, recheck both, then the other side
    "switch sides at the end",
    "switch legs when the timer says so",
    # SPEC 5.5: one limit, not a range above it
    "5 to 7",
    "5-7",
    "6 out of 10",
    "7 out of 10",
    # SPEC 5.9: a swollen, warm or red calf is a same-day matter, not "soon"
    "have a doctor look at it",
)

OVERCLAIMS = re.compile(
    r"\b(fix|fixes|fixed|cures?|releases|helps your si|heals?|lowered"
    r"|will show whether it helps)\b",
    re.IGNORECASE,
)


def _texts(value: object) -> list[str]:
    """Every string inside an exercise record, wherever it sits."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for item in value.values() for text in _texts(item)]
    if isinstance(value, list | tuple):
        return [text for item in value for text in _texts(item)]
    return []


def _all_text(exercise: Exercise) -> str:
    return "\n".join(_texts(exercise.model_dump(exclude={"figure"}))).lower()


def _pressure_work(catalogue: Catalogue) -> list[Exercise]:
    found = [e for e in catalogue.exercises.values() if e.category in ("smash", "foam_rolling")]
    assert len(found) >= 4
    return found


@pytest.mark.parametrize("phrase", UNSAFE_PHRASES)
def test_no_exercise_text_holds_a_known_unsafe_phrase(catalogue: Catalogue, phrase: str) -> None:
    offenders = [e.id for e in catalogue.exercises.values() if phrase.lower() in _all_text(e)]
    assert offenders == [], f"{phrase!r} in {offenders}"


def test_no_exercise_text_overclaims(catalogue: Catalogue) -> None:
    offenders = {
        e.id: match.group(0)
        for e in catalogue.exercises.values()
        if (match := OVERCLAIMS.search(_all_text(e)))
    }
    assert offenders == {}


def test_pressure_work_states_the_one_limit(catalogue: Catalogue) -> None:
    """SPEC 5.5: the same words in every file, in the cautions and in the first spoken cue."""
    for exercise in _pressure_work(catalogue):
        cautions = " ".join(exercise.cautions).lower()
        assert PRESSURE_LIMIT in cautions, exercise.id
        first_cue = exercise.dose.cues[0].say.lower()
        assert f"at most {PAIN_LIMIT} out of 10" in first_cue, exercise.id
        assert "never sharp" in first_cue, exercise.id


def test_smashes_leave_the_switching_to_the_session(catalogue: Catalogue) -> None:
    """One side, then both sides rechecked, then the other side: no text says switch now."""
    for exercise in catalogue.exercises.values():
        if exercise.category == "smash":
            steps = " ".join(exercise.steps).lower()
            assert "switch" not in steps, exercise.id
            assert "the session tells you when" in steps, exercise.id


def test_inner_thigh_pressure_starts_below_the_groin(catalogue: Catalogue) -> None:
    adductor = catalogue.exercise("kb-adductor-smash")
    first_cue = adductor.dose.cues[0].say.lower()
    assert "a hand's width below the groin crease" in first_cue
    assert "back of the thigh" in first_cue
    cautions = " ".join(adductor.cautions).lower()
    assert "pulse under the handle" in cautions
    assert "inside of the shin" in cautions


def test_front_hip_pressure_sits_above_and_inside_the_hip_bone(catalogue: Catalogue) -> None:
    smash = catalogue.exercise("kb-hip-flexor-smash")
    assert "above and inside the front hip bone, off the groin crease" in (
        smash.dose.cues[0].say.lower()
    )
    cautions = " ".join(smash.cautions).lower()
    for reason in ("aortic aneurysm", "crohn's", "organs in your pelvis", "hernia", "pregnant"):
        assert reason in cautions, reason
    assert any("pain inside the belly" in sign.lower() for sign in smash.stop_signs)


def test_rolling_moves_off_the_outer_thigh_nerve(catalogue: Catalogue) -> None:
    cautions = " ".join(catalogue.exercise("foam-roll").cautions).lower()
    assert "outer front of the thigh" in cautions
    for words in ("burning", "numbness", "move the roller"):
        assert words in cautions, words


def test_calf_pressure_never_behind_the_knee_and_a_hot_calf_is_same_day(
    catalogue: Catalogue,
) -> None:
    calf = catalogue.exercise("kb-calf-smash")
    cautions = " ".join(calf.cautions).lower()
    assert "never press behind the knee" in cautions
    assert "swollen, warm or red" in cautions
    assert "same day" in cautions
    assert any("same day" in sign.lower() for sign in calf.stop_signs)


@pytest.mark.parametrize(
    ("exercise_id", "words"),
    [
        ("figure-four-piriformis", ("hip replacement", "crossing the leg", "right angle")),
        ("supine-hamstring-strap", ("hip replacement", "right angle")),
        ("childs-pose-side-reach", ("hip replacement", "glaucoma")),
        ("seated-butterfly", ("hip replacement",)),
        ("assessment-squat", ("hip replacement",)),
        ("trx-assisted-squat", ("hip replacement",)),
        ("inchworm-downward-dog", ("glaucoma", "high blood pressure", "osteoporosis")),
        ("kb-adductor-smash", ("pregnant", "blood thinners", "osteoporosis", "hip replacement")),
        ("kb-calf-smash", ("pregnant", "blood thinners", "clot", "osteoporosis")),
        ("kb-hip-flexor-smash", ("blood thinners", "osteoporosis", "surgery")),
    ],
)
def test_precautions_are_named_where_they_apply(
    catalogue: Catalogue, exercise_id: str, words: tuple[str, ...]
) -> None:
    """SPEC 5.3: the plan changes for these, and the exercise text says why too."""
    cautions = " ".join(catalogue.exercise(exercise_id).cautions).lower()
    for word in words:
        assert word in cautions, (exercise_id, word)


def test_evidence_says_what_was_measured(catalogue: Catalogue) -> None:
    """SPEC 5.10: stretching evidence is about range of motion, not SI joint pain."""
    checked = [
        e
        for e in catalogue.exercises.values()
        if e.category in ("stretch", "warm_up", "foam_rolling") and e.evidence.level == "moderate"
    ]
    assert len(checked) >= 10
    for exercise in checked:
        summary = exercise.evidence.summary.lower()
        assert "range of mo" in summary or "flexibility" in summary, exercise.id
        assert "not pain" in summary or "not been tested" in summary, exercise.id
