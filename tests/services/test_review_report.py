"""The Markdown helpers of the weekly check-in (tests/cli golden-tests the whole of it)."""

from __future__ import annotations

import datetime as dt

import pytest

from rapport.services.review_report import date_span, md, weekday


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("Dana Whitfield", "Dana Whitfield"),
        ("fix *all* the_things", r"fix \*all\* the\_things"),
        ("[link](http://x) <b>bold</b>", r"\[link\](http://x) \<b\>bold\</b\>"),
        ("back\\slash `code`", r"back\\slash \`code\`"),
        ("SRE & Platform Meetup #41", "SRE & Platform Meetup #41"),
        ("two\nlines", "two lines"),
    ],
)
def test_typed_text_reads_as_typed_in_markdown(text: str, shown: str) -> None:
    assert md(text) == shown


@pytest.mark.parametrize(
    ("start", "end", "words"),
    [
        (dt.date(2026, 11, 17), dt.date(2026, 11, 23), "17–23 Nov 2026"),
        (dt.date(2026, 11, 26), dt.date(2026, 12, 2), "26 Nov – 2 Dec 2026"),
        (dt.date(2026, 12, 28), dt.date(2027, 1, 3), "28 Dec 2026 – 3 Jan 2027"),
    ],
)
def test_date_spans_across_month_and_year_ends(start: dt.date, end: dt.date, words: str) -> None:
    assert date_span(start, end) == words


def test_weekday() -> None:
    assert weekday(dt.date(2027, 1, 3)) == "Sun 3 Jan"
