"""The layers hold: the domain core stays pure (importing it pulls in no adapter or I/O
library), and every import in src/sirelief follows the layer rules written below as data."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

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


# --- The layers, as data --------------------------------------------------------------
# Today's truth, checked by the tests below on every import statement in src/sirelief,
# those inside functions too. docs/architecture.md says the same in words.

SRC = Path(sirelief.domain.__file__).parents[1]
"""The sirelief package folder (src/sirelief)."""

USE_CASE_MODULES = ("sirelief.services",)
"""The use cases: the services package, the one door web and CLI go through."""
PACKAGE_LAYERS = {
    "sirelief.domain": "domain",
    "sirelief.catalogue": "catalogue",
    "sirelief.storage": "storage",
    "sirelief.illustration": "illustration",
    "sirelief.web": "web",
    "sirelief.cli": "cli",
    "sirelief.settings": "settings",
    "sirelief.auth": "auth",
    **dict.fromkeys(USE_CASE_MODULES, "use_cases"),
    "sirelief": "root",
}
"""A module's layer: the entry for the longest name it starts with."""
MAY_IMPORT = {
    "root": set(),  # sirelief/__init__.py: the version, nothing else
    "settings": set(),
    "domain": {"domain"},
    "catalogue": {"catalogue", "domain"},
    # storage/import_check.py checks an imported file's routines with the catalogue loader.
    "storage": {"storage", "domain", "catalogue"},
    "illustration": {"illustration", "domain"},
    # Password hashing, TOTP, tokens, QR codes: libraries wrapped for the use cases.
    "auth": {"auth", "domain", "settings"},
    # Use cases sign people in with the auth package's hashing, TOTP and tokens.
    "use_cases": {"use_cases", "domain", "catalogue", "storage", "settings", "auth"},
    "web": {"web", "use_cases", "domain", "catalogue", "illustration", "settings", "root"},
    # `sirelief serve` starts the web app.
    "cli": {"cli", "web", "use_cases", "domain", "catalogue", "illustration", "settings",
            "root"},
}  # fmt: skip
"""What each layer may import. Web and CLI never import storage: they go through the use
cases. Nothing may import web or cli except cli itself (and cli the web app, to serve)."""
ALLOWED_IMPORT_VIOLATIONS: set[tuple[str, str]] = set()
"""(module, imported module) pairs that break MAY_IMPORT today. Empty: no module in web/
or cli/ imports sirelief.storage. Add nothing here: go through a use case."""
STORAGE_PARTS = (
    "store", "session_log", "checkin_store", "routine_store", "accounts_store", "database",
)  # fmt: skip
"""The attributes of ``Services`` (and of use cases) that hold storage."""
STORAGE_REACHED_THROUGH_LIBRARY: dict[str, set[str]] = {}
"""Modules of web/ and cli/ that touch ``<something>.store`` or ``<something>.database``:
none since the services package (issue 16 item 1). Web and CLI call use cases only."""


def module_name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def source_modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(SRC.rglob("*.py"))}


def layer_of(module: str) -> str | None:
    owners = [name for name in PACKAGE_LAYERS if module == name or module.startswith(name + ".")]
    return PACKAGE_LAYERS[max(owners, key=len)] if owners else None


def imported_modules(module: str, path: Path, known: set[str]) -> set[str]:
    """Every sirelief module that ``module`` imports, anywhere in its file: top level,
    inside functions, relative imports, ``from sirelief import storage`` and
    ``importlib.import_module("sirelief...")`` with a literal name."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([node.module] if node.module else [])])
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                found.add(submodule if submodule in known else base)
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", None))
            in ("import_module", "__import__")
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.add(node.args[0].value)
    return {name for name in found if name == "sirelief" or name.startswith("sirelief.")}


def layer_violations() -> set[tuple[str, str]]:
    modules = source_modules()
    known = set(modules)
    return {
        (module, imported)
        for module, path in modules.items()
        for imported in imported_modules(module, path, known)
        if layer_of(imported) not in MAY_IMPORT[layer_of(module)]
    }


def test_every_module_has_a_layer() -> None:
    """A new top-level module must be given a layer (and so its rules) here."""
    unplaced = [m for m in source_modules() if layer_of(m) is None]
    assert unplaced == []
    assert {layer_of(m) for m in source_modules()} == set(MAY_IMPORT)


def test_the_import_reader_sees_every_form_of_import(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import sirelief.domain.plan\n"
        "from sirelief import storage\n"
        "from sirelief.web import app as web_app\n"
        "def later():\n"
        "    from sirelief.services import Library\n"
        "    import importlib\n"
        "    importlib.import_module('sirelief.cli.app')\n"
        "    from . import forms\n"
        "    from ..domain import session\n",
        encoding="utf-8",
    )
    known = {"sirelief.storage", "sirelief.web.app", "sirelief.web.forms", "sirelief.domain"}
    assert imported_modules("sirelief.web.sample", sample, known) == {
        "sirelief.domain.plan", "sirelief.storage", "sirelief.web.app", "sirelief.services",
        "sirelief.cli.app", "sirelief.web.forms", "sirelief.domain",
    }  # fmt: skip


def test_each_layer_imports_only_what_it_may() -> None:
    """Fails on a new import across the rules (web/ or cli/ importing sirelief.storage, the
    domain importing a use case, storage importing web...), and on an allowed violation
    that was fixed but left listed: the list only ever shrinks."""
    assert layer_violations() == ALLOWED_IMPORT_VIOLATIONS, "see docs/architecture.md"


@pytest.mark.parametrize(
    ("module", "allowed"),
    [("sirelief.web.pages.today", False), ("sirelief.cli.data", False),
     ("sirelief.services.sessions", True), ("sirelief.domain.plan", False)],
)  # fmt: skip
def test_the_rules_catch_an_import_of_storage(tmp_path: Path, module: str, allowed: bool) -> None:
    """The rule is not vacuous: web, cli or the domain importing storage (even inside a
    function) is a violation; a use case importing it is not."""
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from sirelief.storage.store import Store\n")
    imported = imported_modules(module, sample, set(source_modules()))
    assert imported == {"sirelief.storage.store"}
    assert (layer_of("sirelief.storage.store") in MAY_IMPORT[layer_of(module)]) is allowed


def storage_reached_through_library() -> dict[str, set[str]]:
    """Modules of web/ and cli/ that use ``<something>.store`` or ``<something>.database``."""
    found: dict[str, set[str]] = {}
    for module, path in source_modules().items():
        if layer_of(module) not in ("web", "cli"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {
            node.attr
            for node in ast.walk(tree)
            if isinstance(node, ast.Attribute) and node.attr in STORAGE_PARTS
        }
        if names:
            found[module] = names
    return found


def test_web_and_cli_reach_storage_only_where_they_did_already() -> None:
    """Equal, not just within: a new one fails, and so does a fixed one left listed."""
    assert storage_reached_through_library() == STORAGE_REACHED_THROUGH_LIBRARY
