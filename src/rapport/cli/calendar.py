"""``rapport export ics`` and ``rapport import ics``: follow-ups out, events in.

icalendar is imported inside the commands (through rapport.services.calendar_files
and the formats it calls), not here: ``rapport --help`` and every other
command start without it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from rapport.cli._shared import GivenPath, needs_db, output_file, output_option, table
from rapport.cli.transfer import export, import_
from rapport.words import plural, rule_words


@export.command("ics")
@output_option("Write one calendar file")
@click.option(
    "--vdir",
    type=GivenPath(),
    metavar="DIR",
    help="Write one UID.ics per follow-up into DIR (for vdirsyncer, khal, todoman).",
)
@click.option("--goal", metavar="GOAL", help="Only follow-ups serving this goal.")
@click.option("--contact", metavar="CONTACT", help="Only follow-ups with this contact.")
@click.option("--from", "since", metavar="DATE", help="Only those due on or after DATE.")
@click.option("--to", "until", metavar="DATE", help="Only those due on or before DATE.")
@click.option(
    "--include-done", is_flag=True, help="Also write done and deleted ones, cancelled/completed."
)
@click.option("--todo", is_flag=True, help="Write VTODOs (tasks) instead of VEVENTs.")
@click.option(
    "--alarm",
    default="default",
    show_default=True,
    metavar="WHEN",
    help="15m, 1h, 1d before, 'none', or 'default' (at the due time; 09:00 if all-day).",
)
@click.option(
    "--sync",
    is_flag=True,
    help="Keep an earlier export up to date; with --vdir, both ways (see rapport sync).",
)
@click.option("--no-new", is_flag=True, help="With --vdir --sync: leave tasks made elsewhere out.")
@needs_db
def export_ics(
    output: str | None,
    vdir: str | None,
    goal: str | None,
    contact: str | None,
    since: str | None,
    until: str | None,
    include_done: bool,
    todo: bool,
    alarm: str,
    sync: bool,
    no_new: bool,
) -> None:
    """Export follow-ups to your calendar (.ics file or vdir)."""
    # icalendar is heavy; it is loaded only when a calendar is written.
    from rapport.services import calendar_files as calendar_export

    if (output is None) == (vdir is None):
        raise click.UsageError("give either -o FILE (or -o - for standard output) or --vdir DIR")
    options = calendar_export.ExportOptions(
        goal=goal,
        contact=contact,
        since=since,
        until=until,
        include_done=include_done,
        todo=todo,
        alarm=alarm,
        sync=sync,
    )
    kind = "tasks" if todo else "events"
    if vdir is not None and sync:
        # Both ways: what changed in DIR comes in, then rapport's changes go out.
        from rapport.cli.sync import echo_changes
        from rapport.services.sync import CHANGE_WORDS, sync_followups

        report = sync_followups(Path(vdir), options, take_new=not no_new, create=True)
        echo_changes(report.changes, words=CHANGE_WORDS)
        click.echo(f"{vdir}: {report.words()}")
        return
    if vdir is not None:
        summary = calendar_export.export_vdir(Path(vdir), options)
        click.echo(
            f"{vdir}: {plural(summary.total, 'follow-up')} as {kind} ({summary.closed} closed); "
            f"{plural(summary.written, 'file')} written, {summary.unchanged} unchanged, "
            f"{summary.removed} removed"
        )
        return
    file = output_file(output)
    if file is None:
        if sync:
            raise click.UsageError("--sync reads the earlier export; give -o FILE or --vdir DIR")
        data, summary = calendar_export.render_calendar(options)
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    summary = calendar_export.export_file(file, options)
    closed = f" ({summary.closed} cancelled or completed)" if summary.closed else ""
    click.echo(f"Wrote {plural(summary.total, 'follow-up')} as {kind} to {output}{closed}")


@import_.command("ics")
@click.argument("file", metavar="FILE")
@click.option(
    "--goal", "goals", multiple=True, metavar="GOAL", help="Link every event to GOAL (repeatable)."
)
@click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
@needs_db
def import_ics(file: str, goals: tuple[str, ...], dry_run: bool) -> None:
    """Import events from an .ics file ('-' for standard input); re-imports update by UID."""
    # icalendar is heavy; it is loaded only when a calendar is read.
    from rapport.services import calendar_files as calendar_import

    if file == "-":
        summary = calendar_import.import_ics_bytes(
            sys.stdin.buffer.read(), source="standard input", goals=goals, dry_run=dry_run
        )
    else:
        summary = calendar_import.import_ics_file(Path(file), goals=goals, dry_run=dry_run)
    changed = [e for e in summary.events if e.action != "unchanged"]
    if changed:
        table(
            ["WHAT", "EVENT", "STARTS", "REPEATS", "ATTENDEES"],
            [
                (
                    calendar_import.ACTION_WORDS.get(e.action, e.action),
                    e.name,
                    f"{e.start_date}" + (f" {e.start_time:%H:%M}" if e.start_time else ""),
                    rule_words(e.rrule),
                    ", ".join(e.attendees),
                )
                for e in changed
            ],
        )
    click.echo(calendar_import.summary_line(summary))
