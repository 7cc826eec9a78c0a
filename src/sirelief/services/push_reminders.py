"""Web Push reminders (issue 19 item 3b): a person's browsers subscribe and unsubscribe,
and ``sirelief reminders send`` pushes the reminders that are due.

The VAPID key pair is made once per installation and kept in the database (table
``push_keys``): every worker of ``sirelief serve``, and the cron job that may run on
another machine of a PostgreSQL installation, then sign with the same key, and a restored
backup keeps the browsers' subscriptions working (they are bound to the public key). A
clinic makes it at ``sirelief setup``; personal mode on first need.

A reminder carries the same generic words for everyone (``domain.push.payload``); it is
encrypted for the browser (RFC 8291, aes128gcm) and signed (RFC 8292, VAPID) by pywebpush.
"""

import base64
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sirelief.domain.accounts import AuditEntry
from sirelief.domain.coaching import Schedule
from sirelief.domain.push import (
    LATE_WINDOW,
    PushSubscription,
    SubscriptionError,
    due_reminder,
    payload,
    read_endpoint,
    read_subscription,
)
from sirelief.storage.database import Database
from sirelief.storage.push_store import (
    PushStore,
    VapidKeyPair,
    claim_reminder,
    delete_subscription,
    keep_vapid_keys,
    recipients,
    record_delivered,
    vapid_keys,
)

log = logging.getLogger(__name__)
GONE = (404, 410)
"""What a push service answers for a subscription that no longer exists."""
SEND_TIMEOUT_S = 10.0
TOPIC = "sirelief-reminder"
"""A newer reminder replaces an undelivered older one on the push service."""

Clock = Callable[[], datetime]
Note = Callable[[str, str | None], None]
"""Writes an audit line about the person: action, object (clinic mode; else nothing)."""


class DeliveryError(RuntimeError):
    """The push service could not be reached (no internet, DNS, timeout)."""


Deliver = Callable[[PushSubscription, str, VapidKeyPair, str], int]
"""Sends one encrypted push: subscription, text, keys, contact -> the service's status."""


def new_key_pair() -> VapidKeyPair:
    """A fresh P-256 pair: the private key as PEM, the public point as base64url."""
    from cryptography.hazmat.primitives import serialization  # once per installation
    from cryptography.hazmat.primitives.asymmetric import ec

    private = ec.generate_private_key(ec.SECP256R1())
    pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode("ascii")
    point = private.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return VapidKeyPair(pem, base64.urlsafe_b64encode(point).decode("ascii").rstrip("="))


def deliver_with_pywebpush(
    subscription: PushSubscription, text: str, keys: VapidKeyPair, contact: str
) -> int:
    """Encrypt (aes128gcm) and send with a VAPID signature; the push service's status."""
    import requests
    from py_vapid import Vapid02
    from pywebpush import WebPushException, webpush

    vapid = Vapid02.from_pem(keys.private_pem.encode("ascii"))
    try:
        response = webpush(
            subscription.info(), text, vapid_private_key=vapid,
            vapid_claims={"sub": contact},  # a new dict each time: webpush adds "aud"
            timeout=SEND_TIMEOUT_S, ttl=int(LATE_WINDOW.total_seconds()),
            headers={"Topic": TOPIC, "Urgency": "normal"},
        )  # fmt: skip
    except WebPushException as error:
        if error.response is not None:
            return int(error.response.status_code)
        raise DeliveryError(error.message) from None
    except requests.RequestException as error:
        raise DeliveryError(type(error).__name__) from None
    return int(response.status_code)


@dataclass
class PushKeys:
    """The installation's VAPID key pair, made on first need and then always the same."""

    database: Database
    clock: Clock

    def pair(self) -> VapidKeyPair:
        return vapid_keys(self.database) or keep_vapid_keys(
            self.database, new_key_pair(), self.clock()
        )

    def ensure(self) -> bool:
        """Make the pair now if there is none (``sirelief setup``); whether it was made."""
        if vapid_keys(self.database) is not None:
            return False
        self.pair()
        return True

    def public_key(self) -> str:
        return self.pair().public_key


