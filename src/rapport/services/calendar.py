"""What calendars need from the database: follow-ups with their context, and event imports.

Export reads follow-ups with the contact, organization, goals and last
interaction a person needs to act from their phone, plus the tombstones of
deleted follow-ups.  Import creates or updates events by iCalendar UID,
matches attendees to contacts by email and links goals, all in one
transaction (or none, for a dry run).  No icalendar here: rapport.calendar
turns files into the plain values these functions take.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import partial
from typing import Any, Protocol

from peewee import JOIN, Expression

from rapport import clock
from rapport.calendar.items import (
    CalendarFollowUp,
    DeletedFollowUp,
    EntryInputs,
    ImportedEvent,
    ImportSummary,
    IncomingEvent,
    KnownTouches,
    LastTouch,
)
from rapport.connection import execute, parsed
from rapport.errors import ValidationError
from rapport.models import (
    Contact,
    Event,
    EventAttendee,
    FollowUp,
    FollowUpTombstone,
    Goal,
    GoalLink,
    Organization,
    database,
)
from rapport.services import clean
from rapport.services.followups import followups_query, goals_by_followup, stored_followups
from rapport.services.resolve import resolve_goal

# -- export ------------------------------------------------------------------


def followups_for_calendar(
    *,
    goal: object = None,
    contact: object = None,
    since: object = None,
    until: object = None,
    include_done: bool = False,
    touches: KnownTouches | None = None,
) -> list[CalendarFollowUp]:
    """Follow-ups to export, soonest first: open ones, and done ones too if asked.

    ``goal``/``contact`` are refs, ``since``/``until`` date words bounding the
    due date; ``touches``, last touches already read in this snapshot (by
    :func:`followup_inputs`), are not looked up again.  Raises
    ValidationError, NotFound, Ambiguous.
    """
    found = stored_followups(
        status="all" if include_done else "open",
        contact=contact,
        goal=goal,
        since=since,
        until=until,
    )
    return _with_context(
        [
            (f, f.contact if f.contact_id else None, tuple(g.title for g in goals))
            for f, goals in found
        ],
        touches,
    )


def followup_inputs(
    *,
    goal: object = None,
    contact: object = None,
    since: object = None,
    until: object = None,
    include_done: bool = False,
) -> list[EntryInputs]:
    """What each follow-up :func:`followups_for_calendar` selects is made into a
    calendar entry from, as stored: one lean read of plain columns (no rows built,
    no value converted), so a vdir export finds what changed at a fraction of the cost.

    Everything followups_for_calendar hands the entry is here: the follow-up's
    columns, its contact's, the organization's name, the goals' titles (in the
    order they are written) and the last touch; a value added there must be added here.
    """
    query = followups_query(
        status="all" if include_done else "open",
        contact=contact,
        goal=goal,
        since=since,
        until=until,
    )
    query = query.select(
        FollowUp.id,
        FollowUp.uid,
        FollowUp.done,
        FollowUp.sequence,
        FollowUp.due_date,
        FollowUp.due_time,
        FollowUp.tz,
        FollowUp.rrule,
        FollowUp.contact,
        FollowUp.updated_at,
        FollowUp.created_at,
        FollowUp.title,
        FollowUp.series_start,
        FollowUp.done_at,
        FollowUp.notes,
        Contact.name,
        Contact.role,
        Contact.email,
        Contact.phone,
        Contact.linkedin_url,
        Organization.name,
    )
    query = query.join(Contact, JOIN.LEFT_OUTER, on=(FollowUp.contact == Contact.id)).join(
        Organization, JOIN.LEFT_OUTER, on=(Contact.organization == Organization.id)
    )
    rows = list(database.execute(query))
    wanted = {row[0] for row in rows}
    goals: dict[int, list[str]] = {}
    links = (
        GoalLink.select(GoalLink.follow_up, Goal.title)
        .join(Goal)
        .where(GoalLink.follow_up.is_null(False))
        .order_by(Goal.priority, Goal.title)
    )
    if wanted:  # the links are few: all of them, as goals_by_followup reads them
        for followup_id, title in database.execute(links):
            if followup_id in wanted:
                goals.setdefault(followup_id, []).append(title)
    touches = last_touches({row[8] for row in rows if row[8] is not None})
    result = []
    for row in rows:
        followup_id, uid, done, sequence, due_date, due_time, tz, rrule, contact_id = row[:9]
        touch = touches.get(contact_id) if contact_id is not None else None
        made_of = (row[9:], due_time, contact_id, tuple(goals.get(followup_id, ())), touch)
        timed = due_time is not None
        result.append(
            EntryInputs(
                uid, bool(done), sequence, due_date, timed, tz, rrule, made_of, contact_id, touch
            )
        )
    return result


def followups_by_uid(
    uids: Iterable[str], *, touches: KnownTouches | None = None
) -> list[CalendarFollowUp]:
    """The follow-ups (open or done) with these UIDs; unknown UIDs are left out.
    ``touches``: as for :func:`followups_for_calendar`."""
    wanted = list(dict.fromkeys(uids))
    found: list[FollowUp] = []
    for chunk in _chunks(wanted):
        found.extend(
            FollowUp.select(FollowUp, Contact)
            .join(Contact, JOIN.LEFT_OUTER)
            .where(FollowUp.uid.in_(chunk))
        )
    goals = goals_by_followup([f.id for f in found])
    found.sort(key=lambda f: (f.due_date, f.due_time or dt.time.min, f.id))
    return _with_context(
        [
            (f, f.contact if f.contact_id else None, tuple(g.title for g in goals.get(f.id, ())))
            for f in found
        ],
        touches,
    )


def deleted_followups(
    *, since: object = None, until: object = None, uids: Iterable[str] | None = None
) -> list[DeletedFollowUp]:
    """Tombstones of deleted follow-ups, by due date (or those with these UIDs)."""
    query = FollowUpTombstone.select().order_by(FollowUpTombstone.due_date, FollowUpTombstone.id)
    if since is not None:
        query = query.where(FollowUpTombstone.due_date >= clean.required_date(since, "from"))
    if until is not None:
        query = query.where(FollowUpTombstone.due_date <= clean.required_date(until, "to"))
    if uids is not None:
        wanted = list(dict.fromkeys(uids))
        rows = [
            t for chunk in _chunks(wanted) for t in query.where(FollowUpTombstone.uid.in_(chunk))
        ]
    else:
        rows = list(query)
    return [
        DeletedFollowUp(t.uid, t.title, t.due_date, t.due_time, t.tz, t.sequence, t.deleted_at)
        for t in rows
    ]


def known_followup_uids(uids: Iterable[str]) -> set[str]:
    """Which of these UIDs belong to rapport's follow-ups, existing or deleted."""
    wanted = list(dict.fromkeys(uids))
    known: set[str] = set()
    for chunk in _chunks(wanted):
        known.update(
            u for (u,) in FollowUp.select(FollowUp.uid).where(FollowUp.uid.in_(chunk)).tuples()
        )
        known.update(
            u
            for (u,) in FollowUpTombstone.select(FollowUpTombstone.uid)
            .where(FollowUpTombstone.uid.in_(chunk))
            .tuples()
        )
    return known


