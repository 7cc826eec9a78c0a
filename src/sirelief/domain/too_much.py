"""What "too much" during an exercise leads to, by what the person felt (SPEC 5.5).

Pain (sharp, or an ache over ``PAIN_LIMIT``) ends the exercise and offers a gentler
version, skipping it, or ending the session. Numbness, tingling or shooting pain end the
exercise too, but a gentler version is never offered: only skip or end, with the advice to
see a clinician if it does not pass. The session fold ignores a choice that was not
offered, so no screen can turn a nerve symptom into "gentler".
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from sirelief.domain.monitoring import PAIN_LIMIT

Symptom = Literal["aching", "sharp", "numbness", "tingling", "shooting", "too_intense"]
"""What the person felt. ``too_intense`` is only read back from older records."""
Choice = Literal["gentler", "skip", "end"]
SymptomKind = Literal["pain", "nerve"]

PAIN_SYMPTOMS: tuple[Symptom, ...] = ("aching", "sharp")
NERVE_SYMPTOMS: tuple[Symptom, ...] = ("numbness", "tingling", "shooting")
OFFERED_SYMPTOMS: tuple[Symptom, ...] = PAIN_SYMPTOMS + NERVE_SYMPTOMS
"""The symptoms a person can pick now, in the order they are shown."""
SYMPTOM_WORDS: dict[str, str] = {
    "aching": "Aching pain", "sharp": "Sharp pain", "numbness": "Numbness",
    "tingling": "Tingling", "shooting": "Shooting pain", "too_intense": "Too intense",
}  # fmt: skip
CHOICE_WORDS: dict[str, str] = {
    "gentler": "Try it gentler", "skip": "Skip this exercise", "end": "End the session",
}  # fmt: skip
GENTLER_SHARE = 0.5
"""A gentler repeat runs for this share of the step's time (at least 10 s)."""
NOT_A_CLINICIAN = "sirelief coaches; it does not diagnose and does not replace a clinician."


def kind_of(symptom: str | None) -> SymptomKind:
    """Numbness, tingling and shooting pain are one kind; everything else is pain.

    >>> kind_of("tingling"), kind_of("aching"), kind_of(None)
    ('nerve', 'pain', 'pain')
    """
    return "nerve" if symptom in NERVE_SYMPTOMS else "pain"


def choices_for(symptom: str | None) -> tuple[Choice, ...]:
    """The ways on after "too much": never "gentler" after numbness, tingling or shooting.

    >>> choices_for("sharp"), choices_for("numbness")
    (('gentler', 'skip', 'end'), ('skip', 'end'))
    """
    return ("skip", "end") if kind_of(symptom) == "nerve" else ("gentler", "skip", "end")


@dataclass(frozen=True)
class TooMuchAdvice:
    """What the screen says once the exercise has stopped, and the choices it offers."""

    heading: str
    lines: tuple[str, ...]
    choices: tuple[Choice, ...]


def advice(kind: SymptomKind, limit: int = PAIN_LIMIT) -> TooMuchAdvice:
    """The words and choices for one kind of symptom.

    >>> advice("nerve").choices
    ('skip', 'end')
    """
    if kind == "nerve":
        return TooMuchAdvice(
            "Stop this exercise",
            (
                "Numbness, tingling or shooting pain mean this exercise stops here, and "
                "there is no gentler version of it today.",
                "If it has not gone within a few minutes, or it comes back, see a clinician.",
                NOT_A_CLINICIAN,
            ),
            choices_for("numbness"),
        )
    return TooMuchAdvice(
        "Let's ease off",
        (
            f"Sharp pain, or an ache over {limit} out of 10, is more than this work "
            "should bring, so this exercise stops here.",
            NOT_A_CLINICIAN,
        ),
        choices_for("aching"),
    )


def gentler_seconds(duration_s: int) -> int:
    """How long a timed step runs when done the gentler way.

    >>> gentler_seconds(60), gentler_seconds(12)
    (30, 10)
    """
    return max(10, round(duration_s * GENTLER_SHARE))


def gentler_changes(
    duration_s: int,
    reps: int | None,
    category: str | None,
    easier: Sequence[tuple[str, str]] = (),
    limit: int = PAIN_LIMIT,
) -> tuple[str, ...]:
    """What "gentler" changes for this step, said before the person picks it.

    ``easier`` holds the exercise's listed easier versions as (name, how).

    >>> gentler_changes(60, None, "stretch", [("Small rocks", "Sway a little.")])[0]
    'Shorter: 0:30 instead of 1:00.'
    """
    lines = []
    if not reps:
        lines.append(f"Shorter: {_mmss(gentler_seconds(duration_s))} instead of "
                     f"{_mmss(duration_s)}.")  # fmt: skip
    if category in ("smash", "foam_rolling"):
        lines.append(f"Lighter pressure: at most {limit} out of 10, never sharp.")
    else:
        lines.append(f"A smaller range: only as far as stays at {limit} out of 10 or less.")
    lines.extend(f"Or try the easier version: {name}. {how}" for name, how in easier[:1])
    return tuple(lines)


def _mmss(seconds: int) -> str:
    return f"{seconds // 60}:{seconds % 60:02d}"


def offers_too_much(step_kind: str) -> bool:
    """ "Too much" is asked during work and the rests between its sets; on side switches
    and transitions nothing is being done, so the control offers end and pause only.

    >>> offers_too_much("exercise"), offers_too_much("transition")
    (True, False)
    """
    return step_kind in ("exercise", "rest")


def worked_step(steps: Sequence, index: int):
    """The exercise step a "too much" at ``index`` is about: itself, or in a rest the set
    just done. None where nothing is being worked (a transition, an assessment)."""
    step = steps[index]
    if step.kind == "rest":
        step = next((s for s in reversed(steps[:index]) if s.kind == "exercise"), step)
    return step if step.kind == "exercise" else None
