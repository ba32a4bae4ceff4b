"""``rapport contacts`` and ``rapport orgs``: the people in the network and where they work.

The services are loaded by the commands that use them: `contacts list` (and its
``--json``) reads through rapport.services.contact_list alone, on SQLite's own
connection, without peewee or the models.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

import click

from rapport import clock
from rapport.cli._shared import (
    delete_command,
    details,
    edit_command,
    given,
    json_option,
    needs_db,
    options,
    print_json,
    print_json_chunks,
    reads_db_plainly,
    table,
)
from rapport.dates import birthday_text, humanize_days
from rapport.services.fields import CONTACT_FIELDS, CONTACT_LABELS
from rapport.words import plural

# The fields shared by add and edit, as services.fields declares them.
contact_options = options(
    *(
        click.option(spec.option, spec.name, metavar=spec.metavar, help=spec.help)
        for spec in CONTACT_FIELDS
        if spec.option is not None
    )
)


def _contacts() -> ModuleType:
    from rapport.services import contacts as contact_service

    return contact_service


def _orgs() -> ModuleType:
    from rapport.services import orgs as org_service

    return org_service


@click.group()
def contacts() -> None:
    """The people in your network."""


@contacts.command("add")
@click.argument("name")
@contact_options
@click.option("--tag", "tags", multiple=True, help="A tag (repeat for more).")
@click.option("--allow-duplicate", is_flag=True, help="Add even if the same person seems to exist.")
@needs_db
def add(name: str, tags: tuple[str, ...], allow_duplicate: bool, **fields: Any) -> None:
    """Add a contact called NAME."""
    from rapport.services import contacts as contact_service

    contact = contact_service.create_contact(
        name, tags=list(tags), allow_duplicate=allow_duplicate, **given(**fields)
    )
    click.echo(f"Added contact #{contact.id}: {contact.name}")


@contacts.command("list")
@click.option("--goal", metavar="GOAL", help="Only contacts serving this goal.")
@click.option("--tag", metavar="TAG")
@click.option(
    "--org", "organization", metavar="NAME", help="Only contacts at organizations matching NAME."
)
@click.option(
    "--due", "due_only", is_flag=True, help="Only contacts whose stay-in-touch date has passed."
)
@click.option("--archived", is_flag=True, help="Only archived contacts.")
@click.option("--all", "show_all", is_flag=True, help="Archived contacts too.")
@json_option
# A goal is resolved through the models (resolve_goal's matching of a title).
@reads_db_plainly("goal")
def list_(
    goal: str | None,
    tag: str | None,
    organization: str | None,
    due_only: bool,
    archived: bool,
    show_all: bool,
    as_json: bool,
) -> None:
    """List contacts by name, with when you last talked and when the next touch is due."""
    from rapport.services.contact_list import contact_columns, contact_parts, json_records

    today = clock.today()
    filters: dict[str, Any] = {
        "archived": None if show_all else archived,
        "goal": goal,
        "tag": tag,
        "organization": organization,
        "due_only": due_only,
        "today": today,
    }
    if as_json:
        from rapport.jsontext import json_parts_chunks

        # A part at a time: each part's values are freed for the next to reuse.
        print_json_chunks(json_parts_chunks(map(json_records, contact_parts(**filters))))
        return
    columns = contact_columns(**filters)
    # Column by column, as the table measures them: no object per contact.
    table(
        ["ID", "NAME", "ORGANIZATION", "ROLE", "LAST CONTACT", "NEXT TOUCH", "GOALS"],
        zip(
            columns.id,
            [
                name + " (archived)" if hidden else name
                for name, hidden in zip(columns.name, columns.archived, strict=True)
            ],
            columns.organization,
            columns.role,
            [d or "never" for d in columns.last_contacted],
            [humanize_days((d - today).days) if d else "" for d in columns.next_due],
            map(", ".join, columns.goals),
            strict=True,
        ),
        empty="No contacts match."
        if (goal or tag or organization or due_only or archived)
        else 'No contacts yet. Add one: rapport contacts add "Dana Whitfield" --org Northwind',
    )


@contacts.command("show")
@click.argument("contact")
@json_option
@needs_db
def show(contact: str, as_json: bool) -> None:
    """Show everything about a contact: goals served and the timeline."""
    from rapport.services import contacts as contact_service
    from rapport.services import serialize

    detail = contact_service.contact_detail(contact)
    if as_json:
        print_json(serialize.contact_detail(detail))
        return
    c = detail.contact
    today = clock.today()
    label = CONTACT_LABELS
    details(
        [
            ("Contact", f"#{c.id} {c.name}" + (" (archived)" if c.archived else "")),
            (label["organization"], detail.organization),
            (label["role"], c.role),
            (label["email"], c.email),
            (
                label["other_emails"],
                ", ".join(c.other_emails.split("\n")) if c.other_emails else "",
            ),
            (label["phone"], c.phone),
            (
                label["other_phones"],
                ", ".join(c.other_phones.split("\n")) if c.other_phones else "",
            ),
            (label["linkedin_url"], c.linkedin_url),
            (label["location"], c.location),
            (label["birthday"], birthday_text(c.birthday) if c.birthday else ""),
            (label["connected_on"], c.connected_on or ""),
            (label["how_met"], c.how_met),
            (
                label["introduced_by"],
                f"#{detail.introduced_by.id} {detail.introduced_by.name}"
                if detail.introduced_by
                else "",
            ),
            (label["met_at"], f"#{detail.met_at.id} {detail.met_at.name}" if detail.met_at else ""),
            (label["tags"], ", ".join(c.tag_list)),
            (
                label["cadence_days"],
                f"every {plural(c.cadence_days, 'day')}" if c.cadence_days else "",
            ),
            (label["last_contacted"], detail.last_contacted or "never"),
            (
                label["next_due"],
                f"{detail.next_due} ({humanize_days((detail.next_due - today).days)})"
                if detail.next_due
                else "",
            ),
            (label["notes"], c.notes),
        ]
    )
    if detail.goals:
        click.echo("\nServes:")
        for g in detail.goals:
            role = f" as {g.role}" if g.role else ""
            click.echo(f"  #{g.id} {g.title}{role}" + (f": {g.note}" if g.note else ""))
    if detail.introduced:
        click.echo("\nIntroduced me to: " + ", ".join(p.name for p in detail.introduced))
    if detail.timeline:
        click.echo("\nTimeline:")
        for entry in detail.timeline:
            click.echo(
                f"  {entry.date or '(no date)'}  {entry.kind:<11} #{entry.id} "
                f"{entry.title}  [{entry.detail}]"
            )


edit_command(
    contacts,
    "contact",
    click.option("--name"),
    contact_options,
    click.option("--tags", metavar="A,B", help="Replace all tags."),
    click.option("--add-tag", "add_tags", multiple=True, metavar="TAG"),
    click.option("--remove-tag", "remove_tags", multiple=True, metavar="TAG"),
    help='Change a contact\'s fields (give only the ones to change; "" clears one).',
    update=lambda *args, **changes: _contacts().update_contact(*args, **changes),
    updated=lambda r: f"contact #{r.id}: {r.name}",
    apart=("add_tags", "remove_tags"),
)


@contacts.command("archive")
@click.argument("contact")
@needs_db
def archive(contact: str) -> None:
    """Hide a contact from lists and reminders (restore brings them back)."""
    from rapport.services import contacts as contact_service

    record = contact_service.set_archived(contact, True)
    click.echo(f"Archived #{record.id} {record.name} (undo: rapport contacts restore {record.id})")


@contacts.command("restore")
@click.argument("contact")
@needs_db
def restore(contact: str) -> None:
    """Bring an archived contact back."""
    from rapport.services import contacts as contact_service

    record = contact_service.set_archived(contact, False)
    click.echo(f"Restored #{record.id} {record.name}")


delete_command(
    contacts,
    "contact",
    help="Delete a contact with their interviews and follow-ups (archive keeps them).",
    resolve=lambda ref: _contacts().contact_record(ref),
    delete=lambda record: _contacts().delete_contact(record),
    question=lambda r: (
        f"Delete #{r.id} {r.name} with their interviews, follow-ups and the "
        "interactions only they took part in? (rapport contacts archive keeps them)"
    ),
    deleted=lambda r: f"contact #{r.id}: {r.name}",
)


# -- organizations -----------------------------------------------------------


org_options = options(
    click.option("--industry"),
    click.option("--website", metavar="URL"),
    click.option("--notes"),
)


@click.group()
def orgs() -> None:
    """Organizations (one per name, whatever its case)."""


@orgs.command("add")
@click.argument("name")
@org_options
@needs_db
def org_add(name: str, **fields: Any) -> None:
    """Add an organization called NAME."""
    from rapport.services import orgs as org_service

    org = org_service.create_organization(name, **given(**fields))
    click.echo(f"Added organization #{org.id}: {org.name}")


@orgs.command("list")
@json_option
@needs_db
def org_list(as_json: bool) -> None:
    """List organizations with how many contacts each has."""
    from rapport.services import orgs as org_service
    from rapport.services import serialize

    items = org_service.list_organizations()
    if as_json:
        print_json([serialize.organization(o, o.contacts) for o in items])
        return
    table(
        ["ID", "ORGANIZATION", "INDUSTRY", "CONTACTS", "WEBSITE"],
        [(o.id, o.name, o.industry, o.contacts, o.website) for o in items],
        empty="No organizations yet.",
    )


@orgs.command("show")
@click.argument("org")
@json_option
@needs_db
def org_show(org: str, as_json: bool) -> None:
    """Show an organization and its people."""
    from rapport.services import contacts as contact_service
    from rapport.services import orgs as org_service
    from rapport.services import serialize

    record = org_service.organization_row(org)
    people = contact_service.contact_rows(archived=None, organization=record.name)
    people = [p for p in people if p.organization.lower() == record.name.lower()]
    if as_json:
        data = serialize.organization(record, len(people))
        data["people"] = [serialize.contact_row(p) for p in people]
        print_json(data)
        return
    details(
        [
            ("Organization", f"#{record.id} {record.name}"),
            ("Industry", record.industry),
            ("Website", record.website),
            ("Notes", record.notes),
        ]
    )
    if people:
        click.echo("\nPeople:")
        for p in people:
            click.echo(f"  #{p.id} {p.name}" + (f", {p.role}" if p.role else ""))


edit_command(
    orgs,
    "org",
    click.option("--name"),
    org_options,
    help="Change an organization's fields.",
    update=lambda *args, **changes: _orgs().update_organization(*args, **changes),
    updated=lambda r: f"organization #{r.id}: {r.name}",
)


delete_command(
    orgs,
    "org",
    help="Delete an organization (its people stay, without one).",
    resolve=lambda ref: _orgs().organization_row(ref),
    delete=lambda record: _orgs().delete_organization(record),
    question=lambda r: f"Delete organization #{r.id} {r.name}? Its people stay.",
    deleted=lambda r: f"organization #{r.id}: {r.name}",
)
