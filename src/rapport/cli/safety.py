"""``rapport backups`` and ``rapport restore``: where the backups are, and putting one back."""

from __future__ import annotations

from pathlib import Path

import click

from rapport.cli._shared import (
    State,
    announce_backup,
    announce_no_backup,
    confirm,
    json_option,
    print_json,
    table,
    yes_option,
)


def _database(ctx: click.Context) -> Path:
    from rapport.db import refuse_not_a_file, resolve_path

    state = ctx.find_object(State)
    assert state is not None, "the rapport group sets State"
    path = resolve_path(state.db_path)
    refuse_not_a_file(path)
    return path


@click.command("backups")
@json_option
@click.pass_context
def backups(ctx: click.Context, as_json: bool) -> None:
    """List the backups of the database, oldest first, and where they are.

    rapport backs the database up the first time it is opened each day and
    before upgrading or restoring it, keeping the last few of each; the ones
    `rapport backup` writes stay until you delete them.
    """
    from rapport.backups import KEEP, backups_folder, list_backups

    database = _database(ctx)
    found = list_backups(database)
    if as_json:
        print_json(
            [
                {
                    "path": str(b.path),
                    "taken": b.taken.isoformat(),
                    "reason": b.reason,
                    "bytes": b.size,
                }
                for b in found
            ]
        )
        return
    kept = ", ".join(f"{n} {reason}" for reason, n in KEEP.items())
    click.echo(f"Backups of {database} are in {backups_folder(database)} (kept: {kept}).")
    table(
        ["TAKEN", "WHY", "SIZE", "FILE"],
        [(f"{b.taken:%Y-%m-%d %H:%M}", b.reason, _size(b.size), b.path.name) for b in found],
        empty="No backups yet.",
    )


def _size(n: int) -> str:
    for unit in ("B", "KB", "MB"):
        if n < 1024:
            return f"{n:.0f} {unit}"
        n //= 1024
    return f"{n} GB"


@click.command("restore")
@click.argument("backup", type=click.Path(path_type=Path, dir_okay=False))
@yes_option
@click.pass_context
def restore(ctx: click.Context, backup: Path, yes: bool) -> None:
    """Replace the database with BACKUP, keeping the database it replaces.

    BACKUP is checked first (SQLite's integrity check, and that this rapport
    can open it); nothing is replaced unless it passes.  An older backup is
    upgraded after the restore.
    """
    from rapport.backups import check_restorable, restore_database
    from rapport.db import close_database, open_database

    database = _database(ctx)
    version = check_restorable(backup)
    click.echo(f"{backup} passes the integrity check (schema {version}).")
    if database.exists():
        confirm(f"Replace {database} with it? (the current one is kept as a backup)", yes)
    restored = restore_database(backup, database)
    open_database(database, on_backup=announce_backup, on_backup_failed=announce_no_backup)
    close_database()
    click.echo(f"Restored {database} from {backup}.")
    if restored.kept is not None:
        click.echo(f"The database it replaced is kept at {restored.kept}")
