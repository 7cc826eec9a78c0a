"""Alerts for a client's coaches (issue 18 item 4): which are due, each with a stable key.

A coach hears once about each thing that needs a person to look: a red-flag stop, a "too
much" with numbness, tingling or shooting pain, pain of 8 or more, pain that has not
settled two mornings running, or N days without a session (N set by the coach). The key of
an alert names its cause (the stop, the event, the check-in, the session, the last session
before the quiet days), so the same records give the same keys however often they are
read, and the store keeps one alert per key.

Pure: the records and the clock come in as values.

>>> from datetime import UTC, datetime
>>> now = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)
>>> records = ClientRecords("c1", joined_at=now, checkins=(PainRecord("k1", now, 9),))
>>> [alert.key for alert in due_alerts(records, now, inactive_days=None)]
['high_pain:checkin:k1']
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal

from sirelief.domain.safety import STOPPING
from sirelief.domain.too_much import NERVE_SYMPTOMS, SYMPTOM_WORDS

AlertKind = Literal["red_flag_stop", "nerve_symptoms", "high_pain", "not_settled", "no_sessions"]
ALERT_KINDS: tuple[AlertKind, ...] = (
    "red_flag_stop", "nerve_symptoms", "high_pain", "not_settled", "no_sessions",
)  # fmt: skip
HIGH_PAIN = 8
"""Pain at or above this, in a check-in or during a session, alerts the coaches (SPEC 5.4:
8-10 is no session of work)."""
LOOKBACK = timedelta(days=14)
"""Older causes are not raised: a coach who turns alerts on, or an installation that gains
them, is not flooded with last year's events."""
DEFAULT_INACTIVE_DAYS = 7
"""Days without a session before a coach hears of it, until they choose otherwise."""
MAX_INACTIVE_DAYS = 365
UNSETTLED_RUN = 2
"""Mornings in a row that did not settle before the coaches hear of it."""
LEVEL_WORDS = {
    "emergency": "the advice was to get urgent help now",
    "same_day": "the advice was to see a doctor today",
    "soon": "the advice was to see a clinician within 1-2 weeks before exercising again",
}
"""What the stop told the client, in the same words for every coach (never a diagnosis)."""


@dataclass(frozen=True)
class StopRecord:
    id: str
    at: datetime
    level: str


@dataclass(frozen=True)
class PainRecord:
    """A pain score: a check-in's (``id`` the check-in) or one reported during a session
    (``id`` the event)."""

    id: str
    at: datetime
    pain: int


@dataclass(frozen=True)
class TooMuchRecord:
    event_id: str
    at: datetime
    symptom: str | None


@dataclass(frozen=True)
class MorningRecord:
    """A session's next-morning answer; ``session_at`` orders them."""

    session_id: str
    session_at: datetime
    answered_at: datetime
    settled: bool


@dataclass(frozen=True)
class ClientRecords:
    """What the rules read of one client; each tuple may come in any order."""

    client_id: str
    joined_at: datetime
    stops: tuple[StopRecord, ...] = ()
    checkins: tuple[PainRecord, ...] = ()
    session_pains: tuple[PainRecord, ...] = ()
    too_much: tuple[TooMuchRecord, ...] = ()
    mornings: tuple[MorningRecord, ...] = ()
    last_session: datetime | None = None
    """When the client last started a session, if ever."""


@dataclass(frozen=True)
class DueAlert:
    client_id: str
    kind: AlertKind
    cause: str
    """What made it, with its id or date: unique per kind for one client."""
    at: datetime
    """When it happened (for quiet days: when the N-th day passed)."""
    says: str
    """What happened, in plain words, without the client's name."""

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.cause}"