def _chunks(items: Sequence[str], size: int = 500) -> Iterable[list[str]]:
    # SQLite limits the number of bound parameters in one statement.
    for start in range(0, len(items), size):
        yield list(items[start : start + size])


def _with_context(
    items: list[tuple[FollowUp, Contact | None, tuple[str, ...]]],
    known: KnownTouches | None = None,
) -> list[CalendarFollowUp]:
    contact_ids = {c.id for _, c, _ in items if c is not None}
    known = known or {}
    organizations = (
        dict(
            Organization.select(Contact.id, Organization.name)
            .join(Contact)
            .where(Contact.id.in_(list(contact_ids)))
            .tuples()
        )
        if contact_ids
        else {}
    )
    # The lean read of the same snapshot found most of them already (a vdir export).
    touches = {c: known[c] for c in contact_ids if c in known}
    touches.update(last_touches(c for c in contact_ids if c not in known))
    return [
        CalendarFollowUp(
            followup=f,
            contact=c,
            organization=organizations.get(c.id, "") if c else "",
            goals=goals,
            last_touch=touches.get(c.id) if c else None,
        )
        for f, c, goals in items
    ]


# Each contact's latest interaction, found in the narrow (contact_id, date,
# direction, interaction_id) index of interaction_contact: one index probe per
# contact, then one interaction read, instead of reading every past interaction
# of every contact (145,000 rows for 5,000 follow-ups); then their done
# interviews.  SQL text, the statements peewee wrote, {ids} one ``?`` an id:
# peewee wrote the 2,400 ids of a vdir export's contacts twice, a value at a
# time, and built a tuple and a date per row after (30 of its 45 ms).
_LATEST_INTERACTIONS = (
    'SELECT "t1"."id", "t2"."date", "t2"."channel", "t2"."summary" FROM "contact" AS "t1"'
    ' INNER JOIN "interaction" AS "t2" ON ("t2"."id" = (SELECT "t3"."interaction_id"'
    ' FROM "interaction_contact" AS "t3" WHERE (("t3"."contact_id" = "t1"."id")'
    ' AND ("t3"."date" <= ?)) ORDER BY "t3"."date" DESC, "t3"."interaction_id" DESC LIMIT ?))'
    ' WHERE ("t1"."id" IN ({ids}))'
)
_DONE_INTERVIEWS = (
    'SELECT "t1"."contact_id", "t1"."scheduled_date" FROM "interview" AS "t1"'
    ' WHERE ((("t1"."contact_id" IN ({ids})) AND ("t1"."status" = ?))'
    ' AND ("t1"."scheduled_date" <= ?)) ORDER BY "t1"."scheduled_date" DESC'
)


