"""Templates and assignment (issue 18 item 2): a coach keeps versioned templates, their
own and the clinic's shared ones, and assigns a copy of one to a client with a schedule;
the client's plans, routine list and reminders follow it."""

import json
from datetime import time, timedelta

import pytest

from sirelief.domain.access import Actor, Role
from sirelief.domain.plan import Plan
from sirelief.domain.planner import PlanOptions
from sirelief.services import ServiceError, Services
from sirelief.services.coaching import FieldError, NotFoundError
from tests.services.clinic_world import PASSWORD, World, actor, clinic_world
from tests.services.coaching_support import checked, routine_text, with_clients
from tests.storage.scripted import CHECKIN as SCRIPTED


@pytest.fixture
def world(services: Services) -> World:
    world = clinic_world(services)
    services.accounts.assign("sam", "cleo")
    services.accounts.add_user(Role.COACH, "kim", PASSWORD, clinic="Riverside")
    services.accounts.add_clinic("Hillside")
    services.accounts.add_user(Role.COACH, "ben", PASSWORD, clinic="Hillside")
    return world


def coach(services: Services, name: str) -> Actor:
    account = next(a for a in services.accounts.list_users() if a.user_name == name)
    found = actor(account)
    return with_clients(found, *services.accounts_store.assigned_clients(account.id))


def cleo_view(services: Services, world: World) -> Services:
    return services.for_profile(world.client_account.profile_id)


CHECKIN = SCRIPTED.model_copy(update={"pain": 3})


def test_an_upload_makes_a_template_and_a_second_one_a_new_version(services, world) -> None:
    sam = coach(services, "sam")
    first = services.coaching.upload(sam, checked(services, routine_text()))
    second = services.coaching.upload(
        sam, checked(services, routine_text(name="Hips for Cleo, longer"))
    )
    assert (first.version, second.version) == (1, 2)
    assert first.template_id == second.template_id
    view = services.coaching.template(sam, first.template_id)
    assert [v.version for v in view.versions] == [2, 1]
    assert view.shown.name == "Hips for Cleo, longer"
    old = services.coaching.template(sam, first.template_id, version=1)
    assert old.shown.source == routine_text()  # the old version stays readable
    assert view.may_change


def test_a_file_with_problems_is_refused_with_every_problem_counted(services, world) -> None:
    sam = coach(services, "sam")
    bad = routine_text(exercise="no-such-exercise").replace("version: 1", "version: zero")
    with pytest.raises(ServiceError, match=r"and \d+ more"):
        services.coaching.upload(sam, checked(services, bad))
    assert services.coaching.templates(sam) == []


def test_a_built_in_id_is_refused(services, world) -> None:
    with pytest.raises(ServiceError, match="built-in"):
        services.coaching.upload(
            coach(services, "sam"), checked(services, routine_text("gentle-day"))
        )


def test_coaches_see_their_own_and_the_clinics_shared_templates(services, world) -> None:
    sam, kim, ben = (coach(services, name) for name in ("sam", "kim", "ben"))
    version = services.coaching.upload(sam, checked(services, routine_text()))
    assert services.coaching.templates(kim) == []
    with pytest.raises(NotFoundError):
        services.coaching.template(kim, version.template_id)
    services.coaching.set_shared(sam, version.template_id, True)
    assert [t.id for t in services.coaching.templates(kim)] == [version.template_id]
    assert not services.coaching.template(kim, version.template_id).may_change
    with pytest.raises(ServiceError, match="only"):
        services.coaching.set_shared(kim, version.template_id, False)
    assert services.coaching.templates(ben) == []  # another clinic's, shared or not
    with pytest.raises(NotFoundError):
        services.coaching.template(ben, version.template_id)
    assert len(services.coaching.templates(world.admin)) == 1
    with pytest.raises(ServiceError):
        services.coaching.templates(world.client)


