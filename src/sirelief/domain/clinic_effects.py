"""What helps across a coach's clients: each client's untreated-side effects, pooled.

Within one person, ``effects.pool_effects`` pools sessions. Across people the sessions of
one client are not independent of each other, and clients differ in how much a block
does for them, so the clients are pooled, not the sessions: each client gives one
estimate (the mean of their per-session reductions) and a random-effects meta-analysis
pools those (DerSimonian-Laird between-client variance, Hartung-Knapp-Sidik-Jonkman
interval with the Knapp-Hartung floor, which stays honest with few clients). The
between-client spread is shown as a prediction interval: where a further client's own
average would likely fall (Higgins, Thompson and Spiegelhalter 2009).

A client's estimate has the variance (pooled within-client variance) / (their sessions).
Ratings are whole points, and a reduction is made of four ratings, so that variance is
never taken below 4 x 1/12 (the variance of rounding to whole points): a few clients who
all said the same number must not make the interval collapse to nothing.
"""

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from sirelief.domain.effects import (
    AREA_WORDS,
    TIGHTNESS_WORDS,
    VERDICT_WORDS,
    SessionEffect,
    Verdict,
    Work,
    name_the_work,
)
from sirelief.domain.results import MEANINGFUL
from sirelief.domain.statistics import CONFIDENCE, t_quantile
from sirelief.domain.vocabulary import RATED_REGIONS, RatingRegion

MIN_CLIENTS = 3
"""Fewer clients than this say nothing about clients in general."""
ROUNDING_VARIANCE = 4 / 12
"""The floor of a session reduction's variance: four whole-point ratings, each rounded."""


@dataclass(frozen=True)
class ClientEstimate:
    """One client's average reduction for one block and region."""

    client_id: str
    sessions: int
    mean: float


@dataclass(frozen=True)
class RandomEffects:
    """The pooled mean over clients, its interval, and the spread between clients."""

    clients: int
    mean: float
    low: float
    high: float
    tau: float
    """The between-client standard deviation (points)."""
    predicted_low: float | None
    predicted_high: float | None
    """Where a further client's average would likely fall; None below three clients."""

    @property
    def includes_zero(self) -> bool:
        return self.low <= 0.0 <= self.high


def random_effects(
    estimates: Sequence[tuple[float, float]], confidence: float = CONFIDENCE
) -> RandomEffects:
    """Pool (estimate, variance) pairs, one per client; needs at least two, variances > 0."""
    k = len(estimates)
    if k < 2 or any(variance <= 0 for _, variance in estimates):
        raise ValueError("random_effects needs two or more estimates with positive variance")
    ys = [y for y, _ in estimates]
    weights = [1.0 / v for _, v in estimates]
    total = math.fsum(weights)
    fixed = math.fsum(w * y for w, y in zip(weights, ys, strict=True)) / total
    q = math.fsum(w * (y - fixed) ** 2 for w, y in zip(weights, ys, strict=True))
    scale = total - math.fsum(w * w for w in weights) / total
    tau2 = max(0.0, (q - (k - 1)) / scale) if scale > 0 else 0.0
    star = [1.0 / (v + tau2) for _, v in estimates]
    star_total = math.fsum(star)
    mean = math.fsum(w * y for w, y in zip(star, ys, strict=True)) / star_total
    spread = math.fsum(w * (y - mean) ** 2 for w, y in zip(star, ys, strict=True)) / (k - 1)
    tail = 1.0 - (1.0 - confidence) / 2.0
    half = t_quantile(tail, k - 1) * math.sqrt(max(1.0, spread) / star_total)
    predicted_low = predicted_high = None
    if k >= 3:
        reach = t_quantile(tail, k - 2) * math.sqrt(tau2 + 1.0 / star_total)
        predicted_low, predicted_high = mean - reach, mean + reach
    return RandomEffects(
        k, mean, mean - half, mean + half, math.sqrt(tau2), predicted_low, predicted_high
    )


