"""The long fuzz run (``make fuzz``): the strategies of tests/fuzz, 100,000 inputs or more.

Each input goes through the same checks as the tests (tests/fuzz/harness.py): a response
of 500 or more, a traceback in a body or on the CLI's standard error, a refused request that
changed the stored data, or accepted data that history, report, export or re-import cannot
read back. The "clinic" inputs (tests/fuzz/clinic_harness.py) sign in and out, ask the staff
pages and the guarded routes as every kind of account; a redirect off-site is a problem too.
Here they are counted instead of failing, with a few samples of each. Work is split in
chunks of a few hundred inputs, each on a fresh data folder, over all CPUs.

    .venv/bin/python bench/fuzz.py [--inputs 100000] [--workers 2] [--without-known-bugs]

``--without-known-bugs`` leaves out the inputs of bugs fixed on other branches of issue 14
(see tests/fuzz/strategies.py); by default every strategy runs.
"""

import argparse
import json
import multiprocessing
import os
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from support import ROOT, write_results

sys.path.insert(0, str(ROOT))

CHUNK = 400
"""Inputs per fresh data folder (the pages read back get slower as the data grows)."""
READ_BACK_EVERY = 10
"""Read back through history, report, export and re-import after every 10th accepted write
(the tests do it after every one)."""
SHARES = {"check-in": 3, "act": 3, "morning": 1, "events": 4, "get": 4, "routine": 2,
          "import": 1, "clinic": 3}  # fmt: skip
SAMPLES = 5


def _run_chunk(job: tuple[str, int, bool, int]) -> dict:
    kind, count, known_bugs, seed = job
    if kind == "clinic":
        return _run_clinic_chunk(count, seed)
    known_bugs = known_bugs and seed % 10 == 0  # one chunk in ten: most inputs test the rest
    from hypothesis import strategies as st
    from tests.fuzz import strategies as fuzz
    from tests.fuzz.harness import Target, builtin_routine_documents, dump_yaml

    problems: list[str] = []
    with tempfile.TemporaryDirectory() as folder:
        os.environ["SIRELIEF_DATA_DIR"] = folder
        os.environ.pop("SIRELIEF_DATABASE_URL", None)
        target = Target(Path(folder) / "data", read_back_every=READ_BACK_EVERY)
        session = {"id": target.start_session()}
        export = None
        if kind == "import":  # some data to mutate: a session with events
            clock = target.session_clock(session["id"])
            events = [{"id": f"event{i:04d}", "at": clock + i, "kind": "complete", "step": i}
                      for i in range(40)]  # fmt: skip
            target.client.post(f"/sessions/{session['id']}/events",
                               json={"events": events}, headers=target.headers())  # fmt: skip
            export = json.loads(target.export())

        # Every strategy is built once per chunk, not once per input: building one
        # validates it, and Hypothesis reads the source of each filter's lambda.
        if kind == "check-in":
            form = fuzz.checkin_form(known_bugs, ["si-joint-stretches"])
        elif kind == "act":
            form = fuzz.act_form(known_bugs)
        elif kind == "morning":
            form = fuzz.morning_form(known_bugs)
        elif kind == "events":
            bodies = [fuzz.event_body(target.epoch, known_bugs)]
            if known_bugs:
                bodies += [fuzz.surrogate_ids()]
            body = st.one_of(*bodies)
        elif kind == "get":
            address = fuzz.get_request(known_bugs)
        elif kind == "routine":
            routine = fuzz.routine_text(builtin_routine_documents(), dump_yaml)
            action = st.sampled_from(["check", "add"])
        else:
            document = fuzz.import_document(export)
        coin, tenth, twentieth = st.booleans(), st.integers(0, 9), st.integers(0, 19)

        def fresh_session(fresh: bool) -> str:
            if fresh:
                session["id"] = target.start_session()
            return session["id"]

        def probe(data) -> None:
            if kind == "check-in":
                found = target.write("check-in", "POST", "/checkin",
                                     data.draw(coin), data=data.draw(form))  # fmt: skip
            elif kind == "act":
                sid = fresh_session(data.draw(tenth) == 0)
                found = target.write("act", "POST", f"/sessions/{sid}/act", data=data.draw(form))
            elif kind == "morning":
                found = target.write("morning", "POST", "/morning", data=data.draw(form))
            elif kind == "events":
                sid = fresh_session(data.draw(tenth) == 0)
                found = target.write("events", "POST", f"/sessions/{sid}/events",
                                     content=data.draw(body),
                                     headers={"content-type": "application/json"})  # fmt: skip
            elif kind == "get":
                found = target.get(data.draw(address))
            elif kind == "routine":
                text = data.draw(routine)
                files = {"file": ("mine.yaml", text.encode("utf-8"), "application/yaml")}
                found = target.write("routine", "POST", "/routines",
                                     data={"action": data.draw(action)}, files=files)  # fmt: skip
                if data.draw(twentieth) == 0:  # the CLI takes a second to start
                    found += target.check_routine_with_cli(text)
            else:
                found = target.import_file(json.dumps(data.draw(document)))
            problems.extend(found)

        _generate(probe, count, seed)
        target.close()
    return _counts(kind, target, problems)


