"""Made-up demo history, written through the real use cases.

``fill_demo`` plays the person of ``demo_person`` who checks in, runs each planned step,
answers every check and the next-morning question, exactly as the terminal or the web app
would record them (``Sessions.start``, ``RunningSession.record``,
``Sessions.answer_morning``). Insights, screenshots and tests then have data that went
through the same code as real data.

How demo data is marked: every demo session gets a note, attached to it, that reads
``sirelief demo data (seed N)``. Notes travel with exports, so the marker does too. A
session without such a note is the person's own, and ``fill_demo`` refuses to write
beside one unless ``force`` is given.
"""

import random
from datetime import UTC, datetime, timedelta

from sirelief.domain.checkin import SideRatings
from sirelief.domain.planner import PlanOptions
from sirelief.domain.session import Event
from sirelief.domain.vocabulary import Side
from sirelief.services.container import Services
from sirelief.services.demo_person import (
    DEMO_FOLDER,
    NOTE_PREFIX,
    PSFS_ACTIVITIES,
    SMASH,
    DemoSummary,
    Scenario,
    Visit,
    baseline_ratings,
    clamp,
    final_ratings,
    mid_ratings,
    morning_after,
    plan_visits,
    psfs_weeks,
)
from sirelief.services.errors import ServiceError
from sirelief.services.psfs import Psfs
from sirelief.services.sessions import RunningSession, Sessions, new_event_id
from sirelief.settings import Settings


# --- playing the visits through the real use cases ----------------------------------------
def run_visit(running: RunningSession, visit: Visit) -> None:
    """Record a person's events, step by step, until the session has ended."""
    rng = random.Random(visit.noise_seed)
    checkin = visit.checkin
    first: Side = running.plan.first_side or "right"
    pain, values = checkin.pain, checkin.tightness.model_dump()

    def record(at: float, kind: str, **fields) -> None:
        step = None if kind == "start" else running.state.index
        running.record(Event(id=new_event_id(), at=round(at, 3), kind=kind, step=step, **fields))

    pause_step = rng.randrange(len(running.plan.steps)) if rng.random() < 0.1 else None
    record(running.created_at.timestamp() + rng.uniform(20, 90), "start")
    while running.state.ended is None:
        state = running.state
        step, started = state.plan.steps[state.index], state.step_started_at or 0.0
        if visit.stop_early and step.block_id == "smash" and step.kind == "exercise":
            at = started + rng.uniform(40, 100)
            record(at, "too_much", pain=max(6, pain + 2), symptom="aching")
            record(at + rng.uniform(8, 25), "too_much_choice", choice="end")
        elif step.assessment is not None:
            asks = step.assessment
            if asks.assess == "baseline":
                values = baseline_ratings(values, tuple(values), rng)
            elif asks.assess == "mid":
                values, pain = mid_ratings(values, first, rng), clamp(pain - rng.choice((0, 0, 1)))
            else:
                values = final_ratings(values, first, rng)
                pain = clamp(pain - rng.choice((0, 1, 1)))
            record(
                started + step.duration_s + rng.uniform(-20, 40), "assessment",
                ratings={region: SideRatings(**values[region]) for region in asks.ratings},
                pain=pain if asks.pain else None,
                knee_to_wall=checkin.knee_to_wall_cm if asks.knee_to_wall else None,
            )  # fmt: skip
        else:
            if state.index == pause_step and state.deadline() is not None:
                paused = started + step.duration_s * 0.4
                record(paused, "pause")
                record(paused + rng.uniform(30, 150), "resume")
            deadline = running.state.deadline()
            jitter = started + step.duration_s + rng.uniform(-5, 15)
            record(deadline if deadline is not None else jitter, "complete")


def demo_session_ids(services: Services) -> set[str]:
    """Ids of the sessions marked as demo data (by their note)."""
    return services.session_log.sessions_noted(NOTE_PREFIX)


def _refuse_unless_empty(services: Services) -> None:
    existing = services.session_log.session_ids()
    if not existing:
        return
    where = services.data.where()
    own = existing - demo_session_ids(services)
    if own:
        count = f"{len(own)} session{'s' if len(own) != 1 else ''} of your own"
        raise ServiceError(
            f"nothing written: {where} already holds {count}, and made-up data would mix "
            "with it; try the demo in its own database with: sirelief serve --demo, or add "
            "--force to write it here anyway"
        )
    raise ServiceError(
        f"nothing written: {where} already holds demo data ({len(existing)} sessions); "
        "add --force to add another copy"
    )


