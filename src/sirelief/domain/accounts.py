"""Accounts in clinic mode: what is kept of one, and the limits a sign-in lives within.

Pure values and rules (issue 17); the clock is always a parameter. The numbers are in one
place, here, and docs/security.md gives the reasons ("Session timeouts", "Failed sign-ins").

>>> from datetime import UTC, datetime
>>> limits = LOGIN_LIMITS[Role.CLIENT]
>>> start = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
>>> login = Login("l-1", "a-1", created_at=start, last_seen_at=start,
...               expires_at=start + limits.absolute)
>>> login.is_live(start + limits.idle - timedelta(seconds=1), limits)
True
>>> login.is_live(start + limits.idle, limits)
False
"""

import math
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sirelief.domain.access import Role


@dataclass(frozen=True)
class LoginLimits:
    """How long a login lasts without use (idle) and at most (absolute)."""

    idle: timedelta
    absolute: timedelta


LOGIN_LIMITS = {
    Role.ADMIN: LoginLimits(idle=timedelta(minutes=30), absolute=timedelta(hours=12)),
    Role.COACH: LoginLimits(idle=timedelta(minutes=30), absolute=timedelta(hours=12)),
    Role.CLIENT: LoginLimits(idle=timedelta(hours=2), absolute=timedelta(days=14)),
}
"""Admins and coaches sign in at NIST AAL2 (SP 800-63B rev. 3: 30 minutes idle, 12 hours);
clients at AAL1, where NIST sets no idle limit: two hours, so a 40-minute session on the
floor never ends mid-hold."""
TOTP_REQUIRED = frozenset({Role.ADMIN, Role.COACH})
"""Roles that must have TOTP (AAL2); until they confirm a code they reach only the
enrolment page. Optional for clients (docs/security.md, "Open questions")."""
SEEN_EVERY = timedelta(minutes=1)
"""A login's last use is written at most this often (not on every request)."""

FAILURE_WINDOW = timedelta(hours=1)
"""Failed sign-ins count for this long."""
LONGEST_DELAY_S = 60
"""Past a few failures every further try waits this long: about 66 tries an hour at most,
per account and per address, and never a lockout."""

INVITATION_LIFETIME = timedelta(days=7)
"""An invitation link works this long after it is made (issue 17), and once."""
PASSWORD_RESET_LIFETIME = timedelta(hours=24)
"""A password-reset link works this long after an admin makes it, and once."""

USER_NAME = re.compile(r"[a-z0-9][a-z0-9._@-]{1,63}")
"""Two to 64 lower-case letters, digits and ``. _ @ -``, starting with a letter or digit."""


def sign_in_delay_s(failures: int) -> int:
    """Seconds to wait after the latest failure before the next try is heard.

    >>> [sign_in_delay_s(n) for n in range(9)]
    [0, 1, 2, 4, 8, 16, 32, 60, 60]
    """
    if failures <= 0:
        return 0
    return min(2 ** (failures - 1), LONGEST_DELAY_S)


def seconds_to_wait(failures: int, latest: datetime | None, now: datetime) -> int:
    """Whole seconds until a try may be heard again (0: now), rounded up.

    >>> from datetime import UTC, datetime
    >>> now = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    >>> seconds_to_wait(3, now - timedelta(seconds=1), now), seconds_to_wait(0, None, now)
    (3, 0)
    """
    if latest is None:
        return 0
    remaining = latest + timedelta(seconds=sign_in_delay_s(failures)) - now
    return max(0, math.ceil(remaining.total_seconds()))


def fold_user_name(user_name: str) -> str:
    """The form a user name is stored and looked up in (case does not matter).

    >>> fold_user_name("  Ann.Smith ")
    'ann.smith'
    """
    return user_name.strip().casefold()


def user_name_problem(user_name: str) -> str | None:
    """Why ``user_name`` cannot be a user name, or None.

    >>> user_name_problem("ann"), user_name_problem("Ann Smith")[:30]
    (None, 'user name: use 2 to 64 letters')
    """
    if USER_NAME.fullmatch(fold_user_name(user_name)):
        return None
    return (
        "user name: use 2 to 64 letters, digits and . _ @ - (no spaces), "
        "starting with a letter or digit"
    )


@dataclass(frozen=True)
class Clinic:
    id: str
    name: str
    created_at: datetime


@dataclass(frozen=True)
class Account:
    """One account as an admin sees it (never its password hash or TOTP secret)."""

    id: str
    user_name: str
    display_name: str
    role: Role
    clinic_id: str | None
    clinic_name: str | None
    created_at: datetime
    disabled_at: datetime | None
    has_totp: bool
    profile_id: str | None = None
    """A client's profile: the row their exercise data hangs on."""

    @property
    def disabled(self) -> bool:
        return self.disabled_at is not None


@dataclass(frozen=True)
class Credentials:
    """What a sign-in checks an account against."""

    account: Account
    password_hash: str
    totp_secret: str | None
    totp_last_step: int | None


@dataclass(frozen=True)
class Login:
    """One signed-in browser or device, as stored (the token itself is never kept)."""

    id: str
    account_id: str
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime
    address: str | None = None
    user_agent: str | None = None

    def is_live(self, now: datetime, limits: LoginLimits) -> bool:
        """Neither past its absolute end nor idle for too long."""
        return now < self.expires_at and now - self.last_seen_at < limits.idle


@dataclass(frozen=True)
class AuditEntry:
    """One line of the append-only audit log: who did what, to whom, when."""

    at: datetime
    action: str
    actor_id: str | None
    """None for the command line (someone at the server's terminal)."""
    subject_account_id: str | None = None
    object: str | None = None
    address: str | None = None


class SingleUseLink:
    """What an invitation and a password-reset link share: made at ``created_at``, it
    works until ``expires_at`` (a revoked or voided one expired then) and once."""

    used_at: datetime | None
    expires_at: datetime

    def usable(self, now: datetime) -> bool:
        """Not used yet and not expired.

        >>> from datetime import UTC
        >>> made = datetime(2026, 1, 5, tzinfo=UTC)
        >>> invitation = Invitation("i", "c", "North", Role.CLIENT, None, made,
        ...                         made + INVITATION_LIFETIME)
        >>> invitation.usable(made + timedelta(days=6)), invitation.usable(made + timedelta(days=7))
        (True, False)
        """
        return self.used_at is None and now < self.expires_at


@dataclass(frozen=True)
class Invitation(SingleUseLink):
    """A link to join a clinic as stored: never its token, only who made it for what."""

    id: str
    clinic_id: str
    clinic_name: str
    role: Role
    invited_by: str | None
    """The admin or coach who made it (None once that account is gone)."""
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None = None
    account_id: str | None = None
    """The account made with it, once used."""


@dataclass(frozen=True)
class PasswordReset(SingleUseLink):
    """A link an admin made for one account to choose a new password (ASVS 6.4.3): as
    stored, never its token. Making a new one voids the account's earlier unused one."""

    id: str
    account_id: str
    made_by: str | None
    """The admin who made it (None: the server's terminal)."""
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None = None