def test_an_assignment_copies_the_version_and_the_client_keeps_it(services, world) -> None:
    sam = coach(services, "sam")
    version = services.coaching.upload(sam, checked(services, routine_text()))
    assignment = services.coaching.assign(
        sam, world.client.user_id, version.template_id, None, ["mon", "wed", "fri"], "morning",
        note="Slowly, please.",
    )  # fmt: skip
    services.coaching.upload(sam, checked(services, routine_text(name="Changed later")))
    cleo = cleo_view(services, world)
    current = cleo.from_coach.current()
    assert current is not None
    assert current.assignment.id == assignment.id
    assert current.assignment.name == "Hips for Cleo"  # not the later version
    assert current.assignment.coach_name == "sam"
    assert current.schedule.in_words() == "Mondays, Wednesdays and Fridays, in the morning"
    assert current.assignment.note == "Slowly, please."
    entry = cleo.routines.get("hips-for-cleo")
    assert (entry.origin, entry.routine.name) == ("coach", "Hips for Cleo")


def test_a_new_assignment_replaces_the_old_and_the_history_stays(services, world) -> None:
    sam = coach(services, "sam")
    version = services.coaching.upload(sam, checked(services, routine_text()))
    services.coaching.assign(sam, world.client.user_id, version.template_id, None, ["mon"],
                             "evening")  # fmt: skip
    services.clock.set(services.clock() + timedelta(minutes=5))
    services.coaching.upload(sam, checked(services, routine_text(name="Hips, second")))
    services.coaching.assign(sam, world.client.user_id, version.template_id, None, ["tue"],
                             "at", "07:15")  # fmt: skip
    history = services.coaching.assignments(sam, world.client.user_id)
    assert [(a.name, a.ended_at is None) for a in history] == [
        ("Hips, second", True), ("Hips for Cleo", False),
    ]  # fmt: skip
    assert services.coaching.assignments(world.client, world.client.user_id) == history
    with pytest.raises(NotFoundError):
        services.coaching.assignments(world.other, world.client.user_id)
    assert cleo_view(services, world).from_coach.current().schedule.in_words() == (
        "Tuesdays, at 07:15"
    )


def test_a_coach_assigns_only_to_their_own_clients(services, world) -> None:
    sam, kim, ben = (coach(services, name) for name in ("sam", "kim", "ben"))
    version = services.coaching.upload(sam, checked(services, routine_text()))
    services.coaching.set_shared(sam, version.template_id, True)
    for someone in (kim, ben):
        with pytest.raises(NotFoundError):
            services.coaching.assign(someone, world.client.user_id, version.template_id,
                                     None, ["mon"], "morning")  # fmt: skip
    with pytest.raises(NotFoundError):
        services.coaching.assign(sam, world.other.user_id, version.template_id, None,
                                 ["mon"], "morning")  # fmt: skip
    with pytest.raises(ServiceError, match="coach"):
        services.coaching.assign(world.admin, world.client.user_id, version.template_id,
                                 None, ["mon"], "morning")  # fmt: skip


@pytest.mark.parametrize(
    ("days", "moment", "at", "note", "field"),
    [
        ([], "morning", "", "", "days"),
        (["someday"], "morning", "", "", "days"),
        (["mon"], "night", "", "", "moment"),
        (["mon"], "at", "25:00", "", "time"),
        (["mon"], "at", "", "", "time"),
        (["mon"], "morning", "", "x" * 1001, "note"),
        (["mon"], "morning", "", "bell\x07", "note"),
    ],
)
def test_a_bad_schedule_names_its_field(services, world, days, moment, at, note, field) -> None:
    sam = coach(services, "sam")
    version = services.coaching.upload(sam, checked(services, routine_text()))
    with pytest.raises(FieldError) as refused:
        services.coaching.assign(sam, world.client.user_id, version.template_id, None, days,
                                 moment, at, note)  # fmt: skip
    assert refused.value.field == field
    assert services.coaching.assignments(sam, world.client.user_id) == []


def test_an_unknown_template_or_version_names_its_field(services, world) -> None:
    sam = coach(services, "sam")
    version = services.coaching.upload(sam, checked(services, routine_text()))
    with pytest.raises(FieldError) as refused:
        services.coaching.assign(sam, world.client.user_id, "0" * 32, None, ["mon"], "morning")
    assert refused.value.field == "template"
    with pytest.raises(FieldError) as refused:
        services.coaching.assign(sam, world.client.user_id, version.template_id, 7, ["mon"],
                                 "morning")  # fmt: skip
    assert refused.value.field == "version"


