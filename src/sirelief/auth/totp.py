"""Time-based one-time passwords (RFC 6238, via pyotp) and recovery codes (ASVS 5.0 V6.5).

A code is accepted in its 30-second step or one step either side (a phone's clock drifts),
and only in a step later than the last one accepted for that account: the caller stores
the step ``verify_totp`` returns and passes it back next time, so a code seen over a
shoulder, or sent twice, is refused (ASVS 6.5.1). The time is a parameter, never read here.

Recovery codes are 120 random bits each: at 112 bits or more ASVS 6.5.2 allows a plain
SHA-256 to store them, so checking one costs nothing and only their hashes are kept.
"""

import hashlib
import hmac
import secrets
from collections.abc import Set
from datetime import datetime

import pyotp

STEP_SECONDS = 30
DIGITS = 6
DRIFT_STEPS = 1
"""Steps accepted either side of now: one, as RFC 6238 section 6 recommends at most."""
ISSUER = "sirelief"
RECOVERY_CODE_COUNT = 10
RECOVERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
"""32 symbols (5 bits each) without 0/O and 1/I, which people copy wrongly."""
RECOVERY_CODE_SYMBOLS = 24
"""24 symbols x 5 bits = 120 bits, shown as six groups of four."""


def new_totp_secret() -> str:
    """A base32 seed of 160 random bits from the system's CSPRNG (ASVS 6.5.3)."""
    return pyotp.random_base32(length=32)


def provisioning_uri(secret: str, account_name: str) -> str:
    """The ``otpauth://`` link an authenticator app reads (shown as a QR code)."""
    return pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS).provisioning_uri(
        name=account_name, issuer_name=ISSUER
    )


def time_step(at: datetime) -> int:
    """The RFC 6238 counter for ``at`` (an aware datetime)."""
    if at.tzinfo is None:
        raise ValueError("give the time with its zone (a naive datetime is ambiguous)")
    return int(at.timestamp()) // STEP_SECONDS


def verify_totp(secret: str, code: str, *, at: datetime, last_used_step: int | None) -> int | None:
    """The step ``code`` belongs to, when it is right and newer than ``last_used_step``;
    None when it is wrong, too old, or that step (or a later one) was already used.

    >>> from datetime import UTC, datetime
    >>> secret, now = new_totp_secret(), datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    >>> code = pyotp.TOTP(secret).at(now)
    >>> step = verify_totp(secret, code, at=now, last_used_step=None)
    >>> step == time_step(now), verify_totp(secret, code, at=now, last_used_step=step)
    (True, None)
    """
    code = code.replace(" ", "")
    if len(code) != DIGITS or not code.isascii() or not code.isdigit():
        return None
    generator = pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS)
    now = time_step(at)
    matched = None
    for step in range(now - DRIFT_STEPS, now + DRIFT_STEPS + 1):
        expected = generator.generate_otp(step)
        if hmac.compare_digest(expected, code) and matched is None:
            matched = step
    if matched is None or (last_used_step is not None and matched <= last_used_step):
        return None
    return matched


def new_recovery_codes(count: int = RECOVERY_CODE_COUNT) -> list[str]:
    """Codes to show once (``ABCD-EFGH-...``); store only ``recovery_code_hash`` of each."""
    return [
        "-".join(
            "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(4))
            for _ in range(RECOVERY_CODE_SYMBOLS // 4)
        )
        for _ in range(count)
    ]


def looks_like_recovery_code(code: str) -> bool:
    """Whether ``code`` has a recovery code's shape (not a TOTP's 6 digits), so a sign-in
    form can take either in one field.

    >>> code = new_recovery_codes(1)[0].lower()
    >>> looks_like_recovery_code(code), looks_like_recovery_code("123456")
    (True, False)
    """
    normal = code.replace("-", "").replace(" ", "").upper()
    return len(normal) == RECOVERY_CODE_SYMBOLS and all(c in RECOVERY_ALPHABET for c in normal)


def recovery_code_hash(code: str) -> str:
    """SHA-256 of the code as typed without dashes, spaces or case."""
    normal = code.replace("-", "").replace(" ", "").upper()
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()


def redeem_recovery_code(code: str, unused_hashes: Set[str]) -> frozenset[str] | None:
    """The hashes still unused once ``code`` is spent, or None when it is none of them
    (a code used once is gone from the set, so it is refused the second time).

    >>> codes = new_recovery_codes(2)
    >>> left = redeem_recovery_code(codes[0], {recovery_code_hash(c) for c in codes})
    >>> len(left), redeem_recovery_code(codes[0], left)
    (1, None)
    """
    candidate = recovery_code_hash(code)
    found = [stored for stored in unused_hashes if hmac.compare_digest(stored, candidate)]
    if not found:
        return None
    return frozenset(unused_hashes) - {found[0]}
