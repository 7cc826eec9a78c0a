"""Pooling the untreated-side control across sessions: which work changes how you feel.

In each session with a mid check (SPEC 6), for each rated region,

    effect = change on the treated side - change on the untreated side

from baseline to mid. Over sessions these are pooled per block of work and region with a
95% Student-t interval. The numbers are presented as a reduction: positive means the
treated side loosened more than the side that waited. Fewer than three sessions say
nothing; an interval that includes zero says "no clear effect yet".
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, tzinfo
from typing import Literal

from sirelief.domain.exercise import Exercise
from sirelief.domain.plan import PlanStep
from sirelief.domain.records import SessionRecord
from sirelief.domain.results import MEANINGFUL, session_results
from sirelief.domain.statistics import Estimate, mean_interval
from sirelief.domain.vocabulary import RATED_REGIONS, RatingRegion, Side

MIN_SESSIONS = 3
"""Below this many sessions a pooled effect is shown as "too few to say anything"."""
Verdict = Literal["too_few", "unclear", "less_tight", "tighter"]
"""Never "helps": a session shows how the worked side felt against the one that waited."""
TIGHTNESS_WORDS: dict[str, str] = {
    "hip": "hip",
    "hamstrings_adductors": "hamstring and inner-thigh",
    "ankle": "ankle",
}
"""How a rated region reads before "tightness" in a sentence."""
AREA_WORDS: dict[str, str] = {
    "hip": "the front of the hip",
    "hamstrings_adductors": "the hamstrings and inner thigh",
    "ankle": "the ankle",
}
"""How a rated region reads after "less tight in"."""
VERDICT_WORDS: dict[str, str] = {
    "too_few": "Too few sessions",
    "unclear": "No clear effect yet",
    "less_tight": "Felt less tight",
    "tighter": "Felt tighter",
}


@dataclass(frozen=True)
class Work:
    """What an exercise is called and which rating regions its work should move."""

    name: str
    rated: tuple[RatingRegion, ...]


@dataclass(frozen=True)
class SessionEffect:
    """One session's controlled estimate for one region."""

    session_id: str
    day: date
    routine_id: str
    block_id: str
    region: RatingRegion
    treated: Side
    randomised: bool
    treated_change: int
    untreated_change: int
    work: tuple[str, ...]
    """Exercise ids done on the treated side before the mid check."""

    @property
    def reduction(self) -> int:
        """How much more the treated side loosened than the untreated one (points)."""
        return self.untreated_change - self.treated_change


def _treated_steps(record: SessionRecord) -> tuple[str, tuple[PlanStep, ...]] | None:
    """The block holding the mid check, and its exercise steps done before it."""
    state = record.state
    steps = record.plan.steps
    points = [s.assessment.assess if s.assessment else None for s in steps]
    mid = points.index("mid") if "mid" in points else None
    if mid is None or record.plan.first_side is None:
        return None
    block = steps[mid].block_id
    done = tuple(
        step
        for index, step in enumerate(steps[:mid])
        if step.block_id == block
        and step.kind == "exercise"
        and step.side == record.plan.first_side
        and index not in state.skipped
    )
    return (block, done) if done else None


def session_effects(record: SessionRecord, tz: tzinfo) -> list[SessionEffect]:
    """Every region's controlled estimate in one session; none without a usable mid check."""
    treated = _treated_steps(record)
    if treated is None:
        return []
    block, steps = treated
    results = session_results(record.state)
    work = tuple(dict.fromkeys(step.exercise_id for step in steps if step.exercise_id))
    day = record.created_at.astimezone(tz).date()
    return [
        SessionEffect(
            session_id=record.id,
            day=day,
            routine_id=record.plan.routine_id,
            block_id=block,
            region=effect.region,
            treated=effect.treated,
            randomised=record.first_side_randomised,
            treated_change=effect.treated_change,
            untreated_change=effect.untreated_change,
            work=work,
        )
        for effect in results.effects
    ]


