"""What the follow-up and contact vdir syncs share: the report, the per-item record, the merge.

A sync of one vdir tells what it did in a SyncReport (in words for people,
as JSON for scripts).  Per item the sync record (rapport.models.SyncState)
keeps the hash of the file and both sides' fields at the last sync; it is
read as plain values (SavedState) and written in batches (StateRows).
``merge_fields`` decides, field by field, which side's value wins.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections import Counter
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from dateutil.parser import isoparse
from peewee import Value

from rapport import clock
from rapport.calendar.vdir import BadItem, content_hash, read_item
from rapport.errors import NotFound, RapportError
from rapport.files import write_private
from rapport.models import SyncState
from rapport.text import without_controls

# How a sync says how far it is, as it goes: (what it is doing, items done,
# items in all; 0 in all when it cannot count).  Called on the thread the
# sync runs on; a face passes it on to its own (the app's status line).
Progress = Callable[[str, int, int], None]
# Items decided between two calls of Progress: often enough for a bar to
# move, rarely enough to cost nothing next to deciding them.
PROGRESS_EVERY = 100


def silent(what: str, done: int, total: int) -> None:
    """The Progress of a sync nobody watches."""


def told(items: Sequence[str], what: str, progress: Progress) -> Iterator[str]:
    """``items`` one by one, telling ``progress`` every PROGRESS_EVERY and at the end."""
    total = len(items)
    for done, item in enumerate(items):
        if done % PROGRESS_EVERY == 0:
            progress(what, done, total)
        yield item
    progress(what, total, total)


# What each kind of change is called in the report, in the order it is told.
CHANGE_WORDS = {
    "done": "done elsewhere",
    "reopened": "reopened elsewhere",
    "moved": "moved",
    "renamed": "renamed",
    "notes": "with new notes",
    "repeat": "repeat changed elsewhere",
    "changed": "contact changed elsewhere",
    "new": "new from elsewhere",
    "sent": "sent",
    "removed": "removed (deleted in rapport)",
    "deleted-elsewhere": "deleted elsewhere (kept; confirm with rapport sync deleted)",
    "conflict": "conflict kept in notes",
    "skipped-new": "new elsewhere, not taken (--no-new)",
    "unreadable": "unreadable file left alone",
    "mismatch": "file whose UID does not match its name, left alone",
    "duplicate": "UID in two files, left alone",
    "folder": "taken over from an earlier folder",
}
# The words of many where they differ from those of one ("2 conflicts kept").
MANY_WORDS = {
    "changed": "contacts changed elsewhere",
    "repeat": "repeats changed elsewhere",
    "conflict": "conflicts kept in notes",
    "unreadable": "unreadable files left alone",
    "mismatch": "files whose UID does not match their name, left alone",
    "duplicate": "UIDs in two files each, left alone",
}


@dataclass(frozen=True)
class SyncChange:
    """One thing a sync did (or, dry, would do) to one item."""

    what: str  # a key of CHANGE_WORDS
    uid: str
    title: str
    detail: str = ""


@dataclass
class SyncReport:
    """What a sync of one vdir did, or would do."""

    folder: str
    dry_run: bool = False
    changes: list[SyncChange] = field(default_factory=list)
    files_written: int = 0
    files_removed: int = 0
    rows_written: int = 0

    def count(self, what: str) -> int:
        return sum(1 for c in self.changes if c.what == what)

    def add(self, what: str, uid: str, title: str, detail: str = "") -> None:
        self.changes.append(SyncChange(what, uid, title, detail))

    def words(self) -> str:
        """'2 done elsewhere, 1 moved, 3 sent, 1 conflict kept in notes', or 'nothing changed'."""
        counts = Counter(c.what for c in self.changes)
        parts = [
            f"{counts[w]} {words if counts[w] == 1 else MANY_WORDS.get(w, words)}"
            for w, words in CHANGE_WORDS.items()
            if counts[w]
        ]
        text = ", ".join(parts) if parts else "nothing changed"
        return ("Dry run, nothing written: would be " + text) if self.dry_run else text

    def as_json(self) -> dict[str, Any]:
        return {
            "folder": self.folder,
            "dry_run": self.dry_run,
            "files_written": self.files_written,
            "files_removed": self.files_removed,
            "rows_written": self.rows_written,
            "changes": [
                {"what": c.what, "uid": c.uid, "title": c.title, "detail": c.detail}
                for c in self.changes
            ],
        }


def merge_fields(
    names: Sequence[str],
    ours: dict[str, Any],
    theirs: dict[str, Any],
    base_ours: dict[str, Any],
    base_theirs: dict[str, Any],
    *,
    theirs_newer: bool,
    same: Callable[[str, Any, Any], bool] | None = None,
) -> tuple[dict[str, Any], set[str], list[str]]:
    """Field by field: (values to take in, names to send out, the losers of conflicts, in words).

    A field changed on one side only goes to the other.  Changed on both:
    ``done`` goes to the side that completed; any other field to the side
    changed last (``theirs_newer``), and the losing value is listed.
    ``same(name, one, other)`` says whether two values of a field are equal
    (by default, when they are equal as values).
    """
    equal = same or _equal
    take: dict[str, Any] = {}
    send: set[str] = set()
    losers: list[str] = []
    for name in names:
        if equal(name, ours[name], theirs[name]):
            continue
        changed_here = not equal(name, ours[name], base_ours.get(name))
        changed_there = not equal(name, theirs[name], base_theirs.get(name))
        if changed_there and not changed_here:
            take[name] = theirs[name]
        elif changed_here and not changed_there:
            send.add(name)
        elif changed_here and changed_there:
            theirs_win = bool(theirs[name]) if name == "done" else theirs_newer
            if theirs_win:
                take[name] = theirs[name]
                losers.append(f"{name} in rapport was: {shown(ours[name])}")
            else:
                send.add(name)
                losers.append(f"{name} elsewhere was: {shown(theirs[name])}")
    return take, send, losers


def _equal(name: str, one: Any, other: Any) -> bool:
    return bool(one == other)


def shown(value: Any) -> str:
    """A value on one line, cut at 120 characters, quoted: how a conflict's loser is
    told, in the notes and the report."""
    text = one_line(value)
    quote = '"' if "'" in text and '"' not in text else "'"
    return f"{quote}{text}{quote}"


def one_line(value: Any) -> str:
    """A value on one line, cut at 120 characters.  Control characters another
    client's text brought are dropped, as everywhere text comes in; the rest is
    kept as it reads (no backslash escapes)."""
    text = " ".join(without_controls(str(value)).split())
    return text if len(text) <= 120 else text[:119] + "…"


def checked_folder(folder: Path, *, dry_run: bool) -> Path:
    """``folder`` (``~`` expanded) if it is there and, unless dry, writable; else NotFound
    or RapportError, before anything is read or written."""
    folder = Path(folder).expanduser()
    if not folder.is_dir():
        raise NotFound(f"{folder}: no such folder; create it, or check [sync] in the config")
    if not dry_run and not os.access(folder, os.W_OK | os.X_OK):
        raise RapportError(f"{folder}: cannot write there (permission denied)")
    return folder


# The UIDs vdirsyncer uses as file names as they are (others get a made-up name).
_SAFE_UID = re.compile(r"^[A-Za-z0-9_.+@-]{1,200}$")


def name_fits_uid(name: str, uid: str, extension: str) -> bool:
    """Whether a vdir file's name fits the UID it holds.

    A UID that is a safe file name must be the name; for another (with a
    colon or a slash) vdirsyncer makes a name up, so any name fits.
    """
    return name == uid + extension if _SAFE_UID.match(uid) else True


@dataclass
class SavedState:
    """One item's sync record as read (plain values: a model per row was half of a quiet sync)."""

    id: int
    uid: str
    href: str
    hash: str
    sequence: int
    record_id: int | None
    ours: str
    theirs: str
    gone_at: dt.datetime | None

    def mark_gone(self) -> None:
        self.gone_at = clock.utcnow()
        SyncState.update(gone_at=self.gone_at).where(SyncState.id == self.id).execute()

    def forget(self) -> None:
        SyncState.delete().where(SyncState.id == self.id).execute()


