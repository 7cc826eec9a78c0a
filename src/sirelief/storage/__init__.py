"""Storage adapter: the database, its migrations and the repositories over it."""

from sirelief.storage import schema as _schema  # noqa: F401 (first: it gathers every table)
