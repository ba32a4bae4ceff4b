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
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from icalendar import Alarm, Calendar, Component, vInt, vRecur, vText

from rapport.calendar import components, entries, export, writer
from rapport.calendar.components import zone_guesses_unsaid
from rapport.calendar.items import CalendarFollowUp, due_text, parse_due_text
from rapport.calendar.vdir_cache import content_hash as content_hash
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


def same(name: str, one: Any, other: Any) -> bool:
    """Whether two values of the shared field ``name`` say the same.  A due is the
    same moment however it is written: a phone that rewrote 09:00 Europe/Berlin as
    08:00Z has not moved it.  A floating or all-day due is the same only as written."""
    if one == other:
        return True
    if name != "due" or not isinstance(one, str) or not isinstance(other, str):
        return False
    moment = _instant(one)
    return moment is not None and moment == _instant(other)


def _instant(due: str) -> dt.datetime | None:
    """The moment a timed due with a zone names, in UTC; None for any other."""
    try:
        date, time, tz = parse_due_text(due)
    except ValueError:
        return None
    if time is None or not tz:
        return None
    start = entries.start(date, time, tz)
    return start.astimezone(dt.UTC) if isinstance(start, dt.datetime) else None


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


def _set_due(component: Component, item: CalendarFollowUp, *, rule: bool) -> str | None:
    """rapport's due on the component, and its RRULE if ``rule``; else the file's stays,
    re-anchored to the new due.  Returns the TZID the due is now written with, None for
    a date or a time in UTC."""
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
    # The TZID the time is written with (none for a time in UTC, written with a Z).
    tzid = writer.tzid(start) if isinstance(start, dt.datetime) else None
    return tzid if tzid != "UTC" else None


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


def _reminders(component: Component, words: str) -> list[Component]:
    """The component's VALARMs saying ``words``: rapport's own reminder (``rapports_alarm``
    found its words), or none for ""."""
    return [
        found
        for found in component.subcomponents
        if found.name == "VALARM" and words and str(found.get("DESCRIPTION", "")) == words
    ]


def edited_item(
    parsed: VdirItem,
    item: CalendarFollowUp,
    send: Mapping[str, Any],
    *,
    sequence: int,
    modified: dt.datetime,
    reminder: str = "",
    alarm: dt.timedelta | None = None,
) -> tuple[bytes, str]:
    """The file with rapport's fields in ``send`` (name: value) set, all else as it was,
    and the words of rapport's own reminder in it now ("" for none).

    ``reminder``: the words of rapport's own reminder in the file as read
    (``rapports_alarm``); a reminder another client worded is left alone.  It is
    reworded with a new title; a follow-up done (a task completed, an event
    cancelled) goes out without it, as a fresh file is written, so the phone does
    not ring for it; reopened here, it gets rapport's reminder (``alarm`` before the
    due) back.
    """
    component = parsed.component
    f = item.followup
    for name in ("SEQUENCE", "LAST-MODIFIED", "DTSTAMP"):
        component.pop(name, None)
    component["SEQUENCE"] = vInt(sequence)
    component["LAST-MODIFIED"] = components.utc(modified)
    component["DTSTAMP"] = components.utc(modified)
    mine = _reminders(component, reminder)
    reminder = reminder if mine else ""
    if "summary" in send:
        component.pop("SUMMARY", None)
        component["SUMMARY"] = components.LiteralText(send["summary"])
        # rapport's reminder says the title too (writer's VALARM): it follows, or the
        # phone rings with the old words.  It is known by the words rapport last wrote
        # in it, not by the SUMMARY replaced: after a rename on the phone (which
        # leaves reminders as they are) the two differ.
        for found in mine:
            found.pop("DESCRIPTION")
            found["DESCRIPTION"] = components.LiteralText(send["summary"])
            reminder = str(send["summary"])
    if "description" in send:
        component.pop("DESCRIPTION", None)
        component["DESCRIPTION"] = components.LiteralText(send["description"])
    fresh: set[str] = set()
    if "due" in send or RULE in send:
        # rapport's repeat goes out only when it changed in rapport (the sync decides):
        # an end or a rule the phone set stays when only the due moves here.
        written = _set_due(component, item, rule=RULE in send)
        fresh = {written} if written else set()
    if "done" in send:
        _set_done(component, bool(send["done"]), f.done_at or modified)
    if f.done:
        gone = {id(c) for c in mine}
        component.subcomponents = [c for c in component.subcomponents if id(c) not in gone]
        reminder = ""
    elif "done" in send and alarm is not None and not mine:
        todo = component.name == "VTODO"
        label = writer.text(str(component.get("SUMMARY", "")))
        again = Alarm.from_ical(
            writer.alarm_text(alarm, all_day=f.due_time is None, todo=todo, label=label)
        )
        component.add_component(again)
        reminder = str(again.get("DESCRIPTION", ""))
    _fit_zones(parsed.calendar, fresh)
    return parsed.calendar.to_ical(), reminder


# Components inside a VTIMEZONE, whose times name no TZID of their own.
_ZONE_PARTS = ("VTIMEZONE", "STANDARD", "DAYLIGHT")


def _zones_used(calendar: Calendar) -> dict[str, list[writer.Zone]]:
    """Each TZID the calendar's properties name, with the years and repeats it is used in."""
    used: dict[str, list[writer.Zone]] = {}
    for component in calendar.walk():
        if component.name in _ZONE_PARTS:
            continue
        recurring = "RRULE" in component or "RDATE" in component
        for value in component.values():
            for one in value if isinstance(value, list) else [value]:
                params = getattr(one, "params", None)
                if not params or "TZID" not in params:
                    continue
                moments = (
                    [one.dt] if hasattr(one, "dt") else [d.dt for d in getattr(one, "dts", [])]
                )
                tzid = str(params["TZID"])
                for moment in moments:
                    if isinstance(moment, dt.date):
                        used.setdefault(tzid, []).append(writer.Zone(tzid, moment.year, recurring))
    return used


def _fit_zones(calendar: Calendar, fresh: set[str]) -> None:
    """The calendar's VTIMEZONEs made to fit the TZIDs its properties name: one for
    each (the tz database's, over the years it is used in, as rapport's files give
    it) and none unused.  The TZIDs in ``fresh`` rapport just wrote a time in: theirs
    is made again, an earlier one covered other years; another client's stays."""
    used = _zones_used(calendar)
    have: dict[str, int] = {}  # TZID -> where its VTIMEZONE is in ``kept``
    kept: list[Component] = []
    for component in calendar.subcomponents:
        if component.name == "VTIMEZONE":
            tzid = str(component.get("TZID", ""))
            if tzid not in used or tzid in have:
                continue  # unused, or a second one of a TZID
            have[tzid] = len(kept)
        kept.append(component)
    for tzid in sorted(used):
        if tzid in have and tzid not in fresh:
            continue
        ((_, first, last),) = writer.zones_needed(used[tzid])
        zone = components.vtimezone(tzid, first, last) if _known_zone(tzid) else None
        if zone is None:
            continue  # a name the tz database lacks: the file's own stays
        if tzid in have:
            kept[have[tzid]] = zone
        else:
            kept.insert(0, zone)
            have = {name: at + 1 for name, at in have.items()}
    calendar.subcomponents = kept
