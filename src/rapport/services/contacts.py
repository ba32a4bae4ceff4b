"""Contacts: who they are, how we met, how often to stay in touch, and when we last did.

"Last contacted" is never stored: it is the latest interaction with the
contact or the latest interview marked done, so logging a coffee resets
"next touch due" (last contacted + cadence) without anyone editing a reminder.
A contact never contacted counts from when we connected (or were added).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from itertools import compress, repeat
from typing import Any

from peewee import Case, Value, fn

from rapport import clock, dates
from rapport.errors import ValidationError
from rapport.models import (
    Contact,
    Event,
    FollowUp,
    Goal,
    GoalLink,
    Interaction,
    InteractionContact,
    Interview,
    Organization,
    database,
)
from rapport.services import clean
from rapport.services.refs import ContactRef, EventRef, GoalServed, plain
from rapport.services.resolve import (
    describe_contact,
    described,
    resolve_contact,
    resolve_event,
)
from rapport.services.touches import last_contacted, next_touch_due


def _introducer(value: Any) -> Contact | None:
    return None if value in (None, "") else resolve_contact(value)


def _event(value: Any) -> Event | None:
    return None if value in (None, "") else resolve_event(value)


def _organization(value: Any) -> Organization | None:
    if isinstance(value, Organization) or value is None:
        return value
    # The organizations, events and importers' name rules serve writes and one
    # contact's sheet: loaded there, not with every list and `today`.
    from rapport.services.orgs import get_or_create_organization

    return get_or_create_organization(value)


def _lines(value: Any, cleaner: Any) -> str:
    """Several emails or phones: a list, or text with one per line or comma-separated."""
    if isinstance(value, (list, tuple)):
        items = list(value)
    else:
        items = [i for line in str(value or "").splitlines() for i in line.split(",")]
    return "\n".join(dict.fromkeys(c for c in (cleaner(i) for i in items) if c))


CLEANERS: dict[str, clean.Cleaner] = {
    "name": partial(clean.one_line, field="name", required=True, max_length=300),
    "organization": _organization,
    "role": partial(clean.one_line, field="role"),
    "email": partial(clean.email, field="email"),
    "phone": partial(clean.phone, field="phone"),
    "linkedin_url": partial(clean.linkedin_url, field="linkedin"),
    "location": partial(clean.one_line, field="location"),
    "how_met": partial(clean.free_text, field="how met"),
    "introduced_by": _introducer,
    "met_at": _event,
    "tags": partial(clean.tags, field="tags"),
    "notes": partial(clean.free_text, field="notes"),
    "cadence_days": partial(clean.positive_int, field="cadence"),
    "connected_on": partial(clean.past_date, field="connected on"),
    "birthday": lambda v: dates.parse_birthday(clean.one_line(v, "birthday", max_length=40)),
    "other_emails": partial(_lines, cleaner=partial(clean.email, field="other emails")),
    "other_phones": partial(_lines, cleaner=partial(clean.phone, field="other phones")),
    "given_name": partial(clean.one_line, field="given name", max_length=200),
    "family_name": partial(clean.one_line, field="family name", max_length=200),
    "vcard_uid": partial(clean.one_line, field="vCard UID", max_length=300),
}


def find_same_person(
    *,
    linkedin_url: str = "",
    email: str = "",
    name: str = "",
    organization_id: int | None = None,
    exclude_id: int | None = None,
) -> Contact | None:
    """The contact who is this person: same LinkedIn profile, else same email,
    else same name at the same organization (values already cleaned)."""
    checks = []
    if linkedin_url:
        checks.append(Contact.linkedin_url == linkedin_url)
    if email:
        checks.append(Contact.email == email)
    if name and organization_id is not None:
        checks.append(
            (fn.lower(Contact.name) == name.lower()) & (Contact.organization == organization_id)
        )
    for check in checks:
        query = Contact.select().where(check)
        if exclude_id is not None:
            query = query.where(Contact.id != exclude_id)
        found = query.first()
        if found is not None:
            return found
    return None


def _refuse_duplicate(contact: Contact) -> None:
    same = find_same_person(
        linkedin_url=contact.linkedin_url,
        email=contact.email,
        name=contact.name,
        organization_id=contact.organization_id,
        exclude_id=contact.id,
    )
    if same is None:
        return
    if contact.linkedin_url and same.linkedin_url == contact.linkedin_url:
        what, where = "this LinkedIn profile", "linkedin"
    elif contact.email and same.email == contact.email:
        what, where = "this email", "email"
    else:
        what, where = "this name at this organization", "name"
    raise ValidationError(where, f"{describe_contact(same)} has {what} already")


@dataclass(frozen=True)
class ContactRecord:
    """A contact's own fields as the faces show and edit them: plain values, the
    organization's name joined; ``updated_at`` lets a form refuse to overwrite an
    edit made elsewhere."""

    id: int
    name: str
    organization_id: int | None
    role: str
    email: str
    phone: str
    linkedin_url: str
    location: str
    how_met: str
    introduced_by_id: int | None
    met_at_id: int | None
    tags: str  # as stored: "a,b"
    notes: str
    cadence_days: int | None
    archived: bool
    connected_on: dt.date | None
    birthday: str
    other_emails: str  # one per line
    other_phones: str
    given_name: str  # from a vCard's N; kept so a declared field can be shown
    created_at: dt.datetime
    updated_at: dt.datetime
    organization: str

    @property
    def tag_list(self) -> list[str]:
        return [t for t in self.tags.split(",") if t]

    @property
    def described(self) -> str:
        return described(self.id, self.name, self.organization)


def _record(c: Contact) -> ContactRecord:
    """``c`` with its organization loaded (joined, or just set): the one read it may cost
    is the organization's name, in this service."""
    return plain(ContactRecord, c, organization=c.organization.name if c.organization_id else "")


