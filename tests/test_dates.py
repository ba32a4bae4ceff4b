"""The date words people type, and what must be refused."""

from __future__ import annotations

import datetime as dt

import pytest

from rapport.dates import When, parse_date, parse_offset, parse_when
from rapport.errors import ValidationError

NOW = dt.datetime(2026, 11, 23, 9, 0)  # a Monday
TODAY = NOW.date()


def days(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("today", When(TODAY)),
        ("Tomorrow", When(days(1))),
        ("yesterday", When(days(-1))),
        ("+3d", When(days(3))),
        ("+2w", When(days(14))),
        ("+1m", When(dt.date(2026, 12, 23))),
        ("+1y", When(dt.date(2027, 11, 23))),
        ("-3d", When(days(-3))),
        ("in 3 days", When(days(3))),
        ("2 weeks ago", When(days(-14))),
        ("next monday", When(days(7))),
        ("monday", When(TODAY)),
        ("fri", When(days(4))),
        ("next fri", When(days(4))),
        ("last friday", When(days(-3))),
        ("next week", When(days(7))),
        ("2027-03-01", When(dt.date(2027, 3, 1))),
        ("2027-03-01 9:30", When(dt.date(2027, 3, 1), dt.time(9, 30))),
        ("9am tomorrow", When(days(1), dt.time(9))),
        ("tomorrow 9am", When(days(1), dt.time(9))),
        ("fri at 14:00", When(days(4), dt.time(14))),
        ("next monday 10:15pm", When(days(7), dt.time(22, 15))),
        ("3 Aug 2026", When(dt.date(2026, 8, 3))),
        ("Mon, 3 Aug 2026", When(dt.date(2026, 8, 3))),
        ("14:00", When(TODAY, dt.time(14))),
        ("noon tomorrow", When(days(1), dt.time(12))),
        ("  +2W  ", When(days(14))),
    ],
)
def test_people_can_type_dates_as_they_say_them(text: str, expected: When) -> None:
    assert parse_when(text, now=NOW) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "blorp",
        "2027-02-30",
        "tomorrow 9",
        "tomorrow at lunch",
        "25:00",
        "13pm",
        "99999999",
        "+99999d",
        "\x00",
        "fri 3 bananas",
        "+1000000y",
    ],
)
def test_what_cannot_be_read_is_refused_with_the_accepted_forms(text: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_when(text, field="due", now=NOW)
    message = str(caught.value)
    assert message.startswith("due: can't read")
    assert "tomorrow" in message and "+2w" in message


def test_a_date_field_drops_a_typed_time() -> None:
    assert parse_date("9am tomorrow", today=TODAY) == days(1)


def test_spans_for_snoozing() -> None:
    assert TODAY + parse_offset("+1w") == days(7)
    assert TODAY + parse_offset("2d") == days(2)
    with pytest.raises(ValidationError, match="by: can't read"):
        parse_offset("soonish")


def test_a_typed_offset_is_the_same_moment_on_the_persons_clock() -> None:
    # The tests run in America/Los_Angeles: 09:00 at +05:00 is 20:00 the evening before.
    assert parse_when("2026-12-01 09:00+05:00", now=NOW) == When(dt.date(2026, 11, 30), dt.time(20))
    assert parse_when("2026-12-01T17:00:00Z", now=NOW) == When(dt.date(2026, 12, 1), dt.time(9))


@pytest.mark.parametrize("text", ["2026-12-01 09:00+99:00", "2026-12-01 09:00+15:00"])
def test_an_offset_no_zone_has_is_refused(text: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_when(text, field="at", now=NOW)
    assert str(caught.value) == (
        f"at: {text!r} has a time-zone offset outside -12:00 to +14:00, "
        "the offsets of the world's time zones"
    )


def test_a_date_past_the_year_9000_is_refused_as_such_not_as_unreadable() -> None:
    with pytest.raises(ValidationError) as caught:
        parse_date("9999-12-31", today=TODAY)
    assert (
        str(caught.value)
        == "date: '9999-12-31' is after the year 9000, the last one rapport plans in"
    )
