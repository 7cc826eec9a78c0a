"""Helpers that read an SVG document back: every point it draws, its ids, its props."""

import re
import xml.etree.ElementTree as ET

SVG = "{http://www.w3.org/2000/svg}"
TOKEN = re.compile(r"[A-Za-z]|-?\d+(?:\.\d+)?")
POINTS_PER_COMMAND = {"M": 1, "L": 1, "C": 3, "Z": 0}


def parse(document: str) -> ET.Element:
    return ET.fromstring(document)


def view_box(root: ET.Element) -> tuple[float, float, float, float]:
    x, y, width, height = (float(v) for v in root.attrib["viewBox"].split())
    return x, y, width, height


def path_points(data: str) -> list[tuple[float, float]]:
    """Every point of path data written with absolute M, L, C and Z only.

    >>> path_points("M0 1L2 3C4 5 6 7 8 9Z")
    [(0.0, 1.0), (2.0, 3.0), (4.0, 5.0), (6.0, 7.0), (8.0, 9.0)]
    """
    tokens = TOKEN.findall(data)
    points: list[tuple[float, float]] = []
    index = 0
    while index < len(tokens):
        command = tokens[index]
        if command not in POINTS_PER_COMMAND:
            raise AssertionError(f"unexpected path command {command!r} in {data[:60]}")
        index += 1
        for _ in range(POINTS_PER_COMMAND[command]):
            points.append((float(tokens[index]), float(tokens[index + 1])))
            index += 2
    return points


def all_path_data(root: ET.Element) -> list[str]:
    """The ``d`` of every path and every shape an ``<animate>`` moves it through."""
    found = []
    for element in root.iter():
        if element.tag == f"{SVG}path":
            found.append(element.attrib["d"])
        elif element.tag == f"{SVG}animate":
            assert element.attrib["attributeName"] == "d"
            found.extend(element.attrib["values"].split(";"))
    return found


def drawn_points(root: ET.Element) -> list[tuple[float, float]]:
    return [p for data in all_path_data(root) for p in path_points(data)]


def props_drawn(root: ET.Element) -> set[str]:
    return {e.attrib["data-prop"] for e in root.iter() if "data-prop" in e.attrib}


def tags(root: ET.Element) -> set[str]:
    return {element.tag.removeprefix(SVG) for element in root.iter()}
