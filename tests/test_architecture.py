"""The domain core stays pure: importing it pulls in no adapter or I/O library."""

import subprocess
import sys
from pathlib import Path

import sirelief.domain

FORBIDDEN = (
    "sqlalchemy", "alembic", "fastapi", "starlette", "typer", "click", "rich", "httpx",
    "requests", "jinja2", "ruamel", "yaml", "platformdirs", "pydantic_settings",
    "sirelief.cli", "sirelief.catalogue", "sirelief.storage", "sirelief.web",
    "sirelief.services", "sirelief.settings",
)  # fmt: skip


def test_domain_imports_no_adapter() -> None:
    domain_dir = Path(sirelief.domain.__file__).parent
    modules = sorted(f"sirelief.domain.{p.stem}" for p in domain_dir.glob("*.py"))
    script = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        f"bad = sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r} "
        f"or any(m == f or m.startswith(f + '.') for f in {FORBIDDEN!r}))\n"
        "print('\\n'.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "", f"sirelief.domain imports: {result.stdout}"


def test_domain_does_not_read_the_clock_or_files() -> None:
    """Time and I/O come in as parameters; a grep keeps the habit honest."""
    domain_dir = Path(sirelief.domain.__file__).parent
    for path in domain_dir.glob("*.py"):
        source = path.read_text(encoding="utf-8")
        for banned in ("datetime.now", "time.time(", "open(", "os.environ", "Path("):
            assert banned not in source, f"{path.name} uses {banned}"
