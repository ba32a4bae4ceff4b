"""Follow-ups as iCalendar text, written directly: VCALENDAR, VEVENT/VTODO and VALARM lines.

RFC 5545 as icalendar wrote rapport's entries, byte for byte (the tests
compare the two over random follow-ups): properties in icalendar's order (a
VEVENT's canonical ones first, then by name), TEXT escaped (backslash,
semicolon, comma, line breaks; no control character of what a person typed
is written), parameter values quoted where they must be, lines folded at 75
octets, never inside a UTF-8 sequence, a cut after an escape's backslash
moved back one character (see contentlines.fold).
icalendar took 0.27 ms to build and serialize an entry; this takes an eighth
of that.

icalendar is still asked, lazily and once per value, for what only it knows:
each VTIMEZONE (built from the tz database), the TZID it gives a zone (a
zone equal to UTC is written with Z) and how it lays out an RRULE.  A file
of all-day, non-repeating follow-ups never imports it.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from rapport import dates
from rapport.calendar import entries
from rapport.calendar.items import CalendarFollowUp, DeletedFollowUp
from rapport.contentlines import escape, fold
from rapport.recurrence import calendar_rule
from rapport.text import without_controls

# icalendar folds after 74 octets, and keeps an escape (backslash, or RFC
# 6868's caret) together with what it escapes.
_FOLD_AT = 74
_KEEP = "\\^"

# The properties a VEVENT lists first, in this order (icalendar's Event.canonical_order);
# the rest, and all of a VTODO's and VALARM's, follow by name.
_EVENT_ORDER = (
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
)
_EVENT_RANK = {name: rank for rank, name in enumerate(_EVENT_ORDER)}


class Zone(NamedTuple):
    """What a VTIMEZONE is made for: the start's TZID (None for UTC), its year, a series."""

    tzid: str | None
    year: int
    recurring: bool


class Entry(NamedTuple):
    """One VEVENT/VTODO as text, and the time zone its start is in (for the VTIMEZONE)."""

    text: str
    zone: Zone | None


def _line(name: str, value: str) -> str:
    return fold(f"{name}:{value}", _FOLD_AT, _FOLD_AT, _KEEP)


def text(value: str) -> str:
    """A TEXT value as rapport writes what a person typed: a line break stored as CR
    (an older database, a restore) is a break too, and no control character is written.

    icalendar's own also turns a typed backslash-N into a line break ("C:\\Notes"
    would reach the calendar as "C:" and "otes"); this keeps it.
    """
    return escape(without_controls(value))


def icalendar_text(value: str) -> str:
    """A TEXT value escaped as icalendar's vText does, for the UID rapport set through it:
    "\\N" is first read as a line break, as there (a UID must stay what calendars know)."""
    # It also reads its own UTF-8 back as "utf-8-sig": a leading byte-order mark goes.
    return escape(value.removeprefix("\ufeff").replace("\\N", "\n"))


_PARAMETER_ESCAPES = {"^": "^^", "\r\n": "^n", "\r": "^n", "\n": "^n", '"': "^'"}
_PARAMETER_ESCAPE = re.compile(r'\^|\r\n|\r|\n|"')
# icalendar quotes a value holding a typographic apostrophe too.
_QUOTABLE = re.compile("[,;:’]")


def parameter(value: str) -> str:
    """A parameter value: RFC 6868 escapes, in double quotes when it holds , ; or :."""
    value = _PARAMETER_ESCAPE.sub(lambda m: _PARAMETER_ESCAPES[m[0]], value)
    return f'"{value}"' if _QUOTABLE.search(value) else value


def _date(day: dt.date) -> str:
    return f"{day.year:04}{day.month:02}{day.day:02}"


def _clock(moment: dt.datetime) -> str:
    return f"{_date(moment)}T{moment.hour:02}{moment.minute:02}{moment.second:02}"


def utc(moment: dt.datetime) -> str:
    """DTSTAMP, CREATED and LAST-MODIFIED are in UTC (RFC 5545 3.8.7); naive is UTC."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC)
    return _clock(moment) + "Z"


def duration(span: dt.timedelta) -> str:
    """A DURATION value as icalendar writes it: -PT15H, P1D, PT30M, P1DT2H."""
    sign = ""
    if span.days < 0:
        sign, span = "-", -span
    part = ""
    if span.seconds:
        hours, rest = divmod(span.seconds, 3600)
        minutes, seconds = divmod(rest, 60)
        part = "T"
        if hours:
            part += f"{hours}H"
        if minutes or (hours and seconds):
            part += f"{minutes}M"
        if seconds:
            part += f"{seconds}S"
    if span.days == 0 and part:
        return f"{sign}P{part}"
    return f"{sign}P{abs(span.days)}D{part}"


@functools.lru_cache(maxsize=256)
def _tzid_of_key(key: str) -> str | None:
    from zoneinfo import ZoneInfo

    from icalendar.timezone.tzid import tzid_from_tzinfo

    return tzid_from_tzinfo(ZoneInfo(key))


def tzid(moment: dt.datetime) -> str | None:
    """The TZID icalendar gives ``moment``'s zone: "UTC" for any zone equal to UTC
    (written with a Z, no TZID), else the zone's name."""
    key = getattr(moment.tzinfo, "key", None)
    if isinstance(key, str):
        found = _tzid_of_key(key)
        return found if found is not None else moment.tzname()
    from icalendar.timezone.tzid import tzid_from_dt

    return tzid_from_dt(moment)


