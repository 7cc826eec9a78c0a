"""What a short command loads (issue 21 item 2): ``sirelief report`` must not pay for the
web server, the calendar feed, mail, QR codes or push keys, nor parse the shipped YAML
again once it was parsed. Checked in a fresh process by the modules it imported, never by
a time."""

import json
import os
import subprocess
import sys

UNNEEDED_BY_REPORT = (
    "starlette", "uvicorn", "jinja2", "icalendar", "smtplib", "segno", "cryptography",
    "numpy", "pandas", "matplotlib", "statsmodels",
)  # fmt: skip

PROGRAM = """
import json, sys
from sirelief.cli.app import create_cli
from typer.testing import CliRunner
result = CliRunner().invoke(create_cli(), {args!r})
print(json.dumps({{"exit": result.exit_code, "modules": sorted(sys.modules)}}))
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
    run_command(tmp_path, ["report", "--json"])  # the first run parses and caches the YAML
    seen = run_command(tmp_path, ["report", "--json"])
    assert seen["exit"] == 0
    loaded = top_level(seen["modules"])
    assert not loaded & set(UNNEEDED_BY_REPORT), sorted(loaded & set(UNNEEDED_BY_REPORT))


def test_report_reads_the_shipped_yaml_from_the_cache_once_it_was_parsed(tmp_path):
    first = run_command(tmp_path, ["report", "--json"])
    assert "ruamel" in top_level(first["modules"])
    assert (tmp_path / "cache" / "parsed-yaml.json").is_file()
    second = run_command(tmp_path, ["report", "--json"])
    assert second["exit"] == 0
    assert "ruamel" not in top_level(second["modules"])
