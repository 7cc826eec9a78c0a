"""Read a hand-written YAML file into plain data, remembering the line of every value.

Validation speaks in document paths (``blocks[2].steps[0].hold_s``); people read line
numbers. The path-to-line map built here joins the two.
"""

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from sirelief.domain.problems import InvalidFileError, Path, Problem

if TYPE_CHECKING:
    from ruamel.yaml.error import MarkedYAMLError


@dataclass(frozen=True)
class YamlDocument:
    """Plain Python data plus where each part of it was written."""

    data: Any
    lines: dict[Path, int]

    def line_of(self, path: Path) -> int:
        """Line of the value at ``path``, or of its nearest written ancestor."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(tuple(path[:end]))
            if line:
                return line
        return 1


def _plain(node: Any, path: Path, lines: dict[Path, int]) -> Any:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(node, CommentedMap):
        lines.setdefault(path, node.lc.line + 1)
        result = {}
        for key in node:
            # Point at the key's line: a nested block's value starts on the next line.
            lines[(*path, str(key))] = node.lc.key(key)[0] + 1
            result[str(key)] = _plain(node[key], (*path, str(key)), lines)
        return result
    if isinstance(node, CommentedSeq):
        lines.setdefault(path, node.lc.line + 1)
        items = []
        for index, item in enumerate(node):
            lines[(*path, index)] = node.lc.item(index)[0] + 1
            items.append(_plain(item, (*path, index), lines))
        return items
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    if isinstance(node, str):
        return str(node)
    if isinstance(node, date):
        return node.isoformat()
    return node


def parse_yaml(text: str, filename: str) -> YamlDocument:
    """Parse one YAML document; raise ``InvalidFileError`` with the line of a syntax error.

    The guard reads the event stream first: a file that breaks a limit is refused with
    every limit it breaks, and never built into objects. The parser is imported here, not
    at the top: a command whose shipped files come from ``parsed_cache`` never loads it.
    """
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    from sirelief.catalogue.guard import guard_yaml

    refused = guard_yaml(text, filename)
    if refused:
        raise InvalidFileError(refused)
    parser = YAML(typ="rt")
    parser.allow_duplicate_keys = False
    try:
        raw = parser.load(text)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 0
        raise InvalidFileError([Problem(filename, line, _syntax_reason(error))]) from None
    except YAMLError as error:
        raise InvalidFileError([Problem(filename, 0, f"not valid YAML: {error}")]) from None
    if raw is None:
        raise InvalidFileError(
            [Problem(filename, 1, "the file is empty: it needs 'key: value' lines")]
        )
    if not isinstance(raw, CommentedMap):
        line = raw.lc.line + 1 if isinstance(raw, CommentedSeq) else 1
        raise InvalidFileError(
            [
                Problem(
                    filename, line, "the file must be a mapping of 'key: value' lines, not a list"
                )
            ]
        )
    lines: dict[Path, int] = {}
    return YamlDocument(_plain(raw, (), lines), lines)


def _syntax_reason(error: "MarkedYAMLError") -> str:
    problem = (error.problem or "").strip()
    context = (error.context or "").strip()
    if "duplicate key" in str(error):
        return f"not valid YAML: {problem}: each key may appear only once in a mapping"
    if "single document" in context:
        return "not valid YAML: a routine file holds one document: remove the '---' line"
    if context.startswith("while parsing a flow") and error.context_mark is not None:
        opened = error.context_mark.line + 1
        return (
            f"not valid YAML: the list or mapping opened on line {opened} is not closed: "
            "add the missing ']' or '}'"
        )
    if "<block" in problem or "<block" in context:
        return (
            "not valid YAML: this line's indentation does not line up with the lines "
            "above it; keys of one mapping must start in the same column"
        )
    reason = f"{context}, {problem}" if context and problem else (problem or context)
    return f"not valid YAML: {reason}; check the indentation and the colons"
