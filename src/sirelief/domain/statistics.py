"""Small, exact statistics for personal evidence: a mean with its Student-t interval.

The domain imports nothing heavy, so the t quantile is computed here from the regularised
incomplete beta function (continued fraction, modified Lentz) and inverted by bisection.
Tests check it against scipy.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

CONFIDENCE = 0.95


def _incomplete_beta_fraction(a: float, b: float, x: float) -> float:
    """Continued fraction for I_x(a, b) (converges fast for x < (a + 1) / (a + b + 2))."""
    tiny = 1e-300
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 500):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        step = d * c
        h *= step
        if abs(step - 1.0) < 1e-15:
            break
    return h


def regularised_beta(a: float, b: float, x: float) -> float:
    """I_x(a, b), the regularised incomplete beta function, for 0 <= x <= 1.

    >>> round(regularised_beta(2, 3, 0.5), 6)
    0.6875
    """
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = (
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b)
        + a * math.log(x) + b * math.log1p(-x)
    )  # fmt: skip
    front = math.exp(log_front)
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _incomplete_beta_fraction(a, b, x) / a
    return 1.0 - front * _incomplete_beta_fraction(b, a, 1.0 - x) / b


def t_cdf(t: float, df: float) -> float:
    """P(T <= t) for Student's t with ``df`` degrees of freedom.

    >>> round(t_cdf(0.0, 5), 6), round(t_cdf(2.570582, 5), 4)
    (0.5, 0.975)
    """
    square = t * t
    if square < df:  # near the centre: the central form keeps its precision
        centre = 0.5 * regularised_beta(0.5, df / 2.0, square / (df + square))
        return 0.5 + centre if t >= 0 else 0.5 - centre
    tail = 0.5 * regularised_beta(df / 2.0, 0.5, df / (df + square))
    return 1.0 - tail if t >= 0 else tail


@lru_cache(maxsize=1024)
def t_quantile(p: float, df: float) -> float:
    """The ``p`` quantile of Student's t (0 < p < 1), by bisection on the exact CDF;
    remembered, since a report asks for the same few (``p``, ``df``) pairs again and again.

    >>> round(t_quantile(0.975, 1), 3), round(t_quantile(0.975, 7), 3)
    (12.706, 2.365)
    """
    if not 0.0 < p < 1.0 or df <= 0:
        raise ValueError("t_quantile needs 0 < p < 1 and df > 0")
    if p < 0.5:
        return -t_quantile(1.0 - p, df)
    low, high = 0.0, 1.0
    while t_cdf(high, df) < p:
        high *= 2.0
    for _ in range(200):
        middle = (low + high) / 2.0
        if t_cdf(middle, df) < p:
            low = middle
        else:
            high = middle
        if high - low < 1e-12:
            break
    return (low + high) / 2.0


@dataclass(frozen=True)
class Estimate:
    """A mean of per-session values, with a two-sided interval when there are enough."""

    n: int
    mean: float
    sd: float | None
    """Sample standard deviation (n - 1); None for a single value."""
    low: float | None
    high: float | None
    """The interval at ``CONFIDENCE``; None when n < 2."""

    @property
    def includes_zero(self) -> bool:
        return self.low is not None and self.high is not None and self.low <= 0.0 <= self.high


def mean_interval(values: Sequence[float], confidence: float = CONFIDENCE) -> Estimate:
    """Mean and Student-t interval: mean +- t(1 - alpha/2, n - 1) * sd / sqrt(n).

    >>> e = mean_interval([1.0, 2.0, 3.0])
    >>> e.mean, e.sd, round(e.low, 3), round(e.high, 3)
    (2.0, 1.0, -0.484, 4.484)
    """
    n = len(values)
    if n == 0:
        raise ValueError("mean_interval needs at least one value")
    mean = math.fsum(values) / n
    if n == 1:
        return Estimate(1, mean, None, None, None)
    sd = math.sqrt(math.fsum((v - mean) ** 2 for v in values) / (n - 1))
    half = t_quantile(1.0 - (1.0 - confidence) / 2.0, n - 1) * sd / math.sqrt(n)
    return Estimate(n, mean, sd, mean - half, mean + half)
