"""Reading request bodies with limits: size while it streams, form fields, JSON shape.

Every refusal is a ``BadRequest`` carrying the status and a message that names the
problem; the security middleware and the handlers turn it into a calm page or a JSON
error, so no hostile body ever reaches the server-error page.
"""

import json
import math
import re
from typing import Any

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.requests import ClientDisconnect, Request
from starlette.types import Message, Receive

MAX_BODY_BYTES = 1024 * 1024
"""Larger than any form, routine file or event batch sirelief sends."""
MAX_FORM_FIELDS = 200
"""The check-in, the largest form, has about 30 fields."""
MAX_JSON_DEPTH = 8
MAX_INTEGER_DIGITS = 15
"""Every integer sirelief stores fits, and a float keeps it exactly."""
ID_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,64}")
SHORT_FIELD = 64


class BadRequest(HTTPException):
    """A body or field sirelief refuses; ``status_code`` is 400 or 413."""

    def __init__(self, message: str, status_code: int = 400) -> None:
        super().__init__(status_code, message)


def too_large_message(limit: int = MAX_BODY_BYTES) -> str:
    return (
        f"The request is larger than sirelief accepts ({limit // 1024 // 1024} MB). "
        "Send less at once."
    )


async def read_body(receive: Receive, limit: int = MAX_BODY_BYTES) -> bytes:
    """The whole body, counted as it arrives (chunked or not): past ``limit`` bytes it
    stops reading and raises ``BadRequest`` 413, so a huge body is never held in memory."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ClientDisconnect()
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise BadRequest(too_large_message(limit), status_code=413)
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def replay(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that hands the app the body already read, then waits as usual."""
    sent = False

    async def again() -> Message:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return again


async def read_form(
    request: Request, max_fields: int = MAX_FORM_FIELDS, max_files: int = 0
) -> FormData:
    """The form, or ``BadRequest`` 400 naming what is wrong with it."""
    try:
        return await request.form(max_fields=max_fields, max_files=max_files)
    except (MultiPartException, HTTPException, ValueError, UnicodeDecodeError) as error:
        detail = getattr(error, "detail", None) or getattr(error, "message", None) or ""
        raise BadRequest(
            f"sirelief could not read that form ({str(detail).rstrip('.') or 'malformed'}). "
            "Go back, reload the page and send it again."
        ) from None


def short_text(form: FormData, name: str, default: str = "", limit: int = SHORT_FIELD) -> str:
    """A text field, at most ``limit + 1`` characters: an over-long value stays invalid
    (no valid one is that long) but never grows a message or a query; a file gives ""."""
    value = form.get(name, default)
    return value[: limit + 1] if isinstance(value, str) else ""


def valid_id(value: Any) -> bool:
    """Ids (sessions, events, routines) are ASCII letters, digits, ``_`` and ``-``, 1-64."""
    return isinstance(value, str) and ID_PATTERN.fullmatch(value) is not None


class _Refused:
    """A JSON value parsed but refused; kept as a marker so the walk can name its place."""

    def __init__(self, reason: str) -> None:
        self.reason = reason


def _integer(text: str) -> Any:
    if len(text.lstrip("-")) > MAX_INTEGER_DIGITS:
        return _Refused(f"a number with more than {MAX_INTEGER_DIGITS} digits")
    return int(text)


def _float(text: str) -> Any:
    value = float(text)
    return value if math.isfinite(value) else _Refused("a number too large to store")


def _constant(text: str) -> Any:
    return _Refused(f"{text}, which is not a number JSON allows")


def read_json(body: bytes) -> Any:
    """The JSON document in ``body``; ``BadRequest`` names the place of the first problem
    (``events[2].at: ...``): invalid UTF-8, NaN or Infinity, over-long integers, nesting
    deeper than ``MAX_JSON_DEPTH``, or a lone surrogate (``\\ud800``) in a string."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequest("the body is not valid UTF-8 text") from None
    depth = _deepest(text)
    if depth > MAX_JSON_DEPTH:
        raise BadRequest(f"the JSON is nested {depth} deep; at most {MAX_JSON_DEPTH} is allowed")
    try:
        data = json.loads(text, parse_int=_integer, parse_float=_float, parse_constant=_constant)
    except (json.JSONDecodeError, RecursionError) as error:
        raise BadRequest(f"the body is not JSON ({getattr(error, 'msg', 'too deep')})") from None
    _check(data, "")
    return data


def _deepest(text: str) -> int:
    """How deeply brackets nest outside strings (before parsing, which would recurse)."""
    if "[" not in text and "{" not in text:
        return 0
    depth = deepest = 0
    # strings cannot hold raw brackets that count: drop them first (escapes included)
    for match in re.finditer(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', text):
        token = match.group()
        if token in "[{":
            depth += 1
            deepest = max(deepest, depth)
            if deepest > MAX_JSON_DEPTH:
                return deepest
        elif token in "]}":
            depth -= 1
    return deepest


def _check(value: Any, where: str) -> None:
    if isinstance(value, _Refused):
        raise BadRequest(f"{where or 'the body'}: {value.reason}")
    if isinstance(value, str):
        _text(value, where)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check(item, f"{where}[{index}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            _text(key, where or "the body")
            name = key if len(key) <= SHORT_FIELD else key[:SHORT_FIELD] + "..."
            _check(item, f"{where}.{name}" if where else name)


def _text(value: str, where: str) -> None:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise BadRequest(
            f"{where or 'the body'}: text with an unpaired surrogate (\\ud800-\\udfff); "
            "send valid Unicode"
        ) from None
