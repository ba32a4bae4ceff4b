"""iCalendar text written directly: content lines exactly as icalendar writes them.

icalendar builds a dozen objects for every property it writes (a typed value,
its parameters, a content line), which is most of an export's time: 5,000
follow-ups took about 3 s of it.  The follow-ups' components use a handful of
value types, so this module writes them itself, in the same order and the
same bytes as icalendar (tests/calendar/test_lines.py compares the two), and
leaves to icalendar what is intricate: recurrence rules, time zone ids and
VTIMEZONEs.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable

from icalendar import vDDDTypes, vRecur

# The properties icalendar writes first, in this order; the rest follow
# alphabetically (icalendar's Component.sorted_keys).  A VTODO or VALARM has
# no canonical order.
CANONICAL_ORDER = {
    "VEVENT": (
        "SUMMARY",
        "DTSTART",
        "DTEND",
        "DURATION",
        "DTSTAMP",
        "UID",
        "RECURRENCE-ID",
        "SEQUENCE",
        "RRULE",
        "RDATE",
        "EXDATE",
    ),
}
FOLD_AT = 75  # octets on a line, the line break excluded (RFC 5545 3.1)


def text(value: str) -> str:
    """A TEXT value, escaped (RFC 5545 3.3.11) as icalendar escapes it."""
    return (
        value.replace("\\N", "\n")
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def utc(value: dt.datetime) -> str:
    """A UTC DATE-TIME (DTSTAMP, CREATED...): a naive value is taken as UTC."""
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC)
    return f"{value:%Y%m%dT%H%M%S}Z"


@functools.lru_cache(maxsize=64)
def _zone_form(zone: dt.tzinfo) -> tuple[str, str]:
    """(parameters, suffix) icalendar gives a DATE-TIME in ``zone``: ";TZID=..." or "Z"."""
    sample = vDDDTypes(dt.datetime(2000, 1, 1, tzinfo=zone))
    params = sample.params.to_ical().decode()
    suffix = "Z" if sample.to_ical().endswith(b"Z") else ""
    return (f";{params}" if params else ""), suffix


def when(name: str, value: dt.date | dt.datetime) -> tuple[str, str | None]:
    """A DATE (all day) or DATE-TIME property: its line, and the TZID it names (or None)."""
    if not isinstance(value, dt.datetime):
        return f"{name};VALUE=DATE:{value:%Y%m%d}", None
    if value.tzinfo is None:
        return f"{name}:{value:%Y%m%dT%H%M%S}", None
    params, suffix = _zone_form(value.tzinfo)
    tzid = params.partition("TZID=")[2].partition(";")[0] or None
    return f"{name}{params}:{value:%Y%m%dT%H%M%S}{suffix}", tzid


def duration(value: dt.timedelta) -> str:
    """A DURATION (RFC 5545 3.3.6) as icalendar writes it: PT9H, -P1DT15H, P0D."""
    sign = ""
    if value.days < 0:
        sign, value = "-", -value
    clock = ""
    if value.seconds:
        hours, rest = divmod(value.seconds, 3600)
        minutes, seconds = divmod(rest, 60)
        clock = "T" + (f"{hours}H" if hours else "")
        if minutes or (hours and seconds):
            clock += f"{minutes}M"
        if seconds:
            clock += f"{seconds}S"
    if value.days == 0 and clock:
        return f"{sign}P{clock}"
    return f"{sign}P{value.days}D{clock}"


def rule(text_rule: str) -> str:
    """An RRULE value, put in icalendar's order of parts."""
    return bytes(vRecur.from_ical(text_rule).to_ical()).decode()


def fold(line: str) -> str:
    """Fold a content line at 75 octets, as icalendar does.

    Like icalendar, a fold never separates a backslash or caret from the
    character it escapes.
    """
    if line.isascii():
        if len(line) < FOLD_AT:
            return line
        parts = []
        start, end = 0, len(line)
        while end - start >= FOLD_AT:
            cut = start + FOLD_AT - 1
            if line[cut - 1] in "\\^":
                cut -= 1
            parts.append(line[start:cut])
            start = cut
        parts.append(line[start:])
        return "\r\n ".join(parts)
    folded: list[str] = []
    current: list[str] = []
    size = 0
    for char in line:
        width = len(char.encode("utf-8"))
        if current and size + width >= FOLD_AT:
            if len(current) > 1 and current[-1] in "\\^":
                carried = current.pop()
                folded.append("".join(current))
                current, size = [carried], len(carried.encode("utf-8"))
            else:
                folded.append("".join(current))
                current, size = [], 0
        current.append(char)
        size += width
    if current:
        folded.append("".join(current))
    return "\r\n ".join(folded)


def join(lines: Iterable[str]) -> bytes:
    """Content lines as the bytes of a file: each folded, each ended by CRLF."""
    return "".join(fold(line) + "\r\n" for line in lines).encode("utf-8")


class Component:
    """A component (VEVENT, VTODO, VALARM) of already written properties.

    ``add`` takes a property's name (with any parameters) and its value as
    iCalendar text; ``lines`` gives them in icalendar's order, then the
    subcomponents.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self.properties: dict[str, str] = {}  # property name: its whole line
        self.subcomponents: list[Component] = []
        self.tzids: set[str] = set()  # the time zones its times name
        self.zoned_year: int | None = None  # the year of its start, if in a zone

    def add(self, name: str, value: str) -> None:
        self.properties[name.partition(";")[0]] = f"{name}:{value}"

    def add_time(self, name: str, value: dt.date | dt.datetime) -> None:
        line, tzid = when(name, value)
        self.properties[name] = line
        if tzid:
            self.tzids.add(tzid)
        if (
            name in ("DTSTART", "DUE")
            and self.zoned_year is None
            and isinstance(value, dt.datetime)
            and value.tzinfo is not None
        ):
            self.zoned_year = value.year

    def lines(self) -> list[str]:
        canonical = CANONICAL_ORDER.get(self.name, ())
        first = [name for name in canonical if name in self.properties]
        rest = sorted(name for name in self.properties if name not in canonical)
        result = [f"BEGIN:{self.name}"]
        result += [self.properties[name] for name in first + rest]
        for sub in self.subcomponents:
            result += sub.lines()
        result.append(f"END:{self.name}")
        return result
