"""TOTP: right codes in a one-step window, each step usable once; recovery codes kept as
hashes and spent once."""

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pyotp
import pytest

from sirelief.auth.totp import (
    RECOVERY_ALPHABET,
    new_recovery_codes,
    new_totp_secret,
    provisioning_uri,
    recovery_code_hash,
    redeem_recovery_code,
    time_step,
    verify_totp,
)

NOW = datetime(2026, 3, 2, 9, 30, 10, tzinfo=UTC)
STEP = timedelta(seconds=30)


@pytest.fixture
def secret() -> str:
    return new_totp_secret()


def code_at(secret: str, when: datetime) -> str:
    return pyotp.TOTP(secret).at(when)


def test_the_secret_has_160_random_bits() -> None:
    secrets = {new_totp_secret() for _ in range(100)}
    assert len(secrets) == 100
    assert all(len(s) == 32 for s in secrets)  # 32 base32 symbols x 5 bits


def test_the_provisioning_uri_names_the_issuer_and_account(secret: str) -> None:
    uri = urlsplit(provisioning_uri(secret, "ann@clinic"))
    query = parse_qs(uri.query)
    assert (uri.scheme, uri.netloc) == ("otpauth", "totp")
    assert query["secret"] == [secret]
    assert query["issuer"] == ["sirelief"]
    assert "ann%40clinic" in uri.path or "ann@clinic" in uri.path


def test_a_right_code_is_accepted_and_returns_its_step(secret: str) -> None:
    assert verify_totp(secret, code_at(secret, NOW), at=NOW, last_used_step=None) == time_step(NOW)


@pytest.mark.parametrize("drift", [-1, 1])
def test_one_step_of_drift_either_side_is_accepted(secret: str, drift: int) -> None:
    code = code_at(secret, NOW + drift * STEP)
    assert verify_totp(secret, code, at=NOW, last_used_step=None) == time_step(NOW) + drift


@pytest.mark.parametrize("drift", [-3, -2, 2, 3])
def test_codes_further_off_are_refused(secret: str, drift: int) -> None:
    code = code_at(secret, NOW + drift * STEP)
    assert verify_totp(secret, code, at=NOW, last_used_step=None) is None


def test_a_replayed_code_is_refused(secret: str) -> None:
    code = code_at(secret, NOW)
    used = verify_totp(secret, code, at=NOW, last_used_step=None)
    assert used is not None
    assert verify_totp(secret, code, at=NOW, last_used_step=used) is None
    assert verify_totp(secret, code, at=NOW + timedelta(seconds=20), last_used_step=used) is None


def test_an_older_code_after_a_newer_one_is_refused(secret: str) -> None:
    newer = verify_totp(secret, code_at(secret, NOW + STEP), at=NOW, last_used_step=None)
    older = code_at(secret, NOW)
    assert verify_totp(secret, older, at=NOW, last_used_step=newer) is None


def test_the_next_steps_code_is_accepted_after_one_was_used(secret: str) -> None:
    used = verify_totp(secret, code_at(secret, NOW), at=NOW, last_used_step=None)
    later = NOW + STEP
    assert verify_totp(secret, code_at(secret, later), at=later, last_used_step=used) == used + 1


@pytest.mark.parametrize("code", ["", "12345", "1234567", "abcdef", "١٢٣٤٥٦", "12 34 5x"])
def test_malformed_codes_are_refused(secret: str, code: str) -> None:
    assert verify_totp(secret, code, at=NOW, last_used_step=None) is None


def test_a_code_with_spaces_as_apps_show_it_is_accepted(secret: str) -> None:
    code = code_at(secret, NOW)
    spaced = f"{code[:3]} {code[3:]}"
    assert verify_totp(secret, spaced, at=NOW, last_used_step=None) == time_step(NOW)


def test_the_time_must_carry_its_zone(secret: str) -> None:
    with pytest.raises(ValueError, match="zone"):
        verify_totp(secret, "123456", at=datetime(2026, 3, 2, 9, 30), last_used_step=None)


def test_ten_recovery_codes_of_120_bits_each() -> None:
    codes = new_recovery_codes()
    assert len(set(codes)) == 10
    for code in codes:
        symbols = code.replace("-", "")
        assert len(symbols) == 24
        assert set(symbols) <= set(RECOVERY_ALPHABET)
    assert len(RECOVERY_ALPHABET) == 32  # 24 x 5 = 120 bits >= ASVS 6.5.2's 112


def test_a_recovery_code_is_spent_once_and_only_its_hash_is_kept() -> None:
    codes = new_recovery_codes()
    stored = frozenset(recovery_code_hash(code) for code in codes)
    assert not any(code in digest for code in codes for digest in stored)
    left = redeem_recovery_code(codes[3].lower().replace("-", " "), stored)
    assert left == stored - {recovery_code_hash(codes[3])}
    assert redeem_recovery_code(codes[3], left) is None
    assert redeem_recovery_code(codes[4], left) == left - {recovery_code_hash(codes[4])}


def test_a_made_up_recovery_code_is_refused() -> None:
    stored = frozenset(recovery_code_hash(code) for code in new_recovery_codes())
    assert redeem_recovery_code("AAAA-AAAA-AAAA-AAAA-AAAA-AAAA", stored) is None
    assert redeem_recovery_code("", stored) is None
