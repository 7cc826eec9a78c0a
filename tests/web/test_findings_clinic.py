"""A clinician's findings in clinic mode (issue 20 item 3): a coach records them for a
client they follow, a client copies their own; each sees who recorded what, and nobody
writes a record for someone they have no business with."""

from collections.abc import Iterator
from contextlib import ExitStack

import pytest

from sirelief.settings import Settings
from tests.web.access_world import World, build_world
from tests.web.web_support import error_text, html, post


@pytest.fixture
def world(settings: Settings) -> Iterator[World]:
    with ExitStack() as stack:
        yield build_world(settings, stack)


def cleo_records(world: World) -> list:
    return world.services.for_profile(world.actors["client"].profile_id).findings.records()


def test_a_coach_records_findings_that_the_client_then_sees(world: World) -> None:
    coach, cleo = world.clients["coach"], world.clients["client"]
    path = f"/clients/{world.client_id}/findings"
    form = html(coach.get(path))
    assert form.css_first(f"form[action='{path}#record']") is not None
    assert form.css_first(".crumbs a").attributes["href"] == f"/clients/{world.client_id}#findings"
    response = post(coach, path, examined_on="2026-11-25", examiner="Dr Rossi",
                    **{"thigh-thrust-right": "positive", "sacral-thrust": "negative"})  # fmt: skip
    assert response.status_code == 303
    (record,) = cleo_records(world)
    assert (record.recorder.account_id, record.recorder.role) == (
        world.actors["coach"].user_id, "coach")  # fmt: skip
    own = html(coach.get(path)).css_first(".findings-list").text()
    assert "Recorded by you" in own
    board = html(coach.get(f"/clients/{world.client_id}")).css_first(".findings-section")
    assert "Thigh thrust test, right side: positive" in board.text()
    assert board.css_first(f"a[href='{path}']") is not None
    theirs = html(cleo.get("/findings")).css_first(".findings-list").text()
    assert "(coach)" in theirs
    assert "Dr Rossi" in theirs
    assert "Sacral thrust test: negative" in theirs


def test_a_clients_own_record_shows_on_the_coach_dashboard_with_their_name(world) -> None:
    cleo, coach = world.clients["client"], world.clients["coach"]
    assert post(cleo, "/findings", examined_on="2026-11-20", fortin="yes",
                fortin_side="right").status_code == 303  # fmt: skip
    assert "Recorded by you" in html(cleo.get("/findings")).css_first(".findings-list").text()
    board = html(coach.get(f"/clients/{world.client_id}")).css_first(".findings-section")
    assert "(the client)" in board.text()
    assert "points within about 1 cm of the PSIS (right)" in board.text()


def test_nobody_writes_findings_for_someone_they_do_not_follow(world: World) -> None:
    path = f"/clients/{world.client_id}/findings"
    form = {"examined_on": "2026-11-20", "distraction": "positive"}
    for who, status in (("other_client", 404), ("idle_coach", 404),
                        ("other_clinic_coach", 404), ("client", 403), ("admin", 403)):  # fmt: skip
        assert post(world.clients[who], path, **form).status_code == status, who
    assert cleo_records(world) == []
    # Cora's own page writes Cora's record, never Cleo's
    assert post(world.clients["other_client"], "/findings", **form).status_code == 303
    assert cleo_records(world) == []
    assert "Nothing recorded yet" in html(world.clients["client"].get("/findings")).text()


def test_a_coach_is_told_which_field_to_fix(world: World) -> None:
    path = f"/clients/{world.client_id}/findings"
    response = post(world.clients["coach"], path, examined_on="2026-13-01",
                    gaenslen_left="x", **{"gaenslen-left": "yes"})  # fmt: skip
    assert response.status_code == 400
    summary = error_text(response)
    assert "as a date" in summary
    assert "Gaenslen test, left side: choose positive, negative or not done" in summary
    assert cleo_records(world) == []
