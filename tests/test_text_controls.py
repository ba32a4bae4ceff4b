"""without_controls answers text that holds nothing to drop at once, and drops the same
characters as before from text that does."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from rapport.text import CONTROL, without_controls

PIECES = ["a", "é", "名", "\t", "\n", "\r", "\r\n", "\x1b", "\x85", "\ufeff", "\u2028"]


@given(st.lists(st.sampled_from(PIECES)))
def test_control_characters_are_dropped_and_line_breaks_made_newlines(pieces: list[str]) -> None:
    text = "".join(pieces)
    expected = text.replace("\r\n", "\n").replace("\r", "\n").translate(CONTROL)
    assert without_controls(text) == expected


def test_text_without_control_characters_is_kept_as_it_is() -> None:
    text = "Zoë met 名前 at the pier,\tthen\nwrote"
    assert without_controls(text) is text
