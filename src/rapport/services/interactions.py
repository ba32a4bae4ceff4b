"""Interactions: every coffee, call and email, with one or more contacts.

The direction (I gave help, I asked for help, mutual) feeds the reciprocity
balance; the date feeds "last contacted".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from rapport.errors import ValidationError
from rapport.models import (
    DIRECTIONS,
    INTERACTION_CHANNELS,
    Contact,
    Interaction,
    InteractionContact,
    database,
)
from rapport.services import clean
from rapport.services.followups import FollowUpRow
from rapport.services.refs import ContactRef, plain
from rapport.services.resolve import resolve_contact, resolve_contacts, resolve_interaction

CLEANERS: dict[str, clean.Cleaner] = {
    "date": partial(clean.required_date, field="date"),
    "channel": lambda v: clean.choice(v, INTERACTION_CHANNELS, "channel"),
    "summary": partial(clean.one_line, field="summary", max_length=1000),
    "notes": partial(clean.free_text, field="notes"),
    "direction": lambda v: clean.choice(v, DIRECTIONS, "direction"),
}


def _contacts(refs: Sequence[object]) -> list[Contact]:
    if not refs:
        raise ValidationError("contacts", "name at least one contact")
    return resolve_contacts(refs)


def log_interaction(
    contacts: Sequence[object],
    *,
    date: object = "today",
    channel: str = "meeting",
    summary: str = "",
    notes: str = "",
    direction: str = "mutual",
) -> InteractionRow:
    """Record a touchpoint with one or more contacts (refs: ids, names, Contacts).

    Returns it as faces show it.  Raises ValidationError for a bad field,
    NotFound/Ambiguous for a contact.
    """
    people = _contacts(contacts)
    interaction = Interaction(date=None)
    clean.apply_changes(
        interaction,
        {
            "date": date,
            "channel": channel,
            "summary": summary,
            "notes": notes,
            "direction": direction,
        },
        CLEANERS,
    )
    with database.atomic():
        interaction.save(force_insert=True)
        InteractionContact.insert_many(
            [{"interaction": interaction.id, "contact": c.id} for c in people]
        ).execute()
    return _row(interaction, sorted(people, key=lambda c: c.name))  # as participants() orders


def update_interaction(
    ref: object,
    *,
    contacts: Sequence[object] | None = None,
    expected_updated_at: dt.datetime | None = None,
    **fields: Any,
) -> InteractionRow:
    """Change fields of an interaction, and its contacts when ``contacts`` is given.
    Returns it as faces show it."""
    with database.atomic():
        interaction = resolve_interaction(ref)
        changed = clean.apply_changes(interaction, fields, CLEANERS)
        people = None
        if contacts is not None:
            people = _contacts(contacts)
            current = set(
                InteractionContact.select(InteractionContact.contact)
                .where(InteractionContact.interaction == interaction)
                .scalars()
            )
            if current != {c.id for c in people}:
                changed["contacts"] = people
        if changed:
            # Who took part is part of the record: changing it is an edit too.
            clean.check_unchanged(interaction, expected_updated_at)
            interaction.save()
        if people is not None and "contacts" in changed:
            InteractionContact.delete().where(
                InteractionContact.interaction == interaction
            ).execute()
            InteractionContact.insert_many(
                [{"interaction": interaction.id, "contact": c.id} for c in people]
            ).execute()
    return interaction_row(interaction)


def delete_interaction(ref: object) -> InteractionRow:
    """Delete an interaction (for everyone in it); returns what it was."""
    gone = interaction_row(ref)
    with database.atomic():
        Interaction.delete_by_id(gone.id)
    return gone


@dataclass(frozen=True)
class InteractionRow:
    """An interaction as the faces list and edit it: plain values, the people in
    it by name; ``updated_at`` lets a form refuse to overwrite an edit made elsewhere."""

    id: int
    date: dt.date
    channel: str
    direction: str
    summary: str
    notes: str
    updated_at: dt.datetime
    contacts: tuple[ContactRef, ...]


def _row(interaction: Interaction, people: Sequence[Contact]) -> InteractionRow:
    """``people`` in the order faces show them (by name)."""
    return plain(
        InteractionRow, interaction, contacts=tuple(ContactRef(c.id, c.name) for c in people)
    )


def interaction_row(ref: object) -> InteractionRow:
    """One interaction as the list shows it, with the people in it.  Raises NotFound."""
    interaction = resolve_interaction(ref)
    return _row(interaction, participants([interaction.id])[interaction.id])


def participants(interaction_ids: Sequence[int]) -> dict[int, list[Contact]]:
    """The contacts of each interaction, in one query."""
    result: dict[int, list[Contact]] = {i: [] for i in interaction_ids}
    if not interaction_ids:
        return result
    rows = (
        InteractionContact.select(InteractionContact.interaction, Contact)
        .join(Contact)
        .where(InteractionContact.interaction.in_(list(interaction_ids)))
        .order_by(Contact.name)
    )
    for link in rows:
        result[link.interaction_id].append(link.contact)
    return result


def list_interactions(
    *,
    contact: object = None,
    since: object = None,
    until: object = None,
    limit: int | None = 200,
) -> list[InteractionRow]:
    """Interactions newest first, optionally with one contact and between dates."""
    query = Interaction.select().order_by(Interaction.date.desc(), Interaction.id.desc())
    if contact is not None:
        person = resolve_contact(contact)
        query = query.join(InteractionContact).where(InteractionContact.contact == person)
    if since is not None:
        query = query.where(Interaction.date >= clean.required_date(since, "since"))
    if until is not None:
        query = query.where(Interaction.date <= clean.required_date(until, "until"))
    if limit:
        query = query.limit(limit)
    items = list(query)
    people = participants([i.id for i in items])
    return [_row(i, people[i.id]) for i in items]


def log_interaction_with_followup(
    contacts: Sequence[object],
    *,
    follow_up: str = "",
    follow_up_due: object = "+1w",
    **fields: Any,
) -> tuple[InteractionRow, FollowUpRow | None]:
    """Log an interaction and, when ``follow_up`` has words, a follow-up with the
    first contact due at ``follow_up_due``; both or neither are saved.

    ``fields`` are those of :func:`log_interaction`.  Returns the interaction and
    the follow-up (None without one).  Raises what either service raises.
    """
    from rapport.services.followups import create_followup

    with database.atomic():
        interaction = log_interaction(contacts, **fields)
        followup = None
        if follow_up and follow_up.strip():
            first = _contacts(contacts)[0]
            followup = create_followup(follow_up, due=follow_up_due, contact=first)
    return interaction, followup
