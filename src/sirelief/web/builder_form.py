"""The routine builder's form is the routine file: one field per value, named by its path.

A field named ``blocks.0.steps.1.hold_s`` holds ``hold_s`` of the second step of the
first block, exactly where the file keeps it, so a problem the checker reports at a path
lands on the field of that name. The server turns the posted fields into the document
(numbers become numbers, an empty field is left out), writes it as YAML and checks that
text with the checker ``sirelief routines check`` uses. Names outside the format are
ignored; indices and counts are bounded, so no form makes the work grow without limit.
"""

from collections.abc import Iterable
from typing import Any

ROUTINE_KEYS = ("format", "id", "version", "name", "summary", "author", "source", "contexts",
                "default_for", "default_needs", "blocks")  # fmt: skip
BLOCK_KEYS = ("id", "title", "purpose", "sides", "optional", "priority", "steps",
              "between_sides")  # fmt: skip
OPTION_KEYS = ("exercise", "hold_s", "sets", "minutes", "reps", "tempo", "rest_s", "cues",
               "note", "for_activity", "repeat")  # fmt: skip
STEP_KEYS = ("exercise", "assess", "choose", "title", "squat_reps", "ratings", "pain",
             "knee_to_wall", "hold_s", "sets", "minutes", "reps", "tempo", "rest_s", "cues",
             "options", "for_activity", "repeat", "note")  # fmt: skip
CUE_KEYS = ("at_s", "say")
KINDS = ("exercise", "assess", "choose")
NESTED = {"blocks": BLOCK_KEYS, "steps": STEP_KEYS, "between_sides": STEP_KEYS,
          "options": OPTION_KEYS, "cues": CUE_KEYS}  # fmt: skip
WORD_LISTS = frozenset({"contexts", "default_for", "default_needs", "ratings", "for_activity"})
INTEGERS = frozenset({"version", "priority", "choose", "hold_s", "sets", "reps", "rest_s",
                      "squat_reps", "at_s"})  # fmt: skip
DECIMALS = frozenset({"minutes"})
BOOLEANS = frozenset({"optional", "pain", "knee_to_wall", "repeat"})
MAX_INDEX = 99
"""Above every list limit of the format (30 blocks, 40 steps), so a form may still show
"too many" as the checker says it, but no further."""
MAX_VALUE = 4000
"""Twice the longest value a file may hold: too long stays too long, and bounded."""
MAX_WORDS = 20
MAX_DEPTH = 9
MAX_FIELDS = 3000
"""A full routine of 200 steps with their doses and cues fits."""

Path = tuple[str | int, ...]


def parse_name(name: str) -> Path | None:
    """The path a field name stands for, or None when it is not a field of the format."""
    if not isinstance(name, str) or len(name) > 120:
        return None
    parts = name.split(".")
    if len(parts) > MAX_DEPTH:
        return None
    path: list[str | int] = []
    keys: tuple[str, ...] = ROUTINE_KEYS
    index_next = False
    for part in parts:
        if index_next:
            if not (part.isdigit() and len(part) <= 2 and part.isascii()):
                return None
            path.append(int(part))
            index_next = False
            continue
        if part not in keys:
            return None
        path.append(part)
        if part in NESTED:
            keys = NESTED[part]
            index_next = True
        else:
            keys = ()
    return None if index_next or path[-1] in NESTED else tuple(path)


def name_of(path: Iterable[str | int]) -> str:
    return ".".join(str(part) for part in path)


def _scalar(key: str, text: str) -> Any:
    """A field's text as the value the file would hold (a number stays text when it is
    not one, so the checker names it as the file's check would)."""
    text = text.strip() if key not in ("summary", "purpose", "note", "source") else text
    if key in INTEGERS or key in DECIMALS:
        if key == "squat_reps" and text.lower() == "none":
            return None
        try:
            return int(text) if text.lstrip("-").isdigit() and len(text) < 16 else float(text)
        except ValueError:
            return text
    if key in BOOLEANS:
        return {"true": True, "false": False}.get(text, text)
    return text


