"""One vdir item read for sync, and edited in place: rapport's fields on the parsed component.

A file another client wrote (todoman, a phone through vdirsyncer) is parsed
once; rapport reads its own fields from it (summary, description, due, done)
and, when it has something to send, changes those properties on the very
component it read and serializes that.  Everything else in the file (X-
properties, CATEGORIES, PRIORITY, other VALARMs, other components) is written
back as it came, as todoman promises: "unknown fields are never altered".
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from icalendar import Calendar, Component, vInt, vRecur, vText

from rapport.calendar import components, entries, export, writer
from rapport.calendar.components import zone_guesses_unsaid
from rapport.calendar.items import CalendarFollowUp, due_text, parse_due_text
from rapport.errors import RapportError
from rapport.recurrence import calendar_rule
from rapport.text import UNCLEAN, without_controls

# The fields a follow-up and its file share; each side's value is compared
# with what it was at the last sync to tell which side changed it.
SYNC_FIELDS = ("summary", "description", "due", "done")
# Also kept on both sides, merged apart: the repeat.  rapport's side is the person's
# rule (the follow-up's RRULE, counted from its series start), which a snooze or a
# done leaves as it is; the file's side is its RRULE text.  ("rule", in records
# from before, held rapport's rule anchored to its due of that day: it changed
# with every snooze, and told a moved due from a changed repeat no more.)
RULE = "repeat"
OLD_RULE = "rule"
# Kept on rapport's side only: the words of rapport's own reminder in the file, as
# it last wrote them ("" for none), so it is told from reminders written elsewhere.
ALARM = "alarm"
# Whether a file's due is a time of day with no zone (a phone's "floating"
# time): read in the machine's zone, and kept without it (``kept``).
FLOATING = "floating"
DONE_STATUSES = ("COMPLETED",)


class BadItem(ValueError):
    """A vdir file rapport cannot read as one calendar item; it is reported and left alone."""


@dataclass
class VdirItem:
    """A parsed vdir file: its UID, rapport's fields as the file says them, and the parse."""

    name: str
    uid: str
    kind: str  # "VTODO" or "VEVENT"
    fields: dict[str, Any]
    sequence: int
    last_modified: dt.datetime | None
    calendar: Calendar
    component: Component


def content_hash(data: bytes) -> str:
    """What the sync record keeps of a file: its bytes decide, nothing is re-serialized."""
    return hashlib.sha256(data).hexdigest()


def vdir_files(folder: Path, suffix: str) -> Iterator[tuple[Path, bytes, str]]:
    """Each ``*suffix`` file of a vdir, by name: its path, bytes and content hash.
    Raises RapportError, naming the file, when one cannot be read."""
    for path in sorted(folder.glob(f"*{suffix}")):
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise RapportError(f"cannot read {path}: {exc.strerror or exc}") from None
        yield path, data, content_hash(data)


def _moment(value: Any) -> dt.date | dt.datetime | None:
    return getattr(value, "dt", None) if value is not None else None


def written_due(date: dt.date, time: dt.time | None, tz: str) -> str:
    """A due as rapport's files say it, so both sides' dues compare as the files do.

    The zone is the one rapport writes the time in: a zone equal to UTC
    (Etc/UTC, GMT) is written with a Z and reads back as "UTC"; no zone, or one
    the tz database lacks, is the local zone (rapport.calendar.entries.zone).
    """
    start = entries.start(date, time, tz)
    if not isinstance(start, dt.datetime):
        return due_text(date, None, "")
    return due_text(date, time, writer.tzid(start) or "")


def comparable(fields: Mapping[str, Any]) -> dict[str, Any]:
    """Fields kept in an older sync record, as ``followup_fields`` and ``read_item`` say
    them now: an older rapport kept "Etc/UTC" where its file said Z, and control
    characters its file never held."""
    found = dict(fields)
    for name in ("summary", "description"):
        if isinstance(found.get(name), str):
            found[name] = without_controls(found[name])
    if found.get("due"):
        with contextlib.suppress(ValueError):  # a record no rapport wrote: compared as it is
            found["due"] = written_due(*parse_due_text(found["due"]))
    return found


