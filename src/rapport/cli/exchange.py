"""``rapport import linkedin|vcard|csv|json``, ``rapport export vcard|csv|json``,
and ``rapport contacts merge|duplicates``.

The importers (and vobject) are imported inside each command: start-up time
is a feature, and most invocations never touch a file format.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from rapport.cli._shared import (
    GivenPath,
    confirm,
    json_option,
    needs_db,
    options,
    output_file,
    output_option,
    print_json,
    table,
    yes_option,
)
from rapport.cli.contacts import contacts
from rapport.cli.transfer import export, import_

if TYPE_CHECKING:  # the importers stay out of start-up
    from rapport.services.exchange import ImportSummary, ProgressCallback


# Options every contact import shares.
import_options = options(
    click.argument("path", type=click.Path(dir_okay=False)),
    click.option("--dry-run", is_flag=True, help="Show what would change; write nothing."),
    click.option(
        "--strict", is_flag=True, help="Import nothing if a row or value would be left out."
    ),
    click.option(
        "--encoding", metavar="NAME", help="The file's encoding if not UTF-8 (cp1252, ...)."
    ),
    json_option,
)


@contextmanager
def progress_bar(label: str) -> Iterator[ProgressCallback | None]:
    """A rich progress bar on a terminal (none when output is piped or captured)."""
    if not sys.stderr.isatty():
        yield None
        return
    # rich is imported here, not at start-up; it comes with Textual.
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    from rapport.text import unescaped

    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        transient=True,
        # The bar redraws itself with cursor moves: its words are rapport's own,
        # so it writes to the terminal itself, not through the escaping.
        console=Console(file=unescaped(sys.stdout)),
    ) as bar:
        task = bar.add_task(label, total=None)

        def report(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield report


def report(summary: ImportSummary, as_json: bool) -> None:
    if as_json:
        print_json(summary.as_dict())
        return
    if summary.dry_run:
        for change in summary.changes:
            click.echo(str(change))
    for line in summary.lines():
        click.echo(line)


def _run(label: str, call: Callable[..., ImportSummary], as_json: bool, **options: Any) -> None:
    with progress_bar(label) as progress:
        summary = call(progress=progress, **options)
    report(summary, as_json)


@import_.command("linkedin")
@import_options
@needs_db
def import_linkedin(path: str, as_json: bool, **options: Any) -> None:
    """Import LinkedIn's Connections.csv (or the ZIP LinkedIn sends you).

    Get it from LinkedIn: Settings, Data privacy, Get a copy of your data,
    Connections.  Contacts you have already are enriched, never overwritten.
    """
    from rapport.services.exchange import import_linkedin as run

    _run("LinkedIn", run, as_json, path=path, **options)


@import_.command("vcard")
@import_options
@needs_db
def import_vcard(path: str, as_json: bool, **options: Any) -> None:
    """Import a .vcf file from Google Contacts, Apple Contacts, Outlook or a phone."""
    from rapport.services.exchange import import_vcard as run

    _run("vCard", run, as_json, path=path, **options)


@import_.command("csv")
@import_options
@click.option(
    "--map",
    "mapping",
    metavar="HEADER=FIELD,...",
    help='Which column holds what, e.g. "Name=name,Employer=organization,Mail=email". '
    "Fields: name, first_name, last_name, organization, role, email, phone, linkedin, "
    "website, location, how_met, tags, notes, connected_on, birthday, ignore.",
)
@needs_db
def import_csv(path: str, as_json: bool, mapping: str | None, **options: Any) -> None:
    """Import a spreadsheet of contacts (CSV); common column names are recognized."""
    from rapport.services.exchange import import_csv as run

    _run("CSV", run, as_json, path=path, mapping=mapping, **options)


@import_.command("json")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Check the file; write nothing.")
@json_option
@needs_db
def import_json(path: str, dry_run: bool, as_json: bool) -> None:
    """Restore a `rapport export json` file into an EMPTY database (use --db NEW.db)."""
    from rapport.services.exchange import import_json as run

    _run("JSON", run, as_json, path=path, dry_run=dry_run)


# -- export ------------------------------------------------------------------------


def _output(
    text: str | Iterable[str], path: str | None, what: str, encoding: str = "utf-8"
) -> None:
    """Write an export's text, or its pieces as they are made, to ``path`` or stdout.

    The file holds what stdout would: control characters escaped (JSON's own
    escapes leave U+0080-U+009F, CSI among them, and the bidi controls as they
    are, to reach whoever cats the file), which JSON reads back as the same text.
    """
    # The pieces come from a generator reading in one transaction: when writing
    # them stops (a full disk, `| head` closing the pipe), closing it ends that
    # transaction, so the error told is the write's, not "database error:
    # Attempting to close database while transaction is open" (exit 8).
    close = getattr(text, "close", None)
    try:
        file = output_file(path)
        if file is None:
            for piece in [text] if isinstance(text, str) else text:
                click.echo(piece, nl=False)
            return
        from rapport.services.exchange import write_export
        from rapport.text import escape_controls

        shown = escape_controls(text) if isinstance(text, str) else map(escape_controls, text)
        write_export(file, shown, encoding=encoding)
    finally:
        if close is not None:
            close()
    click.echo(f"Wrote {what} to {path}", err=True)  # as typed: ./- is not -


to_file_option = output_option("Write to FILE instead of standard output", dest="path")


@export.command("vcard")
@to_file_option
@click.option(
    "--version",
    "version",
    type=click.Choice(["4.0", "3.0"]),
    default=None,
    help="vCard version of the file (default 4.0); 3.0 for older address books. "
    "A vdir's cards are always 3.0, as rapport sync writes them.",
)
@click.option(
    "--apple-birthdays",
    is_flag=True,
    help="Write a birthday without a year as 1604 with X-APPLE-OMIT-YEAR, as Apple "
    "Contacts does (other clients would show the year 1604); default: --0214 (4.0), "
    "--02-14 (3.0).",
)
@click.option(
    "--vdir",
    type=GivenPath(),
    metavar="DIR",
    help="Sync both ways with DIR, one UID.vcf per contact (for vdirsyncer, khard).",
)
@click.option(
    "--dry-run", is_flag=True, help="With --vdir: show what would change; change nothing."
)
@click.option("--no-new", is_flag=True, help="With --vdir: leave cards made elsewhere out.")
@needs_db
def export_vcard(
    path: str | None,
    version: str | None,
    apple_birthdays: bool,
    vdir: str | None,
    dry_run: bool,
    no_new: bool,
) -> None:
    """Write every contact as vCards (re-importable, readable by address books and khard)."""
    from rapport.services.exchange import export_vcard_chunks

    if vdir is not None:
        if path is not None or apple_birthdays:
            raise click.UsageError("--vdir syncs cards both ways; give it without -o FILE")
        if version is not None:
            # One version per vdir, the one `rapport sync` writes: not two kinds of card.
            raise click.UsageError(
                "--vdir writes vCard 3.0 (as rapport sync does); leave out --version"
            )
        from rapport.cli.sync import echo_changes
        from rapport.services.sync import CHANGE_WORDS
        from rapport.services.sync_contacts import sync_contacts

        report = sync_contacts(Path(vdir), dry_run=dry_run, take_new=not no_new, create=True)
        echo_changes(report.changes, words=CHANGE_WORDS)
        click.echo(f"{vdir}: {report.words()}")
        return
    version = version or "4.0"
    chunks = export_vcard_chunks(version, apple_birthdays=apple_birthdays)
    _output(chunks, path, f"vCard {version}")


@export.command("csv")
@to_file_option
@needs_db
def export_csv(path: str | None) -> None:
    """Write every contact as a spreadsheet-safe CSV file."""
    from rapport.services.exchange import export_csv as build

    # A byte order mark, so spreadsheets read the file as UTF-8.
    _output(build(), path, "CSV", encoding="utf-8-sig")


@export.command("json")
@to_file_option
@needs_db
def export_json(path: str | None) -> None:
    """Write the whole database as JSON (restore it with rapport import json)."""
    from rapport.services.exchange import export_json_chunks

    _output(export_json_chunks(), path, "the whole database as JSON")


# -- merging duplicates --------------------------------------------------------------


@contacts.command("merge")
@click.argument("keep")
@click.argument("other")
@yes_option
@needs_db
def merge(keep: str, other: str, yes: bool) -> None:
    """Merge contact OTHER into KEEP: its history moves over, then OTHER is deleted."""
    from rapport.services.contacts import contact_record
    from rapport.services.merge import merge_contacts

    kept, gone = contact_record(keep), contact_record(other)
    confirm(
        f"Merge {gone.described} into {kept.described}? Its interactions, "
        f"interviews, follow-ups, events and goal links move over and #{gone.id} is deleted.",
        yes,
    )
    result = merge_contacts(kept, gone)
    moved = ", ".join(f"{n} {what}" for what, n in sorted(result.moved.items())) or "nothing"
    filled = ", ".join(result.filled) or "nothing"
    click.echo(
        f"Merged #{result.removed_id} {result.removed_name} into #{result.kept.id} "
        f"{result.kept.name} (moved: {moved}; filled: {filled})"
    )


@contacts.command("duplicates")
@json_option
@needs_db
def duplicates(as_json: bool) -> None:
    """List pairs of contacts that look like the same person (merge them with merge)."""
    from rapport.services.merge import likely_duplicates

    pairs = likely_duplicates()
    if as_json:
        print_json(
            [
                {
                    "first": {"id": p.first.id, "name": p.first.name},
                    "second": {"id": p.second.id, "name": p.second.name},
                    "reason": p.reason,
                }
                for p in pairs
            ]
        )
        return
    table(
        ["FIRST", "SECOND", "WHY"],
        [
            (f"#{p.first.id} {p.first.name}", f"#{p.second.id} {p.second.name}", p.reason)
            for p in pairs
        ],
        empty="No likely duplicates.",
    )
    if pairs:
        a, b = pairs[0].first.id, pairs[0].second.id
        click.echo(f"\nMerge a pair with: rapport contacts merge {a} {b}")
