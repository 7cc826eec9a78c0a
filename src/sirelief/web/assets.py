"""Static files: content-hashed URLs, cached for a year when the URL names the content."""

import functools
import gzip
import hashlib
from pathlib import Path

from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import FileResponse, Response
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


PACKED_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml")
"""Files worth compressing (the icons are PNG: compressed already)."""


@functools.lru_cache(maxsize=64)
def _packed(path: Path, mtime_ns: int) -> bytes:
    """The file gzip-compressed at the strongest level, once per version of it: smaller
    than the pages' on-the-fly level 3 (issue 19: the session page's weight), and no
    compressing on every request."""
    return gzip.compress(path.read_bytes(), compresslevel=9, mtime=0)


class Assets(StaticFiles):
    """A URL with the file's current hash is cached for a year (it names that content
    only); any other (the timer's module imports) is revalidated on each use. Text files
    go out compressed to a browser that takes gzip."""

    def file_response(self, full_path, stat_result, scope, status_code=200) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        path = Path(full_path)
        version = Request(scope).query_params.get("v")
        fresh = version is not None and version == _digest(path, stat_result.st_mtime_ns)
        response.headers["cache-control"] = LONG_CACHE if fresh else "no-cache"
        if isinstance(response, FileResponse) and status_code == 200 and _packs(response, scope):
            headers = {name: value for name, value in response.headers.items()
                       if name not in ("content-length", "accept-ranges")}  # fmt: skip
            headers |= {"content-encoding": "gzip", "vary": "Accept-Encoding"}
            return Response(_packed(path, stat_result.st_mtime_ns), headers=headers)
        return response


def _packs(response: FileResponse, scope) -> bool:
    kind = response.headers.get("content-type", "")
    accepted = Headers(scope=scope).get("accept-encoding", "")
    return "gzip" in accepted and kind.startswith(PACKED_TYPES)