def _run_clinic_chunk(count: int, seed: int) -> dict:
    """Clinic mode (tests/fuzz/clinic_harness.py): signing in and out, the staff pages,
    session routes with hostile ids as every kind of account, hostile login cookies."""
    from tests.fuzz.clinic_harness import ClinicTarget

    problems: list[str] = []
    with tempfile.TemporaryDirectory() as folder:
        target = ClinicTarget(Path(folder) / "data")
        _generate(lambda data: problems.extend(target.any_probe(data)), count, seed)
        target.close()
    return _counts("clinic", target, problems)


def _generate(probe, count: int, seed: int) -> None:
    """``probe(data)`` on ``count`` inputs Hypothesis generates from ``seed``."""
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as hypothesis_seed
    from hypothesis import strategies as st

    run = settings(
        max_examples=count, deadline=None, database=None, phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )(given(st.data())(probe))  # fmt: skip
    hypothesis_seed(seed)(run)()


def _counts(kind: str, target, problems: list[str]) -> dict:
    return {
        "kind": kind,
        "inputs": target.inputs,
        "server_errors": target.server_errors,
        "tracebacks": target.tracebacks,
        "accepted": target.accepted,
        "problems": problems,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--without-known-bugs", action="store_true")
    options = parser.parse_args()
    known_bugs = not options.without_known_bugs
    total_share = sum(SHARES.values())
    jobs = []
    for kind, share in SHARES.items():
        wanted = -(-options.inputs * share // total_share)
        jobs += [(kind, CHUNK, known_bugs, len(jobs) + i) for i in range(-(-wanted // CHUNK))]
    started = time.monotonic()
    totals: Counter = Counter()
    by_kind: dict[str, Counter] = {}
    samples: dict[str, list[str]] = {}
    # Not multiprocessing.Pool: its workers are daemons, and a daemon may not start the
    # child process that checks an uploaded routine (every upload answered 500).
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(options.workers, mp_context=spawn) as pool:
        futures = [pool.submit(_run_chunk, job) for job in jobs]
        for done, future in enumerate(as_completed(futures), 1):
            result = future.result()
            counts = Counter({k: result[k] for k in ("inputs", "server_errors", "tracebacks",
                                                     "accepted")})  # fmt: skip
            totals.update(counts)
            by_kind.setdefault(result["kind"], Counter()).update(counts)
            totals["problems"] += len(result["problems"])
            by_kind[result["kind"]]["problems"] += len(result["problems"])
            for problem in result["problems"]:
                kept = samples.setdefault(problem.split(":")[0], [])
                if len(kept) < SAMPLES:
                    kept.append(problem[:300])
            print(f"{done}/{len(jobs)} chunks, {totals['inputs']} inputs, "
                  f"{totals['server_errors']} 5xx, {totals['tracebacks']} tracebacks",
                  flush=True)  # fmt: skip
    figures = {
        "inputs": totals["inputs"],
        "server_errors": totals["server_errors"],
        "tracebacks": totals["tracebacks"],
        "problems": totals["problems"],
        "accepted_writes": totals["accepted"],
        "duration_s": round(time.monotonic() - started, 1),
        "workers": options.workers,
        "known_bug_inputs": known_bugs,
        "by_kind": {kind: dict(counts) for kind, counts in sorted(by_kind.items())},
        "samples": samples,
    }
    command = "make fuzz" + ("" if known_bugs else " FUZZ_ARGS=--without-known-bugs")
    write_results("fuzz", figures, command)
    print(json.dumps({k: v for k, v in figures.items() if k != "samples"}, indent=2))


if __name__ == "__main__":
    main()
