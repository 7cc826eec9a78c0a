"""Reading a file a person handed in (a routine, a check-in, an export)."""

from pathlib import Path

from sirelief.services.errors import ServiceError


def read_text_file(path: Path, max_bytes: int, what: str, not_text: str) -> str:
    """The file's text; every failure is a ``ServiceError`` naming the fix."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise ServiceError(
                f"the file is {size // 1024} KB; {what}s are at most {max_bytes // 1024} KB"
            )
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ServiceError("no such file: check the path") from None
    except IsADirectoryError:
        raise ServiceError(f"this is a folder: give the {what} inside it") from None
    except UnicodeDecodeError:
        raise ServiceError(not_text) from None
    except OSError as error:
        raise ServiceError(error.strerror or str(error)) from None