def last_touches(
    contact_ids: Iterable[int], *, today: dt.date | None = None
) -> dict[int, LastTouch]:
    """For each contact, the latest past interaction or done interview, with what it was."""
    ids = list(contact_ids)
    if not ids:
        return {}
    day = (today or clock.today()).isoformat()
    marks = ", ".join("?" * len(ids))
    result: dict[int, LastTouch] = {}
    found = execute(_LATEST_INTERACTIONS.format(ids=marks), (day, 1, *ids)).fetchall()
    days = parsed((row[1] for row in found), dt.date)
    for (contact_id, _, channel, summary), date in zip(found, days, strict=True):
        result[contact_id] = LastTouch(date, f"{channel}: {summary}" if summary else channel)
    interviews = execute(_DONE_INTERVIEWS.format(ids=marks), (*ids, "done", day)).fetchall()
    days = parsed((row[1] for row in interviews), dt.date)
    for (contact_id, _), date in zip(interviews, days, strict=True):
        known = result.get(contact_id)
        if known is None or date > known.date:
            result[contact_id] = LastTouch(date, "informational interview")
    return result


# -- import ------------------------------------------------------------------


_KIND_WORDS = (
    ("career-fair", ("career fair", "job fair", "careers fair", "hiring fair")),
    ("webinar", ("webinar", "livestream", "online talk")),
    ("workshop", ("workshop", "bootcamp", "hands-on", "masterclass")),
    ("conference", ("conference", "summit", "con ", "convention", "symposium", "devopsdays")),
    ("meetup", ("meetup", "meet-up", "meet up", "user group", "networking")),
)

_IMPORT_TEXT: dict[str, clean.Cleaner] = {
    "location": partial(clean.one_line, field="location", max_length=10_000),
    "notes": partial(clean.free_text, field="notes"),
}


def guess_kind(name: str, categories: Sequence[str]) -> str:
    """The event kind its name or categories suggest; "other" when nothing does."""
    text = " " + " ".join([name, *categories]).lower() + " "
    for kind, words in _KIND_WORDS:
        if any(word in text for word in words):
            return kind
    return "other"


