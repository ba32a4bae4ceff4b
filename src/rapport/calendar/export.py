"""Follow-ups as iCalendar: one .ics file, or a vdir of one file per follow-up.

Each follow-up is a VEVENT with a VALARM (what Google, Apple and Outlook
import) or, with ``todo``, a VTODO with DUE and STATUS (what task apps read).
Its UID never changes and its SEQUENCE grows with every change, so importing
a newer export updates a calendar instead of duplicating it.  Done and
deleted follow-ups are written as CANCELLED (VEVENT) or COMPLETED/CANCELLED
(VTODO) when asked, or when ``sync`` keeps an earlier export up to date.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from icalendar import (
    Alarm,
    Calendar,
    Component,
    Event,
    Timezone,
    Todo,
    vCategory,
    vDDDTypes,
    vInt,
    vRecur,
    vText,
    vUri,
)

from rapport import __version__, clock, dates
from rapport.calendar import vdir_cache
from rapport.calendar.items import (
    CalendarFollowUp,
    DeletedFollowUp,
    EntryInputs,
    ExportOptions,
    ExportSummary,
    FollowUpSource,
)
from rapport.errors import RapportError, ValidationError
from rapport.files import private_folder, write_private, write_private_files
from rapport.heap import collector_paused
from rapport.recurrence import anchored_rule
from rapport.text import without_controls
from rapport.words import rule_words

PRODID = f"-//rapport//rapport {__version__}//EN"
# A follow-up is a reminder, not a meeting: it gets a short slot and never
# makes the person look busy (TRANSP:TRANSPARENT).
TIMED_LENGTH = dt.timedelta(minutes=30)
ALL_DAY_ALARM_AT = dt.timedelta(hours=9)
# A done or deleted follow-up is cancelled in a --sync export for this long
# after it closed, so a calendar imported only now and then still hears of it.
KEEP_CLOSED = dt.timedelta(days=30)
# VTIMEZONEs cover the years the follow-ups fall in, and this many more for
# series that keep repeating (calendars that know the zone by name, as most
# do, need none of it; Outlook reads the definitions).
RECURRING_YEARS = 5
# icalendar folds a content line of this many octets or more (RFC 5545 3.1).
FOLD_OCTETS = 75

_SPAN = re.compile(r"^(\d{1,4})\s*(m|min|mins|minutes?|h|hours?|d|days?|w|weeks?)$")


def parse_alarm(text: str | None) -> dt.timedelta | None:
    """How long before a follow-up its alarm goes off; None for no alarm.

    ``default`` (or nothing) is at the due time (09:00 for all-day
    follow-ups); ``15m``, ``1h``, ``1d``, ``2w`` are that much earlier;
    ``none`` is no alarm.  Raises ValidationError.
    """
    value = " ".join(str(text or "default").lower().split())
    if value in ("default", "at", "0", "0m"):
        return dt.timedelta(0)
    if value in ("none", "no", "off"):
        return None
    match = _SPAN.match(value)
    if not match:
        raise ValidationError("alarm", f"can't read {text!r}; try 15m, 1h, 1d or none")
    amount = int(match.group(1))
    unit = match.group(2)[0]
    return {
        "m": dt.timedelta(minutes=amount),
        "h": dt.timedelta(hours=amount),
        "d": dt.timedelta(days=amount),
        "w": dt.timedelta(weeks=amount),
    }[unit]


@dataclass(frozen=True)
class _Previous:
    """An entry of an earlier export: its UID, whether it was closed, its SEQUENCE."""

    closed: bool
    sequence: int


@dataclass
class _Selection:
    followups: list[CalendarFollowUp] = field(default_factory=list)
    deleted: list[DeletedFollowUp] = field(default_factory=list)


# -- choosing what to write ----------------------------------------------------


def _closed_recently(closed_at: dt.datetime | None) -> bool:
    return closed_at is not None and clock.utcnow() - closed_at <= KEEP_CLOSED


def _select(
    source: FollowUpSource,
    options: ExportOptions,
    previous: dict[str, _Previous],
    uids: Sequence[str] | None = None,
) -> _Selection:
    # ``uids``: of what the options select, only these (read in full by UID).
    chosen = _Selection(
        source.followups_for_calendar(
            goal=options.goal,
            contact=options.contact,
            since=options.since,
            until=options.until,
            include_done=options.include_done,
        )
        if uids is None
        else source.followups_by_uid(uids)
    )
    if options.include_done and options.goal is None and options.contact is None:
        # A deleted follow-up has lost its links, so only the dates can select it.
        chosen.deleted = source.deleted_followups(since=options.since, until=options.until)
    if options.sync and previous:
        taken = {c.followup.uid for c in chosen.followups} | {d.uid for d in chosen.deleted}
        rest = [uid for uid in previous if uid not in taken]

        def announce(uid: str, sequence: int, closed_at: dt.datetime | None) -> bool:
            # Tell calendars once it closed, and keep telling them for a while.
            before = previous[uid]
            return not before.closed or before.sequence < sequence or _closed_recently(closed_at)

        for item in source.followups_by_uid(rest):
            f = item.followup
            if not f.done or announce(f.uid, f.sequence, f.done_at):
                chosen.followups.append(item)
        for gone in source.deleted_followups(uids=rest):
            if announce(gone.uid, gone.sequence, gone.deleted_at):
                chosen.deleted.append(gone)
        chosen.followups.sort(
            key=lambda c: (c.followup.due_date, c.followup.due_time or dt.time.min, c.followup.id)
        )
    return chosen


# -- building components -------------------------------------------------------


def _zone(name: str) -> dt.tzinfo:
    try:
        return ZoneInfo(name or clock.local_zone_name())
    except (ZoneInfoNotFoundError, ValueError):
        return clock.local_zone()


def _start(due_date: dt.date, due_time: dt.time | None, tz: str) -> dt.date | dt.datetime:
    if due_time is None:
        return due_date
    return dt.datetime.combine(due_date, due_time).replace(tzinfo=_zone(tz))


def _first_word_is_name(word: str, name: str) -> bool:
    return bool(name) and word.strip(":,'’s").lower() in name.lower().split()


def summary_text(title: str, contact_name: str = "") -> str:
    """ "Follow up: send Dana the deck", naming the contact when the title does not."""
    first, _, rest = title.partition(" ")
    if (
        len(first) > 1
        and first[0].isupper()
        and first[1:].islower()
        and not _first_word_is_name(first, contact_name)
    ):
        title = first.lower() + (" " + rest if rest else "")
    if contact_name:
        given = contact_name.split()[0].lower()
        if given not in title.lower():
            return f"Follow up with {contact_name}: {title}"
    return f"Follow up: {title}"


def description_text(item: CalendarFollowUp) -> str:
    """What a person needs to act from their phone: who, how to reach them, why, the last touch."""
    f, c = item.followup, item.contact
    lines = [f.title, ""]
    if c is not None:
        who = c.name
        position = ", ".join(p for p in (c.role, item.organization) if p)
        lines.append(f"With: {who}" + (f" ({position})" if position else ""))
        lines.extend(
            f"{label}: {value}"
            for label, value in (
                ("Email", c.email),
                ("Phone", c.phone),
                ("LinkedIn", c.linkedin_url),
            )
            if value
        )
    if f.rrule:
        lines.append(f"Repeats: {rule_words(f.rrule)}")
    if item.goals:
        lines.append("Goals: " + "; ".join(item.goals))
    if item.last_touch is not None:
        lines.append(f"Last contact: {item.last_touch.date.isoformat()}, {item.last_touch.what}")
    if f.notes:
        lines.extend(["", "Notes:", f.notes])
    # Only the blank line the layout may leave at the end: notes keep their own spacing.
    return "\n".join(lines).rstrip("\n")


class LiteralText(vText):
    """TEXT escaped as RFC 5545 says, and no more.

    icalendar also turns a typed backslash-N into a line break ("C:\\Notes"
    would reach the calendar as "C:" and "otes" on the next line); this keeps it.
    """

    encoding: str  # set by vText

    def to_ical(self) -> bytes:
        # A line break stored as CR (an older database, a restore) ends a content
        # line too: every break becomes \n, and no control character is written.
        text = without_controls(str(self))
        text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
        return text.replace("\n", "\\n").encode(self.encoding)


class LiteralCategories(vCategory):
    """CATEGORIES whose every name is escaped as ``LiteralText`` escapes text.

    icalendar's own leaves a typed backslash unescaped and lowers "\\N" to a
    line break ("C:\\Notes" reached a strict parser as "C:" and "otes").
    """

    def __init__(self, names: Sequence[str]) -> None:
        super().__init__(list(names))
        self.cats = [LiteralText(name) for name in names]


def _is_uri(text: str) -> bool:
    """Whether ``text`` can be a URL property: an older database or a restore may
    hold one with a line break or a space, which calendars refuse (and icalendar raises on)."""
    return bool(text) and not any(c.isspace() or not c.isprintable() for c in text)


def _alarm(before: dt.timedelta, *, all_day: bool, todo: bool, label: str) -> Alarm:
    alarm = Alarm()
    alarm["ACTION"] = vText("DISPLAY")
    alarm["DESCRIPTION"] = LiteralText(label)
    # All-day follow-ups ring at 09:00 local on the day (the day starts at its
    # floating midnight); a VTODO's alarm is relative to its DUE.
    offset = (ALL_DAY_ALARM_AT if all_day else dt.timedelta(0)) - before
    alarm["TRIGGER"] = vDDDTypes(offset)
    if todo:
        alarm["TRIGGER"].params["RELATED"] = "END"
    return alarm


def _times(
    component: Component, start: dt.date | dt.datetime, *, todo: bool, recurring: bool = False
) -> None:
    if todo:
        # A task is due, it does not start; a repeating one needs DTSTART to anchor its RRULE.
        if recurring:
            component["DTSTART"] = vDDDTypes(start)
        component["DUE"] = vDDDTypes(start)
        return
    component["DTSTART"] = vDDDTypes(start)
    length = TIMED_LENGTH if isinstance(start, dt.datetime) else dt.timedelta(days=1)
    end = dates.add_span(start, length)
    if end - start == length:
        component["DTEND"] = vDDDTypes(end)
    else:
        # Due on 9999-12-31, the last day there is: no day after it to end on.
        component["DURATION"] = vDDDTypes(length)
    component["TRANSP"] = vText("TRANSPARENT")


def _common(
    component: Component, uid: str, sequence: int, stamp: dt.datetime, modified: dt.datetime
) -> None:
    component["UID"] = vText(uid)
    component["DTSTAMP"] = _utc(stamp)
    component["LAST-MODIFIED"] = _utc(modified)
    component["SEQUENCE"] = vInt(sequence)
    # Follow-ups are personal notes about people: a shared calendar shows them as busy only.
    component["CLASS"] = vText("PRIVATE")


# Properties are set directly as icalendar's own types, not through
# Component.add, which looks up each property's type and builds its parameters
# anew: a sixth of a 5,000-entry export.  The output is the same (the golden
# files in tests/data/calendar hold it).


def _utc(moment: dt.datetime) -> vDDDTypes:
    """DTSTAMP, CREATED and LAST-MODIFIED are in UTC (RFC 5545 3.8.7); naive is UTC."""
    if moment.tzinfo is None:
        return vDDDTypes(moment.replace(tzinfo=dt.UTC))
    return vDDDTypes(moment.astimezone(dt.UTC))


def followup_component(
    item: CalendarFollowUp,
    *,
    todo: bool,
    alarm: dt.timedelta | None,
    stamp: dt.datetime | None,
) -> Component:
    """A follow-up as a VEVENT (or VTODO); ``stamp`` None uses its last change (vdir)."""
    f, c = item.followup, item.contact
    component: Component = Todo() if todo else Event()
    _common(component, f.uid, f.sequence, stamp or f.updated_at, f.updated_at)
    component["CREATED"] = _utc(f.created_at)
    component["SUMMARY"] = LiteralText(summary_text(f.title, c.name if c else ""))
    start = _start(f.due_date, f.due_time, f.tz)
    recurring = bool(f.rrule) and not f.done
    _times(component, start, todo=todo, recurring=recurring)
    if recurring:
        rule = anchored_rule(f.rrule, f.series_start or f.due_date, f.due_date)
        component["RRULE"] = vRecur.from_ical(rule)
    component["DESCRIPTION"] = LiteralText(description_text(item))
    if item.goals:
        component["CATEGORIES"] = LiteralCategories(item.goals)
    if c is not None and _is_uri(c.linkedin_url):
        component["URL"] = vUri(c.linkedin_url)
    if todo:
        if f.done:
            component["STATUS"] = vText("COMPLETED")
            component["COMPLETED"] = _utc(f.done_at or f.updated_at)
            component["PERCENT-COMPLETE"] = vInt(100)
        else:
            component["STATUS"] = vText("NEEDS-ACTION")
    else:
        component["STATUS"] = vText("CANCELLED" if f.done else "CONFIRMED")
    if alarm is not None and not f.done:
        component.add_component(
            _alarm(alarm, all_day=f.due_time is None, todo=todo, label=str(component["summary"]))
        )
    return component


def deleted_component(gone: DeletedFollowUp, *, todo: bool, stamp: dt.datetime | None) -> Component:
    """A deleted follow-up, cancelled, so calendars drop it."""
    component: Component = Todo() if todo else Event()
    _common(component, gone.uid, gone.sequence, stamp or gone.deleted_at, gone.deleted_at)
    component["SUMMARY"] = LiteralText(summary_text(gone.title))
    _times(component, _start(gone.due_date, gone.due_time, gone.tz), todo=todo)
    component["STATUS"] = vText("CANCELLED")
    return component


def _calendar(components: Sequence[Component], *, name: str, method: bool) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        # A file to import is a publication; resources on a CalDAV server (the
        # vdir) must not carry METHOD (RFC 4791 4.1).
        calendar.add("method", "PUBLISH")
        calendar.add("x-wr-calname", name)
    for component in components:
        calendar.add_component(component)
    _add_timezones(calendar, components)
    return calendar


def _add_timezones(calendar: Calendar, components: Sequence[Component]) -> None:
    # icalendar builds each VTIMEZONE from zoneinfo; sorted, so the file is stable.
    for position, (tzid, first, last) in enumerate(_zones_needed(components)):
        timezone = _vtimezone(tzid, first, last)
        if timezone is not None:  # else not a zone zoneinfo knows: the TZID name must do
            calendar.subcomponents.insert(position, timezone)


def _zones_needed(components: Sequence[Component]) -> list[tuple[str, int, int]]:
    """(TZID, first year, last year) of each VTIMEZONE these components need, by TZID."""
    years: list[int] = []
    tzids: set[str] = set()
    recurring = False
    for component in components:
        start = component.get("dtstart") or component.get("due")
        if start is not None and isinstance(start.dt, dt.datetime) and start.dt.tzinfo:
            years.append(start.dt.year)
            recurring = recurring or "RRULE" in component
            # The only local times rapport writes are DTSTART/DUE (and the
            # RRULE's UNTIL, in UTC): their TZIDs are every zone the file needs.
            # (Calendar.get_missing_tzids finds the same by walking every
            # property of every component, a third of a 5,000-entry export.)
            if "TZID" in start.params:
                tzids.add(start.params["TZID"])
    if not years:
        return []
    last = max(years) + (RECURRING_YEARS if recurring else 1) + 1
    return [(tzid, min(years), last) for tzid in sorted(tzids)]


def _serialized(component: Component) -> bytes:
    """``component.to_ical()``, without refolding the lines that need no folding.

    icalendar escapes and lays out every content line; its folding then walks
    each line a character at a time, most of the cost of a large export,
    though nearly every line is already under 75 octets, where folding changes
    nothing.  Those are encoded as they are; longer ones are folded by
    icalendar (Contentline.to_ical), exactly as Component.to_ical would.
    """
    lines = []
    for line in component.content_lines():
        if not line:
            continue
        encoded = line.encode("utf-8")
        lines.append(encoded if len(encoded) < FOLD_OCTETS else line.to_ical())
    lines.append(b"")
    return b"\r\n".join(lines)


def _vdir_file(component: Component, name: str) -> bytes:
    """``_serialized(_calendar([component], ...))`` for a vdir, the same bytes.

    Every file of a vdir has the same calendar around one entry, and those of
    one time zone the same VTIMEZONE: each is serialized once (by icalendar,
    as always) and put around each entry, not serialized 5,000 times.
    """
    zones = b"".join(_vtimezone_bytes(*zone) for zone in _zones_needed([component]))
    return _vdir_head(name) + zones + _serialized(component) + b"END:VCALENDAR\r\n"


@functools.lru_cache(maxsize=8)
def _vdir_head(name: str) -> bytes:
    empty = _serialized(_calendar([], name=name, method=False))
    end = b"END:VCALENDAR\r\n"
    assert empty.endswith(end)
    return empty[: -len(end)]


@functools.lru_cache(maxsize=64)
def _vtimezone_bytes(tzid: str, first_year: int, last_year: int) -> bytes:
    timezone = _vtimezone(tzid, first_year, last_year)
    return _serialized(timezone) if timezone is not None else b""


@functools.lru_cache(maxsize=64)
def _vtimezone(tzid: str, first_year: int, last_year: int) -> Timezone | None:
    # Building a VTIMEZONE walks the zone's transitions: done once per zone and
    # span, not once per file of a vdir.  The component is only ever serialized.
    try:
        return Timezone.from_tzid(
            tzid, first_date=dt.date(first_year, 1, 1), last_date=dt.date(last_year, 1, 1)
        )
    except ValueError:
        return None


def _components(
    chosen: _Selection, *, todo: bool, alarm: dt.timedelta | None, stamp: dt.datetime | None
) -> list[tuple[str, Component, bool]]:
    """(uid, component, closed) for every entry, in due order, deleted ones last."""
    result = [
        (
            c.followup.uid,
            followup_component(c, todo=todo, alarm=alarm, stamp=stamp),
            bool(c.followup.done),
        )
        for c in chosen.followups
    ]
    result.extend(
        (d.uid, deleted_component(d, todo=todo, stamp=stamp), True) for d in chosen.deleted
    )
    return result


# -- reading an earlier export -------------------------------------------------

_UNFOLD = re.compile(r"\r?\n[ \t]")


def _peek(text: str) -> dict[str, _Previous]:
    """UID, STATUS and SEQUENCE of each VEVENT/VTODO in rapport's own output."""
    found: dict[str, _Previous] = {}
    for block in re.findall(
        r"^BEGIN:(?:VEVENT|VTODO)\r?$(.*?)^END:(?:VEVENT|VTODO)\r?$",
        _UNFOLD.sub("", text),
        flags=re.MULTILINE | re.DOTALL,
    ):
        props: dict[str, str] = {}
        for line in block.splitlines():
            name, _, value = line.partition(":")
            props.setdefault(name.split(";")[0].upper(), value.strip())
        if props.get("UID"):
            status = props.get("STATUS", "").upper()
            sequence = props.get("SEQUENCE", "0")
            found[props["UID"]] = _Previous(
                status in ("CANCELLED", "COMPLETED"), int(sequence) if sequence.isdigit() else 0
            )
    return found


