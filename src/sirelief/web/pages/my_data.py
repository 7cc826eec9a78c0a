"""Data rights from the web (issue 17 item 7): take everything of yours away (JSON, or a
zip of CSV tables: the files ``sirelief export`` writes) and delete it all.

A client does it at ``/account/data`` (deleting needs their password and the typed word,
then signs them out); an admin does it for a client at ``/admin/accounts/{id}/data``, and
the audit log notes both. In personal mode ``/account/data`` offers the same without a
password, with the CLI's confirmation (``sirelief delete-my-data``: type DELETE).
"""

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from sirelief.domain.access import Role
from sirelief.domain.accounts import Account
from sirelief.domain.local_time import local_day
from sirelief.services import ServiceError
from sirelief.services.data_rights import CONFIRM_WORD, NoSuchClientError
from sirelief.web.context import ACTOR_KEY, actor_of, context_of
from sirelief.web.request_body import read_form, short_text, valid_id
from sirelief.web.sign_in import clear_login_cookie, in_clinic_mode

MAX_PASSWORD = 1024
FILES = {
    "json": ("json", "application/json"),
    "zip": ("csv", "application/zip"),
    "fhir.json": ("fhir", "application/fhir+json"),
}
"""The address's ending -> the export's format and its media type."""


class _RefusedError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def _own(request: Request) -> Account | None:
    """The signed-in client's account, None in personal mode; ``_RefusedError`` otherwise."""
    if not in_clinic_mode(request):
        return None
    actor = actor_of(request)
    if actor is None:
        raise _RefusedError(403, "Sign in first.")
    try:
        return context_of(request).services.data_rights.own_account(actor)
    except ServiceError as error:
        raise _RefusedError(403, _sentence(str(error))) from None


def _clients(request: Request) -> Account:
    """The client an admin acts for; 404 for anything else, as an unknown id."""
    account_id = request.path_params["account_id"]
    actor = actor_of(request)
    if not in_clinic_mode(request) or actor is None or not valid_id(account_id):
        raise _RefusedError(404, "There is no client with that id.")
    if actor.role is not Role.ADMIN:
        raise _RefusedError(403, "Only an admin acts on a client's data.")
    try:
        return context_of(request).services.data_rights.client_for_admin(actor, account_id)
    except NoSuchClientError:
        raise _RefusedError(404, "There is no client with that id.") from None


def _refusing(handler):
    async def run(request: Request) -> Response:
        try:
            return await handler(request)
        except _RefusedError as refused:
            return context_of(request).refusal(request, refused.status, str(refused))

    run.__name__ = handler.__name__
    run.__doc__ = handler.__doc__
    return run


# --- a client, or the owner in personal mode ------------------------------------------
@_refusing
async def my_data(request: Request) -> Response:
    return _page(request, _own(request), "/account/data")


def _my_export(ending: str):
    @_refusing
    async def my_export(request: Request) -> Response:
        return _download(request, _own(request), ending)

    return my_export


@_refusing
async def my_delete(request: Request) -> Response:
    account = _own(request)
    form = await read_form(request)
    typed = short_text(form, "confirm")
    rights = context_of(request).services.data_rights
    try:
        if account is None:
            counts = rights.delete_personal(typed)
        else:
            password = short_text(form, "password", limit=MAX_PASSWORD)
            counts = rights.delete_own(actor_of(request), password, typed, _address(request))
    except ServiceError as error:
        return _page(request, account, "/account/data", 400, error=_sentence(str(error)))
    rows = sum(n for table, n in counts.items() if table != "logins")
    request.scope.pop(ACTOR_KEY, None)  # signed out: the page shows no sign-out button
    response = context_of(request).page(request, "data_deleted.html", rows=rows, account=account)
    if account is not None:
        clear_login_cookie(response, request)  # its logins ended with the account
    return response


# --- an admin, for a client ------------------------------------------------------------
@_refusing
async def client_data(request: Request) -> Response:
    account = _clients(request)
    return _page(request, account, f"/admin/accounts/{account.id}/data", for_admin=True)


def _client_export(ending: str):
    @_refusing
    async def client_export(request: Request) -> Response:
        return _download(request, _clients(request), ending, admin=True)

    return client_export


@_refusing
async def client_delete(request: Request) -> Response:
    account = _clients(request)
    form = await read_form(request)
    here = f"/admin/accounts/{account.id}/data"
    try:
        context_of(request).services.data_rights.delete_for_client(
            actor_of(request), account.id, short_text(form, "confirm"), _address(request)
        )
    except NoSuchClientError:
        return context_of(request).refusal(request, 404, "There is no client with that id.")
    except ServiceError as error:
        return _page(request, account, here, 400, for_admin=True, error=_sentence(str(error)))
    return RedirectResponse(f"/admin/audit?account={account.id}", 303)


# --- helpers --------------------------------------------------------------------------
def _page(
    request: Request,
    account: Account | None,
    here: str,
    status_code: int = 200,
    for_admin: bool = False,
    error: str | None = None,
) -> Response:
    return context_of(request).page(
        request, "my_data.html", status_code=status_code, account=account, here=here,
        for_admin=for_admin, error=error, confirm_word=CONFIRM_WORD.upper(),
    )  # fmt: skip


def _download(
    request: Request, account: Account | None, ending: str, admin: bool = False
) -> Response:
    fmt, media_type = FILES[ending]
    context = context_of(request)
    body = context.services.data_rights.export(
        fmt, account, by=actor_of(request), address=_address(request)
    )
    day = local_day(context.clock(), context.services.zone()).isoformat()
    who = f"-{account.user_name}" if admin and account else ""
    return Response(
        body,
        media_type=media_type,
        headers={
            "content-disposition": f'attachment; filename="sirelief-export{who}-{day}.{ending}"',
            "cache-control": "no-store",
        },
    )


def _address(request: Request) -> str | None:
    return request.client.host if request.client else None


def _sentence(message: str) -> str:
    message = message[:1].upper() + message[1:]
    return message if message.endswith(".") else f"{message}."


ROUTES = [
    Route("/account/data", my_data, methods=["GET"]),
    Route("/account/data/export.json", _my_export("json"), methods=["GET"]),
    Route("/account/data/export.zip", _my_export("zip"), methods=["GET"]),
    Route("/account/data/export.fhir.json", _my_export("fhir.json"), methods=["GET"]),
    Route("/account/data/delete", my_delete, methods=["POST"]),
    Route("/admin/accounts/{account_id}/data", client_data, methods=["GET"]),
    Route("/admin/accounts/{account_id}/data/export.json", _client_export("json"), methods=["GET"]),
    Route("/admin/accounts/{account_id}/data/export.zip", _client_export("zip"), methods=["GET"]),
    Route(
        "/admin/accounts/{account_id}/data/export.fhir.json",
        _client_export("fhir.json"),
        methods=["GET"],
    ),
    Route("/admin/accounts/{account_id}/data/delete", client_delete, methods=["POST"]),
]
