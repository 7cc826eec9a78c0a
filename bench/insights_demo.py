"""The two-year report on the demo person: ``PersonalData.insights(104)`` (what the Insights
page and ``sirelief report --weeks 104`` call) over 104 weeks of demo history
(``fill_demo``, seed 0: 357 sessions, 16,049 events) on SQLite; issue 21 asks for under
300 ms.

Each call's CPU time (``time.process_time``) and wall time, median of ``--runs`` after a
first call, with the load average before and after: on a shared machine CPU time is the
steadier figure. ``make bench-insights`` runs this first.

Run: .venv/bin/python bench/insights_demo.py [--runs 21]   (about 2 min, most of it
     generating the history)
Figures: bench/results/insights_demo.json
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from support import write_results
from tests.clock import MovableClock

from sirelief.services import Services
from sirelief.services.demo import fill_demo
from sirelief.settings import Settings

WEEKS = 104
END = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
"""A fixed Monday: the same history, day for day, in every run."""


def median_ms(seconds: list[float]) -> float:
    return round(statistics.median(seconds) * 1000, 1)


def demo_report(runs: int) -> dict:
    """Generate the history in a temporary folder and time the report ``runs`` times."""
    with tempfile.TemporaryDirectory(prefix="sirelief-demo104-") as folder:
        settings = Settings(data_dir=Path(folder), database_url=None, timezone="UTC")
        library = Services(settings, MovableClock(END))
        fill_demo(library, weeks=WEEKS, seed=0, end=END)
        records = library.session_log.sessions()
        data = library.data
        load_before = os.getloadavg()
        first = time.perf_counter()
        insights = data.insights(WEEKS)
        first = time.perf_counter() - first
        cpu, wall = [], []
        for _ in range(runs):
            started, used = time.perf_counter(), time.process_time()
            data.insights(WEEKS)
            cpu.append(time.process_time() - used)
            wall.append(time.perf_counter() - started)
        library.close()
    return {
        "weeks": WEEKS,
        "sessions": len(records),
        "events": sum(len(record.events) for record in records),
        "sessions_in_report": insights.sessions,
        "first_call_ms": round(first * 1000, 1),
        "cpu_median_ms": median_ms(cpu),
        "cpu_best_ms": round(min(cpu) * 1000, 1),
        "wall_median_ms": median_ms(wall),
        "runs": runs,
        "load_average": {"before": load_before, "after": os.getloadavg()},
    }


def print_figures(figures: dict) -> None:
    print(f"insights({figures['weeks']}) on the {figures['weeks']}-week demo history "
          f"({figures['sessions']} sessions, {figures['events']} events): CPU median "
          f"{figures['cpu_median_ms']} ms (best {figures['cpu_best_ms']}), wall median "
          f"{figures['wall_median_ms']} ms, {figures['runs']} calls, load "
          f"{figures['load_average']['before'][0]:.1f}", flush=True)  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=21, help="timed calls after the first")
    args = parser.parse_args()
    figures = demo_report(args.runs)
    print_figures(figures)
    write_results("insights_demo", figures, "bench/insights_demo.py " + " ".join(sys.argv[1:]))


if __name__ == "__main__":
    main()
