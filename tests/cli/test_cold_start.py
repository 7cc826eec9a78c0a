"""What a short command loads (issue 21): ``sirelief report`` must not pay for the web
server, the other commands, Alembic, FHIR, mail, QR codes, push keys or Rich, nor parse the
shipped YAML again once it was parsed. Checked in a fresh process, through the console
script's own entry, by the modules it imported, never by a time."""

import json
import os
import subprocess
import sys

import typer

from sirelief.cli import app as cli_app
from sirelief.cli import commands

UNNEEDED_BY_REPORT = (
    "starlette", "uvicorn", "jinja2", "multipart", "python_multipart", "httptools", "uvloop",
    "alembic", "mako", "rich", "fhir", "fhir_core", "argon2", "pyotp", "zxcvbn",
    "icalendar", "smtplib", "segno", "cryptography", "pywebpush", "py_vapid", "resvg_py",
    "numpy", "pandas", "matplotlib", "statsmodels",
)  # fmt: skip
"""Top-level packages ``sirelief report --json`` does without (when the schema is current)."""

PROGRAM = """
import contextlib, io, json, sys
from sirelief.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    status = main({args!r})
print(json.dumps({{"exit": status, "modules": sorted(sys.modules)}}))
"""


def run_command(tmp_path, args: list[str]) -> dict:
    environment = {
        **os.environ,
        "SIRELIEF_DATA_DIR": str(tmp_path / "data"),
        "SIRELIEF_CACHE_DIR": str(tmp_path / "cache"),
    }
    environment.pop("SIRELIEF_DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-c", PROGRAM.format(args=args)],
        capture_output=True, text=True, env=environment, timeout=300, check=True,
    )  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])


def top_level(modules: list[str]) -> set[str]:
    return {name.split(".")[0] for name in modules}


def test_report_does_not_import_the_web_server_or_other_commands_libraries(tmp_path):
    run_command(tmp_path, ["report", "--json"])  # creates the database, parses the YAML
    seen = run_command(tmp_path, ["report", "--json"])
    assert seen["exit"] == 0
    loaded = top_level(seen["modules"])
    assert not loaded & set(UNNEEDED_BY_REPORT), sorted(loaded & set(UNNEEDED_BY_REPORT))
    ours = {name for name in seen["modules"] if name.startswith("sirelief.")}
    modules = {*cli_app.GROUPS.values(), *cli_app.TOP_LEVEL.values()} - {"report"}
    other_commands = {f"sirelief.cli.{module}" for module in modules}
    assert not ours & other_commands, sorted(ours & other_commands)
    assert not {name for name in ours if name.startswith("sirelief.web")}
    assert "sirelief.services.fhir_export" not in ours


def test_report_reads_the_shipped_yaml_from_the_cache_once_it_was_parsed(tmp_path):
    first = run_command(tmp_path, ["report", "--json"])
    assert "ruamel" in top_level(first["modules"])
    assert (tmp_path / "cache" / "parsed-yaml.json").is_file()
    second = run_command(tmp_path, ["report", "--json"])
    assert second["exit"] == 0
    assert "ruamel" not in top_level(second["modules"])


def test_each_top_level_command_is_listed_with_the_module_that_defines_it():
    """The table lets a command line import one module; a command missing from it (or
    listed with the wrong module) would be unreachable that way."""
    for module_name in set(cli_app.TOP_LEVEL.values()):
        module = cli_app._module(module_name)
        defined = {
            getattr(function, "command_name", None)
            for function in vars(module).values()
            if callable(function) and getattr(function, "__module__", None) == module.__name__
        } - {None}
        listed = {name for name, owner in cli_app.TOP_LEVEL.items() if owner == module_name}
        assert defined == listed, module_name
    for module_name in cli_app.GROUPS.values():
        assert isinstance(commands.group(cli_app._module(module_name)), typer.Typer)


def test_the_whole_tree_and_each_commands_own_part_hold_the_same_commands():
    whole = typer.main.get_command(cli_app.create_cli())
    assert set(whole.commands) == set(cli_app.GROUPS) | set(cli_app.TOP_LEVEL)
    for name in (*cli_app.GROUPS, *cli_app.TOP_LEVEL):
        part = typer.main.get_command(cli_app.create_cli(only=name))
        assert name in part.commands
        assert part.commands[name].help == whole.commands[name].help


def test_only_a_command_line_starting_with_a_known_command_builds_a_part():
    assert cli_app.named_command(["report", "--json"]) == "report"
    assert cli_app.named_command(["routines", "list"]) == "routines"
    assert cli_app.named_command(["--database-url", "sqlite://", "report"]) is None
    assert cli_app.named_command(["reprot"]) is None
    assert cli_app.named_command([]) is None
