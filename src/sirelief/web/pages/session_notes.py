"""Writing a note on a session: the person, or a coach who follows them (issue 18 item 5).

The note form sits on the results page; a refused note comes back on that page with the
words typed so far and what to fix, a kept one returns to the notes.
"""

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from sirelief.domain.notes import MAX_NOTE_CHARACTERS
from sirelief.services import ServiceError
from sirelief.web.context import actor_of, context_of
from sirelief.web.pages.sessions import load_record, results_page
from sirelief.web.request_body import read_form, short_text
from sirelief.web.text import sentence

TYPED_LIMIT = 4 * MAX_NOTE_CHARACTERS
"""Longer text is cut before it is checked: still refused as too long, never stored."""


async def write_note(request: Request) -> Response:
    context = context_of(request)
    session_id = request.path_params["session_id"]
    load_record(context, session_id)  # 404 for an unknown session
    form = await read_form(request)
    text = short_text(form, "note", limit=TYPED_LIMIT)
    try:
        context.services.session_notes.write(session_id, text, actor_of(request))
    except ServiceError as refused:
        return results_page(
            request, session_id, 400, note_error=sentence(str(refused)), note_text=text
        )
    return RedirectResponse(f"/sessions/{session_id}/results#notes", status_code=303)


ROUTES = [Route("/sessions/{session_id}/notes", write_note, methods=["POST"])]
