"""A contact's fields, declared once: the CLI options, the ``--json`` keys, the app's
form and the import and CSV columns read them.

Adding a field to contacts starts here (docs/ARCHITECTURE.md, "Adding a field
or a record kind", has the whole path).  Plain data, no magic: a face builds
its options, keys or form fields by reading these tuples in order.
"""

from __future__ import annotations

from dataclasses import dataclass

# How ``contacts show --json`` writes a field's value (services/serialize.py):
# text   the stored value as it is (text, a number, a flag)
# joined the name the service joined in (the organization's), null when none
# record {"id", "name"} of the linked record, null when none
# tags   the list of tags
# day    YYYY-MM-DD, null when none
# lines  a list of the stored lines (more emails or phones)
# null   the stored text, null when empty
JSON_KINDS = ("text", "joined", "record", "tags", "day", "lines", "null")


@dataclass(frozen=True)
class FieldSpec:
    """One field: ``name`` is the model attribute, the services' keyword and the
    JSON key; ``option`` the CLI flag that sets it on add and edit (None: set by
    commands of its own); ``label`` what the app's form, its contact sheet
    and ``contacts show`` call it; ``json`` how ``--json`` writes it (one of
    JSON_KINDS)."""

    name: str
    option: str | None
    metavar: str | None = None
    help: str | None = None
    label: str = ""
    json: str = "text"


# In the order `rapport contacts add --help` lists the options and
# `contacts show --json` the keys (after "id" and "name").
CONTACT_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "organization", "--org", "NAME", "Organization (created if new).", "Organization", "joined"
    ),
    FieldSpec("role", "--role", help="Job title.", label="Role"),
    FieldSpec("email", "--email", label="Email"),
    FieldSpec("phone", "--phone", label="Phone"),
    FieldSpec("linkedin_url", "--linkedin", "URL", label="LinkedIn"),
    FieldSpec("location", "--location", label="Location"),
    FieldSpec("how_met", "--how-met", "TEXT", "How we met.", "How we met"),
    FieldSpec("introduced_by", "--introduced-by", "CONTACT", None, "Introduced by", "record"),
    FieldSpec("met_at", "--met-at", "EVENT", "The event where we met.", "Met at", "record"),
    # Tags have options of their own: --tag on add; --tags, --add-tag, --remove-tag on edit.
    FieldSpec("tags", None, label="Tags", json="tags"),
    FieldSpec("notes", "--notes", label="Notes"),
    FieldSpec(
        "cadence_days", "--cadence", "DAYS", "Stay in touch every DAYS days.", "Stay in touch"
    ),
    # Set by contacts archive and restore (the app's archive key), never by a form.
    FieldSpec("archived", None),
    FieldSpec("connected_on", "--connected-on", "DATE", None, "Connected on", "day"),
    FieldSpec(
        "birthday",
        "--birthday",
        "DATE",
        "1990-02-14, or --0214 without a year.",
        "Birthday",
        "null",
    ),
    FieldSpec(
        "other_emails",
        "--other-emails",
        "A,B",
        "More emails (replaces them).",
        "Other emails",
        "lines",
    ),
    FieldSpec(
        "other_phones",
        "--other-phones",
        "A,B",
        "More phones (replaces them).",
        "Other phones",
        "lines",
    ),
)

# What `rapport contacts show` and the app's contact sheet call each field,
# and the two values worked out from what was logged that both show beside
# them (as `contacts list` and the app's lists head their columns).
CONTACT_LABELS: dict[str, str] = {
    **{f.name: f.label for f in CONTACT_FIELDS if f.label},
    "last_contacted": "Last contact",
    "next_due": "Next touch",
}

# The order the app's contact form asks them, after the name: each email and
# phone beside the others, the notes last.
CONTACT_FORM: tuple[str, ...] = (
    "organization",
    "role",
    "email",
    "other_emails",
    "phone",
    "other_phones",
    "linkedin_url",
    "location",
    "how_met",
    "introduced_by",
    "met_at",
    "tags",
    "cadence_days",
    "connected_on",
    "birthday",
    "notes",
)

# The columns an import can fill and the CSV export writes, in the order an
# import summary names them: the declared fields that a file can carry (not
# links to other records, the cadence or the archived flag), and the few
# values only files bring.
NOT_IN_FILES = frozenset({"introduced_by", "met_at", "cadence_days", "archived"})
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
