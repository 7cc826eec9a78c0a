"""The Insights page in process: every section for the demo data, the empty state, bad input."""

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from starlette.testclient import TestClient

from sirelief.services import Services
from sirelief.services.demo import fill_demo
from sirelief.settings import Settings
from sirelief.web.app import create_app
from tests.clock import MovableClock
from tests.web.web_support import html

END = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)  # a Monday


def demo_client(settings: Settings, scenario: str = "typical") -> Iterator[TestClient]:
    library = Services(settings, MovableClock())
    fill_demo(library, weeks=12, seed=0, end=END, scenario=scenario)
    library.close()
    app = create_app(settings, clock=lambda: END)
    with TestClient(app, base_url="http://127.0.0.1:8000") as client:
        yield client


@pytest.fixture(scope="module")
def demo_settings(tmp_path_factory) -> Settings:
    settings = Settings(data_dir=tmp_path_factory.mktemp("demo"), database_url=None)
    library = Services(settings, MovableClock())
    fill_demo(library, weeks=12, seed=0, end=END)
    library.close()
    return settings


@pytest.fixture(scope="module")
def page(demo_settings: Settings):
    app = create_app(demo_settings, clock=lambda: END)
    with TestClient(app, base_url="http://127.0.0.1:8000") as client:
        response = client.get("/insights")
    assert response.status_code == 200
    return html(response)


def test_every_section_is_there_for_the_demo_data(page) -> None:
    ids = {node.attributes.get("id") for node in page.css("h2, h3")}
    assert {"helps", "trends", "ankle", "effort", "morning"} <= ids
    charts = page.css("svg.chart")
    # effects, pain, PSFS, 3 tightness, knee-to-wall, sessions, minutes: each wide and narrow
    assert len(charts) == 18
    named = [svg.attributes["aria-labelledby"].split() for svg in charts]
    labels = [i for pair in named for i in pair]
    assert len(set(labels)) == 36, "every drawing names itself with its own ids"
    ids = [node.attributes["id"] for node in page.css("[id]")]
    assert len(ids) == len(set(ids)), "no id twice on the page"
    assert set(labels) <= set(ids)


def test_every_chart_is_drawn_wide_and_narrow(page) -> None:
    for card in page.css("section.chart-card"):
        (wide,) = card.css(".chart-frame > .chart-wide > svg.chart")
        (narrow,) = card.css(".chart-frame > .chart-narrow > svg.chart")
        assert wide.attributes["viewBox"].split()[2] == "600"
        assert narrow.attributes["viewBox"].split()[2] == "340"
        wide_id = wide.attributes["aria-labelledby"].split()[0].removesuffix("-title")
        assert (
            narrow.attributes["aria-labelledby"] == f"{wide_id}-narrow-title {wide_id}-narrow-desc"
        )
        assert wide.css_first("title").text() == narrow.css_first("title").text()


def test_every_chart_has_words_and_a_table(page) -> None:
    for card in page.css("section.chart-card"):
        assert card.css_first("h3").text().strip()
        assert card.css_first("p").text().strip()
        svg = card.css_first("svg.chart")
        assert svg.attributes["role"] == "img"
        assert svg.css_first("title").text().strip()
        table = card.css_first("details table")
        assert table is not None, card.css_first("h3").text()
        assert table.css("tbody tr")


def test_the_effects_say_what_was_felt_in_plain_words(page) -> None:
    """SPEC 5.10: felt less tight than the side that waited; never "lowered" or "helps"."""
    text = " ".join(page.css_first("main").text().split())
    assert "Kettlebell hip flexor smash: your worked side" in text
    assert "less tight in the front of the hip than the side that waited" in text
    assert "95% interval" in text
    assert "no clear difference in hamstring and inner-thigh tightness yet" in text
    assert "lowered" not in text
    assert "A trend does not show what caused it" in text
    assert "borrowed from research on pain scores" in text
    trust = [d for d in page.css("details.card") if "How far to trust" in d.text()]
    assert trust
    assert "open" in trust[0].attributes
    rows = page.css("#effects-heading ~ details tbody tr")
    verdicts = {row.css("td")[3].text() for row in rows}
    assert "Felt less tight" in verdicts
    assert not [v for v in verdicts if "Helps" in v]
    assert "No clear effect yet" in verdicts


