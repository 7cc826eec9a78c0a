"""Validation problems: every one reported at once, each with where and how to fix it."""

from dataclasses import dataclass, field, replace
from typing import Literal

Severity = Literal["error", "warning"]
Path = tuple[str | int, ...]
"""Where a problem sits inside a document, e.g. ``("blocks", 2, "steps", 0, "hold_s")``."""


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a file. ``line`` is 1-based; 0 when it is not known."""

    file: str = ""
    line: int = 0
    message: str = ""
    severity: Severity = "error"
    path: Path = field(default=(), compare=False)

    def at(self, file: str, line: int) -> "Problem":
        return replace(self, file=file, line=line)

    def __str__(self) -> str:
        where = self.file or "<input>"
        if self.line:
            where += f":{self.line}"
        label = "" if self.severity == "error" else "warning: "
        return f"{where}: {label}{self.message}"


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]


class InvalidFileError(Exception):
    """Raised with every problem found in one or more files, never with just the first."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        count = len(errors(self.problems))
        super().__init__(f"{count} problem{'s' if count != 1 else ''} found")
