"""The weekly PSFS goes out with the export and comes back with the import (issue 20 item
2), on SQLite and PostgreSQL; a hostile file (scores out of range, too many activities,
long or multi-line text, an activity line given twice) is refused by place and nothing is
written; deleting the person's data removes it."""

import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from sirelief.services import ServiceError, Services
from sirelief.storage.schema import PsfsActivityRow, PsfsRatingRow
from sirelief.storage.transfer import export_json
from tests.clock import at
from tests.storage import scripted
from tests.storage.test_transfer import fill_psfs, temporary_library


def exported(source: Services, folder: Path) -> dict:
    return json.loads(source.data.export("json"))


def write(folder: Path, document: dict) -> Path:
    path = folder / "export.json"
    path.write_text(json.dumps(document))
    return path


def test_psfs_round_trips_on_each_database(library: Services, tmp_path: Path) -> None:
    source = temporary_library(tmp_path / "source")
    fill_psfs(source)
    document = exported(source, tmp_path)
    assert [a["text"] for a in document["psfs_activities"]] == [
        "Getting into the car", "Walking 30 minutes", "Lifting a box"]  # fmt: skip
    first = document["psfs_ratings"][0]["scores"][0]
    assert (first["activity"], first["score"]) == ("Getting out of the car", 3)  # old words kept
    path = write(tmp_path, document)
    added = library.data.import_file(path)
    assert (added["psfs_activities"], added["psfs_ratings"]) == (3, 2)
    assert [r.mean for r in library.psfs.ratings()] == [4.0, 6.0]
    assert export_json(library.store) == export_json(source.store)
    assert sum(library.data.import_file(path).values()) == 0
    source.close()


def test_a_person_with_activities_keeps_their_own_list(tmp_path: Path) -> None:
    source, target = temporary_library(tmp_path / "a"), temporary_library(tmp_path / "b")
    fill_psfs(source)
    at(target.psfs, scripted.START).save_activities(["Swimming"])
    target.data.import_file(write(tmp_path, exported(source, tmp_path)))
    assert [a.text for a in target.psfs.activities()] == ["Swimming"]
    assert len(target.psfs.ratings()) == 2  # the ratings join, with their own words
    source.close()
    target.close()


def test_an_export_made_before_the_psfs_still_imports(tmp_path: Path) -> None:
    source, target = temporary_library(tmp_path / "a"), temporary_library(tmp_path / "b")
    fill_psfs(source)
    document = exported(source, tmp_path)
    del document["psfs_activities"], document["psfs_ratings"]
    added = target.data.import_file(write(tmp_path, document))
    assert added["psfs_ratings"] == 0
    assert target.psfs.activities() == ()
    source.close()
    target.close()


def _activity(number: int, text: str = "Walking", position: int | None = None) -> dict:
    return {"id": f"act{number}", "position": number if position is None else position,
            "text": text, "created_at": "2026-11-30T09:00:00Z",
            "updated_at": "2026-11-30T09:00:00Z"}  # fmt: skip


def _rating(*scores) -> dict:
    return {"id": "rate1", "rated_at": "2026-11-30T09:00:00Z", "scores": [
        {"activity_id": "act1", "activity": "Walking", "score": s} for s in scores]}  # fmt: skip


@pytest.mark.parametrize(
    ("activities", "ratings", "place", "message"),
    [
        ([], [_rating(11)], r"psfs_ratings\[0\]\.scores\[0\]\.score", "from 0 to 10, not 11"),
        ([], [_rating(-1)], r"psfs_ratings\[0\]\.scores\[0\]\.score", "not -1"),
        ([], [_rating(3.5)], r"psfs_ratings\[0\]\.scores\[0\]\.score", "integer"),
        ([], [_rating(1, 2, 3, 4)], r"psfs_ratings\[0\]\.scores", "at most 3 scores"),
        ([], [_rating()], r"psfs_ratings\[0\]\.scores", "at least one score"),
        ([_activity(n, position=1 + n % 3) for n in range(4)], [], "psfs_activities",
         "at most 3"),
        ([_activity(1, "x" * 5000)], [], r"psfs_activities\[0\]\.text", "under 121 characters"),
        ([_activity(1, "a\nb")], [], r"psfs_activities\[0\]\.text", "one line"),
        ([_activity(1, "   ")], [], r"psfs_activities\[0\]\.text", "Name the activity"),
        ([_activity(1), _activity(2, position=1)], [], r"psfs_activities\[1\]\.position",
         "line 1 is given twice"),
        ([_activity(1, position=7)], [], r"psfs_activities\[0\]\.position", "from 1 to 3"),
        ([_activity(1), {**_activity(2), "id": "act1"}], [], r"psfs_activities\[1\]\.id",
         "used twice"),
    ],
)  # fmt: skip
def test_a_hostile_psfs_is_refused_by_place_and_nothing_is_written(
    tmp_path: Path, activities, ratings, place: str, message: str
) -> None:
    source, target = temporary_library(tmp_path / "a"), temporary_library(tmp_path / "b")
    document = exported(source, tmp_path)
    document["psfs_activities"], document["psfs_ratings"] = activities, ratings
    with pytest.raises(ServiceError, match=place) as refused:
        target.data.import_file(write(tmp_path, document))
    assert message in str(refused.value)
    assert "nothing was imported" in str(refused.value)
    with target.database.read() as tx:
        assert tx.scalar(select(func.count()).select_from(PsfsRatingRow)) == 0
        assert tx.scalar(select(func.count()).select_from(PsfsActivityRow)) == 0
    source.close()
    target.close()


def test_deleting_the_persons_data_removes_the_psfs(library: Services) -> None:
    fill_psfs(library)
    counts = library.data.delete_everything()
    assert (counts["psfs_activities"], counts["psfs_ratings"]) == (3, 2)
    with library.database.read() as tx:
        assert tx.scalar(select(func.count()).select_from(PsfsRatingRow)) == 0


def test_today_asks_again_a_week_after_the_last_rating(library: Services) -> None:
    psfs = at(library.psfs, scripted.START)
    assert psfs.due() == "name"
    fill_psfs(library)
    assert at(psfs, scripted.START + timedelta(days=13)).due() is None
    assert at(psfs, scripted.START + timedelta(days=14)).due() == "rate"
