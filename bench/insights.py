"""How long insights take on a year of history: the report use case and the web page.

Run by hand (never in the test suite): .venv/bin/python bench/insights.py [WEEKS]
"""

import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from starlette.testclient import TestClient

from sirelief.demo import fill_demo
from sirelief.personal_data import PersonalData
from sirelief.services import Library
from sirelief.settings import Settings
from sirelief.web.app import create_app


def best_of(runs: int, action) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def main(weeks: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(data_dir=Path(folder), database_url=None)
        library = Library(settings)
        start = time.perf_counter()
        summary = fill_demo(library, weeks=weeks, seed=0)
        print(f"fill {weeks} weeks: {summary.sessions} sessions in "
              f"{time.perf_counter() - start:.1f} s")  # fmt: skip
        data = PersonalData(library)
        now = datetime.now(UTC)
        for span in (12, weeks):
            seconds = best_of(5, lambda span=span: data.insights(span, now))
            print(f"insights over {span} weeks: {seconds * 1000:.0f} ms (best of 5)")
        library.close()
        with TestClient(create_app(settings)) as client:
            client.get("/")
            for span in (12, 52):
                seconds = best_of(5, lambda span=span: client.get(f"/insights?weeks={span}"))
                size = len(client.get(f"/insights?weeks={span}").content)
                print(f"GET /insights?weeks={span}: {seconds * 1000:.0f} ms, {size // 1024} KB")
            print(f"GET /: {best_of(5, lambda: client.get('/')) * 1000:.0f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 52)
