"""Alerts for coaches (issue 18 item 4): raised after the write that causes them, shown on
the coach's client list, dismissed by the coach, and sent as one email when set up.

Raising never breaks the write that triggered it: a failure is logged and the next
trigger, the client list or ``sirelief alerts check`` raises what is still due. An email
that could not be sent stays unsent and is tried again by ``sirelief alerts check``.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sirelief.domain.access import Actor, Role
from sirelief.domain.accounts import AuditEntry
from sirelief.domain.alerts import (
    DEFAULT_INACTIVE_DAYS,
    LOOKBACK,
    DueAlert,
    due_alerts,
    quiet_alert,
    read_email,
    read_inactive_days,
)
from sirelief.services.alert_mail import Mailer
from sirelief.services.errors import ServiceError
from sirelief.storage.alert_store import AlertSettings, AlertStore, Client, StoredAlert

log = logging.getLogger(__name__)
CLAIM_STALE = timedelta(minutes=10)
"""A send claimed this long ago and never finished (a killed process) may be tried again."""
RETRY_WINDOW = timedelta(days=2)
"""Unsent emails older than this are not sent any more: the coach has seen the list."""
DEFAULT_SETTINGS = AlertSettings(DEFAULT_INACTIVE_DAYS, None)


@dataclass(frozen=True)
class CheckSummary:
    raised: int
    sent: int
    failed: int


class Alerts:
    def __init__(self, store: AlertStore, mailer: Mailer, clock: Callable[[], datetime]) -> None:
        self.store = store
        self.mailer = mailer
        self.clock = clock
        self.emails_sent = 0
        """Emails this process sent (the check command reports its own share)."""

    # --- settings -----------------------------------------------------------------------
    def settings_of(self, actor: Actor) -> AlertSettings:
        return self.store.settings_of(actor.user_id) or DEFAULT_SETTINGS

    def save_settings(
        self, actor: Actor, inactive_days: str | None, email: str | None,
        address: str | None = None,
    ) -> AlertSettings:  # fmt: skip
        """Both fields checked, every problem said at once (``ServiceError``)."""
        if actor.role is not Role.COACH:
            raise ServiceError("Only a coach has alert settings.")
        problems, days, mail = [], None, None
        try:
            days = read_inactive_days(inactive_days)
        except ValueError as error:
            problems.append(str(error))
        try:
            mail = read_email(email)
        except ValueError as error:
            problems.append(str(error))
        if problems:
            raise ServiceError(" ".join(problems))
        settings = AlertSettings(days, mail)
        now = self.clock()
        entry = AuditEntry(now, "alert settings changed", actor.user_id, actor.user_id,
                           "alerts/settings", address)  # fmt: skip
        self.store.save_settings(actor.user_id, settings, now, entry)
        return settings

    @property
    def email_possible(self) -> bool:
        """The installation has a mail server to send through."""
        return self.mailer.configured

    # --- raising ------------------------------------------------------------------------
    def after_write(self, profile_id: str | None) -> None:
        """Raise what a client's new record calls for; never raises itself."""
        if profile_id is None:
            return
        try:
            client = self.store.client_of_profile(profile_id)
            if client is not None:
                self.raise_for(client, quiet=False)
        except Exception:
            log.exception("raising alerts failed; `sirelief alerts check` will try again")

    def raise_for(self, client: Client, quiet: bool = True) -> int:
        """Every alert due for the client, for each of their coaches; new ones emailed.

        ``quiet=False`` leaves out the days-without-a-session alert: a client's own write
        (coming back after a week) must not be what tells the coach they were away."""
        now = self.clock()
        records = self.store.records_of(client, now - LOOKBACK)
        made = 0
        for coach_id in self.store.coaches_of(client.id):
            settings = self.store.settings_of(coach_id) or DEFAULT_SETTINGS
            due = due_alerts(records, now, settings.inactive_days if quiet else None)
            made += self._store_and_send(coach_id, list(due), settings, client.display_name)
        return made

    def _store_and_send(
        self, coach_id: str, due: list[DueAlert], settings: AlertSettings, client_name: str
    ) -> int:
        if not due:
            return 0
        new_ids = self.store.add_if_absent(coach_id, due, self.clock())
        if settings.email and new_ids:
            for alert_id in new_ids:
                self._send(alert_id, settings.email, client_name)
        return len(new_ids)

    def _send(self, alert_id: str, to: str, client_name: str) -> bool | None:
        """One email, once: claimed first; a failure (False) leaves it for the next check.
        None: not this process's to send (no mail server, or another process has it)."""
        if not self.mailer.configured or not self.store.claim(alert_id, self.clock(), CLAIM_STALE):
            return None
        try:
            self.mailer.send(to, client_name)
        except OSError as error:  # smtplib.SMTPException is one too
            log.warning("alert email not sent (%s); it will be tried again", error)
            self.store.release(alert_id)
            return False
        self.store.mark_sent(alert_id, self.clock())
        self.emails_sent += 1
        return True

    # --- the coach's list ---------------------------------------------------------------
    def open_for(
        self, actor: Actor, last_sessions: dict[str, datetime] | None = None
    ) -> list[StoredAlert]:
        """A coach's open alerts, newest first, after raising the quiet-days ones due now
        (one query for all their clients' last sessions, unless the caller read them:
        ``last_sessions``, client id to when they last started one, absent if never)."""
        if actor.role is not Role.COACH:
            return []
        settings = self.settings_of(actor)
        if settings.inactive_days is not None and actor.assigned_client_ids:
            clients = self.store.clients(actor.assigned_client_ids)
            last = self.store.last_sessions(clients) if last_sessions is None else last_sessions
            now = self.clock()
            for client in clients:
                alert = quiet_alert(client.id, client.joined_at, last.get(client.id),
                                    settings.inactive_days, now)  # fmt: skip
                if alert is not None:
                    self._store_and_send(actor.user_id, [alert], settings, client.display_name)
        return self.store.open_for(actor.user_id)

    def open_about(self, actor: Actor, client_id: str) -> list[StoredAlert]:
        """A coach's open alerts about one client (one query; raises nothing new)."""
        if actor.role is not Role.COACH:
            return []
        return [a for a in self.store.open_for(actor.user_id) if a.client_id == client_id]

    def dismiss(
        self, actor: Actor, client_id: str, alert_id: str, address: str | None = None
    ) -> bool:
        """The coach's own open alert about this client is dismissed (and audited); False
        when there is no such alert (unknown, another coach's, or dismissed already)."""
        if actor.role is not Role.COACH:
            return False
        entry = AuditEntry(self.clock(), "alert dismissed", actor.user_id, client_id,
                           f"alerts/{alert_id}", address)  # fmt: skip
        return self.store.dismiss(alert_id, actor.user_id, client_id, entry)

    # --- the command line ---------------------------------------------------------------
    def check(self) -> CheckSummary:
        """Raise what is due for every followed client, then send emails still unsent."""
        sent_before = self.emails_sent
        raised = sum(self.raise_for(client) for client in self.store.followed_clients())
        failed = 0
        since = self.clock() - RETRY_WINDOW
        emails: dict[str, str | None] = {}
        for alert in self.store.unsent(since):
            if alert.coach_id not in emails:
                found = self.store.settings_of(alert.coach_id) or DEFAULT_SETTINGS
                emails[alert.coach_id] = found.email
            to = emails[alert.coach_id]
            if not to or not self.mailer.configured:
                continue
            if self._send(alert.id, to, alert.client_name) is False:
                failed += 1
        return CheckSummary(raised, self.emails_sent - sent_before, failed)
