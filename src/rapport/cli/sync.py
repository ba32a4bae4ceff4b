"""``rapport sync``: follow-ups both ways with your phone, through a vdir and vdirsyncer.

icalendar is loaded by the services inside each command, not here, so
``rapport --help`` and every other command start without it.
"""

from __future__ import annotations

import shlex
from pathlib import Path

import click

from rapport.cli._shared import State, json_option, needs_db, print_json, table
from rapport.words import plural


def echo_changes(changes: list, *, words: dict[str, str]) -> None:
    """The changes a sync made, one line each, for the person to read."""
    shown = [c for c in changes if c.what != "sent" or c.detail != "new"]
    if shown:
        table(
            ["WHAT", "ITEM", "DETAIL"],
            [(words.get(c.what, c.what), c.title, c.detail) for c in shown],
        )


@click.group(invoke_without_command=True)
@click.option("--dry-run", is_flag=True, help="Show what would come in and go out; change nothing.")
@click.option("--no-new", is_flag=True, help="Leave tasks and cards made elsewhere out.")
@json_option
@click.pass_context
def sync(ctx: click.Context, dry_run: bool, no_new: bool, as_json: bool) -> None:
    """Sync follow-ups and contacts with your phone (through vdirs and vdirsyncer)."""
    if ctx.invoked_subcommand is not None:
        return
    ctx.invoke(run_sync, dry_run=dry_run, no_new=no_new, as_json=as_json)


@needs_db
def run_sync(dry_run: bool, no_new: bool, as_json: bool) -> None:
    # icalendar is heavy; the services load it when a vdir is read.
    from rapport.services.sync import CHANGE_WORDS
    from rapport.services.sync_round import run_round

    report = run_round(dry_run=dry_run, take_new=not no_new)
    if as_json:
        print_json(report.as_json())
        return
    echo_changes([c for p in report.passes for c in p.changes], words=CHANGE_WORDS)
    click.echo(report.words())


@sync.command("init")
@click.option("--url", required=True, help="Your CalDAV server's address (https://...).")
@click.option("--user", required=True, help="Your user name on it.")
@click.option(
    "--password-command",
    default="pass show caldav",
    show_default=True,
    metavar="COMMAND",
    help="A command that prints the password (vdirsyncer runs it; nobody stores it).",
)
@click.option("--force", is_flag=True, help="Replace config files that exist.")
@click.pass_context
def init(ctx: click.Context, url: str, user: str, password_command: str, force: bool) -> None:
    """Write a starter vdirsyncer config and rapport's [sync] settings."""
    from rapport.db import keep_files_of, resolve_path
    from rapport.services.sync_round import init_vdirsyncer

    # The database is not opened (nothing of it is needed), but no config goes over it.
    state = ctx.find_object(State)
    assert state is not None, "the rapport group sets State"
    keep_files_of(resolve_path(state.db_path))

    vdirsyncer_config, ours = init_vdirsyncer(
        url, user, password_command=password_command, force=force
    )
    click.echo(f"Wrote {vdirsyncer_config} and {ours}.")
    click.echo(
        "Next: vdirsyncer -c "
        + shlex.quote(str(vdirsyncer_config))
        + " discover rapport, then rapport sync"
    )


@sync.command("deleted")
@click.option(
    "--delete", "delete_ids", multiple=True, metavar="ID", help="Delete follow-up ID too."
)
@click.option(
    "--restore", "restore_ids", multiple=True, metavar="ID", help="Send follow-up ID again."
)
@click.option("--archive", "archive_ids", multiple=True, metavar="ID", help="Archive contact ID.")
@click.option(
    "--restore-card", "card_ids", multiple=True, metavar="ID", help="Send contact ID's card again."
)
@needs_db
def deleted(
    delete_ids: tuple[str, ...],
    restore_ids: tuple[str, ...],
    archive_ids: tuple[str, ...],
    card_ids: tuple[str, ...],
) -> None:
    """List what was deleted elsewhere; delete, archive or restore each."""
    from rapport.services.sync import deleted_elsewhere
    from rapport.services.sync_contacts import cards_deleted_elsewhere, resolve_everything_deleted

    if delete_ids or restore_ids or archive_ids or card_ids:
        resolve_everything_deleted(
            delete=delete_ids, restore=restore_ids, archive=archive_ids, restore_cards=card_ids
        )
        click.echo(
            f"{plural(len(delete_ids), 'follow-up')} deleted, "
            f"{plural(len(archive_ids), 'contact')} archived, "
            f"{len(restore_ids) + len(card_ids):,} to be sent again at the next sync"
        )
        return
    rows = [
        ("follow-up", str(r.followup_id), r.title, Path(r.vdir).name) for r in deleted_elsewhere()
    ]
    rows += [
        ("contact", str(i), name, Path(vdir).name) for i, name, vdir in cards_deleted_elsewhere()
    ]
    if not rows:
        click.echo("Nothing deleted elsewhere is waiting for you.")
        return
    table(["WHAT", "ID", "NAME", "VDIR"], rows)
