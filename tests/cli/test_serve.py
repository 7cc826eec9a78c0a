"""``sirelief serve``: what it hands uvicorn, without listening on anything."""

import os
from typing import Any

import pytest
import uvicorn

from sirelief.settings import Settings, pass_on
from tests.cli.runner import run, typed


@pytest.fixture
def uvicorn_calls(settings: Settings, monkeypatch) -> list[dict[str, Any]]:
    """Every ``uvicorn.run`` call's keyword arguments (the server is never started)."""
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: calls.append(options))
    return calls


def test_one_process_serves_the_served_app(capsys, settings: Settings, monkeypatch) -> None:
    """A single process gets what each of ``--workers N`` gets: an app tuned for a process
    of its own (tests/web/test_served_app.py)."""
    made: list[Settings | None] = []
    monkeypatch.setattr("sirelief.web.app.served_app", made.append)
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: None)
    assert run(capsys, "serve", "--no-browser")[0] == 0
    [given] = made
    assert given is not None
    assert given.data_dir == settings.data_dir


def test_personal_mode_trusts_no_forwarded_headers(capsys, uvicorn_calls) -> None:
    status, out, _ = run(capsys, "serve", "--no-browser")
    assert status == 0
    assert "http://127.0.0.1:8000/" in out
    [options] = uvicorn_calls
    assert options["host"] == "127.0.0.1"
    assert options["proxy_headers"] is False


def test_proxy_headers_are_trusted_from_loopback_only(capsys, uvicorn_calls) -> None:
    status, _, err = run(capsys, "serve", "--no-browser", "--proxy-headers", "--port", "8123")
    assert status == 0
    assert err == ""
    [options] = uvicorn_calls
    assert options["host"] == "127.0.0.1"
    assert options["port"] == 8123
    assert options["proxy_headers"] is True
    assert options["forwarded_allow_ips"] == "127.0.0.1"


def set_up_clinic_mode(capsys, monkeypatch) -> None:
    typed(monkeypatch, "correct horse battery")
    assert run(capsys, "setup", "--name", "admin")[0] == 0


def test_personal_mode_refuses_the_network_and_says_how_to_set_up(capsys, uvicorn_calls) -> None:
    status, _, err = run(capsys, "serve", "--no-browser", "--host", "192.168.1.20")
    assert status == 2
    assert err.count("\n") == 1
    assert "--host 192.168.1.20 would let other devices reach your health data" in err
    assert "'sirelief setup' turns on clinic mode" in err
    assert "docs/deploy.md" in err
    assert "--allow-network" in err
    assert uvicorn_calls == []


def test_personal_mode_with_allow_network_listens_with_a_warning(capsys, uvicorn_calls) -> None:
    status, _, err = run(capsys, "serve", "--no-browser", "--host", "0.0.0.0", "--allow-network")
    assert status == 0
    assert err.startswith("WARNING: listening on 0.0.0.0: anyone who can reach this address")
    assert uvicorn_calls[0]["host"] == "0.0.0.0"


def test_clinic_mode_needs_no_flag_but_warns_about_plain_http(
    capsys, monkeypatch, uvicorn_calls
) -> None:
    set_up_clinic_mode(capsys, monkeypatch)
    status, _, err = run(capsys, "serve", "--no-browser", "--host", "0.0.0.0")
    assert status == 0
    assert err.startswith("WARNING: plain HTTP on 0.0.0.0: passwords and the login cookie")
    assert "--proxy-headers" in err
    status, _, err = run(capsys, "serve", "--no-browser", "--host", "0.0.0.0", "--proxy-headers")
    assert (status, err) == (0, "")
    assert run(capsys, "serve", "--no-browser")[2] == ""  # loopback: nothing to warn about
    assert [options["host"] for options in uvicorn_calls] == ["0.0.0.0", "0.0.0.0", "127.0.0.1"]


def test_the_demo_is_personal_even_beside_a_clinic_database(
    capsys, monkeypatch, uvicorn_calls
) -> None:
    set_up_clinic_mode(capsys, monkeypatch)
    status, _, err = run(capsys, "serve", "--no-browser", "--demo", "--host", "0.0.0.0")
    assert status == 2
    assert "would let other devices reach your health data" in err
    assert uvicorn_calls == []


def test_workers_build_their_app_from_the_settings_passed_on(
    capsys, monkeypatch, uvicorn_calls, settings: Settings
) -> None:
    passed: list[Settings] = []
    monkeypatch.setattr("sirelief.cli.serve.pass_on", passed.append)
    other = f"sqlite:///{settings.data_dir / 'other.db'}"
    status, _, _ = run(capsys, "--database-url", other, "serve", "--no-browser", "--workers", "3")
    assert status == 0
    [options] = uvicorn_calls
    assert (options["workers"], options["factory"]) == (3, True)
    assert options["timeout_worker_healthcheck"] >= 30
    [given] = passed
    assert given.database_url.endswith("other.db")  # --database-url reaches the workers
    assert (settings.data_dir / "secret_key").exists()  # made before they start


def test_pass_on_gives_a_child_the_same_settings(tmp_path) -> None:
    chosen = Settings(data_dir=tmp_path, secret_key="s" * 40, allowed_hosts="a.example",
                      timezone="Europe/London")  # fmt: skip
    environment = {"SIRELIEF_DATABASE_URL": "postgresql+psycopg://stale@host/db"}
    pass_on(chosen, environment)
    assert "SIRELIEF_DATABASE_URL" not in environment  # unset here: not the stale one
    with pytest.MonkeyPatch.context() as patch:
        for name in [key for key in os.environ if key.startswith("SIRELIEF_")]:
            patch.delenv(name)
        for name, value in environment.items():
            patch.setenv(name, value)
        assert Settings() == chosen
