"""The alert rules (issue 18 item 4): what is due, and one key per cause whatever the
records and however often they are read."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sirelief.domain.alerts import (
    LOOKBACK,
    ClientRecords,
    MorningRecord,
    PainRecord,
    StopRecord,
    TooMuchRecord,
    due_alerts,
    quiet_alert,
    read_email,
    read_inactive_days,
)

NOW = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)
JOINED = NOW - timedelta(days=30)


def records(**parts) -> ClientRecords:
    return ClientRecords("cleo", JOINED, **parts)


def keys(found) -> list[str]:
    return [alert.key for alert in found]


def test_each_kind_of_cause_makes_its_alert() -> None:
    day = NOW - timedelta(days=1)
    found = due_alerts(records(
        stops=(StopRecord("s1", day, "emergency"), StopRecord("s2", day, "review")),
        too_much=(TooMuchRecord("e1", day, "tingling"), TooMuchRecord("e2", day, "aching")),
        checkins=(PainRecord("k1", day, 8), PainRecord("k2", day, 7)),
        session_pains=(PainRecord("e3", day, 9), PainRecord("e1", day, 9)),
        mornings=(MorningRecord("a", day - timedelta(days=3), day, False),
                  MorningRecord("b", day - timedelta(days=2), day, False)),
        last_session=day,
    ), NOW, inactive_days=7)  # fmt: skip
    assert sorted(keys(found)) == [
        "high_pain:checkin:k1", "high_pain:event:e3", "nerve_symptoms:event:e1",
        "not_settled:session:b", "red_flag_stop:stop:s1",
    ]  # fmt: skip
    stop = next(a for a in found if a.kind == "red_flag_stop")
    assert "urgent help" in stop.says
    assert "diagnos" not in stop.says


def test_two_unsettled_mornings_alert_once_per_run() -> None:
    def morning(name: str, day: int, settled: bool) -> MorningRecord:
        return MorningRecord(name, NOW - timedelta(days=10 - day), NOW, settled)

    found = due_alerts(records(mornings=(
        morning("a", 0, False), morning("b", 1, False), morning("c", 2, False),
        morning("d", 3, True), morning("e", 4, False), morning("f", 5, False),
    )), NOW, None)  # fmt: skip
    assert sorted(keys(found)) == ["not_settled:session:b", "not_settled:session:f"]


def test_quiet_days_are_keyed_by_when_the_quiet_began() -> None:
    last = NOW - timedelta(days=8)
    assert quiet_alert("c", JOINED, last, 9, NOW) is None
    first = quiet_alert("c", JOINED, last, 7, NOW)
    later = quiet_alert("c", JOINED, last, 3, NOW + timedelta(days=5))
    assert first.key == later.key  # a coach who changes N is not told twice
    assert quiet_alert("c", JOINED, None, 7, NOW).key == "no_sessions:joined"
    assert due_alerts(records(last_session=last), NOW, None) == ()


def test_old_causes_are_not_raised() -> None:
    old = NOW - LOOKBACK - timedelta(seconds=1)
    assert due_alerts(records(checkins=(PainRecord("k", old, 10),)), NOW, None) == ()


@pytest.mark.parametrize("raw", ["0", "366", "-1", "7.5", "seven", "٣", "1e3", "9" * 400])
def test_bad_day_counts_are_refused_naming_the_field(raw: str) -> None:
    with pytest.raises(ValueError, match="Days without a session"):
        read_inactive_days(raw)


@pytest.mark.parametrize(
    "raw", ["sam", "sam@", "@example.org", "sam@example", "a b@example.org",
            "sam@example.org\r\nBcc: x@y.z", "a@b@example.org", "<sam@example.org>",
            "sam@.org", "x" * 250 + "@example.org"],
)  # fmt: skip
def test_bad_emails_are_refused_naming_the_field(raw: str) -> None:
    with pytest.raises(ValueError, match="Email for alerts"):
        read_email(raw)


moments = st.integers(min_value=0, max_value=20 * 24 * 60).map(
    lambda minutes: NOW - timedelta(minutes=minutes)
)
ids = st.sampled_from(["a", "b", "c", "d"])
client_records = st.builds(
    ClientRecords,
    client_id=st.just("cleo"),
    joined_at=moments,
    # Each record is one stored row, so its id is never given twice (the key is made of it).
    stops=st.lists(st.builds(StopRecord, ids, moments,
                             st.sampled_from(["emergency", "same_day", "soon", "review"])),
                   unique_by=lambda s: s.id),
    checkins=st.lists(st.builds(PainRecord, ids, moments, st.integers(0, 10)),
                      unique_by=lambda c: c.id),
    session_pains=st.lists(st.builds(PainRecord, ids, moments, st.integers(0, 10)),
                           unique_by=lambda p: p.id),
    too_much=st.lists(st.builds(TooMuchRecord, ids, moments,
                                st.sampled_from([None, "aching", "numbness", "shooting"])),
                      unique_by=lambda t: t.event_id),
    mornings=st.lists(st.builds(MorningRecord, ids, moments, moments, st.booleans()),
                      unique_by=lambda m: m.session_id),  # one answer a session
    last_session=st.none() | moments,
).map(lambda r: ClientRecords(r.client_id, r.joined_at, *(tuple(p) for p in (
    r.stops, r.checkins, r.session_pains, r.too_much, r.mornings)), r.last_session))  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(client_records, st.none() | st.integers(1, 30), st.integers(0, 3 * 24 * 60))
def test_the_same_records_never_give_two_alerts_for_one_cause(records, days, later) -> None:
    found = due_alerts(records, NOW, days)
    assert len(set(keys(found))) == len(found)
    assert due_alerts(records, NOW, days) == found  # read again: the very same alerts
    # Read later, each cause still in the window keeps its key and its words.
    again = {a.key: a for a in due_alerts(records, NOW + timedelta(minutes=later), days)}
    for alert in found:
        if alert.key in again and alert.kind != "no_sessions":
            assert again[alert.key] == alert
    # Given in another order, the records give the same alerts.
    flipped = ClientRecords(records.client_id, records.joined_at, records.stops[::-1],
                            records.checkins[::-1], records.session_pains[::-1],
                            records.too_much[::-1], records.mornings[::-1],
                            records.last_session)  # fmt: skip
    assert set(keys(due_alerts(flipped, NOW, days))) == set(keys(found))
