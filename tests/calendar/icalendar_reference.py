"""rapport's calendar entries as icalendar built them before rapport wrote the text itself.

The reference rapport.calendar.writer is held against, byte for byte: the
same code that wrote every export until then (Event/Todo/Alarm components,
serialized by icalendar), moved here unchanged but for its imports.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence

from icalendar import (
    Alarm,
    Calendar,
    Component,
    Event,
    Todo,
    vCategory,
    vDDDTypes,
    vInt,
    vRecur,
    vText,
    vUri,
)

from rapport.calendar import entries
from rapport.calendar.components import (
    LiteralText,
    serialized,
    times,
    utc,
    vtimezone,
    vtimezone_bytes,
)
from rapport.calendar.items import CalendarFollowUp, DeletedFollowUp
from rapport.recurrence import calendar_rule


class LiteralCategories(vCategory):
    """CATEGORIES whose every name is escaped as ``LiteralText`` escapes text.

    icalendar's own leaves a typed backslash unescaped and lowers "\\N" to a
    line break ("C:\\Notes" reached a strict parser as "C:" and "otes").
    """

    def __init__(self, names: Sequence[str]) -> None:
        super().__init__(list(names))
        self.cats = [LiteralText(name) for name in names]


def _alarm(before: dt.timedelta, *, all_day: bool, todo: bool, label: str) -> Alarm:
    alarm = Alarm()
    alarm["ACTION"] = vText("DISPLAY")
    alarm["DESCRIPTION"] = LiteralText(label)
    # All-day follow-ups ring at 09:00 local on the day (the day starts at its
    # floating midnight); a VTODO's alarm is relative to its DUE.
    offset = (entries.ALL_DAY_ALARM_AT if all_day else dt.timedelta(0)) - before
    alarm["TRIGGER"] = vDDDTypes(offset)
    if todo:
        alarm["TRIGGER"].params["RELATED"] = "END"
    return alarm


def _common(
    component: Component, uid: str, sequence: int, stamp: dt.datetime, modified: dt.datetime
) -> None:
    component["UID"] = vText(uid)
    component["DTSTAMP"] = utc(stamp)
    component["LAST-MODIFIED"] = utc(modified)
    component["SEQUENCE"] = vInt(sequence)
    # Follow-ups are personal notes about people: a shared calendar shows them as busy only.
    component["CLASS"] = vText("PRIVATE")


# Properties are set directly as icalendar's own types, not through
# Component.add, which looks up each property's type and builds its parameters
# anew: a sixth of a 5,000-entry export.  The output is the same (the golden
# files in tests/data/calendar hold it).


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
    component["CREATED"] = utc(f.created_at)
    component["SUMMARY"] = LiteralText(entries.summary_text(f.title, c.name if c else ""))
    start = entries.start(f.due_date, f.due_time, f.tz)
    recurring = bool(f.rrule) and not f.done
    times(component, start, todo=todo, recurring=recurring)
    if recurring:
        rule = calendar_rule(f.rrule, f.series_start or f.due_date, f.due_date, start)
        component["RRULE"] = vRecur.from_ical(rule)
    component["DESCRIPTION"] = LiteralText(entries.description_text(item))
    if item.goals:
        component["CATEGORIES"] = LiteralCategories(item.goals)
    if c is not None and entries.is_uri(c.linkedin_url):
        component["URL"] = vUri(c.linkedin_url)
    if todo:
        if f.done:
            component["STATUS"] = vText("COMPLETED")
            component["COMPLETED"] = utc(f.done_at or f.updated_at)
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
    component["SUMMARY"] = LiteralText(entries.summary_text(gone.title))
    times(component, entries.start(gone.due_date, gone.due_time, gone.tz), todo=todo)
    component["STATUS"] = vText("CANCELLED")
    return component


def calendar_of(components: Sequence[Component], *, name: str, method: bool) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", entries.PRODID)
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
        timezone = vtimezone(tzid, first, last)
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
    last = max(years) + (entries.RECURRING_YEARS if recurring else 1) + 1
    return [(tzid, min(years), last) for tzid in sorted(tzids)]


def vdir_file(component: Component, name: str) -> bytes:
    """``serialized(calendar_of([component], ...))`` for a vdir, the same bytes.

    Every file of a vdir has the same calendar around one entry, and those of
    one time zone the same VTIMEZONE: each is serialized once (by icalendar,
    as always) and put around each entry, not serialized 5,000 times.
    """
    zones = b"".join(vtimezone_bytes(*zone) for zone in _zones_needed([component]))
    return _vdir_head(name) + zones + serialized(component) + b"END:VCALENDAR\r\n"


@functools.lru_cache(maxsize=8)
def _vdir_head(name: str) -> bytes:
    empty = serialized(calendar_of([], name=name, method=False))
    end = b"END:VCALENDAR\r\n"
    assert empty.endswith(end)
    return empty[: -len(end)]


def render(
    followups: Sequence[CalendarFollowUp],
    deleted: Sequence[DeletedFollowUp],
    *,
    todo: bool,
    alarm: dt.timedelta | None,
    stamp: dt.datetime | None,
    name: str,
) -> bytes:
    """A whole export of these, as icalendar wrote it."""
    built = [followup_component(c, todo=todo, alarm=alarm, stamp=stamp) for c in followups]
    built.extend(deleted_component(d, todo=todo, stamp=stamp) for d in deleted)
    return serialized(calendar_of(built, name=name, method=True))