def kept(fields: Mapping[str, Any], *, floating: bool) -> dict[str, Any]:
    """Fields as a sync record keeps them: a zone-less due (a floating time, a
    follow-up with no zone) without the zone it was read in, so the next sync
    reads it in the machine's zone of that day (``comparable``): kept as "Los
    Angeles" it read as moved once the machine was in Berlin."""
    found = {name: value for name, value in fields.items() if name != FLOATING}
    if floating and found.get("due"):
        date, time, _ = parse_due_text(found["due"])
        found["due"] = due_text(date, time, "")
    return found


def floating_due(fields: Mapping[str, Any]) -> tuple[dt.date, dt.time | None, str]:
    """The (date, time, zone) of a file's due as a follow-up keeps it: a floating
    time with no zone, as the file says it."""
    date, time, tz = parse_due_text(fields["due"])
    return date, time, "" if fields.get(FLOATING) else tz


def _floating(component: Component) -> bool:
    start = _moment(component.get("DUE")) or _moment(component.get("DTSTART"))
    return isinstance(start, dt.datetime) and start.tzinfo is None


try:  # icalendar's own map of Windows zone names (CLDR's windowsZones)
    from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON as _WINDOWS_ZONES
except ImportError:  # an icalendar without it: such a zone comes in in UTC
    _WINDOWS_ZONES = {}


def _known_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def _due_of(component: Component) -> str:
    found = component.get("DUE") if _moment(component.get("DUE")) else component.get("DTSTART")
    start = _moment(found)
    if start is None:
        return ""
    if isinstance(start, dt.datetime):
        zone = start.tzinfo
        name = ""
        if zone is not None:
            name = getattr(zone, "key", None) or getattr(zone, "zone", None) or ""
            if not name and start.utcoffset() == dt.timedelta(0):
                name = "UTC"
            elif not _known_zone(name):
                # A zone of the file's own VTIMEZONE ("W. Europe Standard
                # Time"): the moment is right, the name no database knows; read
                # as a local time it came in hours off.  A Windows zone's name
                # is the tz database's zone icalendar maps it to (Europe/Berlin).
                tzid = str(getattr(found, "params", {}).get("TZID", ""))
                name = _WINDOWS_ZONES.get(tzid, "")
                name = name if _known_zone(name) else "UTC"
                start = start.astimezone(ZoneInfo(name) if name != "UTC" else dt.UTC)
        return written_due(start.date(), start.time().replace(tzinfo=None), name)
    return due_text(start, None, "")


def _done_of(component: Component) -> bool:
    status = str(component.get("STATUS", "")).upper()
    if component.name == "VEVENT":
        return status == "CANCELLED"
    percent = component.get("PERCENT-COMPLETE")
    try:
        full = percent is not None and int(percent) >= 100
    except (TypeError, ValueError):
        full = False
    return status in DONE_STATUSES or full or component.get("COMPLETED") is not None


def read_item(name: str, data: bytes, *, kind: str) -> VdirItem | None:
    """The ``kind`` ("VTODO"/"VEVENT") item of a vdir file; None if it holds none.

    Raises BadItem for a file that is not iCalendar, or whose items carry
    no UID or more than one UID.
    """
    try:
        with zone_guesses_unsaid():
            calendar = Calendar.from_ical(data.decode("utf-8-sig"))
    except (ValueError, UnicodeDecodeError, IndexError, KeyError) as exc:
        raise BadItem(f"not a readable iCalendar file ({str(exc)[:80]})") from None
    if not isinstance(calendar, Calendar) or calendar.name != "VCALENDAR":
        raise BadItem("not a VCALENDAR")
    components = [c for c in calendar.subcomponents if c.name in ("VTODO", "VEVENT")]
    uids = {str(c.get("UID", "")) for c in components}
    if not components:
        return None
    if "" in uids or len(uids) > 1:
        raise BadItem("its items have no UID, or more than one")
    if UNCLEAN.search(next(iter(uids))):
        # rapport would write it back into the file it keeps for the task.
        raise BadItem("its UID holds a control character")
    # A repeating item may come with overrides (RECURRENCE-ID); the master decides.
    masters = [c for c in components if "RECURRENCE-ID" not in c] or components
    component = masters[0]
    if component.name != kind:
        return None
    try:
        sequence = int(component.get("SEQUENCE", 0))
    except (TypeError, ValueError):
        sequence = 0
    modified = _moment(component.get("LAST-MODIFIED")) or _moment(component.get("DTSTAMP"))
    if isinstance(modified, dt.datetime) and modified.tzinfo is not None:
        modified = modified.astimezone(dt.UTC).replace(tzinfo=None)
    # What another client wrote loses its control characters here, where it comes
    # in: a phone's SUMMARY became a follow-up's title, ESC and all.
    fields = {
        "summary": without_controls(str(component.get("SUMMARY", ""))),
        "description": without_controls(str(component.get("DESCRIPTION", ""))),
        "due": _due_of(component),
        FLOATING: _floating(component),
        "done": _done_of(component),
        RULE: _rule_in(component),
    }
    return VdirItem(
        name,
        uids.pop(),
        component.name,
        fields,
        sequence,
        modified if isinstance(modified, dt.datetime) else None,
        calendar,
        component,
    )


