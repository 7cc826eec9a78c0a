"""Does one hostile routine upload delay anyone else? Latency of Today during uploads.

Starts a real `sirelief serve` whose upload check first spins for longer than its time
limit (SIRELIEF_ROUTINE_CHECK_BURN_S, a knob only this benchmark sets), so every upload
spends the whole limit in its child process and is then killed. Meanwhile a second
connection loads GET / (Today) again and again. Three phases:

- idle: no upload running (the reference);
- one upload: one check burning its whole limit;
- two uploads: both check slots burning (both cores busy with niced children).

Also timed: the real billion-laughs file (refused by the guard before any check runs).
The goal is another request answered in under 100 ms while one upload burns.

Run by hand (never in the test suite): make bench-hostile, or
.venv/bin/python bench/hostile_upload.py [--limit-s 5] [--rounds 3]
"""

import argparse
import tempfile
import threading
import time
import uuid
from pathlib import Path

from server import AppClient
from support import ROOT, running_server, summary_ms, write_results

LAUGHS = ROOT / "tests" / "catalogue" / "bad_routines" / "34-billion-laughs.yaml"
GOOD = (
    "id: my-hips\nname: My hips\nsummary: Mine.\nblocks:\n  - id: main\n"
    "    title: Main\n    steps:\n      - exercise: figure-four-piriformis\n"
)


def upload(client: AppClient, name: str, content: bytes) -> tuple[int, float, bytes]:
    """POST /routines as the form does; (status, seconds, body)."""
    if not client.csrf:
        client.get("/routines")
    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n'
            f'{client.csrf}\r\n--{boundary}\r\nContent-Disposition: form-data; name="action"'
            f'\r\n\r\ncheck\r\n--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="{name}"\r\nContent-Type: application/x-yaml\r\n\r\n'
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    started = time.perf_counter()
    status, _, answer = client.request(
        "POST", "/routines", body, {"Content-Type": f"multipart/form-data; boundary={boundary}"}
    )
    return status, time.perf_counter() - started, answer


def todays(client: AppClient, until: threading.Event, pause_s: float = 0.02) -> list[float]:
    """GET / until ``until`` is set; each latency in seconds."""
    latencies = []
    while not until.is_set():
        started = time.perf_counter()
        status = client.get("/")
        latencies.append(time.perf_counter() - started)
        if status != 200:
            raise RuntimeError(f"GET / answered {status}")
        time.sleep(pause_s)
    return latencies


def during_uploads(url: str, uploads: int) -> dict:
    """Today's latency while ``uploads`` uploads each burn their whole limit."""
    done = threading.Event()
    outcomes: list[tuple[int, float, bytes]] = []

    def one_upload() -> None:
        outcomes.append(upload(AppClient(url, timeout_s=120), "slow.yaml", GOOD.encode()))

    threads = [threading.Thread(target=one_upload) for _ in range(uploads)]
    for thread in threads:
        thread.start()
    time.sleep(0.3)  # let the checks start before measuring
    watcher = AppClient(url)
    result: dict = {}
    reader = threading.Thread(target=lambda: result.setdefault("l", todays(watcher, done)))
    reader.start()
    for thread in threads:
        thread.join()
    done.set()
    reader.join()
    watcher.close()
    return {
        "today": summary_ms(result["l"]),
        "upload_status": sorted(status for status, _, _ in outcomes),
        "upload_s": [round(seconds, 2) for _, seconds, _ in outcomes],
        "told_too_long": all(b"took too long to check" in body for _, _, body in outcomes),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit-s", type=float, default=5.0)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    limit = str(args.limit_s)
    with tempfile.TemporaryDirectory() as folder:
        with running_server(Path(folder) / "plain", SIRELIEF_ROUTINE_CHECK_SECONDS=limit) as server:
            client = AppClient(server.url)
            for _ in range(20):  # warm up: templates, database, the forkserver
                client.get("/")
            upload(client, "warm.yaml", GOOD.encode())
            stop = threading.Event()
            timer = threading.Timer(args.limit_s, stop.set)
            timer.start()
            idle = todays(client, stop)
            status, seconds, body = upload(client, "laughs.yaml", LAUGHS.read_bytes())
            laughs = {
                "status": status,
                "ms": round(seconds * 1000, 1),
                "refused_at_line_7": b"line 7" in body and b"anchors are not allowed" in body,
            }
            client.close()
        burning = running_server(
            Path(folder) / "burning",
            SIRELIEF_ROUTINE_CHECK_SECONDS=limit,
            SIRELIEF_ROUTINE_CHECK_BURN_S=str(args.limit_s * 4),
        )
        with burning as server:
            client = AppClient(server.url)
            for _ in range(20):
                client.get("/")
            upload(client, "warm.yaml", GOOD.encode())
            client.close()
            one = [during_uploads(server.url, 1) for _ in range(args.rounds)]
            two = [during_uploads(server.url, 2) for _ in range(args.rounds)]

    def merged(runs: list[dict]) -> dict:
        return {
            "p50_ms": [run["today"]["p50_ms"] for run in runs],
            "max_ms": [run["today"]["max_ms"] for run in runs],
            "n": sum(run["today"]["n"] for run in runs),
            "runs": runs,
        }

    figures = {
        "limit_s": args.limit_s,
        "idle": summary_ms(idle) | {"pause_between_gets_ms": 20},
        "billion_laughs_upload": laughs,
        "one_upload_burning": merged(one),
        "two_uploads_burning": merged(two),
    }
    print(f"idle GET /: {figures['idle']}")
    print(f"billion laughs: {laughs}")
    for name in ("one_upload_burning", "two_uploads_burning"):
        part = figures[name]
        print(f"{name}: GET / p50 {part['p50_ms']} ms, max {part['max_ms']} ms, n {part['n']}")
        for run in part["runs"]:
            print(f"  uploads {run['upload_status']} in {run['upload_s']} s, "
                  f"told 'took too long': {run['told_too_long']}")  # fmt: skip
    write_results("hostile_upload", figures, "make bench-hostile")


if __name__ == "__main__":
    main()
