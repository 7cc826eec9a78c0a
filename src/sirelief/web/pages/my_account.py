"""A signed-in person's own account (clinic mode): overview, password, two-step sign-in,
recovery codes and the browsers signed in as them. In personal mode there is no account:
every address here leads to Today."""

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from sirelief.domain.access import Actor
from sirelief.services import ServiceError
from sirelief.services.my_account import LoginNotFoundError, MyAccount
from sirelief.web.context import actor_of, context_of
from sirelief.web.pages.account import MAX_PASSWORD
from sirelief.web.request_body import read_form, short_text, valid_id
from sirelief.web.sign_in import in_clinic_mode, login_token
from sirelief.web.text import sentence

NO_SUCH_LOGIN = "There is no such login: it may have ended already. See your signed-in devices."


def _actor(request: Request) -> Actor | None:
    """The signed-in actor, or None in personal mode (the middleware asked for the rest)."""
    return actor_of(request) if in_clinic_mode(request) else None


def _mine(request: Request) -> MyAccount:
    return context_of(request).services.my_account


async def overview(request: Request) -> Response:
    actor = _actor(request)
    if actor is None:
        return RedirectResponse("/", 303)
    return _page(request, "account.html", own=_mine(request).overview(actor))


async def password(request: Request) -> Response:
    actor = _actor(request)
    if actor is None:
        return RedirectResponse("/", 303)
    if request.method == "GET":
        return _page(request, "account_password.html")
    form = await read_form(request)
    current = short_text(form, "current", limit=MAX_PASSWORD)
    new = short_text(form, "new", limit=MAX_PASSWORD)
    if not current or not new:
        return _page(
            request, "account_password.html", 400,
            error="Enter your current password and the new one.",
        )  # fmt: skip
    try:
        _mine(request).change_password(actor, current, new, keep_token=login_token(request))
    except ServiceError as refused:
        return _page(request, "account_password.html", 400, error=sentence(str(refused)))
    return _page(
        request, "account.html", own=_mine(request).overview(actor),
        notice="Your password is changed. Every other device signed in as you was signed out.",
    )  # fmt: skip


async def two_step(request: Request) -> Response:
    actor = _actor(request)
    if actor is None:
        return RedirectResponse("/", 303)
    mine = _mine(request)
    if request.method == "GET":
        return _two_step_page(request, actor)
    form = await read_form(request)
    secret = short_text(form, "secret")
    code = short_text(form, "code", limit=16)
    if not code.strip():
        return _two_step_page(request, actor, 400, secret, "Enter the code your app shows.")
    try:
        codes = mine.confirm_totp(
            actor, secret, code, keep_token=login_token(request),
            password=short_text(form, "password", limit=MAX_PASSWORD) or None,
        )  # fmt: skip
    except ServiceError as refused:
        return _two_step_page(request, actor, 400, secret, sentence(str(refused)))
    return _page(request, "account_codes.html", codes=codes, enrolled=True)


async def recovery_codes(request: Request) -> Response:
    actor = _actor(request)
    if actor is None:
        return RedirectResponse("/", 303)
    form = await read_form(request)
    given = short_text(form, "password", limit=MAX_PASSWORD)
    try:
        if not given:
            raise ServiceError("current password: enter it to make new recovery codes")
        codes = _mine(request).new_recovery_codes(actor, given)
    except ServiceError as refused:
        return _two_step_page(request, actor, 400, codes_error=sentence(str(refused)))
    return _page(request, "account_codes.html", codes=codes, enrolled=False)


async def logins(request: Request) -> Response:
    actor = _actor(request)
    if actor is None:
        return RedirectResponse("/", 303)
    return _logins_page(request, actor)


async def end_login(request: Request) -> Response:
    actor = _actor(request)
    if actor is None:
        return RedirectResponse("/", 303)
    login_id = request.path_params["login_id"]
    if not valid_id(login_id):
        raise HTTPException(404, NO_SUCH_LOGIN)
    try:
        _mine(request).end_login(actor, login_id)
    except LoginNotFoundError:
        raise HTTPException(404, NO_SUCH_LOGIN) from None
    return RedirectResponse("/account/logins", 303)


async def end_other_logins(request: Request) -> Response:
    actor = _actor(request)
    if actor is None:
        return RedirectResponse("/", 303)
    ended = _mine(request).end_other_logins(actor, login_token(request))
    notice = f"Signed out {ended} other device{'s' if ended != 1 else ''}."
    return _logins_page(request, actor, notice=notice)


# --- pages ------------------------------------------------------------------------------
def _two_step_page(
    request: Request,
    actor: Actor,
    status_code: int = 200,
    secret: str | None = None,
    error: str | None = None,
    codes_error: str | None = None,
) -> Response:
    mine = _mine(request)
    return _page(
        request, "account_two_step.html", status_code,
        own=mine.overview(actor), start=mine.start_totp(actor, again=secret),
        must_enrol=actor.must_enrol_totp, error=error, codes_error=codes_error,
    )  # fmt: skip


def _logins_page(request: Request, actor: Actor, notice: str | None = None) -> Response:
    own_logins = _mine(request).logins_of(actor, login_token(request))
    return _page(request, "account_logins.html", logins=own_logins, notice=notice)


def _page(request: Request, template: str, status_code: int = 200, **values) -> Response:
    values = {"error": None, "notice": None, **values}
    return context_of(request).page(request, template, status_code=status_code, **values)


ROUTES = [
    Route("/account", overview, methods=["GET"]),
    Route("/account/password", password, methods=["GET", "POST"]),
    Route("/account/two-step", two_step, methods=["GET", "POST"]),
    Route("/account/recovery-codes", recovery_codes, methods=["POST"]),
    Route("/account/logins", logins, methods=["GET"]),
    Route("/account/logins/{login_id}/end", end_login, methods=["POST"]),
    Route("/account/logins/end-others", end_other_logins, methods=["POST"]),
]
