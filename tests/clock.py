"""A clock the tests move by hand: use cases read the time only from their clock."""

from datetime import UTC, datetime


class MovableClock:
    """Callable like the system clock; ``set`` moves it (and returns it)."""

    def __init__(self, now: datetime | None = None) -> None:
        self.now = now or datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now

    def set(self, when: datetime) -> "MovableClock":
        self.now = when
        return self


def at(use_case, when: datetime):
    """The use case, with its clock (shared by every use case of its ``Services``) set to
    ``when``: ``at(services.sessions, monday).start(...)`` starts a session on Monday."""
    use_case.clock.set(when)
    return use_case
