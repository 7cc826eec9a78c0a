"""Hostile share-link tokens and paths (issue 18 item 6): the open routes a link reaches,
asked by strangers and signed-in people alike. Never a 5xx or a traceback; anything but a
working link is 404, word for word the page of an unknown link; a working link with a
hostile figure path is 404 too; the page of a working link shows none of Cleo's data."""

from collections.abc import Iterator
from urllib.parse import quote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.fuzz import strategies as fuzz
from tests.fuzz.clinic_harness import SIGNED_IN, ClinicTarget
from tests.web.web_support import html

pytestmark = pytest.mark.fuzz
FUZZ = settings.get_profile("fuzz")
SHARED_ROUTES = ("/shared/{t}", "/shared/{t}/routine.yaml",
                 "/shared/{t}/figures/figure-four-piriformis/left/start.svg")  # fmt: skip


@pytest.fixture(scope="module")
def clinic(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ClinicTarget]:
    target = ClinicTarget(tmp_path_factory.mktemp("share") / "data")
    yield target
    target.close()


def main_text(response) -> str:
    main = html(response).css_first("main")
    return main.text() if main is not None else ""


def tokens(real: str) -> st.SearchStrategy[str]:
    near = [real[:-1], real + "A", real.upper(), real.lower(), real + "%00", " " + real,
            "A" * 43, "A" * 101, real * 3]  # fmt: skip
    return st.one_of(st.sampled_from(near), fuzz.hostile_text(max_size=120).filter(bool))


@settings(FUZZ)
@given(data=st.data(), who=st.sampled_from(("stranger", *SIGNED_IN)),
       route=st.sampled_from(SHARED_ROUTES))  # fmt: skip
def test_hostile_share_tokens_answer_not_found(clinic: ClinicTarget, data, who, route) -> None:
    real = clinic.world.share_token()
    token = data.draw(tokens(real))
    client = clinic.stranger if who == "stranger" else clinic.clients[who]
    address = route.replace("{t}", quote(token, safe=""))
    response, problems = clinic._send(client, f"as {who}", "GET", address)
    unknown = clinic.stranger.get("/shared/" + "0" * 43)
    if token != real and response.status_code != 404:
        problems.append(f"GET {address[:120]!r} as {who}: {response.status_code}, want 404")
    routed = "/" not in token and token not in (".", "..")  # else another address
    page = route == "/shared/{t}" and routed and response.status_code == 404
    if page and main_text(response) != main_text(unknown):
        problems.append(f"GET {address[:120]!r}: a 404 unlike an unknown link's")
    assert problems == []


@settings(FUZZ)
@given(exercise=fuzz.hostile_text(max_size=60).filter(bool),
       side=st.sampled_from(["left", "right", "up", "..", "%2e"]),
       pose=st.one_of(st.sampled_from(["start", "end"]), fuzz.hostile_text(max_size=20)
                      .filter(bool)))  # fmt: skip
def test_a_working_link_with_a_hostile_figure_path(clinic, exercise, side, pose) -> None:
    token = clinic.world.share_token()
    parts = "/".join(quote(p, safe="") for p in (exercise, side, pose))
    address = f"/shared/{token}/figures/{parts}.svg"
    response, problems = clinic._send(clinic.stranger, "stranger", "GET", address)
    if response.status_code not in (200, 404):
        problems.append(f"GET {address[:120]!r}: {response.status_code}")
    assert problems == []


def test_the_working_link_shows_the_routine_and_nobody(clinic: ClinicTarget) -> None:
    response = clinic.stranger.get(f"/shared/{clinic.world.share_token()}")
    assert response.status_code == 200
    text = response.text.replace("Hips for Cleo", "").replace("hips-for-cleo", "")
    for private in ("cleo", "ada", "Riverside", clinic.world.client_id, clinic.world.session_id):
        assert private not in text
