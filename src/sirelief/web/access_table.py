"""Who may use each route, in one table (issue 17, item 4).

Every route of the app has an entry here, keyed by method and path template, exactly as
Starlette routes them (HEAD is checked as GET). ``create_app`` refuses to start when a
route has none, so a new page is closed until someone decides who may use it. In clinic
mode ``web/access_guard.py`` applies the entry to every request; in personal mode there is
one person and nothing to decide.

An entry is an ``AccessRule`` (the roles that may use the route, and how its object is
scoped: see ``domain/access.py``) and, when the path names the object, the path parameter
that names it (``session_id``, ``client_id``). A route without such a parameter is about
the actor's own data (scope ``OWN``), their clinic's (``CLINIC``) or nobody's
(``INSTALLATION``). ``OPEN`` routes are reached without an account: the sign-in page, the
files it is drawn with, the pages an invitation link and a password-reset link open (their
token is the key), and what makes the app installable and usable offline (manifest, icons,
worker, offline page).

To add a route: add its entries here, then run tests/web/test_access_matrix.py, which
checks every route for every kind of account.
"""

from dataclasses import dataclass

from sirelief.domain.access import AccessRule, Role, Scope

EVERYONE = frozenset(Role)
CLIENTS = frozenset({Role.CLIENT})
STAFF = frozenset({Role.COACH, Role.ADMIN})
ADMINS = frozenset({Role.ADMIN})
COACHES = frozenset({Role.COACH})
NOTE_WRITERS = frozenset({Role.CLIENT, Role.COACH})
"""A session's notes are between the person and their coaches; an admin runs the
installation and does not write in a client's record."""


@dataclass(frozen=True)
class RouteAccess:
    rule: AccessRule | None
    """``None``: open to anyone, signed in or not."""
    names_object: str | None = None
    """The path parameter naming the object the request is about, if any."""


OPEN = RouteAccess(None)


def own(roles: frozenset[Role] = CLIENTS, names_object: str | None = None) -> RouteAccess:
    """The actor's own records (with ``names_object``: the object must be theirs)."""
    return RouteAccess(AccessRule(roles, Scope.OWN), names_object)


def clients_data(roles: frozenset[Role], names_object: str) -> RouteAccess:
    """A client's records: the client themself, their coaches, an admin."""
    return RouteAccess(AccessRule(roles, Scope.ASSIGNED_CLIENT), names_object)


def own_account(names_object: str | None = None) -> RouteAccess:
    """Anyone's own account pages; another account's object (a login) is not found, even
    for an admin."""
    return RouteAccess(AccessRule(EVERYONE, Scope.SELF), names_object)


def clinic_object(roles: frozenset[Role], names_object: str) -> RouteAccess:
    """Something of one clinic (a coach's template): another clinic's is not found; inside
    the clinic the use case decides (a coach's unshared template is not found either)."""
    return RouteAccess(AccessRule(roles, Scope.CLINIC), names_object)


def shared(roles: frozenset[Role] = EVERYONE) -> RouteAccess:
    """Things every account sees alike: the exercise library, figures, built-in routines."""
    return RouteAccess(AccessRule(roles, Scope.INSTALLATION))


