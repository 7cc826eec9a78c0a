"""Coaches' alerts as use cases (issue 18 item 4): raised right after the client's write,
once per cause for each of the client's coaches, emailed once through a real SMTP server
(aiosmtpd, started here), never lost when the mail server is away, dismissed with who and
when."""

from datetime import UTC, datetime, timedelta

import pytest

from sirelief.domain.access import Actor, Role
from sirelief.domain.checkin import CheckIn
from sirelief.domain.planner import PlanOptions
from sirelief.domain.safety import screen_flags
from sirelief.domain.session import Event
from sirelief.services import ServiceError, Services
from sirelief.settings import Settings
from tests.clock import MovableClock
from tests.services.clinic_support import run_together
from tests.services.clinic_world import PASSWORD, World, clinic_world
from tests.smtp_support import free_port, smtp_server
from tests.storage.scripted import CHECKIN

NOW = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
SAM_MAIL = "sam@example.org"


@pytest.fixture
def port() -> int:
    return free_port()


@pytest.fixture
def services(tmp_path, port: int):
    settings = Settings(data_dir=tmp_path, smtp_host="127.0.0.1", smtp_port=port,
                        smtp_starttls=False, smtp_from="alerts@clinic.example")  # fmt: skip
    services = Services(settings, MovableClock(NOW))
    yield services
    services.close()


@pytest.fixture
def world(services: Services) -> World:
    world = clinic_world(services)
    services.accounts.add_user(Role.COACH, "kim", PASSWORD, clinic="Riverside")
    services.accounts.assign("sam", "cleo")
    services.accounts.assign("kim", "cleo")
    return world


def coach(services: Services, name: str) -> Actor:
    account = next(a for a in services.accounts.list_users() if a.user_name == name)
    assigned = services.accounts.store.assigned_clients(account.id)
    return Actor(account.id, Role.COACH, account.clinic_id, assigned)


def cleo(services: Services, world: World) -> Services:
    return services.for_profile(world.client_account.profile_id)


def start(person: Services, pain: int = 4):
    checkin = CheckIn.model_validate({**CHECKIN.model_dump(), "pain": pain})
    return person.sessions.start(checkin, "kettlebell-smash-reset", PlanOptions(seed=1))


def too_much(person: Services, symptom: str, pain: int = 4) -> str:
    running = start(person)
    at = NOW.timestamp()
    running.record(Event(id="start", at=at, kind="start"))
    while running.state.step.kind != "exercise":
        index = running.state.index
        running.record(Event(id=f"skip{index}", at=at + 1, kind="skip", step=index))
    event = Event(id="tm", at=at + 10, kind="too_much", step=running.state.index, pain=pain,
                  symptom=symptom)  # fmt: skip
    running.record(event)
    running.record(event)  # a retry of the same event
    return running.session_id


def kinds(alerts) -> list[str]:
    return sorted(alert.kind for alert in alerts)


def test_numbness_alerts_each_coach_once_and_emails_the_one_who_asked(
    services: Services, world: World, port: int
) -> None:
    services.alerts.save_settings(coach(services, "sam"), "7", SAM_MAIL)
    with smtp_server(port) as (inbox, _):
        too_much(cleo(services, world), "numbness")
        assert services.alerts.check().raised == 0  # nothing new: raised at the write
    sam, kim = coach(services, "sam"), coach(services, "kim")
    assert kinds(services.alerts.open_for(sam)) == ["nerve_symptoms"]
    assert kinds(services.alerts.open_for(kim)) == ["nerve_symptoms"]
    [mail] = inbox.messages
    assert mail["To"] == SAM_MAIL
    assert mail["From"] == "alerts@clinic.example"
    body = mail.get_payload()
    assert "sign in to see it" in body
    assert "cleo" in body
    assert "numb" not in body.lower()  # what happened stays behind the sign-in
    [alert] = services.alerts.open_for(sam)
    assert "numbness" in alert.says
    assert alert.client_name == "cleo"


def test_pain_of_8_and_a_red_flag_stop_make_alerts(services: Services, world: World) -> None:
    person = cleo(services, world)
    start(person, pain=8)
    stop = screen_flags(["saddle-numbness"], services.safety_rules)
    person.sessions.record_stop(stop)
    assert kinds(services.alerts.open_for(coach(services, "sam"))) == [
        "high_pain", "red_flag_stop",
    ]  # fmt: skip


def test_two_mornings_not_settled_make_one_alert(services: Services, world: World) -> None:
    person = cleo(services, world)
    clock = services.clock
    for day in range(3):
        clock.set(NOW + timedelta(days=day))
        running = start(person)
        running.record(Event(id=f"s{day}", at=clock().timestamp(), kind="start"))
        running.record(Event(id=f"e{day}", at=clock().timestamp() + 5, kind="end"))
        clock.set(NOW + timedelta(days=day, hours=23))
        person.sessions.answer_morning(running.session_id, False, 6)
    sam = coach(services, "sam")
    assert kinds(services.alerts.open_for(sam)) == ["not_settled"]


def test_days_without_a_session_follow_each_coachs_choice(services: Services, world: World) -> None:
    alerts, sam, kim = services.alerts, coach(services, "sam"), coach(services, "kim")
    alerts.save_settings(kim, "", "")  # kim turned them off
    services.clock.set(NOW + timedelta(days=6))
    assert alerts.open_for(sam) == []
    services.clock.set(NOW + timedelta(days=8))
    [quiet] = alerts.open_for(sam)
    assert quiet.kind == "no_sessions"
    assert "No session yet" in quiet.says
    assert alerts.open_for(sam) == [quiet]  # opened again: the same one alert
    assert alerts.check().raised == 0
    assert alerts.open_for(kim) == []


