"""Helpers for the import/export tests: where the fixture files are, a contact as a dict."""

from __future__ import annotations

from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent.parent / "data"


def contact(name: str) -> dict[str, Any]:
    """The stored fields of the one contact called exactly ``name``."""
    from rapport.models import Contact

    record = Contact.get(Contact.name == name)
    return {
        "name": record.name,
        "organization": record.organization.name if record.organization_id else "",
        "role": record.role,
        "email": record.email,
        "other_emails": record.other_emails.split("\n") if record.other_emails else [],
        "phone": record.phone,
        "other_phones": record.other_phones.split("\n") if record.other_phones else [],
        "linkedin_url": record.linkedin_url,
        "location": record.location,
        "how_met": record.how_met,
        "tags": record.tag_list,
        "notes": record.notes,
        "connected_on": record.connected_on,
        "birthday": record.birthday,
    }


def count_contacts() -> int:
    from rapport.models import Contact

    return Contact.select().count()