def _moment(name: str, value: dt.date | dt.datetime) -> tuple[str, str | None]:
    """``NAME;PARAMS:value`` of a date or a local time, and its TZID (None for UTC)."""
    if not isinstance(value, dt.datetime):
        return _line(f"{name};VALUE=DATE", _date(value)), None
    zone = tzid(value)
    if zone == "UTC":
        return _line(name, _clock(value) + "Z"), None
    if zone is None:
        return _line(name, _clock(value)), None
    return _line(f"{name};TZID={parameter(zone)}", _clock(value)), zone


@functools.lru_cache(maxsize=256)
def rule(value: str) -> str:
    """An RRULE's value laid out as icalendar lays it out (its parts in RFC 5545's order)."""
    from icalendar import vRecur

    return str(vRecur.from_ical(value).to_ical().decode("utf-8"))


def _times(
    lines: dict[str, str], start: dt.date | dt.datetime, *, todo: bool, recurring: bool
) -> str | None:
    """DTSTART/DUE (and DTEND or DURATION, TRANSP for a VEVENT); the start's TZID."""
    first, zone = _moment("DTSTART", start)
    if todo:
        # A task is due, it does not start; a repeating one needs DTSTART to anchor its RRULE.
        if recurring:
            lines["DTSTART"] = first
        lines["DUE"] = _moment("DUE", start)[0]
        return zone
    lines["DTSTART"] = first
    length = entries.TIMED_LENGTH if isinstance(start, dt.datetime) else dt.timedelta(days=1)
    end = dates.add_span(start, length)
    if end - start == length:
        lines["DTEND"] = _moment("DTEND", end)[0]
    else:
        # Due on 9999-12-31, the last day there is: no day after it to end on.
        lines["DURATION"] = _line("DURATION", duration(length))
    lines["TRANSP"] = "TRANSP:TRANSPARENT\r\n"
    return zone


def _common(
    lines: dict[str, str], uid: str, sequence: int, stamp: dt.datetime, modified: dt.datetime
) -> None:
    lines["UID"] = _line("UID", icalendar_text(uid))
    lines["DTSTAMP"] = _line("DTSTAMP", utc(stamp))
    lines["LAST-MODIFIED"] = _line("LAST-MODIFIED", utc(modified))
    lines["SEQUENCE"] = f"SEQUENCE:{int(sequence)}\r\n"
    # Follow-ups are personal notes about people: a shared calendar shows them as busy only.
    lines["CLASS"] = "CLASS:PRIVATE\r\n"


def _component(kind: str, lines: dict[str, str], inner: str = "") -> str:
    if kind == "VEVENT":
        names = sorted(lines, key=lambda name: (_EVENT_RANK.get(name, 99), name))
    else:
        names = sorted(lines)
    return f"BEGIN:{kind}\r\n" + "".join(lines[n] for n in names) + inner + f"END:{kind}\r\n"


def alarm_text(before: dt.timedelta, *, all_day: bool, todo: bool, label: str) -> str:
    """rapport's VALARM: it rings ``before`` the due, saying ``label`` (the SUMMARY, as text)."""
    # All-day follow-ups ring at 09:00 local on the day (the day starts at its
    # floating midnight); a VTODO's alarm is relative to its DUE.
    offset = (entries.ALL_DAY_ALARM_AT if all_day else dt.timedelta(0)) - before
    trigger = "TRIGGER;RELATED=END" if todo else "TRIGGER"
    return (
        "BEGIN:VALARM\r\nACTION:DISPLAY\r\n"
        + _line("DESCRIPTION", label)
        + _line(trigger, duration(offset))
        + "END:VALARM\r\n"
    )


