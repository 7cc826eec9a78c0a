"""The weekly PSFS (issue 20 item 2): naming the activities, rating them, and whether
Today should ask. Web and CLI both come here; the rules are in ``domain.psfs``."""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo

from sirelief.domain.psfs import (
    MAX_ACTIVITIES,
    Activity,
    Due,
    PsfsRating,
    due,
    psfs_trend,
    read_activities,
    read_scores,
)
from sirelief.domain.trends import Trend
from sirelief.storage.psfs_store import PsfsStore
from sirelief.storage.store import Store


@dataclass(frozen=True)
class Outcome:
    """What a form asked for: done, or the problems keyed by field."""

    errors: dict[str, str] = field(default_factory=dict)

    @property
    def done(self) -> bool:
        return not self.errors


class Psfs:
    def __init__(self, store: Store, clock: Callable[[], datetime], zone: Callable[[], tzinfo]):
        self.psfs_store = PsfsStore(store)
        self.store = store
        self.clock = clock
        self.zone = zone

    def activities(self) -> tuple[Activity, ...]:
        return self.psfs_store.activities()

    def save_activities(self, lines: Sequence[str]) -> Outcome:
        """The form's lines, first to third; an empty line removes its activity."""
        names, errors = read_activities(lines)
        if errors:
            return Outcome(errors)
        cleaned = [" ".join(line.split()) for line in lines[:MAX_ACTIVITIES]]
        texts = {
            position: (cleaned[position - 1] or None) if position <= len(cleaned) else None
            for position in range(1, MAX_ACTIVITIES + 1)
        }
        if not names:
            return Outcome({"activity_1": "Name at least one activity."})
        self.psfs_store.save_activities(texts, self.clock())
        return Outcome()

    def rate(self, answers: Mapping[str, str]) -> Outcome:
        """This week's score for every named activity (``score_<activity id>``: 0-10)."""
        scores, errors = read_scores(self.activities(), answers)
        if errors:
            return Outcome(errors)
        self.psfs_store.add_rating(scores, self.clock())
        return Outcome()

    def ratings(self) -> list[PsfsRating]:
        """Every rating, oldest first."""
        return self.psfs_store.ratings() if self.store.has_profile else []

    def last(self) -> PsfsRating | None:
        ratings = self.ratings()
        return ratings[-1] if ratings else None

    def due(self) -> Due | None:
        """What Today asks: name the activities, rate them, or nothing this week."""
        if not self.store.has_profile:
            return None
        return due(
            len(self.activities()), self.psfs_store.last_rated_at(), self.clock(), self.zone()
        )

    def trend(self, weeks: Sequence[date]) -> Trend:
        """The PSFS mean over ``weeks`` (Mondays, oldest first)."""
        zone = self.zone()
        since = datetime.combine(weeks[0], datetime.min.time(), zone) - timedelta(days=1)
        return psfs_trend(self.psfs_store.ratings(since=since), zone, weeks)
