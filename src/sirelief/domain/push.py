"""Web Push reminders (issue 19 item 3b): what a browser's subscription must look like,
what a reminder says, and when one is due.

Pure: the subscription arrives as parsed JSON and is read here, each refusal naming the
field and the fix; the clock and the person's zone are parameters. A reminder is due at
the person's chosen time on a chosen day *in their own zone*, so 18:00 stays 18:00 across a
clock change; a time the clock skips (02:30 on the spring-forward night) is read as the
same wall time before the change, which lands an hour later in the new time.

>>> from datetime import datetime, time, UTC
>>> due = due_reminder((6,), time(18, 0), "Europe/London",
...                    datetime(2027, 3, 28, 17, 5, tzinfo=UTC))
>>> due.isoformat()
'2027-03-28T17:00:00+00:00'
"""

import base64
import binascii
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

TITLE = "sirelief"
BODY = "Time for your session"
"""The only words a reminder carries: never a name, a routine or anything about health."""
OPEN_URL = "/"
LATE_WINDOW = timedelta(minutes=30)
"""A reminder is still sent this long after its time (a cron run missed, a server restart);
after that it is skipped, never sent hours late."""
MAX_ENDPOINT = 2048
"""Push services' addresses are a few hundred characters; twice that is plenty."""
P256DH_BYTES = 65
"""An uncompressed P-256 point: 0x04, then x and y of 32 bytes each."""
AUTH_BYTES = 16
BASE64URL = re.compile(r"[A-Za-z0-9_-]*={0,2}")
SUBSCRIPTION_KEYS = frozenset({"endpoint", "keys", "expirationTime"})
LOOPBACK_HOSTS = frozenset({"127.0.0.1"})
PLAIN_KEY = re.compile(r"[A-Za-z0-9_$-]{1,30}")


class SubscriptionError(ValueError):
    """A subscription sirelief refuses: ``field`` names the part, the message the fix."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message)
        self.field = field_name


@dataclass(frozen=True)
class PushSubscription:
    """Where one browser receives pushes, and the keys its pushes are encrypted with."""

    endpoint: str
    p256dh: str
    """The browser's public key, base64url without padding."""
    auth: str
    """The browser's 16-byte authentication secret, base64url without padding."""

    def info(self) -> dict:
        """The shape pywebpush (and the browser's ``toJSON``) use."""
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}


def payload() -> dict[str, str]:
    """What every reminder sends: the same generic words for everyone."""
    return {"title": TITLE, "body": BODY, "url": OPEN_URL}


def read_subscription(data: object, allow_loopback_http: bool = False) -> PushSubscription:
    """A browser's ``PushSubscription.toJSON()``, checked strictly.

    >>> sub = read_subscription({"endpoint": "https://push.example/send/abc",
    ...     "keys": {"p256dh": "BA" + "A" * 85, "auth": "A" * 22}})
    >>> sub.endpoint
    'https://push.example/send/abc'
    >>> try:
    ...     read_subscription({"endpoint": "http://push.example/x", "keys": {}})
    ... except SubscriptionError as error:
    ...     print(error.field)
    endpoint
    """
    if not isinstance(data, dict):
        raise SubscriptionError("body", "body: send the subscription as a JSON object.")
    unknown = sorted(_shown(key) for key in data if key not in SUBSCRIPTION_KEYS)
    if unknown:
        raise SubscriptionError(
            unknown[0], f"{unknown[0]}: not part of a push subscription; send only endpoint, "
            "keys and expirationTime.",
        )  # fmt: skip
    endpoint = read_endpoint(data.get("endpoint"), allow_loopback_http)
    expiration = data.get("expirationTime")
    if expiration is not None and (
        isinstance(expiration, bool) or not isinstance(expiration, int | float)
    ):
        raise SubscriptionError(
            "expirationTime", "expirationTime: must be a number (milliseconds) or null."
        )
    keys = data.get("keys")
    if not isinstance(keys, dict):
        raise SubscriptionError("keys", "keys: must be an object with p256dh and auth.")
    extra = sorted(_shown(key) for key in keys if key not in ("p256dh", "auth"))
    if extra:
        raise SubscriptionError(
            f"keys.{extra[0]}", f"keys.{extra[0]}: not a push key; send only p256dh and auth."
        )
    p256dh = _key(keys.get("p256dh"), "keys.p256dh", P256DH_BYTES)
    if base64.urlsafe_b64decode(_padded(p256dh))[0] != 4:
        raise SubscriptionError(
            "keys.p256dh", "keys.p256dh: must be an uncompressed P-256 public key (it starts "
            "with 0x04); send the browser's key unchanged.",
        )  # fmt: skip
    return PushSubscription(endpoint, p256dh, _key(keys.get("auth"), "keys.auth", AUTH_BYTES))


