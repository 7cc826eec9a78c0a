"""Sending one alert email through the installation's SMTP server (standard library only).

The email says as little as it can (docs/security.md, "Alert emails"): that there is an
alert for a client, the client's display name, and to sign in. What happened stays behind
the sign-in.
"""

import ssl
from email.message import EmailMessage

from sirelief.settings import Settings

SUBJECT = "sirelief: an alert for a client of yours"


class MailNotSetUpError(Exception):
    """No SMTP host is configured."""


def alert_email(to: str, sender: str, client_name: str) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = SUBJECT
    message["From"] = sender
    message["To"] = to
    message.set_content(
        "An alert for a client of yours in sirelief: sign in to see it.\n\n"
        f"Client: {client_name}\n\n"
        "You get this email because your account's alert settings name this address; "
        "change or clear it there to stop these emails.\n"
    )
    return message


class Mailer:
    """Sends through ``SIRELIEF_SMTP_*``; every failure is an ``OSError`` or
    ``smtplib.SMTPException`` for the caller to keep the alert for a later try."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    @property
    def configured(self) -> bool:
        return bool(self.settings.smtp_host)

    def send(self, to: str, client_name: str) -> None:
        s = self.settings
        if not s.smtp_host:
            raise MailNotSetUpError("no SIRELIEF_SMTP_HOST")
        sender = s.smtp_from or f"sirelief@{s.smtp_host}"
        message = alert_email(to, sender, client_name)
        import smtplib  # only a mail being sent needs it: not loaded by every command

        with smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=s.smtp_timeout_s) as server:
            if s.smtp_starttls:
                server.starttls(context=ssl.create_default_context())
            if s.smtp_user and s.smtp_password:
                server.login(s.smtp_user, s.smtp_password.get_secret_value())
            server.send_message(message)
