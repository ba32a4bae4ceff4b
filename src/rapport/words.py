"""Words shared by the app, the command line and the calendar files: counts ("1 entry",
"3 entries"), days and moments ("Fri 20 Nov 2026 at 17:30") and repeat rules ("every
2 weeks", "every month on the first Monday").

:func:`rule_words` reads an iCalendar RRULE with dateutil.rrule (what rapport
also expands it with); a rule it cannot read, or a shape with no plain
wording, is shown as written rather than guessed at.
"""

from __future__ import annotations

import datetime as dt
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

from rapport import clock

if TYPE_CHECKING:
    from dateutil import rrule as dateutil_rrule

UNITS = {
    "YEARLY": "year",
    "MONTHLY": "month",
    "WEEKLY": "week",
    "DAILY": "day",
    "HOURLY": "hour",
    "MINUTELY": "minute",
    "SECONDLY": "second",
}
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTH_NAMES = (
    *("January", "February", "March", "April", "May", "June"),
    *("July", "August", "September", "October", "November", "December"),
)
ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", -1: "last"}
WEEKDAYS = {0, 1, 2, 3, 4}
# Rule parts each wording below accounts for; any other part keeps the rule as written.
WORDED = {
    "FREQ",
    "INTERVAL",
    "BYDAY",
    "BYMONTHDAY",
    "BYMONTH",
    "BYSETPOS",
    "COUNT",
    "UNTIL",
    "WKST",
}


def plural(count: int, word: str, many: str | None = None) -> str:
    """``1 entry``, ``3 entries``, ``1,204 people``: a count and its noun, agreed."""
    return f"{count:,} {word if count == 1 else (many or word + 's')}"


def day(value: dt.date | None) -> str:
    """``Mon 23 Nov 2026`` (empty for no date)."""
    return f"{value:%a} {value.day} {value:%b %Y}" if value else ""


def moment(stored: dt.datetime) -> str:
    """A stored time (naive UTC) where the person is: ``Fri 20 Nov 2026 at 10:00``."""
    local = stored.replace(tzinfo=dt.UTC).astimezone(clock.local_zone())
    return f"{day(local.date())} at {local:%H:%M}"


def cells(text: str) -> int:
    """How many terminal cells ``text`` takes (龍 or an emoji takes two)."""
    # Printable ASCII takes one cell a character: asking rich for each of a
    # 30,000-row table's cells cost more than the rest of drawing it.
    if text.isascii() and text.isprintable():
        return len(text)
    return int(_cells()[0](text))


def cut(text: str, width: int) -> str:
    """``text`` on one line, no wider than ``width`` terminal cells (an ellipsis
    marks the cut).  Cells, not characters: 龍 or an emoji takes two."""
    flat = " ".join(str(text).split())
    if width <= 0:
        return ""
    if cells(flat) <= width:
        return flat
    # set_cell_size pads with a space where a wide character would not fit.
    return str(_cells()[1](flat, width - 1)).rstrip() + "…"


def pad(text: str, width: int) -> str:
    """``text`` padded with spaces to ``width`` terminal cells (ljust counts characters)."""
    return text + " " * max(0, width - cells(text))


@cache
def _cells() -> tuple[Any, Any]:
    """rich's cell_len and set_cell_size, loaded when a table is first drawn
    (not at every command's start: most print no table)."""
    from rich.cells import cell_len, set_cell_size

    return cell_len, set_cell_size


def _parts(rule: str) -> dict[str, str]:
    text = rule.strip()
    if text.upper().startswith("RRULE:"):
        text = text[len("RRULE:") :]
    parts: dict[str, str] = {}
    for item in text.split(";"):
        name, _, value = item.partition("=")
        if name.strip():
            parts[name.strip().upper()] = value.strip().upper()
    return parts


def _nth(n: int) -> str:
    """1st, 2nd, 3rd, 11th, 22nd; -1 is "last"."""
    if n == -1:
        return "last"
    if n < 0:
        return f"{_nth(-n)} from last"
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _days(byday: list[dateutil_rrule.weekday], setpos: list[int]) -> str | None:
    """The days of a BYDAY, in words ("Monday and Thursday", "first Monday")."""
    names = []
    for wd in byday:
        n = wd.n if wd.n is not None else (setpos[0] if len(setpos) == 1 else None)
        if n is None:
            names.append(DAY_NAMES[wd.weekday])
        elif n in ORDINALS:
            names.append(f"{ORDINALS[n]} {DAY_NAMES[wd.weekday]}")
        else:
            names.append(f"{_nth(n)} {DAY_NAMES[wd.weekday]}")
    if len(setpos) > 1:
        return None
    return _and(names)


