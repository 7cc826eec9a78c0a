"""Use cases of share links (issue 18 item 6): a person shares one of their routines, a
coach one version of a template; anyone with the link reads it, no account needed.

A link is a 256-bit token, shown once and kept only as its SHA-256, with a copy of the
file as it was when the link was made (a later edit is not shared until a new link is
made). One working link per routine or template: a new one revokes the one before;
revoking makes the link unknown, as any wrong token. The shared page shows the file and
nothing else: no owner, no clinic, no client; a coach's name only when they chose it.

Importing from a link: a share link of this installation is read straight from its own
database; a link of another installation is fetched by ``ShareFetcher``, which fetches
only what a share link can be, from the public internet only (SSRF, see
``services/share_fetch.py``). Either way the file is checked as any upload.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

from sirelief.auth.qr import invitation_qr_svg
from sirelief.auth.tokens import new_token, token_hash
from sirelief.catalogue.loader import RoutineCheck, SourceFile, check_routine_file
from sirelief.domain.access import Actor, Role
from sirelief.domain.catalogue import Catalogue
from sirelief.services.coaching import Coaching, FieldError, NotFoundError
from sirelief.services.errors import ServiceError
from sirelief.services.routines import Routines
from sirelief.services.share_fetch import ShareFetcher
from sirelief.storage.accounts_store import AccountsStore
from sirelief.storage.database import Database
from sirelief.storage.share_store import (
    RoutineShareStore,
    SharedFile,
    TemplateShareStore,
    WorkingLink,
    shared_file,
)

SHARE_PATH = "/shared/"
MAX_SHARE_TOKEN = 100
"""A token is 43 characters; anything much longer is not one (and is not hashed)."""
MAX_LINK = 2000
"""A pasted share link is an address of a few dozen characters."""
NOT_A_LINK = "Share link: paste a share link (it looks like {example})."


@dataclass(frozen=True)
class SharedRoutine:
    """What the shared page shows: the file, and the routine read from it (None when the
    file no longer reads in this version of sirelief; the download still works)."""

    file: SharedFile
    check: RoutineCheck


def share_url(base_url: str, token: str) -> str:
    """The address to give out.

    >>> share_url("https://clinic.example/", "abc")
    'https://clinic.example/shared/abc'
    """
    return f"{base_url.rstrip('/')}{SHARE_PATH}{token}"


@dataclass
class RoutineSharing:
    """One person's share links of their own routines (and the one from their coach)."""

    routines: Routines
    store: RoutineShareStore
    clock: Callable[[], datetime]

    def make(self, routine_id: str) -> str:
        """A new link's token (shown once); the routine's earlier link stops working."""
        entry, file_name, source = self._file(routine_id)
        token = new_token()
        self.store.add(
            routine_id, token_hash(token), entry.routine.name[:200], file_name[:255], source,
            self.clock(),
        )  # fmt: skip
        return token

    def revoke(self, routine_id: str) -> bool:
        self._file(routine_id)
        return self.store.revoke(routine_id, self.clock()) > 0

    def working(self, routine_id: str) -> WorkingLink | None:
        return self.store.working(routine_id)

    def _file(self, routine_id: str):
        try:
            return self.routines.file_of(routine_id)
        except ServiceError as error:
            raise NotFoundError(str(error)) from None


@dataclass
class TemplateSharing:
    """Share links of template versions: made and revoked by the template's author."""

    coaching: Coaching
    store: TemplateShareStore
    accounts: AccountsStore
    clock: Callable[[], datetime]

    def make(self, actor: Actor, template_id: str, version: int | None, show_name: bool) -> str:
        view = self._authors(actor, template_id, version)
        shown = None
        if show_name:
            (me,) = self.accounts.accounts_with_ids([actor.user_id])
            shown = me.display_name[:120]
        token = new_token()
        chosen = view.shown
        self.store.add(
            view.template.id, chosen.version, token_hash(token), chosen.name, chosen.file_name,
            chosen.source, shown, actor.user_id, self.clock(),
        )  # fmt: skip
        return token

    def revoke(self, actor: Actor, template_id: str) -> bool:
        view = self._authors(actor, template_id, None)
        return self.store.revoke(view.template.id, self.clock()) > 0

    def working(self, template_id: str) -> WorkingLink | None:
        return self.store.working(template_id)

    def _authors(self, actor: Actor, template_id: str, version: int | None):
        view = self.coaching.template(actor, template_id, version)  # NotFoundError
        if actor.role is not Role.COACH or not view.may_change:
            author = view.template.author_name or "its author"
            raise ServiceError(f"only {author} can share this template by link")
        return view


@dataclass
class SharedRoutines:
    """Every working share link of the installation: a token opens its file."""

    database: Database
    catalogue: Catalogue
    fetch: Callable[[str], tuple[str, bytes]] = field(default_factory=ShareFetcher)
    """How a link of another installation is fetched (a test gives its own)."""

    def open(self, token: str) -> SharedRoutine | None:
        """The routine the token opens; None for an unknown, revoked or absurd token."""
        if not token or len(token) > MAX_SHARE_TOKEN:
            return None
        found = shared_file(self.database, token_hash(token))
        if found is None:
            return None
        return SharedRoutine(found, check_routine_file(SourceFile(found.file_name, found.source),
                                                       self.catalogue))  # fmt: skip

    @staticmethod
    def qr_svg(link: str) -> str:
        """The link as an inline SVG QR code, for a phone to scan from the screen."""
        return invitation_qr_svg(link, title="QR code of the share link")

    def file_from_link(self, link: str, host: str) -> tuple[str, bytes]:
        """The file a pasted share link opens: read from the database when the link is
        this installation's (``host``: this server's host, as the request named it),
        fetched (guarded) when it is another's; ``FieldError`` naming the ``link`` field
        otherwise."""
        refused = FieldError("link", NOT_A_LINK.format(example=share_url(f"http://{host}", "…")))
        link = link.strip()
        if not link or len(link) > MAX_LINK or not link.isprintable():
            raise refused
        try:
            parts = urlsplit(link)
        except ValueError:
            raise refused from None
        if parts.netloc and parts.netloc.lower() != host.lower():
            return self.fetch(link)
        if parts.scheme not in ("", "http", "https") or not parts.path.startswith(SHARE_PATH):
            raise refused
        token = parts.path[len(SHARE_PATH) :].removesuffix("/routine.yaml").strip("/")
        if "/" in token:
            raise refused
        found = self.open(token)
        if found is None:
            raise FieldError("link", "Share link: this link does not work (any more): ask "
                             "for a new one, or for the file.")  # fmt: skip
        return found.file.file_name, found.file.source.encode("utf-8")