@dataclass
class PushReminders:
    """One person's browsers that get Web Push reminders."""

    store: PushStore
    keys: PushKeys
    clock: Clock
    allow_loopback_http: bool = False
    note: Note = lambda action, object_: None
    """Personal mode writes no audit log."""

    def public_key(self) -> str:
        """The key a browser subscribes with (``applicationServerKey``)."""
        return self.keys.public_key()

    def subscribe(self, data: object) -> bool:
        """Keep a browser's subscription (``SubscriptionError`` names what is wrong);
        whether it is a new browser."""
        subscription = read_subscription(data, self.allow_loopback_http)
        added = self.store.add(subscription, self.clock())
        self.note("push reminders on" if added else "push reminders renewed", "push")
        return added

    def unsubscribe(self, data: object) -> bool:
        """Forget the browser named by ``{"endpoint": ...}``; whether it was kept."""
        if not isinstance(data, dict) or set(data) - {"endpoint"}:
            raise SubscriptionError("body", 'body: send {"endpoint": "..."} and nothing else.')
        removed = self.store.remove(read_endpoint(data.get("endpoint"), True))
        if removed:
            self.note("push reminders off", "push")
        return removed

    def unsubscribe_all(self) -> int:
        """Forget every browser of the person (the page's button, no JavaScript needed)."""
        removed = self.store.remove_all()
        if removed:
            self.note("push reminders off (every device)", "push")
        return removed

    def devices(self) -> int:
        return self.store.count()


@dataclass
class SendReport:
    """What one run did: reminders sent, browsers reached, gone ones removed, failures."""

    reminders: int = 0
    delivered: int = 0
    removed: int = 0
    failed: int = 0
    problems: list[str] = field(default_factory=list)


@dataclass
class ReminderSender:
    """Sends every reminder that is due, once each (``sirelief reminders send``)."""

    database: Database
    keys: PushKeys
    clock: Clock
    zone_name: Callable[[str | None], str]
    """The zone of a person's reminders from their chosen one (None: the installation's)."""
    contact: str
    deliver: Deliver = deliver_with_pywebpush
    record: Callable[[AuditEntry], None] | None = None
    """Writes an audit line in clinic mode; None in personal mode."""
    coach_schedule: Callable[[str], Schedule | None] = lambda _profile_id: None
    """The schedule of the routine a person's coach assigned, by their profile: it sets
    the reminders of someone who chose no days of their own (issue 18 item 2)."""

    def send_due(self) -> SendReport:
        report = SendReport()
        now = self.clock()
        keys: VapidKeyPair | None = None
        text = json.dumps(payload())
        for person in recipients(self.database, without_days_too=True):
            prefs = person.preferences
            days, at = prefs.reminder_days, prefs.reminder_time
            if not prefs.reminds:
                schedule = self.coach_schedule(person.profile_id)
                if schedule is None:
                    continue
                days, at = schedule.days, schedule.reminder_time()
            zone = self.zone_name(prefs.time_zone)
            due = due_reminder(days, at, zone, now)
            if due is None or not claim_reminder(self.database, person.profile_id, due, now):
                continue
            keys = keys or self.keys.pair()
            report.reminders += 1
            reached = 0
            for stored in person.subscriptions:
                try:
                    status = self.deliver(stored.subscription, text, keys, self.contact)
                except DeliveryError as error:
                    report.failed += 1
                    report.problems.append(f"push service unreachable ({error})")
                    self._audit(person.account_id, "push reminder failed", "push")
                    continue
                if 200 <= status < 300:
                    reached += 1
                elif status in GONE:
                    delete_subscription(self.database, stored.id)
                    report.removed += 1
                    self._audit(person.account_id, "push subscription expired", "push")
                else:
                    report.failed += 1
                    report.problems.append(f"push service answered {status}")
                    self._audit(person.account_id, f"push reminder refused ({status})", "push")
            record_delivered(self.database, person.profile_id, due, reached)
            report.delivered += reached
            self._audit(person.account_id, "push reminder sent", f"reminders/{due:%Y-%m-%dT%H:%MZ}")
        return report

    def _audit(self, account_id: str | None, action: str, object_: str) -> None:
        if self.record is not None and account_id is not None:
            self.record(AuditEntry(self.clock(), action, None, account_id, object_))