def load_states(vdir: str, kind: str) -> dict[str, SavedState]:
    """The sync records of one vdir and kind, by UID."""
    columns = [getattr(SyncState, f.name) for f in fields(SavedState)]
    rows = SyncState.select(*columns).where((SyncState.vdir == vdir) & (SyncState.kind == kind))
    return {row[1]: SavedState(*row) for row in rows.tuples()}


def folder_states(
    folder: Path,
    kind: str,
    suffix: str,
    report: SyncReport,
    scope: Collection[str] | None = None,
) -> tuple[str, dict[str, SavedState]]:
    """The key the sync records of ``folder`` are kept under, and its records of ``kind``.

    The key is the folder's real path: a symlink or a relative path reaches the
    same records.  A folder with none that holds files an earlier folder was
    synced with takes over records of that folder, said in ``report``; without
    them its first sync would take every file for new and send rapport's
    values over what was changed on the phone.  Two questions, apart:

    A file here takes its record when it is what was last synced or came from
    it: the earlier folder's bytes, or the record's, or (a calendar) a
    SEQUENCE at least the record's, changed on the phone since, so the merge
    takes the phone's change and keeps rapport's.  A lower SEQUENCE is an
    older copy (a one-way export written before the phone ticked the task
    off): no record, its own SEQUENCE decides against rapport's, and
    rapport's newer state goes out.  A card carries no SEQUENCE: it takes its
    record unless both it and the earlier folder's card (still there) say
    REV and its is older.

    A file not here is taken for deleted on the phone only when this folder
    is the earlier one moved ("moved here": that one is gone and this one
    holds its files but for one in ten at most, one of a small folder), or a
    whole copy of it and the file is gone from both.  Then its record comes
    along, for an item in ``scope`` (the UIDs this sync sends out; None: every
    item), and the sync lists it as deleted elsewhere.  Otherwise (a folder
    holding part of the files: one goal's calendar exported fresh, or a move
    after many were deleted, which cannot be told from it) the record stays
    where it was and the sync sends the item here again: sent again, a
    deleted task costs the person one more delete; listed, a task that was
    never here would wait to be archived.  One already waiting for the
    person's word stays waiting.
    """
    key = str(folder.resolve())
    states = load_states(key, kind)
    if states and _made_again(folder, key):
        _start_again(folder, key, kind, suffix, report, scope)
        return key, load_states(key, kind)
    if states:
        return key, states
    hrefs = {path.name for path in folder.glob(f"*{suffix}")}
    if not hrefs:
        return key, states
    shared: Counter[str] = Counter(
        vdir
        for vdir, href in SyncState.select(SyncState.vdir, SyncState.href)
        .where((SyncState.kind == kind) & (SyncState.vdir != key))
        .tuples()
        if href in hrefs
    )
    if not shared:
        return key, states
    earlier = {vdir: _Earlier(vdir, kind, hrefs) for vdir in shared}
    # The folder this one is a move of; else the one most of whose files are here.
    chosen = max(earlier.values(), key=lambda e: (e.gone and e.whole, shared[e.vdir], e.gone))
    there = Path(chosen.vdir)
    taken = [r.id for r in chosen.rows if r.href in hrefs and chosen.descends(folder, r)]
    lacking = [
        r
        for r in chosen.missing
        if (scope is None or r.uid in scope) and not (there / r.href).exists()
    ]
    waiting = [r.id for r in lacking if r.gone_at is not None]
    if chosen.whole:
        taken += [r.id for r in lacking if r.gone_at is None]
    if chosen.gone and chosen.whole:  # moved: the records go with it
        SyncState.update(vdir=key).where(SyncState.id.in_(taken + waiting)).execute()
        report.add("folder", "", chosen.vdir, "moved here")
        return key, load_states(key, kind)
    # Both folders go on from the same record, each its own; of a gone one,
    # what waits for the person's word is listed under this folder alone.
    if chosen.gone:
        SyncState.update(vdir=key).where(SyncState.id.in_(waiting)).execute()
    else:
        taken += waiting
    columns = [f for f in SyncState._meta.sorted_fields if f.name not in ("id", "vdir")]
    SyncState.insert_from(
        SyncState.select(Value(key), *columns).where(SyncState.id.in_(taken)),
        [SyncState.vdir, *columns],
    ).execute()
    report.add("folder", "", chosen.vdir, "copied here")
    return key, load_states(key, kind)


