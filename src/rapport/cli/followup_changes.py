"""``rapport followups`` commands about one follow-up: add, show, edit, done, undo...

Added to the group when one of them is asked for (rapport.cli.ATTACHED): the
lists print without the follow-up service these load.
"""

from __future__ import annotations

from typing import Any

import click

from rapport.cli._shared import (
    RECORD_ID,
    delete_command,
    edit_command,
    given,
    needs_db,
    serves_words,
    show_command,
)
from rapport.cli.followups import due_text, followup_json, followups
from rapport.services import followups as followup_service
from rapport.services.followups import REPEAT_HELP, FollowUpRow
from rapport.words import rule_words


@followups.command("add")
@click.argument("what")
@click.option("--contact", metavar="CONTACT", help="Whom it is about.")
@click.option("--due", default="tomorrow", show_default=True, metavar="WHEN")
@click.option("--repeat", metavar="RULE", help=f"Repeat: {REPEAT_HELP}.")
@click.option("--notes", metavar="TEXT")
@click.option("--interview", metavar="ID", type=RECORD_ID, help="The interview it follows.")
@click.option("--event", metavar="EVENT", help="The event it follows.")
@click.option(
    "--goal", "goals", multiple=True, metavar="GOAL", help="A goal it serves (repeatable)."
)
@click.option("--skill", metavar="SKILL", help="The skill it is about (rapport skills list).")
@needs_db
def add(what: str, due: str, goals: tuple[str, ...], **fields: Any) -> None:
    """Add a follow-up: WHAT to do (due tomorrow unless --due says when).

    With --skill and no --goal it serves the active goals that need the skill.
    """
    followup = followup_service.create_followup(
        what, due=due, goals=list(goals), goals_of_skill=True, **given(**fields)
    )
    at = f" {followup.due_time:%H:%M}" if followup.due_time else ""
    repeats = f", repeating {rule_words(followup.rrule)}" if followup.rrule else ""
    click.echo(
        f"Added follow-up #{followup.id} due {followup.due_date}{at}{repeats}: {followup.title}"
    )
    if followup.skill and not goals:
        click.echo(serves_words(followup.goals, followup.skill.name, f"followup:{followup.id}"))


def _shown(record: FollowUpRow) -> list[tuple[str, Any]]:
    return [
        ("Follow-up", f"#{record.id} {record.title}"),
        ("With", record.contact.name if record.contact else ""),
        ("Due", due_text(record.due_date, record.due_time)),
        ("Time zone", record.tz),
        ("Repeats", rule_words(record.rrule)),
        ("Status", "done" if record.done else "open"),
        ("Goals", ", ".join(g.title for g in record.goals)),
        ("Interview", f"#{record.interview_id}" if record.interview_id else ""),
        ("Event", f"#{record.event_id}" if record.event_id else ""),
        ("Skill", record.skill.name if record.skill else ""),
        ("Notes", record.notes),
        ("Calendar UID", f"{record.uid} (sequence {record.sequence})"),
    ]


show_command(
    followups,
    "followup_id",
    metavar="ID",
    help="Show one follow-up.",
    load=followup_service.followup_row,
    to_json=followup_json,
    lines=_shown,
)

edit_command(
    followups,
    "followup_id",
    click.option("--what", "title", metavar="TEXT"),
    click.option("--contact", metavar="CONTACT"),
    click.option("--due", metavar="WHEN"),
    click.option("--repeat", metavar="RULE", help=f"{REPEAT_HELP}; 'none' stops repeating."),
    click.option("--notes"),
    click.option(
        "--skill", metavar="SKILL", help="The skill it is about (rapport skills list); '' for none."
    ),
    metavar="ID",
    help="Change a follow-up (calendars update it on the next export).",
    update=followup_service.update_followup,
    updated=lambda r: f"follow-up #{r.id}: {r.title}",
    apart=("due", "repeat"),
)


@followups.command("done")
@click.argument("followup_ids", nargs=-1, required=True, metavar="ID...", type=RECORD_ID)
@needs_db
def done(followup_ids: tuple[str, ...]) -> None:
    """Mark follow-ups done (a repeating one moves to its next date)."""
    for record, already in followup_service.complete_followups(followup_ids):
        if already:
            click.echo(f"Already done: #{record.id} {record.title}")
        elif record.done:
            click.echo(f"Done: #{record.id} {record.title}")
        else:
            click.echo(f"Done for now: #{record.id} {record.title}; next on {record.due_date}")


@followups.command("reopen")
@click.argument("followup_id", metavar="ID", type=RECORD_ID)
@needs_db
def reopen(followup_id: str) -> None:
    """Mark a done follow-up open again."""
    record = followup_service.reopen_followup(followup_id)
    click.echo(f"Reopened #{record.id} {record.title}, due {record.due_date}")


@followups.command("snooze")
@click.argument("followup_id", metavar="ID", type=RECORD_ID)
@click.option(
    "--by", metavar="SPAN", help="+1d, +1w, 2w... (from today if overdue, else from the due date)."
)
@click.option("--until", metavar="WHEN", help="A new due date.")
@needs_db
def snooze(followup_id: str, by: str | None, until: str | None) -> None:
    """Move a follow-up later (default: by one day)."""
    if by is None and until is None:
        by = "+1d"
    record = followup_service.snooze_followup(followup_id, by=by, until=until)
    click.echo(f"Snoozed #{record.id} {record.title} to {record.due_date}")


@followups.command("undo")
@needs_db
def undo_command() -> None:
    """Undo the last done or snooze (again: the one before)."""
    from rapport.services.undo import undo_last  # loaded by this command alone

    undone = undo_last()
    due = f"{undone.due_date}" + (f" {undone.due_time:%H:%M}" if undone.due_time else "")
    state = "done" if undone.done else "open"
    click.echo(f"Undid {undone.words(number=True)}: {state}, due {due}")


delete_command(
    followups,
    "followup_id",
    metavar="ID",
    help="Delete a follow-up (the next calendar sync cancels it).",
    resolve=followup_service.followup_row,
    delete=followup_service.delete_followup,
    question=lambda r: f"Delete follow-up #{r.id} {r.title!r}?",
    deleted=lambda r: f"follow-up #{r.id}: {r.title}",
)