# A list repeats a few rules over hundreds of rows (407 recurring follow-ups,
# 5 rules, in the 30,000-contact bench): each is read by dateutil once.
@lru_cache(maxsize=1024)
def rule_words(rule: str) -> str:
    """``FREQ=WEEKLY;INTERVAL=2`` as "every 2 weeks"; "" for no rule.

    Weekdays, days of the month, months, COUNT ("3 times") and UNTIL ("until
    Fri 1 Jan 2027") are worded; a rule dateutil cannot read, or one with
    parts that have no plain wording (BYHOUR, BYWEEKNO...), comes back as written.
    """
    if not rule.strip():
        return ""
    # dateutil's rrule is loaded when a rule is worded, not at every start-up.
    from dateutil import rrule as dateutil_rrule

    parts = _parts(rule)
    try:
        # dtstart only anchors the reading: the words do not depend on it.  (An
        # UNTIL in UTC needs a DTSTART with a zone, as RFC 5545 says.)
        zone = dt.UTC if parts.get("UNTIL", "").endswith("Z") else None
        parsed = dateutil_rrule.rrulestr(
            "RRULE:" + ";".join(f"{k}={v}" for k, v in parts.items()),
            dtstart=dt.datetime(2000, 1, 3, tzinfo=zone),
        )
    except (ValueError, TypeError, OverflowError):
        return rule
    if not isinstance(parsed, dateutil_rrule.rrule) or set(parts) - WORDED:
        return rule
    freq = parts.get("FREQ", "")
    unit = UNITS[freq]
    interval = int(parts.get("INTERVAL", "1") or 1)
    words = f"every {interval} {unit}s" if interval > 1 else f"every {unit}"
    byday = [_weekday(code) for code in parts["BYDAY"].split(",")] if "BYDAY" in parts else []
    setpos = [int(p) for p in parts["BYSETPOS"].split(",")] if "BYSETPOS" in parts else []
    monthdays = [int(d) for d in parts["BYMONTHDAY"].split(",")] if "BYMONTHDAY" in parts else []
    months = [int(m) for m in parts["BYMONTH"].split(",")] if "BYMONTH" in parts else []
    if setpos and not byday:
        return rule
    if byday:
        days = _days(byday, setpos)
        if days is None:
            return rule
        plain = all(wd.n is None for wd in byday) and not setpos
        if freq == "WEEKLY" and interval == 1 and plain:
            weekdays = {wd.weekday for wd in byday}
            words = "every weekday" if weekdays == WEEKDAYS else f"every {days}"
        elif freq == "DAILY" and interval == 1 and plain:
            words = f"every {days}"
        else:
            words += f" on the {days}" if not plain else f" on {days}"
    if monthdays:
        if freq == "YEARLY" and len(months) == 1 and len(monthdays) == 1:
            month = MONTH_NAMES[months[0] - 1]
            words += (
                f" on the last day of {month}"
                if monthdays[0] == -1
                else f" on {_nth(monthdays[0]) if monthdays[0] < 0 else monthdays[0]} {month}"
            )
            months = []
        else:
            words += " on the " + _and([_nth(d) for d in monthdays])
            words += " day" if monthdays == [-1] else ""
    if months:
        words += " in " + _and([MONTH_NAMES[m - 1] for m in months])
    if "COUNT" in parts:
        count = int(parts["COUNT"])
        words += ", once" if count == 1 else f", {count} times"
    if "UNTIL" in parts:
        until = dt.datetime.strptime(parts["UNTIL"][:8], "%Y%m%d")  # (dateutil read it)
        words += f", until {until:%a} {until.day} {until:%b %Y}"
    return words


def _weekday(code: str) -> dateutil_rrule.weekday:
    from dateutil import rrule as dateutil_rrule

    code = code.strip()
    names = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
    day = names.index(code[-2:])
    n = code[:-2]
    return dateutil_rrule.weekday(day, int(n)) if n else dateutil_rrule.weekday(day)