def _contacts_by_email(emails: Iterable[str]) -> dict[str, Contact]:
    wanted = {e.strip().lower() for e in emails if e and "@" in e}
    if not wanted:
        return {}
    found = {c.email: c for c in Contact.select().where(Contact.email.in_(list(wanted)))}
    missing = wanted - found.keys()
    if missing:
        for contact in Contact.select().where(Contact.other_emails != ""):
            for email in contact.other_emails.split("\n"):
                if email in missing:
                    found.setdefault(email, contact)
    return found


def _calendar_fields(item: IncomingEvent) -> dict[str, Any]:
    """The event fields the calendar owns; long or odd text kept, not refused."""
    name = clean.one_line(item.name, "name", max_length=10_000) or "(untitled event)"
    notes_extra = []
    if len(name) > 500:
        notes_extra.append(name)
        name = name[:499] + "…"
    try:
        url = clean.url(item.url) if item.url else ""
    except ValidationError:  # an address rapport cannot store as a link stays in the notes
        url = ""
        notes_extra.append(item.url)
    return {
        "name": name,
        "start_date": item.start_date,
        "start_time": item.start_time,
        "end_date": item.end_date,
        "end_time": item.end_time,
        "tz": item.tz if item.start_time or item.end_time else "",
        "location": _IMPORT_TEXT["location"](item.location),
        "url": url,
        "rrule": item.rrule,
        "exdates": ",".join(item.exdates),
        "ics_sequence": item.sequence,
        "_notes_extra": "\n".join(notes_extra),
    }


def import_events(
    items: Sequence[IncomingEvent],
    *,
    goals: Sequence[object] = (),
    dry_run: bool = False,
    ignored: Counter[str] | None = None,
) -> ImportSummary:
    """Create or update events by UID, in one transaction; a dry run rolls it back.

    The calendar owns an event's name, times, location, URL and recurrence:
    those follow the file.  What a person keeps in rapport (kind, role,
    status, notes) is set when the event is created and left alone after,
    except that a cancelled event is marked skipped and empty notes are filled
    from the description.  A file older than what was imported before (lower
    SEQUENCE) changes nothing.  Attendees are matched to contacts by email and
    added to the event; ``goals`` (refs) are linked to every imported event.
    Raises NotFound/Ambiguous for a goal before anything is written.
    """
    from rapport.services.links import link_goal

    goal_records = [resolve_goal(g) for g in goals]
    summary = ImportSummary(ignored=Counter(ignored or {}), dry_run=dry_run)
    # The last component with a UID wins, as calendars do with duplicates.
    latest: dict[str, IncomingEvent] = {}
    for item in items:
        latest.pop(item.uid, None)
        latest[item.uid] = item
    with database.atomic() as transaction:
        existing = {
            e.ics_uid: e
            for chunk in _chunks(list(latest))
            for e in Event.select().where(Event.ics_uid.in_(chunk))
        }
        if len(existing) < len(latest):
            existing.update(_kept_with_controls(set(latest) - set(existing)))
        people = _contacts_by_email(e for item in latest.values() for e in item.attendee_emails)
        for item in latest.values():
            event = existing.get(item.uid)
            result = _apply_one(item, event)
            summary.events.append(result)
            if result.event_id is None:
                continue
            attendees: dict[int, str] = {}
            unmatched = []
            for email in item.attendee_emails:
                person = people.get(email.strip().lower())
                if person is None:
                    # The organizer of your own calendar's events is you: nobody
                    # to add (one who is a contact is added as any attendee).
                    if email != item.organizer:
                        unmatched.append((email, dict(item.attendee_names).get(email, "")))
                elif person.id not in attendees:
                    EventAttendee.insert(
                        event=result.event_id, contact=person
                    ).on_conflict_ignore().execute()
                    attendees[person.id] = person.name
            for goal in goal_records:
                link_goal(goal, event=result.event_id)
            if attendees or unmatched:
                summary.events[-1] = ImportedEvent(
                    result.action,
                    result.name,
                    result.start_date,
                    result.start_time,
                    result.event_id,
                    result.rrule,
                    tuple(attendees.values()),
                    tuple(attendees),
                    tuple(unmatched),
                )
        if dry_run:
            transaction.rollback()
    return summary