def contact_record(ref: object) -> ContactRecord:
    """One contact (an id, a part of the name, or the contact) as faces show it.
    Raises NotFound, Ambiguous."""
    return _record(resolve_contact(ref))


def create_contact(name: str, *, allow_duplicate: bool = False, **fields: Any) -> ContactRecord:
    """Create a contact from a name and any field in CLEANERS; returns it as faces show it.

    ``organization`` is a name (created if new).  Refuses, with ValidationError,
    a second contact with the same LinkedIn URL, email, or name at the same
    organization, unless ``allow_duplicate``.
    """
    contact = Contact(name="")
    with database.atomic():
        clean.apply_changes(contact, {"name": name, **fields}, CLEANERS)
        if not allow_duplicate:
            _refuse_duplicate(contact)
        contact.save(force_insert=True)
    return _record(contact)


def update_contact(
    ref: object,
    *,
    expected_updated_at: dt.datetime | None = None,
    add_tags: Sequence[str] = (),
    remove_tags: Sequence[str] = (),
    **fields: Any,
) -> ContactRecord:
    """Change the given fields; ``add_tags``/``remove_tags`` adjust the tags as
    stored when the change is made.  Returns it as faces show it.  Raises
    ValidationError, NotFound, Conflict."""
    with database.atomic():
        # Read inside the (IMMEDIATE) transaction: tags added elsewhere a moment
        # ago are kept, not overwritten with what this process saw earlier.
        contact = resolve_contact(ref)
        if add_tags or remove_tags:
            current = clean.tags(fields.get("tags", contact.tags)).split(",")
            removed = set(clean.tags(list(remove_tags)).split(","))
            fields["tags"] = [t for t in current if t and t not in removed] + list(add_tags)
        changed = clean.apply_changes(contact, fields, CLEANERS)
        from rapport.importers._identity import holds_parts

        if (
            "name" in changed
            and not fields.keys() & {"given_name", "family_name"}
            and not holds_parts(contact.name, contact.given_name, contact.family_name)
        ):
            # The source's given and family names were of the old name: the
            # exports guess the new one's, as for a contact typed in.
            contact.given_name = contact.family_name = ""
        if "introduced_by" in changed and contact.introduced_by_id == contact.id:
            raise ValidationError("introduced by", "a contact cannot introduce themselves")
        if changed.keys() & {"linkedin_url", "email", "name", "organization"}:
            _refuse_duplicate(contact)
        if changed:
            clean.check_unchanged(contact, expected_updated_at)
            contact.save()
    return _record(contact)


def set_archived(ref: object, archived: bool) -> ContactRecord:
    """Archive (hide from lists and reminders) or restore a contact."""
    contact = resolve_contact(ref)
    if contact.archived != archived:
        contact.archived = archived
        contact.save()
    return _record(contact)


