"""How long the report takes as history grows: the insights use case
(``PersonalData.insights``, what the Insights page and ``sirelief report`` call) first over
the 104-week demo history (``insights_demo.py``, the figure issue 21 sets), then over 1, 3
and 10 years of daily sessions on SQLite, and for one person in a 1,000-person PostgreSQL
database against the same person alone; with the time per report, its growth per year of
history, the ``sirelief report`` command end to end, and the database sizes.

History: one made-up person who checks in every day (the demo person's model, every day
instead of 2-5 times a week), played through the real use cases (``Sessions.start``,
``RunningSession.record``, ``answer_morning``) inside a few large transactions instead of a
synced commit per event; exported once (the real export), cut to each length and imported
(the real import, one transaction). The 999 other persons are copies of the measured one
with new ids, bulk-inserted in the shape the import writes. The use case reads at most
104 weeks (``MAX_INSIGHT_WEEKS``), so "whole history" is capped there; the domain alone is
also timed over every session, to show what a longer span would cost.

Run: make bench-insights   (about 25 min: 5 to generate ten years, 9 to copy the persons)
     .venv/bin/python bench/insights.py [--years 1,3,10] [--persons 1000] [--months 3]
     [--runs 5] [--cache DIR]   (--cache keeps the generated history for the next run)
Figures: bench/results/insights.json
"""

import argparse
import contextlib
import dataclasses
import gc
import json
import math
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from functools import cached_property
from pathlib import Path

from insights_demo import demo_report, print_figures
from sqlalchemy import insert, text
from sqlalchemy.orm import sessionmaker
from support import installed_env, postgres_database, sirelief_command, write_results
from tests.clock import MovableClock, at

from sirelief.domain.checkin import CheckIn
from sirelief.domain.insights import build_insights
from sirelief.domain.planner import PlanOptions
from sirelief.domain.records import SessionRecord
from sirelief.services import Services
from sirelief.services.demo import run_visit
from sirelief.services.demo_person import (
    CONTEXT,
    EQUIPMENT,
    MINUTES,
    MORNING,
    RANDOMISED_SHARE,
    RED_FLAG,
    ROUTINE_SHARES,
    ROUTINES,
    SMASH,
    STRETCHES,
    Visit,
    checkin_tightness,
    clamp,
    knee_to_wall,
    morning_after,
    tightness_answers,
)
from sirelief.services.personal_data import MAX_INSIGHT_WEEKS
from sirelief.services.sessions import RunningSession
from sirelief.settings import Settings
from sirelief.storage.database import Database, Transaction
from sirelief.storage.export_format import ExportDocument
from sirelief.storage.import_check import read_export
from sirelief.storage.schema import (
    AssessmentRow,
    CheckInRow,
    EventRow,
    MorningAnswerRow,
    NoteRow,
    PainReportRow,
    ProfileRow,
    SafetyStopRow,
    SessionRow,
)
from sirelief.storage.store import Store
from sirelief.storage.transfer import export_document, import_document

ZONE = "UTC"
"""Days and weeks in UTC, in this process and in the `sirelief report` it starts."""
SPAN_WEEKS = 12
"""The report's default span (``sirelief report``, the Insights page)."""
COMMIT_EVERY = 200
"""Visits per transaction while generating."""
CLONE_BATCH = 25
"""Persons per transaction while copying."""
TIMER_FLAG = Path("/tmp/sirelief-bench-timer.running")


def wait_for_quiet_machine() -> float:
    """The real-time timer benchmark must not share the CPU with this one; seconds waited."""
    started = time.perf_counter()
    while TIMER_FLAG.exists():
        print(f"{TIMER_FLAG} exists (timer benchmark running); waiting ...", flush=True)
        time.sleep(30)
    return time.perf_counter() - started


