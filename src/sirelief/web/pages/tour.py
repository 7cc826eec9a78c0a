"""The first-run tour (issue 19, item 6): three short screens before a person's first
Today, each with a way out; finishing or skipping it ends it for good (``services.tour``).

Plain pages and two plain form buttons: no script, nothing that needs the network beyond
the next page. ``today`` sends a person here while ``tour.due()``.
"""

from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from sirelief.services.tour import ENDINGS
from sirelief.web.context import context_of
from sirelief.web.request_body import read_form, short_text


@dataclass(frozen=True)
class Screen:
    path: str
    template: str
    title: str


SCREENS = (
    Screen("/welcome", "tour_what.html", "What sirelief does"),
    Screen("/welcome/safety", "tour_safety.html", "Safety comes first"),
    Screen("/welcome/compare", "tour_compare.html", "How you tell what helps"),
)


def screen_page(number: int):
    """The handler of screen ``number`` (0-based), with its neighbours' addresses."""
    screen = SCREENS[number]

    async def show(request: Request) -> Response:
        context = context_of(request)
        return context.page(
            request, screen.template, title=screen.title, number=number + 1,
            count=len(SCREENS),
            back=SCREENS[number - 1].path if number > 0 else None,
            next=SCREENS[number + 1].path if number + 1 < len(SCREENS) else None,
        )  # fmt: skip

    return show


async def end(request: Request) -> Response:
    """Skipped or read to the end: either way the tour never comes back."""
    context = context_of(request)
    form = await read_form(request)
    how = short_text(form, "how")
    if how not in ENDINGS:
        return context.refusal(
            request, 400,
            "The tour can end as 'done' or 'skipped' (the field named how). Use the "
            "Skip or Start button on the tour's page.",
        )  # fmt: skip
    context.services.tour.end(how)
    return RedirectResponse("/", status_code=303)


ROUTES = [
    *(Route(screen.path, screen_page(i)) for i, screen in enumerate(SCREENS)),
    Route("/welcome/end", end, methods=["POST"]),
]
