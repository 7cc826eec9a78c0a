"""The cache of parsed shipped YAML (``parsed_cache``): the same document as a fresh parse,
a changed text parsed again, a damaged cache ignored, a broken file never cached."""

import pytest

from sirelief.catalogue import parsed_cache
from sirelief.catalogue.loader import builtin_catalogue
from sirelief.catalogue.yaml_source import parse_yaml
from sirelief.domain.problems import InvalidFileError

TEXT = "id: bridge\nname: Bridge\nsteps:\n  - hold_s: 5\n  - hold_s: 10\n"


@pytest.fixture(autouse=True)
def own_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("SIRELIEF_CACHE_DIR", str(tmp_path))
    parsed_cache._entries.cache_clear()
    yield tmp_path / "parsed-yaml.json"
    parsed_cache._entries.cache_clear()


def test_a_cached_document_has_the_data_and_the_lines_of_a_fresh_parse(own_cache):
    fresh = parse_yaml(TEXT, "a.yaml")
    parsed_cache.parse_shipped(TEXT, "a.yaml")
    parsed_cache._entries.cache_clear()  # a new process: read back from the file
    cached = parsed_cache.parse_shipped(TEXT, "a.yaml")
    assert cached == fresh
    assert cached.line_of(("steps", 1, "hold_s")) == 5


def test_a_changed_text_is_parsed_again(own_cache):
    parsed_cache.parse_shipped(TEXT, "a.yaml")
    changed = TEXT.replace("hold_s: 10", "hold_s: 12")
    assert parsed_cache.parse_shipped(changed, "a.yaml").data["steps"][1]["hold_s"] == 12


def test_a_damaged_cache_file_is_ignored_and_rewritten(own_cache):
    own_cache.write_text("{not json")
    assert parsed_cache.parse_shipped(TEXT, "a.yaml") == parse_yaml(TEXT, "a.yaml")
    assert "entries" in own_cache.read_text()


def test_a_file_that_does_not_parse_raises_with_its_line_and_is_not_cached(own_cache):
    with pytest.raises(InvalidFileError) as raised:
        parsed_cache.parse_shipped("id: a\nid: b\n", "bad.yaml")
    assert raised.value.problems[0].line == 2
    assert not own_cache.exists()


def test_the_builtin_catalogue_is_the_same_from_the_cache(own_cache):
    first = builtin_catalogue()
    parsed_cache._entries.cache_clear()
    assert builtin_catalogue() == first