# --- a person who checks in every day -----------------------------------------------------
def daily_visits(days: int, seed: int, end: datetime) -> list[Visit]:
    """One check-in a day for ``days`` days up to the day before ``end``, oldest first.

    Pain and tightness follow a slow yearly wave with day-to-day noise; about one day in
    200 answers a red flag (a safety stop, no session) and one smash session in 100 ends
    early with "too much"; 92 % of sessions get a next-morning answer, the last none.
    """
    rng = random.Random(seed)
    first_day = end - timedelta(days=days)
    visits = []
    for day in range(days):
        wave = 0.5 + 0.5 * math.sin(2 * math.pi * day / 365)
        routine_id = rng.choices(ROUTINES, ROUTINE_SHARES)[0]
        hour = {MORNING: 6.75, STRETCHES: rng.choice((12.5, 20.0))}.get(routine_id, 18.0)
        at = first_day + timedelta(days=day, minutes=round(hour * 60) + rng.randrange(90))
        pain = clamp(rng.gauss(2.0 + 2.5 * wave, 0.7))
        smash = routine_id == SMASH
        answers = {
            "pain": pain,
            "tightness": tightness_answers(checkin_tightness(1.0 - wave, 0, rng)),
            "minutes": rng.choice(MINUTES[routine_id]), "equipment": EQUIPMENT[routine_id],
            "context": CONTEXT[routine_id], "pain_side": "right",
        }  # fmt: skip
        if smash and rng.random() < 0.7:
            answers["knee_to_wall_cm"] = knee_to_wall(1.0 - wave, rng).model_dump()
        flagged = rng.random() < 0.005
        if flagged:
            answers["red_flags"] = [RED_FLAG]
        visits.append(Visit(
            at=at, week=day // 7, routine_id=None if flagged else routine_id,
            checkin=CheckIn.model_validate(answers), plan_seed=rng.randrange(2**31),
            noise_seed=rng.randrange(2**31),
            randomise_first_side=smash and rng.random() < RANDOMISED_SHARE,
            stop_early=smash and rng.random() < 0.01,
            morning=not flagged and rng.random() >= 0.08 and day < days - 1,
        ))  # fmt: skip
    return visits


class OneTransaction:
    """Stands in for a ``Database``: every read and write of the store goes through one
    open transaction, committed every ``COMMIT_EVERY`` visits instead of per event."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self.tx: Transaction = sessionmaker(database._write_engine)()
        self.tx.begin()

    def __getattr__(self, name: str):
        return getattr(self.database, name)

    @contextlib.contextmanager
    def read(self) -> Iterator[Transaction]:
        yield self.tx

    @contextlib.contextmanager
    def write(self) -> Iterator[Transaction]:
        """Flushed where the store would commit, so rows go in in the store's order."""
        yield self.tx
        self.tx.flush()

    def commit(self) -> None:
        self.tx.commit()
        self.tx.begin()

    def close(self) -> None:
        self.tx.commit()
        self.tx.close()


class BulkLibrary(Services):
    """The real library, with its store writing through ``OneTransaction``."""

    def __init__(self, settings: Settings, buffer: OneTransaction) -> None:
        super().__init__(settings, MovableClock())
        self.buffer = buffer

    @cached_property
    def store(self) -> Store:
        return Store(self.buffer, clock=self.clock)


def generate(settings: Settings, days: int, seed: int, end: datetime) -> dict:
    """Play ``days`` daily visits through the use cases; the export document of the result."""
    library = Services(settings, MovableClock())
    buffer = OneTransaction(library.database)
    bulk = BulkLibrary(settings, buffer)
    sessions = bulk.sessions
    for count, visit in enumerate(daily_visits(days, seed, end), start=1):
        options = PlanOptions(seed=visit.plan_seed, randomise_first_side=visit.randomise_first_side)
        running = at(sessions, visit.at).start(visit.checkin, visit.routine_id or SMASH, options)
        if isinstance(running, RunningSession):
            run_visit(running, visit)
            if visit.morning:
                rng = random.Random(visit.noise_seed + 1)
                settled, pain = morning_after(visit.checkin.pain, running.state.max_pain, rng)
                morning = visit.at.replace(hour=7, minute=0) + timedelta(days=1)
                at(sessions, morning).answer_morning(running.session_id, settled, pain)
        if count % COMMIT_EVERY == 0:
            buffer.commit()
            wait_for_quiet_machine()
            print(f"  generated {count} of {days} days", flush=True)
    buffer.close()
    document = export_document(library.store)
    library.close()
    return document


