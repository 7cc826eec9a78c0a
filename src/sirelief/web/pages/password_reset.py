"""Where a password-reset link leads (clinic mode; ASVS 6.4.3): the person chooses a new
password, every device signed in as them is signed out, and they sign in again, with their
code app's code if they have one (the link replaces the password, never the second step).

The route is open without a login: its token is the key. An unknown, used, expired or
voided link answers the same page with the same status; tries with such links are slowed
per address (``services/password_resets.py``).
"""

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from sirelief.services import ServiceError
from sirelief.services.password_resets import (
    CANNOT_USE,
    ResetLinkUnusableError,
    TooManyTriesError,
)
from sirelief.web.context import context_of
from sirelief.web.pages.account import chosen_password
from sirelief.web.request_body import read_form
from sirelief.web.sign_in import clear_login_cookie, in_clinic_mode
from sirelief.web.text import sentence


async def password_reset(request: Request) -> Response:
    """The form (GET) and the new password (POST, then the sign-in page)."""
    if not in_clinic_mode(request):
        return RedirectResponse("/", 303)
    resets = context_of(request).services.password_resets
    token = request.path_params["reset_token"]
    address = request.client.host if request.client else None
    try:
        resets.open(token, address)
    except ServiceError as refused:
        return _refused(request, refused)
    if request.method == "GET":
        return _page(request)
    password, problem = chosen_password(await read_form(request))
    if problem:
        return _page(request, 400, error=problem)
    try:
        resets.redeem(token, password, address)
    except (ResetLinkUnusableError, TooManyTriesError) as refused:
        return _refused(request, refused)
    except ServiceError as refused:
        return _page(request, 400, error=sentence(str(refused)))
    response = RedirectResponse("/sign-in?password=changed", 303)
    clear_login_cookie(response, request)  # that login ended with the others
    return response


def _refused(request: Request, refused: ServiceError) -> Response:
    """The one page for every link that does not open; or the wait, with its time."""
    if isinstance(refused, TooManyTriesError):
        response = _page(
            request, 429, usable=False, heading="Wait a moment", error=sentence(str(refused))
        )
        response.headers["retry-after"] = str(refused.retry_after_s)
        return response
    return _page(request, 404, usable=False, error=sentence(CANNOT_USE))


def _page(request: Request, status_code: int = 200, **values) -> Response:
    values = {"usable": True, "error": None, "heading": "This link does not work", **values}
    return context_of(request).page(
        request, "password_reset.html", status_code=status_code, **values
    )


ROUTES = [Route("/password-reset/{reset_token}", password_reset, methods=["GET", "POST"])]
