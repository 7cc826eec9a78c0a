"""Session and invitation tokens: 256 random bits, only hashes kept, invitations spent once
and gone after 7 days."""

import base64
from datetime import UTC, datetime, timedelta

import pytest

from sirelief.auth.tokens import (
    INVITATION_LIFETIME,
    InvitationState,
    new_invitation,
    new_token,
    token_hash,
    token_matches,
)

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def test_a_token_carries_256_random_bits_and_is_never_repeated() -> None:
    tokens = {new_token() for _ in range(1000)}
    assert len(tokens) == 1000
    for token in list(tokens)[:10]:
        assert len(base64.urlsafe_b64decode(token + "=")) * 8 == 256


def test_only_a_sha256_of_the_token_is_kept() -> None:
    token = new_token()
    stored = token_hash(token)
    assert len(stored) == 64
    assert token not in stored
    assert token_matches(token, stored)
    assert not token_matches(token[:-1], stored)
    assert not token_matches(new_token(), stored)


def test_an_invitation_lasts_seven_days() -> None:
    token, invitation = new_invitation(now=NOW)
    assert timedelta(days=7) == INVITATION_LIFETIME
    assert token not in repr(invitation)
    last_second = NOW + timedelta(days=7) - timedelta(seconds=1)
    assert invitation.state(token, now=last_second) is InvitationState.VALID
    assert invitation.state(token, now=NOW + timedelta(days=7)) is InvitationState.EXPIRED
    assert invitation.state(token, now=NOW + timedelta(days=30)) is InvitationState.EXPIRED


def test_an_invitation_opens_once() -> None:
    token, invitation = new_invitation(now=NOW)
    spent = invitation.used(now=NOW + timedelta(hours=1))
    assert spent.state(token, now=NOW + timedelta(hours=2)) is InvitationState.USED


def test_another_token_opens_no_invitation() -> None:
    token, invitation = new_invitation(now=NOW)
    assert invitation.state(new_token(), now=NOW) is InvitationState.WRONG_TOKEN
    assert invitation.state(token.upper(), now=NOW) is InvitationState.WRONG_TOKEN


def test_invitation_times_must_carry_their_zone() -> None:
    with pytest.raises(ValueError, match="zone"):
        new_invitation(now=datetime(2026, 3, 2, 9, 30))