# A folder a sync keeps holds this file: a word of its own, also kept in a sync
# record (kind FOLDER, no UID).  A folder deleted and made again at the same path
# (the same inode, as often as not) lacks it: its records are those of another.
# No client reads it: vdirsyncer, khal and todoman read *.ics and *.vcf alone.
FOLDER_MARK = ".rapport-sync"
FOLDER = "folder"


def _mark_record(key: str) -> Any:
    return (SyncState.vdir == key) & (SyncState.kind == FOLDER)


def _mark_in(folder: Path) -> str:
    try:
        return (folder / FOLDER_MARK).read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        return ""


def _made_again(folder: Path, key: str) -> bool:
    """Whether ``folder`` is not the folder last synced at its path: a mark was kept for
    it and the folder does not hold it.  A folder synced before rapport marked them
    (no mark kept) is the same one."""
    kept = SyncState.select(SyncState.hash).where(_mark_record(key)).scalar()
    return kept is not None and kept != _mark_in(folder)


def mark_folder(folder: Path, key: str) -> bool:
    """Give ``folder`` its mark (the file and its record) unless it holds the one kept;
    whether one was written.  Raises RapportError when the file cannot be written."""
    kept = SyncState.select(SyncState.hash).where(_mark_record(key)).scalar()
    if kept is not None and kept == _mark_in(folder):
        return False
    import secrets

    word = secrets.token_hex(16)
    write_private(folder / FOLDER_MARK, f"{word}\n".encode())
    SyncState.delete().where(_mark_record(key)).execute()
    SyncState.create(vdir=key, uid="", kind=FOLDER, href=FOLDER_MARK, hash=word)
    return True


