"""What a server process keeps drawn (session pages' parts, dashboard charts, list lines)
stays bounded: the oldest goes first once the most are kept."""

from sirelief.settings import Settings
from sirelief.web.context import WebContext


def test_what_is_kept_drawn_lets_the_oldest_go(settings: Settings) -> None:
    context = WebContext(settings)
    kept: dict[str, str] = {}
    for key in "abcd":
        context.keep_drawn(kept, key, key.upper(), 3)
    assert kept == {"b": "B", "c": "C", "d": "D"}
