"""A person's settings read from text (issue 19 item 4): what is accepted, what is refused
and how the refusal names the setting and the fix."""

from datetime import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sirelief.domain.checkin_reader import EQUIPMENT
from sirelief.domain.preferences import (
    DAYS,
    KEYS,
    PreferenceError,
    Preferences,
    known_zones,
    read_days,
    read_form,
    read_time,
    read_time_zone,
    with_setting,
)

preferences = st.builds(
    Preferences,
    voice=st.booleans(),
    voice_name=st.none() | st.text(st.characters(categories=("L", "N", "Zs")), min_size=1,
                                   max_size=40).map(str.strip).filter(bool),
    sound=st.booleans(),
    equipment=st.lists(st.sampled_from(EQUIPMENT), unique=True).map(
        lambda items: tuple(item for item in EQUIPMENT if item in items)),
    time_zone=st.none() | st.sampled_from(sorted(known_zones())),
    randomise_first_side=st.booleans(),
    reminder_days=st.lists(st.integers(0, 6), unique=True).map(lambda d: tuple(sorted(d))),
    reminder_time=st.times().map(lambda t: time(t.hour, t.minute)),
)  # fmt: skip


@given(preferences)
def test_what_is_written_reads_back_the_same(chosen: Preferences) -> None:
    assert Preferences.from_json(chosen.to_json()) == chosen


@given(preferences)
def test_every_setting_set_from_its_own_words_gives_it_back(chosen: Preferences) -> None:
    """What ``sirelief settings set`` takes for each key rebuilds the whole settings."""
    data = chosen.to_json()
    words = {
        "voice": "on" if chosen.voice else "off", "voice-name": chosen.voice_name or "",
        "sound": "yes" if chosen.sound else "no", "equipment": ",".join(chosen.equipment),
        "time-zone": chosen.time_zone or "",
        "randomise-first-side": "true" if chosen.randomise_first_side else "false",
        "reminder-days": ",".join(data["reminder_days"]), "reminder-time": data["reminder_time"],
    }  # fmt: skip
    built = Preferences(voice=not chosen.voice, sound=not chosen.sound, equipment=("wall",),
                        reminder_days=(3,), reminder_time=time(1, 2))  # fmt: skip
    for key in KEYS:
        built = with_setting(built, key, words[key])
    assert built == chosen


@pytest.mark.parametrize("name", ["Europe/London", "America/New_York", "UTC", "Asia/Kolkata"])
def test_a_zone_name_is_kept(name: str) -> None:
    assert read_time_zone(f" {name} ") == name


def test_an_empty_zone_means_the_installations() -> None:
    assert read_time_zone("  ") is None


@pytest.mark.parametrize("folder", ["America", "Europe", "America/Argentina", "Etc"])
def test_a_folder_of_zones_is_refused_with_a_city_to_add(folder: str) -> None:
    with pytest.raises(PreferenceError, match="is a region, not a time zone") as refused:
        read_time_zone(folder)
    assert refused.value.field == "time_zone"
    assert f"like {folder}/" in str(refused.value)


@pytest.mark.parametrize(
    "text", ["Mars/Olympus", "europe/london", "../../etc/passwd", "/etc/localtime", "x" * 300,
             "Europe/London\x00", "America/"],
)  # fmt: skip
def test_anything_else_is_refused_with_an_example(text: str) -> None:
    with pytest.raises(PreferenceError, match="Europe/London") as refused:
        read_time_zone(text)
    assert len(str(refused.value)) < 250


@given(st.text(max_size=80))
def test_a_zone_is_either_known_or_refused_by_name(text: str) -> None:
    try:
        name = read_time_zone(text)
    except PreferenceError as error:
        refused = error
    else:
        assert name is None or name in known_zones()
        return
    assert refused.field == "time_zone"
    assert str(refused).startswith("Time zone: ")


def test_days_read_any_way_a_person_writes_them() -> None:
    assert read_days(["Fri", "monday", "WED", "mon", " "]) == (0, 2, 4)


@pytest.mark.parametrize("word", ["mo", "xyz", "mondays", "7"])
def test_a_word_that_is_no_day_is_named(word: str) -> None:
    with pytest.raises(PreferenceError, match=f"'{word}' is not a day; use mon"):
        read_days([word])


@pytest.mark.parametrize(("text", "read"), [("7:05", time(7, 5)), ("23:59", time(23, 59)),
                                            ("00:00", time(0, 0))])  # fmt: skip
def test_a_time_is_read(text: str, read: time) -> None:
    assert read_time(text) == read


@pytest.mark.parametrize("text", ["24:00", "7pm", "07:60", "07:30:00"])
def test_a_wrong_time_says_how_to_write_it(text: str) -> None:
    with pytest.raises(PreferenceError, match="HH:MM on a 24-hour clock"):
        read_time(text)


def test_an_empty_time_asks_for_one() -> None:
    with pytest.raises(PreferenceError, match="Reminder time: choose a time, like 07:30"):
        read_time(" ")


def test_an_unknown_key_lists_the_known_ones() -> None:
    with pytest.raises(PreferenceError, match="'colour' is not a setting; choose one of voice"):
        with_setting(Preferences(), "colour", "blue")


def test_the_form_names_every_wrong_field_and_saves_nothing() -> None:
    chosen, errors = read_form(
        {"time_zone": "America", "reminder_time": "25:00", "voice_name": "a\nb"},
        {"equipment": ["mat", "trampoline"], "reminder_days": ["mon", "someday"]},
    )
    assert chosen is None
    assert set(errors) == {"time_zone", "reminder_time", "voice_name", "equipment",
                           "reminder_days"}  # fmt: skip
    assert "trampoline" in errors["equipment"]
    assert "someday" in errors["reminder_days"]


def test_an_unticked_box_is_off() -> None:
    chosen, errors = read_form({"reminder_time": "07:30"}, {"reminder_days": DAYS[:2]})
    assert errors == {}
    assert chosen == Preferences(voice=False, sound=False, equipment=(), reminder_days=(0, 1),
                                 reminder_time=time(7, 30))  # fmt: skip
