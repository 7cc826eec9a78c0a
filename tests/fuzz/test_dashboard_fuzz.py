"""Hostile input to a client's dashboard (issue 18 item 3): its one query field, ``weeks``,
as every signed-in account, with Cleo's id and hostile ones. Never a 5xx or a traceback;
an unknown id answers 404; a bad ``weeks`` shows the default span."""

from collections.abc import Iterator
from urllib.parse import urlencode

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.fuzz import strategies as fuzz
from tests.fuzz.clinic_harness import SIGNED_IN, ClinicTarget
from tests.web.web_support import html

pytestmark = pytest.mark.fuzz
FUZZ = settings.get_profile("fuzz")


@pytest.fixture(scope="module")
def clinic(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ClinicTarget]:
    target = ClinicTarget(tmp_path_factory.mktemp("dashboard") / "data")
    yield target
    target.close()


weeks_values = st.one_of(
    fuzz.hostile_text(known_bugs=True),
    st.integers(-(10**30), 10**30).map(str),
    st.sampled_from(["4", "52", "53", "0", "12.0", "1e2", " 8", "٣", "²"]),
)


@settings(FUZZ)
@given(data=st.data(), who=st.sampled_from(SIGNED_IN), weeks=weeks_values)
def test_the_dashboard_takes_any_weeks_value(clinic: ClinicTarget, data, who, weeks) -> None:
    client_id = data.draw(clinic.strategies["client_id"])
    query = urlencode({"weeks": weeks})
    problems = clinic.staff_page(who, "/clients/{id}", client_id, query)
    assert problems == []
    if who == "coach" and client_id == clinic.world.client_id:
        page = clinic.clients[who].get(f"/clients/{client_id}?{query}")
        chosen = html(page).css_first('.filters a[aria-current="true"]').text()
        typed = weeks.isascii() and weeks.isdigit() and len(weeks) <= 6  # "08" is 8
        shown = str(int(weeks)) if typed else ""
        expected = shown if shown in ("4", "8", "12", "26", "52") else "12"
        assert chosen == f"{expected} weeks"
