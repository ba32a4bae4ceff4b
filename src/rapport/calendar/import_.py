"""Events in from any calendar's .ics export (Google, Apple, Outlook, Meetup, Eventbrite).

The file is checked whole before anything is written: a file that is not
iCalendar, is cut short or holds a value no calendar could mean gives one
line naming the problem, and nothing is imported.  Each VEVENT becomes an
event keyed by its UID, so importing the same calendar again updates events
instead of adding them twice.  A recurring series stays one event with its
RRULE and EXDATEs (see README "Calendars"); a moved occurrence
(RECURRENCE-ID) becomes its own event and is excluded from the series.
VTODOs, VJOURNALs and other components are counted and left out.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil import rrule as dateutil_rrule
from icalendar import Calendar, Component, vRecur

from rapport import clock
from rapport.calendar.components import zone_guesses_unsaid
from rapport.calendar.items import IncomingEvent
from rapport.dates import ZONE_OFFSETS
from rapport.errors import ImportFailed
from rapport.text import one_line, without_controls

_CONTENT_LINE = re.compile(r"^[A-Za-z0-9-]+[;:]", re.ASCII)
_BEGIN_END = re.compile(r"^(BEGIN|END):([A-Za-z0-9-]+)\s*$", re.IGNORECASE)


def _text(data: bytes, source: str, warnings: list[str]) -> str:
    """The calendar's text: UTF-8 as RFC 5545 says, else Windows-1252 or Latin-1, said in a note."""
    if not data.strip():
        raise ImportFailed(f"{source} is empty, not an iCalendar file")
    if b"\x00" in data[:4096]:
        raise ImportFailed(f"{source} is not an iCalendar file (it holds binary data)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
    # Older Outlook exports are Windows-1252; Latin-1 reads the bytes 1252 leaves undefined.
    for encoding, name in (("cp1252", "Windows-1252"), ("latin-1", "Latin-1")):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        warnings.append(
            f"{source} is not UTF-8 (line {line}), as iCalendar files should be; "
            f"read as {name}: check the accents of what was imported"
        )
        return text
    raise AssertionError("Latin-1 reads any byte")  # pragma: no cover


def check_structure(text: str, source: str) -> None:
    """Refuse, with one line, text that is not a whole iCalendar stream."""
    lines = text.splitlines()
    first = next((n for n, line in enumerate(lines) if line.strip()), None)
    if first is None or lines[first].strip().upper() != "BEGIN:VCALENDAR":
        shown = lines[first].strip()[:40] if first is not None else ""
        raise ImportFailed(
            f"{source} is not an iCalendar file (it starts with {shown!r}, not BEGIN:VCALENDAR)"
        )
    stack: list[tuple[str, int]] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line[:1] in (" ", "\t"):
            continue  # blank, or the continuation of a folded line
        match = _BEGIN_END.match(line.strip())
        if match:
            kind, name = match.group(1).upper(), match.group(2).upper()
            if kind == "BEGIN":
                stack.append((name, number))
            elif not stack:
                raise ImportFailed(f"{source}, line {number}: END:{name} without a BEGIN:{name}")
            elif stack[-1][0] != name:
                opened, at = stack[-1]
                raise ImportFailed(
                    f"{source}, line {number}: END:{name} where END:{opened} (line {at}) "
                    "was expected"
                )
            else:
                stack.pop()
        elif not stack:
            raise ImportFailed(f"{source}, line {number}: text outside BEGIN:VCALENDAR/END")
        elif not _CONTENT_LINE.match(line):
            raise ImportFailed(
                f"{source}, line {number}: {line.strip()[:40]!r} is not an iCalendar line"
            )
    if stack:
        name, at = stack[-1]
        raise ImportFailed(
            f"{source} is cut short: BEGIN:{name} on line {at} has no END:{name} "
            "(the file looks truncated)"
        )


def _zone(name: str) -> dt.tzinfo | None:
    try:
        return ZoneInfo(name) if name else None
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _named_zone(moment: dt.datetime) -> str | None:
    """The IANA zone for a zone defined only by a VTIMEZONE, or None.

    Outlook names its zones as Windows does ("W. Europe Standard Time");
    a zone of one fixed offset (+05:00) is IANA's Etc/GMT-5 (the sign is
    POSIX's, reversed).  Offsets of part of an hour have no such zone.
    """
    from icalendar.timezone.tzid import tzid_from_tzinfo
    from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

    olson = WINDOWS_TO_OLSON.get((tzid_from_tzinfo(moment.tzinfo) or "").strip('"'))
    if olson and _zone(olson) is not None:
        return olson
    assert moment.tzinfo is not None
    winter, summer = (
        moment.tzinfo.utcoffset(dt.datetime(moment.year, month, 1)) for month in (1, 7)
    )
    if winter is None or winter != summer or winter.total_seconds() % 3600:
        return None
    hours = int(winter.total_seconds()) // 3600
    named = "Etc/UTC" if hours == 0 else f"Etc/GMT{-hours:+d}"
    return named if _zone(named) is not None else None


def _plain(value: Any) -> str:
    """A property's text as rapport keeps it: control characters dropped here, where
    the calendar's text comes in, so none reaches a terminal, a database or another
    calendar (a UID with ESC in it made the next backup refuse to restore)."""
    return without_controls(str(value or ""))


def _one_line(value: Any) -> str:
    """A UID or address (a calendar's UID holds no line break or tab)."""
    return one_line(str(value or ""))


class _Reader:
    """Turns one calendar's VEVENTs into IncomingEvents, in rapport's wall clocks."""

    def __init__(self, source: str, default_zone: str) -> None:
        self.source = source
        # Google writes floating times with the calendar's zone in X-WR-TIMEZONE.
        self.default_zone = default_zone
        self.warnings: list[str] = []

    def fail(self, component: Component, problem: str) -> ImportFailed:
        summary = str(component.get("SUMMARY", "") or "")[:60]
        uid = str(component.get("UID", "") or "")[:80]
        who = f"event {summary!r}" if summary else "an event"
        return ImportFailed(
            f"{self.source}: {who}{f' (UID {uid})' if uid else ''}: {problem}; nothing was imported"
        )

    def value(self, component: Component, name: str) -> Any:
        prop = component.get(name)
        if prop is None:
            return None
        if isinstance(prop, list):
            prop = prop[0]
        try:
            return prop.dt
        except Exception as exc:  # icalendar keeps a broken value as text, raising on .dt
            raw = str(prop) if isinstance(prop, str) else "?"
            raise self.fail(component, f"{name} {raw[:30]!r} is not a date or time") from exc

    def wall_clock(self, moment: dt.datetime, *, recurring: bool) -> tuple[dt.datetime, str]:
        """The naive wall-clock time and IANA zone rapport stores for ``moment``."""
        key = getattr(moment.tzinfo, "key", None)
        if moment.tzinfo is None:
            zone = self.default_zone or clock.local_zone_name()
            return moment, zone
        if key and _zone(key) is not None and (recurring or key not in ("UTC", "Etc/UTC")):
            # A series in UTC stays in UTC: in local time it would drift an hour at DST.
            return moment.replace(tzinfo=None), key
        offset = moment.utcoffset()
        if offset is not None and not ZONE_OFFSETS[0] <= offset <= ZONE_OFFSETS[1]:
            raise ImportFailed(
                f"{self.source}: a time of {moment:%Y-%m-%d %H:%M} is {offset} from UTC by its "
                "VTIMEZONE, which no time zone is (they run from -12:00 to +14:00); "
                "nothing was imported"
            )
        named = None if key else _named_zone(moment)
        if named is not None:
            # A zone only its VTIMEZONE defines, known by another name: its wall clock kept.
            return moment.replace(tzinfo=None), named
        if recurring:
            self.warnings.append(
                f"{moment.tzinfo} is not a zone rapport knows by name; the series is "
                "kept in your local time and may be an hour off across daylight saving"
            )
        # A single moment in UTC or in a zone only its VTIMEZONE defines: shown in
        # the person's own zone, which is exact for one occurrence.
        local = clock.local_zone()
        return moment.astimezone(local).replace(tzinfo=None), clock.local_zone_name()

    def in_zone(self, value: dt.date | dt.datetime, tz: str) -> dt.date | dt.datetime:
        if not isinstance(value, dt.datetime):
            return value
        if value.tzinfo is None:
            return value
        if getattr(value.tzinfo, "key", None) is None and _named_zone(value) == tz:
            return value.replace(tzinfo=None)  # the start's own VTIMEZONE: its wall clock
        zone = _zone(tz) or clock.local_zone()
        return value.astimezone(zone).replace(tzinfo=None)

    def event(self, component: Component) -> IncomingEvent | None:
        start = self.value(component, "DTSTART")
        if start is None:
            return None
        uid = _one_line(component.get("UID"))
        if not uid:
            # No UID (against RFC 5545): derive one, so a re-import still matches.
            basis = f"{component.get('SUMMARY', '')}|{component['DTSTART'].to_ical()!r}"
            uid = "rapport-import-" + hashlib.sha256(basis.encode()).hexdigest()[:32]
        tz = ""
        rrule = self.rule(component, start)
        if isinstance(start, dt.datetime):
            start, tz = self.wall_clock(start, recurring=bool(rrule))
        end = self.end(component, start, tz)
        exdates = tuple(_iso(self.in_zone(x, tz)) for x in self.dates(component, "EXDATE"))
        people = self.people(component)
        return IncomingEvent(
            uid=uid,
            name=_plain(component.get("SUMMARY")),
            start_date=start.date() if isinstance(start, dt.datetime) else start,
            start_time=_time(start),
            end_date=end.date() if isinstance(end, dt.datetime) else end,
            end_time=_time(end) if end is not None else None,
            tz=tz,
            location=_plain(component.get("LOCATION")),
            url=_one_line(component.get("URL")),
            description=_plain(component.get("DESCRIPTION")),
            rrule=rrule,
            exdates=exdates,
            sequence=_int(component.get("SEQUENCE")),
            cancelled=str(component.get("STATUS", "")).upper() == "CANCELLED",
            attendee_emails=tuple(email for email, _ in people),
            attendee_names=tuple((email, name) for email, name in people if name),
            organizer=self.organizer(component),
            categories=self.categories(component),
        )

    def end(
        self, component: Component, start: dt.date | dt.datetime, tz: str
    ) -> dt.date | dt.datetime | None:
        end = self.value(component, "DTEND")
        if end is None and component.get("DURATION") is not None:
            duration = self.value(component, "DURATION")
            if isinstance(duration, dt.timedelta):
                end = start + duration
        if end is None:
            return None
        if isinstance(start, dt.datetime):
            if not isinstance(end, dt.datetime):
                end = dt.datetime.combine(end, dt.time())
            end = self.in_zone(end, tz)
            assert isinstance(end, dt.datetime)
            return end if end > start else None
        if isinstance(end, dt.datetime):
            end = end.date()
        # An all-day DTEND is exclusive: the event's last day is the day before.
        last = end - dt.timedelta(days=1)
        return last if last >= start else None

    def rule(self, component: Component, start: dt.date | dt.datetime) -> str:
        prop = component.get("RRULE")
        if prop is None:
            return ""
        if isinstance(prop, list):
            named = _plain(component.get("SUMMARY")) or "an event"
            self.warnings.append(f"{named}: only the first of its RRULEs is kept")
            prop = prop[0]
        if not isinstance(prop, vRecur):
            # icalendar keeps a rule it cannot read as the text it was, with its reason.
            reason = next((why for name, why in component.errors if name == "RRULE"), "unreadable")
            raise self.fail(component, f"RRULE {str(prop)[:40]!r} is not a valid rule ({reason})")
        rule = prop.to_ical().decode("utf-8", "replace")
        anchor = start if isinstance(start, dt.datetime) else dt.datetime.combine(start, dt.time())
        try:
            # Parsing only: nothing is expanded here, so any rule takes no time.
            dateutil_rrule.rrulestr("RRULE:" + re.sub(r"UNTIL=[^;]*;?", "", rule), dtstart=anchor)
        except (ValueError, TypeError, OverflowError) as exc:
            raise self.fail(component, f"RRULE {rule[:40]!r} is not a valid rule ({exc})") from None
        return rule

    def dates(self, component: Component, name: str) -> list[dt.date | dt.datetime]:
        props = component.get(name)
        if props is None:
            return []
        found: list[dt.date | dt.datetime] = []
        for prop in props if isinstance(props, list) else [props]:
            try:
                found.extend(v.dt for v in prop.dts)
            except Exception as exc:  # broken EXDATE values
                raise self.fail(component, f"{name} holds something that is not a date") from exc
        return found

    @staticmethod
    def people(component: Component) -> list[tuple[str, str]]:
        """The organizer's and attendees' emails, once each, with the name (CN)
        the calendar gives them ("" for none)."""
        found: dict[str, str] = {}
        for name in ("ORGANIZER", "ATTENDEE"):
            props = component.get(name)
            for prop in props if isinstance(props, list) else [props] if props else []:
                address = _address(prop)
                common = one_line(_plain(getattr(prop, "params", {}).get("CN", "")))
                if "@" in address and not found.get(address):
                    found[address] = common
        return list(found.items())

    @staticmethod
    def organizer(component: Component) -> str:
        """The organizer's email as ``people`` has it ("" for none; the first of several)."""
        props = component.get("ORGANIZER")
        prop = props[0] if isinstance(props, list) and props else props
        address = _address(prop) if prop else ""
        return address if "@" in address else ""

    @staticmethod
    def categories(component: Component) -> tuple[str, ...]:
        props = component.get("CATEGORIES")
        found: list[str] = []
        for prop in props if isinstance(props, list) else [props] if props else []:
            found.extend(_plain(c) for c in getattr(prop, "cats", [prop]))
        return tuple(found)


def _address(prop: object) -> str:
    """An ORGANIZER's or ATTENDEE's email: ``mailto:`` dropped, lower case."""
    return re.sub(r"^mailto:", "", _one_line(prop), flags=re.IGNORECASE).lower()


def _time(value: dt.date | dt.datetime | None) -> dt.time | None:
    if isinstance(value, dt.datetime):
        return value.time().replace(microsecond=0)
    return None


def _iso(value: dt.date | dt.datetime) -> str:
    if isinstance(value, dt.datetime):
        return value.replace(microsecond=0, tzinfo=None).isoformat()
    return value.isoformat()


def _int(value: Any) -> int:
    try:
        return max(0, int(str(value)))
    except (TypeError, ValueError):
        return 0


def read_events(data: bytes, *, source: str) -> tuple[list[IncomingEvent], Counter[str], list[str]]:
    """The VEVENTs of calendar data as IncomingEvents, the other components counted,
    and warnings.  Raises ImportFailed for anything that is not a whole, readable
    iCalendar stream."""
    warnings: list[str] = []
    text = _text(data, source, warnings)
    check_structure(text, source)
    try:
        with zone_guesses_unsaid():
            calendars = Calendar.from_ical(text, multiple=True)
    except (ValueError, KeyError, IndexError) as exc:
        from rapport.reading import shown

        # The parser's message may quote a value whole: cut to a line a person reads.
        raise ImportFailed(f"{source} is not a valid iCalendar file: {shown(str(exc))}") from None
    items: list[IncomingEvent] = []
    moved: list[tuple[str, dt.date | dt.datetime]] = []
    ignored: Counter[str] = Counter()
    for calendar in calendars:
        if calendar.name != "VCALENDAR":
            raise ImportFailed(f"{source} holds a {calendar.name}, not a VCALENDAR")
        reader = _Reader(source, _plain(calendar.get("X-WR-TIMEZONE")).strip())
        if reader.default_zone and _zone(reader.default_zone) is None:
            reader.default_zone = ""
        for component in calendar.subcomponents:
            if component.name == "VTIMEZONE":
                continue
            if component.name != "VEVENT":
                ignored[str(component.name)] += 1
                continue
            item = reader.event(component)
            if item is None:
                ignored["VEVENT without a start"] += 1
                continue
            recurrence_id = component.get("RECURRENCE-ID")
            if recurrence_id is not None:
                original = reader.value(component, "RECURRENCE-ID")
                moved.append((item.uid, original))
                if item.cancelled:
                    continue  # a cancelled occurrence is only an EXDATE of its series
                item = _replace(item, uid=f"{item.uid}/{_iso(original)}")
            items.append(item)
        warnings.extend(reader.warnings)
    return _exclude_moved(items, moved), ignored, warnings


def _replace(item: IncomingEvent, **changes: Any) -> IncomingEvent:
    from dataclasses import replace

    return replace(item, **changes)


def _exclude_moved(
    items: list[IncomingEvent], moved: list[tuple[str, dt.date | dt.datetime]]
) -> list[IncomingEvent]:
    """Add each moved or cancelled occurrence to its series' EXDATEs."""
    if not moved:
        return items
    by_uid: dict[str, list[dt.date | dt.datetime]] = {}
    for uid, original in moved:
        by_uid.setdefault(uid, []).append(original)
    result = []
    for item in items:
        extra = by_uid.get(item.uid)
        if extra and item.rrule:
            zone = _zone(item.tz) or clock.local_zone()
            dates = [
                _iso(x.astimezone(zone) if isinstance(x, dt.datetime) and x.tzinfo else x)
                for x in extra
            ]
            item = _replace(item, exdates=tuple(dict.fromkeys([*item.exdates, *dates])))
        result.append(item)
    return result
