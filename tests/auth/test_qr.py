"""The invitation QR code: an inline SVG, drawn module for module from the link's code."""

import re
import xml.etree.ElementTree as ET

import segno

from sirelief.auth.qr import QUIET_ZONE, invitation_qr_svg

LINK = "https://clinic.example/join/Jx3vQ0b-Yk1mPq8ZcL2tWn9sRr4uVe7hAa5dGf6iKo0"
SVG = "{http://www.w3.org/2000/svg}"


def drawn_modules(svg: str) -> set[tuple[int, int]]:
    """The dark modules (row, column) that the SVG path draws: segno writes each row's
    runs as relative moves ``m dx dy`` and horizontal lines ``h n`` at half-module y."""
    lines = [p for p in ET.fromstring(svg).iter(f"{SVG}path") if p.get("class") == "qrline"]
    path = lines[0].get("d")
    x = y = 0.0
    dark: set[tuple[int, int]] = set()
    for command, numbers in re.findall(r"([MmHh])([-\d.\s]+)", path):
        values = [float(n) for n in numbers.split()]
        if command == "M":
            x, y = values
        elif command == "m":
            x, y = x + values[0], y + values[1]
        else:
            length = int(values[0])
            dark.update((int(y - 0.5), int(x) + i) for i in range(length))
            x += length
    return dark


def test_the_svg_is_an_inline_element_with_a_title_and_no_script() -> None:
    svg = invitation_qr_svg(LINK)
    root = ET.fromstring(svg)
    assert root.tag == "svg"
    assert not svg.startswith("<?xml")
    assert "viewBox" in root.attrib
    assert "width" not in root.attrib
    assert "<script" not in svg
    assert "href" not in svg


def test_the_svg_draws_exactly_the_links_qr_code() -> None:
    """Module for module the segno code of the link, with its quiet zone."""
    svg = invitation_qr_svg(LINK).replace("<svg ", f'<svg xmlns="{SVG[1:-1]}" ', 1)
    code = segno.make(LINK, error="m", micro=False)
    expected = {
        (row + QUIET_ZONE, column + QUIET_ZONE)
        for row, line in enumerate(code.matrix)
        for column, value in enumerate(line)
        if value
    }
    assert drawn_modules(svg) == expected
    assert code.error == "M"


def test_another_link_draws_another_code() -> None:
    assert invitation_qr_svg(LINK) != invitation_qr_svg(LINK + "x")


def test_a_title_is_escaped() -> None:
    svg = invitation_qr_svg(LINK, title="Join <Ann> & go")
    assert "&lt;Ann&gt; &amp; go" in svg
