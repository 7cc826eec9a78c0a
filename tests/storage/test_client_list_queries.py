"""A coach's client list reads in a number of statements that does not grow with the
number of clients (issue 21 item 1): fifty clients cost what five do, on SQLite and on
PostgreSQL. A list that went back to one read per client fails here."""

from datetime import UTC, datetime, timedelta

from sirelief.domain.access import Actor, Role
from sirelief.domain.planner import PlanOptions
from sirelief.services import Services
from sirelief.storage.follow_store import FollowStore
from tests.clock import at
from tests.services.coaching_support import checked, routine_text
from tests.statements import counted
from tests.storage import scripted

PASSWORD = "quiet meadow lantern 42"


def add_clients(library: Services, first: int, last: int) -> None:
    for number in range(first, last):
        library.accounts.add_user(Role.CLIENT, f"client{number:02d}", PASSWORD, clinic="Riverside")
        library.accounts.assign("coach", f"client{number:02d}")


def coach_actor(library: Services) -> Actor:
    (coach,) = [a for a in library.accounts.list_users() if a.user_name == "coach"]
    clients = [a.id for a in library.accounts.list_users() if a.role is Role.CLIENT]
    return Actor(coach.id, Role.COACH, coach.clinic_id, frozenset(clients), None)


def listed(library: Services) -> tuple[int, int]:
    """(lines, statements) of one read of the coach's list, after a warm-up read."""
    actor = coach_actor(library)
    library.client_list.read(actor)  # quiet-days alerts raised before counting
    with counted() as statements:
        lines, _alerts = library.client_list.read(actor)
    return len(lines), len(statements)


def test_the_client_list_reads_as_many_statements_for_50_clients_as_for_5(library):
    accounts = library.accounts
    accounts.setup("root", "admin passphrase for tests 7")
    accounts.add_clinic("Riverside")
    accounts.add_user(Role.COACH, "coach", PASSWORD, clinic="Riverside")
    add_clients(library, 0, 5)
    actor = coach_actor(library)
    template = library.coaching.upload(actor, checked(library, routine_text()))
    for client_id in actor.assigned_client_ids:  # a schedule each: adherence is read too
        library.coaching.assign(actor, client_id, template.template_id, None, ["mon"], "morning")
    few_lines, few = listed(library)
    add_clients(library, 5, 50)
    many_lines, many = listed(library)
    assert (few_lines, many_lines) == (5, 50)
    assert many == few


def test_the_lists_reads_find_each_clients_own_rows(library):
    """The same reads on both databases (PostgreSQL takes the ids as one array)."""
    running = scripted.start(library.sessions)
    scripted.run_to_end(running)
    library.preferences.set("time-zone", "Asia/Tokyo")
    profile = library.store.profile_id
    now = library.clock()
    store = FollowStore(library.database)
    seen = store.activity([profile, "nobody"], now - timedelta(days=29), now - timedelta(days=14))
    assert seen[profile].last_session == library.session_log.sessions()[0].created_at
    assert seen[profile].started_seconds == (int(seen[profile].last_session.timestamp()),)
    assert seen["nobody"].last_session is None
    assert seen["nobody"].started_seconds == ()
    assert store.zones([profile, "nobody"]) == {profile: "Asia/Tokyo"}


def test_the_lists_window_holds_started_sessions_in_whole_seconds_oldest_first(library):
    """A session made at 23:59:59.7 stays on its day (seconds are rounded down); a planned
    session that never started, and one before the window, are left out."""
    late = scripted.START.replace(hour=23, minute=59, second=59, microsecond=700_000)
    scripted.run_to_end(scripted.start(library.sessions, day=3), prefix="a")
    running = at(library.sessions, late).start(
        scripted.CHECKIN, "kettlebell-smash-reset", PlanOptions()
    )
    scripted.run_to_end(running, prefix="b")
    scripted.run_to_end(scripted.start(library.sessions, day=1), prefix="c")
    scripted.run_to_end(scripted.start(library.sessions, day=-20), prefix="d")  # too early
    scripted.start(library.sessions, day=2)  # planned, never begun
    profile = library.store.profile_id
    since = scripted.START - timedelta(days=1)
    seen = FollowStore(library.database).activity([profile], since, since)[profile]
    expected = [late, scripted.START + timedelta(days=1), scripted.START + timedelta(days=3)]
    assert seen.started_seconds == tuple(int(moment.timestamp()) for moment in expected)
    assert datetime.fromtimestamp(seen.started_seconds[0], UTC).date() == late.date()
