"""Printing a sheet to PDF with a stand-in Chromium (issue 18 item 7): the file it is
given, the PDF read back, and each way it can fail said as a ``ServiceError``."""

import threading
from pathlib import Path

import pytest

from sirelief.services import BusyError
from sirelief.services.printing import PdfPrinter, PrinterMissingError, PrintFailedError
from tests.web.fake_printer import fake_chromium


def script(folder: Path, body: str) -> str:
    path = folder / "chromium"
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(0o755)
    return str(path)


def test_the_page_goes_in_as_a_file_and_the_pdf_comes_back(tmp_path: Path) -> None:
    seen = tmp_path / "seen.html"
    copy_page = f'for a in "$@"; do case "$a" in file://*) cp "${{a#file://}}" {seen};; esac; done'
    fake = fake_chromium(tmp_path / "bin")
    both = script(tmp_path, f'{copy_page}\nexec {fake} "$@"')
    pdf = PdfPrinter(both, seconds=30).pdf("<p>sheet ✓</p>")
    assert pdf.startswith(b"%PDF-1.4")
    assert seen.read_text(encoding="utf-8") == "<p>sheet ✓</p>"


def test_no_chromium(tmp_path: Path) -> None:
    with pytest.raises(PrinterMissingError, match="no-such-chromium"):
        PdfPrinter(str(tmp_path / "no-such-chromium"), seconds=5).pdf("<p>x</p>")
    not_executable = tmp_path / "chromium"
    not_executable.write_text("")
    with pytest.raises(PrinterMissingError):
        PdfPrinter(str(not_executable), seconds=5).pdf("<p>x</p>")


def test_a_chromium_that_makes_no_pdf(tmp_path: Path) -> None:
    with pytest.raises(PrintFailedError, match="made no PDF"):
        PdfPrinter(script(tmp_path, "exit 3"), seconds=5).pdf("<p>x</p>")


def test_one_print_at_a_time(tmp_path: Path) -> None:
    printer = PdfPrinter(fake_chromium(tmp_path), seconds=0.2)
    holder = threading.Lock()
    printer._lock = holder
    with holder, pytest.raises(BusyError, match="another sheet"):
        printer.pdf("<p>x</p>")
    assert printer.pdf("<p>x</p>").startswith(b"%PDF")  # free again
