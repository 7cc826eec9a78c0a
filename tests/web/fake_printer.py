"""A stand-in for Chromium where a test asks for many sheet PDFs but checks only who may
have them (the access matrix, the fuzz targets): it writes a tiny PDF at once, where the
real one takes seconds. tests/web/test_sheet_pdf.py prints with the real Chromium."""

from pathlib import Path

SCRIPT = """#!/bin/sh
for argument in "$@"; do
  case "$argument" in
    --print-to-pdf=*)
      printf '%%PDF-1.4\\n%% a stand-in for Chromium\\n' > "${argument#--print-to-pdf=}" ;;
  esac
done
"""


def fake_chromium(folder: Path) -> str:
    """The path of an executable that "prints" as Chromium's --print-to-pdf does."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "fake-chromium"
    path.write_text(SCRIPT)
    path.chmod(0o755)
    return str(path)