def due_alerts(
    records: ClientRecords, now: datetime, inactive_days: int | None
) -> tuple[DueAlert, ...]:
    """Every alert the records call for, newest first, one per key.

    ``inactive_days`` is the coach's N (None: they do not want those alerts).
    """
    since = now - LOOKBACK
    found: dict[str, DueAlert] = {}

    def add(alert: DueAlert) -> None:
        if alert.at >= since:  # a browser's clock may run ahead: never drop those
            found.setdefault(alert.key, alert)

    cid = records.client_id
    for stop in records.stops:
        if stop.level in STOPPING:
            says = f"A safety question stopped their check-in: {LEVEL_WORDS[stop.level]}."
            add(DueAlert(cid, "red_flag_stop", f"stop:{stop.id}", stop.at, says))
    nerve_events = set()
    for report in records.too_much:
        if report.symptom in NERVE_SYMPTOMS:
            nerve_events.add(report.event_id)
            felt = SYMPTOM_WORDS[report.symptom].lower()
            says = f'They reported "too much" with {felt} during an exercise, which then ended.'
            add(DueAlert(cid, "nerve_symptoms", f"event:{report.event_id}", report.at, says))
    for checkin in records.checkins:
        if checkin.pain >= HIGH_PAIN:
            says = f"They gave their pain as {checkin.pain} out of 10 before a session."
            add(DueAlert(cid, "high_pain", f"checkin:{checkin.id}", checkin.at, says))
    for report in records.session_pains:
        if report.pain >= HIGH_PAIN and report.id not in nerve_events:
            says = f"They gave their pain as {report.pain} out of 10 during a session."
            add(DueAlert(cid, "high_pain", f"event:{report.id}", report.at, says))
    for alert in _unsettled(records):
        add(alert)
    if inactive_days is not None:
        alert = quiet_alert(cid, records.joined_at, records.last_session, inactive_days, now)
        if alert is not None:
            add(alert)
    return tuple(sorted(found.values(), key=lambda a: (a.at, a.key), reverse=True))


def _unsettled(records: ClientRecords) -> list[DueAlert]:
    """One alert for each run of mornings that did not settle, when it reaches two."""
    mornings = sorted(records.mornings, key=lambda m: (m.session_at, m.session_id))
    found, run = [], 0
    for morning in mornings:
        run = 0 if morning.settled else run + 1
        if run == UNSETTLED_RUN:
            says = "Their pain had not settled by the next morning after two sessions in a row."
            cause = f"session:{morning.session_id}"
            found.append(
                DueAlert(records.client_id, "not_settled", cause, morning.answered_at, says)
            )
    return found


def quiet_alert(
    client_id: str, joined_at: datetime, last_session: datetime | None, days: int, now: datetime
) -> DueAlert | None:
    """No session for ``days`` days: one alert per quiet spell, keyed by when it began (the
    last session, or joining), so a coach who changes N is not told twice.

    >>> from datetime import UTC, datetime
    >>> joined = datetime(2026, 11, 1, tzinfo=UTC)
    >>> quiet_alert("c", joined, None, 7, datetime(2026, 11, 8, tzinfo=UTC)).key
    'no_sessions:joined'
    >>> quiet_alert("c", joined, joined, 7, datetime(2026, 11, 7, tzinfo=UTC)) is None
    True
    """
    if last_session is None:
        cause, start = "joined", joined_at
        says = f"No session yet, {days} days or more after joining."
    else:
        start = last_session
        cause = f"after:{last_session.astimezone(UTC):%Y-%m-%dT%H:%M:%S}"
        says = f"No session for {days} days or more."
    due_at = start + timedelta(days=days)
    if now < due_at:
        return None
    return DueAlert(client_id, "no_sessions", cause, due_at, says)


def read_inactive_days(raw: str | None) -> int | None:
    """The coach's N from a form: a whole number of days from 1 to 365, or empty for off.

    >>> read_inactive_days("7"), read_inactive_days("")
    (7, None)
    >>> read_inactive_days("0")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ValueError: Days without a session: give a whole number from 1 to 365, or leave it ...
    """
    text = (raw or "").strip()
    if not text:
        return None
    if not text.isascii() or not text.isdigit() or not 1 <= int(text) <= MAX_INACTIVE_DAYS:
        raise ValueError(
            f"Days without a session: give a whole number from 1 to {MAX_INACTIVE_DAYS}, "
            "or leave it empty to turn these alerts off."
        )
    return int(text)


def read_email(raw: str | None) -> str | None:
    """An address to send alerts to, or empty for none. Checked for shape only: one @, no
    spaces or line breaks (a header must never be split), at most 254 characters.

    >>> read_email(" sam@example.org "), read_email("")
    ('sam@example.org', None)
    """
    text = (raw or "").strip()
    if not text:
        return None
    local, at, domain = text.rpartition("@")
    bad = (
        not at or not local or "." not in domain or len(text) > 254 or "@" in local
        or any(ch.isspace() or ord(ch) < 32 or ch in "<>,;\"()[]\\" for ch in text)
        or domain.startswith(".") or domain.endswith(".")
    )  # fmt: skip
    if bad:
        raise ValueError(
            "Email for alerts: give one address such as name@example.org, or leave it "
            "empty to get no emails."
        )
    return text
