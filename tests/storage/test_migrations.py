"""The schema: migrations build exactly the models, on SQLite and PostgreSQL."""

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from sirelief.storage.database import MIGRATIONS, Database, DatabaseError, newest_revision
from sirelief.storage.schema import Base


def test_upgrade_head_on_an_empty_database_matches_the_models(database_url: str) -> None:
    database = Database(database_url)
    assert database.current() is None
    database.upgrade()
    assert database.current() == database.head()
    with database.engine.connect() as connection:
        differences = compare_metadata(
            MigrationContext.configure(connection, opts={"compare_type": True}), Base.metadata
        )
        tables = set(inspect(connection).get_table_names())
    database.close()
    assert differences == []
    assert tables == set(Base.metadata.tables) | {"alembic_version"}


def test_the_accounts_migration_goes_down_and_up_again(database_url: str) -> None:
    database = Database(database_url).ensure_current()
    database.downgrade("0003")
    with database.engine.connect() as connection:
        assert "accounts" not in inspect(connection).get_table_names()
    database.upgrade()
    with database.engine.connect() as connection:
        assert {"accounts", "logins", "audit_log"} <= set(inspect(connection).get_table_names())
    database.close()


def test_ensure_current_is_idempotent(database_url: str) -> None:
    first = Database(database_url).ensure_current()
    revision = first.current()
    first.close()
    again = Database(database_url).ensure_current()
    assert again.current() == revision
    again.close()


def test_each_migration_file_is_named_after_its_revision_so_the_head_is_known_without_alembic(
    tmp_path,
) -> None:
    """``ensure_current`` takes the head from the file names (issue 21: no Alembic import
    when the schema is current); Alembic must agree."""
    scripts = ScriptDirectory.from_config(Database(f"sqlite:///{tmp_path}/x.db")._alembic_config())
    for script in scripts.walk_revisions():
        assert Path(script.path).parent == MIGRATIONS
        assert Path(script.path).name.startswith(f"{script.revision}_"), script.path
    assert newest_revision() == scripts.get_current_head()


def test_a_database_behind_the_newest_revision_is_still_upgraded(database_url: str) -> None:
    database = Database(database_url).ensure_current()
    database.downgrade("0015")
    database.close()
    again = Database(database_url).ensure_current()
    assert again.current() == newest_revision()
    again.close()


def test_sqlite_is_tuned_for_durability(tmp_path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'deep' / 'er' / 'sirelief.db'}").ensure_current()
    with database.engine.connect() as connection:
        pragmas = {
            name: connection.execute(text(f"PRAGMA {name}")).scalar()
            for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")
        }
    assert pragmas == {"journal_mode": "wal", "synchronous": 2, "foreign_keys": 1,
                       "busy_timeout": 60_000}  # fmt: skip
    assert database.integrity_check() == "ok"
    assert (tmp_path / "deep" / "er").stat().st_mode & 0o077 == 0
    database.close()


def test_a_bad_url_is_refused_with_an_example() -> None:
    with pytest.raises(DatabaseError, match="not valid; use for example sqlite:///"):
        Database("not a url")


def test_the_share_links_migration_goes_down_and_up_again(database_url: str) -> None:
    """0013 (issue 18 items 5 and 6): its three tables go with a downgrade to 0012 and
    come back, on SQLite and PostgreSQL."""
    added = {"routine_share_links", "template_share_links", "routine_template_notes"}
    database = Database(database_url).ensure_current()
    database.downgrade("0012")
    with database.engine.connect() as connection:
        assert not added & set(inspect(connection).get_table_names())
        assert "routine_templates" in inspect(connection).get_table_names()
    database.upgrade()
    with database.engine.connect() as connection:
        assert added <= set(inspect(connection).get_table_names())
    database.close()


def test_the_psfs_migration_goes_down_and_up_again(database_url: str) -> None:
    """0014 (issue 20 item 2): the PSFS tables go with a downgrade to 0013 and come back,
    on SQLite and PostgreSQL."""
    added = {"psfs_activities", "psfs_ratings"}
    database = Database(database_url).ensure_current()
    database.downgrade("0013")
    with database.engine.connect() as connection:
        assert not added & set(inspect(connection).get_table_names())
        assert "routine_share_links" in inspect(connection).get_table_names()
    database.upgrade()
    with database.engine.connect() as connection:
        assert added <= set(inspect(connection).get_table_names())


def test_the_findings_migration_goes_down_and_up_again(database_url: str) -> None:
    """0015 (issue 20 item 3): its table goes with a downgrade to 0014 and comes back."""
    database = Database(database_url).ensure_current()
    database.downgrade("0014")
    with database.engine.connect() as connection:
        assert "clinical_findings" not in inspect(connection).get_table_names()
    database.upgrade()
    with database.engine.connect() as connection:
        assert "clinical_findings" in inspect(connection).get_table_names()
    database.close()
