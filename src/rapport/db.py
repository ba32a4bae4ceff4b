"""Opening a rapport database: where it lives, its pragmas, migrations and backups.

``open_database(path)`` is the only way in.  It refuses files it must not
touch (not SQLite, not rapport's, written by a newer rapport) before anything
is written, creates new files readable by their owner alone, backs up an older
database before migrating it, and puts the original back if a migration fails.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from peewee import SqliteDatabase

from rapport import clock
from rapport.errors import DatabaseUnusable, RapportError, SchemaTooNew
from rapport.models import database
from rapport.resources import migrations_dir

ENV_VAR = "RAPPORT_DB"
MIGRATION_TABLE = "schema_migration"
BUSY_TIMEOUT_MS = 15_000
SQLITE_MAGIC = b"SQLite format 3\x00"

PRAGMAS = {
    # WAL lets the TUI and a CLI command read and write the same file at once;
    # the busy timeout makes a writer wait for the other instead of failing.
    "journal_mode": "wal",
    "foreign_keys": 1,
    "busy_timeout": BUSY_TIMEOUT_MS,
    "synchronous": "full",
    "cache_size": -16_000,
    "temp_store": "memory",
}


def default_path() -> Path:
    """Where the database lives when neither --db nor RAPPORT_DB says otherwise."""
    import platformdirs

    return platformdirs.user_data_path("rapport") / "rapport.db"


def resolve_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The database path: the explicit one, else ``$RAPPORT_DB``, else the default."""
    chosen = explicit or os.environ.get(ENV_VAR) or default_path()
    return Path(chosen).expanduser()


def migration_files() -> list[Path]:
    return sorted(migrations_dir().glob("[0-9][0-9][0-9][0-9]_*.py"))


def schema_version() -> int:
    """The schema version this rapport writes: the number of its newest migration."""
    files = migration_files()
    return int(files[-1].name[:4]) if files else 0


def _readonly(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def inspect(path: Path) -> int | None:
    """The schema version of an existing file, or None if it holds no tables yet.

    Opens the file read-only.  Raises DatabaseUnusable for a file that is not
    a rapport database, SchemaTooNew for one written by a newer rapport.
    """
    with path.open("rb") as handle:
        header = handle.read(len(SQLITE_MAGIC))
    if header and header != SQLITE_MAGIC:
        raise DatabaseUnusable(f"{path} is not a rapport database (not an SQLite file)")
    if not header:
        return None
    try:
        conn = _readonly(path)
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise DatabaseUnusable(f"{path} is damaged or unreadable ({exc})") from None
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


def _create_private_file(path: Path) -> None:
    if not path.parent.exists():
        path.parent.mkdir(parents=True, mode=0o700)
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)


def connect(path: Path) -> SqliteDatabase:
    """Bind the models to ``path`` with rapport's pragmas; no checks, no migrations."""
    db = SqliteDatabase(str(path), pragmas=PRAGMAS)
    database.initialize(db)
    db.connect(reuse_if_open=True)
    return db


def open_database(path: str | os.PathLike[str] | None = None, *, migrate: bool = True) -> Path:
    """Open (creating or migrating as needed) the database and bind the models to it.

    Returns the resolved path.  Raises DatabaseUnusable, SchemaTooNew, or
    RapportError when a migration fails (the original is then put back).
    """
    target = resolve_path(path)
    if target.is_dir():
        raise DatabaseUnusable(f"{target} is a folder, not a database file")
    fresh = not target.exists()
    if fresh:
        try:
            _create_private_file(target)
        except OSError as exc:
            raise RapportError(f"cannot create {target}: {exc.strerror}") from None
        version = None
    else:
        try:
            version = inspect(target)
        except OSError as exc:
            raise RapportError(f"cannot read {target}: {exc.strerror}") from None
    close_database()
    db = connect(target)
    if migrate and (version or 0) < schema_version():
        _migrate(db, target, backup=version is not None)
    return target


