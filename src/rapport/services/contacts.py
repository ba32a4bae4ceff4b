"""Contacts: who they are, how we met, how often to stay in touch, and when we last did.

"Last contacted" is never stored: it is the latest interaction with the
contact or the latest interview marked done, so logging a coffee resets
"next touch due" (last contacted + cadence) without anyone editing a reminder.
A contact never contacted counts from when we connected (or were added).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from peewee import fn

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

# The list side, re-exported for the app, `today` and the services that read it.
from rapport.services.contact_list import (  # noqa: F401
    ContactColumns,
    ContactRow,
    cold_among,
    contact_columns,
    contact_rows,
    going_cold,
)
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
    removed = set(clean.tags(list(remove_tags)).split(","))
    # The same tag added and removed said two things: which one was meant?
    both = sorted(set(clean.tags(list(add_tags)).split(",")) & removed - {""})
    if both:
        raise ValidationError("tags", f"{', '.join(both)} both added and removed; give one")
    with database.atomic():
        # Read inside the (IMMEDIATE) transaction: tags added elsewhere a moment
        # ago are kept, not overwritten with what this process saw earlier.
        contact = resolve_contact(ref)
        if add_tags or remove_tags:
            current = clean.tags(fields.get("tags", contact.tags)).split(",")
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
    existing first; raises ValidationError (see new_contact_names), NotFound,
    Ambiguous."""
    from rapport.services.events import add_attendees

    met_at = resolve_event(event)
    with database.atomic():
        people = [resolve_contact(c) for c in contacts]
        names = new_contact_names(new_names, field="contacts")
        people += [resolve_contact(create_contact(name, met_at=met_at.id)) for name in names]
        return add_attendees(met_at, people)


def named_exactly(names: Sequence[str]) -> dict[str, list[ContactRef]]:
    """Of ``names``, those that are the whole name of a contact already (case,
    accents and spacing ignored), each with the contacts so named."""
    wanted = {clean.normalized(" ".join(n.split())): n for n in names}
    found: dict[str, list[ContactRef]] = {}
    # A scan of names, as resolving one does: milliseconds at 30,000.
    for contact_id, name in Contact.select(Contact.id, Contact.name).order_by(Contact.id).tuples():
        given = wanted.get(clean.normalized(" ".join(name.split())))
        if given is not None:
            found.setdefault(given, []).append(ContactRef(contact_id, name))
    return found


class AlreadyContacts(ValidationError):
    """A name given as someone new is a contact's already; ``known``: the contacts so
    named (a face can say how to pick them instead)."""

    def __init__(self, field: str, known: list[ContactRef], hint: str) -> None:
        self.known = known
        ids = ", ".join(f"#{c.id}" for c in known)
        super().__init__(field, f"{known[0].name} is a contact already ({ids}); {hint}")


def new_contact_names(names: Sequence[str], *, field: str) -> list[str]:
    """``names`` of people to add as new contacts, cleaned.  Raises
    ValidationError (about ``field``) for an empty name, a name given twice, or
    the name of a contact already there: that person is picked, not added again."""
    cleaned: dict[str, str] = {}
    for raw in names:
        name = clean.one_line(raw, field=field, required=True)
        first = cleaned.setdefault(clean.normalized(name), name)
        if first is not name:
            raise ValidationError(field, f"{first} is given twice; give them once")
    for known in named_exactly(list(cleaned.values())).values():
        raise AlreadyContacts(field, known, "pick them rather than adding them again")
    return list(cleaned.values())
