"""Follow-ups as iCalendar: one .ics file, or a vdir of one file per follow-up.

Each follow-up is a VEVENT with a VALARM (what Google, Apple and Outlook
import) or, with ``todo``, a VTODO with DUE and STATUS (what task apps read).
Its UID never changes and its SEQUENCE grows with every change, so importing
a newer export updates a calendar instead of duplicating it.  Done and
deleted follow-ups are written as CANCELLED (VEVENT) or COMPLETED/CANCELLED
(VTODO) when asked, or when ``sync`` keeps an earlier export up to date.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import importlib.util
import os
import re
import zoneinfo
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from rapport import clock
from rapport.calendar import vdir_cache, writer
from rapport.calendar.entries import (
    PRODID,
    RECURRING_YEARS,
    description_text,
    parse_alarm,
    summary_text,
    zone,
)
from rapport.calendar.items import (
    CalendarFollowUp,
    DeletedFollowUp,
    EntryInputs,
    ExportOptions,
    ExportSummary,
    FollowUpSource,
    KnownTouches,
    LastTouch,
)
from rapport.errors import Conflict, RapportError
from rapport.files import private_folder, write_private, write_private_files
from rapport.heap import collector_paused

__all__ = [
    "description_text",
    "export_file",
    "export_vdir",
    "parse_alarm",
    "render_calendar",
    "summary_text",
    "vdir_filename",
]

# A done or deleted follow-up is cancelled in a --sync export for this long
# after it closed, so a calendar imported only now and then still hears of it.
KEEP_CLOSED = dt.timedelta(days=30)


@dataclass(frozen=True)
class _Previous:
    """An entry of an earlier export: its UID, whether it was closed, its SEQUENCE."""

    closed: bool
    sequence: int


@dataclass
class _Selection:
    followups: list[CalendarFollowUp] = field(default_factory=list)
    deleted: list[DeletedFollowUp] = field(default_factory=list)


# -- choosing what to write ----------------------------------------------------


def _closed_recently(closed_at: dt.datetime | None) -> bool:
    return closed_at is not None and clock.utcnow() - closed_at <= KEEP_CLOSED


def _select(
    source: FollowUpSource,
    options: ExportOptions,
    previous: dict[str, _Previous],
    uids: Sequence[str] | None = None,
    touches: KnownTouches | None = None,
) -> _Selection:
    # ``uids``: of what the options select, only these (read in full by UID);
    # ``touches``: the last touches a lean read of this snapshot already found.
    chosen = _Selection(
        source.followups_for_calendar(
            goal=options.goal,
            contact=options.contact,
            since=options.since,
            until=options.until,
            include_done=options.include_done,
            touches=touches,
        )
        if uids is None
        else source.followups_by_uid(uids, touches=touches)
    )
    if options.include_done and options.goal is None and options.contact is None:
        # A deleted follow-up has lost its links, so only the dates can select it.
        chosen.deleted = source.deleted_followups(since=options.since, until=options.until)
    if options.sync and previous:
        taken = {c.followup.uid for c in chosen.followups} | {d.uid for d in chosen.deleted}
        rest = [uid for uid in previous if uid not in taken]

        def announce(uid: str, sequence: int, closed_at: dt.datetime | None) -> bool:
            # Tell calendars once it closed, and keep telling them for a while.
            before = previous[uid]
            return not before.closed or before.sequence < sequence or _closed_recently(closed_at)

        for item in source.followups_by_uid(rest):
            f = item.followup
            if not f.done or announce(f.uid, f.sequence, f.done_at):
                chosen.followups.append(item)
        for gone in source.deleted_followups(uids=rest):
            if announce(gone.uid, gone.sequence, gone.deleted_at):
                chosen.deleted.append(gone)
        chosen.followups.sort(
            key=lambda c: (c.followup.due_date, c.followup.due_time or dt.time.min, c.followup.id)
        )
    return chosen


# -- building components -------------------------------------------------------


# -- reading an earlier export -------------------------------------------------

_UNFOLD = re.compile(r"\r?\n[ \t]")


def _peek(text: str) -> dict[str, _Previous]:
    """UID, STATUS and SEQUENCE of each VEVENT/VTODO in rapport's own output."""
    found: dict[str, _Previous] = {}
    for block in re.findall(
        r"^BEGIN:(?:VEVENT|VTODO)\r?$(.*?)^END:(?:VEVENT|VTODO)\r?$",
        _UNFOLD.sub("", text),
        flags=re.MULTILINE | re.DOTALL,
    ):
        props: dict[str, str] = {}
        for line in block.splitlines():
            name, _, value = line.partition(":")
            props.setdefault(name.split(";")[0].upper(), value.strip())
        if props.get("UID"):
            status = props.get("STATUS", "").upper()
            sequence = props.get("SEQUENCE", "0")
            found[props["UID"]] = _Previous(
                status in ("CANCELLED", "COMPLETED"), int(sequence) if sequence.isdigit() else 0
            )
    return found