def _kept_with_controls(uids: set[str]) -> dict[str, Event]:
    """The events among ``uids`` that an older rapport imported with the control
    characters, tabs or line breaks of their UID (which it now drops or folds as it
    reads a file), by the UID as read now, which they take: the same file again
    updates them, adding none."""
    from rapport.text import CONTROL, one_line

    # Any UID with a control character in it (NUL cannot be in a pattern: text never
    # holds it), or a tab or line break: one_line folds those too, and an older
    # rapport only stripped a UID's ends.
    pattern = "*[\t\n" + "".join(chr(c) for c in CONTROL if c) + "]*"
    found = {}
    for event in Event.select().where(Expression(Event.ics_uid, "GLOB", pattern)):
        uid = one_line(event.ics_uid)
        if uid in uids and uid not in found:
            Event.update(ics_uid=uid).where(Event.id == event.id).execute()
            event.ics_uid = uid
            found[uid] = event
    return found


def _apply_one(item: IncomingEvent, event: Event | None) -> ImportedEvent:
    fields = _calendar_fields(item)
    extra = fields.pop("_notes_extra")

    def result(action: str, record: Event | None) -> ImportedEvent:
        return ImportedEvent(
            action,
            fields["name"],
            item.start_date,
            item.start_time,
            record.id if record else None,
            item.rrule,
        )

    if event is None:
        if item.cancelled:
            return result("skipped-cancelled", None)
        notes = "\n\n".join(t for t in (_IMPORT_TEXT["notes"](item.description), extra) if t)
        event = Event(
            kind=guess_kind(item.name, item.categories),
            status="registered",
            notes=notes,
            ics_uid=item.uid,
            **fields,
        )
        event.save(force_insert=True)
        return result("created", event)
    if item.sequence < event.ics_sequence:
        return result("skipped-older", event)
    changed = False
    for name, value in fields.items():
        if event.__data__.get(name) != value:
            setattr(event, name, value)
            changed = True
    if not event.notes and (item.description or extra):
        event.notes = "\n\n".join(t for t in (_IMPORT_TEXT["notes"](item.description), extra) if t)
        changed = True
    if item.cancelled and event.status != "skipped":
        event.status = "skipped"
        changed = True
    if changed:
        event.save()
    action = "cancelled" if item.cancelled else "updated" if changed else "unchanged"
    return result(action, event)


class Repeating(Protocol):
    """What ``event_occurrences`` reads of an event: a model or the plain row faces hold."""

    @property
    def start_date(self) -> dt.date: ...
    @property
    def start_time(self) -> dt.time | None: ...
    @property
    def tz(self) -> str: ...
    @property
    def rrule(self) -> str: ...
    @property
    def exdates(self) -> str: ...


def event_occurrences(event: Repeating, *, start: dt.date, end: dt.date, limit: int = 500) -> Any:
    """The dates and times a (maybe recurring) event happens between ``start`` and ``end``.

    Returns a rapport.recurrence.Expansion: naive wall-clock
    datetimes in the event's zone, and whether the list is complete (very
    frequent or unusual rules are not listed; they take bounded time).
    """
    from rapport.recurrence import expand

    first: dt.datetime | dt.date = (
        dt.datetime.combine(event.start_date, event.start_time)
        if event.start_time
        else event.start_date
    )
    exdates = [
        dt.datetime.fromisoformat(x) if "T" in x else dt.date.fromisoformat(x)
        for x in event.exdates.split(",")
        if x
    ]
    return expand(
        event.rrule,
        first,
        start=dt.datetime.combine(start, dt.time()),
        end=dt.datetime.combine(end, dt.time.max),
        tz=event.tz,
        exdates=exdates,
        limit=limit,
    )
