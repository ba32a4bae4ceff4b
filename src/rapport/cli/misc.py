"""``rapport link/unlink``, ``search``, ``today``, ``backup``, ``demo``, and opening the app."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from rapport.choices import LINK_ROLES
from rapport.cli._shared import (
    DAYS,
    GivenPath,
    State,
    TextCommand,
    count,
    json_option,
    needs_db,
    print_json,
    reads_db_plainly,
    table,
)
from rapport.dates import humanize_days
from rapport.words import plural

if TYPE_CHECKING:  # the agenda, links, warmth and search load with their commands
    from rapport.services.agenda import Agenda, AgendaColumns


@click.command()
@click.argument("target", metavar="CONTACT|interview:ID|event:ID|followup:ID")
@click.option("--goal", required=True, metavar="GOAL")
@click.option("--role", type=click.Choice(LINK_ROLES), help="A contact's role for this goal.")
@click.option("--note", metavar="TEXT")
@needs_db
def link(target: str, goal: str, role: str | None, note: str | None) -> None:
    """Link something to a goal it serves.

    TARGET is a contact (id or name), or interview:ID, event:ID or
    followup:ID.  A contact's link can carry its role for the goal.
    """
    from rapport.services import links as link_service

    parsed = link_service.parse_target(target)
    made = link_service.link(parsed, goal, role=role or "", note=note or "")
    role_text = f" as {made.role}" if made.role else ""
    click.echo(f"Linked {parsed.label} to goal #{made.id} {made.title}{role_text}")


@click.command()
@click.argument("target", metavar="CONTACT|interview:ID|event:ID|followup:ID")
@click.option("--goal", required=True, metavar="GOAL")
@needs_db
def unlink(target: str, goal: str) -> None:
    """Remove a link to a goal."""
    from rapport.services import links as link_service

    parsed = link_service.parse_target(target)
    removed = link_service.unlink(parsed, goal)
    click.echo(f"Unlinked {parsed.label} from goal #{removed.id} {removed.title}")


@click.command(cls=TextCommand)
@click.argument("words", nargs=-1, required=True)
@click.option("--limit", default=30, show_default=True, type=count(most=1000))
@json_option
@reads_db_plainly()
def search(words: tuple[str, ...], limit: int, as_json: bool) -> None:
    """Search people, goals, follow-ups, notes and advice.

    Words match as prefixes ("pyth" finds Python), "quoted words" as a
    phrase, OR between words means either, -word leaves matches out.
    """
    from rapport.services.search import search as search_network

    hits = search_network(" ".join(words), limit=limit)
    if as_json:
        from rapport.services import serialize

        print_json([serialize.search_hit(h) for h in hits])
        return
    table(
        ["KIND", "ID", "TITLE", "DATE", "MATCH"],
        [(h.kind, h.id, h.title, h.date or "", h.snippet) for h in hits],
        empty="No matches.",
    )


def _agenda_json(agenda: Agenda) -> dict[str, object]:
    # The JSON shapes load with --json: `rapport today` prints without them.
    from rapport.services import serialize
    from rapport.services.warmth import warmth

    return {
        "today": agenda.today.isoformat(),
        "overdue": [serialize.followup(r) for r in agenda.overdue],
        "due_soon": [serialize.followup(r) for r in agenda.due_soon],
        "going_cold": [
            {
                **serialize.contact_row(r),
                "warmth": warmth(r.last_contacted, r.cadence_days, agenda.today),
            }
            for r in agenda.going_cold
        ],
    }


WELCOME = """
Welcome to rapport: keep your career goals, the people who can help with them,
and the messages you owe them in one private file, and know whom to talk to next.

