"""A contact's fields, declared once: the CLI options and the import and CSV columns read them.

Adding a field to contacts starts here (docs/ARCHITECTURE.md, "Adding a field
or a record kind", has the whole path).  Plain data, no magic: a face builds
its options or columns by reading these tuples in order.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldSpec:
    """One field: ``name`` is the model attribute, the services' keyword and the
    JSON key; ``option`` the CLI flag that sets it on add and edit."""

    name: str
    option: str
    metavar: str | None = None
    help: str | None = None


# In the order `rapport contacts add --help` lists them (and the form asks).
CONTACT_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("organization", "--org", "NAME", "Organization (created if new)."),
    FieldSpec("role", "--role", help="Job title."),
    FieldSpec("email", "--email"),
    FieldSpec("phone", "--phone"),
    FieldSpec("linkedin_url", "--linkedin", "URL"),
    FieldSpec("location", "--location"),
    FieldSpec("how_met", "--how-met", "TEXT", "How we met."),
    FieldSpec("introduced_by", "--introduced-by", "CONTACT"),
    FieldSpec("met_at", "--met-at", "EVENT", "The event where we met."),
    FieldSpec("notes", "--notes"),
    FieldSpec("cadence_days", "--cadence", "DAYS", "Stay in touch every DAYS days."),
    FieldSpec("connected_on", "--connected-on", "DATE"),
    FieldSpec("birthday", "--birthday", "DATE", "1990-02-14, or --0214 without a year."),
    FieldSpec("other_emails", "--other-emails", "A,B", "More emails (replaces them)."),
    FieldSpec("other_phones", "--other-phones", "A,B", "More phones (replaces them)."),
)

# The columns an import can fill and the CSV export writes, in the order an
# import summary names them: the declared fields that a file can carry (not
# links to other records, nor the cadence), the tags (a CLI option of their
# own: --tag on add, --tags, --add-tag, --remove-tag on edit), and the few
# values only files bring.
NOT_IN_FILES = frozenset({"introduced_by", "met_at", "cadence_days"})
CONTACT_COLUMNS: tuple[str, ...] = (
    "organization",
    "role",
    "email",
    "other_emails",
    "phone",
    "other_phones",
    "linkedin_url",
    "location",
    "how_met",
    "tags",
    "notes",
    "connected_on",
    "birthday",
    "given_name",
    "family_name",
    "vcard_uid",
)
# Kept from files (a card's N and UID, LinkedIn's name columns), never typed:
# no CLI option.
FROM_FILES_ONLY = frozenset({"given_name", "family_name", "vcard_uid"})
