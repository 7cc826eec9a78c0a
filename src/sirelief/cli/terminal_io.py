"""Terminal plumbing for the guided session: single keys, big digits, bell and voice."""

import os
import select
import shutil
import subprocess
import sys
import termios
import time
import tty
from collections.abc import Callable, Iterator
from contextlib import contextmanager

GLYPHS = {
    "0": ["███", "█ █", "█ █", "█ █", "███"],
    "1": [" █ ", "██ ", " █ ", " █ ", "███"],
    "2": ["███", "  █", "███", "█  ", "███"],
    "3": ["███", "  █", "███", "  █", "███"],
    "4": ["█ █", "█ █", "███", "  █", "  █"],
    "5": ["███", "█  ", "███", "  █", "███"],
    "6": ["███", "█  ", "███", "█ █", "███"],
    "7": ["███", "  █", "  █", "  █", "  █"],
    "8": ["███", "█ █", "███", "█ █", "███"],
    "9": ["███", "█ █", "███", "  █", "███"],
    ":": ["   ", " █ ", "   ", " █ ", "   "],
}


def big_time(seconds: float) -> str:
    """``m:ss`` in five rows of block characters, readable from a mat a metre away."""
    whole = max(0, int(seconds + 0.999))
    text = f"{whole // 60}:{whole % 60:02d}"
    return "\n".join("  ".join(GLYPHS[ch][row] for ch in text) for row in range(5))


def make_clock(speed: float) -> Callable[[], float]:
    """Wall-clock seconds; ``speed`` > 1 runs faster (a test hook), anchored at now."""
    if speed == 1:
        return time.time
    anchor = time.time()
    return lambda: anchor + (time.time() - anchor) * speed


@contextmanager
def single_keys() -> Iterator[Callable[[float], str | None]]:
    """Read keys one at a time without Enter, restoring the terminal afterwards."""
    descriptor = sys.stdin.fileno()
    saved = termios.tcgetattr(descriptor)
    tty.setcbreak(descriptor)

    def read(timeout: float) -> str | None:
        ready, _, _ = select.select([sys.stdin], [], [], timeout)
        if not ready:
            return None
        key = os.read(descriptor, 8).decode("utf-8", "ignore")
        return {"\x1b[C": "n", "\x1b[D": "b", "\r": "\n"}.get(key, key[:1] or None)

    try:
        yield read
    finally:
        termios.tcsetattr(descriptor, termios.TCSADRAIN, saved)


class Voice:
    """A bell, and spoken cues through espeak-ng when it is installed and wanted."""

    def __init__(self, speak: bool) -> None:
        self.program = shutil.which("espeak-ng") if speak else None
        self.process: subprocess.Popen | None = None

    def bell(self) -> None:
        sys.stdout.write("\a")
        sys.stdout.flush()

    def say(self, text: str) -> None:
        self.bell()
        if self.program is None:
            return
        if self.process and self.process.poll() is None:
            self.process.terminate()
        self.process = subprocess.Popen(
            [self.program, "-s", "150", text],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
