"""Deleting a person's data leaves nothing that refers to them, and nobody else's changes."""

from sqlalchemy import func, select

from sirelief.services import Services
from sirelief.storage.schema import (
    ACCOUNT_TABLES,
    INSTALLATION_TABLES,
    Base,
    ProfileRow,
    SessionRow,
)
from sirelief.storage.session_log import SessionLog
from sirelief.storage.store import Store
from tests.clock import MovableClock, at
from tests.storage import scripted


def rows_per_table(library: Services) -> dict[str, int]:
    with library.database.read() as tx:
        return {
            name: tx.scalar(select(func.count()).select_from(table))
            for name, table in Base.metadata.tables.items()
            if name not in {row.__tablename__ for row in (*ACCOUNT_TABLES, *INSTALLATION_TABLES)}
        }


def populate(library: Services, store: Store) -> str:
    """A finished session, a morning answer, notes, a stop, review advice and a routine of
    ``store``'s profile; the finished session's id."""
    acting_for = Services(library.settings, MovableClock())
    acting_for.__dict__.update(database=library.database, store=store)
    sessions = acting_for.sessions
    running = scripted.start(sessions)
    scripted.run_to_end(running, prefix=store.profile_id[:6])
    at(sessions, scripted.START).answer_morning(running.session_id, True, 2)
    acting_for.session_log.add_note("fine", scripted.START, running.session_id)
    acting_for.session_log.add_note("loose note", scripted.START)
    flagged = scripted.CHECKIN.model_copy(update={"red_flags": ["fever-unwell"]})
    at(sessions, scripted.START).start(flagged, None, scripted.PlanOptions())
    advised = scripted.CHECKIN.model_copy(update={"red_flags": ["no-better-6-weeks"]})
    at(sessions, scripted.START).start(advised, None, scripted.PlanOptions())  # review advice
    acting_for.routine_store.save_routine("r", "r.yaml", "id: r", scripted.START, False)
    return running.session_id


def test_deleting_the_profile_leaves_no_row_that_refers_to_it(library: Services) -> None:
    me = library.store
    populate(library, me)
    empty = rows_per_table(library)
    with library.database.write() as tx:
        tx.add(ProfileRow(id="someoneelse", name="Them", created_at=scripted.START))
    them = Store(library.database, "someoneelse", clock=library.clock)
    their_session = populate(library, them)
    with_both = rows_per_table(library)

    counts = library.data.delete_everything()

    after = rows_per_table(library)
    assert counts == empty
    assert empty["review_advice"] == 1
    for table, before in with_both.items():
        assert after[table] == before - empty[table]
    with library.database.read() as tx:
        assert tx.scalars(select(ProfileRow.id)).all() == ["someoneelse"]
        assert their_session in tx.scalars(select(SessionRow.id)).all()
    assert SessionLog(them).session(their_session).state.ended == "completed"


def test_the_profile_made_afresh_is_dated_by_the_services_clock(library: Services) -> None:
    at(library.data, scripted.START).delete_everything()
    assert library.store.profile_id  # made anew on first use after the deletion
    with library.database.read() as tx:
        assert tx.scalars(select(ProfileRow.created_at)).all() == [scripted.START]
