"""The phone as an inclinometer for the knee-to-wall (weight-bearing lunge) test.

The phone lies flat on the front of the shin, so the phone's own plane leans from
vertical exactly as the shin does, whichever way up (portrait or landscape) it is held.
From the browser's ``deviceorientation`` angles (beta about the phone's x axis, gamma
about its y axis, W3C Z-X'-Y'' order) the screen's normal has a vertical part of
cos(beta)·cos(gamma); the plane's lean from vertical is the arcsine of its size.

A reading counts only once it has held still: every sample over the last ``window_s``
seconds within ``tolerance`` degrees of each other. Three such readings are averaged.
``web/static/inclinometer.js`` does the same sums in the browser; keep the two alike.
"""

import math
from collections.abc import Sequence

from pydantic import Field

from sirelief.domain.model_base import Record

ANGLE_RANGE = (0.0, 60.0)
"""Shin angles the check accepts; a lunge past 60 degrees from vertical is not a reading."""
STEADY_WINDOW_S = 2.0
"""How long the phone must hold still before a try counts."""
STEADY_TOLERANCE_DEG = 1.0
"""How far apart the samples of a steady window may be (max minus min)."""
TRIES = 3
"""Readings averaged into the stored angle."""
KNEE_TO_WALL_MDC_CM = 2.0
"""Minimal detectable change of the knee-to-wall test with a tape (SPEC 4: about 1.5-2 cm)."""
KNEE_TO_WALL_MDC_DEG = 5.0
"""Minimal detectable change of the lunge angle (SPEC 4; phone studies report 4.6-4.7)."""


class KneeToWallAngle(Record):
    """Shin angle from vertical per side in degrees, measured with the phone (SPEC 4)."""

    left: float = Field(ge=ANGLE_RANGE[0], le=ANGLE_RANGE[1], allow_inf_nan=False)
    right: float = Field(ge=ANGLE_RANGE[0], le=ANGLE_RANGE[1], allow_inf_nan=False)


def shin_angle(beta: float, gamma: float) -> float:
    """Degrees from vertical of a phone lying flat on the shin, from 0 (upright) to 90.

    >>> shin_angle(90, 0), round(shin_angle(55, 0), 6), shin_angle(0, 0)
    (0.0, 35.0, 90.0)
    """
    vertical = math.cos(math.radians(beta)) * math.cos(math.radians(gamma))
    angle = math.degrees(math.asin(min(1.0, abs(vertical))))
    return round(angle, 9) + 0.0  # no -0.0, and no 1e-15 left over from the cosines


def steady_angle(
    samples: Sequence[tuple[float, float]],
    window_s: float = STEADY_WINDOW_S,
    tolerance: float = STEADY_TOLERANCE_DEG,
) -> float | None:
    """The mean angle of the last ``window_s`` seconds when it held still, else None.

    ``samples`` are (seconds, angle) pairs, oldest first. The window runs back from the
    newest sample to the newest one at least ``window_s`` older, so it is covered whole.
    """
    if not samples:
        return None
    newest = samples[-1][0]
    start = next(
        (i for i in range(len(samples) - 1, -1, -1) if samples[i][0] <= newest - window_s),
        None,
    )
    if start is None:
        return None
    angles = [angle for _t, angle in samples[start:]]
    if max(angles) - min(angles) > tolerance:
        return None
    return sum(angles) / len(angles)


def mean_of_tries(tries: Sequence[float]) -> float:
    """The stored angle: the tries' mean to one decimal.

    >>> mean_of_tries([30.0, 31.0, 32.5])
    31.2
    """
    if not tries:
        raise ValueError("mean_of_tries needs at least one try")
    return round(sum(tries) / len(tries), 1)