def cut(document: dict, since: datetime) -> dict:
    """The export document with only what happened at or after ``since``."""

    def after(value: str) -> bool:
        return datetime.fromisoformat(value) >= since

    sessions = [s for s in document["sessions"] if after(s["created_at"])]
    kept = {s["id"] for s in sessions}
    return {
        **document,
        "checkins": [c for c in document["checkins"] if after(c["taken_at"])],
        "sessions": sessions,
        "morning_answers": [m for m in document["morning_answers"] if m["session_id"] in kept],
        "safety_stops": [s for s in document["safety_stops"] if after(s["at"])],
        "notes": [n for n in document["notes"] if n["session_id"] in kept or not n["session_id"]],
    }


def history(args: argparse.Namespace, end: datetime) -> dict:
    """The longest history asked for, generated (or read back from ``--cache``)."""
    days = round(max(args.years) * 365)
    cached = args.cache / f"daily-{days}d-seed{args.seed}-{end:%Y%m%d}.json" if args.cache else None
    if cached and cached.exists():
        print(f"reading {cached}", flush=True)
        return json.loads(cached.read_text())
    with tempfile.TemporaryDirectory(prefix="sirelief-gen-") as folder:
        print(f"generating {days} days of daily sessions ...", flush=True)
        started = time.perf_counter()
        document = generate(settings_for(Path(folder)), days, args.seed, end)
        print(f"  {len(document['sessions'])} sessions in "
              f"{time.perf_counter() - started:.0f} s", flush=True)  # fmt: skip
    if cached:
        cached.parent.mkdir(parents=True, exist_ok=True)
        cached.write_text(json.dumps(document))
    return document


# --- timing ------------------------------------------------------------------------------
def settings_for(data_dir: Path, database_url: str | None = None) -> Settings:
    return Settings(data_dir=data_dir, database_url=database_url, timezone=ZONE)


def timed(action: Callable[[], object], runs: int, paused: bool = False) -> dict:
    """The first (cold) call, then best and median of ``runs`` more, in milliseconds;
    ``paused``: with the cycle collector off, as the insights use case runs its parts."""
    wait_for_quiet_machine()

    def once() -> float:
        if paused:
            gc.disable()
        started = time.perf_counter()
        try:
            action()
            return time.perf_counter() - started
        finally:
            gc.enable()

    first = once()
    times = [once() for _ in range(runs)]
    return {
        "first_ms": round(first * 1000, 1),
        "best_ms": round(min(times) * 1000, 1),
        "median_ms": round(statistics.median(times) * 1000, 1),
        "runs": runs,
    }


def report_command(settings: Settings, weeks: int, runs: int) -> dict:
    """`sirelief report --json` end to end (a new process each time, start-up included).

    Byte-compiled as an install would be (support.installed_env).
    """
    env = installed_env(SIRELIEF_DATA_DIR=str(settings.data_dir), SIRELIEF_TIMEZONE=ZONE)
    env.pop("SIRELIEF_DATABASE_URL", None)
    if settings.database_url:
        env["SIRELIEF_DATABASE_URL"] = settings.database_url
    command = [sirelief_command(), "report", "--json", "--weeks", str(weeks)]

    def run() -> None:
        subprocess.run(command, env=env, check=True, capture_output=True)

    return timed(run, runs)


def fresh(records: list[SessionRecord]) -> list[SessionRecord]:
    """The same records without their cached replayed state, so building replays again."""
    return [dataclasses.replace(record) for record in records]


def measure(settings: Settings, now: datetime, runs: int, spans: list[int]) -> dict:
    """The use case per span, split into loading (the store: rows to records) and building
    (the domain: replaying each session's events, then the insights)."""
    library = Services(settings, MovableClock())
    data = library.data
    local = now.astimezone(settings.zone())
    exercises = list(library.catalogue.exercises.values())
    figures = {}
    for weeks in spans:
        insights = at(data, now).insights(weeks)
        since = local - timedelta(weeks=weeks, days=1)
        records = library.session_log.sessions(since=since)
        figures[f"{weeks}_weeks"] = {
            "sessions_in_span": insights.sessions,
            "sessions_loaded": len(records),
            "use_case": timed(lambda w=weeks: at(data, now).insights(w), runs),
            "load": timed(lambda s=since: library.session_log.sessions(since=s), runs, paused=True),
            "build": timed(
                lambda w=weeks, r=records: build_insights(
                    fresh(r), exercises, local.date(), local.tzinfo, w
                ),
                runs,
                paused=True,
            ),
        }  # fmt: skip
        print(f"  {weeks} weeks: {figures[f'{weeks}_weeks']['use_case']}", flush=True)
    library.close()
    return figures


