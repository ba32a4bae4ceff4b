"""Text folded for matching: case and accents ignored, plain ASCII folded without decomposing."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rapport.services import clean


def _folded(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@given(st.text())
def test_any_text_folds_as_it_always_did(text: str) -> None:
    assert clean.normalized(text) == _folded(text)


@given(st.text(alphabet=st.characters(max_codepoint=0x7F)))
def test_ascii_text_folds_as_it_always_did(text: str) -> None:
    assert clean.normalized(text) == _folded(text)


def test_plain_ascii_is_folded_without_decomposing(monkeypatch: pytest.MonkeyPatch) -> None:
    # The app folds every contact's name, organization, role, email, tags and
    # goals when it loads them: 250,000 characters a time for 5,000 follow-ups.
    def refused(form: str, text: str) -> str:
        raise AssertionError("decomposed plain ASCII")

    monkeypatch.setattr(clean.unicodedata, "normalize", refused)
    assert clean.normalized("Dana WHITFIELD, Platform Lead") == "dana whitfield, platform lead"
    monkeypatch.undo()
    assert clean.normalized("Zoë Ñúñez") == "zoe nunez"
