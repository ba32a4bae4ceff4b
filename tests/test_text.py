"""Printed text: control characters escaped, and text without any passed through untouched."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rapport import text

# What escape_controls has always written: every control character as \uXXXX,
# but a colour (SGR) and a CRLF.
_REFERENCE = re.compile(r"\x1b\[[0-9;]*m|\r\n|([\x00-\x08\x0b-\x1f\x7f-\x9f])")


def _reference(value: str) -> str:
    return _REFERENCE.sub(lambda m: f"\\u{ord(m[1]):04x}" if m[1] else m[0], value)


@given(st.text(alphabet=st.characters(max_codepoint=0x2FF)))
def test_escaping_is_what_it_was_for_any_text(value: str) -> None:
    assert text.escape_controls(value) == _reference(value)


@given(st.text(alphabet=st.characters(max_codepoint=0x7F)))
def test_escaping_is_what_it_was_for_ascii_text(value: str) -> None:
    assert text.escape_controls(value) == _reference(value)


@pytest.mark.parametrize(
    ("printed", "shown"),
    [
        ("Ana\x1b]52;c;bad\x07", "Ana\\u001b]52;c;bad\\u0007"),
        ("Zoë\x9b2J", "Zoë\\u009b2J"),
        ("a\x7fb", "a\\u007fb"),
        ("\x1b[1mID\x1b[0m\r\n\tx\n", "\x1b[1mID\x1b[0m\r\n\tx\n"),
    ],
)
def test_controls_are_escaped_in_ascii_and_other_text(printed: str, shown: str) -> None:
    assert text.escape_controls(printed) == shown


def test_a_large_output_without_controls_is_not_rewritten(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # `contacts list --json` at 30,000 contacts is 9 MB: the substitution took
    # 250 ms of its 666; text with nothing to escape skips it.
    class Watched:
        def sub(self, *args: object) -> str:
            raise AssertionError("substituted text that had nothing to escape")

    monkeypatch.setattr(text, "_SHOWN", Watched())
    for value in ('[\n  {\n    "name": "Ana"\n  }\n]' * 1000, "Zoë Müller, 北京\n" * 1000):
        assert text.escape_controls(value) is value
