"""From a routine and a check-in to a concrete, timed plan, with a reason for each choice.

The planner is deterministic: the same routine, check-in, history and seed give the same
plan. Randomness (a tie between sides, or the randomise option) comes from the seed.
"""

import random
from dataclasses import dataclass, replace

from sirelief.domain.catalogue import Catalogue
from sirelief.domain.checkin import CheckIn
from sirelief.domain.exercise import Exercise
from sirelief.domain.monitoring import DoseAdvice, PastSession, advise
from sirelief.domain.pain_rules import PainRule, pain_rule
from sirelief.domain.plan import Plan, PlanStep
from sirelief.domain.routine import AssessmentStep, Block, ChoiceStep, ExerciseStep, Routine
from sirelief.domain.timeline import Work, build_timeline
from sirelief.domain.vocabulary import Side, label

SHRINK_STEPS = tuple(round(step / 10, 1) for step in range(11))
STRETCH_CATEGORIES = frozenset({"stretch", "warm_up"})
"""Work that may be left out whole, least-needed first, once shrinking is not enough (SPEC 5.7)."""


@dataclass(frozen=True)
class PlanOptions:
    seed: int = 0
    randomise_first_side: bool = False
    """Choose the first side at random, so the untreated-side comparison is fairer (SPEC 6)."""


@dataclass(frozen=True)
class ResolvedBlock:
    """A routine block with equipment resolved and menus picked."""

    block: Block
    items: tuple[Work | AssessmentStep, ...]
    between: tuple[Work | AssessmentStep, ...]

    @property
    def droppable(self) -> bool:
        """Optional blocks may go when time is short, unless they hold an assessment."""
        items = (*self.items, *self.between)
        return self.block.optional and not any(isinstance(i, AssessmentStep) for i in items)


def plan_session(
    routine: Routine,
    catalogue: Catalogue,
    checkin: CheckIn,
    options: PlanOptions = PlanOptions(),
    history: tuple[PastSession, ...] = (),
) -> Plan:
    """Plan one session. Red flags must have been screened before (see ``safety.screen``)."""
    rng = random.Random(options.seed)
    rule = pain_rule(checkin.pain)
    reasons: list[str] = [rule.reason]
    first_side, side_reason = _first_side(checkin, options, rng)
    advice = _within_pain_rule(advise(history), rule)
    base = advice.intensity if advice else 0.0
    if rule.lowest_intensity:  # a negative base means progress, which the rule then forbids
        base = max(base, rule.lowest_intensity)
    if advice:
        reasons.extend(advice.reasons)

    picks = _pick_menus(routine, catalogue, checkin, reasons, rule)
    blocks = [_resolve(block, catalogue, checkin, reasons, rule, picks) for block in routine.blocks]
    sided_blocks = [b for b in blocks if b.block.sides == "tighter_first"]
    sided = any(isinstance(i, Work) and i.exercise.is_one_sided
                for b in sided_blocks for i in b.items)  # fmt: skip
    if sided:
        reasons.insert(0, side_reason)
    elif sided_blocks:
        reasons.append(
            "None of the one-sided work can be done today (see above), so neither "
            "side gets the work and the mid check has nothing to compare."
        )
    budget = checkin.minutes * 60
    droppable = sorted(
        (i for i, resolved in enumerate(blocks) if resolved.droppable),
        key=lambda i: (-(blocks[i].block.priority or 10), -i),
    )
    for count in range(len(droppable) + 1):
        dropped = set(droppable[:count])
        for intensity in (base, *(s for s in SHRINK_STEPS if s > base)):
            steps = _build(blocks, dropped, first_side, intensity)
            if sum(step.duration_s for step in steps) <= budget:
                if advice and advice.decision == "progress" and intensity > base:
                    advice = _no_room_to_progress(advice, reasons)
                    base = 0.0
                reasons.extend(_fit_reasons(blocks, dropped, intensity, base, checkin.minutes))
                return _plan(
                    routine,
                    steps,
                    checkin,
                    True,
                    first_side if sided else None,
                    advice,
                    options.seed,
                    reasons,
                )
    dropped = set(droppable)
    candidates = _stretches_least_needed_first(blocks, dropped, checkin)
    for count in range(1, len(candidates) + 1):
        leaner = _without(blocks, candidates[:count])
        for intensity in (base, *(s for s in SHRINK_STEPS if s > base)):
            steps = _build(leaner, dropped, first_side, intensity)
            if sum(step.duration_s for step in steps) <= budget:
                reasons.extend(_fit_reasons(blocks, dropped, intensity, base, checkin.minutes))
                reasons.append(_left_out_reason(candidates[:count], checkin.minutes))
                return _plan(
                    routine, steps, checkin, True, first_side if sided else None, advice,
                    options.seed, reasons,
                )  # fmt: skip
    leaner = _without(blocks, candidates)
    steps = _build(leaner, dropped, first_side, 1.0)
    shortest = sum(step.duration_s for step in steps)
    reasons.extend(_fit_reasons(blocks, dropped, 1.0, base, checkin.minutes))
    if candidates:
        reasons.append(_left_out_reason(candidates, checkin.minutes))
    reasons.append(
        f"Even the shortest safe version takes {_minutes(shortest)}, more than your "
        f"{checkin.minutes} min: it keeps every assessment, both sides of each "
        "one-sided block and holds of at least 30 s. Start it if you can spare the time, "
        "or pick a shorter routine."
    )
    return _plan(
        routine, steps, checkin, False, first_side if sided else None, advice, options.seed, reasons
    )


