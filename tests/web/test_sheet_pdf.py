"""The routine sheet as a PDF printed by headless Chromium (issue 18 item 7): one or two
pages for every built-in routine, at the paper asked for, and each page carrying text and
figures, checked by turning the pages into PNGs (``pdftoppm``) and counting ink.

Needs Debian's chromium and poppler-utils (``pdfinfo``, ``pdftoppm``): skipped with the
reason when one is missing, a failure instead under SIRELIEF_REQUIRE_BROWSER=1 (``.ci/run``
sets it, and installs both).
"""

import os
import shutil
import struct
import subprocess
import zlib
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import numpy as np
import pytest
from starlette.testclient import TestClient

from sirelief.catalogue.loader import builtin_files
from sirelief.settings import Settings
from tests.web.access_world import World, build_world

BUILT_IN = sorted(Path(source.name).stem for source in builtin_files("routines"))
A4, LETTER = (595, 842), (612, 792)
"""Page sizes in points, as ``pdfinfo`` rounds them."""


def _missing() -> str | None:
    if not Path(Settings().chromium_path).exists():
        return f"{Settings().chromium_path} is missing (Debian: apt-get install chromium)"
    for tool in ("pdfinfo", "pdftoppm"):
        if shutil.which(tool) is None:
            return f"{tool} is missing (Debian: apt-get install poppler-utils)"
    return None


@pytest.fixture(autouse=True)
def _tools() -> None:
    reason = _missing()
    if reason is None:
        return
    if os.environ.get("SIRELIEF_REQUIRE_BROWSER") == "1":
        pytest.fail(f"sheet PDF: {reason}; SIRELIEF_REQUIRE_BROWSER=1 makes it mandatory",
                    pytrace=False)  # fmt: skip
    pytest.skip(f"sheet PDF: {reason}")


# --- reading what Chromium made ---------------------------------------------------------
def pdf_pages(pdf: Path) -> tuple[int, tuple[int, int]]:
    """The page count and the first page's size in points."""
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    fields = dict(line.split(":", 1) for line in info.stdout.splitlines() if ":" in line)
    width, _, height = fields["Page size"].split()[:3]
    return int(fields["Pages"]), (round(float(width)), round(float(height)))


def page_images(pdf: Path) -> list[Path]:
    """Each page as a PNG at 50 dpi (``pdftoppm -r 50 -png``)."""
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(pdf), str(pdf.with_suffix(""))],
                   check=True, timeout=60)  # fmt: skip
    return sorted(pdf.parent.glob(f"{pdf.stem}-*.png"))


def read_png(path: Path) -> np.ndarray:
    """An 8-bit RGB or grey PNG (what pdftoppm writes) as a height x width x channels
    array: the chunks' data inflated, each row's filter undone."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    position, idat, header = 8, b"", None
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        body = data[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        position += 12 + length
    width, height, depth, colour, _, _, interlace = header
    assert (depth, interlace, colour in (0, 2)) == (8, 0, True), header
    channels = 3 if colour == 2 else 1
    stride = width * channels
    raw = np.frombuffer(zlib.decompress(idat), dtype=np.uint8).reshape(height, stride + 1)
    pixels = np.zeros((height, stride), dtype=np.int32)
    previous = np.zeros(stride, dtype=np.int32)
    for y in range(height):
        kind, line = raw[y, 0], raw[y, 1:].astype(np.int32)
        if kind == 0:
            row = line
        elif kind == 2:
            row = (line + previous) & 0xFF
        else:
            row = np.zeros(stride, dtype=np.int32)
            for x in range(stride):
                left = row[x - channels] if x >= channels else 0
                up, corner = previous[x], previous[x - channels] if x >= channels else 0
                if kind == 1:
                    guess = left
                elif kind == 3:
                    guess = (left + up) // 2
                else:
                    p = left + up - corner
                    pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                    guess = left if pa <= pb and pa <= pc else up if pb <= pc else corner
                row[x] = (line[x] + guess) & 0xFF
        pixels[y] = row
        previous = row
    return pixels.reshape(height, width, channels)


def ink(image: np.ndarray) -> tuple[float, float]:
    """The share of dark pixels (text, lines) and of coloured ones (the figures)."""
    grey = image.mean(axis=2) if image.shape[2] == 3 else image[:, :, 0]
    dark = float((grey < 140).mean())
    if image.shape[2] == 1:
        return dark, 0.0
    spread = image.max(axis=2) - image.min(axis=2)
    return dark, float((spread > 50).mean())


def fetch_pdf(client: TestClient, address: str, folder: Path, name: str) -> Path:
    response = client.get(address)
    assert response.status_code == 200, response.text[:2000]
    assert response.headers["content-type"] == "application/pdf"
    assert f'filename="{name}-sheet.pdf"' in response.headers["content-disposition"]
    assert response.content.startswith(b"%PDF-")
    path = folder / f"{name}.pdf"
    path.write_bytes(response.content)
    return path


def check_pages(pdf: Path, size: tuple[int, int]) -> list[tuple[float, float]]:
    count, page_size = pdf_pages(pdf)
    assert count in (1, 2), f"{pdf.name}: {count} pages"
    assert page_size == size
    images = page_images(pdf)
    assert len(images) == count
    found = [ink(read_png(image)) for image in images]
    for number, (dark, _coloured) in enumerate(found, 1):
        # a page with one exercise is near 1 %; the footer line alone is under 0.2 %
        assert 0.004 < dark < 0.5, f"{pdf.name} page {number}: {dark:.1%} dark"
    return found


# --- the tests --------------------------------------------------------------------------
@pytest.mark.parametrize("routine_id", BUILT_IN)
def test_every_built_in_routine_prints_on_one_or_two_pages(
    client: TestClient, tmp_path: Path, routine_id: str
) -> None:
    pdf = fetch_pdf(client, f"/routines/{routine_id}/sheet.pdf", tmp_path, routine_id)
    pages = check_pages(pdf, A4)
    assert pages[0][1] > 0.002, f"page 1 of {routine_id} shows no figure"


def test_letter_paper(client: TestClient, tmp_path: Path) -> None:
    pdf = fetch_pdf(client, "/routines/gentle-day/sheet.pdf?paper=letter", tmp_path, "gentle-day")
    check_pages(pdf, LETTER)


@pytest.fixture
def world(settings: Settings) -> Iterator[World]:
    with ExitStack() as stack:
        yield build_world(settings, stack)


def test_a_coach_prints_a_template_in_clinic_mode(world: World, tmp_path: Path) -> None:
    """Chromium gets a file and nothing else: no cookie, no request back to the server;
    the figure is on the page all the same (inlined)."""
    address = f"/templates/{world.template_id}/sheet.pdf?version=1"
    name = f"{world.template_id[:24]}-v1"
    pdf = fetch_pdf(world.clients["coach"], address, tmp_path, name)
    ((_dark, coloured),) = check_pages(pdf, A4)
    assert coloured > 0.002
