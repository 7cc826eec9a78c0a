"""``sirelief setup`` (the server secret, ``--from-personal``) and ``users sign-out``
(one account or ``--all``), ``reset-password``, ``assign``, ``unassign``: thin commands,
one line and exit 2 for bad input."""

import stat
from pathlib import Path

import pytest
from sqlalchemy import select

from sirelief.services import ServiceError, Services
from sirelief.settings import Settings
from sirelief.storage.schema import CheckInRow, SessionRow
from tests.cli.runner import run, typed
from tests.cli.test_accounts_cli import (  # the autouse fixture: a fresh data folder, wide
    PASSWORD,
    _isolated,  # noqa: F401
)


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_setup_makes_the_server_secret_readable_by_its_owner_only(
    capsys, monkeypatch, settings: Settings
) -> None:
    secret = settings.data_dir / "secret_key"
    assert not secret.exists()
    typed(monkeypatch, PASSWORD)
    status, out, err = run(capsys, "setup", "--name", "admin")
    assert (status, err) == (0, "")
    assert f"Server secret: {secret} (readable by its owner only)." in out
    assert mode_of(secret) == 0o600
    assert len(secret.read_bytes()) >= 32


def test_setup_keeps_an_older_secret_but_makes_it_private(
    capsys, monkeypatch, settings: Settings
) -> None:
    secret = settings.data_dir / "secret_key"
    secret.parent.mkdir(parents=True)
    secret.write_bytes(b"k" * 40)
    secret.chmod(0o644)
    typed(monkeypatch, PASSWORD)
    assert run(capsys, "setup", "--name", "admin")[0] == 0
    assert (secret.read_bytes(), mode_of(secret)) == (b"k" * 40, 0o600)


def test_with_the_secret_in_the_environment_no_file_is_made(
    capsys, monkeypatch, settings: Settings
) -> None:
    monkeypatch.setenv("SIRELIEF_SECRET_KEY", "s" * 40)
    typed(monkeypatch, PASSWORD)
    status, out, _ = run(capsys, "setup", "--name", "admin")
    assert status == 0
    assert "Server secret" not in out
    assert not (settings.data_dir / "secret_key").exists()


def test_from_personal_the_demo_history_becomes_the_new_clients(
    capsys, monkeypatch, settings: Settings
) -> None:
    assert run(capsys, "demo", "--weeks", "2")[0] == 0
    library = Services(settings)
    with library.database.read() as tx:
        before = {table: list(tx.scalars(select(table.id))) for table in (SessionRow, CheckInRow)}
    library.close()
    assert before[SessionRow]
    assert before[CheckInRow]

    typed(monkeypatch, PASSWORD)
    status, out, err = run(capsys, "setup", "--from-personal", "--as", "client",
                           "--clinic", "Home", "--name", "sam")  # fmt: skip
    assert (status, err) == (0, "")
    assert "the data here is now client 'sam''s, in Home. Nothing was moved or lost." in out
    assert "sirelief users assign NAME sam" in out

    library = Services(settings)
    profile = library.accounts.store.credentials("sam").account.profile_id
    with library.database.read() as tx:
        for table, ids in before.items():
            rows = tx.execute(select(table.id, table.profile_id)).all()
            assert sorted(row.id for row in rows) == sorted(ids)
            assert {row.profile_id for row in rows} == {profile}
    library.close()
    assert "client" in run(capsys, "users", "list")[1]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("setup", "--clinic", "Home"), "error: --as and --clinic go with --from-personal"),
        (("setup", "--from-personal", "--as", "coach", "--clinic", "Home", "--name", "sam"),
         "error: --as: choose client or admin (not 'coach')"),
        (("setup", "--from-personal", "--name", "sam"),
         "error: a client belongs to a clinic: name it (--clinic NAME)"),
        (("setup", "--from-personal", "--clinic", "Home", "--name", "sam"),
         "error: there is no personal data here to carry over"),
    ],
)  # fmt: skip
def test_setup_bad_input_is_one_line(capsys, monkeypatch, args, message) -> None:
    typed(monkeypatch, PASSWORD)
    status, _, err = run(capsys, *args)
    assert status == 2
    assert err.startswith(message)
    assert err.count("\n") == 1


@pytest.fixture
def clinic(capsys, monkeypatch) -> None:
    typed(monkeypatch, PASSWORD)
    run(capsys, "setup", "--name", "admin")
    run(capsys, "clinics", "add", "North")
    run(capsys, "clinics", "add", "South")
    for name, role, where in [("cora", "coach", "North"), ("cleo", "client", "North"),
                              ("dan", "client", "South")]:  # fmt: skip
        typed(monkeypatch, PASSWORD)
        assert run(capsys, "users", "add", name, "--role", role, "--clinic", where)[0] == 0