def _stretches_least_needed_first(blocks, dropped: set[int], checkin: CheckIn) -> list[Work]:
    """Stretches that may go whole, for the least tight regions first; one exercise stays.

    A hold is never cut below 30 s to fit the time, so whole stretches go instead (SPEC 5.7).
    Among equals, the later one goes first, keeping the routine's opening intact.
    """
    kept = [r for i, r in enumerate(blocks) if i not in dropped]
    works = [item for r in kept for item in (*r.items, *r.between) if isinstance(item, Work)]
    stretches = [w for w in works if w.exercise.category in STRETCH_CATEGORIES]
    order = {id(work): position for position, work in enumerate(works)}
    ranked = sorted(stretches, key=lambda w: (_need(w, checkin), -order[id(w)]))
    return ranked if len(ranked) < len(works) else ranked[:-1]


def _need(work: Work, checkin: CheckIn) -> int:
    """How tight the person rated the regions this exercise works, both sides summed."""
    return max(
        (sum(checkin.tightness.of(r).of(s) for s in ("left", "right"))
         for r in work.exercise.rated_regions),
        default=0,
    )  # fmt: skip


def _without(blocks: list[ResolvedBlock], gone: list[Work]) -> list[ResolvedBlock]:
    ids = {id(work) for work in gone}

    def keep(items):
        return tuple(item for item in items if id(item) not in ids)

    return [replace(r, items=keep(r.items), between=keep(r.between)) for r in blocks]


def _left_out_reason(gone: list[Work], minutes: int) -> str:
    names = ", ".join(work.exercise.name for work in gone)
    return (
        f"Left out {names} to fit your {minutes} min: these work the regions you rated "
        "least tight, and a stretch cut below 30 s or below one set would do little."
    )


def _plan(routine, steps, checkin, fits, first_side, advice, seed, reasons) -> Plan:
    total = sum(step.duration_s for step in steps)
    if fits:
        reasons.append(f"Planned for {_minutes(total)} of your {checkin.minutes} min.")
    return Plan(
        routine_id=routine.id, routine_version=routine.version, routine_name=routine.name,
        steps=tuple(steps), minutes_available=checkin.minutes, fits=fits,
        first_side=first_side, dose_decision=advice.decision if advice else None,
        seed=seed, reasons=tuple(reasons),
    )  # fmt: skip


def _build(blocks, dropped: set[int], first_side: Side, intensity: float) -> list[PlanStep]:
    kept = [resolved for i, resolved in enumerate(blocks) if i not in dropped]
    return build_timeline([(r.block, r.items, r.between) for r in kept], first_side, intensity)


def _minutes(seconds: int) -> str:
    minutes, rest = divmod(seconds, 60)
    return f"{minutes} min {rest} s" if rest else f"{minutes} min"


def _first_side(checkin: CheckIn, options: PlanOptions, rng: random.Random) -> tuple[Side, str]:
    left, right = checkin.tightness.total("left"), checkin.tightness.total("right")
    totals = f"summed tightness left {left}, right {right}"
    if options.randomise_first_side:
        side: Side = rng.choice(["left", "right"])
        return side, (
            f"The {side} side goes first, chosen at random (seed {options.seed}) "
            "as you asked, so the other side is a fairer comparison."
        )
    if left != right:
        side = "left" if left > right else "right"
        other = "right" if side == "left" else "left"
        return side, (
            f"Your {side} side feels tighter ({totals}), so it is treated first "
            f"and the {other} side waits as the comparison."
        )
    if checkin.pain_side:
        return checkin.pain_side, (
            f"Both sides feel equally tight ({totals}); the "
            f"{checkin.pain_side} side goes first because that is "
            "where the pain is."
        )
    side = rng.choice(["left", "right"])
    return side, (
        f"Both sides feel equally tight ({totals}) and the pain is not one-sided, "
        f"so the {side} side was chosen at random (seed {options.seed})."
    )


