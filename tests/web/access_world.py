"""A small clinic installation for the access tests, on SQLite or PostgreSQL.

Two clinics. In Riverside: an admin (above the clinics), coach Ada who follows client Cleo,
coach Abe who follows nobody, and client Cora. In Hillside: coach Ben who follows client
Dan. Each person has a signed-in test client; Cleo has a session. Staff sign in with their
TOTP code, as they must.
"""

from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import timedelta

import pyotp
from sqlalchemy import select
from starlette.testclient import TestClient

from sirelief.domain.access import Actor, Role, Target
from sirelief.services import Services
from sirelief.settings import Settings
from sirelief.storage.schema import CoachAssignmentRow
from sirelief.web.app import create_app
from tests.clock import MovableClock
from tests.services.coaching_support import checked, routine_text
from tests.web.web_support import NOW, start_session

PASSWORD = "quiet meadow lantern 42"
OWN_ROUTINE = "walks-at-home"
"""The id of a routine Cleo and Cora each added (their share-link pages)."""
BASE = "http://127.0.0.1:8000"
PEOPLE = {
    # who: (user name, role, clinic, the clients they follow)
    "admin": ("ada_admin", Role.ADMIN, None, ()),
    "coach": ("ada", Role.COACH, "Riverside", ("client",)),
    "idle_coach": ("abe", Role.COACH, "Riverside", ()),
    "client": ("cleo", Role.CLIENT, "Riverside", ()),
    "other_client": ("cora", Role.CLIENT, "Riverside", ()),
    "other_clinic_coach": ("ben", Role.COACH, "Hillside", ("other_clinic_client",)),
    "other_clinic_client": ("dan", Role.CLIENT, "Hillside", ()),
}
ASKED = ("anonymous", "client", "other_client", "coach", "idle_coach",
         "other_clinic_coach", "admin")  # fmt: skip
"""Who the matrix asks as: anonymous, the client, another client of the same clinic, the
client's coach, a coach of the same clinic who does not follow them, a coach of another
clinic, and the admin."""


@dataclass
class World:
    settings: Settings
    clock: MovableClock
    services: Services
    actors: dict[str, Actor]
    clients: dict[str, TestClient] = field(default_factory=dict)
    session_id: str = ""
    """Cleo's session."""
    invitation_id: str = ""
    """An invitation coach Ada made (its page and its revoke button)."""
    join_token: str = ""
    """The link of another of Ada's invitations (never used: the join page stays open)."""
    reset_token: str = ""
    """The token of a password-reset link made for Dan, whom the matrix does not sign in
    (the matrix never uses it; a fuzz probe may, and makes another)."""
    secrets: dict[str, str] = field(default_factory=dict)
    """The TOTP secrets of the staff."""
    template_id: str = ""
    """A routine template coach Ada made and shared with Riverside's coaches."""
    feed: str = ""
    """The token of Cleo's reminder calendar address (``feed_token``)."""
    share: str = ""
    """The token of a share link of Ada's template (``share_token``)."""

    def sign_in(self, who: str) -> None:
        """Give ``who``'s test client a new login (staff with a fresh TOTP code)."""
        self.clock.set(self.clock() + timedelta(seconds=30))  # a code is used once
        secret = self.secrets.get(who)
        code = pyotp.TOTP(secret).at(self.clock()) if secret else None
        token = self.services.accounts.sign_in(PEOPLE[who][0], PASSWORD, code, address="127.0.0.1")
        self.clients[who].cookies.set("sirelief_login", token)

    def feed_token(self) -> str:
        """A working calendar address of Cleo's (the matrix's own POSTs replace or stop it,
        so a new one is made when the last one no longer opens anything)."""
        if not self.feed or self.services.calendar_feeds.calendar(self.feed) is None:
            cleo = self.services.for_profile(self.actors["client"].profile_id)
            self.feed = cleo.preferences.make_feed()
        return self.feed

    def share_token(self) -> str:
        """A working share link of Ada's template (the matrix's own POSTs replace or stop
        it, so a new one is made when the last one no longer opens anything)."""
        if not self.share or self.services.shared_routines.open(self.share) is None:
            sharing = self.services.template_sharing
            self.share = sharing.make(self.actors["coach"], self.template_id, None, False)
        return self.share

    def client_login_id(self) -> str:
        """The id of the login Cleo's test client holds now."""
        token = self.clients["client"].cookies.get("sirelief_login")
        logins = self.services.my_account.logins_of(self.actors["client"], token)
        return next(own.login.id for own in logins if own.current)

    @property
    def client_id(self) -> str:
        return self.actors["client"].user_id

    @property
    def client_clinic(self) -> str | None:
        return self.actors["client"].clinic_id

    def target_of(self, names_object: str) -> Target:
        """Whose the object a path names is: an invitation and a template are coach Ada's,
        the rest Cleo's."""
        if names_object in ("invitation_id", "template_id"):
            return Target(self.actors["coach"].clinic_id, self.actors["coach"].user_id)
        return Target(self.client_clinic, self.client_id)


