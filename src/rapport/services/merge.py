"""One person, one contact: enriching a contact, merging two, and finding likely pairs.

``enrich`` is the rule every import and every merge follows: fill what is
empty, add what is new (another email, a tag), never overwrite what the
person typed.  ``merge_contacts`` folds one contact into another with all of
its history; ``likely_duplicates`` lists the pairs worth a look.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from peewee import ForeignKeyField, Model, Tuple

from rapport import clock
from rapport.errors import ValidationError
from rapport.models import Contact, FollowUp, GoalLink, database
from rapport.services.clean import normalized
from rapport.services.fields import CONTACT_COLUMNS
from rapport.services.refs import ContactRef
from rapport.services.resolve import resolve_contact

# Every contact column an import can fill, in the order a summary names them.
CONTACT_FIELDS = CONTACT_COLUMNS

# A primary value and the column that holds the others of its kind.
SECONDARY = {"email": "other_emails", "phone": "other_phones"}
# Fields that gather values from both sides of a merge rather than keep one.
GATHERED = {"tags", "notes", *SECONDARY, *SECONDARY.values()}


def _items(text: Any, sep: str) -> list[str]:
    return [item for item in str(text or "").split(sep) if item]


def _phone_key(number: str) -> str:
    # "+1 (415) 555-0134" and "+1 415.555.0134" are one number.
    return re.sub(r"\D", "", number) or number


def _empty(value: Any) -> bool:
    return value is None or value == ""


def enrich(
    current: Mapping[str, Any], incoming: Mapping[str, Any], *, keep_both_notes: bool = False
) -> dict[str, Any]:
    """The changes that bring ``incoming``'s values into ``current`` without losing any.

    Both are contact column values (tags ``a,b``, other emails and phones one a
    line).  An empty field is filled; a second email or phone joins the others;
    tags are added; a field that holds something keeps it.  Notes are filled
    when empty, or, with ``keep_both_notes`` (a merge of two contacts the
    person typed), the other's notes are appended.  Returns only what changes.
    """
    changes: dict[str, Any] = {}
    for key, value in incoming.items():
        if key in GATHERED or _empty(value):
            continue
        if _empty(current.get(key)):
            changes[key] = value
    notes, more = current.get("notes") or "", incoming.get("notes") or ""
    if more and not notes:
        changes["notes"] = more
    elif more and keep_both_notes and more not in notes:
        changes["notes"] = f"{notes}\n\n{more}"
    for primary, others in SECONDARY.items():
        identity: Callable[[str], str] = _phone_key if primary == "phone" else str.lower
        have = [current.get(primary) or "", *_items(current.get(others), "\n")]
        offered = [incoming.get(primary) or "", *_items(incoming.get(others), "\n")]
        seen = {identity(v) for v in have if v}
        added = []
        for value in offered:
            if value and identity(value) not in seen:
                seen.add(identity(value))
                added.append(value)
        if not added:
            continue
        if not have[0]:
            changes[primary] = added.pop(0)
        if added:
            changes[others] = "\n".join([*have[1:], *added])
    tags = _items(current.get("tags"), ",")
    new_tags = [t for t in _items(incoming.get("tags"), ",") if t not in tags]
    if new_tags:
        changes["tags"] = ",".join(tags + new_tags)
    return changes


# -- merging two contacts ------------------------------------------------------


@dataclass(frozen=True)
class MergeResult:
    """The contact kept, the one folded into it (gone now), and what moved."""

    kept: ContactRef
    removed_id: int
    removed_name: str
    filled: tuple[str, ...]
    moved: dict[str, int]


# The columns a merge fills: what an import can bring, and what only a person sets.
_FIELDS = (*CONTACT_FIELDS, "introduced_by", "met_at", "cadence_days")


def _column_values(contact: Contact) -> dict[str, Any]:
    return {name: contact.__data__.get(name) for name in _FIELDS}


def _contact_links() -> list[ForeignKeyField]:
    """Every foreign key that points at a contact, in any table (future ones too)."""
    return [fk for fk in Contact._meta.backrefs if fk.rel_model is Contact]


def _unique_partners(model: type[Model], fk: ForeignKeyField) -> list[list[str]]:
    """For each unique index of ``model`` that includes ``fk``, its other columns."""
    partners = []
    for fields, unique in model._meta.indexes:
        names = [f if isinstance(f, str) else f.name for f in fields]
        if unique and fk.name in names:
            partners.append([n for n in names if n != fk.name])
    return partners


def merge_contacts(keep_ref: object, other_ref: object) -> MergeResult:
    """Fold the contact ``other_ref`` into ``keep_ref``, in one transaction.

    Every interaction, interview, referral, follow-up, event attendance, goal
    link and introduction of the other moves to the one kept (a link both had
    is kept once, its empty role or note filled); the kept contact's empty
    fields are filled from the other's (see :func:`enrich`, notes of both
    kept); then the other is deleted.  Moved follow-ups get a new SEQUENCE, so
    calendars show the new name.  Raises NotFound, Ambiguous, ValidationError.
    """
    keep = resolve_contact(keep_ref)
    other = resolve_contact(other_ref)
    if keep.id == other.id:
        raise ValidationError("contacts", "name two different contacts to merge")
    now = clock.utcnow()
    moved: dict[str, int] = defaultdict(int)
    with database.atomic():
        _merge_goal_links(keep, other)
        FollowUp.update(sequence=FollowUp.sequence + 1).where(FollowUp.contact == other).execute()
        for fk in _contact_links():
            model = fk.model
            if model is Contact:
                continue
            for partners in _unique_partners(model, fk):
                if not partners:
                    continue
                held = [getattr(model, p) for p in partners]
                theirs = model.select(*held).where(fk == keep.id)
                clash = (held[0] if len(held) == 1 else Tuple(*held)).in_(theirs)
                model.delete().where((fk == other.id) & clash).execute()
            changes: dict[Any, Any] = {fk: keep.id}
            if "updated_at" in model._meta.fields:
                changes[model._meta.fields["updated_at"]] = now
            count = model.update(changes).where(fk == other.id).execute()
            if count:
                moved[model._meta.table_name] += count
        introduced = (
            Contact.update(introduced_by=keep.id, updated_at=now)
            .where(Contact.introduced_by == other.id, Contact.id != keep.id)
            .execute()
        )
        if introduced:
            moved["introduced"] = introduced
        incoming = _column_values(other)
        if incoming["introduced_by"] == keep.id:
            incoming["introduced_by"] = None
        current = _column_values(keep)
        if current["introduced_by"] == other.id:
            current["introduced_by"] = None
            keep.introduced_by = None
        changes = enrich(current, incoming, keep_both_notes=True)
        for name, value in changes.items():
            setattr(keep, name, value)
        removed_id, removed_name = other.id, other.name
        other.delete_instance()
        keep.save()
    return MergeResult(
        ContactRef(keep.id, keep.name), removed_id, removed_name, tuple(changes), dict(moved)
    )


def _merge_goal_links(keep: Contact, other: Contact) -> None:
    """A goal both serve keeps the kept contact's link, its empty role and note filled."""
    mine = {link.goal_id: link for link in GoalLink.select().where(GoalLink.contact == keep)}
    for link in GoalLink.select().where(GoalLink.contact == other):
        same = mine.get(link.goal_id)
        if same is None:
            continue
        same.role = same.role or link.role
        same.note = same.note or link.note
        same.save()
        link.delete_instance()