def followup_entry(
    item: CalendarFollowUp,
    *,
    todo: bool,
    alarm: dt.timedelta | None,
    stamp: dt.datetime | None,
) -> Entry:
    """A follow-up as a VEVENT (or VTODO); ``stamp`` None uses its last change (vdir)."""
    f, c = item.followup, item.contact
    lines: dict[str, str] = {}
    _common(lines, f.uid, f.sequence, stamp or f.updated_at, f.updated_at)
    lines["CREATED"] = _line("CREATED", utc(f.created_at))
    summary = text(entries.summary_text(f.title, c.name if c else ""))
    lines["SUMMARY"] = _line("SUMMARY", summary)
    start = entries.start(f.due_date, f.due_time, f.tz)
    recurring = bool(f.rrule) and not f.done
    zone = _times(lines, start, todo=todo, recurring=recurring)
    if recurring:
        anchored = calendar_rule(f.rrule, f.series_start or f.due_date, f.due_date, start)
        lines["RRULE"] = _line("RRULE", rule(anchored))
    lines["DESCRIPTION"] = _line("DESCRIPTION", text(entries.description_text(item)))
    if item.goals:
        lines["CATEGORIES"] = _line("CATEGORIES", ",".join(text(goal) for goal in item.goals))
    if c is not None and entries.is_uri(c.linkedin_url):
        lines["URL"] = _line("URL", c.linkedin_url)
    if todo:
        if f.done:
            lines["STATUS"] = "STATUS:COMPLETED\r\n"
            lines["COMPLETED"] = _line("COMPLETED", utc(f.done_at or f.updated_at))
            lines["PERCENT-COMPLETE"] = "PERCENT-COMPLETE:100\r\n"
        else:
            lines["STATUS"] = "STATUS:NEEDS-ACTION\r\n"
    else:
        lines["STATUS"] = "STATUS:CANCELLED\r\n" if f.done else "STATUS:CONFIRMED\r\n"
    inner = ""
    if alarm is not None and not f.done:
        inner = alarm_text(alarm, all_day=f.due_time is None, todo=todo, label=summary)
    kind = "VTODO" if todo else "VEVENT"
    return Entry(_component(kind, lines, inner), _zone(start, zone, recurring))


def deleted_entry(gone: DeletedFollowUp, *, todo: bool, stamp: dt.datetime | None) -> Entry:
    """A deleted follow-up, cancelled, so calendars drop it."""
    lines: dict[str, str] = {}
    _common(lines, gone.uid, gone.sequence, stamp or gone.deleted_at, gone.deleted_at)
    lines["SUMMARY"] = _line("SUMMARY", text(entries.summary_text(gone.title)))
    start = entries.start(gone.due_date, gone.due_time, gone.tz)
    zone = _times(lines, start, todo=todo, recurring=False)
    lines["STATUS"] = "STATUS:CANCELLED\r\n"
    return Entry(_component("VTODO" if todo else "VEVENT", lines), _zone(start, zone, False))


def _zone(start: dt.date | dt.datetime, tzid: str | None, recurring: bool) -> Zone | None:
    if isinstance(start, dt.datetime) and start.tzinfo:
        return Zone(tzid, start.year, recurring)
    return None


def zones_needed(zones: Iterable[Zone | None]) -> list[tuple[str, int, int]]:
    """(TZID, first year, last year) of each VTIMEZONE these entries need, by TZID.

    The VTIMEZONEs cover the years the entries' starts fall in (every local
    time, UTC ones too), and more when any of them repeats.
    """
    years: list[int] = []
    tzids: set[str] = set()
    recurring = False
    for zone in zones:
        if zone is not None:
            years.append(zone.year)
            recurring = recurring or zone.recurring
            if zone.tzid is not None:
                tzids.add(zone.tzid)
    if not years:
        return []
    last = max(years) + (entries.RECURRING_YEARS if recurring else 1) + 1
    return [(tzid, min(years), last) for tzid in sorted(tzids)]


def _timezones(zones: Iterable[Zone | None]) -> str:
    needed = zones_needed(zones)
    if not needed:
        return ""
    return "".join(_vtimezone(*zone) for zone in needed)


@functools.lru_cache(maxsize=64)
def _vtimezone(tzid: str, first_year: int, last_year: int) -> str:
    from rapport.calendar.components import vtimezone_bytes  # icalendar makes them

    return vtimezone_bytes(tzid, first_year, last_year).decode("utf-8")


@functools.lru_cache(maxsize=8)
def head(name: str, *, method: bool) -> str:
    """BEGIN:VCALENDAR and its properties; with ``method``, a publication named ``name``."""
    lines = [
        "BEGIN:VCALENDAR\r\n",
        "VERSION:2.0\r\n",
        _line("PRODID", icalendar_text(entries.PRODID)),
        "CALSCALE:GREGORIAN\r\n",
    ]
    if method:
        # A file to import is a publication; resources on a CalDAV server (the
        # vdir) must not carry METHOD (RFC 4791 4.1).
        lines.append("METHOD:PUBLISH\r\n")
        lines.append(_line("X-WR-CALNAME", text(name)))
    return "".join(lines)


def calendar(items: Sequence[Entry], *, name: str, method: bool) -> bytes:
    """A whole calendar: its head, the VTIMEZONEs its entries need, the entries."""
    return (
        head(name, method=method)
        + _timezones(entry.zone for entry in items)
        + "".join(entry.text for entry in items)
        + "END:VCALENDAR\r\n"
    ).encode("utf-8")
