"""The terminal's "I have had this reviewed": ``sirelief safety reviewed|reviews|unreview``
and the hint under review advice in ``sirelief plan``."""

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from sirelief.catalogue.loader import builtin_safety_rules
from tests.cli.runner import run
from tests.cli.test_plan_cli import CHECKIN

BADGE = builtin_safety_rules().advice_for("review").badge
PATTERN = ["morning-stiffness", "second-half-night-waking"]
TODAY = datetime.now(UTC).date()


@pytest.fixture(autouse=True)
def _isolated(settings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")


def plan_text(capsys, tmp_path: Path, flags: list[str]) -> str:
    path = tmp_path / "checkin.json"
    path.write_text(json.dumps({**CHECKIN, "red_flags": flags}))
    status, out, _ = run(capsys, "plan", "--checkin", str(path))
    assert status == 0
    return " ".join(out.split())


def test_the_plan_says_how_to_record_the_review_until_it_is_recorded(capsys, tmp_path) -> None:
    said = plan_text(capsys, tmp_path, PATTERN)
    assert BADGE in said
    assert "sirelief safety reviewed morning-stiffness second-half-night-waking --on" in said
    day = (TODAY - timedelta(days=2)).isoformat()
    status, out, _ = run(capsys, "safety", "reviewed", *PATTERN, "--on", day)
    assert status == 0
    assert f"Recorded: a clinician review on {TODAY - timedelta(days=2):%d %b %Y}" in out
    quiet = plan_text(capsys, tmp_path, [])
    assert BADGE not in quiet
    assert "safety reviewed" not in quiet
    worse = plan_text(capsys, tmp_path, ["morning-stiffness"])
    assert BADGE in worse
    assert "New or worse since your review" in worse
    assert "sirelief safety reviewed morning-stiffness --on" in worse


def test_reviews_list_as_json_and_withdraw(capsys) -> None:
    assert run(capsys, "safety", "reviewed", "no-better-6-weeks")[0] == 0
    status, out, _ = run(capsys, "safety", "reviews", "--json")
    assert status == 0
    document = json.loads(out)
    assert document["format"] == "sirelief.reviews.v1"
    assert [(r["flag"], r["reviewed_on"], r["withdrawn_at"]) for r in document["reviews"]] == [
        ("no-better-6-weeks", TODAY.isoformat(), None)
    ]
    status, out, _ = run(capsys, "safety", "unreview", "no-better-6-weeks")
    assert status == 0
    assert "withdrawn" in run(capsys, "safety", "reviews")[1]
    status, _, err = run(capsys, "safety", "unreview", "no-better-6-weeks")
    assert status != 0
    assert "no standing review for 'no-better-6-weeks'" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["weight-loss"], "only review-level advice is recorded as reviewed"),
        (["made-up"], "unknown red flag 'made-up'"),
        (["no-better-6-weeks", "--on", "last week"], "--on: 'last week' is not a date"),
        (["no-better-6-weeks", "--on", "2999-01-01"], "is in the future"),
    ],
)
def test_a_review_that_cannot_be_recorded_says_why_and_keeps_nothing(capsys, args, message) -> None:
    status, _, err = run(capsys, "safety", "reviewed", *args)
    assert status != 0
    assert message in err
    assert json.loads(run(capsys, "safety", "reviews", "--json")[1])["reviews"] == []


@pytest.mark.parametrize("command", ["reviewed", "reviews", "unreview"])
def test_each_review_command_has_help_with_an_example(capsys, command) -> None:
    status, out, _ = run(capsys, "safety", command, "--help")
    assert status == 0
    assert "Example: sirelief safety" in out