def test_the_plan_uses_the_assigned_version_when_none_is_chosen(services, world) -> None:
    sam = coach(services, "sam")
    version = services.coaching.upload(sam, checked(services, routine_text()))
    services.coaching.assign(sam, world.client.user_id, version.template_id, None, ["mon"],
                             "morning")  # fmt: skip
    services.coaching.upload(sam, checked(services, routine_text(exercise="lower-trunk-rotation")))
    cleo = cleo_view(services, world)
    started = cleo.sessions.start(CHECKIN, None, PlanOptions())
    plan = cleo.sessions.record_of(started.session_id).plan
    assert isinstance(plan, Plan)
    assert plan.routine_id == "hips-for-cleo"
    exercises = {step.exercise_id for step in plan.steps if getattr(step, "exercise_id", None)}
    assert "figure-four-piriformis" in exercises
    assert "lower-trunk-rotation" not in exercises  # the later version was not assigned
    assert any("coach" in reason for reason in plan.reasons)


def test_reminders_follow_the_coach_until_the_person_sets_their_own(services, world) -> None:
    sam = coach(services, "sam")
    version = services.coaching.upload(sam, checked(services, routine_text()))
    services.coaching.assign(sam, world.client.user_id, version.template_id, None,
                             ["mon", "thu"], "at", "07:30")  # fmt: skip
    settings = cleo_view(services, world).preferences
    reminding = settings.reminding()
    assert (reminding.reminder_days, reminding.reminder_time) == ((0, 3), time(7, 30))
    assert settings.reminders_from_coach() is not None
    assert b"BYDAY=MO,TH" in settings.calendar()
    settings.set("reminder-days", "sat")
    assert settings.reminders_from_coach() is None
    assert b"BYDAY=SA" in settings.calendar()


def test_ending_an_assignment_leaves_the_client_without_one(services, world) -> None:
    sam = coach(services, "sam")
    version = services.coaching.upload(sam, checked(services, routine_text()))
    services.coaching.assign(sam, world.client.user_id, version.template_id, None, ["mon"],
                             "morning")  # fmt: skip
    assert services.coaching.end_assignment(sam, world.client.user_id)
    assert cleo_view(services, world).from_coach.current() is None
    assert not services.coaching.end_assignment(sam, world.client.user_id)


def test_push_reminders_follow_the_coach_when_the_person_chose_no_days(services, world) -> None:
    """Monday 2 March 2026: the coach's Monday 09:30 sends one push to a client whose own
    settings name no days."""
    from tests.push_service import BrowserKeys
    from tests.services.test_push_reminders import Recorder

    sam = coach(services, "sam")
    version = services.coaching.upload(sam, checked(services, routine_text()))
    services.coaching.assign(sam, world.client.user_id, version.template_id, None, ["mon"],
                             "at", "09:30")  # fmt: skip
    cleo = cleo_view(services, world)
    cleo.preferences.save(cleo.preferences.current())  # settings saved, no days chosen
    cleo.push_reminders.subscribe(BrowserKeys().subscription("https://push.example/a"))
    sender = services.reminder_sender
    sender.deliver = recorder = Recorder()
    services.clock.set(services.clock().replace(hour=9, minute=30))
    assert sender.send_due().reminders == 1
    assert [endpoint for endpoint, _ in recorder.sent] == ["https://push.example/a"]


def test_the_fhir_record_carries_the_assigned_routine_as_a_care_plan(services, world) -> None:
    sam = coach(services, "sam")
    version = services.coaching.upload(sam, checked(services, routine_text()))
    services.coaching.assign(sam, world.client.user_id, version.template_id, None, ["mon"],
                             "morning")  # fmt: skip
    bundle = json.loads(services.data_rights.export("fhir", world.client_account))
    plans = [e["resource"] for e in bundle["entry"]
             if e["resource"]["resourceType"] == "CarePlan"]  # fmt: skip
    assert [p["title"] for p in plans] == ["Hips for Cleo"]
    assert plans[0]["identifier"][0]["value"] == "hips-for-cleo@1"
    assert plans[0]["activity"]
    services.coaching.end_assignment(sam, world.client.user_id)
    bundle = json.loads(services.data_rights.export("fhir", world.client_account))
    assert "CarePlan" not in {e["resource"]["resourceType"] for e in bundle["entry"]}