def fill_demo(
    services: Services,
    weeks: int = 12,
    seed: int = 0,
    end: datetime | None = None,
    force: bool = False,
    scenario: Scenario = "typical",
) -> DemoSummary:
    """Write ``weeks`` calendar weeks of demo history, the last one the week of the day
    before ``end`` (default: today, so that week may be short), through the real use cases.

    Refuses (``ServiceError``) a database that already holds sessions unless ``force``.
    """
    if not 1 <= weeks <= 104:
        raise ServiceError("--weeks must be between 1 and 104")
    if seed < 0:
        raise ServiceError("--seed must be 0 or more")
    if end is None:
        end = services.clock().astimezone(services.zone())  # the person's today
    elif end.tzinfo is None:
        end = end.replace(tzinfo=UTC)
    end = end.replace(hour=0, minute=0, second=0, microsecond=0)
    if not force:
        _refuse_unless_empty(services)
    visits = plan_visits(weeks, seed, end, scenario)
    moment = [end]  # the demo's own clock: each visit happens at its own time
    sessions = Sessions(
        services.session_log, services.checkin_store, services.planning,
        clock=lambda: moment[0], zone=services.zone,
    )  # fmt: skip
    note = f"{NOTE_PREFIX} (seed {seed})"
    counts = {"sessions": 0, "checkins": 0, "morning_answers": 0, "stops": 0,
              "stopped_early": 0, "randomised": 0}  # fmt: skip
    for visit in visits:
        options = PlanOptions(seed=visit.plan_seed, randomise_first_side=visit.randomise_first_side)
        moment[0] = visit.at
        running = sessions.start(visit.checkin, visit.routine_id or SMASH, options)
        counts["checkins"] += 1
        if not isinstance(running, RunningSession):
            counts["stops"] += 1
            continue
        counts["sessions"] += 1
        counts["randomised"] += visit.randomise_first_side
        services.session_log.add_note(note, visit.at, running.session_id)
        run_visit(running, visit)
        counts["stopped_early"] += running.state.ended == "stopped"
        if visit.morning:
            rng = random.Random(visit.noise_seed + 1)
            settled, pain = morning_after(visit.checkin.pain, running.state.max_pain, rng)
            if visit.stop_early:
                settled, pain = False, clamp(visit.checkin.pain + 1)
            morning = visit.at.replace(hour=7, minute=0) + timedelta(
                days=1, minutes=rng.randrange(120)
            )
            moment[0] = morning
            sessions.answer_morning(running.session_id, settled, pain)
            counts["morning_answers"] += 1
    counts["psfs_ratings"] = _rate_psfs(services, visits, moment)
    dated = [v.at for v in visits if v.routine_id is not None]
    return DemoSummary(**counts, first=min(dated, default=None), last=max(dated, default=None))


def _rate_psfs(services: Services, visits: list[Visit], moment: list[datetime]) -> int:
    """The weekly PSFS through the real use case: the activities named before the first
    rating, then a rating a week. Returns how many ratings were written."""
    rated = psfs_weeks(visits)
    if not rated:
        return 0
    psfs = Psfs(services.store, lambda: moment[0], services.zone)
    moment[0] = rated[0][0]
    if not psfs.activities():
        psfs.save_activities(PSFS_ACTIVITIES)
    activities = psfs.activities()
    for when, scores in rated:
        moment[0] = when
        answers = {
            f"score_{a.id}": str(score) for a, score in zip(activities, scores, strict=False)
        }
        outcome = psfs.rate(answers)
        if not outcome.done:
            raise ServiceError(f"demo PSFS rating refused: {outcome.errors}")
    return len(rated)


def demo_settings(settings: Settings) -> Settings:
    """The settings of the separate demo database: ``<data folder>/demo``, always SQLite."""
    return settings.model_copy(
        update={"data_dir": settings.data_dir / DEMO_FOLDER, "database_url": None, "demo": True}
    )