def delete_contact(ref: object) -> ContactRecord:
    """Delete a contact with their interviews, follow-ups and links, and the
    interactions no one else took part in.  Shared interactions stay.
    Returns who it was."""
    contact = resolve_contact(ref)
    gone = _record(contact)
    with database.atomic():
        theirs = InteractionContact.select(InteractionContact.interaction).where(
            InteractionContact.contact == contact
        )
        shared = InteractionContact.select(InteractionContact.interaction).where(
            InteractionContact.interaction.in_(theirs),
            InteractionContact.contact != contact,
        )
        Interaction.delete().where(
            Interaction.id.in_(theirs), Interaction.id.not_in(shared)
        ).execute()
        contact.delete_instance()
    return gone


# -- reading ---------------------------------------------------------------


@dataclass(frozen=True)
class ContactRow:
    """A contact as a list shows it, with the derived dates."""

    id: int
    name: str
    organization: str
    role: str
    email: str
    tags: tuple[str, ...]
    cadence_days: int | None
    archived: bool
    last_contacted: dt.date | None
    next_due: dt.date | None
    goals: tuple[str, ...] = ()

    def days_overdue(self, today: dt.date) -> int:
        """How many days past the next touch (0 if not due yet or no cadence)."""
        return max(0, (today - self.next_due).days) if self.next_due else 0


@dataclass(frozen=True)
class ContactColumns:
    """The contacts of a list column by column, each a list in the list's order
    and with ContactRow's fields: for a face that writes out thousands of contacts
    without an object for each (``rows()`` gives them as ContactRows)."""

    id: list[int]
    name: list[str]
    organization: list[str]
    role: list[str]
    email: list[str]
    tags: list[tuple[str, ...]]
    cadence_days: list[int | None]
    archived: list[bool]
    last_contacted: list[dt.date | None]
    next_due: list[dt.date | None]
    goals: list[tuple[str, ...]]

    def columns(self) -> list[list[Any]]:
        return [getattr(self, f.name) for f in dataclasses.fields(self)]

    def rows(self) -> list[ContactRow]:
        return list(map(ContactRow, *self.columns()))

    @classmethod
    def of(cls, rows: Iterable[ContactRow]) -> ContactColumns:
        names = [f.name for f in dataclasses.fields(cls)]
        return cls(*([getattr(r, name) for r in rows] for name in names))


def contact_rows(**filters: Any) -> list[ContactRow]:
    """Contacts for a list, sorted by name, one ContactRow each (``filters``:
    :func:`contact_columns`'s)."""
    return contact_columns(**filters).rows()