Three first steps:"""
FIRST_STEPS = (
    ("goal", "Add a goal", 'rapport goals add "Lead a platform team" --target 2027-12-31'),
    ("contacts", "Import contacts", "rapport import linkedin Connections.csv  (or import vcard)"),
    ("followup", "Add a follow-up", 'rapport followups add "Send Dana the deck" --contact dana'),
)


def print_agenda(agenda: AgendaColumns) -> None:
    from rapport.services.warmth import warmth_label

    today = agenda.today
    due = agenda.due
    # One write: click.echo flushes after each call, a system call for each of
    # the thousands of lines a large network's going-cold list has.
    lines = [click.style(f"Today, {today:%A %-d %B %Y}", bold=True)]
    if not (due.id or agenda.going_cold):
        from rapport.services.agenda import first_steps

        steps = first_steps()
        if steps.welcome:
            # A new database: what the app's Today says, with commands for keys.
            lines.append(WELCOME)
            for name, label, command in FIRST_STEPS:
                lines.append(f"  [{'x' if getattr(steps, name) else ' '}] {label:<16} {command}")
            lines.append("\n`rapport` opens the app; `rapport --help` lists every command.")
            click.echo("\n".join(lines))
            return
    sections = (("Overdue", agenda.overdue), ("Due this week", agenda.due_soon))
    for heading, rows in sections:
        lines.append(f"\n{heading} ({len(rows)})")
        for i in rows:
            who = f" with {due.contact[i]}" if due.contact[i] else ""
            goals = f"  [{', '.join(due.goals[i])}]" if due.goals[i] else ""
            days = humanize_days((due.due_date[i] - today).days)
            lines.append(f"  #{due.id[i]:<4} {days:<12} {due.title[i]}{who}{goals}")
        if not rows:
            lines.append("  nothing")
    lines.append(f"\nGoing cold ({len(agenda.going_cold)})")
    for c in agenda.going_cold:
        # The review's warmth words: due, cold or never contacted.
        said = warmth_label(c.last_contacted, c.cadence_days, today)
        if c.last_contacted:
            said += f", last talked {humanize_days((c.last_contacted - today).days)}"
        org = f" ({c.organization})" if c.organization else ""
        every = plural(c.cadence_days or 0, "day")
        lines.append(f"  #{c.id:<4} {c.name}{org}: {said}, every {every}")
    if not agenda.going_cold:
        lines.append("  nobody")
    click.echo("\n".join(lines))


@click.command()
@click.option(
    "--days",
    default=7,
    show_default=True,
    type=DAYS,
    help="How far ahead counts as due.",
)
@json_option
@reads_db_plainly("as_json")
def today(days: int, as_json: bool) -> None:
    """What is overdue, due soon, or going cold."""
    if as_json:
        from rapport.services.agenda import today_agenda

        print_json(_agenda_json(today_agenda(days=days)))
    else:
        from rapport.services.agenda import agenda_columns

        print_agenda(agenda_columns(days=days))


@click.command()
@click.argument("destination", required=False, type=GivenPath(path_type=Path))
@click.option("--force", is_flag=True, help="Replace DESTINATION if it exists.")
@click.pass_context
@needs_db
def backup(ctx: click.Context, destination: Path | None, force: bool) -> None:
    """Copy the database safely, even while the app is open.

    Without DESTINATION the copy goes to the backups folder beside the
    database, timestamped; a DESTINATION that exists is left alone unless
    --force.
    """
    from rapport.db import backup_database

    if destination is not None and str(destination) == "-":
        # Where every -o takes "-" for standard output; a database copy is no text.
        raise click.BadParameter(
            "'-' would be standard output, and a backup is a database file: "
            "give a file (./- for one named '-')",
            param_hint="DESTINATION",
        )
    state = ctx.find_object(State)
    assert state is not None and state.opened is not None
    written = backup_database(state.opened, destination, replace=force)
    click.echo(f"Backed up to {written}")


def _launch(db_path: Path) -> None:
    """Open the terminal app on ``db_path``; without it, print today's agenda.

    The app is started by the program's launcher (rapport.__main__); the
    command line run on its own (from Python, in tests) has none.
    """
    state = click.get_current_context().find_object(State)
    launch_app = state.launch_app if state is not None else None
    if launch_app is None or not launch_app(db_path):
        from rapport.services.agenda import agenda_columns

        print_agenda(agenda_columns())


@click.command("open", hidden=True)
@click.pass_context
@needs_db
def open_app(ctx: click.Context) -> None:
    """Open the terminal app."""
    state = ctx.find_object(State)
    assert state is not None and state.opened is not None
    _launch(state.opened)


def _exit_on_signal(number: int, frame: object) -> None:
    raise SystemExit(128 + number)


@click.command()
@click.option(
    "--keep", is_flag=True, help="Keep the demo database afterwards (its path is printed)."
)
def demo(keep: bool) -> None:
    """Open rapport on a copy of the sample network.

    Your own database is not touched; the copy is deleted afterwards
    unless --keep is given.
    """
    # What the demo alone uses (`today` and `search` share this module).
    import shutil
    import signal
    import tempfile

    from rapport.db import close_database, open_database
    from rapport.services.sample import load_sample_network

    folder = Path(tempfile.mkdtemp(prefix="rapport-demo-"))
    # Closing the terminal (SIGHUP) or being told to stop (SIGTERM) must still
    # remove the copy: it is personal-looking data in /tmp.
    for number in (signal.SIGHUP, signal.SIGTERM):
        signal.signal(number, _exit_on_signal)
    try:
        path = open_database(folder / "rapport.db")
        load_sample_network()
        _launch(path)
    finally:
        close_database()
        kept = folder / "rapport.db"
        if keep:
            click.echo(
                f"The demo database is kept at {kept}\nTry: rapport --db {kept} contacts list"
            )
        else:
            # The demo's database, its WAL and its backups folder.
            shutil.rmtree(folder, ignore_errors=True)
