"""The audit log on the web: a client sees who looked at their data; an admin reads the
whole log, newest first, a page at a time, for one account or all (issue 17 item 5)."""

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from sirelief.domain.access import Role
from sirelief.services.audit import NotAnAdminError
from sirelief.web.context import actor_of, context_of
from sirelief.web.request_body import valid_id
from sirelief.web.sign_in import in_clinic_mode

MAX_PAGE = 1_000_000


async def who_looked(request: Request) -> Response:
    context = context_of(request)
    actor = actor_of(request)
    if not in_clinic_mode(request) or actor is None:
        return context.page(request, "who_looked.html", looks=None, personal=True)
    if actor.role is not Role.CLIENT:
        return context.refusal(
            request, 403,
            "Only a client has a list of who looked at their data. Admins read the whole "
            "audit log at /admin/audit.",
        )  # fmt: skip
    looks = context.services.audit.who_looked(actor)
    return context.page(request, "who_looked.html", looks=looks, personal=False)


async def admin_log(request: Request) -> Response:
    context = context_of(request)
    actor = actor_of(request)
    if not in_clinic_mode(request) or actor is None:
        return context.refusal(request, 404, "This sirelief has no accounts, so no audit log.")
    account = request.query_params.get("account", "")
    if account and not valid_id(account):
        return context.refusal(request, 400, "account: choose an account from the list.")
    page_text = request.query_params.get("page", "1")
    if not page_text.isdecimal() or not 1 <= int(page_text) <= MAX_PAGE:
        return context.refusal(request, 400, "page: give a page number, 1 or more.")
    try:
        found = context.services.audit.log(actor, account or None, int(page_text))
    except NotAnAdminError:
        return context.refusal(request, 403, "Only an admin reads the audit log.")
    accounts = context.services.accounts.list_users()
    return context.page(
        request, "audit_log.html", log=found, accounts=accounts, account=account,
    )  # fmt: skip


ROUTES = [
    Route("/account/who-looked", who_looked, methods=["GET"]),
    Route("/admin/audit", admin_log, methods=["GET"]),
]