def test_trends_mention_the_thresholds(page) -> None:
    text = " ".join(page.css_first("main").text().split())
    assert "±2 from week one: measurement error" in text
    assert "±2 points: measurement error" in text
    assert "±2 cm" in text
    assert "Pain settled by the next morning after" in text
    assert "gains level off" in text


def test_a_longer_knee_to_wall_distance_reads_as_better(page) -> None:
    summary = page.css_first("#knee-to-wall-heading ~ p").text()
    assert "beyond measurement error, better" in summary  # the demo's ankles free up ~3 cm
    assert "worse" not in summary


def test_lower_tightness_reads_as_better(page) -> None:
    summary = page.css_first("#tightness-hip-heading ~ p").text()
    assert "beyond measurement error, better" in summary
    assert "worse" not in summary


def test_no_warning_when_pain_is_not_climbing(page) -> None:
    assert page.css_first(".caution") is None


def test_pain_climbing_two_weeks_running_says_see_a_clinician(settings: Settings) -> None:
    client = next(demo_client(settings, scenario="worsening"))
    doc = html(client.get("/insights"))
    warning = doc.css_first(".caution")
    assert warning is not None
    text = " ".join(warning.text().split())
    assert "gone up two weeks running" in text
    assert "clinician" in text
    assert "not a diagnosis" in text
    assert text.count("physiotherapist or doctor") == 1  # the advice, said once
    heading = warning.css_first("h2").text()
    assert heading == "Pain and tightness have risen two weeks running"
    in_short = doc.css_first("[aria-labelledby='headline-title']").text()
    assert "two weeks running" not in in_short  # said once, in the warning


def test_an_empty_history_invites_a_first_session(client) -> None:
    doc = html(client.get("/insights"))
    assert "Nothing to show yet" in doc.css_first("main").text()
    assert doc.css_first("a[href='/checkin']") is not None
    assert not doc.css("svg.chart")


@pytest.mark.parametrize("weeks", ["4", "26", "52"])
def test_a_chosen_time_span(demo_settings: Settings, weeks: str) -> None:
    app = create_app(demo_settings, clock=lambda: END)
    with TestClient(app, base_url="http://127.0.0.1:8000") as client:
        doc = html(client.get(f"/insights?weeks={weeks}"))
    assert f"The last {weeks} weeks" in doc.css_first(".lead").text()
    current = doc.css_first("nav[aria-label='Time span'] a[aria-current='true']")
    assert current.text() == f"{weeks} weeks"


@pytest.mark.parametrize("weeks", ["7", "0", "-1", "lots", "9" * 40])
def test_a_bad_time_span_is_explained_not_a_crash(client, weeks: str) -> None:
    response = client.get("/insights", params={"weeks": weeks})
    assert response.status_code == 400
    doc = html(response)
    assert "Choose one of 4, 8, 12, 26, 52 weeks" in doc.css_first(".error").text()
    assert "The last 12 weeks" in doc.css_first(".lead").text()


def test_the_nav_links_to_insights(client) -> None:
    doc = html(client.get("/insights"))
    link = doc.css_first("nav[aria-label='Main'] a[href='/insights']")
    assert link.attributes.get("aria-current") == "page"


def test_today_warns_when_pain_climbs_and_links_to_insights(settings: Settings) -> None:
    client = next(demo_client(settings, scenario="worsening"))
    doc = html(client.get("/"))
    warning = doc.css_first(".caution")
    assert warning is not None
    assert "gone up two weeks running" in warning.text()
    assert warning.css_first("a[href='/insights']") is not None


def test_today_is_calm_when_nothing_climbs(demo_settings: Settings) -> None:
    app = create_app(demo_settings, clock=lambda: END)
    with TestClient(app, base_url="http://127.0.0.1:8000") as client:
        doc = html(client.get("/"))
    assert doc.css_first(".caution") is None