ACCESS_TABLE: dict[tuple[str, str], RouteAccess] = {
    # Signing in and out
    ("GET", "/sign-in"): OPEN,
    ("POST", "/sign-in"): OPEN,
    ("POST", "/sign-out"): own(EVERYONE),
    # One's own account (a login of another account is not found, as an unknown id)
    ("GET", "/account"): own_account(),
    ("GET", "/account/password"): own_account(),
    ("POST", "/account/password"): own_account(),
    ("GET", "/account/two-step"): own_account(),
    ("POST", "/account/two-step"): own_account(),
    ("POST", "/account/recovery-codes"): own_account(),
    ("GET", "/account/logins"): own_account(),
    ("POST", "/account/logins/{login_id}/end"): own_account("login_id"),
    ("POST", "/account/logins/end-others"): own_account(),
    # Today: a client's own day; a coach's or admin's list of clients
    ("GET", "/"): own(EVERYONE),
    ("GET", "/checkin"): own(),
    ("POST", "/checkin"): own(),
    ("GET", "/history"): own(),
    ("POST", "/morning"): own(),
    ("GET", "/insights"): own(),
    # The first-run tour: for a person with data of their own, never for staff
    ("GET", "/welcome"): own(),
    ("GET", "/welcome/safety"): own(),
    ("GET", "/welcome/compare"): own(),
    ("POST", "/welcome/end"): own(),
    # A client's data, as their coaches and an admin follow it
    ("GET", "/clients/{client_id}"): clients_data(STAFF, "client_id"),
    # Routine templates and assigning one to a client (issue 18 item 2): a coach's own
    # and their clinic's shared templates (an admin may look); only the client's coach
    # assigns
    ("GET", "/templates"): own(STAFF),
    # The routine builder (issue 18 item 1): a coach's saves a template version; a
    # client's (and the one person's, in personal mode) a routine of their own.
    ("GET", "/templates/builder"): own(COACHES),
    ("POST", "/templates/builder"): own(COACHES),
    ("GET", "/routines/builder"): own(),
    ("POST", "/routines/builder"): own(),
    ("POST", "/templates"): own(COACHES),
    ("GET", "/templates/{template_id}"): clinic_object(STAFF, "template_id"),
    ("POST", "/templates/{template_id}/share"): clinic_object(COACHES, "template_id"),
    # A coach's note on a template, seen by every client it was assigned to (issue 18
    # item 5), and its share link (item 6): the author writes and makes them
    ("POST", "/templates/{template_id}/note"): clinic_object(COACHES, "template_id"),
    ("POST", "/templates/{template_id}/share-link"): clinic_object(COACHES, "template_id"),
    ("POST", "/templates/{template_id}/share-link/revoke"): clinic_object(COACHES, "template_id"),
    ("POST", "/clients/{client_id}/assignment"): clients_data(COACHES, "client_id"),
    ("POST", "/clients/{client_id}/assignment/note"): clients_data(COACHES, "client_id"),
    # A coach's alerts about the clients they follow (issue 18 item 4): listed on "/",
    # dismissed one by one; each coach's own settings (days without a session, email)
    ("POST", "/clients/{client_id}/alerts/dismiss"): clients_data(COACHES, "client_id"),
    ("GET", "/alerts/settings"): own(COACHES),
    # What helps across a coach's own clients (issue 18 item 8): pooled from the clients
    # they follow, so only a coach, and only their own
    ("GET", "/what-helps"): own(COACHES),
    ("POST", "/alerts/settings"): own(COACHES),
    # Sessions: the client runs them; their coaches may read the plan and the results, and
    # both may write notes on them
    ("GET", "/sessions/{session_id}"): clients_data(EVERYONE, "session_id"),
    ("GET", "/sessions/{session_id}/results"): clients_data(EVERYONE, "session_id"),
    ("POST", "/sessions/{session_id}/notes"): clients_data(NOTE_WRITERS, "session_id"),
    ("GET", "/sessions/{session_id}/run"): own(names_object="session_id"),
    ("POST", "/sessions/{session_id}/act"): own(names_object="session_id"),
    ("POST", "/sessions/{session_id}/events"): own(names_object="session_id"),
    # Safety records a client keeps about themself
    ("GET", "/safety/precautions"): own(),
    ("POST", "/safety/precautions"): own(),
    ("GET", "/safety/clearances"): own(),
    ("POST", "/safety/clearances"): own(),
    ("POST", "/safety/clearances/withdraw"): own(),
    ("GET", "/safety/reviews"): own(),
    ("POST", "/safety/reviews"): own(),
    ("POST", "/safety/reviews/withdraw"): own(),
    # The library
    ("GET", "/exercises"): shared(),
    ("GET", "/exercises/gallery"): shared(),
    ("GET", "/exercises/{exercise_id}"): shared(),
    ("GET", "/figures/{exercise_id}/{side}/{pose}.svg"): shared(),
    ("GET", "/routines"): shared(),
    ("GET", "/routines/{routine_id}"): shared(),
    ("POST", "/routines"): own(),
    # Printable sheets (issue 18 item 7): of a routine the person may run, and of a
    # template version the coach may see
    ("GET", "/routines/{routine_id}/sheet"): shared(),
    ("GET", "/routines/{routine_id}/sheet.pdf"): shared(),
    ("GET", "/templates/{template_id}/sheet"): clinic_object(STAFF, "template_id"),
    ("GET", "/templates/{template_id}/sheet.pdf"): clinic_object(STAFF, "template_id"),
    # Share links of a person's routines (issue 18 item 6), importing one of this
    # installation's links, and what a link opens: anyone with it reads the routine, its
    # file and its figures without an account (the token is the key; unknown or revoked:
    # 404), and nothing else
    ("POST", "/routines/{routine_id}/share-link"): own(),
    ("POST", "/routines/{routine_id}/share-link/revoke"): own(),
    ("POST", "/routines/import"): own(),
    ("GET", "/shared/{share_token}"): OPEN,
    ("GET", "/shared/{share_token}/routine.yaml"): OPEN,
    ("GET", "/shared/{share_token}/figures/{exercise_id}/{side}/{pose}.svg"): OPEN,
    # Invitations: staff make and revoke their own (an admin any); the link opens /join
    ("GET", "/invitations"): own(STAFF),
    ("POST", "/invitations"): own(STAFF),
    ("GET", "/invitations/{invitation_id}"): own(STAFF, "invitation_id"),
    ("POST", "/invitations/{invitation_id}/revoke"): own(STAFF, "invitation_id"),
    ("GET", "/join/{token}"): OPEN,
    ("POST", "/join/{token}"): OPEN,
    # A password-reset link an admin made at the terminal (its token is the key)
    ("GET", "/password-reset/{reset_token}"): OPEN,
    ("POST", "/password-reset/{reset_token}"): OPEN,
    # Data rights and the audit log (issue 17 items 5 and 7): a client's own copy, their
    # deletion and who looked; an admin's log, and export and deletion for a client
    ("GET", "/account/who-looked"): own(),
    ("GET", "/account/data"): own(),
    ("GET", "/account/data/export.json"): own(),
    ("GET", "/account/data/export.zip"): own(),
    ("GET", "/account/data/export.fhir.json"): own(),
    ("POST", "/account/data/delete"): own(),
    ("GET", "/admin/audit"): shared(ADMINS),
    ("GET", "/admin/accounts/{account_id}/data"): clients_data(ADMINS, "account_id"),
    ("GET", "/admin/accounts/{account_id}/data/export.json"): clients_data(ADMINS, "account_id"),
    ("GET", "/admin/accounts/{account_id}/data/export.zip"): clients_data(ADMINS, "account_id"),
    ("GET", "/admin/accounts/{account_id}/data/export.fhir.json"): clients_data(
        ADMINS, "account_id"
    ),
    ("POST", "/admin/accounts/{account_id}/data/delete"): clients_data(ADMINS, "account_id"),
    # A client's own settings and reminder calendar (issue 19 items 3a, 4); the calendar's
    # secret address is open: its token is the key (unknown or revoked: 404)
    ("GET", "/settings"): own(),
    ("POST", "/settings"): own(),
    ("POST", "/settings/calendar"): own(),
    ("POST", "/settings/calendar/revoke"): own(),
    ("GET", "/settings/calendar.ics"): own(),
    ("GET", "/calendar/{feed_token}.ics"): OPEN,
    # Web Push reminders on the person's own devices (issue 19 item 3b)
    ("GET", "/settings/push/key"): own(),
    ("POST", "/settings/push"): own(),
    ("POST", "/settings/push/remove"): own(),
    ("POST", "/settings/push/remove-all"): own(),
    # The installable app (issue 19, item 1): nobody's data, and the browser fetches them
    # without an account (the worker at install, the manifest before any sign-in)
    ("GET", "/manifest.webmanifest"): OPEN,
    ("GET", "/icons/{icon_name}.png"): OPEN,
    ("GET", "/sw.js"): OPEN,
    ("GET", "/offline"): OPEN,
}
"""Every route: (method, path template) -> who may use it. ``/static`` is open."""
