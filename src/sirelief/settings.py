"""All configuration in one typed object; the only module that reads the environment."""

from pathlib import Path

import platformdirs
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def _default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir("sirelief", appauthor=False))


class Settings(BaseSettings):
    """Read from ``SIRELIEF_*`` environment variables; every field has a safe default."""

    model_config = SettingsConfigDict(env_prefix="SIRELIEF_", extra="ignore")

    data_dir: Path = Field(default_factory=_default_data_dir)
    """Where the person's own data lives (the SQLite database, unless a URL is given)."""

    clock_speed: float = Field(default=1.0, gt=0, le=1000)
    """Test hook: run session clocks this many times faster than real time."""

    database_url: str | None = None
    """A SQLAlchemy URL (e.g. postgresql+psycopg://user@host/db); default: SQLite below."""

    @property
    def database_location(self) -> str:
        """The database to use: ``database_url``, else ``sirelief.db`` in ``data_dir``."""
        return self.database_url or f"sqlite:///{self.data_dir / 'sirelief.db'}"
