"""What contacts know: a contact's skills, marked by the person or found by an import."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from rapport.errors import NotFound
from rapport.models import Contact, Expertise, Skill, database
from rapport.services import clean
from rapport.services.resolve import resolve_contact
from rapport.services.skills import (
    clean_name,
    parse_level,
    resolve_skill,
    row_of,
    save_if_new,
    skill_for_writing,
)


@dataclass(frozen=True)
class ExpertiseItem:
    contact_id: int
    contact: str
    skill_id: int
    skill: str
    level: int | None
    note: str
    confirmed: bool


def expertise_item(e: Expertise, contact: Contact, skill: Skill) -> ExpertiseItem:
    return ExpertiseItem(
        contact.id, contact.name, skill.id, skill.name, e.level, e.note, bool(e.confirmed)
    )


def set_expertise(
    contact_ref: object, skill_ref: object, *, level: Any = None, note: Any = None
) -> tuple[ExpertiseItem, bool]:
    """Mark that a contact has a skill (created if new), at a level if given; again
    updates what is given.  Marked by the person, so confirmed.  Returns it and
    whether it is new."""
    value = None if level in (None, "") else parse_level(level)
    text = None if note is None else clean.free_text(note, "note")
    contact = resolve_contact(contact_ref)
    skill, new_skill = skill_for_writing(skill_ref)
    existing = row_of(Expertise, skill, new_skill, Expertise.contact == contact.id)
    with database.atomic():
        save_if_new(skill, new_skill)
        if existing is None:
            existing = Expertise.create(
                contact=contact.id, skill=skill.id, level=value, note=text or "", confirmed=True
            )
            created = True
        else:
            created = False
            if value is not None:
                existing.level = value
            if text is not None:
                existing.note = text
            existing.confirmed = True
            existing.save()
    return expertise_item(existing, contact, skill), created


def remove_expertise(contact_ref: object, skill_ref: object) -> ExpertiseItem:
    """Unmark a contact's skill.  Raises NotFound."""
    contact = resolve_contact(contact_ref)
    skill = resolve_skill(skill_ref)
    existing = Expertise.get_or_none(Expertise.contact == contact.id, Expertise.skill == skill.id)
    if existing is None:
        raise NotFound(f"{contact.name} is not marked as knowing {skill.name!r}")
    with database.atomic():
        existing.delete_instance()
    return expertise_item(existing, contact, skill)


def contact_expertise(
    contact_ids: Iterable[int] | None = None, *, skill_id: int | None = None
) -> dict[int, list[ExpertiseItem]]:
    """Each contact's skills (or only ``skill_id``), by skill name."""
    query = (
        Expertise.select(Expertise, Contact.id, Contact.name, Skill.id, Skill.name)
        .join(Contact, on=(Expertise.contact == Contact.id))
        .switch(Expertise)
        .join(Skill, on=(Expertise.skill == Skill.id))
        .order_by(Skill.name)
    )
    if contact_ids is not None:
        query = query.where(Expertise.contact.in_(list(contact_ids)))
    if skill_id is not None:
        query = query.where(Expertise.skill == skill_id)
    result: dict[int, list[ExpertiseItem]] = defaultdict(list)
    for e in query:
        result[e.contact.id].append(expertise_item(e, e.contact, e.skill))
    return result


def parse_expertise_item(name: str, level: str = "") -> tuple[str, int | None]:
    """A skill as a file gives it (``Hiring``, ``5 expert``) as (name, level or None).

    Raises ValidationError for a level off the scale or an empty name.
    """
    level = level.strip()
    if level and level.split()[0].isdigit():
        level = level.split()[0]  # "5 expert", as the export writes it, read by its number
    return clean_name(name, "expertise"), (parse_level(level, "expertise") if level else None)


def mark_imported_expertise(rows: Sequence[tuple[int | None, str, int | None]]) -> int:
    """Mark skills on contacts as an import found them: (contact id, skill name, level).

    Skills are found by name or alias (created when new); a contact already
    marked for a skill keeps what it has.  Rows are unconfirmed until the
    person confirms them.  Returns how many were marked.
    """
    wanted = [(cid, name, level) for cid, name, level in rows if cid is not None]
    if not wanted:
        return 0
    ids: dict[str, int] = {}
    for skill_id, name, aliases in Skill.select(Skill.id, Skill.name, Skill.aliases).tuples():
        for one in (name, *[a for a in aliases.split(",") if a]):
            ids.setdefault(one.casefold(), skill_id)
    marked = 0
    seen: set[tuple[int, int]] = set()
    with database.atomic():
        for contact_id, name, level in wanted:
            key = name.casefold()
            if key not in ids:
                ids[key] = Skill.create(name=name).id
            pair = (contact_id, ids[key])
            if pair in seen:
                continue
            seen.add(pair)
            insert = Expertise.insert(
                contact=contact_id, skill=ids[key], level=level, confirmed=False
            ).on_conflict_ignore()
            marked += database.execute(insert).rowcount
    return marked
