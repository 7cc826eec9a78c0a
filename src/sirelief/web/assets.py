"""Static files: content-hashed URLs, cached for a year when the URL names the content."""

import functools
import hashlib
from pathlib import Path

from starlette.requests import Request
from starlette.responses import Response
from starlette.staticfiles import StaticFiles

STATIC = Path(__file__).parent / "static"
LONG_CACHE = "public, max-age=31536000, immutable"


@functools.lru_cache(maxsize=64)
def _digest(path: Path, mtime_ns: int) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def static_digest(name: str) -> str | None:
    """A short hash of a static file's content (recomputed when the file changes)."""
    path = STATIC / name
    try:
        return _digest(path, path.stat().st_mtime_ns)
    except OSError:
        return None


def static_url(name: str) -> str:
    """``/static/<name>?v=<content hash>``: a new URL whenever the file changes."""
    return f"/static/{name}?v={static_digest(name)}"


class Assets(StaticFiles):
    """A URL with the file's current hash is cached for a year (it names that content
    only); any other (the timer's module imports) is revalidated on each use."""

    def file_response(self, full_path, stat_result, scope, status_code=200) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        version = Request(scope).query_params.get("v")
        fresh = version is not None and version == _digest(Path(full_path), stat_result.st_mtime_ns)
        response.headers["cache-control"] = LONG_CACHE if fresh else "no-cache"
        return response