def _within_pain_rule(advice: DoseAdvice | None, rule: PainRule) -> DoseAdvice | None:
    """Today's pain can hold back a progression the history would allow, never add one."""
    if advice is None or advice.decision != "progress" or rule.may_progress:
        return advice
    return DoseAdvice(
        "repeat",
        0.0,
        ("Last time went well enough to progress, but not with today's pain: the dose "
         "stays the same.",),
    )  # fmt: skip


def _resolve(block: Block, catalogue, checkin, reasons, rule, picks) -> ResolvedBlock:
    return ResolvedBlock(
        block,
        tuple(_resolve_steps(block.steps, catalogue, checkin, reasons, rule, picks)),
        tuple(_resolve_steps(block.between_sides, catalogue, checkin, reasons, rule, picks)),
    )


def _resolve_steps(steps, catalogue, checkin, reasons, rule, picks) -> list[Work | AssessmentStep]:
    resolved: list[Work | AssessmentStep] = []
    for step in steps:
        if isinstance(step, AssessmentStep):
            resolved.append(step)
        elif isinstance(step, ExerciseStep):
            exercise = catalogue.exercise(step.exercise)
            if id(step) in picks.repeats:
                reasons.append(
                    f"{exercise.name} is already in this session, so it is planned once."
                )
                continue
            if exercise.category in rule.left_out_categories:
                reasons.append(
                    f"Left out {exercise.name}: no pressure work with pain at {checkin.pain}/10."
                )
                continue
            work = _equip(exercise, step, checkin, reasons, catalogue, rule)
            if work:
                resolved.append(work)
        elif isinstance(step, ChoiceStep):
            resolved.extend(picks.chosen[id(step)])
    return resolved


@dataclass
class _MenuPicks:
    chosen: dict[int, list[Work]]
    """Each menu's picks, by the id of its ``ChoiceStep``."""
    repeats: set[int]
    """Fixed steps that repeat an exercise planned earlier without ``repeat: true``."""


def _pick_menus(routine: Routine, catalogue, checkin, reasons, rule) -> _MenuPicks:
    """Pick every menu once per session: an exercise is planned once unless repeated on purpose.

    Fixed steps come first (the routine asks for them by name), then menus for the next
    activity (the person said what comes next), then the other menus.
    """
    steps = [s for b in routine.blocks for s in (*b.steps, *b.between_sides)]
    planned: set[str] = set()
    repeats: set[int] = set()
    for step in steps:
        if isinstance(step, ExerciseStep):
            if step.exercise in planned and not step.repeat:
                repeats.add(id(step))
            planned.add(step.exercise)
    menus = [s for s in steps if isinstance(s, ChoiceStep)]
    chosen: dict[int, list[Work]] = {}
    for menu in sorted(menus, key=lambda m: not _for_activity(m)):
        fresh = [o for o in menu.options if o.repeat or o.exercise not in planned]
        chosen[id(menu)] = _pick(menu, fresh, catalogue, checkin, reasons, rule)
        planned.update(work.exercise.id for work in chosen[id(menu)])
    return _MenuPicks(chosen, repeats)


def _for_activity(menu: ChoiceStep) -> bool:
    return any(option.for_activity for option in menu.options)


def _equip(
    exercise: Exercise,
    step: ExerciseStep,
    checkin: CheckIn,
    reasons: list[str],
    catalogue: Catalogue,
    rule: PainRule,
) -> Work | None:
    """The exercise, or its substitute for missing equipment, or None if neither can be done.

    A substitute is an exercise of its own (SPEC 5.8): it is planned under its own id,
    title, cues and dose, and the routine step's numbers are kept within its ranges.
    """
    missing = [need for need in exercise.equipment if not need.optional]
    missing = [need for need in missing if not checkin.has(need.item)]
    if not missing:
        return Work(exercise, step, _note(exercise, step, checkin))
    need = missing[0]
    for alt in need.alternatives:
        if not checkin.has(alt.item) or alt.exercise not in catalogue:
            continue
        substitute = catalogue.exercise(alt.exercise)
        if substitute.category in rule.left_out_categories:
            continue
        if all(checkin.has(item) for item in substitute.needs):
            reasons.append(f"No {label(need.item)} at hand, so: {substitute.name}.")
            return Work(
                substitute, substitute_step(step, substitute), _note(substitute, step, checkin)
            )
    reasons.append(
        f"Left out {exercise.name}: it needs a {label(need.item)}, which you do not have at hand."
    )
    return None