def _previous_file(path: Path, *, sync: bool) -> dict[str, _Previous]:
    if not sync or not path.exists():
        return {}
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise RapportError(f"cannot read {path}: {exc.strerror or exc}") from None
    if not text.lstrip("\ufeff").startswith("BEGIN:VCALENDAR"):
        raise RapportError(
            f"{path} is not an iCalendar file; --sync updates an earlier export and "
            "will not overwrite it"
        )
    return _peek(text)


# -- writing ---------------------------------------------------------------------


def render_calendar(
    source: FollowUpSource,
    options: ExportOptions,
    *,
    previous: dict[str, _Previous] | None = None,
) -> tuple[bytes, ExportSummary]:
    """The whole export of ``source``'s follow-ups as one calendar (bytes), and what it holds.

    Raises ValidationError/NotFound/Ambiguous for bad options.
    """
    alarm = parse_alarm(options.alarm)
    with collector_paused():
        chosen = _select(source, options, previous or {})
        entries = _components(chosen, todo=options.todo, alarm=alarm, stamp=clock.utcnow())
        calendar = _calendar([c for _, c, _ in entries], name=options.name, method=True)
        data = _serialized(calendar)
    closed = sum(1 for _, _, is_closed in entries if is_closed)
    return data, ExportSummary("-", len(entries) - closed, closed)


