"""Invitations: how a coach or client joins a clinic without anyone else knowing their
password (issue 17, ASVS 6.4.1).

An admin invites a coach or a client to any clinic; a coach invites clients to their own
clinic only, and whoever joins through a coach's link is assigned to that coach. The link
carries 256 random bits (``auth/tokens.py``), shown once and stored only as a hash; it works
for ``INVITATION_LIFETIME`` (7 days) and once. Accepting makes the account and spends the
invitation in one transaction, so two racing accepts make one account. An expired, used,
revoked or unknown link all answer the same words.
"""

from collections.abc import Callable
from datetime import datetime

from sirelief.auth.passwords import hash_password
from sirelief.auth.qr import invitation_qr_svg, invitation_qr_text
from sirelief.auth.tokens import new_invitation
from sirelief.domain.access import Actor, Role
from sirelief.domain.accounts import AuditEntry, Clinic, Invitation, fold_user_name
from sirelief.services.accounts import new_account
from sirelief.services.errors import ServiceError
from sirelief.services.links import link_to, usable_link
from sirelief.storage.accounts_store import AccountsStore
from sirelief.storage.links_store import LinkSpentError, UserNameTakenError
from sirelief.storage.store import new_id

CANNOT_USE = "this invitation cannot be used (expired, used or unknown): ask for a new one"
"""The one answer to a link that does not open: nobody learns which of the three it was."""
NO_SUCH_INVITATION = "no such invitation"
NO_SUCH_CLINIC = "no such clinic"
MAX_DISPLAY_NAME = 80


class InvitationNotFoundError(ServiceError):
    """Unknown, or not the asker's to see: the web answers 404 either way."""


class InvitationUnusableError(ServiceError):
    """``CANNOT_USE``: expired, used, revoked or unknown, never saying which."""

    def __init__(self) -> None:
        super().__init__(CANNOT_USE)


class NotAllowedError(ServiceError):
    """This role may not invite: the web answers 403."""


