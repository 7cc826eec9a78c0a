"""Scale a dose within its range: the one knob the planner turns to fit time and pain.

``intensity`` 0 keeps the routine's dose, 1 takes the bottom of every range, and a
negative value progresses a little (one step more per set, never more sets). Holds move
in 5-second steps and minutes in half-minutes, so the timer counts round numbers.
A hold is never shortened below ``MIN_HOLD_S`` (SPEC 5.7): shorter stretches do little, so
the planner leaves out whole exercises instead.
"""

from sirelief.domain.dose import Cue, Dose, HoldDose, RepsDose, TimedDose

MIN_HOLD_S = 30


def _toward(default: float, low: float, high: float, intensity: float) -> float:
    if intensity >= 0:
        return default - intensity * (default - low)
    return default + (-intensity) * (high - default)


def _bounds(dose: Dose, name: str) -> tuple[float, float]:
    value = getattr(dose, name)
    bounds = getattr(dose, f"{name}_range", None) or [value, value]
    return bounds[0], bounds[1]


def _scaled(dose: Dose, name: str, intensity: float, step: float) -> float:
    low, high = _bounds(dose, name)
    value = _toward(getattr(dose, name), low, high, intensity)
    rounded = round(value / step) * step
    return min(max(rounded, low), high)


def scale_cues(cues: list[Cue], from_s: int, to_s: int) -> list[Cue]:
    """Stretch or squeeze cue times to a new length, keeping their order.

    >>> [c.at_s for c in scale_cues([Cue(at_s=0, say="a"), Cue(at_s=90, say="b")], 180, 120)]
    [0, 60]
    """
    if from_s == to_s or from_s <= 0:
        return list(cues)
    scaled: list[Cue] = []
    for cue in cues:
        at = round(cue.at_s * to_s / from_s)
        if at < to_s and (not scaled or at > scaled[-1].at_s):
            scaled.append(cue.model_copy(update={"at_s": at}))
    return scaled


def progressed(dose: Dose) -> Dose:
    """A little more than last time: one step more per set, never more sets (SPEC 5).

    >>> progressed(HoldDose(kind="hold", hold_s=30, hold_s_range=[20, 60], sets=1)).hold_s
    35
    """

    def up(name: str, step: float) -> float:
        return min(getattr(dose, name) + step, _bounds(dose, name)[1])

    if isinstance(dose, HoldDose):
        return dose.model_copy(update={"hold_s": int(up("hold_s", 5))})
    if isinstance(dose, TimedDose):
        minutes = up("minutes", 0.5)
        cues = scale_cues(dose.cues, round(dose.minutes * 60), round(minutes * 60))
        return dose.model_copy(update={"minutes": minutes, "cues": cues})
    assert isinstance(dose, RepsDose)
    return dose.model_copy(update={"reps": int(up("reps", 1))})


def at_intensity(dose: Dose, intensity: float) -> Dose:
    """The same dose moved ``intensity`` of the way toward the bottom of its range.

    A negative intensity means progress, which is always one small step (``progressed``).

    >>> at_intensity(HoldDose(kind="hold", hold_s=45, hold_s_range=[20, 60], sets=2), 1).hold_s
    30
    """
    if intensity == 0:
        return dose
    if intensity < 0:
        return progressed(dose)
    if isinstance(dose, HoldDose):
        floor = min(MIN_HOLD_S, dose.hold_s)  # a coach's shorter hold is kept as written
        return dose.model_copy(update={
            "hold_s": int(max(_scaled(dose, "hold_s", intensity, 5), floor)),
            "sets": int(_scaled(dose, "sets", intensity, 1)),
        })  # fmt: skip
    if isinstance(dose, TimedDose):
        minutes = _scaled(dose, "minutes", intensity, 0.5)
        cues = scale_cues(dose.cues, round(dose.minutes * 60), round(minutes * 60))
        return dose.model_copy(update={"minutes": minutes, "cues": cues})
    assert isinstance(dose, RepsDose)
    return dose.model_copy(update={
        "reps": int(_scaled(dose, "reps", intensity, 1)),
        "sets": int(_scaled(dose, "sets", intensity, 1)),
    })  # fmt: skip
