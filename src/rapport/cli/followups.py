"""``rapport followups``: what I owe whom, by when, and the lists of them.

The commands that change one follow-up are in rapport.cli.followup_changes,
added to the group when one of them is asked for.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import click

from rapport import clock
from rapport.cli._shared import DAYS, json_option, needs_db, print_json, reads_db_plainly, table
from rapport.dates import humanize_days
from rapport.words import plural, rule_words

if TYPE_CHECKING:
    from rapport.services.due import FollowUpColumns
    from rapport.services.followups import FollowUpRow


def due_text(day: dt.date, at: dt.time | None) -> str:
    return f"{day}" if at is None else f"{day} {at:%H:%M}"


def followup_json(row: FollowUpRow) -> dict[str, Any]:
    """The follow-up as docs/json.md has it."""
    # serialize (and the contact, event and interview services it reads) is
    # loaded for --json alone: 11 ms of every list's start.
    from rapport.services import serialize

    return serialize.followup(row)


def print_columns(columns: FollowUpColumns, *, empty: str) -> None:
    """The follow-ups as a table, a column at a time (no object per follow-up)."""
    today = clock.today()
    due = list(map(due_text, columns.due_date, columns.due_time))
    when = [
        "done" if done else humanize_days((day - today).days)
        for day, done in zip(columns.due_date, columns.done, strict=True)
    ]
    headers = ["ID", "DUE", "WHEN", "WHAT", "WITH", "GOALS", "REPEATS"]
    cells = [
        columns.id,
        due,
        when,
        columns.title,
        columns.contact,
        list(map(", ".join, columns.goals)),
        list(map(rule_words, columns.rrule)),
    ]
    # The skill a follow-up is about (`--skill`), as a column of its own when
    # one of them names one: a list without skills reads as it always did.
    if columns.skill and any(columns.skill):
        headers.append("SKILL")
        cells.append(columns.skill)
    table(headers, zip(*cells, strict=True), empty=empty)


@click.group()
def followups() -> None:
    """What you owe whom, by when."""


@followups.command("list")
@click.option(
    "--status", type=click.Choice(("open", "done", "all")), default="open", show_default=True
)
@click.option("--contact", metavar="CONTACT")
@click.option("--goal", metavar="GOAL")
@click.option("--from", "since", metavar="DATE")
@click.option("--to", "until", metavar="DATE")
@json_option
@needs_db
def list_(
    status: str,
    contact: str | None,
    goal: str | None,
    since: str | None,
    until: str | None,
    as_json: bool,
) -> None:
    """List follow-ups by due date."""
    chosen: dict[str, Any] = {
        "status": status,
        "contact": contact,
        "goal": goal,
        "since": since,
        "until": until,
    }
    # The follow-up service (its writes' cleaners, resolvers and the models) is
    # loaded by the commands that use it: `followups due` prints without it.
    from rapport.services import followups as followup_service

    if as_json:
        print_json([followup_json(r) for r in followup_service.list_followups(**chosen)])
        return
    print_columns(
        followup_service.followup_columns(**chosen),
        empty="No follow-ups. Add one: "
        'rapport followups add "Send Dana the deck" --contact dana --due fri',
    )


@followups.command("due")
@click.option(
    "--days",
    default=7,
    show_default=True,
    type=DAYS,
    help="Look this many days ahead.",
)
@json_option
@reads_db_plainly("as_json")
def due(days: int, as_json: bool) -> None:
    """What is overdue or due within the next DAYS days."""
    if as_json:
        from rapport.services.followups import due_followups

        print_json([followup_json(r) for r in due_followups(days)])
        return
    from rapport.services.due import due_columns

    ahead = {0: "today", 1: "by tomorrow"}.get(days, f"in the next {plural(days, 'day')}")
    print_columns(due_columns(days), empty=f"Nothing due {ahead}.")
