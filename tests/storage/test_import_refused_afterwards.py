"""After a refused import, everything that reads the person's data still works.

Before the import checked records with the live models, a file with one unknown event
kind or a plan that no longer parses was stored, and from then on history, insights and
the report failed on every call.
"""

import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from sirelief.services import ServiceError, Services
from sirelief.settings import Settings
from sirelief.storage.schema import EventRow
from sirelief.storage.transfer import export_json
from tests.cli.runner import run
from tests.clock import MovableClock, at
from tests.storage import scripted
from tests.storage.test_transfer import fill


def _unknown_kind(document: dict) -> None:
    document["sessions"][0]["events"][-1]["kind"] = "dance"


def _plan_without_steps(document: dict) -> None:
    del document["sessions"][0]["plan"]["steps"]


def _checkin_without_tightness(document: dict) -> None:
    del document["checkins"][0]["answers"]["tightness"]


def _infinite_time(document: dict) -> None:
    document["sessions"][0]["events"][1]["at"] = float("inf")


@pytest.mark.parametrize(
    "spoil", [_unknown_kind, _plan_without_steps, _checkin_without_tightness, _infinite_time]
)
def test_history_insights_and_report_work_after_a_refused_import(
    tmp_path: Path, settings: Settings, capsys: pytest.CaptureFixture[str], spoil
) -> None:
    source = Services(Settings(data_dir=tmp_path / "source", database_url=None), MovableClock())
    fill(source, [(25, True, False)], prefix="old")
    document = json.loads(export_json(source.store))
    source.close()
    spoil(document)
    file = tmp_path / "spoilt.json"
    file.write_text(json.dumps(document))

    library = Services(settings, MovableClock())
    fill(library, [(12, None, True)], prefix="mine")
    before = export_json(library.store)
    with pytest.raises(ServiceError, match="nothing was imported"):
        library.data.import_file(file)
    assert export_json(library.store) == before
    data = library.data
    assert len(data.history()) == 1
    now = scripted.START + timedelta(days=3)
    assert at(data, now).insights(12) is not None
    library.close()

    status, _out, err = run(capsys, "import", str(file))
    assert status == 2
    assert err.startswith("error: ")
    for command in (["history"], ["history", "--json"], ["report"], ["report", "--json"]):
        status, _out, err = run(capsys, *command)
        assert status == 0, (command, err)
        assert "Traceback" not in err


def test_a_legacy_infinite_time_is_exported_as_infinity_and_refused_by_name(
    tmp_path: Path, settings: Settings
) -> None:
    """A row kept before times were checked: history still reads it, the export keeps it
    as ``Infinity`` (not ``null``), and importing that export names the event."""
    library = Services(settings, MovableClock())
    fill(library, [(6, None, False)], prefix="old")
    with library.database.write() as tx:
        row = tx.scalars(select(EventRow).order_by(EventRow.seq.desc())).first()
        row.at = float("inf")
        row.event = {**row.event, "at": float("inf"), "id": "legacy id"}
    library.store.forget_profile()
    assert len(library.data.history()) == 1
    exported = export_json(library.store)
    assert '"at": Infinity' in exported
    assert "null" not in exported.split('"events"')[1].split("]")[0]
    file = tmp_path / "legacy.json"
    file.write_text(exported)
    target = Services(Settings(data_dir=tmp_path / "target", database_url=None), MovableClock())
    with pytest.raises(ServiceError) as refused:
        target.data.import_file(file)
    assert "sessions[0].events[5].at: input should be a finite number" in str(refused.value)
    assert "sessions[0].events[5].id: string should match pattern" in str(refused.value)
    target.close()
    library.close()