def _migrate(db: SqliteDatabase, path: Path, *, backup: bool) -> None:
    """Run the pending migrations in ONE transaction, so a crash or a failure
    anywhere leaves the file exactly as it was.

    This is SQLite's own recipe for schema changes: foreign keys off (outside
    the transaction; a table rebuild would otherwise cascade deletes), the
    work, ``PRAGMA foreign_key_check``, commit.  Triggers are lifted off for
    the duration and put back after: peewee rebuilds a table to change a
    column, and a rebuild would drop the search triggers on it and trip over
    the ones that name it.  A migration that replaces a trigger creates it
    under the same name (its version wins); one that retires a trigger names
    it in ``RETIRED_TRIGGERS``; one that rewrites indexed text sets
    ``REINDEX_SEARCH = True``.
    """
    from playhouse.migrations import Runner

    saved = backup_database(path, reason="pre-migrate") if backup else None
    runner = Runner(db, str(migrations_dir()), table_name=MIGRATION_TABLE)
    pending = [m.load() for m in runner.status() if not m.applied and m.path]
    retired = {name for module in pending for name in getattr(module, "RETIRED_TRIGGERS", ())}
    reindex = any(getattr(module, "REINDEX_SEARCH", False) for module in pending)
    db.pragma("foreign_keys", 0)
    try:
        with db.atomic():
            triggers = db.execute_sql(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"
            ).fetchall()
            for name, _ in triggers:
                db.execute_sql(f'DROP TRIGGER "{name}"')
            runner.up()
            present = {row[0] for row in db.execute_sql("SELECT name FROM sqlite_master")}
            for name, sql in triggers:
                if name not in present and name not in retired:
                    db.execute_sql(sql)
            broken = db.execute_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise RapportError(
                    f"the upgrade would break {len(broken)} references between records"
                )
            if reindex:
                reindex_search(db)
            db.pragma("user_version", schema_version())
    except Exception as exc:
        if saved is None:
            close_database()
            path.unlink(missing_ok=True)
        raise RapportError(
            f"upgrading {path} failed ({exc}); the database was left as it was"
            + (f" and a copy is at {saved}" if saved else "")
        ) from exc
    finally:
        if not db.is_closed():
            db.pragma("foreign_keys", 1)


def reindex_search(db: SqliteDatabase) -> None:
    """Rebuild every search document by touching each indexed row (the triggers do the rest)."""
    for table, column in (
        ("contact", "name"),
        ("interaction", "date"),
        ("interview", "status"),
        ("event", "name"),
    ):
        db.execute_sql(f'UPDATE "{table}" SET "{column}" = "{column}"')


def backup_path(path: Path, reason: str) -> Path:
    stamp = clock.now().strftime("%Y%m%d-%H%M%S")
    return path.with_name(f"{path.name}.{stamp}-{reason}.bak")


def backup_database(path: Path, destination: Path | None = None, *, reason: str = "manual") -> Path:
    """Write a consistent copy of the database at ``path`` (owner-only), return its path.

    Uses SQLite's online backup, so it is safe while another process writes.
    """
    destination = destination or backup_path(path, reason)
    if destination.exists() and destination.is_dir():
        destination = destination / backup_path(path, reason).name
    if not destination.exists():
        _create_private_file(destination)
    source = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        target = sqlite3.connect(str(destination))
        try:
            source.backup(target)
        finally:
            target.close()
    finally:
        source.close()
    return destination


def close_database() -> None:
    """Close this thread's connection, if any (the models stay bound)."""
    if database.obj is not None and not database.is_closed():
        database.close()


@contextmanager
def opened(path: str | os.PathLike[str] | None = None) -> Iterator[Path]:
    """``with opened(path):`` open the database for a block, then close it."""
    resolved = open_database(path)
    try:
        yield resolved
    finally:
        close_database()
