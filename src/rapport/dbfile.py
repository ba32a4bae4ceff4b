"""A rapport database file seen from outside: its header, schema version and side files.

Plain ``sqlite3``, no peewee and no open database: both ``rapport.db`` (which
opens files) and ``rapport.backups`` (which copies and checks them) stand on
this, so neither needs the other's internals.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from rapport.errors import DatabaseUnusable, SchemaTooNew
from rapport.resources import migrations_dir

MIGRATION_TABLE = "schema_migration"
BUSY_TIMEOUT_MS = 15_000
SQLITE_MAGIC = b"SQLite format 3\x00"
HEADER_SIZE = 100
SIDE_FILES = ("-wal", "-shm", "-journal")


def migrations_folder() -> Path:
    """The folder of migration scripts; the one name tests point elsewhere."""
    return migrations_dir()


def migration_files() -> list[Path]:
    return sorted(migrations_folder().glob("[0-9][0-9][0-9][0-9]_*.py"))


def schema_version() -> int:
    """The schema version this rapport writes: the number of its newest migration."""
    files = migration_files()
    return int(files[-1].name[:4]) if files else 0


def side_files(path: Path) -> list[Path]:
    """The WAL, shared-memory and journal files SQLite keeps beside ``path``."""
    return [Path(f"{path}{suffix}") for suffix in SIDE_FILES]


def _being_written(path: Path) -> bool:
    """Whether a WAL or rollback journal sits beside ``path`` (the file alone is not all)."""
    return Path(f"{path}-wal").exists() or Path(f"{path}-journal").exists()


def read_only(path: Path) -> sqlite3.Connection:
    """A connection that can neither change ``path`` nor leave files beside it.

    With no WAL or journal beside it, the file alone is the whole database and
    is read as immutable (SQLite then creates no -wal/-shm); otherwise it is
    opened read-only so that what another process committed is seen.
    """
    mode = "mode=ro" if _being_written(path) else "mode=ro&immutable=1"
    return sqlite3.connect(f"{path.resolve().as_uri()}?{mode}", uri=True)


def _check_header(path: Path, header: bytes, size: int) -> None:
    """Refuse a file cut short, from what its header says it holds (no SQLite needed)."""
    if len(header) < HEADER_SIZE:
        raise DatabaseUnusable(f"{path} is damaged (cut short at {size} bytes); it was not changed")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    # The page count is valid when the change counter matches "version valid for".
    trusted = header[24:28] == header[92:96] and pages > 0
    # While a WAL or journal exists, a writer may be growing the file: it is not cut short.
    if trusted and not _being_written(path) and size < pages * page_size:
        raise DatabaseUnusable(
            f"{path} is damaged (cut short: {size} bytes of {pages * page_size}); "
            "it was not changed. Restore a backup with `rapport restore`"
        )


def _version_and_tables(path: Path) -> tuple[int, set[str]]:
    conn = read_only(path)
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        return version, {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    finally:
        conn.close()


def inspect(path: Path) -> int | None:
    """The schema version of an existing file, or None if it holds no tables yet.

    Reads the file without changing it or creating anything beside it.
    Raises DatabaseUnusable for a file that is not a rapport database or is
    damaged, SchemaTooNew for one written by a newer rapport.
    """
    with path.open("rb") as handle:
        header = handle.read(HEADER_SIZE)
    if not header:
        return None
    if not header.startswith(SQLITE_MAGIC):
        raise DatabaseUnusable(f"{path} is not a rapport database (not an SQLite file)")
    _check_header(path, header, path.stat().st_size)
    try:
        version, tables = _version_and_tables(path)
    except sqlite3.DatabaseError:
        # Read as immutable while another process began writing: read again, live.
        try:
            version, tables = _version_and_tables(path)
        except sqlite3.DatabaseError as exc:
            raise DatabaseUnusable(
                f"{path} is damaged or unreadable ({exc}); it was not changed"
            ) from None
    if not tables:
        return None
    if MIGRATION_TABLE not in tables:
        raise DatabaseUnusable(f"{path} is an SQLite file but not a rapport database")
    if version > schema_version():
        raise SchemaTooNew(
            f"{path} was written by a newer rapport (schema {version}, this one knows "
            f"{schema_version()}); upgrade rapport to open it. The file was not changed."
        )
    return version


def integrity_problems(path: Path, *, quick: bool = True) -> list[str]:
    """What SQLite's integrity check finds wrong with the file ([] when it is sound)."""
    try:
        conn = read_only(path)
        try:
            pragma = "quick_check" if quick else "integrity_check"
            rows = [row[0] for row in conn.execute(f"PRAGMA {pragma}")]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    return [] if rows == ["ok"] else rows
