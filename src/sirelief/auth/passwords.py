"""Password hashing (argon2id) and the policy a new password must meet (ASVS 5.0 V6.2).

Parameters: argon2id with t=2 passes, m=46 MiB, p=1. ASVS 5.0 appendix C ("Hash Functions
for Password Storage") approves argon2id at t=1 with m >= 46 MiB, t=2 with m >= 19 MiB, or
t >= 3 with m >= 12 MiB, all with p=1; the OWASP Password Storage Cheat Sheet's minimum is
the same t=2, m=19 MiB, p=1. We take the t=2 row with the t=1 row's memory: about 0.2 s per
hash on one core of a small server, which a sign-in can afford.

The policy (ASVS 6.2.1, 6.2.4, 6.2.5, 6.2.8, 6.2.9, 6.2.11, 6.2.12): at least 8 characters,
up to 1,024 (64 or more must be allowed), any characters, no composition rules; checked
exactly as typed (no trimming, no case folding) except against the lists below, and
refused when it is a common or breached password or built on a word easy to guess here.
The list of common and breached passwords is zxcvbn's (maintained on PyPI as ``zxcvbn``):
the 30,000 most frequent passwords of a corpus of leaked passwords, 11,600 of them 8
characters or longer, so well over ASVS 6.2.4's "top 3000 that match the policy".
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError

TIME_COST = 2
MEMORY_KIB = 47_104
PARALLELISM = 1
ASVS_ARGON2ID_MINIMUMS = {1: 47_104, 2: 19_456, 3: 12_288}
"""Appendix C of ASVS 5.0: passes (t) -> least memory in KiB, with one lane (p=1);
three passes or more need 12 MiB."""

MINIMUM_LENGTH = 8
MAXIMUM_LENGTH = 1024
"""Far above ASVS 6.2.9's 64; a bound still, so a 1 MB 'password' costs nothing to refuse."""
CONTEXT_WORDS = ("sirelief", "sacroiliac", "sijoint", "physio", "coach", "clinic")
"""ASVS 6.1.2: words an attacker of this application would try first. The caller adds the
person's own words (their name, user name, their clinic's name)."""
EDGE_NOISE = re.compile(r"^[\W\d_]+|[\W\d_]+$")
"""Digits and punctuation at either end: 'Password1!' is 'password' with noise."""


@dataclass(frozen=True)
class PasswordProblem:
    """Why a new password is refused, to show beside the field it came from."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


@cache
def password_hasher() -> PasswordHasher:
    return PasswordHasher(
        time_cost=TIME_COST, memory_cost=MEMORY_KIB, parallelism=PARALLELISM, type=Type.ID
    )


def hash_password(password: str) -> str:
    """The PHC string to store: ``$argon2id$v=19$m=47104,t=2,p=1$<salt>$<hash>``."""
    return password_hasher().hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    """Whether ``password`` is the one hashed; a damaged stored hash is a plain no."""
    try:
        return password_hasher().verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """True when the hash was made with other (older, weaker) parameters: after a
    successful sign-in the caller hashes the password again and stores the new hash."""
    try:
        return password_hasher().check_needs_rehash(stored_hash)
    except InvalidHashError:
        return True


@cache
def common_passwords() -> frozenset[str]:
    """zxcvbn's ranked list of passwords seen most often in breaches (lower case)."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS  # 1 MB of lists: load on first use

    return frozenset(FREQUENCY_LISTS["passwords"])


def password_problem(
    password: str, *, personal_words: Iterable[str] = (), field: str = "password"
) -> PasswordProblem | None:
    """Why ``password`` may not be chosen, or None when it may.

    >>> print(password_problem("Tr0ub4dor"))
    None
    >>> print(password_problem("short").message.split(".")[0])
    use at least 8 characters (this has 5)
    >>> print(password_problem("Password1!", field="new_password").field)
    new_password
    """
    if len(password) < MINIMUM_LENGTH:
        return PasswordProblem(
            field,
            f"use at least {MINIMUM_LENGTH} characters (this has {len(password)}). "
            "A few unrelated words are long and easy to remember.",
        )
    if len(password) > MAXIMUM_LENGTH:
        return PasswordProblem(field, f"use at most {MAXIMUM_LENGTH} characters.")
    folded = password.casefold()
    core = EDGE_NOISE.sub("", folded)
    if folded in common_passwords() or core in common_passwords():
        return PasswordProblem(
            field,
            "this password is on a list of common and breached passwords that attackers "
            "try first. Choose another, for example a few unrelated words.",
        )
    for word in (*CONTEXT_WORDS, *personal_words):
        word = word.casefold().replace(" ", "")
        if len(word) >= 3 and word in folded.replace(" ", ""):
            rest = folded.replace(" ", "").replace(word, "")
            if len(EDGE_NOISE.sub("", rest)) < MINIMUM_LENGTH:
                return PasswordProblem(
                    field,
                    f"this password is built on {word!r}, which is easy to guess here. "
                    "Choose another, for example a few unrelated words.",
                )
    return None
