"""The shipped YAML files, parsed once per installation instead of once per process.

Parsing the built-in exercises, routines and safety rules with the round-trip parser (and
the guard before it) costs close to a second of CPU, on every ``sirelief`` command: most of
a command's cold start (issue 21 item 2). The parsed data and its line map are kept in one
JSON file in the user's cache folder, keyed by the SHA-256 of each file's text, so an edited
or upgraded file is simply parsed again. Only the shipped files go through here, never a
person's upload; a cache that cannot be read or written is ignored.
"""

import hashlib
import json
import os
import tempfile
from functools import cache
from pathlib import Path

import platformdirs

from sirelief.catalogue.yaml_source import YamlDocument, parse_yaml

FORMAT = 1
"""Bump when the cached shape changes: older files are then ignored."""


def cache_file() -> Path:
    """``$SIRELIEF_CACHE_DIR/parsed-yaml.json``, or the platform's user cache folder."""
    folder = os.environ.get("SIRELIEF_CACHE_DIR") or platformdirs.user_cache_dir(
        "sirelief", appauthor=False
    )
    return Path(folder) / "parsed-yaml.json"


@cache
def _entries(path: Path) -> dict[str, dict]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        return {}
    entries = document.get("entries")
    return entries if isinstance(entries, dict) else {}


def _save(path: Path, entries: dict[str, dict]) -> None:
    """Written whole to a temporary file, then renamed: a reader never sees half of it."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(
            "w", dir=path.parent, prefix=".parsed-", suffix=".json", delete=False,
            encoding="utf-8",
        ) as handle:  # fmt: skip
            json.dump({"format": FORMAT, "entries": entries}, handle)
        Path(handle.name).replace(path)
    except (OSError, TypeError, ValueError):  # a full disk, or a value JSON cannot hold
        return


def parse_shipped(text: str, filename: str) -> YamlDocument:
    """``parse_yaml`` for a shipped file, from the cache when this exact text was parsed
    before. A file that does not parse raises as ``parse_yaml`` does and is not cached."""
    key = hashlib.sha256(text.encode("utf-8")).hexdigest()
    path = cache_file()
    entries = _entries(path)
    found = entries.get(key)
    if found is not None:
        try:
            lines = {tuple(where): line for where, line in found["lines"]}
            return YamlDocument(found["data"], lines)
        except (KeyError, TypeError, ValueError):
            pass
    document = parse_yaml(text, filename)
    entries[key] = {
        "data": document.data,
        "lines": [[list(where), line] for where, line in document.lines.items()],
    }
    _save(path, entries)
    return document