def test_the_check_command_raises_quiet_days_and_retries_unsent_email(
    services: Services, world: World, port: int
) -> None:
    alerts, sam = services.alerts, coach(services, "sam")
    alerts.save_settings(sam, "3", SAM_MAIL)
    start(cleo(services, world), pain=9)  # the mail server is down: the alert stays
    [alert] = alerts.open_for(sam)
    assert alert.sent_at is None
    with smtp_server(port) as (inbox, _):
        services.clock.set(NOW + timedelta(minutes=1))
        summary = alerts.check()
        assert (summary.sent, summary.failed) == (1, 0)
        services.clock.set(NOW + timedelta(days=4))  # the quiet days too, sent at once
        assert alerts.check().raised == 1
        assert alerts.check() == type(summary)(0, 0, 0)
    assert len(inbox.to(SAM_MAIL)) == 2


def test_two_processes_raising_at_once_keep_one_alert_and_send_one_email(
    services: Services, world: World, port: int
) -> None:
    services.alerts.save_settings(coach(services, "sam"), "7", SAM_MAIL)
    start(cleo(services, world), pain=10)  # raised, mail server down
    others = [Services(services.settings, services.clock) for _ in range(3)]
    try:
        with smtp_server(port) as (inbox, _):
            run_together([other.alerts.check for other in others])
            run_together([other.alerts.check for other in others])
    finally:
        for other in others:
            other.close()
    assert len(services.alerts.open_for(coach(services, "sam"))) == 1
    assert len(inbox.messages) == 1


def test_dismissing_records_who_and_when_and_only_the_coachs_own(
    services: Services, world: World
) -> None:
    start(cleo(services, world), pain=8)
    sam, kim = coach(services, "sam"), coach(services, "kim")
    [alert] = services.alerts.open_for(sam)
    assert not services.alerts.dismiss(kim, world.client.user_id, alert.id)  # sam's, not kim's
    assert not services.alerts.dismiss(sam, world.other.user_id, alert.id)  # not about otto
    assert not services.alerts.dismiss(world.admin, world.client.user_id, alert.id)
    assert services.alerts.dismiss(sam, world.client.user_id, alert.id, "10.0.0.9")
    assert not services.alerts.dismiss(sam, world.client.user_id, alert.id)  # once
    assert services.alerts.open_for(sam) == []
    assert len(services.alerts.open_for(kim)) == 1
    [stored] = services.alerts.store.alerts_with_ids([alert.id])
    assert stored.dismissed_at == NOW
    lines = [e for e in services.accounts.audit_log() if e.action == "alert dismissed"]
    assert [(e.actor_id, e.subject_account_id, e.address) for e in lines] == [
        (sam.user_id, world.client.user_id, "10.0.0.9")
    ]
    start(cleo(services, world), pain=8)  # a new cause: a new alert
    assert len(services.alerts.open_for(sam)) == 1


def test_settings_name_every_problem_at_once(services: Services, world: World) -> None:
    with pytest.raises(ServiceError) as caught:
        services.alerts.save_settings(coach(services, "sam"), "0", "not an address")
    assert "Days without a session" in str(caught.value)
    assert "Email for alerts" in str(caught.value)
    with pytest.raises(ServiceError):
        services.alerts.save_settings(world.admin, "7", "")


def test_a_failing_alert_never_breaks_the_clients_write(
    services: Services, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args, **_kwargs):
        raise RuntimeError("the alert store is away")

    monkeypatch.setattr(services.alerts.store, "records_of", broken)
    running = start(cleo(services, world), pain=9)
    assert running.session_id
    monkeypatch.undo()
    assert services.alerts.check().raised == 2  # the check picks it up, for sam and kim


def test_personal_mode_raises_nothing(tmp_path) -> None:
    services = Services(Settings(data_dir=tmp_path), MovableClock(NOW))
    try:
        start(services, pain=10)
        assert services.alerts.check().raised == 0
    finally:
        services.close()


def test_a_batch_of_events_from_the_timer_raises_once_after_it(
    services: Services, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    person = cleo(services, world)
    running = start(person)
    at = NOW.timestamp()
    batch = [Event(id="b-start", at=at, kind="start")]
    plan = running.plan
    first_exercise = next(i for i, step in enumerate(plan.steps) if step.kind == "exercise")
    batch += [Event(id=f"b-skip{i}", at=at + 1, kind="skip", step=i)
              for i in range(first_exercise)]  # fmt: skip
    batch.append(Event(id="b-tm", at=at + 9, kind="too_much", step=first_exercise, pain=9,
                       symptom="shooting"))  # fmt: skip
    told = []
    original = services.alerts.after_write
    monkeypatch.setattr(services.alerts, "after_write", lambda p: told.append(p) or original(p))
    outcome = person.sessions.record_all(running.session_id, batch)
    assert outcome.recorded[-1] == "b-tm"
    assert len(told) == 1
    [alert] = services.alerts.open_for(coach(services, "sam"))
    assert alert.kind == "nerve_symptoms"  # pain 9 with it makes no second alert
