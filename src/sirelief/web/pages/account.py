"""Signing in and out (clinic mode). In personal mode there is nobody to sign in: both
addresses lead to Today."""

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

MAX_PASSWORD = 1024
"""Long passphrases are welcome (64 characters and more); a megabyte is not."""
MAX_NEXT = 2000


async def sign_in(request: Request) -> Response:
    if not in_clinic_mode(request):
        return RedirectResponse("/", 303)
    accounts = context_of(request).services.accounts
    if request.method == "GET":
        target = local_path(request.query_params.get("next", "")[:MAX_NEXT])
        return _page(request, next_path=target)
    form = await read_form(request)
    user_name = short_text(form, "user_name")
    password = short_text(form, "password", limit=MAX_PASSWORD)
    code = short_text(form, "code", limit=16).replace(" ", "") or None
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
            notice=_sentence(str(needed)),
        )  # fmt: skip
    except SignInRefusedError as refused:
        response = _page(
            request, 429 if refused.retry_after_s else 400, next_path=target,
            user_name=user_name, ask_code=bool(code), error=_sentence(str(refused)),
        )  # fmt: skip
        if refused.retry_after_s:
            response.headers["retry-after"] = str(refused.retry_after_s)
        return response
    response = RedirectResponse(target, 303)
    set_login_cookie(response, request, token)
    return response


async def sign_out(request: Request) -> Response:
    if not in_clinic_mode(request):
        return RedirectResponse("/", 303)
    response = RedirectResponse("/sign-in", 303)
    token = login_token(request)
    if token:
        context_of(request).services.accounts.sign_out(token)
        clear_login_cookie(response, request)
    return response


def _page(request: Request, status_code: int = 200, **values) -> Response:
    values = {"user_name": "", "ask_code": False, "error": None, "notice": None, **values}
    return context_of(request).page(request, "sign_in.html", status_code=status_code, **values)


def _sentence(message: str) -> str:
    message = message[:1].upper() + message[1:]
    return message if message.endswith(".") else f"{message}."


ROUTES = [
    Route("/sign-in", sign_in, methods=["GET", "POST"]),
    Route("/sign-out", sign_out, methods=["POST"]),
]
