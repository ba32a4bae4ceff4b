"""Backups of the database: daily and before each upgrade or restore, kept a few at a time; restore.

The backups of ``…/rapport/rapport.db`` live beside it in ``…/rapport/rapport-backups/``,
named ``rapport-20261123-090000-daily.db`` (when, and why).  Each is a
consistent copy made with SQLite's online backup (safe while another process
writes), written under a temporary name and renamed when whole, owner-only.
Automatic ones are rotated (see KEEP); the ones a person asks for stay.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import os
import re
import select
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rapport import clock
from rapport.dbfile import BUSY_TIMEOUT_MS, inspect, integrity_problems, read_only, side_files
from rapport.errors import BackupFailed, DatabaseUnusable, NotFound, RapportError, SchemaTooNew
from rapport.files import (
    FILE_MODE,
    backup_names,
    discard,
    private_folder,
    publish,
    refuse_database_files,
    temporary_sibling,
    write_private,
)

# How many automatic backups of each kind are kept; "manual" ones are never removed.
KEEP = {"daily": 7, "pre-migrate": 3, "pre-restore": 3}
STAMP = "%Y%m%d-%H%M%S"


@dataclass(frozen=True)
class Backup:
    path: Path
    taken: dt.datetime  # local wall-clock time
    reason: str
    size: int


@dataclass(frozen=True)
class Restored:
    database: Path
    source: Path
    version: int  # the schema version of the restored copy (before any upgrade)
    kept: Path | None  # where the replaced database was saved


def backups_folder(database: Path) -> Path:
    return database.parent / f"{database.stem}-backups"


def _taken(stamp: str) -> dt.datetime:
    """When a backup named ``stamp`` (STAMP's digits, as the pattern matched them) was
    taken; ValueError for a date or time that does not exist.  What strptime(STAMP)
    reads, without loading and compiling strptime's machinery on every command
    (it lists the backups to see whether today's is taken)."""
    year, month, day = int(stamp[0:4]), int(stamp[4:6]), int(stamp[6:8])
    return dt.datetime(year, month, day, int(stamp[9:11]), int(stamp[11:13]), int(stamp[13:15]))


def list_backups(database: Path) -> list[Backup]:
    """The backups in the database's backups folder, oldest first."""
    folder = backups_folder(database)
    if not folder.is_dir():
        return []
    pattern = backup_names(database)
    found: list[tuple[dt.datetime, int, int, Backup]] = []
    for path in folder.iterdir():
        match = pattern.match(path.name)
        if not match or not path.is_file():
            continue
        try:
            taken = _taken(match.group(1))
        except ValueError:
            continue
        stat = path.stat()
        backup = Backup(path, taken, match.group(2), stat.st_size)
        # Two taken within one second are told apart by their counter, then mtime.
        found.append((taken, int(match.group(3) or 1), stat.st_mtime_ns, backup))
    return [item[-1] for item in sorted(found, key=lambda item: item[:3])]


def _free_name(database: Path, reason: str) -> Path:
    folder = backups_folder(database)
    base = f"{database.stem}-{clock.now().strftime(STAMP)}-{reason}"
    # Above every counter in use, not in the first gap: a gap left by rotation
    # would make the newest backup look the oldest (and be rotated away next).
    pattern = re.compile(rf"^{re.escape(base)}(?:-(\d+))?\.db$")
    used = [
        int(match.group(1) or 1)
        for path in (folder.iterdir() if folder.is_dir() else ())
        if (match := pattern.match(path.name))
    ]
    n = max(used, default=0) + 1
    return folder / (f"{base}.db" if n == 1 else f"{base}-{n}.db")


def copy_database(
    source: Path, destination: Path, *, on_snapshot: Callable[[], None] | None = None
) -> None:
    """Copy the database at ``source`` into the (new, empty) file ``destination``.

    One step of SQLite's online backup: a consistent snapshot, whatever other
    processes are writing.  ``on_snapshot`` is called once the snapshot is
    held, before the copying: what is written from then on is not in the copy.
    """
    src = sqlite3.connect(str(source), timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        if on_snapshot is not None:
            src.execute("BEGIN")
            src.execute("SELECT count(*) FROM sqlite_master").fetchone()  # the snapshot
            on_snapshot()
        dst = sqlite3.connect(str(destination))
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()


def _write_copy(
    database: Path,
    final: Path,
    on_snapshot: Callable[[], None] | None = None,
    *,
    check: bool = True,
    temporary: Path | None = None,
) -> Path:
    """Copy ``database`` to ``final`` under a temporary name, renamed once whole
    and (with ``check``) once SQLite's quick check finds the copy sound.

    The temporary file (a new one unless given) is gone afterwards either way.
    Raises DatabaseUnusable (the database is damaged; nothing is written).
    """
    if temporary is None:
        temporary = temporary_sibling(final)
    try:
        try:
            copy_database(database, temporary, on_snapshot=on_snapshot)
        except sqlite3.DatabaseError as exc:
            if not check or isinstance(exc, sqlite3.OperationalError):
                raise  # busy, disk full: not damage
            raise _damaged(database, str(exc)) from None
        problems = integrity_problems(temporary) if check else []
        if problems:
            raise _damaged(database, problems[0])
        return publish(temporary, final)
    except BaseException:
        discard(temporary)
        raise


def rotate(database: Path, reason: str) -> list[Path]:
    """Remove the oldest automatic backups of ``reason`` beyond KEEP; return them."""
    if reason not in KEEP:
        return []
    same = [b for b in list_backups(database) if b.reason == reason]
    removed = [b.path for b in same[: max(0, len(same) - KEEP[reason])]]
    for path in removed:
        for leftover in (path, *side_files(path)):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()
    return removed


def take_backup(
    database: Path,
    reason: str = "manual",
    *,
    destination: Path | None = None,
    replace: bool = False,
) -> Path:
    """Write a consistent, owner-only copy of ``database``; return where it is.

    Without ``destination`` it goes to the backups folder, and older automatic
    backups of the same ``reason`` are rotated.  A ``destination`` folder gets
    the usual name inside it.  A file already at ``destination`` is replaced
    only with ``replace`` (it may be anything: an older backup, a document),
    and never when it is the database itself.  Raises RapportError when the
    copy cannot or may not be written.
    """
    if destination is None:
        private_folder(backups_folder(database))
        final = _free_name(database, reason)
    else:
        final = destination
        if destination.is_dir():
            final = destination / _free_name(database, reason).name
        if final.exists() and final.samefile(database):
            raise RapportError(f"{final} is the database itself; give another file to back up to")
        refuse_database_files(final)  # its journal
        if final.exists() and not replace:
            raise RapportError(
                f"{final} already exists; give another name, or --force to replace it"
            )
    try:
        _write_copy(database, final)
    except OSError as exc:
        why, remedy = _why_not_written(exc, database, final.parent)
        raise BackupFailed(f"could not back up to {final}: {why}{_again(remedy)}") from None
    except DatabaseUnusable:
        raise
    except sqlite3.Error as exc:
        why, remedy = _why_not_written(exc, database, final.parent)
        raise BackupFailed(
            f"could not back up {database} to {final} ({why}){_again(remedy)}"
        ) from None
    if destination is None:
        rotate(database, reason)
    return final


def checked_backup(database: Path, reason: str) -> Path:
    """An automatic backup, checked before older ones are rotated away.

    A copy that fails SQLite's quick check means the database is damaged: the
    copy is removed (the good backups stay) and DatabaseUnusable says where
    they are.  A copy that cannot be written (a full disk, a file-size limit,
    a database that stayed busy) is no damage: BackupFailed says why, and
    nothing is left behind, not even the backups folder this call made.
    """
    folder = backups_folder(database)
    made_folder = not folder.is_dir()
    try:
        private_folder(folder)
        final = _free_name(database, reason)
        # _write_copy turns what only damage causes into DatabaseUnusable; the
        # OperationalError it lets through is about writing or waiting.
        _write_copy(database, final)
    except (OSError, sqlite3.OperationalError, RapportError) as exc:
        if made_folder:
            with contextlib.suppress(OSError):
                folder.rmdir()  # only if empty: a file another rapport wrote there stays
        if isinstance(exc, DatabaseUnusable):
            raise
        why, remedy = _why_not_written(exc, database, folder)
        if reason == "daily":  # the command goes on without it (see rapport.db.open_database)
            after = f": {remedy}, and" if remedy else ";"
            raise BackupFailed(
                f"could not back up {database} for today ({why}); going on without it"
                f"{after} the next command tries again"
            ) from None
        raise BackupFailed(
            f"could not back up {database} before upgrading it ({why}); "
            f"nothing was changed{_again(remedy, ':')}"
        ) from None
    rotate(database, reason)
    return final


def _again(remedy: str, joint: str = ";") -> str:
    return f"{joint} {remedy} and run it again" if remedy else ""


def _why_not_written(exc: BaseException, database: Path, folder: Path) -> tuple[str, str]:
    """Why a copy of ``database`` could not be written into ``folder``, in the
    person's words, and what would let it be written ("free some space"; ""
    when rapport cannot tell).

    SQLite says "database or disk is full" for a full disk but only "disk I/O
    error" when a file-size limit (``ulimit -f``) stops the copy: the limit and
    the room left are looked at to tell which.
    """
    import errno
    import resource  # for this message alone

    room = "free some space"
    if getattr(exc, "sqlite_errorname", "") == "SQLITE_FULL" or (
        isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT)
    ):
        return "the disk is full", room
    size = 0  # what the copy needs room for, about
    for part in (database, Path(f"{database}-wal")):
        with contextlib.suppress(OSError):
            size += part.stat().st_size
    limit = resource.getrlimit(resource.RLIMIT_FSIZE)[0]
    if (isinstance(exc, OSError) and exc.errno == errno.EFBIG) or (
        limit != resource.RLIM_INFINITY and limit < size
    ):
        return "the copy is larger than this session's file-size limit", "raise `ulimit -f`"
    with contextlib.suppress(OSError):
        free = os.statvfs(folder)
        if free.f_bavail * free.f_frsize < size:
            return "the disk is too full for a copy", room
    if isinstance(exc, OSError):
        return exc.strerror or str(exc), ""
    return str(exc), ""


def _damaged(database: Path, problem: str) -> DatabaseUnusable:
    return DatabaseUnusable(
        f"{database} is damaged ({problem}); it was not changed. Your backups are in "
        f"{backups_folder(database)}: `rapport backups` lists them, "
        "`rapport restore FILE` puts one back"
    )


# Up to this size the daily backup is taken in line, before the command (a
# 16 MB copy and its check take ~40 ms); a bigger database is copied by a
# detached process (270 MB: 1.5 s that the person no longer waits for).
IN_LINE_BYTES = 16 * 1024 * 1024

# The detached copier holds its snapshot at once but copies only once the
# command that started it has ended: copying while the command runs made the
# day's first `followups due` 305 ms instead of 158 (two cores, 270 MB).  A
# long-running one (the app opened from the command line, an import) lets it
# copy after this many seconds, so the snapshot does not keep the WAL growing.
COPY_AFTER_AT_MOST = 20.0

# The write end of the pipe the copier waits on (see release_copier).
_copier_waits_on: int | None = None


def release_copier() -> None:
    """Let a detached copier this process started copy now rather than at its exit."""
    global _copier_waits_on
    if _copier_waits_on is not None:
        os.close(_copier_waits_on)
        _copier_waits_on = None


def daily_backup(database: Path, *, detach: bool = False) -> Path | None:
    """The first time a day the database is opened, back it up; None if today's exists.

    None too while another process is taking today's backup: it holds the
    day's claim (see _take_claim), so two commands started together make one.

    With ``detach`` a large database is copied by a detached process: the
    copy is of the database as it is now, before the command writes
    anything (the process holds a read snapshot before this returns), and it
    is published, checked and rotated as an in-line one is.  The copying
    waits until this process has ended (or calls release_copier(), or
    COPY_AFTER_AT_MOST has passed): a command answers without sharing the
    machine with a 270 MB copy.  The path
    returned then is where the backup is pending: it appears there only if
    the copy succeeds (a busy database or a full disk leaves it to the next
    command of the day).  Damage the copy reveals is reported by the next
    open (raising DatabaseUnusable then).  An in-line copy that cannot be
    written (no room) raises BackupFailed: the database is not damaged.
    """
    _raise_damage_found_meanwhile(database)
    if _taken_today(database):
        return None
    claim = _claim(database, "daily")
    held = _take_claim(claim)
    if held is None:
        return None
    try:
        if _taken_today(database):  # published while this process waited for the claim
            return None
        if detach and hasattr(os, "fork") and database.stat().st_size > IN_LINE_BYTES:
            # The copier writes its copy into the claim and publishes it under
            # the backup's name: the claim is held until the backup is there.
            return _detached_backup(database, "daily", claim)
        try:
            return checked_backup(database, "daily")
        finally:
            claim.unlink(missing_ok=True)
    finally:
        os.close(held)  # the detached copier holds the claim on with its own descriptor


def _taken_today(database: Path) -> bool:
    today = clock.today()
    return any(b.taken.date() == today for b in list_backups(database))


def _claim(database: Path, reason: str) -> Path:
    return backups_folder(database) / f".{database.stem}-{reason}.claim"


def _take_claim(claim: Path) -> int | None:
    """Claim the day's backup: a descriptor holding ``claim`` locked (flock), or
    None while another process holds it.

    A claim no process holds was left by one that died: it is taken over,
    emptied of its half copy.  The lock goes when every descriptor of it is
    closed, so a killed copier never leaves the day's backup claimed.
    """
    private_folder(claim.parent)
    while True:
        fd = os.open(claim, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, FILE_MODE)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            # Its holder may have published or removed it meanwhile: lock the file there now.
            if os.stat(claim).st_ino == os.fstat(fd).st_ino:
                os.fchmod(fd, FILE_MODE)
                os.ftruncate(fd, 0)
                Path(f"{claim}-journal").unlink(missing_ok=True)
                return fd
        except BlockingIOError:
            os.close(fd)
            return None
        except FileNotFoundError:
            pass
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)


def _damage_note(database: Path) -> Path:
    return backups_folder(database) / f".{database.stem}-damaged"


def _raise_damage_found_meanwhile(database: Path) -> None:
    note = _damage_note(database)
    try:
        problem = note.read_text(encoding="utf-8").strip()
    except OSError:
        return
    note.unlink(missing_ok=True)  # said once; the next backup checks again
    raise _damaged(database, problem or "a backup of it failed SQLite's check")


def _detached_backup(database: Path, reason: str, claim: Path) -> Path:
    """Start a detached process copying ``database``; return once it holds its snapshot.

    The copy is written into ``claim`` (locked by this process, and then by
    the copier), renamed to the backup when whole, or removed if it fails.

    Forked twice, so that the copying process is nobody's child to wait for
    (rapport answers and exits while it works), and it never returns into the
    caller's code.  Nothing of the caller's SQLite connections is used in it:
    the database is closed when this is called.
    """
    global _copier_waits_on
    private_folder(backups_folder(database))
    final = _free_name(database, reason)
    release_copier()  # an earlier copier of this process's (another database's): let it go
    try:
        ready, told = os.pipe()
        wait, go = os.pipe()
        child = os.fork()
    except OSError:
        claim.unlink(missing_ok=True)
        raise
    if child == 0:  # pragma: no cover - the child's work is checked by the files it leaves
        try:
            # Only the command may hold ``go`` open: its end is the copier's signal.
            os.close(go)
            os.close(ready)
            os.setsid()
            if os.fork() == 0:
                _copy_in_background(database, final, reason, told, claim, wait)
        finally:
            os._exit(0)
    os.close(told)
    os.close(wait)
    _copier_waits_on = go
    try:
        os.waitpid(child, 0)
        os.read(ready, 1)  # the snapshot is held (or the copier gave up: b"")
    finally:
        os.close(ready)
    return final


def _copy_in_background(
    database: Path, final: Path, reason: str, told: int, claim: Path, wait: int
) -> None:
    """The detached process: hold a read snapshot, say so, wait for the command
    to end, copy the snapshot, check it, rotate."""
    # No output of its own: the terminal belongs to the person's next command.
    devnull = os.open(os.devnull, os.O_RDWR)
    for stream in (0, 1, 2):
        os.dup2(devnull, stream)
    with contextlib.suppress(OSError):
        os.nice(10)  # behind whatever the person runs next

    def tell() -> None:
        os.write(told, b"1")
        os.close(told)
        # Readable (at end of file) once the command has ended or released it.
        select.select([wait], [], [], COPY_AFTER_AT_MOST)
        os.close(wait)

    try:
        _write_copy(database, final, on_snapshot=tell, check=False, temporary=claim)
        problems = integrity_problems(final)
        if problems:
            final.unlink()
            _note_damage(database, problems[0])
            return
        rotate(database, reason)
    except sqlite3.OperationalError:
        pass  # busy or locked: the claim is gone, the next command of the day tries again
    except sqlite3.DatabaseError as exc:
        _note_damage(database, str(exc))
    except OSError:
        pass  # no room or no folder: as for an in-line backup, nothing to report here


def _note_damage(database: Path, problem: str) -> None:
    """Leave the damage a detached copy found for the next open to report (owner-only)."""
    with contextlib.suppress(RapportError):  # no room for it: the next copy finds it again
        write_private(_damage_note(database), f"{problem}\n".encode())


# -- restore ---------------------------------------------------------------


def check_restorable(source: Path) -> int:
    """The schema version of a backup that is safe to restore; it is only read.

    Raises NotFound, DatabaseUnusable (not SQLite, not rapport's, empty,
    failing SQLite's full integrity check) or SchemaTooNew.
    """
    if not source.is_file():
        raise NotFound(f"{source} is not a file")
    version = inspect(source)
    if version is None:
        raise DatabaseUnusable(f"{source} holds no rapport data; nothing was replaced")
    problems = integrity_problems(source, quick=False)
    if problems:
        raise DatabaseUnusable(
            f"{source} fails SQLite's integrity check ({problems[0]}); nothing was replaced"
        )
    return version


def _is_sound(database: Path) -> bool:
    try:
        inspect(database)
    except (DatabaseUnusable, SchemaTooNew):
        return False
    return not integrity_problems(database)


def _keep_replaced(database: Path, *, sound: bool) -> Path:
    """Save the database about to be replaced: a consistent copy, or if it is
    damaged (or not rapport's) its bytes and WAL exactly as they are."""
    if sound:
        return take_backup(database, "pre-restore")
    final = _free_name(database, "pre-restore")
    private_folder(final.parent)
    import shutil  # (and the compression modules it loads) for this copy alone

    for suffix in ("", "-wal"):
        original = Path(f"{database}{suffix}")
        if original.exists():
            temporary = temporary_sibling(final)
            try:
                shutil.copyfile(original, temporary)
                publish(temporary, Path(f"{final}{suffix}"))
            except BaseException:
                discard(temporary)
                raise
    rotate(database, "pre-restore")
    return final


def _replace_file(source: Path, database: Path) -> None:
    """Put a copy of ``source`` where ``database`` is, in one rename."""
    temporary = temporary_sibling(database)
    try:
        copy_database(source, temporary)
        for stale in side_files(database):
            with contextlib.suppress(FileNotFoundError):
                stale.unlink()
        publish(temporary, database)
    except BaseException:
        discard(temporary)
        raise


def _copy_into_live(source: Path, database: Path, keep: Callable[[], Path]) -> Path:
    """Overwrite a sound database with ``source`` in one transaction, calling
    ``keep()`` to save the database being replaced once no one else can write
    to it; returns what ``keep`` returned.

    Going through SQLite (rather than replacing the file) keeps a process that
    has it open, such as the app, consistent: it sees the restored data next.
    SQLite's online backup holds the database's write lock from its first page
    to its last: ``keep`` runs after the first, so every write another rapport
    finished is in the copy it makes, and the others wait for the restore (or
    give up, saying the database stayed busy).
    """
    kept: list[Path] = []

    def locked(status: int, remaining: int, total: int) -> None:
        if not kept:
            if remaining == 0:  # done in one step: the lock was let go already
                raise RapportError(f"{source} is too small to be a rapport database")
            kept.append(keep())

    src = read_only(source)
    try:
        dst = sqlite3.connect(str(database), timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            dst.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            src.backup(dst, pages=1, progress=locked)
        finally:
            dst.close()
    finally:
        src.close()
    return kept[0]


def restore_database(source: Path, database: Path) -> Restored:
    """Replace ``database`` with the backup ``source``, after checking the backup.

    Nothing is replaced unless ``source`` passes SQLite's integrity check and
    is a rapport database this version can open.  The replaced database, if
    any, is kept in the backups folder (``Restored.kept``), copied while no
    other rapport can write to it.  The caller opens the database afterwards,
    which upgrades an older backup.
    """
    version = check_restorable(source)
    if database.exists() and database.samefile(source):
        raise RapportError(f"{source} is the database itself; give a backup to restore")
    kept = None
    sound = database.exists() and database.stat().st_size > 0 and _is_sound(database)
    if not sound and database.exists() and database.stat().st_size > 0:
        kept = _keep_replaced(database, sound=False)
    private_folder(database.parent)
    try:
        if sound:
            kept = _copy_into_live(source, database, lambda: _keep_replaced(database, sound=True))
        else:
            _replace_file(source, database)
    except (OSError, sqlite3.Error) as exc:
        raise RapportError(
            f"could not restore {source} into {database} ({exc})"
            + (f"; the previous database is kept at {kept}" if kept else "")
        ) from None
    return Restored(database, source, version, kept)
