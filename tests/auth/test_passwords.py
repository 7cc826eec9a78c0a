"""Passwords: argon2id with ASVS 5.0 appendix C parameters, and the new-password policy."""

import re

import pytest
from argon2 import PasswordHasher

from sirelief.auth import passwords
from sirelief.auth.passwords import (
    ASVS_ARGON2ID_MINIMUMS,
    hash_password,
    needs_rehash,
    password_problem,
    verify_password,
)

PHC = re.compile(r"^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$")
PASSPHRASE = "a drafty shed of tall ferns"


@pytest.fixture(scope="module")
def stored() -> str:
    return hash_password(PASSPHRASE)


def test_the_hash_names_argon2id_with_parameters_at_or_above_asvs(stored: str) -> None:
    memory, passes, lanes = map(int, PHC.fullmatch(stored).groups())
    assert lanes == 1
    assert memory >= ASVS_ARGON2ID_MINIMUMS[min(passes, 3)]
    assert memory >= 19_456
    assert passes >= 2
    assert PASSPHRASE not in stored


def test_the_asvs_table_is_the_one_in_appendix_c() -> None:
    """Guards the table itself: a typo lowering a minimum would let weak hashes pass."""
    assert ASVS_ARGON2ID_MINIMUMS == {1: 47_104, 2: 19_456, 3: 12_288}


def test_each_hash_has_its_own_salt(stored: str) -> None:
    assert hash_password(PASSPHRASE) != stored


def test_verify_accepts_the_password_exactly_as_typed(stored: str) -> None:
    assert verify_password(stored, PASSPHRASE)
    assert not verify_password(stored, PASSPHRASE.upper())
    assert not verify_password(stored, PASSPHRASE + " ")
    assert not verify_password(stored, PASSPHRASE[:-1])


def test_a_damaged_hash_is_a_plain_no_and_wants_a_rehash() -> None:
    assert not verify_password("not a hash", PASSPHRASE)
    assert needs_rehash("not a hash")


def test_a_hash_made_with_weaker_parameters_needs_a_rehash(stored: str) -> None:
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(PASSPHRASE)
    assert verify_password(weak, PASSPHRASE)  # old hashes still sign people in...
    assert needs_rehash(weak)  # ...and are replaced after they do
    assert not needs_rehash(stored)


@pytest.mark.parametrize(
    "password",
    ["password1", "Password1!", "12345678", "qwerty123", "iloveyou", "dragon2024!", "letmein1"],
)
def test_common_and_breached_passwords_are_refused(password: str) -> None:
    problem = password_problem(password)
    assert problem is not None
    assert "common and breached" in problem.message


def test_the_list_is_the_maintained_one_and_long_enough_for_asvs() -> None:
    """ASVS 6.2.4: at least the top 3,000 passwords that meet the policy (8+ characters)."""
    listed = passwords.common_passwords()
    assert "password1" in listed
    assert sum(len(p) >= passwords.MINIMUM_LENGTH for p in listed) >= 3000


@pytest.mark.parametrize(
    "password",
    ["a drafty shed of tall ferns", "x7#kQ!", "Tr0ub4dor&3 lamp", "é" * 8, "x" * 64,
     "🦵 hold the stretch 🦵", "mycoachhasgreatsocks"],
)  # fmt: skip
def test_any_composition_is_allowed_when_long_enough(password: str) -> None:
    problem = password_problem(password)
    assert (problem is not None) == (len(password) < 8)


def test_length_bounds_name_the_field_and_the_fix() -> None:
    short = password_problem("abc", field="new_password")
    assert short.field == "new_password"
    assert str(short).startswith("new_password: use at least 8 characters (this has 3)")
    assert password_problem("k" * 1024) is None
    assert "at most 1024" in password_problem("k" * 1025).message


@pytest.mark.parametrize("password", ["sirelief2024", "Sacroiliac!!", "ann smith 1980"])
def test_words_easy_to_guess_here_are_refused(password: str) -> None:
    problem = password_problem(password, personal_words=["Ann Smith", "ann"])
    assert problem is not None
    assert "easy to guess here" in problem.message


def test_a_context_word_inside_a_long_passphrase_is_fine() -> None:
    assert password_problem("sirelief keeps my back moving", personal_words=["ann"]) is None