# -- finding likely duplicates --------------------------------------------------


@dataclass(frozen=True)
class DuplicatePair:
    """Two contacts that look like one person, and why."""

    first: ContactRef
    second: ContactRef
    reason: str


def _name_key(name: str) -> str:
    return " ".join(normalized(name).split())


_REASONS = (
    "the same LinkedIn profile",
    "the same email",
    "the same name",
    # The weakest: two people can share a name, but a person who moved jobs
    # is often imported again with the new organization.
    "the same name at another organization",
)


def likely_duplicates() -> list[DuplicatePair]:
    """Pairs of contacts that share a LinkedIn profile, an email, or a name.

    Names are compared ignoring case, accents and spacing; a shared name at
    two different organizations is the weakest reason (a job change, or two
    people).  Each pair is listed once, with its strongest reason: the
    strongest reasons first, then by the first contact's name.
    """
    rows = list(
        Contact.select(
            Contact.id,
            Contact.name,
            Contact.organization,
            Contact.email,
            Contact.other_emails,
            Contact.linkedin_url,
        ).tuples()
    )
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    orgs: dict[int, int | None] = {}
    for cid, name, org_id, email, other_emails, url in rows:
        orgs[cid] = org_id
        if url:
            groups[("the same LinkedIn profile", url)].append(cid)
        for address in {email, *_items(other_emails, "\n")} - {""}:
            groups[("the same email", address.lower())].append(cid)
        groups[("the same name", _name_key(name))].append(cid)
    found: dict[tuple[int, int], str] = {}
    strongest_first = sorted(groups.items(), key=lambda item: _REASONS.index(item[0][0]))
    for (reason, _), ids in strongest_first:
        for pair in _pairs(sorted(set(ids))):
            why = reason
            if reason == "the same name":
                a, b = (orgs[i] for i in pair)
                if a and b and a != b:
                    why = "the same name at another organization"
            found.setdefault(pair, why)
    wanted = {i for pair in found for i in pair}
    records = {
        c.id: ContactRef(c.id, c.name)
        for c in Contact.select(Contact.id, Contact.name).where(Contact.id.in_(list(wanted)))
    }
    pairs = [DuplicatePair(records[a], records[b], reason) for (a, b), reason in found.items()]
    return sorted(
        pairs,
        key=lambda p: (_REASONS.index(p.reason), p.first.name.lower(), p.first.id, p.second.id),
    )


def _pairs(ids: list[int]) -> Iterable[tuple[int, int]]:
    # A name shared by dozens is a common name, not a duplicate worth listing.
    if len(ids) > 10:
        return
    for i, first in enumerate(ids):
        for second in ids[i + 1 :]:
            yield first, second
