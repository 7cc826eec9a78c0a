"""Lighthouse (mobile profile) on the four pages a person uses most: Today, check-in, the
guided session and Insights: performance and accessibility scores, LCP, TBT, CLS and the
bytes transferred, the median of several runs per page.

The server is a real `sirelief serve` on a fresh data folder holding twelve weeks of demo
history; the session page is a session checked in and started through the app's own forms.
Lighthouse 12 (Node 20; 13 needs Node 22) is installed on first run into bench/.tools/.

Run: make bench-pages   (or: .venv/bin/python bench/pages.py [--runs 5] [--keep DIR])
Figures: bench/results/pages.json
"""

import argparse
import http.cookiejar
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

from support import ROOT, ensure_chromium, running_server, write_results
from tests.clock import MovableClock

from sirelief.services import Services
from sirelief.services.demo import fill_demo
from sirelief.settings import Settings

LIGHTHOUSE_VERSION = "12.8.2"
TOOLS = ROOT / "bench" / ".tools"
LIGHTHOUSE = TOOLS / "node_modules" / ".bin" / "lighthouse"
CHROME_FLAGS = "--headless=new --no-sandbox --disable-background-networking"
TIMER_FLAG = Path("/tmp/sirelief-bench-timer.running")
GOALS = {"performance": 98, "accessibility": 100, "session_transfer_bytes": 60 * 1024}
CHECKIN = {
    "pain": "4", "pain_side": "right",
    "hip_left": "3", "hip_right": "7", "hamstrings_adductors_left": "2",
    "hamstrings_adductors_right": "5", "ankle_left": "4", "ankle_right": "6",
    "minutes": "60", "context": "repair", "routine": "kettlebell-smash-reset",
}  # fmt: skip
EQUIPMENT = ("kettlebell", "mat", "strap", "wall", "band")
SHOWN_PATHS = {"session": "/sessions/<id>/run"}
METRICS = {
    "lcp_ms": "largest-contentful-paint",
    "tbt_ms": "total-blocking-time",
    "cls": "cumulative-layout-shift",
    "transfer_bytes": "total-byte-weight",
}


def ensure_lighthouse() -> Path:
    """The pinned Lighthouse, installed into the gitignored bench/.tools on first use."""
    if not LIGHTHOUSE.exists():
        print(f"installing lighthouse@{LIGHTHOUSE_VERSION} into {TOOLS} ...", flush=True)
        TOOLS.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["npm", "install", "--prefix", str(TOOLS), "--no-audit", "--no-fund",
             "--loglevel=error", f"lighthouse@{LIGHTHOUSE_VERSION}"],
            check=True,
        )  # fmt: skip
    return LIGHTHOUSE


def wait_for_quiet_machine() -> None:
    """The real-time timer benchmark must not share the CPU with Chromium runs."""
    while TIMER_FLAG.exists():
        print(f"{TIMER_FLAG} exists (timer benchmark running); waiting ...", flush=True)
        time.sleep(30)


def started_session(base: str) -> str:
    """Check in and press Start through the app's forms; the guided page's path."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.open(base + "/checkin").read()
    token = next(cookie.value for cookie in jar if cookie.name == "sirelief_csrf")

    def post(path: str, fields: list[tuple[str, str]]) -> str:
        body = urllib.parse.urlencode([("csrf_token", token), *fields]).encode()
        with opener.open(base + path, data=body) as response:  # follows the 303
            return urllib.parse.urlsplit(response.url).path

    form = [*CHECKIN.items(), *(("equipment", item) for item in EQUIPMENT)]
    plan_path = post("/checkin", form)
    session_id = plan_path.rstrip("/").rsplit("/", 1)[-1]
    if not plan_path.startswith("/sessions/"):
        raise RuntimeError(f"the check-in did not lead to a plan (landed on {plan_path})")
    run_path = post(
        f"/sessions/{session_id}/act", [("event_id", f"start-{session_id}"), ("kind", "start")]
    )
    if run_path != f"/sessions/{session_id}/run":
        raise RuntimeError(f"Start did not lead to the guided page (landed on {run_path})")
    return run_path


def lighthouse(url: str, report: Path) -> dict:
    """One Lighthouse run (mobile, simulated throttling: its defaults); the parsed JSON."""
    env = {**os.environ, "CHROME_PATH": str(ensure_chromium())}
    command = [
        str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={report}",
        "--only-categories=performance,accessibility", f"--chrome-flags={CHROME_FLAGS}",
    ]  # fmt: skip
    for attempt in range(1, ATTEMPTS + 1):
        report.unlink(missing_ok=True)
        done = subprocess.run(command, env=env, capture_output=True, text=True)
        if done.returncode == 0 and report.exists():
            return json.loads(report.read_text())
        if attempt < ATTEMPTS and "Please run Lighthouse again" in done.stderr:
            print(f"  Lighthouse could not record the trace on {url}; again", flush=True)
            continue
        raise RuntimeError(f"lighthouse failed on {url}:\n{done.stderr[-2000:]}")
    raise AssertionError("unreachable")


ATTEMPTS = 3
"""Lighthouse sometimes misses the trace's start (NO_NAVSTART) and says to run it again."""


