"""The server's secret and the CSRF tokens it signs.

A token is ``<nonce>.<HMAC-SHA256(secret, nonce)>``: a page can only carry a token this
server made, so a token planted by another site (or typed by hand) is refused even when a
cookie repeats it. The secret comes from the ``secret_key`` setting, or is created once in
the data folder with mode 0600 (atomically: two servers starting together agree on it).
"""

import base64
import contextlib
import hashlib
import hmac
import os
import secrets
from pathlib import Path

from sirelief.settings import Settings

SECRET_FILE = "secret_key"
SECRET_BYTES = 32
NONCE_BYTES = 18
TOKEN_CHARS = 24 + 1 + 43
"""A nonce (24 base64 characters), a dot and the signature (43)."""


class SecretError(OSError):
    """The secret file cannot be read or created; names the file and the fix."""


def server_secret(settings: Settings) -> bytes:
    """The key that signs tokens: the setting, else the data folder's file (made once)."""
    if settings.secret_key is not None:
        return settings.secret_key.get_secret_value().encode("utf-8")
    path = Path(settings.data_dir) / SECRET_FILE
    try:
        return _read(path) or _create(path)
    except OSError as error:
        raise SecretError(
            f"cannot read or create {path} ({error.strerror}); make the data folder "
            "writable or set SIRELIEF_SECRET_KEY to 32 or more random characters"
        ) from None


def make_secret_file(settings: Settings) -> Path | None:
    """The secret file, made now if absent and readable by its owner only (mode 0600, also
    when an older one was not): ``sirelief setup`` makes it before any server needs it, so
    every worker of ``sirelief serve --workers N`` reads the same key. None when the
    ``secret_key`` setting holds the key instead."""
    if settings.secret_key is not None:
        return None
    server_secret(settings)
    path = Path(settings.data_dir) / SECRET_FILE
    try:
        if path.stat().st_mode & 0o077:
            path.chmod(0o600)
    except OSError as error:
        raise SecretError(f"cannot make {path} private ({error.strerror})") from None
    return path


def _read(path: Path) -> bytes | None:
    with contextlib.suppress(FileNotFoundError):
        key = path.read_bytes().strip()
        if len(key) >= SECRET_BYTES:
            return key
    return None


def _create(path: Path) -> bytes:
    """Write a new key to a private temporary file, then link it in place: whoever links
    first wins and every other server reads that one key."""
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(SECRET_BYTES).encode("ascii")
    temporary = path.with_name(f".{SECRET_FILE}.{secrets.token_hex(8)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(key)
            file.flush()
            os.fsync(file.fileno())
        try:
            os.link(temporary, path)
        except FileExistsError:
            found = _read(path)
            if found is None:
                raise
            return found
    finally:
        temporary.unlink(missing_ok=True)
    return key


def _sign(secret: bytes, nonce: str) -> str:
    digest = hmac.new(secret, nonce.encode("ascii"), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")


def new_token(secret: bytes) -> str:
    """A fresh signed token."""
    nonce = secrets.token_urlsafe(NONCE_BYTES)
    return f"{nonce}.{_sign(secret, nonce)}"


def token_valid(secret: bytes, token: str) -> bool:
    """True for a token this server signed (checked in constant time).

    >>> key = b"k" * 32
    >>> token_valid(key, new_token(key)), token_valid(key, "a" * 43)
    (True, False)
    """
    if len(token) != TOKEN_CHARS or not token.isascii():
        return False
    nonce, _, signature = token.partition(".")
    return hmac.compare_digest(signature.encode("ascii"), _sign(secret, nonce).encode("ascii"))
