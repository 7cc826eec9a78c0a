"""All configuration in one typed object; the only module that reads the environment.

The ``SIRELIEF_*`` variables are read here by name rather than through pydantic-settings,
whose import (asyncio, argparse, dotenv...) cost every command about 70 ms of CPU (issue
21: the cold start); the rules are the ones it applied: any case, and a value given to the
constructor wins over the environment's.
"""

import contextlib
import os
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import platformdirs
from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator

PREFIX = "SIRELIEF_"


def _default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir("sirelief", appauthor=False))


class Settings(BaseModel):
    """Read from ``SIRELIEF_*`` environment variables; every field has a safe default."""

    model_config = ConfigDict(extra="ignore", validate_default=True)

    def __init__(self, **values: Any) -> None:
        super().__init__(**{**_from_environment(), **values})

    data_dir: Path = Field(default_factory=_default_data_dir)
    """Where the person's own data lives (the SQLite database, unless a URL is given)."""

    clock_speed: float = Field(default=1.0, gt=0, le=1000)
    """Test hook: run session clocks this many times faster than real time."""

    database_url: str | None = None
    """A SQLAlchemy URL (e.g. postgresql+psycopg://user@host/db); default: SQLite below."""

    routine_check_seconds: float = Field(default=5.0, gt=0, le=120)
    """Wall-clock limit on checking one uploaded routine file (in a child process)."""

    routine_check_burn_s: float = Field(default=0.0, ge=0, le=120)
    """Benchmark hook (bench/hostile_upload.py): each upload check first spins this long."""

    timezone: str | None = None
    """An IANA zone (e.g. Europe/London) for days and weeks; default: this machine's."""

    demo: bool = False
    """The made-up demo database (``serve --demo``): every page says so."""

    first_run_tour: bool = True
    """Three short welcome screens before a person's first Today (personal mode and a
    clinic's clients); off for an installation whose people are shown the app in person."""

    allowed_hosts: str = ""
    """Host names (comma-separated) the web app answers besides this machine's own
    loopback names; a page on any other name (DNS rebinding) is refused."""

    secret_key: SecretStr | None = Field(default=None, min_length=32)
    """Signs the web forms' security tokens; default: a random key kept in
    ``data_dir/secret_key`` (created on first use)."""

    smtp_host: str | None = None
    """The mail server coaches' alert emails go through (clinic mode); no emails without it."""

    smtp_port: int = Field(default=587, ge=1, le=65535)

    smtp_user: str | None = None
    """Sign in to the mail server as this user (with ``smtp_password``), if it asks."""

    smtp_password: SecretStr | None = None

    smtp_from: str | None = None
    """The sender address of alert emails (default: ``sirelief@`` the server's host)."""

    smtp_starttls: bool = True
    """Encrypt the connection with STARTTLS before signing in and sending (turn off only
    for a mail server on this machine)."""

    smtp_timeout_s: float = Field(default=10.0, gt=0, le=120)
    """How long to wait for the mail server before an email is left for the next try."""
    push_contact: str = Field(default="mailto:admin@sirelief.invalid", max_length=200)
    """Who runs this installation, for the push services (VAPID ``sub``): a mailto: or
    https: address they can write to about the reminders sent; set it when you serve."""

    send_reminders: bool = False
    """``sirelief serve`` sends the due Web Push reminders itself, every minute (instead of,
    or besides, cron's ``sirelief reminders send``: each reminder is sent once either way)."""

    chromium_path: str = Field(default="/usr/bin/chromium", max_length=500)
    """The Chromium (or Chrome) binary that prints routine sheets to PDF; without one the
    sheet pages still print from the browser, and the PDF link says why there is none."""

    print_seconds: float = Field(default=30.0, gt=0, le=300)
    """Wall-clock limit on printing one sheet to PDF (a second print waits as long)."""

    push_allow_http_loopback: bool = False
    """Test hook: accept push subscriptions at http://127.0.0.1 (a push service played
    by a test); real browsers' push services are always https."""

    def host_names(self) -> list[str]:
        """The extra host names, lower-cased, without blanks."""
        return [name.strip().lower() for name in self.allowed_hosts.split(",") if name.strip()]

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, name: str | None) -> str | None:
        if name is not None:
            try:
                ZoneInfo(name)
            except (ZoneInfoNotFoundError, ValueError):
                raise ValueError(
                    f"unknown time zone {name!r}: use a name such as Europe/London"
                ) from None
        return name

    def zone(self) -> tzinfo:
        """The time zone days and weeks are counted in, with its daylight-saving rules.

        ``timezone``, else ``TZ``, else the zone /etc/localtime points to; a fixed offset
        only when none of these names a known zone (a fixed offset would file sessions
        near midnight under the wrong day across a clock change).
        """
        names = [self.timezone, os.environ.get("TZ")]
        with contextlib.suppress(OSError, IndexError):
            names.append(str(Path("/etc/localtime").readlink()).split("zoneinfo/", 1)[1])
        for name in filter(None, names):
            try:
                return ZoneInfo(name.lstrip(":"))
            except (ZoneInfoNotFoundError, ValueError):
                continue
        return datetime.now().astimezone().tzinfo

    @property
    def database_location(self) -> str:
        """The database to use: ``database_url``, else ``sirelief.db`` in ``data_dir``."""
        return self.database_url or f"sqlite:///{self.data_dir / 'sirelief.db'}"


def _from_environment() -> dict[str, str]:
    """Each field's ``SIRELIEF_NAME`` variable, in any case (``sirelief_demo`` too)."""
    wanted = {f"{PREFIX}{name}".lower(): name for name in Settings.model_fields}
    return {wanted[key.lower()]: value for key, value in os.environ.items()
            if key.lower() in wanted}  # fmt: skip


def pass_on(settings: Settings, environ: dict[str, str] | os._Environ = os.environ) -> None:
    """Write ``settings`` into ``environ`` as ``SIRELIEF_*`` variables (an unset one
    removed), so a process started from here reads the very same settings: the workers of
    ``sirelief serve --workers N`` build their app with ``Settings()``."""
    for name, value in settings.model_dump().items():
        key = f"{PREFIX}{name.upper()}"
        if value is None:
            environ.pop(key, None)
        else:
            environ[key] = value.get_secret_value() if isinstance(value, SecretStr) else str(value)


class SettingsError(ValueError):
    """A ``SIRELIEF_*`` variable with a value that cannot be used, named with the fix."""


def read_settings() -> Settings:
    """Settings from the environment; a bad variable is a ``SettingsError``, not a trace."""
    try:
        return Settings()
    except ValidationError as error:
        raise SettingsError(
            "; ".join(
                f"SIRELIEF_{'_'.join(map(str, problem['loc'])).upper()}: "
                + problem["msg"].removeprefix("Value error, ")
                for problem in error.errors()
            )
        ) from None
