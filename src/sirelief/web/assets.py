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


PACKED_GZIP_LEVEL = 9
"""Files compressed once and served many times (static files, exercise figures) take the
strongest level: it costs once what it saves on every load (an animated figure is 13.5 KB
at the pages' on-the-fly level 3, 12.2 KB at 9)."""
PACKED_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml")
"""Files worth compressing (the icons are PNG: compressed already)."""


@functools.lru_cache(maxsize=64)
def _packed(path: Path, mtime_ns: int) -> bytes:
    """The file gzip-compressed at the strongest level, once per version of it: smaller
    than the pages' on-the-fly level 3 (issue 19: the session page's weight), and no
    compressing on every request."""
    return gzip.compress(path.read_bytes(), compresslevel=PACKED_GZIP_LEVEL, mtime=0)


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


def takes_gzip(headers: Headers) -> bool:
    """The request's browser accepts gzip (as Starlette's middleware reads it)."""
    return "gzip" in headers.get("accept-encoding", "")


def _packs(response: FileResponse, scope) -> bool:
    kind = response.headers.get("content-type", "")
    return takes_gzip(Headers(scope=scope)) and kind.startswith(PACKED_TYPES)
