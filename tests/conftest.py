"""Shared fixtures: the real shipped catalogue, and an isolated data folder per test."""

from pathlib import Path

import pytest

from sirelief.catalogue.loader import builtin_catalogue
from sirelief.domain.catalogue import Catalogue
from sirelief.settings import Settings


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return builtin_catalogue()


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Settings pointing at an empty temporary data folder (never the user's own)."""
    monkeypatch.setenv("SIRELIEF_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("SIRELIEF_DATABASE_URL", raising=False)
    return Settings()
