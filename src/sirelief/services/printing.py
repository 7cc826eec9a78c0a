"""Paper copies: a self-contained HTML page printed to PDF by headless Chromium.

The page is written to a private temporary folder and Chromium opens it as a file, so
printing needs no login cookie and no request back to the server (clinic mode included);
Chromium is told to resolve no host name, so a page could not reach the network either.
One print at a time per process, each within ``seconds``: the whole process group is
killed when it runs over, Chromium's helpers included.
"""

import contextlib
import os
import signal
import subprocess
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

from sirelief.services.errors import BusyError, ServiceError

MAX_PDF_BYTES = 20 * 1024 * 1024
"""A routine sheet is a few hundred KB; anything near this is a fault, not a sheet."""


class PrinterMissingError(ServiceError):
    """There is no Chromium at the configured path: no PDF, the printable page still works."""


class PrintFailedError(ServiceError):
    """Chromium ran but made no PDF (it crashed, or ran over its time)."""


@dataclass
class PdfPrinter:
    chromium: str
    """The Chromium (or Chrome) binary: ``SIRELIEF_CHROMIUM_PATH``."""
    seconds: float
    """How long one print may take, and how long a second one waits for the first."""
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def available(self) -> bool:
        path = Path(self.chromium)
        return path.is_file() and os.access(path, os.X_OK)

    def pdf(self, html: str) -> bytes:
        """``html`` (which must need no other file) as PDF bytes. Blocking: call it from a
        worker thread. Raises ``PrinterMissingError``, ``BusyError``, ``PrintFailedError``."""
        if not self.available():
            raise PrinterMissingError(
                f"making a PDF needs Chromium, and there is none at {self.chromium} on this server"
            )
        if not self._lock.acquire(timeout=self.seconds):
            raise BusyError("another sheet is being printed; try again in a moment")
        try:
            with tempfile.TemporaryDirectory(prefix="sirelief-print-") as folder:
                return self._print(Path(folder), html)
        finally:
            self._lock.release()

    def _print(self, folder: Path, html: str) -> bytes:
        page, out = folder / "sheet.html", folder / "sheet.pdf"
        page.write_text(html, encoding="utf-8")
        command = [
            self.chromium, "--headless", "--no-sandbox", "--disable-gpu",
            "--no-pdf-header-footer", "--no-first-run", "--disable-extensions",
            "--disable-background-networking", "--disable-sync", "--mute-audio",
            "--host-resolver-rules=MAP * ~NOTFOUND", f"--user-data-dir={folder / 'profile'}",
            f"--print-to-pdf={out}", page.as_uri(),
        ]  # fmt: skip
        environment = {**os.environ, "HOME": str(folder)}
        with subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, start_new_session=True, env=environment,
        ) as chromium:  # fmt: skip
            try:
                chromium.wait(timeout=self.seconds)
            except subprocess.TimeoutExpired:
                _kill_group(chromium)
                raise PrintFailedError(
                    f"Chromium took longer than {self.seconds:g} s to print the sheet"
                ) from None
            finally:
                _kill_group(chromium)  # helpers left behind by a finished Chromium
        if not out.is_file() or out.stat().st_size == 0:
            raise PrintFailedError(f"Chromium made no PDF (it ended with {chromium.returncode})")
        if out.stat().st_size > MAX_PDF_BYTES:
            raise PrintFailedError("Chromium made a PDF far larger than a sheet")
        return out.read_bytes()


def _kill_group(process: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()