def _previous_file(path: Path, *, sync: bool) -> dict[str, _Previous]:
    if not sync or not path.exists():
        return {}
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise RapportError(f"cannot read {path}: {exc.strerror or exc}") from None
    if not text.lstrip("\ufeff").startswith("BEGIN:VCALENDAR"):
        raise RapportError(
            f"{path} is not an iCalendar file; --sync updates an earlier export and "
            "will not overwrite it"
        )
    return _peek(text)


# -- writing ---------------------------------------------------------------------


def render_calendar(
    source: FollowUpSource,
    options: ExportOptions,
    *,
    previous: dict[str, _Previous] | None = None,
) -> tuple[bytes, ExportSummary]:
    """The whole export of ``source``'s follow-ups as one calendar (bytes), and what it holds.

    Raises ValidationError/NotFound/Ambiguous for bad options.
    """
    alarm = parse_alarm(options.alarm)
    stamp = clock.utcnow()
    with collector_paused():
        chosen = _select(source, options, previous or {})
        entries = [
            writer.followup_entry(c, todo=options.todo, alarm=alarm, stamp=stamp)
            for c in chosen.followups
        ]
        entries.extend(
            writer.deleted_entry(d, todo=options.todo, stamp=stamp) for d in chosen.deleted
        )
        data = writer.calendar(entries, name=options.name, method=True)
    closed = sum(1 for c in chosen.followups if c.followup.done) + len(chosen.deleted)
    return data, ExportSummary("-", len(entries) - closed, closed)


def export_file(source: FollowUpSource, path: Path, options: ExportOptions) -> ExportSummary:
    """Write the export to ``path`` atomically (mode 0600); the old file survives a failure.

    With ``options.sync`` the earlier export at ``path`` says which follow-ups
    calendars already know, so those done or deleted since are cancelled.
    """
    path = Path(path)
    data, summary = render_calendar(
        source, options, previous=_previous_file(path, sync=options.sync)
    )
    write_private(path, data)
    return ExportSummary(str(path), summary.open, summary.closed)


_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9@._+-]{0,200}$")


