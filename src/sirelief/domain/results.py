"""What a session showed: the assessment points side by side, and what changed.

The untreated side is the same-session control (SPEC 6): at the mid check, the change on
the treated side minus the change on the side still waiting estimates what the work did.
Changes under 2 points are less than a person can reliably feel (SPEC 4, 5.10) and are
said to be. The words stay honest: ratings are the person's own, about tightness, and
"felt less tight than the side that waited" is all a session can show (SPEC 5.10).
"""

from dataclasses import dataclass

from sirelief.domain.inclinometer import KNEE_TO_WALL_MDC_CM, KNEE_TO_WALL_MDC_DEG
from sirelief.domain.session import Assessment, SessionState
from sirelief.domain.vocabulary import RATED_REGIONS, SIDES, RatingRegion, Side, label

MEANINGFUL = 2
"""Points of change on a 0-10 scale below which a change is less than a person can
reliably feel; borrowed from pain scores (SPEC 4), and said to be borrowed."""
SMALL = " (less than you can reliably feel)"


@dataclass(frozen=True)
class RegionRow:
    """One region and side across the three time points."""

    region: RatingRegion
    side: Side
    baseline: int | None
    mid: int | None
    final: int | None

    @property
    def change(self) -> int | None:
        """Final (or, without one, mid) minus baseline; negative means looser."""
        last = self.final if self.final is not None else self.mid
        return None if last is None or self.baseline is None else last - self.baseline


@dataclass(frozen=True)
class ControlledEffect:
    region: RatingRegion
    treated: Side
    treated_change: int
    untreated_change: int

    @property
    def effect(self) -> int:
        return self.treated_change - self.untreated_change

    @property
    def meaningful(self) -> bool:
        return abs(self.effect) >= MEANINGFUL

    def sentence(self) -> str:
        region = label(self.region)
        direction = "less tight" if self.effect < 0 else "tighter"
        size = abs(self.effect)
        if size == 0:
            return (
                f"{region.capitalize()}: your worked {self.treated} side changed exactly as "
                "much as the side that waited, so no difference shows."
            )
        verdict = "" if self.meaningful else SMALL
        return (
            f"{region.capitalize()}: your worked {self.treated} side felt "
            f"{size} point{'s' if size != 1 else ''} {direction} than the side that "
            f"waited{verdict}."
        )


@dataclass(frozen=True)
class SessionResults:
    rows: tuple[RegionRow, ...]
    effects: tuple[ControlledEffect, ...]
    pain_before: int | None
    pain_after: int | None
    max_pain: int | None

    @property
    def biggest_change(self) -> RegionRow | None:
        changed = [row for row in self.rows if row.change]
        return max(changed, key=lambda row: abs(row.change or 0), default=None)

    def summary(self) -> list[str]:
        """Plain sentences for the results screen."""
        lines = []
        biggest = self.biggest_change
        if biggest is not None and biggest.change is not None:
            direction = "less tight" if biggest.change < 0 else "tighter"
            size = abs(biggest.change)
            note = "" if size >= MEANINGFUL else SMALL
            lines.append(
                f"Biggest change: your {biggest.side} {label(biggest.region)} felt "
                f"{size} point{'s' if size != 1 else ''} {direction} than at the start{note}."
            )
        lines.extend(effect.sentence() for effect in self.effects)
        if self.pain_before is not None and self.pain_after is not None:
            change = self.pain_after - self.pain_before
            note = "" if abs(change) >= MEANINGFUL else SMALL
            lines.append(f"Pain went from {self.pain_before} to {self.pain_after}{note}.")
        return lines


def _point(state: SessionState, name: str) -> Assessment | None:
    return next((a for a in state.assessments if a.point == name), None)


def session_results(state: SessionState, pain_at_checkin: int | None = None) -> SessionResults:
    baseline, mid, final = (_point(state, p) for p in ("baseline", "mid", "final"))

    def value(point: Assessment | None, region: str, side: Side) -> int | None:
        ratings = point.ratings.get(region) if point else None
        return ratings.of(side) if ratings else None

    rows = tuple(
        RegionRow(region, side, value(baseline, region, side), value(mid, region, side),
                  value(final, region, side))
        for region in RATED_REGIONS for side in SIDES
        if value(baseline, region, side) is not None
    )  # fmt: skip
    effects = []
    treated = state.plan.first_side
    if treated and baseline and mid:
        untreated: Side = "left" if treated == "right" else "right"
        for region in RATED_REGIONS:
            values = [value(p, region, s) for p in (baseline, mid) for s in (treated, untreated)]
            if None in values:
                continue
            base_t, base_u, mid_t, mid_u = values
            effects.append(ControlledEffect(region, treated, mid_t - base_t, mid_u - base_u))
    before = baseline.pain if baseline and baseline.pain is not None else pain_at_checkin
    last = final or mid
    return SessionResults(rows, tuple(effects), before, last.pain if last else None, state.max_pain)


@dataclass(frozen=True)
class AnkleRow:
    """The knee-to-wall test on one side at each check, in centimetres (tape) or degrees
    (phone). A bigger number means more ankle range in both units."""

    unit: str
    """"cm" or "°"."""
    side: Side
    baseline: float | None
    mid: float | None
    final: float | None

    @property
    def change(self) -> float | None:
        """Final (or, without one, mid) minus baseline; positive means more range."""
        last = self.final if self.final is not None else self.mid
        return None if last is None or self.baseline is None else round(last - self.baseline, 1)

    @property
    def within_error(self) -> bool:
        """A change smaller than the test's smallest real change (SPEC 4)."""
        error = KNEE_TO_WALL_MDC_CM if self.unit == "cm" else KNEE_TO_WALL_MDC_DEG
        return self.change is not None and abs(self.change) < error


def ankle_results(state: SessionState) -> tuple[AnkleRow, ...]:
    """The knee-to-wall measures taken at the session's checks, both sides, in each unit
    used; a unit with no baseline is left out (nothing to compare with)."""
    points = [_point(state, p) for p in ("baseline", "mid", "final")]
    rows = []
    for unit, measure in (("cm", "knee_to_wall"), ("°", "knee_to_wall_deg")):
        readings = [getattr(point, measure) if point else None for point in points]
        if readings[0] is None:
            continue
        for side in SIDES:
            values = [getattr(r, side) if r is not None else None for r in readings]
            rows.append(AnkleRow(unit, side, *values))
    return tuple(rows)
