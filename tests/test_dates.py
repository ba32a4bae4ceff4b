"""The date words people type, and what must be refused."""

from __future__ import annotations

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta

from rapport.dates import When, add_span, parse_birthday, parse_date, parse_offset, parse_when
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


@pytest.mark.parametrize(
    ("locale", "typed", "meant"),
    [
        ("en_US.UTF-8", "1/2/2027", dt.date(2027, 1, 2)),
        ("en_GB.UTF-8", "1/2/2027", dt.date(2027, 2, 1)),
        ("de_DE.UTF-8", "01.02.27", dt.date(2027, 2, 1)),
        ("C.UTF-8", "13/2/2027", dt.date(2027, 2, 13)),  # only one reading
        ("C.UTF-8", "2/2/2027", dt.date(2027, 2, 2)),
    ],
)
def test_a_slash_date_follows_the_locale(
    monkeypatch: pytest.MonkeyPatch, locale: str, typed: str, meant: dt.date
) -> None:
    monkeypatch.setenv("LC_ALL", locale)
    assert parse_when(typed, now=NOW).date == meant


@pytest.mark.parametrize("locale", ["C.UTF-8", "POSIX", "", "ja_JP.UTF-8"])
def test_an_ambiguous_slash_date_is_refused_with_both_readings_where_the_locale_is_silent(
    monkeypatch: pytest.MonkeyPatch, locale: str
) -> None:
    monkeypatch.setenv("LC_ALL", locale)
    monkeypatch.delenv("LC_TIME", raising=False)
    monkeypatch.setenv("LANG", locale)
    with pytest.raises(ValidationError) as refused:
        parse_when("01/02/2027", field="due", now=NOW)
    assert str(refused.value).endswith(
        "“01/02/2027” could be Mon 1 Feb 2027 (day first) or Sat 2 Jan 2027 (month first); "
        "type 2027-02-01 or 2027-01-02"
    )


def test_a_time_alone_belongs_to_the_records_own_day() -> None:
    alone = parse_when("21:00", now=NOW)
    assert alone == When(TODAY, dt.time(21, 0))  # today, for a follow-up's due
    assert alone.on(dt.date(2027, 3, 5)) == When(dt.date(2027, 3, 5), dt.time(21, 0))
    dated = parse_when("tomorrow 21:00", now=NOW)
    assert dated.on(dt.date(2027, 3, 5)) == dated


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


def test_the_last_date_there_is_is_a_date() -> None:
    # Refused as "after the year 9000" before: a valid date, and arithmetic from it saturates.
    assert parse_date("9999-12-31", today=TODAY) == dt.date.max
    assert parse_birthday("--1231") == "--1231"


@pytest.mark.parametrize("text", ["2026-11-24", "11/24/2026", "9999-12-31", "24 Nov 2026"])
def test_a_birthday_after_today_is_refused(text: str) -> None:
    # Today is 2026-11-23 (the frozen clock): 2030-01-01 was taken as a birthday.
    with pytest.raises(ValidationError, match="is after today"):
        parse_birthday(text)
    assert parse_birthday("2026-11-23") == "2026-11-23"
    assert parse_birthday("11/24/26") == "1926-11-24"  # two digits: the century before
    assert parse_birthday("2030-01-01", omit_year=True) == "--0101"  # Apple's placeholder year


@pytest.mark.parametrize(
    ("day", "span", "moved"),
    [
        (dt.date(2026, 11, 23), 3, dt.date(2026, 11, 26)),
        (dt.date(9999, 12, 31), 1, dt.date.max),
        (dt.date(9999, 12, 25), relativedelta(weeks=2), dt.date.max),
        (dt.date(2026, 11, 23), relativedelta(years=9999), dt.date.max),
        (dt.date(2026, 11, 23), 10**12, dt.date.max),
        (dt.date(1, 1, 1), -1, dt.date.min),
        (dt.datetime(9999, 12, 31, 23, 45), dt.timedelta(minutes=30), dt.datetime.max),
    ],
)
def test_add_span_holds_at_the_last_date_instead_of_overflowing(
    day: dt.date, span: object, moved: dt.date
) -> None:
    assert add_span(day, span) == moved  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "day", "birthday"),
    [
        ("3/14/85", dt.date(1985, 3, 14), "1985-03-14"),  # Outlook's M/D/YY
        ("3/14/46", dt.date(2046, 3, 14), "1946-03-14"),  # 20 years ahead is a day, no birthday
        ("3/14/47", dt.date(1947, 3, 14), "1947-03-14"),
        ("3/14/26", dt.date(2026, 3, 14), "2026-03-14"),
        ("12/24/26", dt.date(2026, 12, 24), "1926-12-24"),  # not born yet: a century back
        ("3/14/00", dt.date(2000, 3, 14), "2000-03-14"),
    ],
)
def test_a_two_digit_year_is_the_nearest_past_century_for_a_birthday(
    text: str, day: dt.date, birthday: str
) -> None:
    from rapport.dates import parse_birthday, parse_day

    assert parse_day(text, "date") == day
    assert parse_birthday(text) == birthday
