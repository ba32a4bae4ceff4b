"""Finding a record from what a person typed: an id, or an unambiguous part of its name.

``resolve_contact("dana")`` returns the one contact whose name contains
"dana" (case and accents ignored), prefers an exact match, and otherwise
raises NotFound or Ambiguous with the candidates listed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import is_dataclass
from typing import TypeVar

from peewee import JOIN, Field, Model, ModelSelect

from rapport.errors import Ambiguous, NotFound
from rapport.models import Contact, Event, FollowUp, Goal, Interaction, Interview, Organization
from rapport.services.clean import normalized

M = TypeVar("M", bound=Model)

_ID = re.compile(r"^#?(\d+)$")
# SQLite's largest integer: a bigger number names no record (and cannot be asked for).
MAX_ID = 2**63 - 1
_MAX_LISTED = 8


def parse_id(ref: object) -> int | None:
    """The id in ``12``, ``#12`` or a plain value a service handed out (its ``id``), else None."""
    if isinstance(ref, int):
        return ref
    if is_dataclass(ref) and not isinstance(ref, type):
        record_id = getattr(ref, "id", None)
        return record_id if isinstance(record_id, int) else None
    match = _ID.match(str(ref).strip())
    return int(match.group(1)) if match else None


def by_id(model: type[M], ref: object, label: str, query: ModelSelect | None = None) -> M:
    """The record with this id (from ``query``, which may join what faces show);
    NotFound names the label and the id."""
    if isinstance(ref, model):
        return ref
    record_id = parse_id(ref)
    if record_id is None:
        raise NotFound(f"{label} must be given by its number (got {ref!r})")
    if not 0 < record_id <= MAX_ID:
        raise NotFound(f"no {label} with id {record_id}")
    record = (model.select() if query is None else query).where(model.id == record_id).first()
    if record is None:
        raise NotFound(f"no {label} with id {record_id}")
    return record


def _by_name(
    model: type[M],
    ref: object,
    label: str,
    name_field: Field,
    describe: Callable[[M], str],
) -> M:
    if isinstance(ref, model):
        return ref
    record_id = parse_id(ref)
    if record_id is not None:
        return by_id(model, record_id, label)
    wanted = normalized(" ".join(str(ref).split()))
    if not wanted:
        raise NotFound(f"no {label} given")
    # Matched in Python, not with LIKE: SQLite folds only ASCII case, and
    # "jose" should find "José".  A scan of names is milliseconds at 30,000.
    query = model.select(model.id, name_field)
    matches = [(i, n) for i, n in query.tuples() if wanted in normalized(n)]
    exact = [m for m in matches if normalized(m[1]) == wanted]
    chosen = exact if len(exact) == 1 else matches
    if not chosen:
        raise NotFound(f"no {label} matches {str(ref)!r}")
    if len(chosen) > 1:
        records = model.select().where(model.id.in_([i for i, _ in chosen[:_MAX_LISTED]]))
        listed = [describe(r) for r in records]
        more = len(chosen) - len(listed)
        if more > 0:
            listed.append(f"... and {more} more")
        raise Ambiguous(
            f"{str(ref)!r} matches {len(chosen)} {label}s: " + "; ".join(listed), listed
        )
    return model.get_by_id(chosen[0][0])


def describe_contact(contact: Contact) -> str:
    org = contact.organization.name if contact.organization_id else ""
    return described(contact.id, contact.name, org)


def described(contact_id: int, name: str, organization: str) -> str:
    """A contact as a question or a list of candidates names them: ``#3 Dana (Northwind)``."""
    return f"#{contact_id} {name}" + (f" ({organization})" if organization else "")


def resolve_contact(ref: object) -> Contact:
    return _by_name(Contact, ref, "contact", Contact.name, describe_contact)


def resolve_contacts(refs: Sequence[object]) -> list[Contact]:
    """Each contact the refs name, once, in the order first named ("dana #1" is one)."""
    found: dict[int, Contact] = {}
    for ref in refs:
        contact = resolve_contact(ref)
        found.setdefault(contact.id, contact)
    return list(found.values())


def resolve_goal(ref: object) -> Goal:
    return _by_name(Goal, ref, "goal", Goal.title, lambda g: f"#{g.id} {g.title}")


def resolve_event(ref: object) -> Event:
    return _by_name(Event, ref, "event", Event.name, lambda e: f"#{e.id} {e.name} ({e.start_date})")


def resolve_organization(ref: object) -> Organization:
    return _by_name(
        Organization, ref, "organization", Organization.name, lambda o: f"#{o.id} {o.name}"
    )


# Faces read whom an interview or follow-up is with, and for what: those come
# joined, so that reading them never runs a query in a face.


def resolve_interview(ref: object) -> Interview:
    return by_id(Interview, ref, "interview", Interview.select(Interview, Contact).join(Contact))


def resolve_interaction(ref: object) -> Interaction:
    return by_id(Interaction, ref, "interaction")


def resolve_followup(ref: object) -> FollowUp:
    interviewed = Contact.alias()
    query = (
        FollowUp.select(FollowUp, Contact, Interview, interviewed, Event)
        .join(Contact, JOIN.LEFT_OUTER, on=(FollowUp.contact == Contact.id))
        .switch(FollowUp)
        .join(Interview, JOIN.LEFT_OUTER, on=(FollowUp.interview == Interview.id))
        .join(interviewed, JOIN.LEFT_OUTER, on=(Interview.contact == interviewed.id))
        .switch(FollowUp)
        .join(Event, JOIN.LEFT_OUTER, on=(FollowUp.event == Event.id))
    )
    return by_id(FollowUp, ref, "follow-up", query)