class Invitations:
    """Making, listing, revoking and accepting invitations."""

    def __init__(self, store: AccountsStore, clock: Callable[[], datetime]) -> None:
        self.store = store
        self.clock = clock

    def invite(
        self, actor: Actor, role: Role | str, clinic_id: str | None = None
    ) -> tuple[str, Invitation]:
        """The token for the link (shown once, never stored) and the invitation.

        A coach's ``clinic_id`` may be left out (their own); another clinic's id answers
        as an unknown one would."""
        role = self._role(actor, role)
        return self._make(actor.user_id, role, self._clinic(actor, clinic_id))

    def invite_at_terminal(
        self, role: Role | str, clinic_name: str, coach_name: str | None = None
    ) -> tuple[str, Invitation]:
        """``sirelief users invite``: whoever holds the server's terminal invites as an
        admin would; with a coach named, as that coach (the client is assigned to them)."""
        clinic = self.store.clinic_named(clinic_name)
        if clinic is None:
            raise ServiceError(f"no clinic named '{clinic_name}' (see: sirelief clinics list)")
        if coach_name is None:
            return self._make(None, self._role(None, role), clinic)
        found = self.store.credentials(fold_user_name(coach_name))
        coach = found.account if found else None
        if coach is None or coach.role is not Role.COACH or coach.clinic_id != clinic.id:
            raise ServiceError(
                f"no coach named '{coach_name}' in {clinic.name} (see: sirelief users list)"
            )
        actor = Actor(coach.id, Role.COACH, clinic.id)
        return self._make(actor.user_id, self._role(actor, role), clinic)

    def pending(self, actor: Actor) -> list[Invitation]:
        """Unused, unexpired invitations: all of them for an admin, a coach's own."""
        _may_invite(actor)
        mine = None if actor.role is Role.ADMIN else actor.user_id
        return self.store.pending_invitations(self.clock(), invited_by=mine)

    def invitation(self, actor: Actor, invitation_id: str) -> Invitation:
        """One invitation the actor may see (an admin: any; a coach: those they made)."""
        _may_invite(actor)
        found = self.store.invitation(invitation_id)
        if found is None or not _sees(actor, found):
            raise InvitationNotFoundError(NO_SUCH_INVITATION)
        return found

    def revoke(self, actor: Actor, invitation_id: str) -> None:
        """The link stops working now (it expires); the row stays for the record."""
        found = self.invitation(actor, invitation_id)
        now = self.clock()
        entry = AuditEntry(now, "invitation revoked", actor.user_id,
                           object=f"invitations/{found.id}")  # fmt: skip
        if not self.store.revoke_invitation(found.id, now, entry):
            raise ServiceError("that invitation was used or had expired already")

    def open(self, token: str) -> Invitation:
        """The invitation ``token`` opens now, or ``CANNOT_USE``."""
        found = usable_link(token, self.store.invitation_of_token, self.clock())
        if found is None:
            raise InvitationUnusableError
        return found

    def accept(
        self, token: str, user_name: str, password: str, display_name: str | None = None
    ) -> str:
        """Make the invited person's account with the user name and password they chose;
        the new account's user name (sign in with it next)."""
        invitation = self.open(token)
        clinic = Clinic(invitation.clinic_id, invitation.clinic_name, invitation.created_at)
        now = self.clock()
        name = _display_name(display_name) if display_name else None
        account = new_account(invitation.role, user_name, password, clinic, now, name)
        coach = invitation.invited_by if self._by_coach(invitation) else None
        entry = AuditEntry(now, f"joined ({invitation.role})", account.id, account.id,
                           f"invitations/{invitation.id}")  # fmt: skip
        try:
            self.store.accept_invitation(
                invitation.id, account, hash_password(password), coach_id=coach, entry=entry
            )
        except UserNameTakenError:
            raise ServiceError(
                f"user name: '{account.user_name}' is taken; choose another"
            ) from None
        except LinkSpentError:
            raise InvitationUnusableError from None
        return account.user_name

    @staticmethod
    def link(base_url: str, token: str) -> str:
        """The address to send or show: ``base_url`` is where this server is reached."""
        return link_to(base_url, "join", token)

    @staticmethod
    def qr_svg(link: str) -> str:
        """The link as an inline SVG QR code, for a phone to scan from the screen."""
        return invitation_qr_svg(link)

    @staticmethod
    def qr_text(link: str) -> str:
        """The link as a QR code in block characters, for a terminal."""
        return invitation_qr_text(link)

    # --- helpers --------------------------------------------------------------------
    def _make(self, by: str | None, role: Role, clinic: Clinic) -> tuple[str, Invitation]:
        now = self.clock()
        token, made = new_invitation(now=now)
        invitation = Invitation(new_id(), clinic.id, clinic.name, role, by, now, made.expires_at)
        entry = AuditEntry(now, f"invited ({role})", by, object=f"invitations/{invitation.id}")
        self.store.add_invitation(invitation, made.token_hash, entry)
        return token, invitation

    @staticmethod
    def _role(actor: Actor | None, role: Role | str) -> Role:
        """The role to invite; ``actor`` None: the server's terminal, as an admin."""
        if actor is not None:
            _may_invite(actor)
        try:
            role = Role(role)
        except ValueError:
            role = None
        if role not in (Role.COACH, Role.CLIENT):
            raise ServiceError(
                "role: choose coach or client (an admin is added with 'sirelief users add')"
            )
        if actor is not None and actor.role is Role.COACH and role is not Role.CLIENT:
            raise NotAllowedError("a coach invites clients only: ask an admin to invite a coach")
        return role

    def _clinic(self, actor: Actor, clinic_id: str | None) -> Clinic:
        if actor.role is Role.COACH:
            clinic_id = clinic_id or actor.clinic_id
            if clinic_id != actor.clinic_id:
                raise InvitationNotFoundError(NO_SUCH_CLINIC)
        if not clinic_id:
            raise ServiceError("clinic: choose the clinic the person joins")
        found = next((c for c in self.store.clinics() if c.id == clinic_id), None)
        if found is None:
            raise InvitationNotFoundError(NO_SUCH_CLINIC)
        return found

    def _by_coach(self, invitation: Invitation) -> bool:
        """Whether a coach made it (their clients join assigned to them)."""
        if invitation.invited_by is None or invitation.role is not Role.CLIENT:
            return False
        found = self.store.credentials_of(invitation.invited_by)
        return found is not None and found.account.role is Role.COACH


def _may_invite(actor: Actor) -> None:
    if actor.role not in (Role.ADMIN, Role.COACH):
        raise NotAllowedError("only an admin or a coach can invite")


def _sees(actor: Actor, invitation: Invitation) -> bool:
    return actor.role is Role.ADMIN or invitation.invited_by == actor.user_id


def _display_name(text: str) -> str | None:
    name = " ".join(text.split()) or None
    if name and len(name) > MAX_DISPLAY_NAME:
        raise ServiceError(f"your name: use at most {MAX_DISPLAY_NAME} characters")
    return name
