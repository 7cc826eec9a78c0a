"""Hostile routine files (web upload and CLI check) and import files (CLI import)."""

import json

import pytest
from hypothesis import Phase, given, settings
from hypothesis import strategies as st

from tests.fuzz import strategies as fuzz
from tests.fuzz.harness import Target, builtin_routine_documents, dump_yaml

pytestmark = pytest.mark.fuzz
FUZZ = settings.get_profile("fuzz")
ROUTINES = builtin_routine_documents()


@settings(FUZZ)
@given(
    text=fuzz.routine_text(ROUTINES, dump_yaml),
    action=st.sampled_from(["check", "add", "add"]),
    replace=st.booleans(),
    name=st.one_of(st.just("mine.yaml"), fuzz.hostile_text().filter(bool)),
    via_cli=st.sampled_from([True, False, False, False, False]),
)
def test_routine_files(
    target: Target, text: str, action: str, replace: bool, name: str, via_cli: bool
) -> None:
    """Uploaded to the web app; one in five also through ``sirelief routines check``
    (a second each: it starts the whole CLI)."""
    form = {"action": action, **({"replace": "on"} if replace else {})}
    files = {"file": (name, text.encode("utf-8"), "application/yaml")}
    problems = target.write("routine upload", "POST", "/routines", data=form, files=files)
    if via_cli:
        problems += target.check_routine_with_cli(text)
    assert problems == []


@pytest.fixture
def export(target: Target) -> dict:
    """A real export: a session run to the end (with an assessment), a morning answer."""
    session = target.start_session()
    clock = target.session_clock(session)
    events = [{"id": f"event{i:04d}", "at": clock + i, "kind": "complete", "step": i}
              for i in range(60)]  # fmt: skip
    events.insert(0, {"id": "start-0000", "at": clock, "kind": "start"})
    target.client.post(
        f"/sessions/{session}/events", json={"events": events}, headers=target.headers()
    )
    return json.loads(target.export())


@settings(FUZZ, phases=[Phase.explicit, Phase.generate])
@given(data=st.data())
def test_import_files(target: Target, export: dict, data) -> None:
    document = data.draw(fuzz.import_document(export))
    text = json.dumps(document, ensure_ascii=False)
    assert target.import_file(text) == []
