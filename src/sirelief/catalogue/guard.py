"""Refuse hostile YAML from its event stream, before any object is built.

Building objects is where YAML costs blow up: a few hundred bytes of nested anchors
and aliases expand to gigabytes, and deep nesting exhausts the stack. Reading the
parser's events costs time in proportion to the file's length, so every limit here is
checked on the events, and a file that breaks one is never constructed at all.
Routine and exercise files need none of anchors, aliases, merge keys or tags.
"""

import contextlib
from dataclasses import dataclass

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError
from ruamel.yaml.events import (
    AliasEvent,
    CollectionEndEvent,
    CollectionStartEvent,
    MappingStartEvent,
    NodeEvent,
    ScalarEvent,
)

from sirelief.domain.problems import Problem

MAX_FILE_BYTES = 64 * 1024
MAX_DEPTH = 12
MAX_SCALARS = 10_000
MAX_SCALAR_CHARS = 2_000
MAX_KEY_CHARS = 64
MAX_FLOW_BRACKETS = 48
MAX_PROBLEMS = 20
"""Past this many, a file is plainly not a routine: more lines would only bury the first."""


@dataclass
class _Frame:
    """One open mapping or list: mappings alternate key, value, key, ..."""

    is_mapping: bool
    expecting_key: bool = True


def guard_yaml(text: str, filename: str) -> list[Problem]:
    """Every limit this text breaks, each with its line; empty when it is safe to build.

    A YAML syntax error simply ends the scan: the loader that runs next reports it,
    having read only events this guard already let through.
    """
    size = len(text.encode("utf-8", errors="replace"))
    if size > MAX_FILE_BYTES:
        return [
            Problem(
                filename,
                1,
                f"the file is {size // 1024} KB; routine and exercise files are at most "
                f"{MAX_FILE_BYTES // 1024} KB: split it into smaller files",
            )
        ]
    problems = _flow_brackets(text, filename)
    if problems:
        return problems
    with contextlib.suppress(YAMLError):
        _scan_events(text, filename, problems)
    unique = list(dict.fromkeys(problems))  # '[*a, *a, *a]': one line says it once
    return unique[:MAX_PROBLEMS]


def _scan_events(text: str, filename: str, problems: list[Problem]) -> None:
    stack: list[_Frame] = []
    scalars = 0
    reported: set[str] = set()

    def once(kind: str, line: int, message: str) -> None:
        if kind not in reported:
            reported.add(kind)
            problems.append(Problem(filename, line, message))

    for event in YAML(typ="rt").parse(text):
        if len(problems) >= 4 * MAX_PROBLEMS:
            return
        if not isinstance(event, NodeEvent | CollectionEndEvent):
            continue
        line = event.start_mark.line + 1
        if isinstance(event, CollectionEndEvent):
            if stack:
                stack.pop()
            continue
        is_key = bool(stack) and stack[-1].is_mapping and stack[-1].expecting_key
        if stack and stack[-1].is_mapping:
            stack[-1].expecting_key = not stack[-1].expecting_key
        _check_node(event, line, filename, problems)
        if isinstance(event, ScalarEvent):
            scalars += 1
            if scalars > MAX_SCALARS:
                once("scalars", line, f"the file holds more than {MAX_SCALARS:,} values: "
                     "no routine needs so many; split it into smaller routines")  # fmt: skip
            _check_scalar(event, line, filename, is_key, problems)
        elif isinstance(event, CollectionStartEvent):
            stack.append(_Frame(isinstance(event, MappingStartEvent)))
            if len(stack) > MAX_DEPTH:
                once("depth", line, f"lists and mappings are nested more than {MAX_DEPTH} "
                     "levels deep here: a routine needs far fewer; flatten this part")  # fmt: skip


def _check_node(event, line: int, filename: str, problems: list[Problem]) -> None:
    """Anchors, aliases and tags: each refused where it is written."""
    if isinstance(event, AliasEvent):
        problems.append(
            Problem(
                filename,
                line,
                f"'*{event.anchor}' repeats a value by alias; aliases "
                "are not allowed in these files: write the value out in full",
            )
        )
        return
    if event.anchor is not None:
        problems.append(
            Problem(
                filename,
                line,
                f"'&{event.anchor}' names a value as an anchor; anchors "
                "are not allowed in these files: remove it and write values out in full",
            )
        )
    tag = getattr(event, "tag", None)
    if tag is not None:
        name = str(getattr(tag, "value", tag) or tag)
        short = name.replace("tag:yaml.org,2002:", "!!")
        problems.append(
            Problem(
                filename,
                line,
                f"the tag '{short[:40]}' is not allowed: remove it; "
                "values in these files need no tags",
            )
        )


def _check_scalar(
    event: ScalarEvent, line: int, filename: str, is_key: bool, problems: list[Problem]
) -> None:
    value = event.value
    if is_key and value == "<<" and event.style is None:
        problems.append(
            Problem(
                filename,
                line,
                "'<<' merge keys are not allowed: write the keys out in full in this mapping",
            )
        )
    elif is_key and len(value) > MAX_KEY_CHARS:
        problems.append(
            Problem(
                filename,
                line,
                f"the key '{value[:20]}...' is {len(value):,} characters "
                f"long; keys are at most {MAX_KEY_CHARS}: check the spelling of the "
                "field name",
            )
        )
    elif not is_key and len(value) > MAX_SCALAR_CHARS:
        problems.append(
            Problem(
                filename,
                line,
                f"this value is {len(value):,} characters long; values "
                f"are at most {MAX_SCALAR_CHARS:,}: shorten it",
            )
        )


def _flow_brackets(text: str, filename: str) -> list[Problem]:
    """Open ``[``/``{`` counted on the raw text, before the parser sees a single one.

    Only brackets that open a flow collection count: at the outer level one that starts
    a value (after ``: ``, ``- `` or at a line's start); inside one, any outside quotes.
    Comments and quoted text are skipped; a lone ``[`` inside a note is not counted.
    """
    depth = 0
    quote = ""
    line = 1
    previous = "\n"
    last_significant = "\n"
    for char in text:
        if char == "\n":
            line += 1
        if quote:
            if char == quote:
                quote = ""
        elif char == "#" and previous in " \t\n":
            quote = "\n"  # a comment runs to the end of its line
        elif depth and char in "'\"":
            quote = char
        elif char in "[{" and (depth or last_significant in ":-\n"):
            depth += 1
            if depth > MAX_FLOW_BRACKETS:
                return [
                    Problem(
                        filename,
                        line,
                        f"more than {MAX_FLOW_BRACKETS} '[' or '{{' are "
                        "open at once here: write the lists as indented lines instead",
                    )
                ]
        elif char in "]}" and depth:
            depth -= 1
        if char not in " \t":
            last_significant = char
        previous = char
    return []