def read_endpoint(value: object, allow_loopback_http: bool = False) -> str:
    """The push service's address: https (plain http to 127.0.0.1 only when the test
    setting allows it), a host, no user name or password, at most ``MAX_ENDPOINT``."""
    if not isinstance(value, str) or not value:
        raise SubscriptionError("endpoint", "endpoint: must be the push service's address.")
    if len(value) > MAX_ENDPOINT:
        raise SubscriptionError(
            "endpoint", f"endpoint: at most {MAX_ENDPOINT} characters; this one is longer."
        )
    if any(ord(ch) < 33 or ord(ch) > 126 for ch in value):
        raise SubscriptionError(
            "endpoint", "endpoint: an address has no spaces, control or non-ASCII characters."
        )
    try:
        parts = urlsplit(value)
        host = parts.hostname
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError:
        raise SubscriptionError("endpoint", "endpoint: not a web address.") from None
    loopback = allow_loopback_http and parts.scheme == "http" and host in LOOPBACK_HOSTS
    if parts.scheme != "https" and not loopback:
        raise SubscriptionError(
            "endpoint", "endpoint: the push address must start with https://; this browser's "
            "push service gave another.",
        )  # fmt: skip
    if not host or parts.username is not None or parts.password is not None:
        raise SubscriptionError(
            "endpoint", "endpoint: the address needs a host name and no user name or password."
        )
    return value


def _shown(key: object) -> str:
    """A JSON key as a message can name it: as it is when plain, else quoted and cut."""
    text = str(key)
    return text if PLAIN_KEY.fullmatch(text) else json.dumps(text[:30])


def _padded(text: str) -> str:
    text = text.rstrip("=")
    return text + "=" * (-len(text) % 4)


def _key(value: object, field_name: str, size: int) -> str:
    """A base64url key of exactly ``size`` bytes, returned without padding."""
    chars = -(-size * 4 // 3)
    if not isinstance(value, str) or not BASE64URL.fullmatch(value):
        raise SubscriptionError(
            field_name, f"{field_name}: must be base64url text (letters, digits, - and _)."
        )
    try:
        decoded = base64.urlsafe_b64decode(_padded(value))
    except (binascii.Error, ValueError):
        decoded = b""
    if len(decoded) != size:
        raise SubscriptionError(
            field_name, f"{field_name}: must encode {size} bytes ({chars} characters); "
            f"this one has {len(decoded)}.",
        )  # fmt: skip
    return value.rstrip("=")


# --- when a reminder is due --------------------------------------------------------------
def due_reminder(
    days: tuple[int, ...],
    at: time,
    zone_name: str,
    now: datetime,
    window: timedelta = LATE_WINDOW,
) -> datetime | None:
    """The reminder due at ``now`` (UTC), or None: the latest chosen day and time in the
    person's zone that is not after ``now`` and at most ``window`` before it.

    The answer names the reminder: the same one is found on every run within the window,
    so the caller records it and sends it once.

    >>> from datetime import time, UTC
    >>> # 18:00 in New York is 22:00 UTC in summer, 23:00 UTC in winter
    >>> due_reminder((0,), time(18, 0), "America/New_York",
    ...              datetime(2026, 11, 2, 23, 10, tzinfo=UTC)).isoformat()
    '2026-11-02T23:00:00+00:00'
    >>> due_reminder((0,), time(18, 0), "America/New_York",
    ...              datetime(2026, 11, 2, 22, 10, tzinfo=UTC)) is None
    True
    """
    if not days:
        return None
    zone = ZoneInfo(zone_name)
    today = now.astimezone(zone).date()
    for back in range(2):  # today's, or yesterday's just before midnight
        day = today - timedelta(days=back)
        if day.weekday() not in days:
            continue
        moment = datetime.combine(day, at, tzinfo=zone).astimezone(UTC)
        if moment <= now and now - moment <= window:
            return moment
    return None
