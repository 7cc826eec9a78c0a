"""The terminal's results show the knee-to-wall test like the web page does."""

from rich.console import Console

from sirelief.cli.session import Runner
from sirelief.domain.results import AnkleRow


def test_the_terminal_table_gives_each_side_unit_and_change() -> None:
    rows = (AnkleRow("cm", "left", 7.0, 7.5, 8.0), AnkleRow("°", "right", 36.0, 42.5, None))
    console = Console(record=True, width=100)
    console.print(Runner._ankle_table(rows))
    text = console.export_text()
    assert "Ankle range: knee-to-wall" in text
    lines = [line for line in text.splitlines() if "left" in line or "right" in line]
    assert [[cell.strip() for cell in line.split("│")[1:-1]] for line in lines] == [
        ["left", "cm", "7", "7.5", "8", "+1 (within error)"],
        ["right", "degrees", "36", "42.5", "-", "+6.5"],
    ]