def followup_fields(item: CalendarFollowUp) -> dict[str, Any]:
    """rapport's side of the shared fields, as rapport writes them and reads them back:
    no control character, the due in the zone its file names (``written_due``)."""
    f = item.followup
    summary = entries.summary_text(f.title, item.contact.name if item.contact else "")
    return {
        "summary": without_controls(summary),
        "description": without_controls(entries.description_text(item)),
        "due": written_due(f.due_date, f.due_time, f.tz),
        "done": bool(f.done),
        RULE: f.rrule or None,
    }


def new_item(item: CalendarFollowUp, *, todo: bool, alarm: dt.timedelta | None) -> bytes:
    """A follow-up's file when the vdir has none yet: rapport's whole entry."""
    return export.vdir_file(writer.followup_entry(item, todo=todo, alarm=alarm, stamp=None))


def _set_due(
    calendar: Calendar, component: Component, item: CalendarFollowUp, *, rule: bool
) -> None:
    """rapport's due on the component, and its RRULE if ``rule``; else the file's stays,
    re-anchored to the new due."""
    f = item.followup
    date, time, tz = parse_due_text(due_text(f.due_date, f.due_time, f.tz))
    start = entries.start(date, time, tz)
    todo = component.name == "VTODO"
    kept = None if rule else _reanchored(component, item, start)
    recurring = (bool(f.rrule) and not f.done) if rule else kept is not None
    for name in ("DUE", "DTEND", "DURATION", "RRULE") if todo else ("DTEND", "DURATION", "RRULE"):
        component.pop(name, None)
    if todo and "DTSTART" in component and not recurring:
        component.pop("DTSTART")
    components.times(component, start, todo=todo, recurring=recurring)
    if kept is not None:
        component["RRULE"] = kept
    elif rule and (ours := written_rule(item)) is not None:
        component["RRULE"] = vRecur.from_ical(ours)
    if not isinstance(start, dt.datetime):
        return
    # The VTIMEZONE of the TZID the time is written with, over the years rapport's own
    # files give it; none for a time written in UTC (with a Z), which no TZID names.
    tzid = writer.tzid(start)
    have = {str(c.get("TZID", "")) for c in calendar.subcomponents if c.name == "VTIMEZONE"}
    for name, first, last in writer.zones_needed([writer.Zone(tzid, date.year, recurring)]):
        if name != "UTC" and name not in have:
            zone = components.vtimezone(name, first, last)
            if zone is not None:
                calendar.subcomponents.insert(0, zone)


def written_rule(item: CalendarFollowUp, due: str = "") -> str | None:
    """The RRULE rapport writes for the follow-up (as writer.followup_entry), None if none;
    beside ``due`` (a due as the sync fields say it: the file's) instead of its own due."""
    f = item.followup
    if not f.rrule or f.done:
        return None
    day, start = f.due_date, entries.start(f.due_date, f.due_time, f.tz)
    if due:
        day, time, tz = parse_due_text(due)
        start = entries.start(day, time, tz)
    return writer.rule(calendar_rule(f.rrule, f.series_start or f.due_date, day, start))


