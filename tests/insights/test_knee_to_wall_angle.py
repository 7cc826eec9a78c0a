"""The phone-measured knee-to-wall angle as a trend: 5 degrees is its measurement error."""

import json
from datetime import UTC, timedelta

from sirelief.cli.report import print_report
from sirelief.domain.insights import build_insights
from tests.insights.support import CATALOGUE, DAY_ONE, session

POINTS = {"baseline": ((3, 7), (2, 5), (4, 6)), "mid": ((3, 4), (2, 4), (4, 5)),
          "final": ((2, 3), (1, 3), (3, 4))}  # fmt: skip
MONDAY = DAY_ONE.date()


def insights(records, days: int, weeks: int = 2):
    return build_insights(
        records, CATALOGUE.exercises.values(), MONDAY + timedelta(days=days), UTC, weeks
    )


def test_a_change_under_five_degrees_is_within_measurement_error() -> None:
    records = [
        session(0, POINTS, knee_to_wall_deg={"left": 30.0, "right": 28.0}),
        session(8, POINTS, knee_to_wall_deg={"left": 34.0, "right": 35.5}),
    ]
    result = insights(records, 9)
    left, right = result.knee_to_wall_deg["left"], result.knee_to_wall_deg["right"]
    assert result.has_knee_to_wall_deg
    assert not result.has_knee_to_wall
    assert (left.unit, left.threshold) == ("degrees", 5.0)
    assert (left.change, left.meaningful) == (4.0, False)
    assert (right.change, right.meaningful) == (7.5, True)
    lines = result.headlines()
    assert "Knee-to-wall shin angle, left side, went from 30.0° to 34.0°: under 5°, within " \
        "measurement error." in lines  # fmt: skip
    assert any(line.startswith("Knee-to-wall shin angle, right side") and "beyond" in line
               for line in lines)  # fmt: skip


def test_the_sessions_own_angle_comes_before_the_checkins() -> None:
    record = session(0, POINTS, knee_to_wall_deg={"left": 20.0, "right": 20.0},
                     measured_deg={"left": 31.5, "right": 29.0})  # fmt: skip
    result = insights([record], 0, weeks=1)
    assert result.knee_to_wall_deg["left"].days[0][1] == 31.5
    assert record.state.assessments[0].knee_to_wall_deg.right == 29.0


def test_the_report_json_carries_the_angle_and_its_threshold() -> None:
    records = [session(d, POINTS, knee_to_wall_deg={"left": 33.0, "right": 31.0}) for d in (0, 1)]
    data = json.loads(json.dumps(insights(records, 1, weeks=1).to_json()))
    assert data["knee_to_wall_mdc_deg"] == 5.0
    assert data["knee_to_wall_deg"]["left"]["unit"] == "degrees"
    assert data["knee_to_wall_deg"]["right"]["days"][0] == {"day": "2026-09-07", "value": 31.0}


def test_the_terminal_report_shows_the_angle_rows(capsys) -> None:
    records = [
        session(0, POINTS, knee_to_wall_deg={"left": 30.0, "right": 28.0}),
        session(8, POINTS, knee_to_wall_deg={"left": 34.0, "right": 35.5}),
    ]
    print_report(insights(records, 9))
    out = capsys.readouterr().out
    assert "Knee-to-wall degrees, left" in out
    assert "5 degrees with the phone" in out
