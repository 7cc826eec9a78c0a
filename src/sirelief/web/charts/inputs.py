"""What the charts are given: series, bands, reference lines, bars and interval rows."""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sirelief.web.charts.axes import Key, Marker


@dataclass(frozen=True)
class Series:
    """One line: ``points`` are (day, value) in the chart's y unit; None leaves a gap."""

    name: str
    points: Sequence[tuple[date, float | None]]
    marker: Marker = "circle"

    def __post_init__(self) -> None:
        if self.marker not in ("circle", "square"):
            raise ValueError(f"marker must be 'circle' or 'square', got {self.marker!r}")


@dataclass(frozen=True)
class Band:
    """A shaded horizontal band from ``low`` to ``high`` (y units), e.g. the first week's
    value +-2 points: changes inside it are within measurement error."""

    low: float
    high: float
    label: str


@dataclass(frozen=True)
class Reference:
    """A dashed line at ``value`` (the value axis's unit), named in the chart's key."""

    value: float
    label: str


@dataclass(frozen=True)
class Bar:
    """One bar: ``value`` in the chart's unit; ``emphasis`` picks it out (say this week)."""

    label: str
    value: float
    emphasis: bool = False


@dataclass(frozen=True)
class IntervalRow:
    """One estimate with its interval (None when there are too few data to give one)."""

    label: str
    estimate: float
    low: float | None
    high: float | None
    note: str = ""


def reference_keys(references: Sequence[Reference]) -> list[Key]:
    return [Key("reference", r.label) for r in references if math.isfinite(r.value)]
