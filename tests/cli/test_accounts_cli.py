"""``sirelief setup``, ``users`` and ``clinics``: thin commands over the accounts use case."""

import pytest

from sirelief.services import Services
from sirelief.settings import Settings
from tests.cli.runner import run, typed

PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def _isolated(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")


def test_setup_once_then_clinics_and_users(capsys, monkeypatch) -> None:
    typed(monkeypatch, PASSWORD)
    status, out, err = run(capsys, "setup", "--name", "Admin")
    assert (status, err) == (0, "")
    assert "Clinic mode is on; admin 'admin'" in out
    assert "already running keeps serving without sign-in: restart it" in out

    typed(monkeypatch, PASSWORD)
    status, _, err = run(capsys, "setup", "--name", "other")
    assert status == 2
    assert err == "error: already set up: add accounts with 'sirelief users add'\n"

    assert run(capsys, "clinics", "add", "North Physio")[0] == 0
    typed(monkeypatch, PASSWORD)
    status, out, _ = run(capsys, "users", "add", "cora", "--role", "coach",
                         "--clinic", "North Physio")  # fmt: skip
    assert (status, out.strip()) == (0, "Added coach 'cora' in North Physio.")

    status, out, _ = run(capsys, "users", "list")
    assert status == 0
    assert "2 accounts" in out
    assert "cora" in out
    assert "North Physio" in out
    status, out, _ = run(capsys, "clinics", "list")
    assert "North Physio" in out

    assert run(capsys, "users", "disable", "cora")[1].startswith("Disabled 'cora'; signed out")
    assert "disabled" in run(capsys, "users", "list")[1]
    assert run(capsys, "users", "enable", "cora")[0] == 0
    assert run(capsys, "users", "reset-mfa", "cora")[0] == 0


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (("users", "add", "cora", "--role", "coach", "--clinic", "North"), PASSWORD,
         "error: this is a personal installation: run 'sirelief setup' first\n"),
        (("setup", "--name", "admin"), "password1",
         "error: password: this password is on a list of common and breached passwords"),
        (("setup", "--name", "admin"), "", "error: give the admin's password on standard"),
        (("users", "disable", "nobody"), "", "error: no user named 'nobody'"),
    ],
)  # fmt: skip
def test_bad_input_is_one_line(capsys, monkeypatch, args, stdin, message) -> None:
    if args[0] == "users" and args[1] == "disable":
        typed(monkeypatch, PASSWORD)
        run(capsys, "setup", "--name", "admin")
    typed(monkeypatch, stdin)
    status, _, err = run(capsys, *args)
    assert status == 2
    assert err.startswith(message)
    assert err.count("\n") == 1


def test_every_account_command_has_help_with_an_example(capsys) -> None:
    commands = [["setup"], ["clinics", "add"], ["clinics", "list"]] + [
        ["users", name] for name in ("add", "list", "disable", "enable", "reset-mfa")
    ]
    for command in commands:
        status, out, _ = run(capsys, *command, "--help")
        assert status == 0, command
        assert "Example: sirelief" in out, command


def test_users_add_help_says_passwords_never_expire(capsys) -> None:
    _, out, _ = run(capsys, "users", "add", "--help")
    assert "never expire" in " ".join(out.split())


def test_at_a_terminal_the_password_is_asked_hidden_twice(capsys, monkeypatch) -> None:
    answers = iter([PASSWORD, PASSWORD + "!", PASSWORD, PASSWORD])
    monkeypatch.setattr("sys.stdin.isatty", lambda: True, raising=False)
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))
    status, _, err = run(capsys, "setup", "--name", "admin")
    assert (status, err) == (2, "error: the two passwords differ; nothing was changed\n")
    status, out, _ = run(capsys, "setup", "--name", "admin")
    assert status == 0
    assert "admin 'admin' can sign in" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--role", "king"), "error: role: choose admin, coach, client (not 'king')\n"),
        (("--role", "coach", "--clinic", "Nowhere"), "error: no clinic named 'Nowhere'"),
        (("--role", "coach"), "error: a coach belongs to a clinic: name it (--clinic NAME)\n"),
    ],
)
def test_a_wrong_role_or_clinic_is_refused_before_the_password_is_asked(
    capsys, monkeypatch, args, message
) -> None:
    typed(monkeypatch, PASSWORD)
    run(capsys, "setup", "--name", "admin")
    typed(monkeypatch)  # nothing to read: asking for a password would fail differently
    status, _, err = run(capsys, "users", "add", "cora", *args)
    assert status == 2
    assert err.startswith(message)


def test_in_personal_mode_users_list_says_there_are_no_accounts(capsys) -> None:
    status, out, _ = run(capsys, "users", "list")
    assert status == 0
    assert "personal installation" in out
    assert "sirelief setup" in out


def test_users_invite_prints_a_link_and_a_qr_code_and_the_link_works(
    capsys, monkeypatch, settings: Settings
) -> None:
    typed(monkeypatch, PASSWORD)
    run(capsys, "setup", "--name", "Admin")
    run(capsys, "clinics", "add", "North Physio")
    typed(monkeypatch, PASSWORD)
    run(capsys, "users", "add", "cora", "--role", "coach", "--clinic", "North Physio")
    status, out, err = run(capsys, "users", "invite", "--clinic", "north physio",
                           "--coach", "Cora", "--url", "https://clinic.example/")  # fmt: skip
    assert (status, err) == (0, "")
    *qr, said, link = out.splitlines()
    assert said.startswith("Invitation for a client of North Physio, until ")
    assert link.startswith("https://clinic.example/join/")
    assert len(qr) > 10
    assert set("".join(qr)) <= set("\u2580\u2584\u2588 ")

    services = Services(settings)
    try:
        services.invitations.accept(link.rsplit("/", 1)[-1], "cleo", "lantern over the bay")
        cora = services.accounts.actor_for(services.accounts.sign_in("cora", PASSWORD))
        (cleo,) = [a for a in services.accounts.list_users() if a.user_name == "cleo"]
        assert cora.assigned_client_ids == {cleo.id}
    finally:
        services.close()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--clinic", "South"), "no clinic named 'South'"),
        (("--clinic", "North", "--coach", "nobody"), "no coach named 'nobody' in North"),
        (("--clinic", "North", "--role", "admin"), "role: choose coach or client"),
        (("--clinic", "North", "--role", "coach", "--coach", "cora"), "a coach invites clients"),
    ],
)
def test_users_invite_refusals_are_one_line(capsys, monkeypatch, args, message) -> None:
    typed(monkeypatch, PASSWORD)
    run(capsys, "setup", "--name", "Admin")
    run(capsys, "clinics", "add", "North")
    typed(monkeypatch, PASSWORD)
    run(capsys, "users", "add", "cora", "--role", "coach", "--clinic", "North")
    status, out, err = run(capsys, "users", "invite", *args, "--url", "https://c.example")
    assert status == 2
    assert out == ""
    assert err.startswith(f"error: {message}")
    assert err.count("\n") == 1
    bad_url = run(capsys, "users", "invite", "--clinic", "North", "--url", "clinic.example")
    assert bad_url[2].startswith("error: --url: give the address")