def test_sign_out_assign_and_unassign(capsys, clinic, settings: Settings) -> None:
    library = Services(settings)
    tokens = [library.accounts.sign_in("cleo", PASSWORD) for _ in range(2)]
    assert run(capsys, "users", "sign-out", "cleo")[:2] == (
        0, "Signed 'cleo' out of 2 device(s).\n"
    )  # fmt: skip
    assert [library.accounts.actor_for(token) for token in tokens] == [None, None]

    assert run(capsys, "users", "assign", "cora", "cleo")[:2] == (0, "'cora' now coaches 'cleo'.\n")
    coach = library.accounts.actor_for(library.accounts.sign_in("cora", PASSWORD))
    assert len(coach.assigned_client_ids) == 1
    assert run(capsys, "users", "unassign", "cora", "cleo")[:2] == (
        0, "'cora' no longer coaches 'cleo'.\n"
    )  # fmt: skip
    actions = [entry.action for entry in library.accounts.audit_log()]
    library.close()
    for action in ("signed out everywhere", "coach assigned", "coach unassigned"):
        assert action in actions


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("users", "assign", "cora", "dan"), "error: 'cora' (North) and 'dan' (South) are in"),
        (("users", "assign", "cleo", "cora"), "error: 'cleo' is a client, not a coach\n"),
        (("users", "unassign", "cora", "cleo"), "error: 'cora' does not coach 'cleo'\n"),
        (("users", "sign-out", "nobody"), "error: no user named 'nobody'"),
        (("users", "sign-out", "no\nbody\x1b[2J"), "error: no user named 'no\\nbody\\x1b[2J'"),
        (("clinics", "add", "East\x1b[31m"), "error: clinic name: use letters, digits, spaces"),
        (("users", "sign-out", "cleo", "--all"), "error: give a user name or --all, not both\n"),
        (("users", "sign-out"), "error: give a user name, or --all to sign everyone out\n"),
        (
            ("users", "reset-password", "nobody", "--url", "https://c.example"),
            "error: no user named 'nobody'",
        ),
        (("users", "reset-password", "cleo", "--url", "c.example"), "error: --url: give the"),
    ],
)
def test_account_commands_bad_input_is_one_line(capsys, clinic, args, message) -> None:
    status, _, err = run(capsys, *args)
    assert status == 2
    assert err.startswith(message)
    assert err.count("\n") == 1


@pytest.mark.parametrize(
    "args",
    [("sign-out", "cleo"), ("sign-out", "--all"), ("assign", "cora", "cleo"),
     ("reset-password", "cleo", "--url", "https://c.example")],
)  # fmt: skip
def test_in_personal_mode_the_account_commands_say_to_set_up_first(capsys, args) -> None:
    status, _, err = run(capsys, "users", *args)
    assert (status, err) == (
        2,
        "error: this is a personal installation: run 'sirelief setup' first\n",
    )


@pytest.mark.parametrize("command", ["sign-out", "reset-password", "assign", "unassign"])
def test_new_account_commands_have_help_with_an_example(capsys, command) -> None:
    status, out, _ = run(capsys, "users", command, "--help")
    assert status == 0
    assert f"Example: sirelief users {command} " in out


def test_sign_out_all_ends_every_login_of_every_account(capsys, clinic, settings) -> None:
    library = Services(settings)
    tokens = [library.accounts.sign_in(name, PASSWORD) for name in ("cleo", "dan", "cleo")]
    assert run(capsys, "users", "sign-out", "--all")[:2] == (
        0, "Signed every account out of 3 device(s).\n"
    )  # fmt: skip
    assert [library.accounts.actor_for(token) for token in tokens] == [None, None, None]
    actions = [entry.action for entry in library.accounts.audit_log()]
    library.close()
    assert "signed out everyone" in actions


def test_reset_password_prints_a_link_and_a_qr_code_and_the_link_works(
    capsys, clinic, settings: Settings
) -> None:
    library = Services(settings)
    before = library.accounts.sign_in("cleo", PASSWORD)
    first = run(capsys, "users", "reset-password", "Cleo", "--url", "https://clinic.example/")
    status, out, err = run(capsys, "users", "reset-password", "cleo",
                           "--url", "https://clinic.example/")  # fmt: skip
    assert (first[0], status, err) == (0, 0, "")
    *qr, said, link = out.splitlines()
    assert said.startswith("Password-reset link for 'cleo', until ")
    assert link.startswith("https://clinic.example/password-reset/")
    assert len(qr) > 10
    assert set("".join(qr)) <= set("\u2580\u2584\u2588 ")
    try:
        resets = library.password_resets
        with pytest.raises(ServiceError, match="cannot be used"):  # the newer one voided it
            resets.redeem(first[1].splitlines()[-1].rsplit("/", 1)[-1], "lantern over the bay")
        resets.redeem(link.rsplit("/", 1)[-1], "lantern over the bay")
        assert library.accounts.actor_for(before) is None
        assert library.accounts.actor_for(library.accounts.sign_in("cleo", "lantern over the bay"))
        actions = [entry.action for entry in library.accounts.audit_log()]
        assert actions.count("password reset link made") == 2
        assert "password reset by link" in actions
    finally:
        library.close()
