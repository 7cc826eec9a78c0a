"""Alembic environment: runs on the connection that ``Database.upgrade`` hands in."""

from alembic import context
from sqlalchemy import engine_from_config

from sirelief.storage.schema import Base


def _configure(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,
        compare_type=True,
    )


def run_migrations() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = engine_from_config(context.config.get_section(context.config.config_ini_section))
    with engine.begin() as connection:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()


run_migrations()
