"""One in-process sirelief per fuzz test, shared by its examples (a fresh one per test)."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from tests.fuzz.harness import Target

settings.register_profile(
    "fuzz",
    max_examples=int(os.environ.get("SIRELIEF_FUZZ_EXAMPLES", "40")),
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
        HealthCheck.filter_too_much, HealthCheck.data_too_large,
    ],
)  # fmt: skip


@pytest.fixture
def target(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Target]:
    monkeypatch.setenv("SIRELIEF_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("SIRELIEF_DATABASE_URL", raising=False)
    target = Target(tmp_path / "data")
    yield target
    target.close()
