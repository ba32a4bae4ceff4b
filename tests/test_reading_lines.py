"""A file's lines are broken where universal newlines break them, whichever way they are
read: all at once (str.splitlines, when it agrees) or one by one."""

from __future__ import annotations

import inspect

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rapport import reading
from rapport.errors import ImportFailed

_PIECES = st.sampled_from(
    [
        "a",
        "é",
        ",",
        '"',
        " ",
        "\n",
        "\r",
        "\r\n",
        "\v",
        "\f",
        "\x1c",
        "\x1d",
        "\x1e",
        "\x85",
        "\u2028",
        "\u2029",
    ]
)


@given(st.lists(_PIECES, max_size=30).map("".join))
def test_lines_are_those_universal_newlines_give(text: str) -> None:
    assert list(reading.physical_lines(text, "f.csv")) == list(
        reading._lines_one_by_one(text, "f.csv")
    )
    assert "".join(reading.physical_lines(text, "f.csv")) == text


def test_a_line_break_splitlines_knows_and_csv_does_not_stays_in_its_line() -> None:
    text = "Ann,Lee\x85Jr.\r\nBob,Ray\u2028\n"
    assert list(reading.physical_lines(text, "f.csv")) == ["Ann,Lee\x85Jr.\r\n", "Bob,Ray\u2028\n"]


def test_a_line_over_the_limit_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reading, "MAX_LINE_CHARS", 5)
    monkeypatch.setattr(reading, "_LINE", reading.re.compile(r"[^\r\n]{0,5}(?:\r\n|\r|\n)?"))
    with pytest.raises(ImportFailed, match="line 2 is longer than 5 characters"):
        list(reading.physical_lines("abc\nabcdefgh\n", "f.csv"))


def test_a_long_text_is_read_a_line_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    # Its lines are not all held at once beside it: a 64 MB file would double.
    monkeypatch.setattr(reading, "_SPLIT_AT_ONCE_CHARS", 10)
    lines = reading.physical_lines("Ann,Lee\nBob,Ray\n", "f.csv")
    assert inspect.isgenerator(lines)
    assert list(lines) == ["Ann,Lee\n", "Bob,Ray\n"]
    assert not inspect.isgenerator(reading.physical_lines("Ann,Lee\n", "f.csv"))
