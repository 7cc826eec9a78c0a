"""``sirelief serve``: what it hands uvicorn, without listening on anything."""

from typing import Any

import pytest
import uvicorn

from sirelief.settings import Settings
from tests.cli.runner import run


@pytest.fixture
def uvicorn_calls(settings: Settings, monkeypatch) -> list[dict[str, Any]]:
    """Every ``uvicorn.run`` call's keyword arguments (the server is never started)."""
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: calls.append(options))
    return calls


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