def figures_of(result: dict) -> dict:
    audits = result["audits"]
    scores = {
        name: None if category["score"] is None else round(category["score"] * 100)
        for name, category in result["categories"].items()
    }
    values = {key: audits[audit].get("numericValue") for key, audit in METRICS.items()}
    return {**scores, **values}


def weak_audits(result: dict) -> list[dict]:
    """Audits that cost points, so a miss says why (lowest score first)."""
    weights = {
        ref["id"]: ref.get("weight", 0)
        for category in result["categories"].values()
        for ref in category["auditRefs"]
    }
    weak = []
    for audit in result["audits"].values():
        score, mode = audit.get("score"), audit.get("scoreDisplayMode")
        if score is None or score >= 0.9 or mode in ("informative", "notApplicable", "manual"):
            continue
        weak.append({
            "id": audit["id"], "score": score, "weight": weights.get(audit["id"], 0),
            "display": audit.get("displayValue", ""), "title": audit["title"],
        })  # fmt: skip
    return sorted(weak, key=lambda a: (a["score"], -a["weight"]))


def median_of(runs: list[dict]) -> dict:
    median = {}
    for key in runs[0]:
        values = [run[key] for run in runs if run[key] is not None]
        median[key] = statistics.median(values) if values else None
    for key in ("lcp_ms", "tbt_ms", "transfer_bytes"):
        if median[key] is not None:
            median[key] = round(median[key])
    if median["cls"] is not None:
        median["cls"] = round(median["cls"], 4)
    return median


def goals_of(page: str, median: dict) -> dict:
    met = {
        "performance": (median["performance"] or 0) >= GOALS["performance"],
        "accessibility": (median["accessibility"] or 0) >= GOALS["accessibility"],
    }
    if page == "session":
        met["transfer"] = median["transfer_bytes"] < GOALS["session_transfer_bytes"]
    return met


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="Lighthouse runs per page")
    parser.add_argument("--keep", type=Path, help="keep every Lighthouse JSON report here")
    parser.add_argument("--pages", default="today,checkin,session,insights")
    args = parser.parse_args()
    ensure_chromium()
    ensure_lighthouse()
    with tempfile.TemporaryDirectory(prefix="sirelief-pages-") as folder:
        data_dir = Path(folder) / "data"
        library = Services(Settings(data_dir=data_dir, database_url=None), MovableClock())
        summary = fill_demo(library, weeks=12, seed=0)
        library.close()
        print(f"demo history: {summary.sessions} sessions", flush=True)
        reports = args.keep or Path(folder) / "reports"
        reports.mkdir(parents=True, exist_ok=True)
        with running_server(data_dir) as server:
            paths = {"today": "/", "checkin": "/checkin", "session": started_session(server.url),
                     "insights": "/insights"}  # fmt: skip
            pages = {}
            for page in args.pages.split(","):
                runs, weak = [], []
                for run in range(args.runs):
                    wait_for_quiet_machine()
                    result = lighthouse(server.url + paths[page], reports / f"{page}-{run}.json")
                    runs.append(figures_of(result))
                    weak = weak_audits(result)
                    print(f"{page} run {run + 1}: {runs[-1]}", flush=True)
                median = median_of(runs)
                pages[page] = {
                    "path": SHOWN_PATHS.get(page, paths[page]),
                    "median": median, "goals_met": goals_of(page, median),
                    "runs": runs, "weak_audits_last_run": weak,
                }  # fmt: skip
                print(f"{page} median: {median}", flush=True)
    print_table(pages)
    write_results(
        "pages",
        {"lighthouse": LIGHTHOUSE_VERSION, "form_factor": "mobile (Lighthouse default)",
         "throttling": "simulated (Lighthouse default)", "runs_per_page": args.runs,
         "goals": GOALS, "pages": pages},
        "make bench-pages" if args.runs == 5 else " ".join(["bench/pages.py", *sys.argv[1:]]),
    )  # fmt: skip


def print_table(pages: dict) -> None:
    print(f"\n{'page':<10}{'perf':>6}{'a11y':>6}{'LCP ms':>9}{'TBT ms':>8}{'CLS':>8}{'bytes':>9}")
    for page, figures in pages.items():
        m = figures["median"]
        print(f"{page:<10}{m['performance']:>6}{m['accessibility']:>6}{m['lcp_ms']:>9}"
              f"{m['tbt_ms']:>8}{m['cls']:>8}{m['transfer_bytes']:>9}")  # fmt: skip


if __name__ == "__main__":
    main()
