"""The person's settings go out with their export and come back with its import (issue 19
item 4); files made before settings existed still import; calendar addresses, being keys,
never leave; deleting the person's data removes both."""

import json
from datetime import time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from sirelief.domain.preferences import Preferences
from sirelief.services import ServiceError, Services
from sirelief.settings import Settings
from sirelief.storage.schema import CalendarFeedRow, PreferencesRow
from sirelief.storage.transfer import export_json
from tests.clock import MovableClock

CHOSEN = Preferences(voice=False, voice_name="Daniel", sound=False, equipment=("mat", "wall"),
                     time_zone="Europe/Paris", randomise_first_side=True,
                     reminder_days=(1, 3), reminder_time=time(6, 45))  # fmt: skip


def library(folder: Path, clock: MovableClock | None = None) -> Services:
    return Services(Settings(data_dir=folder, database_url=None), clock or MovableClock())


def exported(source: Services, folder: Path) -> Path:
    path = folder / "export.json"
    path.write_bytes(source.data.export("json"))
    return path


def test_settings_travel_with_the_export_and_a_second_import_adds_nothing(tmp_path: Path) -> None:
    source, target = library(tmp_path / "a"), library(tmp_path / "b")
    source.preferences.save(CHOSEN)
    token = source.preferences.make_feed()
    path = exported(source, tmp_path)
    document = json.loads(path.read_text())
    assert document["preferences"]["time_zone"] == "Europe/Paris"
    assert document["preferences"]["reminder_days"] == ["tue", "thu"]
    assert token not in path.read_text()
    assert "calendar" not in path.read_text()
    added = target.data.import_file(path)
    assert added["preferences"] == 1
    assert target.preferences.current() == CHOSEN
    assert export_json(target.store) == path.read_text()
    assert sum(target.data.import_file(path).values()) == 0
    assert target.calendar_feeds.calendar(token) is None  # the address stayed behind
    source.close()
    target.close()


def test_an_export_made_before_settings_existed_still_imports(tmp_path: Path) -> None:
    source, target = library(tmp_path / "a"), library(tmp_path / "b")
    source.preferences.save(CHOSEN)
    path = exported(source, tmp_path)
    document = json.loads(path.read_text())
    del document["preferences"]
    path.write_text(json.dumps(document))
    added = target.data.import_file(path)
    assert added["preferences"] == 0
    assert target.preferences.current() == Preferences()
    source.close()
    target.close()


def test_settings_saved_later_here_are_kept_over_an_older_file(tmp_path: Path) -> None:
    clock = MovableClock()
    source, target = library(tmp_path / "a", clock), library(tmp_path / "b", clock)
    source.preferences.save(CHOSEN)
    path = exported(source, tmp_path)
    clock.set(clock() + timedelta(days=1))
    target.preferences.set("reminder-days", "sun")
    target.data.import_file(path)
    assert target.preferences.current().reminder_days == (6,)
    source.close()
    target.close()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [("time_zone", "America", r"preferences\.time_zone: Time zone: 'America' is a region"),
     ("reminder_days", ["someday"], r"preferences\.reminder_days: .*'someday' is not a day"),
     ("equipment", ["jetpack"], r"preferences\.equipment: .*'jetpack'"),
     ("reminder_time", "25:61", r"preferences\.reminder_time: .*HH:MM")],
)  # fmt: skip
def test_wrong_settings_in_a_file_are_named_and_nothing_is_written(
    tmp_path: Path, field: str, value, message: str
) -> None:
    source, target = library(tmp_path / "a"), library(tmp_path / "b")
    source.preferences.save(CHOSEN)
    source.preferences.set("reminder-days", "mon")  # a session-free file: the settings only
    path = exported(source, tmp_path)
    document = json.loads(path.read_text())
    document["preferences"][field] = value
    path.write_text(json.dumps(document))
    with pytest.raises(ServiceError, match=message):
        target.data.import_file(path)
    with target.database.read() as tx:
        assert tx.scalar(select(func.count()).select_from(PreferencesRow)) == 0
    source.close()
    target.close()


def test_deleting_my_data_removes_the_settings_and_the_addresses(tmp_path: Path) -> None:
    person = library(tmp_path)
    person.preferences.save(CHOSEN)
    token = person.preferences.make_feed()
    counts = person.data.delete_everything()
    assert (counts["preferences"], counts["calendar_feeds"]) == (1, 1)
    with person.database.read() as tx:
        assert tx.scalar(select(func.count()).select_from(PreferencesRow)) == 0
        assert tx.scalar(select(func.count()).select_from(CalendarFeedRow)) == 0
    assert person.calendar_feeds.calendar(token) is None
    person.close()
