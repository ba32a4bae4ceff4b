"""Events: conferences, workshops, meetups, webinars and career fairs, and whom I met there."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from peewee import fn

from rapport import clock
from rapport.errors import ValidationError
from rapport.models import (
    EVENT_KINDS,
    EVENT_ROLES,
    EVENT_STATUSES,
    Contact,
    Event,
    EventAttendee,
    database,
)
from rapport.services import clean
from rapport.services.refs import ContactRef, GoalServed, plain
from rapport.services.resolve import resolve_contact, resolve_contacts, resolve_event, resolve_goal
from rapport.services.touches import met_pairs

CLEANERS: dict[str, clean.Cleaner] = {
    "name": partial(clean.one_line, field="name", required=True),
    "kind": lambda v: clean.choice(v, EVENT_KINDS, "kind"),
    "location": partial(clean.one_line, field="location"),
    "url": partial(clean.url, field="url"),
    "my_role": lambda v: clean.choice(v, EVENT_ROLES, "role"),
    "status": lambda v: clean.choice(v, EVENT_STATUSES, "status"),
    "notes": partial(clean.free_text, field="notes"),
}


def _set_times(event: Event, start: Any, end: Any) -> None:
    """Set start and end; an end without a date is on the start day."""
    if start is not None:
        when = clean.when(start, "start")
        event.start_date, event.start_time = when.date, when.time
    if end is not None:
        if end == "":
            event.end_date = event.end_time = None
        else:
            when = clean.when(end, "end").on(event.start_date)
            event.end_date, event.end_time = when.date, when.time
    timed = event.start_time is not None or event.end_time is not None
    event.tz = (event.tz or clock.local_zone_name()) if timed else ""
    if event.end_date is not None:
        start_at = dt.datetime.combine(event.start_date, event.start_time or dt.time())
        end_at = dt.datetime.combine(event.end_date, event.end_time or dt.time.max)
        if end_at < start_at:
            # On the same day the times are what is wrong: say them.
            same_day = event.end_date == event.start_date
            ends, starts = (
                (f"{end_at:%Y-%m-%d %H:%M}", f"{start_at:%Y-%m-%d %H:%M}")
                if same_day
                else (event.end_date, event.start_date)
            )
            raise ValidationError("end", f"ends ({ends}) before it starts ({starts})")


def create_event(
    name: str, *, start: Any, end: Any = None, goals: Sequence[object] = (), **fields: Any
) -> EventRow:
    """Create an event starting at ``start`` (a date word, optionally with a time).

    Other fields: kind, location, url, my_role, status, notes.  Returns it as
    faces show it.  Raises ValidationError (for example when it ends before it starts).
    """
    from rapport.services.links import link_goal

    event = Event(name="")
    clean.apply_changes(event, {"name": name, **fields}, CLEANERS)
    _set_times(event, start, end)
    goal_records = [resolve_goal(g) for g in goals]
    with database.atomic():
        event.save(force_insert=True)
        for goal in goal_records:
            link_goal(goal, event=event)
    return _row(event, 0)


def update_event(
    ref: object,
    *,
    start: Any = None,
    end: Any = None,
    expected_updated_at: dt.datetime | None = None,
    **fields: Any,
) -> EventRow:
    """Change an event; ``start`` and ``end`` move it.  Returns it as faces show it."""
    event = resolve_event(ref)
    with database.atomic():
        before = (event.start_date, event.start_time, event.end_date, event.end_time)
        changed = clean.apply_changes(event, fields, CLEANERS)
        _set_times(event, start, end)
        if before != (event.start_date, event.start_time, event.end_date, event.end_time):
            changed["when"] = event.start_date
        if changed:
            clean.check_unchanged(event, expected_updated_at)
            event.save()
    return event_row(event)


def delete_event(ref: object) -> EventRow:
    """Delete an event (whom I met there is forgotten, the people stay); returns what it was."""
    event = resolve_event(ref)
    gone = event_row(event)
    with database.atomic():
        event.delete_instance()
    return gone


def add_attendees(ref: object, contacts: Sequence[object]) -> list[ContactRef]:
    """Record that I met these contacts at the event (new people: see
    rapport.services.contacts.meet_at_event)."""
    event = resolve_event(ref)
    people = resolve_contacts(contacts)
    with database.atomic():
        for person in people:
            EventAttendee.insert(event=event, contact=person).on_conflict_ignore().execute()
    return [ContactRef(p.id, p.name) for p in people]


def remove_attendee(ref: object, contact: object) -> None:
    """I did not meet this contact at the event after all (nor first met them there)."""
    event = resolve_event(ref)
    person = resolve_contact(contact)
    with database.atomic():
        EventAttendee.delete().where(
            (EventAttendee.event == event) & (EventAttendee.contact == person)
        ).execute()
        if person.met_at_id == event.id:
            person.met_at = None
            person.save()


def attendees_of(event: Event | EventRow) -> list[Contact]:
    met = met_pairs(events=[event.id])
    return list(
        Contact.select().join(met, on=(Contact.id == met.c.contact_id)).order_by(Contact.name)
    )


@dataclass(frozen=True)
class EventRow:
    """An event as the faces list and edit it: plain values, how many I met there
    counted; ``updated_at`` lets a form refuse to overwrite an edit made elsewhere."""

    id: int
    name: str
    kind: str
    start_date: dt.date
    start_time: dt.time | None
    end_date: dt.date | None
    end_time: dt.time | None
    tz: str
    location: str
    url: str
    my_role: str
    status: str
    notes: str
    ics_uid: str | None
    rrule: str  # a repeating event's rule ("" for one that does not repeat)
    exdates: str  # the dates a repeating event skips (what next_dates needs)
    updated_at: dt.datetime
    attendee_count: int

    @property
    def attendees_heading(self) -> str:
        """What its people are called: going to an event still ahead (imported
        attendees of a conference you consider), met at one attended or now
        past whatever its status still says, there at one skipped."""
        if self.status == "skipped":
            return "Were there"
        ahead = (self.end_date or self.start_date) >= clock.today()
        return "Going" if ahead and self.status != "attended" else "Met there"

    @property
    def people_words(self) -> str:
        """Its people as a list of events says them (the app's and ``events list``), in
        the words of ``attendees_heading``: 5 met there, 2 going, 1 was there; "" for none."""
        if not self.attendee_count:
            return ""
        words = self.attendees_heading.lower()
        if self.attendee_count == 1 and words == "were there":
            words = "was there"
        return f"{self.attendee_count} {words}"


def _row(e: Event, attendee_count: int) -> EventRow:
    return plain(EventRow, e, attendee_count=attendee_count)


def _met_count(event: Event) -> int:
    met = met_pairs(events=[event.id])
    return int(Event.select(fn.COUNT(met.c.contact_id)).from_(met).scalar() or 0)


def event_row(ref: object) -> EventRow:
    """One event (an id, a name, or the event itself) as faces show it.  Raises NotFound."""
    event = resolve_event(ref)
    return _row(event, _met_count(event))


def list_events(
    *, when: str = "all", status: str | None = None, today: dt.date | None = None
) -> list[EventRow]:
    """Events by start date; ``when`` is upcoming, past or all."""
    today = today or clock.today()
    when = clean.choice(when, ("upcoming", "past", "all"), "when")
    query = Event.select().order_by(Event.start_date, Event.start_time, Event.id)
    if when == "upcoming":
        query = query.where(fn.coalesce(Event.end_date, Event.start_date) >= today)
    elif when == "past":
        query = query.where(fn.coalesce(Event.end_date, Event.start_date) < today)
    if status and status != "all":
        query = query.where(Event.status == clean.choice(status, EVENT_STATUSES, "status"))
    met = met_pairs()
    counts = dict(
        Event.select(met.c.event_id, fn.COUNT(met.c.contact_id))
        .from_(met)
        .group_by(met.c.event_id)
        .tuples()
    )
    return [_row(e, counts.get(e.id, 0)) for e in query]


# How many of a repeating event's next dates `events show`, `--json` and the app give.
NEXT_DATES = 3


def next_dates(
    event: Event | EventRow, *, count: int = NEXT_DATES, today: dt.date | None = None
) -> list[dt.datetime]:
    """The next ``count`` times a repeating event happens, from today on (its
    EXDATEs left out); none for an event that does not repeat.  Wall-clock
    times in the event's zone (midnight for an all-day event)."""
    if not event.rrule:
        return []
    from rapport.services.calendar import event_occurrences

    today = today or clock.today()
    # Five years ahead is far enough for a yearly rule to show its three dates.
    window = event_occurrences(
        event, start=today, end=today + dt.timedelta(days=5 * 366), limit=count
    )
    return list(window.occurrences[:count])


@dataclass(frozen=True)
class EventDetail(EventRow):
    """One event as ``show`` and the detail sheet have it: its row, its next
    occurrences (next_dates), the goals it serves and whom I met there."""

    next_dates: tuple[dt.datetime, ...]
    goals: tuple[GoalServed, ...]
    attendees: tuple[ContactRef, ...]


def event_detail(ref: object) -> EventDetail:
    """An event with the goals it serves and whom I met there."""
    from rapport.services.links import Target, goals_of

    e = resolve_event(ref)
    attendees = tuple(ContactRef(c.id, c.name) for c in attendees_of(e))
    return EventDetail(
        **vars(_row(e, len(attendees))),
        next_dates=tuple(next_dates(e)),
        goals=tuple(goals_of(Target("event", e))),
        attendees=attendees,
    )
