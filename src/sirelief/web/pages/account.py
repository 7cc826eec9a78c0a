"""Signing in and out (clinic mode). In personal mode there is nobody to sign in: both
addresses lead to Today."""

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from sirelief.services.accounts import CodeNeededError, SignInRefusedError
from sirelief.web.context import context_of
from sirelief.web.request_body import read_form, short_text
from sirelief.web.sign_in import (
    clear_login_cookie,
    in_clinic_mode,
    local_path,
    login_token,
    set_login_cookie,
)
from sirelief.web.text import sentence

MAX_PASSWORD = 1024
"""Long passphrases are welcome (64 characters and more); a megabyte is not."""
MAX_NEXT = 2000
TWO_PASSWORDS_DIFFER = "Password again: the two passwords differ; type the same one twice."
NO_PASSWORD = "Password: choose a password of 8 characters or more."
PASSWORD_CHANGED = (
    "Your password is changed and every device was signed out. Sign in with the new one."
)
MAX_CODE = 40
"""A TOTP code or a recovery code (``ABCD-EFGH-...``, 29 characters), with spaces."""


def chosen_password(form: FormData) -> tuple[str, str | None]:
    """A new password typed twice (joining, a reset link): the password and what is
    wrong with the two fields, if anything (the service checks the rules after)."""
    password = short_text(form, "password", limit=MAX_PASSWORD)
    again = short_text(form, "password_again", limit=MAX_PASSWORD)
    if not password:
        return password, NO_PASSWORD
    return password, TWO_PASSWORDS_DIFFER if password != again else None


async def sign_in(request: Request) -> Response:
    if not in_clinic_mode(request):
        return RedirectResponse("/", 303)
    accounts = context_of(request).services.accounts
    if request.method == "GET":
        target = local_path(request.query_params.get("next", "")[:MAX_NEXT])
        changed = request.query_params.get("password") == "changed"
        return _page(request, next_path=target, notice=PASSWORD_CHANGED if changed else None)
    form = await read_form(request)
    user_name = short_text(form, "user_name")
    password = short_text(form, "password", limit=MAX_PASSWORD)
    code = short_text(form, "code", limit=MAX_CODE) or short_text(
        form, "recovery_code", limit=MAX_CODE
    )  # a recovery code instead of the TOTP code (the service tells them apart)
    code = code.replace(" ", "") or None
    target = local_path(short_text(form, "next", limit=MAX_NEXT))
    if not user_name.strip() or not password:
        return _page(
            request, 400, next_path=target, user_name=user_name,
            error="Enter your user name and your password.",
        )  # fmt: skip
    try:
        token = accounts.sign_in(
            user_name, password, code,
            address=request.client.host if request.client else None,
            user_agent=request.headers.get("user-agent", "")[:200] or None,
            replacing=login_token(request),
        )  # fmt: skip
    except CodeNeededError as needed:
        return _page(
            request, next_path=target, user_name=user_name, ask_code=True,
            notice=sentence(str(needed)),
        )  # fmt: skip
    except SignInRefusedError as refused:
        response = _page(
            request, 429 if refused.retry_after_s else 400, next_path=target,
            user_name=user_name, ask_code=bool(code), error=sentence(str(refused)),
        )  # fmt: skip
        if refused.retry_after_s:
            response.headers["retry-after"] = str(refused.retry_after_s)
        return response
    response = RedirectResponse(target, 303)
    set_login_cookie(response, request, token)
    return response


CLEAR_SITE_DATA = '"cache", "storage"'
"""Sent with every sign-out (ASVS 14.3.1): the browser drops this site's HTTP cache,
localStorage (the outboxes and event logs), the service worker's caches and the worker
itself, which the next page registers afresh. Browsers honour it only in a secure context,
so sign_out.js clears the same things itself as well. Cookies are not in the list: the
login cookie is ended on its own, and the CSRF cookie holds nothing of the person."""


async def sign_out(request: Request) -> Response:
    if not in_clinic_mode(request):
        return RedirectResponse("/", 303)
    response = RedirectResponse("/sign-in", 303)
    response.headers["clear-site-data"] = CLEAR_SITE_DATA
    token = login_token(request)
    if token:
        context_of(request).services.accounts.sign_out(token)
        clear_login_cookie(response, request)
    return response


def _page(request: Request, status_code: int = 200, **values) -> Response:
    values = {"user_name": "", "ask_code": False, "error": None, "notice": None, **values}
    return context_of(request).page(request, "sign_in.html", status_code=status_code, **values)


ROUTES = [
    Route("/sign-in", sign_in, methods=["GET", "POST"]),
    Route("/sign-out", sign_out, methods=["POST"]),
]
