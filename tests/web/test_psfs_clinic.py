"""The weekly PSFS in clinic mode: a client names and rates their own activities; their
coach reads the trend on the client's dashboard (and cannot write it); a coach of another
clinic, or another client, never sees it."""

from collections.abc import Iterator
from contextlib import ExitStack
from datetime import timedelta

import pytest

from sirelief.settings import Settings
from tests.web.access_world import World, build_world
from tests.web.test_psfs_pages import activity_ids, name_and_rate
from tests.web.web_support import NOW, html, post


@pytest.fixture
def world(settings: Settings) -> Iterator[World]:
    with ExitStack() as stack:
        yield build_world(settings, stack)


def test_the_client_rates_and_their_coach_reads_the_trend(world: World) -> None:
    cleo = world.clients["client"]
    world.clock.set(NOW - timedelta(weeks=2))
    name_and_rate(cleo, {"Carrying shopping": 3})
    world.clock.set(NOW)
    fields = activity_ids(cleo)
    assert post(cleo, "/psfs/rate", **{fields["Carrying shopping"]: "6"}).status_code == 303
    path = f"/clients/{world.client_id}"
    page = html(world.clients["coach"].get(path))
    assert page.css_first("h2#psfs") is not None
    assert "3.0 → 6.0 (+3.0: beyond measurement error, better)" in page.text()
    assert page.css("a[href='/psfs']") == []  # the coach reads; only the client rates
    for who in ("other_clinic_coach", "other_client", "idle_coach"):
        answer = world.clients[who].get(path)
        assert answer.status_code == 404
        assert "Carrying shopping" not in answer.text
    other = world.clients["other_client"]
    assert "Carrying shopping" not in other.get("/psfs").text  # their own, empty list
    coach = world.clients["coach"]
    assert post(coach, "/psfs/activities", activity_1="x").status_code == 403
