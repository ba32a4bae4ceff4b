"""Parsing dates the way people type them: "tomorrow", "+2w", "next monday", "2027-03-01 9am".

Two entry points: :func:`parse_when` (a date with an optional time of day) and
:func:`parse_date` (a date only); :func:`parse_day` and :func:`parse_birthday`
read the dates contact files write.  All raise :class:`~rapport.errors.ValidationError`
naming the field and listing what is accepted, so the CLI and the TUI give the
same one-line answer.

Accepted, case-insensitive:

* ``today``, ``tomorrow``, ``yesterday``, ``now``
* offsets: ``+3d``, ``-2w``, ``+1m``, ``+1y``, ``in 3 days``, ``2 weeks ago``
* weekdays: ``fri`` (the next Friday, today included), ``next monday``
  (strictly after today), ``last friday`` (strictly before today),
  ``next week`` / ``next month``
* calendar dates: ``2027-03-01``, ``3 Aug 2026``, ``Aug 3``, ``13/2/2027``;
  ``1/2/2027``, which could be either day first or month first, is read the
  way the locale writes dates (LC_ALL, LC_TIME or LANG: ``en_US`` month
  first, ``en_GB`` or ``de_DE`` day first) and refused, naming both
  readings, where the locale does not say (C, POSIX, year-first locales)
* any of the above with a time: ``2027-03-01 9:30``, ``9am tomorrow``,
  ``fri at 14:00``; a time alone means today.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import TypeVar

from dateutil.relativedelta import relativedelta

from rapport import clock
from rapport.errors import ValidationError
from rapport.patterns import when_used

Day = TypeVar("Day", dt.date, dt.datetime)

ACCEPTED = (
    "today, tomorrow, yesterday, +3d, +2w, +1m, 2 weeks ago, next monday, fri, "
    "2027-03-01, 2027-03-01 9:30 or 9am tomorrow"
)

_WEEKDAYS = {
    "mon": 0, "monday": 0,
    "tue": 1, "tues": 1, "tuesday": 1,
    "wed": 2, "weds": 2, "wednesday": 2,
    "thu": 3, "thur": 3, "thurs": 3, "thursday": 3,
    "fri": 4, "friday": 4,
    "sat": 5, "saturday": 5,
    "sun": 6, "sunday": 6,
}  # fmt: skip

_UNITS = {
    "d": "days", "day": "days", "days": "days",
    "w": "weeks", "wk": "weeks", "wks": "weeks", "week": "weeks", "weeks": "weeks",
    "m": "months", "mo": "months", "month": "months", "months": "months",
    "y": "years", "yr": "years", "yrs": "years", "year": "years", "years": "years",
}  # fmt: skip

_UNIT = r"(?P<unit>" + "|".join(sorted(_UNITS, key=len, reverse=True)) + r")"
_DAY = r"(?P<day>" + "|".join(sorted(_WEEKDAYS, key=len, reverse=True)) + r")"

# Each pattern matches a whole date phrase; what is left must be a time or nothing.
_PHRASES = [
    when_used(r"\b(?P<word>today|tonight|now|tomorrow|tmrw|yesterday)\b"),
    when_used(r"(?<![\w:/.-])(?P<sign>[+-])\s*(?P<n>\d{1,4})\s*" + _UNIT + r"\b"),
    when_used(r"\bin\s+(?P<n>\d{1,4})\s*" + _UNIT + r"\b"),
    when_used(r"\b(?P<n>\d{1,4})\s*" + _UNIT + r"\s+ago\b"),
    when_used(r"\b(?P<which>next|this|last)\s+(?P<period>week|month|year)\b"),
    when_used(r"\b(?:(?P<which>next|this|last)\s+)?" + _DAY + r"\b"),
]

_TIME = when_used(
    r"^(?:at\s+)?(?:(?P<h>\d{1,2})(?::(?P<m>\d{2}))?\s*(?P<ampm>am|pm|a\.m\.|p\.m\.)?"
    r"|(?P<word>noon|midnight))$"
)

# "1/2/2027", "01.02.27", "1/2": two numbers either of which could be the month.
_NUMERIC = when_used(r"^(\d{1,2})[/.](\d{1,2})(?:[/.](\d{4}|\d{2}))?(?![\d/.])")
# Territories whose locales write the month first (CLDR's short date patterns).
_MONTH_FIRST = {"US", "PH", "FM", "MH", "PW", "AS", "GU", "MP", "PR", "UM", "VI"}
# Territories whose locales write the year first: 1/2 is not their way at all.
_YEAR_FIRST = {"CN", "JP", "KR", "TW", "HU", "LT", "MN", "SE", "CA"}


def locale_date_order() -> str | None:
    """ "dmy" or "mdy", as the person's locale writes a short date; None where
    it does not say (no locale, C, POSIX, or a year-first locale)."""
    name = os.environ.get("LC_ALL") or os.environ.get("LC_TIME") or os.environ.get("LANG") or ""
    territory = name.split(".")[0].split("@")[0].partition("_")[2].upper()
    if not territory or territory in _YEAR_FIRST:
        return None
    return "mdy" if territory in _MONTH_FIRST else "dmy"


def _day(value: dt.date) -> str:
    return f"{value:%a} {value.day} {value:%b %Y}"


def _numeric_date(text: str, today: dt.date, field: str, raw: str) -> str:
    """``text`` with a numeric date whose day and month could be swapped
    rewritten as an ISO date, the locale's way; refused, with both readings,
    where the locale does not tell.  Other text comes back as it is."""
    match = _NUMERIC().match(text)
    if match is None:
        return text
    first, second = int(match[1]), int(match[2])
    if first > 12 or second > 12 or first == second or not first or not second:
        return text  # only one reading (or none: dateutil says so)
    year = int(match[3]) if match[3] else today.year
    if match[3] and len(match[3]) == 2:
        year += 2000
    try:
        day_first = dt.date(year, second, first)
        month_first = dt.date(year, first, second)
    except ValueError:
        return text
    order = locale_date_order()
    if order is None:
        raise ValidationError(
            field,
            f"“{raw.strip()}” could be {_day(day_first)} (day first) or "
            f"{_day(month_first)} (month first); type {day_first.isoformat()} "
            f"or {month_first.isoformat()}",
        )
    chosen = day_first if order == "dmy" else month_first
    return chosen.isoformat() + text[match.end() :]


@dataclass(frozen=True)
class When:
    """A day, and a time of day when the person gave one."""

    date: dt.date
    time: dt.time | None = None
    # False for a time typed alone ("21:00"): ``date`` is then today, and a
    # record with a day of its own (an event's end) puts the time on that day.
    dated: bool = dataclass_field(default=True, compare=False)

    def on(self, day: dt.date) -> When:
        """This moment, on ``day`` if the person typed a time without a date."""
        return self if self.dated else When(day, self.time)

    def __str__(self) -> str:
        if self.time is None:
            return self.date.isoformat()
        return f"{self.date.isoformat()} {self.time.strftime('%H:%M')}"

    @property
    def datetime(self) -> dt.datetime:
        return dt.datetime.combine(self.date, self.time or dt.time())


def _span(unit: str, count: int) -> relativedelta:
    """A relativedelta of ``count`` days, weeks, months or years."""
    return relativedelta(
        days=count if unit == "days" else 0,
        weeks=count if unit == "weeks" else 0,
        months=count if unit == "months" else 0,
        years=count if unit == "years" else 0,
    )


def _refuse(field: str, text: str) -> ValidationError:
    return ValidationError(field, f"can't read {_shown(text)} as a date; try {ACCEPTED}")


def _phrase_date(match: re.Match[str], today: dt.date, now: dt.datetime) -> When:
    groups = match.groupdict()
    word = groups.get("word")
    if word:
        if word == "now":
            return When(today, now.time().replace(second=0, microsecond=0))
        offset = {"tomorrow": 1, "tmrw": 1, "yesterday": -1}.get(word, 0)
        return When(today + dt.timedelta(days=offset))
    if groups.get("unit"):
        n = int(groups["n"])
        if groups.get("sign") == "-" or match.group(0).endswith("ago"):
            n = -n
        return When(today + _span(_UNITS[groups["unit"]], n))
    which = groups.get("which") or ""
    if groups.get("period"):
        step = {"next": 1, "this": 0, "last": -1}[which]
        return When(today + _span(groups["period"] + "s", step))
    weekday = _WEEKDAYS[groups["day"]]
    ahead = (weekday - today.weekday()) % 7
    if which == "next":
        ahead = ahead or 7
    elif which == "last":
        ahead = ahead - 7 if ahead else -7
    return When(today + dt.timedelta(days=ahead))


def _parse_time(text: str) -> dt.time | None:
    match = _TIME().match(text)
    if not match:
        return None
    if match.group("word"):
        return dt.time(12) if match.group("word") == "noon" else dt.time(0)
    hour = int(match.group("h"))
    minute = int(match.group("m") or 0)
    ampm = (match.group("ampm") or "").replace(".", "")
    if not ampm and match.group("m") is None:
        return None  # a bare number is not a time: "tomorrow 9" is too vague
    if ampm:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    if hour > 23 or minute > 59:
        return None
    return dt.time(hour, minute)


def _absolute(text: str, today: dt.date, field: str = "date") -> When | None:
    """A calendar date (and time) read by dateutil, or None if it is not one."""
    # dateutil's parser takes ~20 ms to import: only commands that read a typed
    # calendar date pay for it, not every start-up.
    from dateutil import parser as dateutil_parser

    # Parse against two defaults that differ in the hour: where the results
    # agree on the hour, the person typed a time.
    first = dt.datetime.combine(today, dt.time(0, 0))
    second = dt.datetime.combine(today, dt.time(13, 37))
    try:
        a = dateutil_parser.parse(text, default=first)
        b = dateutil_parser.parse(text, default=second)
    except (ValueError, OverflowError, TypeError):
        return None
    if a.hour == b.hour:
        return _in_local_time(a, text, field)
    return When(a.date())


def _in_local_time(moment: dt.datetime, text: str, field: str) -> When:
    """A typed moment; one with an offset ("9:00+05:00") as the person's own clock shows it."""
    if moment.tzinfo is None:
        return When(moment.date(), dt.time(moment.hour, moment.minute))
    try:
        offset = moment.utcoffset()  # Python refuses one of a day or more: ValueError
    except ValueError:
        offset = None
    if offset is None or not ZONE_OFFSETS[0] <= offset <= ZONE_OFFSETS[1]:
        raise ValidationError(
            field,
            f"{_shown(text)} has a time-zone offset outside -12:00 to +14:00, "
            "the offsets of the world's time zones",
        )
    moment = moment.astimezone(clock.local_zone())
    return When(moment.date(), dt.time(moment.hour, moment.minute))


