"""``serve --demo``: every page says the data is made up, and how to get back to your own."""

import pytest
from starlette.testclient import TestClient

from sirelief.services.demo import demo_settings
from sirelief.settings import Settings
from sirelief.web.app import create_app
from tests.web.web_support import html

PAGES = ("/", "/checkin", "/history", "/insights", "/routines", "/no-such-page")


@pytest.mark.parametrize("path", PAGES)
def test_every_demo_page_is_marked_as_made_up_with_the_way_back(
    settings: Settings, path: str
) -> None:
    with TestClient(create_app(demo_settings(settings)), base_url="http://127.0.0.1") as client:
        banner = html(client.get(path)).css_first(".demo-banner")
    assert banner is not None
    text = " ".join(banner.text().split())
    assert "made up" in text
    assert "sirelief serve without --demo" in text


def test_your_own_pages_carry_no_demo_mark(client: TestClient) -> None:
    for path in PAGES:
        assert html(client.get(path)).css_first(".demo-banner") is None
