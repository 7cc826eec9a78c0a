"""What a note may hold (domain/notes.py): the rules, and that they never do more than say no."""

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sirelief.domain.notes import MAX_NOTE_CHARACTERS, NoteError, clean_note


@given(st.text(st.characters(exclude_categories=("Cs",)), max_size=MAX_NOTE_CHARACTERS + 20))
def test_a_kept_note_is_trimmed_visible_and_within_the_limit(text: str) -> None:
    try:
        kept = clean_note(text)
    except NoteError:
        return
    assert kept
    assert kept == kept.strip()
    assert len(kept) <= MAX_NOTE_CHARACTERS
    assert "\r" not in kept
    assert all(c in "\n\t" or unicodedata.category(c)[0] != "C" for c in kept)


@given(st.text(st.characters(categories=("L", "N", "P", "Zs")), min_size=1, max_size=200))
def test_ordinary_words_are_kept_as_typed(words: str) -> None:
    if words.strip():
        assert clean_note(f"  {words}\r\n") == words.strip()


def test_windows_and_old_mac_line_endings_become_one_kind() -> None:
    assert clean_note("one\r\ntwo\rthree\n") == "one\ntwo\nthree"


def test_exactly_the_limit_is_kept_and_one_more_is_not() -> None:
    assert len(clean_note("a" * MAX_NOTE_CHARACTERS)) == MAX_NOTE_CHARACTERS
    with pytest.raises(NoteError, match="2,001 characters"):
        clean_note("a" * (MAX_NOTE_CHARACTERS + 1))