# The offsets of the world's time zones: UTC-12:00 (Baker Island) to UTC+14:00 (Kiribati).
ZONE_OFFSETS = (dt.timedelta(hours=-12), dt.timedelta(hours=14))


def _shown(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:37] + "...")


def parse_when(text: str, *, field: str = "date", now: dt.datetime | None = None) -> When:
    """Read a date with an optional time of day.

    ``now`` defaults to :func:`rapport.clock.now`. Raises ValidationError naming
    ``field`` when the text is not a date rapport understands.
    """
    raw = text
    text = " ".join(str(text).strip().lower().replace(",", " ").split())
    if not text or "\x00" in text:
        raise _refuse(field, raw)
    now = now or clock.now()
    today = now.date()
    try:
        for pattern in _PHRASES:
            match = pattern().search(text)
            if not match:
                continue
            when = _phrase_date(match, today, now)
            rest = (text[: match.start()] + " " + text[match.end() :]).strip()
            rest = " ".join(rest.split())
            if not rest:
                return when
            time = _parse_time(rest)
            if time is not None:
                return When(when.date, time)
            # "Mon, 3 Aug 2026" names a weekday and a date: let dateutil read it.
            absolute = _absolute(text, today, field)
            if absolute is None:
                raise _refuse(field, raw)
            return absolute
    except (OverflowError, ValueError) as exc:
        if isinstance(exc, ValidationError):
            raise
        raise _refuse(field, raw) from None
    text = _numeric_date(text, today, field, raw)
    if _TIME().match(text):
        # It looks like a time of day alone ("14:00", "9am"): today, if it is a real time.
        time = _parse_time(text)
        if time is None:
            raise _refuse(field, raw)
        return When(today, time, dated=False)
    absolute = _absolute(text, today, field)
    if absolute is None:
        raise _refuse(field, raw)
    return absolute