def _note(exercise: Exercise, step: ExerciseStep, checkin: CheckIn) -> str | None:
    """The routine's note, then how to use the optional kit the person has at hand."""
    kit = [need.how for need in exercise.equipment if need.how and checkin.has(need.item)]
    return " ".join(text for text in (step.note, *kit) if text) or None


def substitute_step(step: ExerciseStep, substitute: Exercise) -> ExerciseStep:
    """The routine step aimed at a substitute: same place, same note and activities, and the
    step's numbers only where the substitute's dose has them, kept within its ranges.
    The step's own timed cues belong to the original exercise, so they are dropped.
    """
    dose = substitute.dose
    changes: dict[str, object] = {"exercise": substitute.id, "cues": None}
    for name, value in step.overrides().items():
        if name == "cues":
            continue
        if name not in type(dose).model_fields:
            changes[name] = None
            continue
        bounds = getattr(dose, f"{name}_range", None)
        if bounds is not None:
            value = min(max(value, bounds[0]), bounds[1])
        changes[name] = value
    return step.model_copy(update=changes)


def _pick(step: ChoiceStep, options, catalogue, checkin, reasons, rule) -> list[Work]:
    """Pick the options for the next activity, else those for the tightest regions.

    ``options`` are the menu's options not already planned elsewhere in the session.
    """
    allowed = [
        (catalogue.exercise(option.exercise), option)
        for option in options
        if catalogue.exercise(option.exercise).category not in rule.left_out_categories
    ]
    possible: list[Work] = []
    swaps: dict[int, list[str]] = {}
    for exercise, option in allowed:
        said: list[str] = []
        if work := _equip(exercise, option, checkin, said, catalogue, rule):
            possible.append(work)
            swaps[id(work)] = said
    if _for_activity(step) and checkin.next_activity is not None:
        chosen = _pick_for_activity(step, possible, checkin.next_activity, reasons)
        reasons.extend(said for work in chosen for said in swaps[id(work)])
        return chosen
    ranked = sorted(possible, key=lambda work: _need(work, checkin), reverse=True)[: step.choose]
    ordered = [work for work in possible if work in ranked]
    they = "it works" if len(ordered) == 1 else "they work"
    if len(possible) > step.choose:
        why = f"{they} the regions you rated tightest"
    elif len(options) < len(step.options):
        why = "the other options are already in this session or cannot be done today"
    elif len(possible) < len(step.options):
        why = "the others need equipment you do not have"
    else:
        why = "that is the whole menu"
    none_possible = (
        "none of the options can be done today (equipment, pain, or already in the "
        "session), so it is left out."
    )
    _say_picks(step, ordered, why, none_possible, reasons)
    reasons.extend(said for work in ordered for said in swaps[id(work)])
    return ordered


def _pick_for_activity(step: ChoiceStep, possible: list[Work], activity, reasons) -> list[Work]:
    if activity == "none":
        reasons.append(f"{step.title}: left out, as nothing active comes next.")
        return []
    fitting = [work for work in possible if activity in work.step.for_activity][: step.choose]
    nothing_more = (
        f"nothing more for {label(activity)}; what prepares for it is already in the "
        "session or cannot be done today."
    )
    _say_picks(step, fitting, f"{label(activity)} comes next", nothing_more, reasons)
    return fitting


def _say_picks(step: ChoiceStep, picked: list[Work], why: str, if_none: str, reasons) -> None:
    """One reason for a menu: what it gave and why, or why it gave nothing."""
    if picked:
        names = ", ".join(work.exercise.name for work in picked)
        reasons.append(f"{step.title}: {names}, because {why}.")
    else:
        reasons.append(f"{step.title}: {if_none}")


def _no_room_to_progress(advice: DoseAdvice, reasons: list[str]) -> DoseAdvice:
    """Time is too short to progress today: say so instead of promising more."""
    for reason in advice.reasons:
        reasons.remove(reason)
    reasons.append(
        "Last time went well enough to progress, but there is not time for more "
        "today, so the dose is not increased."
    )
    return DoseAdvice("repeat", 0.0, ())


def _fit_reasons(blocks, dropped, intensity, base, minutes) -> list[str]:
    reasons = []
    if intensity > base:
        how = "to the shortest" if intensity >= 1 else "toward the short end"
        reasons.append(
            f"To fit your {minutes} min, holds, sets and timed work were shortened "
            f"{how} of each exercise's range."
        )
    for index in sorted(dropped):
        block = blocks[index].block
        reasons.append(f"Left out the optional block '{block.title}' to fit your {minutes} min.")
    return reasons