def export_file(source: FollowUpSource, path: Path, options: ExportOptions) -> ExportSummary:
    """Write the export to ``path`` atomically (mode 0600); the old file survives a failure.

    With ``options.sync`` the earlier export at ``path`` says which follow-ups
    calendars already know, so those done or deleted since are cancelled.
    """
    path = Path(path)
    data, summary = render_calendar(
        source, options, previous=_previous_file(path, sync=options.sync)
    )
    write_private(path, data)
    return ExportSummary(str(path), summary.open, summary.closed)


_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9@._+-]{0,200}$")


def _read_or_empty(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise RapportError(f"cannot read {path}: {exc.strerror or exc}") from None


def _listed(folder: Path) -> list[str]:
    try:
        return os.listdir(folder)
    except OSError as exc:
        raise RapportError(f"cannot read {folder}: {exc.strerror or exc}") from None


def vdir_filename(uid: str) -> str:
    """The file a UID lives in inside a vdir: the UID itself when it is a safe name."""
    if _SAFE_NAME.match(uid):
        return f"{uid}.ics"
    return hashlib.sha256(uid.encode("utf-8")).hexdigest()[:40] + ".ics"


# -- a vdir kept up to date ------------------------------------------------------


@functools.lru_cache(maxsize=64)
def _zone_digest(tz: str, first_year: int, last_year: int) -> str:
    # The zone's rules as a VTIMEZONE says them: a new tz database changes the files.
    zone = _zone(tz)
    name = getattr(zone, "key", None) or str(zone)
    return hashlib.sha256(name.encode() + _vtimezone_bytes(name, first_year, last_year)).hexdigest()


def _entry_key(entry: EntryInputs, context: bytes) -> str:
    """A digest of everything a follow-up's vdir file is made from: equal digests,
    equal bytes, so an unchanged follow-up is not built and serialized again.

    ``entry`` holds every stored value followup_component and _vdir_file read
    (the source's followup_inputs says so), ``context`` the options, rapport's
    version and the local zone; the time zone's rules are added here.
    """
    zone = ""
    if entry.timed:
        recurring = bool(entry.rrule) and not entry.closed
        first = int(entry.due_date[:4])
        zone = _zone_digest(entry.tz, first, first + (RECURRING_YEARS if recurring else 1) + 1)
    text = repr((entry.uid, entry.sequence, entry.closed, entry.values, zone))
    return hashlib.sha256(context + text.encode("utf-8", "surrogateescape")).hexdigest()


def export_vdir(source: FollowUpSource, folder: Path, options: ExportOptions) -> ExportSummary:
    """Mirror the export into ``folder`` as one ``UID.ics`` per follow-up (a vdir).

    Changed files are rewritten (atomically), unchanged ones left alone, and
    the files of follow-ups no longer exported (deleted ones always) are
    removed, so vdirsyncer carries each change to a CalDAV server.  Files that
    are not rapport's follow-ups are never touched.
    """
    folder = private_folder(Path(folder))
    alarm = parse_alarm(options.alarm)
    # What the last export wrote here, for files nobody has touched since: an
    # unchanged follow-up is then neither built, serialized nor read back.
    recorded = {} if options.sync else vdir_cache.recorded(folder)
    state = dict(recorded)
    context = repr((PRODID, options.todo, alarm, options.name, clock.local_zone_name())).encode()
    files: dict[str, tuple[bytes | None, dict[str, _Previous]]] = {}
    signatures: dict[str, tuple[int, int, int] | None] = {}
    # Names, not Path objects (what folder.glob("*.ics") finds): 5,000 of them.
    for name in sorted(n for n in _listed(folder) if n.endswith(".ics")):
        signatures[name] = signature = vdir_cache.signature(os.path.join(folder, name))
        known = state.get(name)
        if known is not None and signature is not None and list(signature) == known[4]:
            files[name] = (None, {known[0]: _Previous(bool(known[2]), int(known[3]))})
            continue
        state.pop(name, None)
        path = folder / name
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise RapportError(f"cannot read {path}: {exc.strerror or exc}") from None
        files[path.name] = (data, _peek(data.decode("utf-8", errors="replace")))
    previous = {uid: state for _, peeked in files.values() for uid, state in peeked.items()}
    unchanged = closed = 0
    kept: dict[str, list[Any]] = {}
    keys: dict[str, str] = {}
    build: list[str] | None = None  # None: every follow-up the options select
    if not options.sync:
        # First what each file is made from, in one lean read; only the follow-ups
        # whose digest or file differ from the last export's are read in full.
        build = []
        for inputs in source.followup_inputs(
            goal=options.goal,
            contact=options.contact,
            since=options.since,
            until=options.until,
            include_done=options.include_done,
        ):
            name = vdir_filename(inputs.uid)
            key = keys[inputs.uid] = _entry_key(inputs, context)
            if name in files and files[name][0] is None and state[name][1] == key:
                unchanged += 1  # the file is what this same entry made last time
                closed += inputs.closed
                kept[name] = [inputs.uid, key, inputs.closed, inputs.sequence, state[name][4]]
            else:
                build.append(inputs.uid)
        if not kept:
            build = None  # nothing vouched for: read them all at once, in their order
    chosen = _select(source, options, previous, build)
    chosen_deleted = chosen.deleted
    chosen.deleted = []  # in a vdir a deletion is a removed file, not a cancelled entry
    changed: list[tuple[Path, bytes]] = []
    with collector_paused():
        for entry in chosen.followups:
            f = entry.followup
            name = vdir_filename(f.uid)
            is_closed = bool(f.done)
            closed += is_closed
            kept[name] = [f.uid, keys.get(f.uid, ""), is_closed, f.sequence, None]
            component = followup_component(entry, todo=options.todo, alarm=alarm, stamp=None)
            data = _vdir_file(component, options.name)
            on_disk = files.get(name, (b"", {}))[0]
            if on_disk is None:  # not read, as the state vouched for it; its entry changed
                on_disk = _read_or_empty(folder / name)
            if on_disk == data:
                unchanged += 1
                kept[name][4] = signatures.get(name)
            else:
                changed.append((folder / name, data))
    # One flush for the whole folder, not an fsync per file (5,000 of them).
    written = write_private_files(changed)
    for path, _ in changed:
        kept[path.name][4] = vdir_cache.signature(path)
    # Only files no longer exported may go: whether they are rapport's is asked of those alone.
    leaving = {uid for name, (_, peeked) in files.items() if name not in kept for uid in peeked}
    ours = (source.known_followup_uids(leaving) if leaving else set()) | {
        d.uid for d in chosen_deleted
    }
    removed = 0
    for name, (_, peeked) in files.items():
        if name not in kept and peeked and set(peeked) <= ours:
            try:
                (folder / name).unlink()
            except OSError as exc:
                raise RapportError(
                    f"cannot remove {folder / name}: {exc.strerror or exc}"
                ) from None
            removed += 1
    remembered = {name: [*value[:4], list(value[4])] for name, value in kept.items() if value[4]}
    if not options.sync and remembered != recorded:  # nothing to flush when nothing changed
        vdir_cache.remember(folder, remembered)
    return ExportSummary(
        str(folder),
        len(kept) - closed,
        closed,
        written=written,
        unchanged=unchanged,
        removed=removed,
    )
