"""Invitations (clinic mode): a coach or admin makes a link and shows it as a QR code; the
invited person opens it on their phone, chooses a user name and password, and is signed in.

The token exists only in the answer to the POST that made it (the database keeps its hash):
that page shows the link and the QR code once, and ``/invitations/{id}`` later shows the
invitation without them. Lost before use? Revoke it and make another. ``/join/...`` is open
without a login, and answers the same words for an expired, used, revoked or unknown link.
"""

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from sirelief.domain.access import Actor, Role
from sirelief.domain.accounts import Invitation
from sirelief.services import ServiceError
from sirelief.services.accounts import SignInRefusedError
from sirelief.services.invitations import (
    CANNOT_USE,
    InvitationNotFoundError,
    InvitationUnusableError,
    NotAllowedError,
)
from sirelief.web.context import actor_of, context_of
from sirelief.web.pages.account import chosen_password
from sirelief.web.request_body import read_form, short_text
from sirelief.web.sign_in import in_clinic_mode, login_token, set_login_cookie
from sirelief.web.text import sentence

INVITERS = (Role.ADMIN, Role.COACH)
ONLY_INVITERS = "Only an admin or a coach can invite people."


async def invitations(request: Request) -> Response:
    """The form to invite someone and the invitations still waiting (GET); a new one (POST)."""
    actor = _inviter(request)
    if isinstance(actor, Response):
        return actor
    if request.method == "GET":
        return _list_page(request, actor)
    form = await read_form(request)
    role = short_text(form, "role")
    clinic = short_text(form, "clinic") if actor.role is Role.ADMIN else ""
    use_case = context_of(request).services.invitations
    try:
        token, invitation = use_case.invite(actor, role, clinic or None)
    except ServiceError as refused:
        if isinstance(refused, InvitationNotFoundError):
            raise HTTPException(404) from None
        status = 403 if isinstance(refused, NotAllowedError) else 400
        return _list_page(request, actor, status, error=sentence(str(refused)), role=role)
    link = use_case.link(str(request.base_url), token)
    return _page(
        request, "invitation.html", status_code=201, invitation=invitation, link=link,
        qr_svg=use_case.qr_svg(link), usable=True,
    )  # fmt: skip


async def invitation(request: Request) -> Response:
    """One invitation, without its link (that was shown once, when it was made)."""
    actor = _inviter(request)
    if isinstance(actor, Response):
        return actor
    found = _found(request, actor)
    usable = found.usable(context_of(request).clock())
    return _page(request, "invitation.html", invitation=found, link=None, usable=usable)


async def revoke(request: Request) -> Response:
    actor = _inviter(request)
    if isinstance(actor, Response):
        return actor
    try:
        context_of(request).services.invitations.revoke(actor, request.path_params["invitation_id"])
    except InvitationNotFoundError:
        raise HTTPException(404) from None
    except ServiceError as refused:
        return context_of(request).refusal(request, 400, sentence(str(refused)))
    return RedirectResponse("/invitations", 303)


async def join(request: Request) -> Response:
    """Where an invitation link leads: choose a user name and a password, then signed in."""
    if not in_clinic_mode(request):
        return RedirectResponse("/", 303)
    services = context_of(request).services
    token = request.path_params["token"]
    try:
        invitation = services.invitations.open(token)
    except InvitationUnusableError:
        return _cannot_use(request)
    values = {"invitation": invitation, "user_name": "", "display_name": "", "error": None}
    if request.method == "GET":
        return _page(request, "join.html", **values)
    form = await read_form(request)
    user_name = short_text(form, "user_name")
    display_name = short_text(form, "display_name")
    password, problem = chosen_password(form)
    values.update(user_name=user_name, display_name=display_name)
    if not user_name.strip():
        problem = "User name: choose the name you will sign in with."
    if problem:
        return _page(request, "join.html", 400, **{**values, "error": problem})
    try:
        name = services.invitations.accept(token, user_name, password, display_name)
    except InvitationUnusableError:
        return _cannot_use(request)
    except ServiceError as refused:
        return _page(request, "join.html", 400, **{**values, "error": sentence(str(refused))})
    address = request.client.host if request.client else None
    try:
        login = services.accounts.sign_in(
            name, password, address=address,
            user_agent=request.headers.get("user-agent", "")[:200] or None,
            replacing=login_token(request),
        )  # fmt: skip
    except SignInRefusedError:  # the account is made; the sign-in page says why
        return RedirectResponse("/sign-in", 303)
    response = RedirectResponse("/", 303)
    set_login_cookie(response, request, login)
    return response


# --- helpers ------------------------------------------------------------------------
def _inviter(request: Request) -> Actor | Response:
    """The signed-in admin or coach (the access table lets no one else this far; this is
    the second lock), or the refusal to answer instead. Personal mode has no such page."""
    actor = actor_of(request)
    if not in_clinic_mode(request) or actor is None:
        raise HTTPException(404)
    if actor.role not in INVITERS:
        return context_of(request).refusal(request, 403, ONLY_INVITERS)
    return actor


def _found(request: Request, actor: Actor) -> Invitation:
    try:
        return context_of(request).services.invitations.invitation(
            actor, request.path_params["invitation_id"]
        )
    except InvitationNotFoundError:
        raise HTTPException(404) from None


def _list_page(request: Request, actor: Actor, status_code: int = 200, **values) -> Response:
    services = context_of(request).services
    clinics = services.accounts.clinics() if actor.role is Role.ADMIN else []
    values = {"error": None, "role": "client", **values}
    return _page(
        request, "invitations.html", status_code, clinics=clinics,
        pending=services.invitations.pending(actor), **values,
    )  # fmt: skip


def _cannot_use(request: Request) -> Response:
    return _page(request, "join.html", 404, invitation=None, error=sentence(CANNOT_USE))


def _page(request: Request, template: str, status_code: int = 200, **values) -> Response:
    return context_of(request).page(request, template, status_code=status_code, **values)


ROUTES = [
    Route("/invitations", invitations, methods=["GET", "POST"]),
    Route("/invitations/{invitation_id}", invitation, methods=["GET"]),
    Route("/invitations/{invitation_id}/revoke", revoke, methods=["POST"]),
    Route("/join/{token}", join, methods=["GET", "POST"]),
]