def parse_date(text: str, *, field: str = "date", today: dt.date | None = None) -> dt.date:
    """Read a date; a time of day, if typed, is ignored. Raises ValidationError."""
    now = dt.datetime.combine(today, dt.time(12)) if today else None
    return parse_when(text, field=field, now=now).date


def parse_optional_date(
    text: str | None, *, field: str = "date", today: dt.date | None = None
) -> dt.date | None:
    """Like :func:`parse_date`, but empty text means no date."""
    if text is None or not str(text).strip():
        return None
    return parse_date(text, field=field, today=today)


def parse_offset(text: str, *, field: str = "by") -> relativedelta:
    """Read a span such as ``+1d``, ``2w`` or ``3 months``. Raises ValidationError."""
    match = re.fullmatch(r"\+?\s*(\d{1,4})\s*" + _UNIT, " ".join(text.strip().lower().split()))
    if not match:
        raise ValidationError(field, f"can't read {text!r} as a span; try +1d, +1w, 2w or 1m")
    return _span(_UNITS[match.group("unit")], int(match.group(1)))


def _forward(span: int | dt.timedelta | relativedelta) -> bool:
    if isinstance(span, relativedelta):
        parts = (span.years, span.months, span.days, span.hours, span.minutes, span.seconds)
        return next((p > 0 for p in parts if p), True)
    if isinstance(span, int):
        return span >= 0
    return span >= dt.timedelta(0)


