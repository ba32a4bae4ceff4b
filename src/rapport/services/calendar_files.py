"""Calendar files in and out: services choose and store, rapport.calendar writes and reads.

The faces call these; the format modules import icalendar, so they are
imported inside each function (start-up time is a feature).  The export
reads its follow-ups through rapport.services.calendar, handed to the format
as its source: the format never reaches the database itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rapport.calendar.items import (
    ACTION_WORDS,
    ExportOptions,
    ExportSummary,
    ImportSummary,
    summary_line,
)
from rapport.errors import ImportFailed, ValidationError
from rapport.models import SyncState, database
from rapport.services import calendar as followup_source
from rapport.services.calendar import import_events

__all__ = [
    "ACTION_WORDS",
    "ExportOptions",
    "ExportSummary",
    "ImportSummary",
    "export_file",
    "export_followups_file",
    "export_vdir",
    "import_ics_bytes",
    "import_ics_file",
    "render_calendar",
    "summary_line",
]


def render_calendar(options: ExportOptions) -> tuple[bytes, ExportSummary]:
    """The whole export as one calendar (bytes), and what it holds.

    Raises ValidationError/NotFound/Ambiguous for bad options.
    """
    from rapport.calendar import export

    return export.render_calendar(followup_source, options)


def export_file(path: Path, options: ExportOptions | None = None) -> ExportSummary:
    """Write the export to ``path`` atomically (mode 0600); the old file survives a failure.

    With ``options.sync`` the earlier export at ``path`` says which follow-ups
    calendars already know, so those done or deleted since are cancelled.
    """
    from rapport.calendar import export

    return export.export_file(followup_source, Path(path), options or ExportOptions())


def export_followups_file(path: Path) -> ExportSummary:
    """The app's export: open follow-ups as VEVENTs with the default alarms, to ``path``."""
    return export_file(Path(path), ExportOptions())


def export_vdir(folder: Path, options: ExportOptions | None = None) -> ExportSummary:
    """Mirror the export into ``folder`` as one ``UID.ics`` per follow-up (a vdir).

    Changed files are rewritten (atomically), unchanged ones left alone, and
    the files of follow-ups no longer exported (deleted ones always) are
    removed, so vdirsyncer carries each change to a CalDAV server.  Files that
    are not rapport's follow-ups are never touched.
    """
    from rapport.calendar import export

    options = options or ExportOptions()
    # One snapshot: the export reads what changed, then those follow-ups in full.
    with database.atomic():
        synced = _synced_files(Path(folder), options)
        return export.export_vdir(followup_source, Path(folder), options, synced)


_KIND_WORDS = {"todo": "tasks", "event": "events"}


def _synced_files(folder: Path, options: ExportOptions) -> dict[str, str] | None:
    """File name -> content hash of each file the last ``rapport sync`` of ``folder``
    left there; None when no sync keeps that folder.  Raises ValidationError when it
    keeps it as the other kind: tasks written over as events (or the other way
    round) would read to the next sync as deleted on the phone."""
    key = str(folder.expanduser().resolve())
    rows = (
        SyncState.select(SyncState.kind, SyncState.href, SyncState.hash)
        .where((SyncState.vdir == key) & SyncState.kind.in_(tuple(_KIND_WORDS)))
        .tuples()
    )
    synced: dict[str, str] = {}
    kinds: set[str] = set()
    for kind, href, digest in rows:
        kinds.add(kind)
        synced[href] = digest
    if not kinds:
        return None
    kind = "todo" if options.todo else "event"
    if kind not in kinds:
        other = _KIND_WORDS[next(iter(kinds))]
        hint = "add --todo" if options.todo is False else "leave out --todo"
        raise ValidationError(
            "--todo", f"{folder} is synced with your phone as {other}; {hint}, or run rapport sync"
        )
    return synced


def import_ics_file(
    path: Path, *, goals: Sequence[object] = (), dry_run: bool = False
) -> ImportSummary:
    """Import the VEVENTs of the calendar file at ``path``.

    Raises ImportFailed (nothing written) for an unreadable, non-iCalendar,
    truncated or broken file; NotFound/Ambiguous for a goal.
    """
    from rapport.reading import read_at_most

    try:
        data = read_at_most(Path(path))  # refuses a file larger than any calendar export
    except OSError as exc:
        raise ImportFailed(f"cannot read {path}: {exc.strerror or exc}") from None
    return import_ics_bytes(data, source=str(path), goals=goals, dry_run=dry_run)


def import_ics_bytes(
    data: bytes, *, source: str, goals: Sequence[object] = (), dry_run: bool = False
) -> ImportSummary:
    """Import the VEVENTs of calendar data; ``source`` names it in messages."""
    from rapport.calendar.import_ import read_events

    items, ignored, warnings = read_events(data, source=source)
    summary = import_events(items, goals=goals, dry_run=dry_run, ignored=ignored)
    summary.warnings.extend(warnings)
    return summary