@dataclass(frozen=True)
class PooledEffect:
    """One block of work and one region, pooled over sessions."""

    routine_id: str
    block_id: str
    region: RatingRegion
    work_name: str
    """The exercises of the block that work this region (or the whole block), by name."""
    sessions: tuple[SessionEffect, ...]
    estimate: Estimate
    """Of the reduction: positive means the treated side loosened more."""
    randomised: Estimate | None
    """The same, from the sessions whose first side was drawn at random only."""

    @property
    def n(self) -> int:
        return self.estimate.n

    @property
    def sides(self) -> tuple[Side, ...]:
        return tuple(sorted({s.treated for s in self.sessions}))

    @property
    def clear(self) -> bool:
        """A clear effect either way: worth a headline, not only a line in the details."""
        return self.verdict in ("less_tight", "tighter")

    @property
    def verdict_words(self) -> str:
        """The verdict as a table shows it; under 2 points, less than a person can feel."""
        if self.clear and abs(self.estimate.mean) < MEANINGFUL:
            return "Less than you can reliably feel"
        return VERDICT_WORDS[self.verdict]

    @property
    def verdict(self) -> Verdict:
        if self.n < MIN_SESSIONS:
            return "too_few"
        if self.estimate.includes_zero:
            return "unclear"
        return "less_tight" if self.estimate.mean > 0 else "tighter"

    def sentence(self, whose: str = "your") -> str:
        """Plain words: "X: your worked side felt 2.1 points less tight in ... than the side
        that waited" - never "lowered" or "helps" (SPEC 5.10). A coach reads the same
        sentence about a client with ``whose="their"``."""
        where = TIGHTNESS_WORDS[self.region]
        if len(self.sides) == 1:
            joiner = " " if " " in where else "-"
            where = f"{self.sides[0]}{joiner}{where}"
        count = f"{self.n} session{'s' if self.n != 1 else ''}"
        if self.verdict == "too_few":
            return (
                f"{self.work_name} and {where} tightness: {count} so far, too few to say "
                f"anything yet; it takes at least {MIN_SESSIONS}."
            )
        mean, low, high = self.estimate.mean, self.estimate.low, self.estimate.high
        interval = (
            "the same difference in every session so far"
            if self.estimate.sd == 0
            else f"95% interval {_num(low)} to {_num(high)}"
        )
        if self.verdict == "unclear":
            return (
                f"{self.work_name}: no clear difference in {where} tightness yet. On average "
                f"the worked side felt {_num(abs(mean))} points "
                f"{'less tight' if mean >= 0 else 'tighter'} than the side that waited, but "
                f"the interval includes zero ({count}, {interval}).{self._randomised_note()}"
            )
        direction = "less tight" if mean > 0 else "tighter"
        small = (
            f" That is less than {'you' if whose == 'your' else 'a person'} can reliably feel "
            "(a 2-point threshold borrowed from "
            "pain scores)."
            if abs(mean) < MEANINGFUL
            else ""
        )
        side = f" ({self.sides[0]})" if len(self.sides) == 1 else ""
        return (
            f"{self.work_name}: {whose} worked side{side} felt {_num(abs(mean))} points "
            f"{direction} in {AREA_WORDS[self.region]} than the side that waited ({count}, "
            f"{interval}).{small}{self._randomised_note()}"
        )

    def _randomised_note(self) -> str:
        """The fairer subset (SPEC 6: a tighter side chosen first flatters the work)."""
        subset = self.randomised
        if subset is None or subset.n < MIN_SESSIONS or subset.n == self.n:
            return ""
        return (
            f" In the {subset.n} sessions whose first side was drawn at random, the "
            f"difference was {_num(subset.mean)}."
        )


def _num(value: float | None) -> str:
    return "?" if value is None else f"{value:.1f}"


def name_the_work(effects: Sequence[SessionEffect], region: str, work: Mapping[str, Work]) -> str:
    """Name the exercises that target the region; the whole block when none does."""
    ids = tuple(dict.fromkeys(i for effect in effects for i in effect.work))
    aimed = [i for i in ids if i in work and region in work[i].rated]
    names = [work[i].name if i in work else i for i in (aimed or ids)]
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def pool_effects(effects: Iterable[SessionEffect], work: Mapping[str, Work]) -> list[PooledEffect]:
    """Group per routine, block and region (in rating order); pool each group."""
    groups: dict[tuple[str, str, str], list[SessionEffect]] = {}
    for effect in sorted(effects, key=lambda e: (e.day, e.session_id)):
        groups.setdefault((effect.routine_id, effect.block_id, effect.region), []).append(effect)
    pooled = []
    for (routine_id, block_id, region), group in groups.items():
        randomised = [e.reduction for e in group if e.randomised]
        pooled.append(
            PooledEffect(
                routine_id=routine_id,
                block_id=block_id,
                region=region,
                work_name=name_the_work(group, region, work),
                sessions=tuple(group),
                estimate=mean_interval([e.reduction for e in group]),
                randomised=mean_interval(randomised) if randomised else None,
            )
        )
    order = {region: i for i, region in enumerate(RATED_REGIONS)}
    return sorted(pooled, key=lambda p: (p.routine_id, p.block_id, order[p.region]))


def work_index(exercises: Iterable[Exercise]) -> dict[str, Work]:
    """Names and rated regions of catalogue exercises, as ``pool_effects`` reads them."""
    return {e.id: Work(e.name, e.rated_regions) for e in exercises}