def add_span(day: Day, span: int | dt.timedelta | relativedelta) -> Day:
    """``day`` moved by ``span`` (days, a timedelta or a relativedelta), held at the
    last (or first) day Python can hold rather than raising: a date typed as
    9999-12-31 is valid, and a cadence, a snooze or a calendar's end counted
    from it must not crash."""
    try:
        step = dt.timedelta(days=span) if isinstance(span, int) else span
        moved: Day = day + step
    except (OverflowError, ValueError):  # relativedelta: "year 10000 is out of range"
        limit = type(day).max if _forward(span) else type(day).min
        if isinstance(limit, dt.datetime) and isinstance(day, dt.datetime):
            limit = limit.replace(tzinfo=day.tzinfo)
        return limit
    return moved


def humanize_days(days: int) -> str:
    """'today', 'tomorrow', 'in 3 days', '2 days ago' for a signed day count."""
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    if days == -1:
        return "yesterday"
    if days > 0:
        return f"in {days} days"
    return f"{-days} days ago"


def birthday_text(value: str) -> str:
    """A stored birthday (``1990-02-14``, or ``--0214`` without a year) as ``14 February 1990``."""
    try:
        if value.startswith("--"):
            shown = dt.date(2000, int(value[2:4]), int(value[4:6]))  # a leap year
            return f"{shown.day} {shown:%B}"
        shown = dt.date.fromisoformat(value)
    except ValueError:
        return value  # as typed with the CLI, which stores any short text
    return f"{shown.day} {shown:%B %Y}"


# -- dates as contact files and people write them ----------------------------

# Month names in English whatever the locale: strptime's %b follows the locale.
_MONTHS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}
_DAY_MONTH_YEAR = when_used(r"^(\d{1,2})[ -]([A-Za-z]{3})[A-Za-z]*\.?[ -](\d{4})$")
_ISO = when_used(r"^(\d{4})-?(\d{2})-?(\d{2})(?:T.*)?$")
_US = when_used(r"^(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})$")
_NO_YEAR = when_used(r"^--(\d{2})-?(\d{2})$")


def _date(year: int, month: int, day: int, text: str, field: str) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValidationError(field, f"{text!r} is not a date") from None


def _two_digit_year(year: int) -> int:
    """The year ``85`` means: the one at most 80 years back or 20 ahead (1985, 2030)."""
    this_year = clock.today().year
    full = this_year - this_year % 100 + year
    if full > this_year + 20:
        return full - 100
    return full + 100 if full <= this_year - 80 else full


def parse_day(text: str, field: str) -> dt.date | None:
    """``03 Aug 2026`` (LinkedIn), ``2026-08-03``, ``20260803`` or ``8/3/2026``; empty is None."""
    text = text.strip()
    if not text:
        return None
    if match := _DAY_MONTH_YEAR().match(text):
        month = _MONTHS.get(match.group(2).lower())
        if month:
            return _date(int(match.group(3)), month, int(match.group(1)), text, field)
    if match := _ISO().match(text):
        year, month, day = (int(g) for g in match.groups())
        return _date(year, month, day, text, field)
    if match := _US().match(text):
        month, day, year = (int(g) for g in match.groups())
        year = _two_digit_year(year) if year < 100 else year
        return _date(year, month, day, text, field)
    raise ValidationError(field, f"{text!r} is not a date")


def parse_birthday(text: str, *, omit_year: bool = False, field: str = "birthday") -> str:
    """A birthday as rapport stores it: ``1990-02-14``, or ``--0214`` without a year.

    Reads ``--0214``, ``--02-14``, ISO dates, ``8/3/1990``; ``omit_year`` (Apple's
    X-APPLE-OMIT-YEAR) drops the placeholder year.  Outlook's ``0/0/00`` is no
    birthday.  Raises ValidationError, also for a day after today (a birthday
    without its year is always one).
    """
    text = text.strip()
    if not text or text in ("0/0/00", "0/0/0000"):
        return ""
    if match := _NO_YEAR().match(text):
        month, day = int(match.group(1)), int(match.group(2))
        _date(2000, month, day, text, field)  # 2000 is a leap year: --0229 is a birthday
        return f"--{month:02d}{day:02d}"
    day_value = parse_day(text, field)
    assert day_value is not None
    if day_value > clock.today() and (match := _US().match(text)) and len(match.group(3)) == 2:
        day_value = day_value.replace(year=day_value.year - 100)  # 3/14/26: born in 1926
    if omit_year:
        return f"--{day_value.month:02d}{day_value.day:02d}"
    if day_value > clock.today():
        raise ValidationError(
            field,
            f"{text!r} is after today; give the day they were born "
            "(month and day alone, such as --0214, when the year is not known)",
        )
    return day_value.isoformat()