def contact_columns(
    *,
    archived: bool | None = False,
    goal: object = None,
    tag: str | None = None,
    organization: str | None = None,
    due_only: bool = False,
    today: dt.date | None = None,
) -> ContactColumns:
    """Contacts for a list, sorted by name, column by column, in a fixed number of queries.

    ``archived``: False hides archived contacts, True shows only them, None
    shows all.  ``goal`` (a goal ref), ``tag`` and ``organization`` (part of
    the name) filter; ``due_only`` keeps those whose next touch is today or past.
    """
    from rapport.services.resolve import resolve_goal

    today = today or clock.today()
    # Each listed contact's latest touch, looked up in the index beside it: for
    # the 3,500 with a cadence (going cold) that is 3,500 seeks rather than a
    # pass over every contact's interactions (see last_contacted).
    touched = InteractionContact.select(fn.MAX(InteractionContact.date)).where(
        InteractionContact.contact == Contact.id, InteractionContact.date <= today
    )
    # Done interviews are few (hundreds where contacts are tens of thousands):
    # read them once, grouped, rather than by a subquery for every contact.
    interviewed = dict(
        database.execute(
            Interview.select(Interview.contact, fn.SUBSTR(fn.MAX(Interview.scheduled_date), 1, 10))
            .where(Interview.status == "done", Interview.scheduled_date <= today)
            .group_by(Interview.contact)
        )
    )
    # The organizations' names (a few thousand) by id, rather than a join to
    # every contact's organization.
    organizations = dict(database.execute(Organization.select(Organization.id, Organization.name)))
    query = Contact.select(
        # Only what the list shows, or needs to work out the next touch: every
        # value read costs a Python object, 30,000 times over.
        Contact.id,
        Contact.name,
        Contact.organization,
        Contact.role,
        Contact.email,
        Contact.tags,
        Contact.cadence_days,
        Contact.archived,
        # The day a cadence counts from when never contacted (next_touch_due):
        # connected, else added; read only for a contact with a cadence.
        Case(
            None,
            [
                (
                    Contact.cadence_days.is_null(False),
                    fn.COALESCE(
                        fn.SUBSTR(Contact.connected_on, 1, 10), fn.SUBSTR(Contact.created_at, 1, 10)
                    ),
                )
            ],
        ),
        # The latest interaction as ISO text ('' for none): the later of it
        # and the last interview is picked as text, only the winner converted.
        fn.COALESCE(fn.SUBSTR(touched, 1, 10), ""),
    ).order_by(
        # lower() and NOCASE both fold ASCII letters alone (SQLite without ICU),
        # so this is the order of lower(name), without lower() on every row.
        Contact.name.collate("NOCASE"),
        Contact.id,
    )
    if archived is not None:
        query = query.where(Contact.archived == archived)
    if goal is not None:
        goal_id = resolve_goal(goal).id
        query = query.where(
            Contact.id.in_(GoalLink.select(GoalLink.contact).where(GoalLink.goal == goal_id))
        )
    if tag:
        wanted = clean.tags(tag)
        padded = Value(",").concat(Contact.tags).concat(",")
        query = query.where(padded.contains(f",{wanted},"))
    if organization:
        query = query.where(
            Contact.organization.in_(
                Organization.select(Organization.id).where(
                    Organization.name.contains(organization.strip())
                )
            )
        )
    if due_only:
        # Only a contact with a cadence is ever due.
        query = query.where(Contact.cadence_days.is_null(False))
    # Raw rows, then column by column: converting every value of 30,000 rows
    # through peewee, or building an object per row, costs more than the query.
    rows = database.execute(query).fetchall()
    ids, names, org_ids, roles, mails, tag_texts, cadences, is_archived, since, touched_on = (
        map(list, zip(*rows, strict=True)) if rows else ([] for _ in range(10))
    )
    del rows  # its 30,000 tuples' memory serves what is built below
    latest = list(map(max, touched_on, map(interviewed.get, ids, repeat(""))))
    day = dt.date.fromisoformat
    seen = [day(text) if text else None for text in latest]
    due: list[dt.date | None] = [None] * len(ids)
    for i in compress(range(len(ids)), cadences):
        due[i] = dates.add_span(seen[i] or day(since[i]), cadences[i])
    goals = goal_titles_by_contact(None if len(ids) > 500 else ids)
    columns = ContactColumns(
        id=ids,
        name=names,
        organization=list(map(organizations.get, org_ids, repeat(""))),
        role=roles,
        email=mails,
        # The stored "a,b" as ("a", "b"), empty parts dropped; most have none.
        tags=[tuple(filter(None, text.split(","))) if text else () for text in tag_texts],
        cadence_days=cadences,
        archived=list(map(bool, is_archived)),
        last_contacted=seen,
        next_due=due,
        goals=list(map(tuple, map(goals.get, ids, repeat(())))),
    )
    if due_only:
        keep = [d is not None and d <= today for d in due]
        columns = ContactColumns(*(list(compress(c, keep)) for c in columns.columns()))
    return columns


def goal_titles_by_contact(contact_ids: list[int] | None = None) -> dict[int, list[str]]:
    query = (
        GoalLink.select(GoalLink.contact, Goal.title)
        .join(Goal)
        .where(GoalLink.contact.is_null(False))
        .order_by(Goal.priority, Goal.title)
    )
    if contact_ids is not None:
        query = query.where(GoalLink.contact.in_(contact_ids))
    result: dict[int, list[str]] = defaultdict(list)
    # Raw rows (an id and a text need no converting): peewee's tuples cost
    # more than the query for the thousands of links of a big network.
    for contact_id, title in database.execute(query):
        result[contact_id].append(title)
    return result


def going_cold(today: dt.date | None = None) -> list[ContactRow]:
    """Active contacts whose next touch is due today or overdue, most overdue first."""
    today = today or clock.today()
    return cold_among(contact_rows(due_only=True, today=today), today)


