"""Bad input, dates: whatever is typed as a date, a span or a repeat rule, the answer is a
value or one ValidationError naming the field, quickly."""

from __future__ import annotations

import datetime as dt

from hypothesis import example, given, settings
from hypothesis import strategies as st
from text_strategies import pasted_text

from rapport.dates import parse_offset, parse_optional_date, parse_when
from rapport.errors import ValidationError
from rapport.services.followups import parse_repeat

DATE_WORDS = [
    "today", "tonight", "now", "tomorrow", "yesterday", "next", "last", "this", "in", "ago",
    "at", "mon", "fri", "sunday", "week", "month", "year", "d", "w", "m", "y", "+", "-", "3",
    "0", "9999", "10000", "-1", "31", "2027-03-01", "2027-02-30", "0000-00-00", "9999-12-31",
    "3 Aug", "1/2/2027", "13/13/13", "9am", "14:00", "25:00", "12:60", "noon", "midnight",
    "pm", "a.m.", ",", "T", "Z", "+05:00", "1e9", "∞", "٣", "２０２７",
]  # fmt: skip
date_like = st.one_of(
    st.lists(st.sampled_from(DATE_WORDS), max_size=6).map(" ".join),
    st.lists(st.sampled_from(DATE_WORDS), max_size=6).map("".join),
    pasted_text,
)

RULE_PARTS = [
    "FREQ=DAILY", "FREQ=WEEKLY", "FREQ=MONTHLY", "FREQ=YEARLY", "FREQ=SECONDLY",
    "FREQ=MINUTELY", "FREQ=HOURLY", "FREQ=", "INTERVAL=0", "INTERVAL=-1", "INTERVAL=1000000",
    "COUNT=0", "COUNT=1", "COUNT=99999999", "UNTIL=19000101", "UNTIL=99991231T235959Z",
    "BYMONTH=2", "BYMONTHDAY=30", "BYMONTHDAY=31", "BYMONTH=13", "BYSETPOS=-1",
    "BYDAY=MO", "BYDAY=5FR", "BYDAY=XX", "BYWEEKNO=53", "BYYEARDAY=366", "BYYEARDAY=-366",
    "BYHOUR=25", "WKST=SU", "RRULE:", "every", "3", "weeks", "monday", "daily", "never",
]  # fmt: skip
rule_like = st.one_of(
    st.lists(st.sampled_from(RULE_PARTS), max_size=5).map(";".join),
    st.lists(st.sampled_from(RULE_PARTS), max_size=4).map(" ".join),
    pasted_text,
)


@given(date_like)
def test_date_words_give_a_date_or_a_readable_refusal(text: str) -> None:
    try:
        when = parse_when(text, field="due")
    except ValidationError as exc:
        assert exc.field == "due" and "\n" not in str(exc)
        return
    assert isinstance(when.date, dt.date) and not isinstance(when.date, dt.datetime)
    assert when.time is None or isinstance(when.time, dt.time)


@given(date_like)
def test_optional_dates_and_spans_give_a_value_or_a_readable_refusal(text: str) -> None:
    for parse in (parse_optional_date, parse_offset):
        try:
            parse(text, field="when")
        except ValidationError as exc:
            assert exc.field == "when" and "\n" not in str(exc)


@settings(deadline=2000)
@given(rule_like)
# Found by this test: the second FREQ went unchecked; a negative INTERVAL raised
# dateutil's ValueError; impossible rules took dateutil seconds to rule out.
@example("FREQ=DAILY;FREQ=SECONDLY")
@example("FREQ=DAILY;INTERVAL=-1;BYDAY=5FR")
@example("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30")
@example("FREQ=DAILY;BYSETPOS=2")
def test_repeat_rules_give_a_rule_or_a_readable_refusal_in_bounded_time(text: str) -> None:
    try:
        rule = parse_repeat(text, start=dt.date(2026, 11, 23))
    except ValidationError as exc:
        assert exc.field == "repeat" and "\n" not in str(exc)
        return
    assert rule == "" or rule.startswith("FREQ=") or ";FREQ=" in rule
    assert "SECONDLY" not in rule and "MINUTELY" not in rule and "HOURLY" not in rule
