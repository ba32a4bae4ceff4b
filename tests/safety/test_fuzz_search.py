"""Bad input, the search box: any text, FTS5 syntax of every kind included, gives results
or a ValidationError, never an SQL error."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from text_strategies import pasted_text

from rapport.errors import ValidationError
from rapport.services.search import SearchHit, build_query, search

FTS5_PIECES = [
    '"', '""', "'", "*", "^", ":", "+", "-", "(", ")", "{", "}", ",", "NEAR", "NEAR(", "NEAR/",
    "AND", "OR", "NOT", "and", "or", "title:", "body:", "{title body}:", "rowid", "MATCH",
    "search_index", "dana", "py", "a", "ü", "ø", "\x00", "\\", "%", "_", ";", "--", "/*",
]  # fmt: skip
search_like = st.one_of(
    st.lists(st.sampled_from(FTS5_PIECES), max_size=8).map(" ".join),
    st.lists(st.sampled_from(FTS5_PIECES), max_size=8).map("".join),
    st.lists(st.one_of(st.sampled_from(FTS5_PIECES), pasted_text), max_size=5).map(" ".join),
)


@given(search_like)
def test_any_text_becomes_a_safe_query_or_nothing(text: str) -> None:
    query = build_query(text)
    assert query is None or isinstance(query, str)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(search_like)
def test_searching_any_text_never_raises_an_sql_error(sample_db: Path, text: str) -> None:
    try:
        hits = search(text)
    except ValidationError as exc:
        assert exc.field == "search"
        return
    assert all(isinstance(hit, SearchHit) for hit in hits)


def test_searching_undecodable_bytes_is_a_readable_refusal(sample_db: Path) -> None:
    # What Python makes of a terminal's non-UTF-8 bytes: lone surrogates.
    with pytest.raises(ValidationError):
        search("\udcff\udcfe")
    assert [h.kind for h in search("dana \udcff")][:1] == ["contact"]
