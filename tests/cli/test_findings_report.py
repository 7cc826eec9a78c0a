"""A clinician's findings in ``sirelief report`` (issue 20 item 3): listed as recorded in
the JSON and the text, with no count and no conclusion."""

import json
from datetime import UTC, datetime, timedelta

from sirelief.services import Services
from sirelief.settings import Settings
from tests.cli.runner import run
from tests.clock import MovableClock


def record_two(settings: Settings) -> None:
    library = Services(settings, MovableClock(datetime.now(UTC)))
    today = datetime.now(UTC).date()
    library.findings.record(today - timedelta(days=40), "Dr Rossi", {"distraction": "positive",
                            "compression": "positive"}, "not-checked", None, None)  # fmt: skip
    library.findings.record(today - timedelta(days=2), None, {"gaenslen-left": "negative"},
                            "yes", "both", None)  # fmt: skip
    library.close()


def test_the_report_json_lists_findings_newest_first(capsys, settings: Settings) -> None:
    record_two(settings)
    status, out, _ = run(capsys, "report", "--json")
    assert status == 0
    findings = json.loads(out)["findings"]
    assert [f["examiner"] for f in findings] == [None, "Dr Rossi"]
    assert findings[0]["results"]["gaenslen-left"] == "negative"
    assert (findings[0]["fortin"], findings[0]["fortin_side"]) == ("yes", "both")
    assert findings[1]["results"]["sacral-thrust"] == "not-done"


def test_the_report_text_repeats_findings_without_a_conclusion(capsys, settings) -> None:
    record_two(settings)
    status, out, _ = run(capsys, "report")
    assert status == 0
    text = " ".join(out.split())
    assert "Recorded findings" in text
    assert "Distraction test: positive" in text
    assert "Fortin finger sign: points within about 1 cm of the PSIS (both)" in text
    assert "does not interpret them" in text
    assert "2 of" not in text
    assert "likely" not in text.lower()


def test_the_report_json_has_an_empty_list_without_findings(capsys, settings) -> None:
    status, out, _ = run(capsys, "report", "--json")
    assert status == 0
    assert json.loads(out)["findings"] == []
