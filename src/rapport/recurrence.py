"""Recurrence rules: re-anchoring a follow-up's series and expanding RRULEs in bounded time.

dateutil expands RRULEs, but it walks period by period from DTSTART until it
finds an occurrence, up to the year 9999: a rule that never (or almost never)
matches, such as ``FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30`` or a SECONDLY rule with
day filters, keeps it busy for seconds or hours.  So rapport only expands
rules of the shapes calendars actually write (daily, weekly on some days,
monthly on a day or an nth weekday, yearly on a date, with INTERVAL, COUNT,
UNTIL, BYSETPOS), only inside a window, and never more than a fixed number of
occurrences.  Anything else is kept as it is and reported as not listed.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil import rrule as dateutil_rrule

SUB_DAILY = ("SECONDLY", "MINUTELY", "HOURLY")
FREQUENCIES = (*SUB_DAILY, "DAILY", "WEEKLY", "MONTHLY", "YEARLY")
# At most this many occurrences are generated per expansion, wherever the
# window is: a SECONDLY rule from 2020 stops here instead of running for days.
MAX_STEPS = 5000
_WEEKDAY = re.compile(r"^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$")
_DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def rule_parts(rule: str) -> dict[str, str]:
    """``FREQ=WEEKLY;BYDAY=MO`` as an ordered dict of upper-case names and values."""
    text = re.sub(r"^RRULE:", "", rule.strip(), flags=re.IGNORECASE)
    parts: dict[str, str] = {}
    for item in text.split(";"):
        if not item:
            continue
        name, _, value = item.partition("=")
        parts[name.strip().upper()] = value.strip()
    return parts


def join_parts(parts: dict[str, str]) -> str:
    return ";".join(f"{name}={value}" for name, value in parts.items())


def _numbers(value: str) -> list[int]:
    return [int(v) for v in value.split(",") if v.strip().lstrip("+-").isdigit()]


def unlisted_reason(rule: str) -> str | None:
    """Why rapport will not list this rule's dates, or None when it can do so quickly.

    The accepted shapes always produce an occurrence within a year or so of
    any point (every month has at least four of each weekday and a day 28),
    so expanding them costs time in proportion to the window, never more.
    """
    parts = rule_parts(rule)
    freq = parts.pop("FREQ", "")
    if freq not in FREQUENCIES:
        return f"unknown frequency {freq or '(none)'}"
    for name in ("INTERVAL", "COUNT", "UNTIL", "WKST"):
        parts.pop(name, None)
    if freq in SUB_DAILY:
        return None if not parts else f"a {freq.lower()} rule with filters"
    for name in ("BYHOUR", "BYMINUTE", "BYSECOND"):
        parts.pop(name, None)
    allowed = {
        "DAILY": {"BYDAY", "BYMONTH", "BYMONTHDAY"},
        "WEEKLY": {"BYDAY", "BYMONTH"},
        "MONTHLY": {"BYDAY", "BYMONTHDAY", "BYMONTH", "BYSETPOS"},
        "YEARLY": {"BYDAY", "BYMONTHDAY", "BYMONTH", "BYSETPOS"},
    }[freq]
    extra = sorted(set(parts) - allowed)
    if extra:
        return f"uses {', '.join(extra)}"
    ordinals = []
    for day in parts.get("BYDAY", "").split(",") if parts.get("BYDAY") else []:
        match = _WEEKDAY.match(day.strip().upper())
        if not match:
            return f"BYDAY={parts['BYDAY']} is not a list of weekdays"
        if match.group(1):
            ordinals.append(int(match.group(1)))
    if ordinals and (freq in ("DAILY", "WEEKLY") or any(not 1 <= abs(n) <= 4 for n in ordinals)):
        return "an nth-weekday rule that some months cannot meet"
    monthdays = _numbers(parts.get("BYMONTHDAY", ""))
    if "BYMONTHDAY" in parts and (not monthdays or any(not 1 <= abs(d) <= 28 for d in monthdays)):
        # Days 29-31 exist in most months, but not in every month a BYMONTH may name.
        if "BYMONTH" in parts or "BYDAY" in parts or not monthdays:
            return "a day of the month that some months do not have"
        if any(not 1 <= abs(d) <= 31 for d in monthdays):
            return "a day of the month that no month has"
    if "BYSETPOS" in parts:
        positions = _numbers(parts["BYSETPOS"])
        if not parts.get("BYDAY") or not positions or any(not 1 <= abs(p) <= 4 for p in positions):
            return "a BYSETPOS rule that some periods cannot meet"
    months = _numbers(parts.get("BYMONTH", ""))
    if "BYMONTH" in parts and (not months or any(not 1 <= m <= 12 for m in months)):
        return "a month that does not exist"
    return None


def _wall_clock_until(parts: dict[str, str], dtstart: dt.datetime | dt.date, tz: str) -> None:
    """Rewrite a UTC (or dated) UNTIL into the naive wall-clock form dateutil wants."""
    until = parts.get("UNTIL")
    if not until:
        return
    if not isinstance(dtstart, dt.datetime):
        parts["UNTIL"] = until[:8]
        return
    if until.endswith("Z") and len(until) == 16:
        moment = dt.datetime.strptime(until, "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.UTC)
        zone = _zone(tz)
        if zone is not None:
            moment = moment.astimezone(zone)
        parts["UNTIL"] = moment.strftime("%Y%m%dT%H%M%S")
    elif len(until) == 8:
        parts["UNTIL"] = until + "T235959"


def _zone(name: str) -> dt.tzinfo | None:
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def series_rule(
    rule: str, dtstart: dt.datetime | dt.date, tz: str = ""
) -> dateutil_rrule.rrule | dateutil_rrule.rruleset:
    parts = rule_parts(rule)
    _wall_clock_until(parts, dtstart, tz)
    start = dtstart if isinstance(dtstart, dt.datetime) else dt.datetime.combine(dtstart, dt.time())
    return dateutil_rrule.rrulestr("RRULE:" + join_parts(parts), dtstart=start.replace(tzinfo=None))


@dataclass(frozen=True)
class Expansion:
    """Occurrences of a series inside a window.

    ``complete`` is False when the window was not reached or not finished
    within MAX_STEPS occurrences, or when the rule was not expanded at all
    (``reason`` then says why).
    """

    occurrences: tuple[dt.datetime, ...]
    complete: bool
    reason: str = ""


def expand(
    rule: str,
    dtstart: dt.datetime | dt.date,
    *,
    start: dt.datetime,
    end: dt.datetime,
    tz: str = "",
    exdates: Iterable[dt.datetime | dt.date] = (),
    limit: int = 500,
) -> Expansion:
    """The occurrences (naive wall-clock datetimes) of ``rule`` from ``dtstart`` in
    [``start``, ``end``], at most ``limit`` of them, in bounded time.

    Without a rule the series is ``dtstart`` alone.  EXDATEs are dropped.
    """
    first = dtstart if isinstance(dtstart, dt.datetime) else dt.datetime.combine(dtstart, dt.time())
    first = first.replace(tzinfo=None)
    if not rule:
        inside = start <= first <= end
        return Expansion((first,) if inside else (), True)
    reason = unlisted_reason(rule)
    if reason is None:
        try:
            series = series_rule(rule, dtstart, tz)
        except (ValueError, TypeError, OverflowError) as exc:
            reason = f"not a valid RRULE ({exc})"
    if reason is not None:
        inside = start <= first <= end
        return Expansion((first,) if inside else (), False, reason)
    skipped = {_naive(x) for x in exdates}
    found: list[dt.datetime] = []
    steps = 0
    try:
        for moment in itertools.islice(series, MAX_STEPS):
            steps += 1
            if moment > end:
                return Expansion(tuple(found), True)
            if moment >= start and moment not in skipped:
                found.append(moment)
                if len(found) >= limit:
                    return Expansion(tuple(found), False, f"more than {limit} occurrences")
    except ValueError:  # "year 10000 is out of range": the series ends with the calendar
        return Expansion(tuple(found), True)
    if steps < MAX_STEPS:
        # The series ended (COUNT or UNTIL): every occurrence was seen.
        return Expansion(tuple(found), True)
    return Expansion(tuple(found), False, f"more than {MAX_STEPS} occurrences to go through")


def _naive(value: dt.datetime | dt.date) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    return dt.datetime.combine(value, dt.time())


def calendar_rule(
    rule: str, series_start: dt.date, due: dt.date, start: dt.date | dt.datetime
) -> str:
    """The RRULE to write beside DTSTART/DUE ``start``: :func:`anchored_rule`, its
    UNTIL in the form RFC 5545 (3.3.10) asks for that start.

    rapport reads UNTIL either way; a calendar that expands the file with
    dateutil refuses a day beside a timed start in a zone ("must be specified
    in UTC").  A day beside a timed start ends at that day's last second in the
    start's zone; a moment beside an all-day start keeps its day.
    """
    anchored = anchored_rule(rule, series_start, due)
    parts = rule_parts(anchored)
    until = parts.get("UNTIL")
    if not until:
        return anchored
    if not isinstance(start, dt.datetime):
        written = until[:8]
    elif until.endswith("Z"):
        written = until
    else:
        day_end = dt.datetime.strptime(until[:8], "%Y%m%d").replace(hour=23, minute=59, second=59)
        moment = day_end if len(until) == 8 else dt.datetime.strptime(until[:15], "%Y%m%dT%H%M%S")
        if start.tzinfo is None:  # floating: UNTIL floats with it
            written = moment.strftime("%Y%m%dT%H%M%S")
        else:
            moment = moment.replace(tzinfo=start.tzinfo).astimezone(dt.UTC)
            written = moment.strftime("%Y%m%dT%H%M%SZ")
    if written == until:
        return anchored
    parts["UNTIL"] = written
    return join_parts(parts)


def anchored_rule(rule: str, series_start: dt.date, due: dt.date) -> str:
    """The RRULE to write with DTSTART = ``due`` so a calendar shows rapport's series.

    A follow-up's series counts from ``series_start``; completing it moves
    ``due`` to the next occurrence.  From ``due`` on, a calendar must show the
    same occurrences rapport will use: COUNT becomes what is left, and when
    ``due`` was snoozed off the series, the day the series falls on is spelled
    out (BYDAY, BYMONTHDAY, BYMONTH from ``series_start``) so it is not moved.
    """
    parts = rule_parts(rule)
    if not parts or due <= series_start:
        return join_parts(parts)
    series = series_rule(rule, series_start)
    anchor = dt.datetime.combine(due, dt.time())
    upcoming = series.after(anchor, inc=True) if unlisted_reason(rule) is None else None
    on_rule = upcoming is not None and upcoming.date() == due
    if "COUNT" in parts:
        total = int(parts["COUNT"])
        before = itertools.takewhile(lambda moment: moment < anchor, series)
        done = sum(1 for _ in itertools.islice(before, total))
        left = total - done
        # Off the series, DTSTART is an extra first occurrence (RFC 5545 3.8.5.3).
        parts["COUNT"] = str(max(1, left if on_rule else left + 1))
    if not on_rule and not any(name.startswith("BY") for name in parts):
        freq = parts.get("FREQ")
        if freq == "WEEKLY":
            parts["BYDAY"] = _DAY_CODES[series_start.weekday()]
        elif freq == "MONTHLY":
            parts["BYMONTHDAY"] = str(series_start.day)
        elif freq == "YEARLY":
            parts["BYMONTH"] = str(series_start.month)
            parts["BYMONTHDAY"] = str(series_start.day)
    return join_parts(parts)
