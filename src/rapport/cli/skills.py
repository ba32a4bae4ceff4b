"""``rapport skills``: skills as records (list, rename, merge, delete, candidates), and
``goals need`` and ``contacts expertise``, which attach to their groups from here."""

from __future__ import annotations

import click

from rapport.cli._shared import (
    confirm,
    count,
    json_option,
    needs_db,
    print_json,
    table,
    yes_option,
)
from rapport.cli.contacts import contacts
from rapport.cli.goals import goals
from rapport.cli.me import LEVEL_HELP
from rapport.services import candidates as candidate_service
from rapport.services import expertise as expertise_service
from rapport.services import needs as need_service
from rapport.services import skills as skill_service
from rapport.services.skills import level_label


@click.group()
def skills() -> None:
    """Skills: yours, the ones your goals need, the ones your contacts have."""


@skills.command("list")
@json_option
@needs_db
def list_(as_json: bool) -> None:
    """List skills with your current level and what uses them."""
    rows = skill_service.list_skills()
    if as_json:
        print_json(
            [
                {
                    "id": r.id,
                    "name": r.name,
                    "aliases": list(r.aliases),
                    "level": r.level,
                    "level_name": level_label(r.level).split(" ", 1)[-1] if r.level else None,
                    "ratings": r.ratings,
                    "needed_by": r.needs,
                    "contacts": r.experts,
                }
                for r in rows
            ]
        )
        return
    table(
        ["ID", "SKILL", "LEVEL", "RATINGS", "GOALS", "CONTACTS", "ALSO CALLED"],
        [
            (r.id, r.name, r.label, r.ratings, r.needs, r.experts, ", ".join(r.aliases))
            for r in rows
        ],
        empty='No skills yet. Rate one: rapport me skill "SQL" --level 3',
    )


@skills.command("rename")
@click.argument("skill")
@click.argument("new_name")
@needs_db
def rename(skill: str, new_name: str) -> None:
    """Rename SKILL to NEW_NAME (its history, needs and experts stay with it)."""
    before = skill_service.skill_ref(skill).name
    record = skill_service.rename_skill(skill, new_name)
    click.echo(f"Renamed skill #{record.id}: {before} -> {record.name}")


@skills.command("merge")
@click.argument("keep")
@click.argument("other")
@yes_option
@needs_db
def merge(keep: str, other: str, yes: bool) -> None:
    """Merge OTHER into KEEP: its ratings, needs and experts move; its name stays as an alias."""
    kept = skill_service.skill_ref(keep)
    impact = skill_service.skill_impact(other)
    if impact.id == kept.id:
        raise click.UsageError(f"{keep!r} and {other!r} are the same skill")
    confirm(f"Merge {impact.name!r} into {kept.name!r} ({impact.words()} move)?", yes)
    moved = skill_service.merge_skills(kept, impact.id)
    click.echo(f"Merged {moved.name} into {kept.name}: {moved.words()} moved")


@skills.command("delete")
@click.argument("skill")
@yes_option
@needs_db
def delete(skill: str, yes: bool) -> None:
    """Delete SKILL with its ratings, goal needs and contacts' expertise."""
    impact = skill_service.skill_impact(skill)
    confirm(f"Delete skill {impact.name!r} and with it: {impact.words()}?", yes)
    gone = skill_service.delete_skill(impact.id)
    click.echo(f"Deleted skill {gone.name} ({gone.words()})")


@skills.command("candidates")
@click.argument("skill")
@click.option(
    "--confirm",
    "confirmed",
    multiple=True,
    metavar="CONTACT",
    help="Mark this contact as having the skill (repeatable).",
)
@click.option("--limit", type=count(), default=50, show_default=True)
@json_option
@needs_db
def candidates(skill: str, confirmed: tuple[str, ...], limit: int, as_json: bool) -> None:
    """Contacts not yet marked whose role, organization, tags, notes or interviews mention
    SKILL, best first, with what matched; --confirm ID marks them."""
    if confirmed:
        done = candidate_service.confirm_candidates(skill, list(confirmed))
        for item in done:
            click.echo(f"Marked #{item.contact_id} {item.contact} as knowing {item.skill}")
        return
    record = skill_service.skill_ref(skill)
    found = candidate_service.candidates_for(record.id, limit=limit)
    if as_json:
        print_json(
            [
                {
                    "id": c.contact_id,
                    "name": c.name,
                    "organization": c.organization or None,
                    "role": c.role,
                    "matched": list(c.matched),
                }
                for c in found
            ]
        )
        return
    table(
        ["ID", "NAME", "ORGANIZATION", "ROLE", "MATCHED"],
        [(c.contact_id, c.name, c.organization, c.role, " / ".join(c.matched)) for c in found],
        empty=f"Nobody you know mentions {record.name} (beyond those marked already).",
    )
    if found:
        click.echo(
            f"\nConfirm with: rapport skills candidates {record.name!r} --confirm ID [--confirm ID]"
        )


@goals.command("need")
@click.argument("goal")
@click.argument("skill")
@click.option("--level", metavar="LEVEL", help="The level the goal needs. " + LEVEL_HELP)
@click.option("--remove", is_flag=True, help="The goal no longer needs the skill.")
@needs_db
def need(goal: str, skill: str, level: str | None, remove: bool) -> None:
    """GOAL needs SKILL at --level (the same need again changes its level)."""
    if remove:
        if level is not None:
            raise click.UsageError("--level does not go with --remove")
        title, name = need_service.remove_need(goal, skill)
        click.echo(f"{title} no longer needs {name}")
        return
    if level is None:
        raise click.UsageError("give --level (or --remove)")
    found, created = need_service.set_need(goal, skill, level)
    verb = "needs" if created else "now needs"
    you = f"{level_label(found.current)}; {found.gap_words}" if found.current else "not rated yet"
    click.echo(
        f"#{found.goal_id} {found.goal_title} {verb} {found.skill}"
        f" at {level_label(found.target)} (you: {you})"
    )


@contacts.command("expertise")
@click.argument("contact")
@click.argument("skill")
@click.option("--level", metavar="LEVEL", help="How well they know it. " + LEVEL_HELP)
@click.option("--note", metavar="TEXT", help="How you know.")
@click.option("--remove", is_flag=True, help="Unmark it.")
@needs_db
def expertise(contact: str, skill: str, level: str | None, note: str | None, remove: bool) -> None:
    """Mark that CONTACT has SKILL (again: change its level or note), or --remove it."""
    if remove:
        if level is not None or note is not None:
            raise click.UsageError("--level and --note do not go with --remove")
        gone = expertise_service.remove_expertise(contact, skill)
        click.echo(f"Unmarked {gone.skill} for #{gone.contact_id} {gone.contact}")
        return
    item, created = expertise_service.set_expertise(contact, skill, level=level, note=note)
    at = f" at {level_label(item.level)}" if item.level else ""
    verb = "Marked" if created else "Updated"
    click.echo(f"{verb}: #{item.contact_id} {item.contact} has {item.skill}{at}")