def _reanchored(component: Component, item: CalendarFollowUp, start: dt.date | dt.datetime) -> Any:
    """The file's own RRULE for its due moved to ``start``, re-anchored as rapport anchors
    its own (``calendar_rule``): the COUNT what is left, the day spelled out when moved
    off the series.  Kept as it was, the phone's series went on longer than rapport's
    (a ticked-off occurrence never counted) or moved with the due."""
    found = component.get("RRULE")
    before = _moment(component.get("DTSTART")) or _moment(component.get("DUE"))
    if found is None or isinstance(found, list) or before is None:
        return found
    day = before.date() if isinstance(before, dt.datetime) else before
    text = found.to_ical().decode("utf-8")
    if text == written_rule(item, _due_of(component)):
        # rapport's own series: rapport's rule for the new due says it exactly.
        ours = written_rule(item)
        return found if ours is None else vRecur.from_ical(ours)
    new_day = start.date() if isinstance(start, dt.datetime) else start
    try:
        return vRecur.from_ical(calendar_rule(text, day, new_day, start))
    except (ValueError, TypeError, OverflowError):  # a rule rapport cannot count: as it is
        return found


def _rule_in(component: Component) -> str | None:
    rule = component.get("RRULE")
    if rule is None:
        return None
    if isinstance(rule, list):
        return "more than one"
    return str(rule.to_ical().decode("utf-8"))


def _set_done(component: Component, done: bool, when: dt.datetime) -> None:
    if component.name == "VEVENT":
        component["STATUS"] = vText("CANCELLED" if done else "CONFIRMED")
        return
    for name in ("STATUS", "COMPLETED", "PERCENT-COMPLETE"):
        component.pop(name, None)
    if done:
        component["STATUS"] = vText("COMPLETED")
        component["COMPLETED"] = components.utc(when)
        component["PERCENT-COMPLETE"] = vInt(100)
    else:
        component["STATUS"] = vText("NEEDS-ACTION")


# How every SUMMARY, and so every reminder, rapport writes begins (entries.summary_text).
RAPPORTS_WORDS = ("Follow up: ", "Follow up with ")


def rapports_alarm(component: Component, recorded: str | None, summaries: Sequence[str]) -> str:
    """The words of rapport's own reminder in the file, "" if it holds none.

    It is the reminder saying what rapport last wrote in it (``recorded``, kept in
    the sync record): a reminder the person wrote elsewhere is left alone, even
    one beginning "Follow up with".  A record from before rapport kept those
    words (``recorded`` None) knows it as saying a SUMMARY rapport wrote
    (``summaries``), else as the one reminder in rapport's wording.
    """
    words = [str(alarm.get("DESCRIPTION", "")) for alarm in component.walk("VALARM")]
    if recorded is not None:
        return recorded if recorded in words else ""
    for summary in summaries:
        if summary and summary in words:
            return summary
    ours = [text for text in words if text.startswith(RAPPORTS_WORDS)]
    return ours[0] if len(ours) == 1 else ""


def edited_item(
    parsed: VdirItem,
    item: CalendarFollowUp,
    send: Mapping[str, Any],
    *,
    sequence: int,
    modified: dt.datetime,
    alarm: str = "",
) -> bytes:
    """The file with rapport's fields in ``send`` (name: value) set, all else as it was;
    ``alarm``: the words of rapport's own reminder in it (``rapports_alarm``)."""
    component = parsed.component
    f = item.followup
    for name in ("SEQUENCE", "LAST-MODIFIED", "DTSTAMP"):
        component.pop(name, None)
    component["SEQUENCE"] = vInt(sequence)
    component["LAST-MODIFIED"] = components.utc(modified)
    component["DTSTAMP"] = components.utc(modified)
    if "summary" in send:
        component.pop("SUMMARY", None)
        component["SUMMARY"] = components.LiteralText(send["summary"])
        # rapport's reminder says the title too (writer's VALARM): it follows, or the
        # phone rings with the old words; a reminder another client worded is left alone.
        # It is known by the words rapport last wrote in it, not by the SUMMARY replaced:
        # after a rename on the phone (which leaves reminders as they are) the two differ.
        for found in component.walk("VALARM"):
            if alarm and str(found.get("DESCRIPTION", "")) == alarm:
                found.pop("DESCRIPTION")
                found["DESCRIPTION"] = components.LiteralText(send["summary"])
    if "description" in send:
        component.pop("DESCRIPTION", None)
        component["DESCRIPTION"] = components.LiteralText(send["description"])
    if "due" in send or RULE in send:
        # rapport's repeat goes out only when it changed in rapport (the sync decides):
        # an end or a rule the phone set stays when only the due moves here.
        _set_due(parsed.calendar, component, item, rule=RULE in send)
    if "done" in send:
        _set_done(component, bool(send["done"]), f.done_at or modified)
    return parsed.calendar.to_ical()
