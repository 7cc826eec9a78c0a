"""'Too much' by symptom survives export and import (SPEC 5.5): the pain, the kind of
symptom and the choice come back; an export written before the new symptoms still imports."""

import json
from pathlib import Path

import pytest

from sirelief.domain.session import Event
from sirelief.domain.too_much import OFFERED_SYMPTOMS
from sirelief.services import Services
from sirelief.settings import Settings
from sirelief.storage.transfer import export_json
from tests.clock import MovableClock
from tests.storage import scripted


def library_in(folder: Path) -> Services:
    return Services(Settings(data_dir=folder, database_url=None), MovableClock())


def too_much_session(library: Services, symptom: str, choice: str, pain: int = 6) -> str:
    running = scripted.start(library.sessions)
    running.record(Event(id=f"{symptom}-start", at=1000.0, kind="start"))
    while running.state.step.kind != "exercise":
        index = running.state.index
        running.record(Event(id=f"{symptom}-skip{index}", at=1001.0, kind="skip", step=index))
    running.record(Event(id=f"{symptom}-tm", at=1010.0, kind="too_much",
                         step=running.state.index, pain=pain, symptom=symptom))  # fmt: skip
    running.record(Event(id=f"{symptom}-ch", at=1012.0, kind="too_much_choice", choice=choice))
    return running.session_id


def told(library: Services, session_id: str) -> list[tuple]:
    return [(e.kind, e.pain, e.symptom, e.choice)
            for e in library.session_log.session(session_id).events
            if e.kind.startswith("too_much")]  # fmt: skip


@pytest.mark.parametrize("symptom", OFFERED_SYMPTOMS)
def test_the_pain_symptom_and_choice_come_back(tmp_path: Path, symptom: str) -> None:
    source, target = library_in(tmp_path / "a"), library_in(tmp_path / "b")
    session_id = too_much_session(source, symptom, "skip", pain=3)
    path = tmp_path / "export.json"
    path.write_bytes(source.data.export("json"))
    document = json.loads(path.read_text())
    [session] = document["sessions"]
    [report] = [r for r in session["pain_reports"] if r["source"] == "too_much"]
    assert report["pain"] == 3
    assert [e["symptom"] for e in session["events"] if e["kind"] == "too_much"] == [symptom]
    target.data.import_file(path)
    assert told(target, session_id) == told(source, session_id) == [
        ("too_much", 3, symptom, None), ("too_much_choice", None, None, "skip")]  # fmt: skip
    assert target.session_log.session(session_id).state.max_pain == 3
    assert export_json(target.store) == path.read_text()
    source.close()
    target.close()


def test_an_export_from_before_the_new_symptoms_still_imports(tmp_path: Path) -> None:
    """Older versions wrote "too_intense", and "sharp" or "numbness" with any choice."""
    source, target = library_in(tmp_path / "a"), library_in(tmp_path / "b")
    too_much_session(source, "sharp", "gentler")
    path = tmp_path / "export.json"
    text = source.data.export("json").decode()
    old = text.replace('"symptom": "sharp"', '"symptom": "too_intense"')
    assert old != text
    path.write_text(old)
    added = target.data.import_file(path)
    assert added["sessions"] == 1
    [record] = target.session_log.sessions()
    assert [e.symptom for e in record.events if e.kind == "too_much"] == ["too_intense"]
    assert record.state.gentler  # an old "too intense" was pain: gentler still applies
    source.close()
    target.close()


def test_an_old_gentler_after_numbness_imports_and_replays_without_it(tmp_path: Path) -> None:
    """Older versions offered "gentler" after numbness; the record is kept as it was, and
    replaying it now leaves the exercise at skip or end."""
    source, target = library_in(tmp_path / "a"), library_in(tmp_path / "b")
    session_id = too_much_session(source, "numbness", "gentler")
    path = tmp_path / "export.json"
    path.write_bytes(source.data.export("json"))
    target.data.import_file(path)
    assert told(target, session_id)[-1] == ("too_much_choice", None, None, "gentler")
    state = target.session_log.session(session_id).state
    assert state.phase == "too_much"
    assert state.gentler == frozenset()
    source.close()
    target.close()