def cold_among(rows: Iterable[ContactRow], today: dt.date) -> list[ContactRow]:
    """Those of ``rows`` going cold (active, next touch due or past), most overdue first.

    For a caller that already holds every contact's row (the app's contact
    list), so that "going cold" needs no second pass over the database.
    """
    due = [r for r in rows if not r.archived and r.next_due is not None and r.next_due <= today]
    return sorted(due, key=lambda r: (r.next_due, r.name.lower()))


@dataclass(frozen=True)
class TimelineEntry:
    """One thing that happened (or will) with a contact."""

    date: dt.date | None
    kind: str  # interaction, interview, event, follow-up
    id: int
    title: str
    detail: str = ""


@dataclass(frozen=True)
class ContactDetail:
    """One contact as ``show`` and the detail sheet have them: their fields, who
    introduced them, where we met, the goals they serve, whom they introduced,
    and the timeline (newest first)."""

    contact: ContactRecord
    introduced_by: ContactRef | None
    met_at: EventRef | None
    last_contacted: dt.date | None
    next_due: dt.date | None
    goals: tuple[GoalServed, ...] = ()
    introduced: tuple[ContactRef, ...] = ()
    timeline: tuple[TimelineEntry, ...] = ()

    @property
    def organization(self) -> str:
        return self.contact.organization


def contact_detail(ref: object, *, today: dt.date | None = None) -> ContactDetail:
    """Everything about one contact: goals served, and a timeline newest first."""
    today = today or clock.today()
    contact = resolve_contact(ref)
    last = last_contacted([contact.id], today=today).get(contact.id)
    goals = [
        GoalServed(link.goal.id, link.goal.title, link.role, link.note)
        for link in GoalLink.select(GoalLink, Goal)
        .join(Goal)
        .where(GoalLink.contact == contact)
        .order_by(Goal.priority, Goal.title)
    ]
    timeline: list[TimelineEntry] = []
    interactions = (
        Interaction.select()
        .join(InteractionContact)
        .where(InteractionContact.contact == contact)
        .order_by(Interaction.date.desc(), Interaction.id.desc())
    )
    for i in interactions:
        timeline.append(
            TimelineEntry(
                i.date, "interaction", i.id, i.summary or i.channel, f"{i.channel}, {i.direction}"
            )
        )
    for iv in Interview.select().where(Interview.contact == contact):
        timeline.append(
            TimelineEntry(
                iv.scheduled_date, "interview", iv.id, "Informational interview", iv.status
            )
        )
    from rapport.services.touches import met_pairs

    met = met_pairs(contact=contact)
    for ev in Event.select().join(met, on=(Event.id == met.c.event_id)):
        timeline.append(TimelineEntry(ev.start_date, "event", ev.id, ev.name, ev.status))
    for fu in FollowUp.select().where(FollowUp.contact == contact):
        timeline.append(
            TimelineEntry(fu.due_date, "follow-up", fu.id, fu.title, "done" if fu.done else "open")
        )
    timeline.sort(key=lambda e: (e.date or dt.date.min, e.kind, e.id), reverse=True)
    introducer = contact.introduced_by if contact.introduced_by_id else None
    met_at = contact.met_at if contact.met_at_id else None
    return ContactDetail(
        contact=_record(contact),
        introduced_by=ContactRef(introducer.id, introducer.name) if introducer else None,
        met_at=EventRef(met_at.id, met_at.name, met_at.start_date) if met_at else None,
        last_contacted=last,
        next_due=next_touch_due(
            contact.cadence_days, last, contact.connected_on, contact.created_at
        ),
        goals=tuple(goals),
        introduced=tuple(
            ContactRef(c.id, c.name)
            for c in Contact.select(Contact.id, Contact.name)
            .where(Contact.introduced_by == contact)
            .order_by(Contact.name)
        ),
        timeline=tuple(timeline),
    )


def meet_at_event(
    event: object, contacts: Sequence[object] = (), *, new_names: Sequence[str] = ()
) -> list[ContactRef]:
    """The people I met at an event: existing contacts, and new ones created
    from ``new_names`` as first met there.  One transaction.  Returns them,
    existing first; raises ValidationError (an empty or duplicate name),
    NotFound, Ambiguous."""
    from rapport.services.events import add_attendees

    met_at = resolve_event(event)
    with database.atomic():
        people = [resolve_contact(c) for c in contacts]
        people += [resolve_contact(create_contact(name, met_at=met_at.id)) for name in new_names]
        return add_attendees(met_at, people)
