"""Shared fixtures: the real shipped catalogue, and an isolated data folder per test."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from sirelief.catalogue.loader import builtin_catalogue
from sirelief.domain.catalogue import Catalogue
from sirelief.settings import Settings


@pytest.fixture(scope="session", autouse=True)
def tour_already_seen() -> Iterator[None]:
    """Every test starts as a person who has seen the first-run tour (Today opens at once),
    servers started in a child process too; tests of the tour turn it on
    (``SIRELIEF_FIRST_RUN_TOUR=1``, see ``tests/web/test_tour_pages.py``)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SIRELIEF_FIRST_RUN_TOUR", "0")
        yield


@pytest.fixture(scope="session", autouse=True)
def parsed_yaml_cache_of_the_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The parsed-YAML cache (``catalogue/parsed_cache.py``) lives in this run's temporary
    folder, servers and CLI processes included, never in the developer's own cache folder;
    it is shared by the run's tests so each worker parses the shipped files once."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SIRELIEF_CACHE_DIR", str(tmp_path_factory.mktemp("parsed-yaml-cache")))
        yield


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return builtin_catalogue()


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Settings pointing at an empty temporary data folder (never the user's own)."""
    monkeypatch.setenv("SIRELIEF_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("SIRELIEF_DATABASE_URL", raising=False)
    return Settings()