def whole_history(settings: Settings, now: datetime, runs: int) -> dict:
    """Every session through the domain (past the use case's 104-week cap)."""
    library = Services(settings, MovableClock())
    local = now.astimezone(settings.zone())
    exercises = list(library.catalogue.exercises.values())
    records = library.session_log.sessions()
    first = min(r.created_at for r in records)
    weeks = (local.date() - first.astimezone(local.tzinfo).date()).days // 7 + 1
    figures = {
        "weeks": weeks,
        "sessions": len(records),
        "load": timed(lambda: library.session_log.sessions(), max(1, runs // 2), paused=True),
        "build": timed(
            lambda: build_insights(fresh(records), exercises, local.date(), local.tzinfo, weeks),
            max(1, runs // 2),
            paused=True,
        ),
    }
    library.close()
    return figures


# --- databases ---------------------------------------------------------------------------
def load_into(settings: Settings, document: dict) -> dict:
    """The real import (validate, then one transaction); the seconds it took."""
    library = Services(settings, MovableClock())
    started = time.perf_counter()
    builtin = [routine.id for routine in library.builtin_routines]
    parsed = read_export(json.dumps(document))
    added = import_document(library.store, parsed, library.catalogue, builtin)
    seconds = time.perf_counter() - started
    library.close()
    return {"import_s": round(seconds, 2), "sessions": added["sessions"],
            "events": added["events"]}  # fmt: skip


def sqlite_bytes(data_dir: Path) -> int:
    return sum(path.stat().st_size for path in data_dir.glob("sirelief.db*"))


def postgres_bytes(url: str) -> int:
    database = Database(url)
    with database.engine.connect() as connection:
        size = connection.execute(text("SELECT pg_database_size(current_database())")).scalar()
    database.close()
    return int(size)


def new_id() -> str:
    return uuid.uuid4().hex


def copy_of(model: ExportDocument) -> dict[type, list[dict]]:
    """Rows for one more person with the same history: new ids for everything, in the
    shape ``import_document`` writes (so the tables look as if 1,000 people imported)."""
    profile_id = new_id()
    ids: dict[str, str] = {}

    def mapped(old: str | None) -> str | None:
        if old is None:
            return None
        if old not in ids:
            ids[old] = new_id()
        return ids[old]

    rows: dict[type, list[dict]] = {table: [] for table in (
        ProfileRow, CheckInRow, SessionRow, EventRow, AssessmentRow, PainReportRow,
        MorningAnswerRow, SafetyStopRow, NoteRow)}  # fmt: skip
    profile = model.profile.model_dump()
    rows[ProfileRow].append({**profile, "id": profile_id, "is_default": False})
    for checkin in model.checkins:
        rows[CheckInRow].append({**checkin.model_dump(), "id": mapped(checkin.id),
                                 "profile_id": profile_id})  # fmt: skip
    for item in model.sessions:
        fields = item.model_dump(exclude={"events", "assessment_values", "pain_reports"})
        session_id = mapped(item.id)
        rows[SessionRow].append({**fields, "id": session_id, "profile_id": profile_id,
                                 "checkin_id": mapped(item.checkin_id)})  # fmt: skip
        for seq, event in enumerate(item.events, start=1):
            event_id = mapped(event["id"])
            rows[EventRow].append({"id": event_id, "session_id": session_id, "seq": seq,
                                   "at": event["at"], "kind": event["kind"],
                                   "event": {**event, "id": event_id}})  # fmt: skip
        for value in item.assessment_values:
            rows[AssessmentRow].append({**value.model_dump(), "session_id": session_id,
                                        "event_id": mapped(value.event_id)})  # fmt: skip
        for report in item.pain_reports:
            rows[PainReportRow].append({**report.model_dump(), "session_id": session_id,
                                        "event_id": mapped(report.event_id)})  # fmt: skip
    for answer in model.morning_answers:
        rows[MorningAnswerRow].append({**answer.model_dump(), "profile_id": profile_id,
                                       "session_id": mapped(answer.session_id)})  # fmt: skip
    for stop in model.safety_stops:
        rows[SafetyStopRow].append({**stop.model_dump(), "id": mapped(stop.id),
                                    "profile_id": profile_id,
                                    "checkin_id": mapped(stop.checkin_id)})  # fmt: skip
    for note in model.notes:
        rows[NoteRow].append({**note.model_dump(), "id": mapped(note.id),
                              "profile_id": profile_id,
                              "session_id": mapped(note.session_id)})  # fmt: skip
    return rows


def add_people(url: str, document: dict, count: int) -> float:
    """``count`` more persons with this history, in batches; the seconds it took."""
    model = read_export(json.dumps(document))
    database = Database(url)
    started = time.perf_counter()
    for first in range(0, count, CLONE_BATCH):
        started += wait_for_quiet_machine()
        batch = [copy_of(model) for _ in range(min(CLONE_BATCH, count - first))]
        with database.write() as tx:
            for table in batch[0]:
                rows = [row for person in batch for row in person[table]]
                if rows:
                    tx.execute(insert(table), rows)
        done = first + len(batch)
        print(f"  {done} of {count} more persons ({time.perf_counter() - started:.0f} s)",
              flush=True)  # fmt: skip
    with database.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE"))
    database.close()
    return time.perf_counter() - started


# --- the run -----------------------------------------------------------------------------
def history_weeks(document: dict, now: datetime) -> int:
    """Calendar weeks from the first session to ``now``, both included."""
    first = min(datetime.fromisoformat(s["created_at"]) for s in document["sessions"])
    start = first.date() - timedelta(days=first.weekday())
    return (now.date() - start).days // 7 + 1


def on_sqlite(document: dict, years: float, folder: Path, now: datetime, args) -> dict:
    part = cut(document, now.replace(hour=0, minute=0, second=0, microsecond=0)
               - timedelta(days=round(365 * years)))  # fmt: skip
    settings = settings_for(folder / f"{years}y")
    print(f"SQLite, {years} years: importing {len(part['sessions'])} sessions ...", flush=True)
    loaded = load_into(settings, part)
    weeks = history_weeks(part, now)
    spans = sorted({SPAN_WEEKS, min(weeks, MAX_INSIGHT_WEEKS)})
    figures = {
        **loaded,
        "history_weeks": weeks,
        "database_bytes": sqlite_bytes(settings.data_dir),
        "spans": measure(settings, now, args.runs, spans),
        "whole_history_domain": whole_history(settings, now, args.runs),
        "report_command_12_weeks": report_command(settings, SPAN_WEEKS, args.command_runs),
    }
    print(f"  report command: {figures['report_command_12_weeks']}", flush=True)
    return figures


def on_postgresql(document: dict, now: datetime, folder: Path, args) -> dict:
    start = now.replace(hour=0, minute=0, second=0, microsecond=0)
    person = cut(document, start - timedelta(days=round(30.44 * args.months)))
    weeks = history_weeks(person, now)
    spans = sorted({SPAN_WEEKS, min(weeks, MAX_INSIGHT_WEEKS)})
    figures: dict = {"months_per_person": args.months, "sessions_per_person":
                     len(person["sessions"]), "history_weeks": weeks}  # fmt: skip
    with postgres_database() as url:
        settings = settings_for(folder / "pg-alone", url)
        print(f"PostgreSQL, the person alone ({len(person['sessions'])} sessions) ...", flush=True)
        figures["alone"] = {
            **load_into(settings, person),
            "database_bytes": postgres_bytes(url),
            "spans": measure(settings, now, args.runs, spans),
            "report_command_12_weeks": report_command(settings, SPAN_WEEKS, args.command_runs),
        }
    with postgres_database() as url:
        settings = settings_for(folder / "pg-crowd", url)
        print(f"PostgreSQL, the person among {args.persons} ...", flush=True)
        loaded = load_into(settings, person)  # first in, so the default profile
        copying = add_people(url, person, args.persons - 1)
        figures["among_persons"] = {
            "persons": args.persons,
            **loaded,
            "copy_others_s": round(copying, 1),
            "database_bytes": postgres_bytes(url),
            "spans": measure(settings, now, args.runs, spans),
            "report_command_12_weeks": report_command(settings, SPAN_WEEKS, args.command_runs),
        }
    return figures


def growth(sqlite: dict) -> dict:
    """Milliseconds more per year of history for the same span (least squares of the
    use case's median over the sizes whose history is at least that long)."""
    slopes = {}
    for span in sorted({key for figures in sqlite.values() for key in figures["spans"]}):
        points = [(float(size), figures["spans"][span]["use_case"]["median_ms"])
                  for size, figures in sqlite.items() if span in figures["spans"]]  # fmt: skip
        if len(points) >= 2:
            xs, ys = zip(*points, strict=True)
            slopes[span] = round(statistics.linear_regression(xs, ys).slope, 2)
    return {"use_case_ms_per_year": slopes}


def print_table(results: dict) -> None:
    print(f"\n{'database':<28}{'span':>6}{'sessions':>10}{'best ms':>9}{'median':>9}"
          f"{'load':>8}{'build':>8}")  # fmt: skip
    rows = [(f"SQLite {years} y", f) for years, f in results["sqlite"].items()]
    if "postgresql" in results:
        pg = results["postgresql"]
        rows += [
            ("PostgreSQL alone", pg["alone"]),
            (f"PostgreSQL 1 of {pg['among_persons']['persons']}", pg["among_persons"]),
        ]
    for name, figures in rows:
        for span, f in figures["spans"].items():
            print(f"{name:<28}{span.split('_')[0]:>6}{f['sessions_loaded']:>10}"
                  f"{f['use_case']['best_ms']:>9}{f['use_case']['median_ms']:>9}"
                  f"{f['load']['median_ms']:>8}{f['build']['median_ms']:>8}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--years", default="1,3,10", help="history lengths on SQLite")
    parser.add_argument("--persons", type=int, default=1000, help="0 skips PostgreSQL")
    parser.add_argument("--months", type=float, default=3, help="history of each person on PG")
    parser.add_argument("--runs", type=int, default=5, help="timed calls per figure")
    parser.add_argument("--demo-runs", type=int, default=21, help="timed calls, demo history")
    parser.add_argument("--command-runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--cache", type=Path, help="keep (and reuse) the generated history")
    args = parser.parse_args()
    args.years = [float(y) if "." in y else int(y) for y in args.years.split(",")]
    start_load = os.getloadavg()
    wait_for_quiet_machine()
    demo = demo_report(args.demo_runs)
    print_figures(demo)
    now = datetime.now(UTC)
    end = now.replace(hour=0, minute=0, second=0, microsecond=0)
    document = history(args, end)
    results: dict = {"history": {
        "days": round(max(args.years) * 365), "sessions": len(document["sessions"]),
        "events": sum(len(s["events"]) for s in document["sessions"]),
        "model": "one check-in a day; the demo person's routines and answers (bench/insights.py)",
    }, "max_insight_weeks": MAX_INSIGHT_WEEKS, "demo_104_weeks": demo, "sqlite": {}}  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="sirelief-insights-") as name:
        folder = Path(name)
        for years in args.years:
            results["sqlite"][str(years)] = on_sqlite(document, years, folder, now, args)
        results["growth"] = growth(results["sqlite"])
        if args.persons > 0:
            results["postgresql"] = on_postgresql(document, now, folder, args)
    results["load_average"] = {"start": start_load, "end": os.getloadavg()}
    print_table(results)
    print_figures(demo)
    default = args.years == [1, 3, 10] and args.persons == 1000 and args.months == 3
    write_results(
        "insights", results,
        "make bench-insights" if default else "bench/insights.py " + " ".join(sys.argv[1:]),
    )  # fmt: skip


if __name__ == "__main__":
    main()