def _start_again(
    folder: Path,
    key: str,
    kind: str,
    suffix: str,
    report: SyncReport,
    scope: Collection[str] | None,
) -> None:
    """The records of a folder made again at the path of one synced before, decided as
    for a folder moved there (see folder_states): a file here keeps its record when
    it is what was synced or came from it; a file not here is listed as deleted on
    the phone only when the folder holds the others but for a few (or it already
    waits for the person's word), else its record goes and the item is sent again."""
    hrefs = {path.name for path in folder.glob(f"*{suffix}")}
    earlier = _Earlier(key, kind, hrefs, gone=True)
    dropped = [
        r.id
        for r in earlier.rows
        if (r.href in hrefs and not earlier.descends(folder, r))
        or (
            r.href not in hrefs
            and r.gone_at is None
            and not (earlier.whole and (scope is None or r.uid in scope))
        )
    ]
    SyncState.delete().where(SyncState.id.in_(dropped) | _mark_record(key)).execute()
    report.add("folder", "", str(folder), "made again at its path")


@dataclass
class _Record:
    id: int
    uid: str
    href: str
    hash: str
    sequence: int
    gone_at: dt.datetime | None


# The calendar component a kind of sync record is of (a card's has none).
_COMPONENTS = {"todo": "VTODO", "event": "VEVENT"}
# A card's REV line, with or without parameters (VALUE=timestamp): its value.
_REV = re.compile(rb"^REV(?:;[^:\r\n]*)?:([^\r\n]+)", re.MULTILINE | re.IGNORECASE)


class _Earlier:
    """An earlier folder's records of one kind, against the files of the folder syncing now."""

    def __init__(self, vdir: str, kind: str, hrefs: set[str], *, gone: bool = False) -> None:
        self.vdir = vdir
        self.kind = kind
        # ``gone``: the folder at that path is not the one synced (made again there).
        self.gone = gone or not Path(vdir).exists()
        columns = [getattr(SyncState, f.name) for f in fields(_Record)]
        mine = (SyncState.vdir == vdir) & (SyncState.kind == kind)
        self.rows = [_Record(*row) for row in SyncState.select(*columns).where(mine).tuples()]
        self.missing = [r for r in self.rows if r.href not in hrefs]
        # Whether this folder holds the files there at its last sync but for the
        # few a phone deletes between two syncs (one in ten at most, one of a
        # small folder, but not all): a fresh export of one goal's follow-ups
        # lacks the other goals', most of them.  Files already gone tell nothing.
        live = sum(1 for r in self.rows if r.gone_at is None)
        lacking = sum(1 for r in self.missing if r.gone_at is None)
        self.whole = lacking < live and lacking <= max(1, live // 10)

    def descends(self, folder: Path, record: _Record) -> bool:
        """Whether this folder's file of ``record`` is what was last synced, or a change of it
        made since (not an older copy)."""
        try:
            data = (folder / record.href).read_bytes()
        except OSError:
            return False
        if content_hash(data) == record.hash:
            return True
        try:
            theirs = None if self.gone else (Path(self.vdir) / record.href).read_bytes()
        except OSError:
            theirs = None
        if data == theirs:
            return True
        component = _COMPONENTS.get(self.kind)
        if component is None:
            mine, other = _rev(data), _rev(theirs or b"")
            return mine is None or other is None or mine >= other
        try:
            item = read_item(record.href, data, kind=component)
        except BadItem:
            return True  # kept by its record, the sync leaves it alone, not overwritten
        return item is None or item.sequence >= record.sequence


def _rev(data: bytes) -> dt.datetime | None:
    """When a card says it was last changed (its REV, in UTC), if it says so readably."""
    found = _REV.search(data)
    if found is None:
        return None
    try:
        when = isoparse(found.group(1).decode("ascii", "replace").strip())
    except ValueError:
        return None
    return when.astimezone(dt.UTC).replace(tzinfo=None) if when.tzinfo else when


class StateRows:
    """Sync records to write, written together at the end: one statement per hundred rows
    (a statement each was a third of a first sync of 5,000 contacts)."""

    CHUNK = 100
    COLUMNS = (
        "kind", "record_id", "href", "hash", "sequence", "rapport_sequence",
        "ours", "theirs", "gone_at", "synced_at",
    )  # fmt: skip

    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []

    def add(self, **values: Any) -> None:
        self.rows.append({"record_id": None, "sequence": 0, "rapport_sequence": 0, **values})

    def flush(self) -> None:
        updated = [getattr(SyncState, name) for name in self.COLUMNS]
        for start in range(0, len(self.rows), self.CHUNK):
            (
                SyncState.insert_many(self.rows[start : start + self.CHUNK])
                .on_conflict(conflict_target=[SyncState.vdir, SyncState.uid], preserve=updated)
                .execute()
            )
        self.rows.clear()
