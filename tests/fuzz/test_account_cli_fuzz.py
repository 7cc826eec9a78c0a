"""Hostile arguments to the account commands (``setup``, ``users``, ``clinics``): exit 0,
or exit 2 with one line starting ``error:``; never a traceback, and a refusal writes
nothing (the account list and the audit log stay as they were)."""

import io
import json
from unittest import mock

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tests.fuzz import strategies as fuzz
from tests.fuzz.harness import Target, cli, traceback_in

pytestmark = pytest.mark.fuzz
FUZZ = settings.get_profile("fuzz")
PASSWORD = "correct horse battery"
ACCOUNT_COMMANDS = {
    ("users", "add"): 1, ("users", "disable"): 1, ("users", "enable"): 1,
    ("users", "reset-mfa"): 1, ("users", "sign-out"): 1, ("users", "assign"): 2,
    ("users", "unassign"): 2, ("clinics", "add"): 1, ("users", "reset-password"): 1,
}  # fmt: skip
"""Each command and how many names it takes."""
NAMES = ["cora", "cleo", "dan", "admin", "North", "South", "CORA", " cleo ", "nobody"]
"""Names that exist (in either case), so the hostile ones meet real accounts too."""


def argument() -> st.SearchStrategy[str]:
    """What a shell can pass: any text but NUL (argv cannot hold it)."""
    hostile = fuzz.hostile_text().filter(lambda text: "\x00" not in text)
    return st.one_of(st.sampled_from(NAMES), hostile)


def account_cli(target: Target, *args: str, stdin: str = PASSWORD) -> tuple[int, str, str]:
    with mock.patch("sys.stdin", io.StringIO(stdin + "\n")):
        return cli("--database-url", target.url, *args)


def state(target: Target) -> tuple[list, ...]:
    """The accounts, the clinics and the audit log, read afresh from the database."""
    accounts = target.app.state.context.services.accounts
    return accounts.list_users(), accounts.clinics(), accounts.audit_log()


def problems_of(label: str, status: int, out: str, err: str) -> list[str]:
    if traceback_in(out + err) or status not in (0, 2):
        return [f"{label}: exit {status}, {err[-400:]}"]
    if status == 2 and (not err.startswith("error: ") or err.count("\n") != 1):
        return [f"{label}: not one line: {err[:400]}"]
    return []


@pytest.fixture
def clinic(target: Target) -> Target:
    for args in [("setup", "--name", "admin"), ("clinics", "add", "North"),
                 ("clinics", "add", "South"),
                 ("users", "add", "cora", "--role", "coach", "--clinic", "North"),
                 ("users", "add", "cleo", "--role", "client", "--clinic", "North"),
                 ("users", "add", "dan", "--role", "client", "--clinic", "South")]:  # fmt: skip
        assert account_cli(target, *args)[0] == 0, args
    return target


@settings(FUZZ)
@given(
    command=st.sampled_from(sorted(ACCOUNT_COMMANDS)),
    names=st.lists(argument(), min_size=2, max_size=2),
    role=st.one_of(st.sampled_from(["coach", "client", "admin"]), argument()),
    clinic_name=st.one_of(st.none(), argument()),
    password=st.one_of(st.just(PASSWORD), argument()),
)
def test_account_commands(
    clinic: Target, command, names: list[str], role: str, clinic_name, password: str
) -> None:
    args = [*command, "--", *names[: ACCOUNT_COMMANDS[command]]]
    if command == ("users", "add"):
        args[2:2] = ["--role", role] + (["--clinic", clinic_name] if clinic_name else [])
    if command == ("users", "reset-password"):
        args[2:2] = ["--url", clinic_name or "https://clinic.example"]
    before = state(clinic)
    status, out, err = account_cli(clinic, *args, stdin=password)
    problems = problems_of(" ".join(command), status, out, err)
    if status == 2 and state(clinic) != before:
        problems.append(f"{' '.join(args)}: refused, yet accounts or the audit log changed")
    assert problems == []


@settings(FUZZ)
@given(
    role=st.one_of(st.sampled_from(["client", "admin"]), argument()),
    clinic_name=st.one_of(st.none(), argument()),
    name=argument(),
    password=st.one_of(st.just(PASSWORD), argument()),
)
@example(role="client", clinic_name="Home", name="", password=PASSWORD)  # refused, not asked
def test_setup_from_personal(target: Target, role: str, clinic_name, name: str, password) -> None:
    args = ["setup", "--from-personal", "--as", role, "--name", name]
    args += ["--clinic", clinic_name] if clinic_name is not None else []
    before = person_data(target)
    status, out, err = account_cli(target, *args, stdin=password)
    assert problems_of("setup --from-personal", status, out, err) == []
    assert person_data(target) == before  # converted or not, the person's data is the same


def person_data(target: Target) -> dict:
    """The export without its audit lines: a conversion adds one, and only that may change."""
    exported = json.loads(target.stored())
    exported.pop("audit")
    return exported
