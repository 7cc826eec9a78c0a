"""Precautions (SPEC 5.3): lasting facts that change the plan instead of stopping it.

Each precaution names the exercises it rules out; ``apply`` takes them out of a routine
before the planner sees it (swapping in a listed alternative the person can still do),
and says which precaution changed what. Answers are confirmed every 12 weeks.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sirelief.domain.catalogue import Catalogue
from sirelief.domain.exercise import Exercise
from sirelief.domain.routine import Block, ChoiceStep, ExerciseStep, Routine

CONFIRM_EVERY = timedelta(weeks=12)


@dataclass(frozen=True)
class Precaution:
    """One fact asked once: its question, what it changes, and the exercises it rules out."""

    id: str
    label: str
    question: str
    changes: str
    rules_out: Callable[[Exercise], bool] = field(repr=False)
    words: tuple[str, ...] = field(default=(), repr=False)
    """How exercise cautions name the condition ("aortic aneurysm"), so a test can check
    that every condition a caution says to skip for is asked about here."""


def _smash(ex: Exercise) -> bool:
    return ex.category == "smash"


def _rolls_calves(ex: Exercise) -> bool:
    return ex.category == "foam_rolling" and "calf_ankle" in ex.regions


def _presses_front_of_hip(ex: Exercise) -> bool:
    """Pressure into the front of the hip reaches the belly (SPEC 5.9)."""
    return ex.category in ("smash", "foam_rolling") and "hip_flexors" in ex.regions


PRECAUTIONS: tuple[Precaution, ...] = (
    Precaution(
        "pregnancy", "Pregnant, or gave birth in the last 12 weeks",
        "Are you pregnant, or did you give birth in the last 12 weeks?",
        "no smashing, no rolling of the calves and nothing lying face down",
        lambda ex: _smash(ex) or _rolls_calves(ex) or ex.position == "prone",
        ("pregnant", "gave birth"),
    ),
    Precaution(
        "pregnancy-after-20-weeks", "More than 20 weeks pregnant",
        "Are you more than 20 weeks pregnant?",
        "as for pregnancy, and no long holds lying flat on your back (a side-lying, seated "
        "or standing version is used where there is one)",
        lambda ex: _smash(ex) or _rolls_calves(ex) or ex.position in ("prone", "supine"),
        ("20 weeks of pregnancy", "20 weeks pregnant"),
    ),
    Precaution(
        "clot-risk", "Blood thinners, a past clot, a bleeding disorder, easy bruising or "
        "varicose veins",
        "Do you take blood thinners, or have you had a clot in a leg or lung (DVT or PE), "
        "a bleeding disorder, bruising that comes easily, or varicose veins on your legs?",
        "no smashing and no rolling of the calves",
        lambda ex: _smash(ex) or _rolls_calves(ex),
        ("blood thinners", "clot", "bleeding disorder", "bruise easily", "varicose veins"),
    ),
    Precaution(
        "hernia-or-recent-surgery", "A hernia, or recent surgery to the belly, hip, groin or spine",
        "Do you have a hernia, or have you had surgery to your belly, hip, groin or spine in "
        "the last 6 months?",
        "no hip-flexor smash or rolling, and nothing pressed on the operated area",
        _presses_front_of_hip,
        ("hernia", "surgery", "operated"),
    ),
    Precaution(
        "aortic-aneurysm", "An aortic aneurysm",
        "Has a doctor told you that you have an aortic aneurysm (a widened main artery in "
        "the belly)?",
        "no hip-flexor smash or rolling, so nothing presses toward the belly",
        _presses_front_of_hip,
        ("aortic aneurysm",),
    ),
    Precaution(
        "bowel-or-pelvic-condition", "Inflammatory bowel disease or a pelvic condition",
        "Do you have inflammatory bowel disease (such as Crohn's or colitis), or a pelvic "
        "condition such as endometriosis or a pelvic infection?",
        "no hip-flexor smash or rolling, so nothing presses toward the belly",
        _presses_front_of_hip,
        (
            "inflammatory bowel disease", "crohn's", "colitis", "pelvic condition",
            "endometriosis", "pelvic infection",
        ),
    ),
    Precaution(
        "hip-replacement", "A hip replacement",
        "Do you have a hip replacement (and has your surgeon not cleared deep hip bending, "
        "crossing the leg, or taking it far out to the side)?",
        "no crossing the leg over the body, no pressure on the inner thigh with the leg out "
        "to the side, and no pulling the knee toward the chest past a right angle",
        lambda ex: ex.id in (
            "figure-four-piriformis", "childs-pose-side-reach", "kb-adductor-smash",
            "roller-adductor-release",
        ),
        ("hip replacement",),
    ),
    Precaution(
        "osteoporosis", "Osteoporosis or long-term steroid tablets",
        "Do you have osteoporosis, or have you taken steroid tablets for a long time?",
        "no smashing and no loaded deep forward bending",
        lambda ex: _smash(ex) or ex.id == "inchworm-downward-dog",
        ("osteoporosis", "steroid"),
    ),
    Precaution(
        "head-down-risk", "Glaucoma, or high blood pressure not under control",
        "Do you have glaucoma, or high blood pressure that is not under control?",
        "no head-down positions such as the inchworm or downward dog",
        lambda ex: ex.id == "inchworm-downward-dog",
        ("glaucoma", "high blood pressure"),
    ),
)  # fmt: skip
BY_ID = {p.id: p for p in PRECAUTIONS}


def unknown(ids: Iterable[str]) -> list[str]:
    return [i for i in ids if i not in BY_ID]


def confirmation_due(confirmed_at: datetime | None, now: datetime) -> bool:
    """True when the answers were never given or are 12 weeks old or older."""
    return confirmed_at is None or now - confirmed_at >= CONFIRM_EVERY


@dataclass
class _Editor:
    catalogue: Catalogue
    active: tuple[Precaution, ...]
    used: set[str]
    changes: dict[str, list[str]] = field(default_factory=dict)

    def blocking(self, exercise_id: str) -> Precaution | None:
        if exercise_id not in self.catalogue:
            return None
        ex = self.catalogue.exercise(exercise_id)
        return next((p for p in self.active if p.rules_out(ex)), None)

    def name(self, exercise_id: str) -> str:
        return self.catalogue.exercise(exercise_id).name

    def step(self, step: ExerciseStep) -> ExerciseStep | None:
        precaution = self.blocking(step.exercise)
        if precaution is None:
            return step
        said = self.changes.setdefault(precaution.id, [])
        for alternative in self.catalogue.exercise(step.exercise).alternatives:
            if (
                alternative in self.catalogue
                and alternative not in self.used
                and self.blocking(alternative) is None
            ):
                self.used.add(alternative)
                said.append(f"{self.name(step.exercise)} swapped for {self.name(alternative)}")
                return ExerciseStep(exercise=alternative)
        said.append(f"{self.name(step.exercise)} left out")
        return None

    def steps(self, steps: list) -> list:
        kept = []
        for step in steps:
            if isinstance(step, ExerciseStep):
                step = self.step(step)
            elif isinstance(step, ChoiceStep):
                options = [o for o in map(self.step, step.options) if o is not None]
                if len(options) >= 2:
                    step = step.model_copy(
                        update={"options": options, "choose": min(step.choose, len(options))}
                    )
                else:
                    step = options[0] if options else None
            if step is not None:
                kept.append(step)
        return kept


def apply(
    routine: Routine, catalogue: Catalogue, ids: Iterable[str]
) -> tuple[Routine, tuple[str, ...]]:
    """The routine without what the precautions rule out, and a reason per precaution
    that changed something (one that changed nothing is not mentioned)."""
    active = tuple(BY_ID[i] for i in dict.fromkeys(ids) if i in BY_ID)
    if not active:
        return routine, ()
    used = {
        s.exercise
        for block in routine.blocks
        for s in (*block.steps, *block.between_sides)
        if isinstance(s, ExerciseStep)
    }
    editor = _Editor(catalogue, active, used)
    blocks: list[Block] = []
    for block in routine.blocks:
        steps = editor.steps(list(block.steps))
        if steps:
            between = editor.steps(list(block.between_sides))
            blocks.append(block.model_copy(update={"steps": steps, "between_sides": between}))
        else:
            editor.changes.setdefault("", []).append(f"the block '{block.title}' left out")
    reasons = tuple(
        f"Precaution: {BY_ID[pid].label.lower()} - {BY_ID[pid].changes}: "
        + "; ".join(changes)
        + "."
        for pid, changes in editor.changes.items()
        if pid and changes
    )
    if "" in editor.changes and reasons:
        reasons = (*reasons, "So " + "; ".join(editor.changes[""]) + ".")
    if not blocks:
        return routine.model_copy(update={"blocks": []}), reasons
    return routine.model_copy(update={"blocks": blocks}), reasons