def _read_or_empty(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise RapportError(f"cannot read {path}: {exc.strerror or exc}") from None


def _listed(folder: Path) -> list[str]:
    try:
        return os.listdir(folder)
    except OSError as exc:
        raise RapportError(f"cannot read {folder}: {exc.strerror or exc}") from None


def vdir_filename(uid: str) -> str:
    """The file a UID lives in inside a vdir: the UID itself when it is a safe name."""
    if _SAFE_NAME.match(uid):
        return f"{uid}.ics"
    return hashlib.sha256(uid.encode("utf-8")).hexdigest()[:40] + ".ics"


# -- a vdir kept up to date ------------------------------------------------------


def vdir_file(entry: writer.Entry) -> bytes:
    """A vdir file: one entry in a calendar of its own, with no METHOD (RFC 4791 4.1)."""
    return writer.calendar([entry], name="", method=False)


@functools.lru_cache(maxsize=64)
def _zone_digest(tz: str, first_year: int, last_year: int) -> str:
    """A digest of what the zone's VTIMEZONE is made from: its name and years, its rules
    in the tz database and the icalendar that builds it.  A new tz database changes
    the files; knowing that builds nothing (icalendar is not even imported)."""
    found = zone(tz)
    name = getattr(found, "key", None) or str(found)
    made_of = repr((name, first_year, last_year)).encode()
    return hashlib.sha256(made_of + _zone_rules(name) + _icalendar_version()).hexdigest()


def _zone_rules(name: str) -> bytes:
    # Where zoneinfo reads the zone: the first TZPATH folder holding it, else tzdata.
    for base in zoneinfo.TZPATH:
        path = os.path.join(base, name)
        if os.path.isfile(path):
            with open(path, "rb") as file:
                return file.read()
    try:
        return resources.files("tzdata").joinpath("zoneinfo", *name.split("/")).read_bytes()
    except (ImportError, OSError):
        return b""


@functools.lru_cache(maxsize=1)
def _icalendar_version() -> bytes:
    # Its _version.py, found without importing it (nor importlib.metadata: 30 ms).
    spec = importlib.util.find_spec("icalendar")
    if spec is None or spec.origin is None:
        return b""
    try:
        return Path(spec.origin).with_name("_version.py").read_bytes()
    except OSError:
        return b""


def _entry_key(entry: EntryInputs, context: bytes) -> str:
    """A digest of everything a follow-up's vdir file is made from: equal digests,
    equal bytes, so an unchanged follow-up is not built and serialized again.

    ``entry`` holds every stored value writer.followup_entry and writer.calendar read
    (the source's followup_inputs says so), ``context`` the options, rapport's
    version and the local zone; the time zone's rules are added here.
    """
    zone = ""
    if entry.timed:
        recurring = bool(entry.rrule) and not entry.closed
        first = int(entry.due_date[:4])
        zone = _zone_digest(entry.tz, first, first + (RECURRING_YEARS if recurring else 1) + 1)
    text = repr((entry.uid, entry.sequence, entry.closed, entry.values, zone))
    return hashlib.sha256(context + text.encode("utf-8", "surrogateescape")).hexdigest()


def _refuse_changed_elsewhere(
    folder: Path,
    files: Mapping[str, tuple[bytes | None, dict[str, _Previous]]],
    synced: Mapping[str, str],
    touched: Sequence[str],
) -> None:
    """Raise Conflict if a file this export would rewrite or remove changed elsewhere
    since the last sync: read (no earlier export vouched for it, so it was not
    written by one) and not what the sync left there."""
    elsewhere = [
        name
        for name in touched
        if (data := files.get(name, (None, {}))[0]) is not None
        and synced.get(name) != vdir_cache.content_hash(data)
    ]
    if elsewhere:
        what = "file" if len(elsewhere) == 1 else "files"
        raise Conflict(
            f"{folder}: {len(elsewhere)} {what} changed elsewhere since the last sync "
            f"(such as {elsewhere[0]}); run rapport sync (or this export with --sync) to "
            "take them in: a plain export would overwrite them"
        )


def _refuse_leaving_out(folder: Path, options: ExportOptions, removing: Sequence[str]) -> None:
    """Raise Conflict if a filtered export would remove files from a folder ``rapport
    sync`` keeps: the next sync would list those follow-ups as deleted elsewhere, and
    a ``vdirsyncer sync`` run alone would delete them from the phone.  (Into a folder
    made again empty, a filtered export removes nothing: the sync sends the rest.)"""
    given = " and ".join(options.filters())
    if given and removing:
        raise Conflict(
            f"{folder} is synced with your phone and holds all your follow-ups: an export "
            f"with {given} would remove {len(removing)} of them from it; export without "
            f"{given}, or into another folder"
        )


def export_vdir(
    source: FollowUpSource,
    folder: Path,
    options: ExportOptions,
    synced: Mapping[str, str] | None = None,
) -> ExportSummary:
    """Mirror the export into ``folder`` as one ``UID.ics`` per follow-up (a vdir).

    Changed files are rewritten (atomically), unchanged ones left alone, and
    the files of follow-ups no longer exported (deleted ones always) are
    removed, so vdirsyncer carries each change to a CalDAV server.  Files that
    are not rapport's follow-ups are never touched.

    ``synced`` (file name -> content hash at the last two-way sync) says the
    folder is one ``rapport sync`` keeps: then a file to rewrite or remove that
    is neither what that sync left nor what an export wrote since was changed
    elsewhere (the phone, through vdirsyncer), and Conflict is raised before
    anything is written: only a sync takes that change in.  Conflict too, before
    anything is written, when a filtered export would remove files from it.
    """
    folder = private_folder(Path(folder))
    alarm = parse_alarm(options.alarm)
    # What the last export wrote here, for files nobody has touched since: an
    # unchanged follow-up is then neither built, serialized nor read back.
    recorded = {} if options.sync else vdir_cache.recorded(folder)
    state = dict(recorded)
    context = repr((PRODID, options.todo, alarm, options.name, clock.local_zone_name())).encode()
    files: dict[str, tuple[bytes | None, dict[str, _Previous]]] = {}
    signatures: dict[str, tuple[int, int, int] | None] = {}
    # Names, not Path objects (what folder.glob("*.ics") finds): 5,000 of them,
    # each put after the folder's path as text (os.path.join took 2 us a name).
    where = os.path.join(folder, "")
    for name in sorted(n for n in _listed(folder) if n.endswith(".ics")):
        signatures[name] = signature = vdir_cache.signature(where + name)
        known = state.get(name)
        if known is not None and signature is not None and list(signature) == known[4]:
            files[name] = (None, {known[0]: _Previous(bool(known[2]), int(known[3]))})
            continue
        state.pop(name, None)
        path = folder / name
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise RapportError(f"cannot read {path}: {exc.strerror or exc}") from None
        files[path.name] = (data, _peek(data.decode("utf-8", errors="replace")))
    previous = {uid: state for _, peeked in files.values() for uid, state in peeked.items()}
    unchanged = closed = 0
    kept: dict[str, list[Any]] = {}
    keys: dict[str, str] = {}
    build: list[str] | None = None  # None: every follow-up the options select
    touches: dict[int, LastTouch | None] = {}
    if not options.sync:
        # First what each file is made from, in one lean read; only the follow-ups
        # whose digest or file differ from the last export's are read in full.
        build = []
        for inputs in source.followup_inputs(
            goal=options.goal,
            contact=options.contact,
            since=options.since,
            until=options.until,
            include_done=options.include_done,
        ):
            name = vdir_filename(inputs.uid)
            key = keys[inputs.uid] = _entry_key(inputs, context)
            if inputs.contact_id is not None:
                touches[inputs.contact_id] = inputs.last_touch
            if name in files and files[name][0] is None and state[name][1] == key:
                unchanged += 1  # the file is what this same entry made last time
                closed += inputs.closed
                kept[name] = [inputs.uid, key, inputs.closed, inputs.sequence, state[name][4]]
            else:
                build.append(inputs.uid)
        if not kept:
            build = None  # nothing vouched for: read them all at once, in their order
    chosen = _select(source, options, previous, build, touches)
    chosen_deleted = chosen.deleted
    chosen.deleted = []  # in a vdir a deletion is a removed file, not a cancelled entry
    changed: list[tuple[Path, bytes]] = []
    with collector_paused():
        for entry in chosen.followups:
            f = entry.followup
            name = vdir_filename(f.uid)
            is_closed = bool(f.done)
            closed += is_closed
            kept[name] = [f.uid, keys.get(f.uid, ""), is_closed, f.sequence, None]
            data = vdir_file(
                writer.followup_entry(entry, todo=options.todo, alarm=alarm, stamp=None)
            )
            on_disk = files.get(name, (b"", {}))[0]
            if on_disk is None:  # not read, as the state vouched for it; its entry changed
                on_disk = _read_or_empty(folder / name)
            if on_disk == data:
                unchanged += 1
                kept[name][4] = signatures.get(name)
            else:
                changed.append((folder / name, data))
    # Only files no longer exported may go: whether they are rapport's is asked of those alone.
    leaving = {uid for name, (_, peeked) in files.items() if name not in kept for uid in peeked}
    ours = (source.known_followup_uids(leaving) if leaving else set()) | {
        d.uid for d in chosen_deleted
    }
    removing = [
        name
        for name, (_, peeked) in files.items()
        if name not in kept and peeked and set(peeked) <= ours
    ]
    if synced is not None:
        _refuse_leaving_out(folder, options, removing)
        _refuse_changed_elsewhere(folder, files, synced, [p.name for p, _ in changed] + removing)
    # One flush for the whole folder, not an fsync per file (5,000 of them).
    written = write_private_files(changed)
    for path, _ in changed:
        kept[path.name][4] = vdir_cache.signature(path)
    removed = 0
    for name in removing:
        try:
            (folder / name).unlink()
        except OSError as exc:
            raise RapportError(f"cannot remove {folder / name}: {exc.strerror or exc}") from None
        removed += 1
    remembered = {name: [*value[:4], list(value[4])] for name, value in kept.items() if value[4]}
    if not options.sync and remembered != recorded:  # nothing to flush when nothing changed
        vdir_cache.remember(folder, remembered)
    return ExportSummary(
        str(folder),
        len(kept) - closed,
        closed,
        written=written,
        unchanged=unchanged,
        removed=removed,
    )