def document_from_form(items: Iterable[tuple[str, Any]]) -> dict:
    """The routine document the posted fields stand for, in the file's key order."""
    tree: dict = {}
    for count, (name, raw) in enumerate(items):
        if count >= MAX_FIELDS:
            break
        path = parse_name(name)
        if path is None or not isinstance(raw, str):
            continue
        key = path[-1]
        node = tree
        for part in path[:-1]:
            node = node.setdefault(part, {})
            if not isinstance(node, dict):
                break
        else:
            value = raw[:MAX_VALUE]
            if key in WORD_LISTS:
                words = node.setdefault(key, [])
                if isinstance(words, list) and value.strip() and len(words) < MAX_WORDS:
                    words.append(value.strip())
            elif value.strip() or key in KINDS:
                node[key] = _scalar(str(key), value)
            else:
                node.setdefault(key, _EMPTY)
    return _ordered(tree, ROUTINE_KEYS)


_EMPTY = object()
"""A field posted empty: its element exists, the value is left out."""


def _ordered(node: dict, keys: tuple[str, ...]) -> dict:
    out: dict = {}
    for key in keys:
        if key not in node or node[key] is _EMPTY:
            continue
        value = node[key]
        if key in NESTED and isinstance(value, dict):
            out[key] = [_ordered(value[i], NESTED[key]) for i in sorted(value)
                        if isinstance(value[i], dict)]  # fmt: skip
        elif key in WORD_LISTS:
            if value:
                out[key] = value
        else:
            out[key] = value
    return out


def form_from_document(data: Any) -> dict:
    """A loaded file's data cut down to what the form holds: the format's fields with
    plain values (a value of the wrong shape is left out, as the form cannot hold it)."""
    return _known(data, ROUTINE_KEYS) if isinstance(data, dict) else {}


def _known(data: dict, keys: tuple[str, ...]) -> dict:
    out: dict = {}
    for key in keys:
        if key not in data:
            continue
        value = data[key]
        if key in NESTED:
            if isinstance(value, list):
                out[key] = [_known(item, NESTED[key]) if isinstance(item, dict) else {}
                            for item in value[: MAX_INDEX + 1]]  # fmt: skip
        elif key in WORD_LISTS:
            if isinstance(value, list):
                out[key] = [str(word) for word in value if isinstance(word, str | int)]
        elif value is None or isinstance(value, str | int | float | bool):
            out[key] = value
    return out


def left_out(data: Any, keys: tuple[str, ...] = ROUTINE_KEYS, at: Path = ()) -> list[str]:
    """Names the form could not keep from a loaded file (unknown or misspelt fields)."""
    if not isinstance(data, dict):
        return []
    found = []
    for key, value in data.items():
        if key not in keys:
            found.append(name_of((*at, str(key))))
        elif key in NESTED and isinstance(value, list):
            for index, item in enumerate(value[: MAX_INDEX + 1]):
                found += left_out(item, NESTED[key], (*at, key, index))
    return found[:20]


def text_of(value: Any) -> str:
    """A document value as the form shows it."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


# --- what the buttons do ------------------------------------------------------------------
def lookup(document: dict, path: Path) -> Any:
    node: Any = document
    for part in path:
        in_list = isinstance(part, int) and isinstance(node, list) and part < len(node)
        if in_list or (isinstance(part, str) and isinstance(node, dict) and part in node):
            node = node[part]
        else:
            return None
    return node


def _list_and_index(document: dict, name: str) -> tuple[list, int] | None:
    path = parse_name(name + ".id") or parse_name(name + ".at_s") or parse_name(name + ".exercise")
    if path is None or not isinstance(path[-2], int):
        return None
    items = lookup(document, path[:-2])
    index = path[-2]
    if not isinstance(items, list) or not isinstance(index, int) or index >= len(items):
        return None
    return items, index


def remove(document: dict, name: str) -> None:
    found = _list_and_index(document, name)
    if found is not None:
        items, index = found
        del items[index]


def move(document: dict, name: str, offset: int) -> None:
    found = _list_and_index(document, name)
    if found is not None:
        items, index = found
        other = index + offset
        if 0 <= other < len(items):
            items[index], items[other] = items[other], items[index]


def append(document: dict, list_name: str, item: dict, limit: int) -> bool:
    """Add ``item`` to the list named ``list_name`` (created when missing); False when the
    list is full or the name is no list of the format."""
    path = parse_name(list_name + ".0.id") or parse_name(list_name + ".0.at_s")
    path = path or parse_name(list_name + ".0.exercise")
    if path is None:
        return False
    parent = lookup(document, path[:-3]) if len(path) > 3 else document
    if not isinstance(parent, dict):
        return False
    items = parent.setdefault(path[-3], [])
    if not isinstance(items, list) or len(items) >= limit:
        return False
    items.append(item)
    return True