def build_world(settings: Settings, stack: ExitStack) -> World:
    clock = MovableClock(NOW)
    services = Services(settings, clock)
    stack.callback(services.close)
    accounts = services.accounts
    accounts.setup(PEOPLE["admin"][0], PASSWORD)
    clinics = {name: accounts.add_clinic(name) for name in ("Riverside", "Hillside")}
    ids = {"admin": accounts.list_users()[0].id}
    for who, (user_name, role, clinic, _) in PEOPLE.items():
        if role is not Role.ADMIN:
            ids[who] = accounts.add_user(role.value, user_name, PASSWORD, clinic=clinic).id
    with services.database.write() as tx:
        for who, (_, _, _, follows) in PEOPLE.items():
            for client in follows:
                tx.add(CoachAssignmentRow(coach_id=ids[who], client_id=ids[client]))
    secrets = {}
    for who, (user_name, role, _, _) in PEOPLE.items():
        if role is not Role.CLIENT:
            secrets[who] = pyotp.random_base32()
            accounts.enrol_totp(user_name, secrets[who], pyotp.TOTP(secrets[who]).at(clock()))
    profiles = {a.id: a.profile_id for a in accounts.list_users()}
    actors = {
        who: Actor(
            ids[who],
            role,
            clinics[clinic].id if clinic else None,
            frozenset(ids[client] for client in follows),
            profiles[ids[who]],
        )
        for who, (_, role, clinic, follows) in PEOPLE.items()
    }
    world = World(settings, clock, services, actors, secrets=secrets)
    app = create_app(settings, clock=clock)
    for who in ASKED:
        client = stack.enter_context(TestClient(app, base_url=BASE))
        client.get("/sign-in")  # its CSRF cookie
        world.clients[who] = client
        if who != "anonymous":
            world.sign_in(who)
    world.session_id = start_session(world.clients["client"])
    world.invitation_id = services.invitations.invite(actors["coach"], "client")[1].id
    world.join_token = services.invitations.invite(actors["coach"], "client")[0]
    world.reset_token = services.password_resets.make(PEOPLE["other_clinic_client"][0])[0]
    template = services.coaching.upload(actors["coach"], checked(services, routine_text()))
    services.coaching.set_shared(actors["coach"], template.template_id, True)
    world.template_id = template.template_id
    for who in ("client", "other_client"):  # a routine of their own each, to share
        own = services.for_profile(actors[who].profile_id).routines
        own.add(checked(services, routine_text(OWN_ROUTINE, "Walks at home")))
    return world


def worlds(settings: Settings) -> Iterator[World]:
    with ExitStack() as stack:
        yield build_world(settings, stack)


def assignments(services: Services) -> set[tuple[str, str]]:
    with services.database.read() as tx:
        return {(r.coach_id, r.client_id) for r in tx.scalars(select(CoachAssignmentRow))}
