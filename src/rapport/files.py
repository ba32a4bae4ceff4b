"""Files and folders rapport creates: owner-only (0600/0700) whatever the umask, written whole.

Everything rapport writes holds personal data, so every file it creates goes
through here: the database, its backups, and exports.  ``atomic_write``
writes a temporary file beside the target and renames it into place, so a
crash leaves either the old file or the new one, never half of one; the
temporary file a killed rapport leaves behind is removed by the next write
in that folder (``remove_stale_partials``): each is locked while its writer
lives, so one that nobody holds is a dead writer's, whatever its age.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

from rapport.errors import RapportError, ValidationError

FILE_MODE = 0o600
FOLDER_MODE = 0o700


def expanded(path: str | Path, name: str) -> Path:
    """``path`` with a leading ``~`` or ``~user`` made that home folder.

    ValidationError naming ``name`` for a ``~user`` with no home folder (a
    user who does not exist, or HOME unset), where pathlib raises RuntimeError.
    """
    try:
        return Path(path).expanduser()
    except RuntimeError:
        home = Path(path).parts[0]
        raise ValidationError(name, f"{path}: no home folder {home} to look in") from None


def kind_of(mode: int) -> str | None:
    """What a path of this ``st_mode`` is when it is no regular file ("a folder",
    "a named pipe (FIFO)", "a device", "not a regular file"); None for a file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


# The open database (db.open_database names it): an export, a plan or a config
# written over it, a file SQLite keeps beside it or one of its backups would
# replace the person's data (`export json -o rapport.db` did).
_OPEN: dict[str, Path] = {}


def keep_database_files(database: Path | None, backups: Path | None = None) -> None:
    """From now on refuse to write over ``database``, its journal and the files in
    its ``backups`` folder (None: forget)."""
    _OPEN.clear()
    if database is not None:
        _OPEN["database"] = database
    if backups is not None:
        _OPEN["backups"] = backups


def same_file(one: Path, other: Path) -> bool:
    """Whether two paths name one file (a link, or another spelling of it), there or not."""
    try:
        return one.samefile(other)  # a link or another spelling of the same file
    except OSError:  # one is not there (a journal comes and goes)
        return one.resolve() == other.resolve()


def backup_names(database: Path) -> re.Pattern[str]:
    """The names of ``database``'s backups, as rapport.backups gives them: the
    database's stem, when (STAMP), why, and a counter for two in one second."""
    return re.compile(
        rf"^{re.escape(database.stem)}-(\d{{8}}-\d{{6}})-([a-z][a-z-]*?)(?:-(\d+))?\.db$"
    )


def refuse_database_files(path: Path) -> None:
    """RapportError when ``path`` is the open database, a file SQLite keeps beside it,
    or one of its backups."""
    database = _OPEN.get("database")
    if database is None:
        return
    for side in ("", "-wal", "-shm", "-journal"):
        if same_file(path, Path(f"{database}{side}")):
            what = "the database itself" if not side else f"the database's {side[1:]} file"
            raise RapportError(f"cannot write {path}: it is {what}; give another file")
    backups = _OPEN.get("backups")
    # Its backups are the files there named as rapport names them (`rapport backups`
    # lists them); a copy the person keeps there under a name of their own (a
    # nightly `rapport backup --force FOLDER/nightly.db`) is theirs to refresh.
    if (
        backups is not None
        and backup_names(database).match(path.name)
        and path.is_file()
        and same_file(path.resolve().parent, backups)
    ):
        raise RapportError(
            f"cannot write {path}: it is one of the database's backups; give another file"
        )


def _refuse_to_replace(path: Path) -> None:
    """RapportError when ``path`` is there and no regular file: the new file renamed
    into place would replace a folder's entry, a pipe a reader waits on, or (as
    root) a device such as /dev/null itself."""
    try:
        kind = kind_of(path.stat().st_mode)
    except OSError:  # nothing there (or nothing to see): creating it says why not
        return
    if kind is not None:
        raise RapportError(f"cannot write {path}: it is {kind}")


def private_folder(path: Path) -> Path:
    """Create ``path`` and any missing parents as 0700 folders; existing ones are left alone.

    Raises RapportError (one line naming the folder) when it cannot be made.
    """
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise RapportError(f"{path} is a file, not a folder")
    missing: list[Path] = []
    current = path
    while not current.exists():
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    try:
        for folder in reversed(missing):
            with contextlib.suppress(FileExistsError):  # another process made it first
                folder.mkdir(mode=FOLDER_MODE)
                # mkdir's mode is filtered by the umask; chmod is not.
                os.chmod(folder, FOLDER_MODE)
    except OSError as exc:
        raise RapportError(f"cannot create folder {path}: {exc.strerror or exc}") from None
    return path


def create_private_file(path: Path) -> None:
    """Create an empty 0600 file at ``path``; FileExistsError if something is there."""
    private_folder(path.parent)
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)
    finally:
        os.close(fd)


def fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_folder(path: Path) -> None:
    """Make a rename in ``path`` durable (a no-op where folders cannot be opened)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# A temporary file as _open_temporary names it: ".NAME." + mkstemp's 8
# characters, and the journal or WAL SQLite may keep beside it (a backup).
_PARTIAL = re.compile(r"^(\..+\.[A-Za-z0-9_]{8}\.partial)(-journal|-wal|-shm)?$")

# The temporary files this process is writing, each with a descriptor that
# holds its lock (flock) until it is renamed into place or removed.
_HELD: dict[Path, int] = {}


def _in_use(path: Path) -> bool:
    """Whether a living writer holds the temporary file ``path``."""
    if path in _HELD:
        return True
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except FileNotFoundError:
        return False
    except OSError:
        return True  # not ours to judge
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True
    finally:
        os.close(fd)  # and with it the lock just taken
    return False


def remove_stale_partials(folder: Path) -> int:
    """Remove the temporary files a killed rapport left in ``folder``; how many.

    Each is a part of an export, a backup or a copy of the database: personal
    data, and disk space, nobody would otherwise find (the name starts with a
    dot).  Only rapport's own names, of files this user owns, that no living
    rapport holds locked (with the journal SQLite kept beside one); errors
    are ignored.
    """
    removed = 0
    owner = os.getuid()
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for entry in entries:
            match = _PARTIAL.match(entry.name)
            if match is None:
                continue
            with contextlib.suppress(OSError):
                if not entry.is_file(follow_symlinks=False) or entry.stat().st_uid != owner:
                    continue
                if not _in_use(Path(folder) / match.group(1)):
                    os.unlink(entry.path)
                    removed += 1
    return removed


def temporary_sibling(path: Path, suffix: str = ".partial") -> Path:
    """A new, empty 0600 file in ``path``'s folder whose name says what it will become,
    locked as this process's until ``publish`` or ``discard``.

    The folder must exist: a mistyped path fails rather than growing folders.
    RapportError when ``path`` is a folder, a pipe or a device (see _refuse_to_replace).
    """
    _refuse_to_replace(path)
    remove_stale_partials(path.parent)
    fd, temporary = _open_temporary(path, suffix)
    os.close(fd)
    return temporary


def _open_temporary(path: Path, suffix: str = ".partial") -> tuple[int, Path]:
    import tempfile  # (and random) where a file is written, not on every start

    while True:
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=suffix, dir=path.parent)
        os.fchmod(fd, FILE_MODE)
        fcntl.flock(fd, fcntl.LOCK_EX)
        # Another rapport's sweep may have removed it before the lock was
        # taken (it looked abandoned for that moment): take another.
        try:
            if os.stat(name).st_ino == os.fstat(fd).st_ino:
                break
        except FileNotFoundError:
            pass
        os.close(fd)
    temporary = Path(name)
    # A second descriptor keeps the lock when the caller closes ``fd``.
    _HELD[temporary] = os.dup(fd)
    return fd, temporary


def _release(temporary: Path) -> None:
    held = _HELD.pop(temporary, None)
    if held is not None:
        os.close(held)


def discard(temporary: Path) -> None:
    """Remove a temporary file (and any journal beside it) that will not be published."""
    for leftover in (temporary, *(Path(f"{temporary}{side}") for side in ("-journal", "-wal"))):
        with contextlib.suppress(FileNotFoundError):
            leftover.unlink()
    _release(temporary)


def publish(temporary: Path, path: Path) -> Path:
    """Flush ``temporary`` to disk and rename it to ``path`` (replacing it) in one step."""
    fsync_file(temporary)
    _rename_into_place(temporary, path)
    fsync_folder(path.parent)
    return path


def _rename_into_place(temporary: Path, path: Path) -> None:
    # The one moment a written file replaces the old one (the crash tests watch it).
    try:
        os.replace(temporary, path)
    finally:
        _release(temporary)


@contextlib.contextmanager
def atomic_write(path: Path, mode: str = "w", encoding: str | None = "utf-8") -> Iterator[IO]:
    """``with atomic_write(path) as f:`` write a 0600 file that appears whole or not at all.

    ``mode`` is "w" (text) or "wb" (bytes).  An exception inside the block
    leaves any existing file at ``path`` as it was.  A ``path`` that is a
    symlink updates the file it points to (a calendar linked into a synced
    folder): the rename would replace the link, and the link's file would keep
    the old content without a word.
    """
    if path.is_symlink():
        path = Path(os.path.realpath(path))
    temporary = temporary_sibling(path)
    try:
        with open(temporary, mode, encoding=None if "b" in mode else encoding) as handle:
            yield handle
        publish(temporary, path)
    except BaseException:
        discard(temporary)
        raise


def write_private(path: Path, data: bytes | Iterable[bytes]) -> None:
    """Replace ``path`` with ``data`` atomically, mode 0600.

    ``data`` may come in pieces (a generator), so a large export is written
    as it is made, never whole in memory.  Raises RapportError (one line
    naming the path) when it cannot be written; the old file, if any, is then
    left as it was.
    """
    path = Path(path)
    refuse_database_files(path)
    pieces = [data] if isinstance(data, bytes) else data
    try:
        with atomic_write(path, "wb") as handle:
            for piece in pieces:
                handle.write(piece)
    except OSError as exc:
        raise RapportError(f"cannot write {path}: {exc.strerror or exc}") from None


# From this many files on, they are flushed from several threads at once:
# on a virtual disk one fsync costs 2-3 ms, so 5,000 files took 15 s one by
# one, while the disk commits concurrent fsyncs together (2,000 files: 4.2 s
# one by one, 0.18 s from 8 threads; measured with bench-style 1.5 kB files).
# Only rapport's own files are flushed, never the whole machine's (sync(2)).
FSYNC_TOGETHER_FROM = 32
FSYNC_THREADS = 8


def flush_descriptor(fd: int) -> None:
    """Make what was written through ``fd`` durable (its data, and its size and blocks)."""
    os.fsync(fd)


def _flush_all(held: dict[int, Path]) -> None:
    """Flush each descriptor (the file it writes is its value); if one fails,
    RapportError names that file once every thread has stopped.

    The threads take descriptors from one shared iterator (a list iterator's
    next is atomic under the GIL), so each fsync costs one hand-over of the
    GIL, not the locks and futures a thread pool spends on every item.
    """
    failed: list[tuple[int, OSError]] = []

    def work() -> None:
        for fd in waiting:
            if failed:
                return
            try:
                flush_descriptor(fd)
            except OSError as exc:
                failed.append((fd, exc))
                return

    waiting = iter(list(held))
    if len(held) < FSYNC_TOGETHER_FROM:
        work()
    else:
        import threading

        helpers = [
            threading.Thread(target=work, name="rapport-fsync", daemon=True)
            for _ in range(FSYNC_THREADS - 1)
        ]
        for helper in helpers:
            helper.start()
        work()  # this thread flushes too
        for helper in helpers:
            helper.join()
    if failed:
        # A disk that fails to make a file durable (EIO, a full quota at
        # flush time) is said in one line, as a failed write is.
        fd, exc = failed[0]
        raise RapportError(f"cannot write {held[fd]}: {exc.strerror or exc}")


# At most this many files wait for their rename together: each holds a
# descriptor open (its lock) until then, and a process may have only so many
# (1,024 by default on many systems): 5,000 follow-ups into an empty vdir
# failed with "Too many open files".
WRITE_TOGETHER = 500


def _folders_among(paths: Iterable[Path]) -> set[Path]:
    """Which of ``paths`` are folders, from one listing of each parent (not a stat per path)."""
    wanted: dict[Path, set[str]] = {}
    for path in paths:
        wanted.setdefault(path.parent, set()).add(path.name)
    found: set[Path] = set()
    for parent, names in wanted.items():
        with contextlib.suppress(OSError), os.scandir(parent) as entries:
            for entry in entries:
                if entry.name in names and entry.is_dir():
                    found.add(parent / entry.name)
    return found


def write_private_files(files: Iterable[tuple[Path, bytes]]) -> int:
    """Replace each path with its data, mode 0600; return how many were written.

    For many files at once (a vdir): in groups of WRITE_TOGETHER, each file
    is written under a temporary name beside it, each is flushed to disk
    (many at once, through the descriptor that wrote it), then renamed into
    place, and each folder is flushed once.  A crash leaves each file old or
    new, never half written.  A path that is a folder raises RapportError
    before any file is written; a file that cannot be written (no room)
    raises RapportError naming it, with no file of its group replaced (those
    of the groups before it are new).
    """
    batch = [(path if isinstance(path, Path) else Path(path), data) for path, data in files]
    in_the_way = _folders_among(path for path, _ in batch)
    for path, _ in batch:
        if path in in_the_way:
            raise RapportError(f"cannot write {path}: it is a folder")
    for folder in {path.parent for path, _ in batch}:  # once per folder, not per file
        remove_stale_partials(folder)
    for start in range(0, len(batch), WRITE_TOGETHER):
        _write_group(batch[start : start + WRITE_TOGETHER])
    return len(batch)


def _write_group(files: list[tuple[Path, bytes]]) -> None:
    pending: list[tuple[Path, Path]] = []
    try:
        for path, data in files:
            try:
                fd, temporary = _open_temporary(path)
                pending.append((temporary, path))
                # Unbuffered, through the descriptor mkstemp opened: opening a
                # file is what costs on a slow disk; a buffer costs two calls more.
                with open(fd, "wb", buffering=0) as handle:
                    written = 0
                    while written < len(data):
                        written += handle.write(memoryview(data)[written:])
            except OSError as exc:
                raise RapportError(f"cannot write {path}: {exc.strerror or exc}") from None
        # Each is flushed through the descriptor that holds its lock, not opened again.
        _flush_all({_HELD[temporary]: path for temporary, path in pending})
    except BaseException:
        for temporary, _ in pending:
            discard(temporary)
        raise
    for temporary, path in pending:
        _rename_into_place(temporary, path)
    for folder in {path.parent for _, path in pending}:
        fsync_folder(folder)
