"""Organizations: one per name, whatever its case ("ACME" is "Acme")."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import partial
from typing import Any

from peewee import fn

from rapport.errors import ValidationError
from rapport.models import Contact, Organization, database
from rapport.services import clean
from rapport.services.refs import plain
from rapport.services.resolve import resolve_organization

CLEANERS: dict[str, clean.Cleaner] = {
    "name": partial(clean.one_line, field="name", required=True, max_length=200),
    "industry": partial(clean.one_line, field="industry"),
    "website": partial(clean.url, field="website"),
    "notes": partial(clean.free_text, field="notes"),
}


def find_organization(name: str) -> Organization | None:
    """The organization with this name, compared case-insensitively."""
    text = clean.one_line(name, "organization")
    if not text:
        return None
    return Organization.get_or_none(Organization.name == text)


def get_or_create_organization(name: str | None) -> Organization | None:
    """The organization called ``name`` (created if new); None for an empty name."""
    text = clean.one_line(name, "organization", max_length=200)
    if not text:
        return None
    found = Organization.get_or_none(Organization.name == text)
    if found is not None:
        return found
    return Organization.create(name=text)


def _refuse_duplicate(name: str, keep_id: int | None = None) -> None:
    existing = Organization.get_or_none(Organization.name == name)
    if existing is not None and existing.id != keep_id:
        raise ValidationError("name", f"an organization called {existing.name!r} exists already")


@dataclass(frozen=True)
class OrganizationRow:
    """An organization as the faces list and edit it: plain values and how many
    contacts it has; ``updated_at`` lets a form refuse to overwrite an edit made elsewhere."""

    id: int
    name: str
    industry: str
    website: str
    notes: str
    updated_at: dt.datetime
    contacts: int


def _row(org: Organization, contacts: int) -> OrganizationRow:
    return plain(OrganizationRow, org, contacts=contacts)


def organization_row(ref: object) -> OrganizationRow:
    """One organization (an id, a part of its name, or itself) with how many
    contacts it has.  Raises NotFound, Ambiguous."""
    org = resolve_organization(ref)
    return _row(org, Contact.select().where(Contact.organization == org.id).count())


def create_organization(name: str, **fields: Any) -> OrganizationRow:
    """Create an organization; a name taken in any case is refused.  Returns it as faces show it."""
    org = Organization(name="")
    clean.apply_changes(org, {"name": name, **fields}, CLEANERS)
    with database.atomic():
        _refuse_duplicate(org.name)
        org.save(force_insert=True)
    return _row(org, 0)


def update_organization(
    ref: object, *, expected_updated_at: dt.datetime | None = None, **fields: Any
) -> OrganizationRow:
    """Change an organization (a new name is everyone's there); returns it as faces show it."""
    org = resolve_organization(ref)
    changed = clean.apply_changes(org, fields, CLEANERS)
    if changed:
        with database.atomic():
            if "name" in changed:
                _refuse_duplicate(org.name, keep_id=org.id)
            clean.check_unchanged(org, expected_updated_at)
            org.save()
    return organization_row(org)


def delete_organization(ref: object) -> OrganizationRow:
    """Delete an organization; its people stay, with no organization.  Returns what it was."""
    gone = organization_row(ref)
    with database.atomic():
        Organization.delete_by_id(gone.id)
    return gone


def list_organizations() -> list[OrganizationRow]:
    """Every organization with how many contacts it has, by name."""
    counts = dict(
        Contact.select(Contact.organization, fn.COUNT(Contact.id))
        .where(Contact.organization.is_null(False))
        .group_by(Contact.organization)
        .tuples()
    )
    orgs = Organization.select().order_by(fn.lower(Organization.name))
    return [_row(org, counts.get(org.id, 0)) for org in orgs]
