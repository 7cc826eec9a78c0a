"""What every benchmark shares: the machine it ran on, a live `sirelief serve`, tools
installed on demand, and one JSON file of figures per benchmark in bench/results/.

Benchmarks are run by hand (``make bench-*``), never by the test suite.
"""

import contextlib
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # the benchmarks share tests/clock.py with the test suite
    sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking"]
POSTGRES_ADMIN_URL = os.environ.get(
    "SIRELIEF_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)

from tests.serving import answers, free_port, sirelief_command, stop  # noqa: E402 (after ROOT)


def machine() -> dict:
    """Cores, memory, CPU model and the software versions that shape the figures."""
    model = ""
    with Path("/proc/cpuinfo").open() as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    with Path("/proc/meminfo").open() as meminfo:
        total_kb = int(meminfo.readline().split()[1])
    return {
        "cores": os.cpu_count(),
        "memory_gib": round(total_kb / 1024 / 1024, 1),
        "cpu": model,
        "kernel": platform.release(),
        "python": platform.python_version(),
    }


def write_results(name: str, figures: dict, command: str) -> Path:
    """bench/results/<name>.json: the figures with the date, the machine and the command."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    document = {
        "benchmark": name,
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": command,
        "machine": machine(),
        **figures,
    }
    path.write_text(json.dumps(document, indent=2) + "\n")
    print(f"figures written to {path.relative_to(ROOT)}")
    return path


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (``share`` 0-1) of a non-empty list."""
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(share * len(ordered) + 0.5) - 1))
    return ordered[rank]


def summary_ms(values_s: list[float]) -> dict:
    """p50 / p95 / max of a list of seconds, in milliseconds (absolute values)."""
    if not values_s:
        return {"n": 0}
    errors = [abs(v) * 1000 for v in values_s]
    return {
        "n": len(errors),
        "p50_ms": round(percentile(errors, 0.50), 2),
        "p95_ms": round(percentile(errors, 0.95), 2),
        "max_ms": round(max(errors), 2),
    }


def ensure_debian_package(command: str, package: str) -> str:
    """The path of ``command``, installing Debian's ``package`` first when it is missing."""
    found = shutil.which(command) or (command if Path(command).exists() else None)
    if found:
        return found
    print(f"installing Debian's {package} (needed by this benchmark) ...", flush=True)
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    subprocess.run([*sudo, "apt-get", "update", "-qq"], check=True)
    subprocess.run([*sudo, "apt-get", "install", "-y", "-qq", package], check=True)
    found = shutil.which(command) or (command if Path(command).exists() else None)
    if not found:
        raise SystemExit(f"{package} installed but {command} is still missing")
    return found


def ensure_chromium() -> Path:
    ensure_debian_package(str(CHROMIUM), "chromium")
    return CHROMIUM


@dataclass
class Server:
    url: str
    data_dir: Path
    process: subprocess.Popen
    env: dict


PYCACHE = Path(__file__).resolve().parent / ".tools" / "pycache"
"""Byte-code for the programs the benchmarks start, kept as an install keeps it (even where
PYTHONDONTWRITEBYTECODE is set): without it every start compiles sirelief, SQLAlchemy and
Alembic again (1.5 s here, against 0.55 s)."""


def installed_env(**extra: str) -> dict:
    """This environment, with byte-code kept as an installed program would have it."""
    env = {**os.environ, "PYTHONPYCACHEPREFIX": str(PYCACHE), **extra}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def server_env(data_dir: Path, database_url: str | None = None, **extra: str) -> dict:
    """The environment of a benchmark's server: the first-run tour is off (Today would
    redirect to it, and the benchmarks measure the app's own pages)."""
    extra = {"SIRELIEF_FIRST_RUN_TOUR": "0", **extra}
    env = installed_env(SIRELIEF_DATA_DIR=str(data_dir), **extra)
    env.pop("SIRELIEF_DATABASE_URL", None)
    env.pop("SIRELIEF_CLOCK_SPEED", None)
    if database_url:
        env["SIRELIEF_DATABASE_URL"] = database_url
    return env


def launch(
    data_dir: Path, port: int, env: dict, log_path: Path | None = None, workers: int = 1
) -> subprocess.Popen:
    """`sirelief serve` in a process group of its own (``os.killpg(process.pid, ...)``
    reaches uvicorn's master and every worker of ``--workers``)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    log = (log_path or data_dir / "server.log").open("ab")
    command = [sirelief_command(), "serve", "--no-browser", "--port", str(port)]
    if workers > 1:
        command += ["--workers", str(workers)]
    return subprocess.Popen(
        command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )


def group_members(group: int) -> list[int]:
    """The live (not zombie) processes of a process group, from /proc."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        if fields[0] != "Z" and int(fields[2]) == group:
            members.append(int(entry.name))
    return members


def wait_until_up(url: str, process: subprocess.Popen, limit_s: float = 60) -> float:
    """Seconds until ``url`` answers 200; raises if the server dies or never answers."""
    started = time.monotonic()
    while not answers(url):
        if process.poll() is not None:
            raise RuntimeError(f"sirelief serve exited with {process.returncode}")
        if time.monotonic() - started > limit_s:
            raise RuntimeError(f"sirelief serve did not answer within {limit_s} s")
        time.sleep(0.01)
    return time.monotonic() - started


@contextmanager
def running_server(
    data_dir: Path, database_url: str | None = None, workers: int = 1, **extra: str
) -> Iterator[Server]:
    """`sirelief serve` on a free loopback port, stopped (and waited for) at the end;
    with ``workers`` > 1, once every worker is up."""
    port = free_port()
    env = server_env(data_dir, database_url, **extra)
    process = launch(data_dir, port, env, workers=workers)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url + "/", process)
        wait_for_workers(process, workers)
        yield Server(url, data_dir, process, env)
    finally:
        stop_group(process)


def stop_group(process: subprocess.Popen) -> None:
    """Stop a server started by ``launch``: its master first (which stops its workers),
    then anything of its group still there."""
    stop(process)
    for _ in range(100):
        if not group_members(process.pid):
            return
        time.sleep(0.05)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)


def wait_for_workers(process: subprocess.Popen, workers: int, limit_s: float = 120) -> None:
    """Until uvicorn's master has ``workers`` worker processes (none with one process)."""
    if workers < 2:
        return
    give_up = time.monotonic() + limit_s
    children = Path(f"/proc/{process.pid}/task/{process.pid}/children")
    while True:
        spawned = [
            child for child in children.read_text().split()
            if b"spawn_main" in _cmdline(int(child))
        ]  # fmt: skip
        if len(spawned) >= workers:
            return
        if process.poll() is not None or time.monotonic() > give_up:
            raise RuntimeError(f"sirelief serve did not start {workers} workers")
        time.sleep(0.1)


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except FileNotFoundError:
        return b""


@contextmanager
def postgres_database(prefix: str = "sirelief_bench") -> Iterator[str]:
    """A fresh PostgreSQL database (dropped at the end); its SQLAlchemy URL."""
    from sqlalchemy import create_engine
    from tests.storage.postgres_support import fresh_postgres_url

    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        yield from fresh_postgres_url(admin, prefix)
    finally:
        admin.dispose()
