"""Reaching a real `sirelief serve`: a free port, the installed command, a page that answers.
Shared by the browser tests and the benchmarks (bench/support.py)."""

import shutil
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def sirelief_command() -> str:
    beside = Path(sys.executable).parent / "sirelief"
    return str(beside) if beside.exists() else (shutil.which("sirelief") or "sirelief")


def answers(url: str, timeout: float = 30) -> bool:
    """Whether ``url`` answers 200; a busy machine may take seconds over a server's first
    page, so a slow answer counts (the callers bound the whole wait)."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def stop(process: subprocess.Popen) -> None:
    """Terminate a server and wait for it; kill it if it lingers."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