@dataclass(frozen=True)
class CrossClientEffect:
    """One block of work and one region, pooled over the clients who did it."""

    routine_id: str
    block_id: str
    region: RatingRegion
    work_name: str
    clients: tuple[ClientEstimate, ...]
    pooled: RandomEffects | None
    """None below ``MIN_CLIENTS`` clients."""

    @property
    def sessions(self) -> int:
        return sum(client.sessions for client in self.clients)

    @property
    def verdict(self) -> Verdict:
        if self.pooled is None:
            return "too_few"
        if self.pooled.includes_zero:
            return "unclear"
        return "less_tight" if self.pooled.mean > 0 else "tighter"

    @property
    def verdict_words(self) -> str:
        if self.verdict in ("less_tight", "tighter") and abs(self.pooled.mean) < MEANINGFUL:
            return "Less than a person can reliably feel"
        return VERDICT_WORDS[self.verdict]

    def sentence(self) -> str:
        """Plain words about the clients who did it, never a promise for the next one."""
        people = _count(len(self.clients), "client")
        sessions = _count(self.sessions, "session")
        where = f"{TIGHTNESS_WORDS[self.region]} tightness"
        pooled = self.pooled
        if pooled is None:
            return (
                f"{self.work_name} and {where}: {people} so far ({sessions}), too few to say "
                f"anything about your clients in general; it takes at least {MIN_CLIENTS}."
            )
        interval = f"95% interval {pooled.low:.1f} to {pooled.high:.1f}"
        if self.verdict == "unclear":
            said = (
                f"{self.work_name}: no clear difference in {where} across {people} "
                f"({sessions}). On average the worked side felt {abs(pooled.mean):.1f} points "
                f"{'less tight' if pooled.mean >= 0 else 'tighter'} than the side that "
                f"waited, but the interval includes zero ({interval})."
            )
        else:
            direction = "less tight" if pooled.mean > 0 else "tighter"
            said = (
                f"{self.work_name}: across {people} ({sessions}), the worked side felt "
                f"{abs(pooled.mean):.1f} points {direction} in {AREA_WORDS[self.region]} "
                f"than the side that waited ({interval})."
            )
            if abs(pooled.mean) < MEANINGFUL:
                said += " That is less than a person can reliably feel."
        return said + self._spread_words()

    def _spread_words(self) -> str:
        pooled = self.pooled
        if pooled is None or pooled.predicted_low is None:
            return ""
        if pooled.tau < 0.05:
            return " Your clients did not differ more than their sessions vary."
        return (
            f" Clients differed (spread {pooled.tau:.1f} points): a further client's own "
            f"average would likely fall between {pooled.predicted_low:.1f} and "
            f"{pooled.predicted_high:.1f}."
        )


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def across_clients(
    effects_by_client: Mapping[str, Sequence[SessionEffect]], work: Mapping[str, Work]
) -> list[CrossClientEffect]:
    """Per routine, block and region: each client's mean, then pooled over clients."""
    groups: dict[tuple[str, str, str], dict[str, list[SessionEffect]]] = {}
    for client_id in sorted(effects_by_client):
        for effect in effects_by_client[client_id]:
            key = (effect.routine_id, effect.block_id, effect.region)
            groups.setdefault(key, {}).setdefault(client_id, []).append(effect)
    found = [_pool_group(key, by_client, work) for key, by_client in groups.items()]
    order = {region: i for i, region in enumerate(RATED_REGIONS)}
    return sorted(found, key=lambda e: (e.routine_id, e.block_id, order[e.region]))


def _pool_group(
    key: tuple[str, str, str],
    by_client: Mapping[str, Sequence[SessionEffect]],
    work: Mapping[str, Work],
) -> CrossClientEffect:
    routine_id, block_id, region = key
    clients = tuple(
        ClientEstimate(client_id, len(effects), _mean([e.reduction for e in effects]))
        for client_id, effects in by_client.items()
    )
    pooled = None
    if len(clients) >= MIN_CLIENTS:
        within = max(ROUNDING_VARIANCE, _within_variance(by_client.values()))
        pooled = random_effects([(c.mean, within / c.sessions) for c in clients])
    every = [effect for effects in by_client.values() for effect in effects]
    return CrossClientEffect(
        routine_id, block_id, region, name_the_work(every, region, work), clients, pooled
    )  # fmt: skip


def _within_variance(groups: Iterable[Sequence[SessionEffect]]) -> float:
    """The sessions' variance around each client's own mean, pooled over clients (0 when
    no client has two sessions)."""
    squares, freedom = 0.0, 0
    for effects in groups:
        values = [e.reduction for e in effects]
        centre = _mean(values)
        squares += math.fsum((v - centre) ** 2 for v in values)
        freedom += len(values) - 1
    return squares / freedom if freedom else 0.0


def _mean(values: Sequence[float]) -> float:
    return math.fsum(values) / len(values)
