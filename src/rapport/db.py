"""Opening a rapport database: where it lives, its pragmas, migrations and backups.

``open_database(path)`` is the only way in.  It refuses files it must not
touch (not SQLite, not rapport's, damaged, written by a newer rapport) before
anything is written, and without leaving anything beside them; creates new
files readable by their owner alone; keeps a daily backup; and backs up an
older database before migrating it in one transaction, so a migration that
fails or is killed leaves the database as it was.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from rapport import connection, dbfile
from rapport.dbfile import (
    BUSY_TIMEOUT_MS,
    MIGRATION_TABLE,
    inspect,
    migration_files,
    schema_version,
    side_files,
)
from rapport.errors import BackupFailed, DatabaseUnusable, RapportError, ValidationError
from rapport.files import (
    FILE_MODE,
    create_private_file,
    expanded,
    keep_database_files,
    kind_of,
    remove_stale_partials,
)

# peewee (and the models) load with the first connection bound to them: a
# command that reads through a plain connection (``plain=True``) needs neither.
if TYPE_CHECKING:
    from peewee import SqliteDatabase

ENV_VAR = "RAPPORT_DB"

# Opening a file another rapport is creating is tried this often (about 5 s).
CONNECT_ATTEMPTS = 30
CONNECT_PAUSE = 0.01

PRAGMAS = {
    # First, so that the pragmas after it wait for a lock instead of failing.
    "busy_timeout": BUSY_TIMEOUT_MS,
    # WAL lets the TUI and a CLI command read and write the same file at once;
    # the busy timeout makes a writer wait for the other instead of failing.
    "journal_mode": "wal",
    "foreign_keys": 1,
    "synchronous": "full",
    "cache_size": -16_000,
    "temp_store": "memory",
}

T = TypeVar("T")

# Told about each automatic backup: (where it is, why it was made).
BackupNotice = Callable[[Path, str], None]


def default_path() -> Path:
    """Where the database lives when neither --db nor RAPPORT_DB says otherwise."""
    import platformdirs

    return platformdirs.user_data_path("rapport") / "rapport.db"


def resolve_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The database path: the explicit one, else ``$RAPPORT_DB``, else the default.

    Raises ValidationError for an empty one: it names no file, and falling
    back to the default would write to a database nobody asked for.
    """
    if explicit is not None:
        chosen, given_as = os.fspath(explicit), "--db"
    elif ENV_VAR in os.environ:
        chosen, given_as = os.environ[ENV_VAR], ENV_VAR
    else:
        return default_path()
    if not chosen.strip():
        raise ValidationError(given_as, "is empty; give the path of a database file")
    return expanded(chosen, given_as)


def refuse_not_a_file(target: Path) -> None:
    """Refuse a folder, a device or a pipe before anything opens it (a FIFO would
    hang the open; a device would be chmodded and get a journal beside it)."""
    try:
        mode = target.stat().st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise RapportError(f"cannot read {target}: {exc.strerror}") from None
    kind = kind_of(mode)
    if kind is None:
        return
    raise DatabaseUnusable(f"{target} is {kind}, not a database file; it was not opened")


def connect(path: Path) -> SqliteDatabase:
    """Bind the models to ``path`` with rapport's pragmas; no checks, no migrations."""
    import logging

    from peewee import SqliteDatabase

    from rapport.models import database

    # peewee logs every query with its parameters (names, notes) at DEBUG level:
    # whatever logging a host sets up (a debugger, Textual's devtools), they
    # stay out.  (logging loads with peewee, not before: `followups due` needs
    # neither.)
    logging.getLogger("peewee").setLevel(logging.INFO)

    # BEGIN IMMEDIATE for every transaction: one that reads and then writes
    # would otherwise fail at once with "database is locked" when another
    # process wrote in between, without waiting for the busy timeout.
    db = SqliteDatabase(
        str(path), pragmas=PRAGMAS, timeout=BUSY_TIMEOUT_MS / 1000, lock_type="IMMEDIATE"
    )
    database.initialize(db)
    _settled(lambda: db.connect(reuse_if_open=True))
    return db


def connect_plain(path: Path) -> sqlite3.Connection:
    """A connection of SQLite's own to ``path``, as :func:`connect` opens the models'
    (the same timeout, autocommit, the same pragmas in the same order); no checks."""

    def opened() -> sqlite3.Connection:
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        try:
            for pragma, value in PRAGMAS.items():
                conn.execute(f"PRAGMA {pragma} = {value}")
        except BaseException:
            conn.close()
            raise
        return conn

    return _settled(opened)


def _settled(open_connection: Callable[[], T]) -> T:
    """What ``open_connection`` returns, tried again while SQLite is settling a new file."""
    for attempt in range(CONNECT_ATTEMPTS - 1):
        try:
            return open_connection()
        except Exception as exc:
            # Several rapports opening a brand-new file at once all switch it
            # to WAL; SQLite fails that switch at once ("database is locked",
            # or "disk I/O error" as another creates the WAL beside it) instead
            # of waiting for the busy timeout.  It settles in moments.
            transient = "locked" in str(exc) or "disk I/O" in str(exc)
            if not (_operational(exc) and transient):
                raise
            time.sleep(CONNECT_PAUSE * (attempt + 1))
    return open_connection()


def _peewee_errors(name: str) -> tuple[type[BaseException], ...]:
    """peewee's error class ``name``, where peewee is loaded (none of its errors
    can have been raised where it is not)."""
    peewee = sys.modules.get("peewee")
    return (getattr(peewee, name),) if peewee is not None else ()


def _operational(exc: BaseException) -> bool:
    return isinstance(exc, (sqlite3.OperationalError, *_peewee_errors("OperationalError")))


def database_failure(exc: BaseException) -> RapportError | None:
    """An error of SQLite's (through peewee or not) said as rapport says errors,
    for the CLI's stderr and the app's notifications; None for any other error."""
    if isinstance(exc, (sqlite3.IntegrityError, *_peewee_errors("IntegrityError"))):
        # A rule of the schema caught what the services should have: not damage.
        return RapportError(f"not saved, it breaks a rule of the database ({exc})")
    if _operational(exc):
        if "locked" in str(exc) or "busy" in str(exc):
            return DatabaseUnusable(
                "the database stayed busy (another rapport is writing); try again"
            )
        return DatabaseUnusable(f"database error: {exc}")
    if isinstance(exc, (sqlite3.DatabaseError, *_peewee_errors("DatabaseError"))):
        return DatabaseUnusable(f"the database file is damaged or unreadable ({exc})")
    return None


def _refuse_unwritable(target: Path) -> None:
    folder = target.parent
    if target.exists() and not os.access(target, os.W_OK):
        raise RapportError(
            f"{target} is read-only; rapport needs to write to it (check its permissions)"
        )
    if folder.exists() and not os.access(folder, os.W_OK | os.X_OK):
        raise RapportError(
            f"cannot write in {folder}; rapport keeps its journal and backups beside "
            "the database, so its folder must be writable"
        )


def remove_new_database(target: Path) -> None:
    """Remove a database file made a moment ago, with its WAL and journal (and
    nothing else: what sits beside it is not rapport's to remove)."""
    for leftover in (target, *side_files(target)):
        with contextlib.suppress(FileNotFoundError):
            leftover.unlink()


def open_database(
    path: str | os.PathLike[str] | None = None,
    *,
    migrate: bool = True,
    on_backup: BackupNotice | None = None,
    on_backup_failed: Callable[[BackupFailed], None] | None = None,
    detach_backup: bool = False,
    plain: bool = False,
) -> Path:
    """Open (creating or migrating as needed) the database and bind the models to it.

    With ``plain``, a database that needs no migration is opened for the plain
    statements of rapport.connection alone (no peewee, no models bound): every
    check, the backups and the errors are the same.

    Once a day, and before migrating, a backup is taken (see rapport.backups)
    and ``on_backup(path, reason)`` is told where it is.  A daily backup that
    cannot be written (no room) is told to ``on_backup_failed(error)`` and the
    database opens all the same; ``detach_backup`` lets a
    detached process copy a large database while the command runs (see
    rapport.backups.daily_backup).  Returns the resolved
    path.  Raises DatabaseUnusable, SchemaTooNew, BackupFailed (no room for the
    copy before an upgrade), or RapportError (unwritable file, or a failed
    migration: the database is then as it was).
    """
    from rapport import backups

    target = resolve_path(path)
    refuse_not_a_file(target)
    _refuse_unwritable(target)
    # What a killed rapport left half-written beside the database or among its
    # backups (a copy, a backup and its journal) goes before anything is written.
    for folder in (target.parent, backups.backups_folder(target)):
        if folder.is_dir():
            remove_stale_partials(folder)
    created = False
    if target.exists() and target.stat().st_size == 0:
        # An empty file given to rapport (touch rapport.db) becomes the
        # database: private, as one rapport creates.
        with contextlib.suppress(OSError):
            os.chmod(target, FILE_MODE)
    if not target.exists():
        try:
            create_private_file(target)
            created = True
        except FileExistsError:
            pass  # another rapport created it a moment ago: open it as it is
        except OSError as exc:
            raise RapportError(f"cannot create {target}: {exc.strerror}") from None
    try:
        version = inspect(target)
    except OSError as exc:
        raise RapportError(f"cannot read {target}: {exc.strerror}") from None
    close_database()
    keep_files_of(target)
    try:
        if version is not None and version >= schema_version():
            try:
                made = backups.daily_backup(target, detach=detach_backup)
            except BackupFailed as exc:
                # No room for today's copy: the database is sound and the
                # person's command is worth more than the copy; they are told.
                made = None
                if on_backup_failed is not None:
                    on_backup_failed(exc)
            if made is not None and on_backup is not None:
                on_backup(made, "daily")
        if plain and version is not None:
            conn = connect_plain(target)
            connection.use_plain(conn)
            if not (migrate and _has_pending(conn.execute, version)):
                return target
            connection.close_plain()  # the models migrate it
        db = connect(target)
        if migrate and _has_pending(db.execute_sql, version):
            _migrate(db, target, on_backup)
    except BaseException:
        close_database()
        if created:
            # Nothing of the person's is in a file made a moment ago: leave no
            # half-made database behind.
            remove_new_database(target)
        raise
    return target


def _has_pending(execute: Callable[[str], Iterable[tuple[str]]], version: int | None) -> bool:
    """Whether any migration file has not been applied to this database.

    The version number alone would miss a migration numbered below the
    newest one (added later on another branch of history): the names in the
    history table are the record of what ran.
    """
    if version is None or version < schema_version():
        return True
    applied = {row[0] for row in execute(f'SELECT name FROM "{MIGRATION_TABLE}"')}
    return any(path.stem not in applied for path in migration_files())


def _migrate(db: SqliteDatabase, path: Path, on_backup: BackupNotice | None) -> None:
    """Apply the pending migrations in ONE transaction, after backing up an existing file.

    This is SQLite's own recipe for schema changes: foreign keys off (only
    possible outside a transaction; a table rebuild would otherwise cascade
    deletes), the work, ``PRAGMA foreign_key_check``, commit.  Triggers are
    lifted off for the duration and put back after: peewee rebuilds a table
    to change a column, and a rebuild would drop the search triggers on it and
    trip over the ones that name it.  A migration that replaces a trigger
    creates it under the same name (its version wins); one that retires a
    trigger names it in ``RETIRED_TRIGGERS``; one that rewrites indexed text
    sets ``REINDEX_SEARCH = True``.
    """
    from playhouse.migrations import Runner

    from rapport import backups

    # Looked up through the module on each call: tests point it elsewhere.
    runner = Runner(db, str(dbfile.migrations_folder()), table_name=MIGRATION_TABLE)
    saved = None
    db.pragma("foreign_keys", 0)
    try:
        # One IMMEDIATE transaction for all of it: a failure or a kill leaves the
        # file as it was, and a second rapport opening it now waits, then finds
        # nothing left to do.  What is pending is read inside it, and the copy
        # of an existing database taken inside it too: a rapport that looked at
        # the file while another was creating it (and saw a part of it) neither
        # upgrades it again nor backs up a database that was never old.
        with db.atomic():
            status = runner.status()
            pending = [m.load() for m in status if not m.applied and m.path]
            if not pending:
                return
            if any(m.applied for m in status):
                saved = backups.checked_backup(path, "pre-migrate")
                if on_backup is not None:
                    on_backup(saved, "pre-migrate")
            retired = {n for module in pending for n in getattr(module, "RETIRED_TRIGGERS", ())}
            reindex = any(getattr(module, "REINDEX_SEARCH", False) for module in pending)
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
                raise RapportError(f"{len(broken)} rows would point at missing records")
            if reindex:
                reindex_search(db)
            db.pragma("user_version", schema_version())
    except (DatabaseUnusable, BackupFailed):
        raise  # the copy before found the database damaged, or had no room: it says so itself
    except Exception as exc:
        kept = f"; a copy from before is at {saved}" if saved else ""
        raise RapportError(
            f"upgrading {path} to schema {schema_version()} failed ({exc}); "
            f"the database was left as it was{kept}"
        ) from exc
    finally:
        db.pragma("foreign_keys", 1)


def script_statements(script: str) -> Iterator[str]:
    """The statements of an SQL script, one by one (for migrations written as SQL);
    a trigger keeps the semicolons inside its body, comments between statements go."""
    statement: list[str] = []
    for line in script.splitlines():
        if not statement and (not line.strip() or line.lstrip().startswith("--")):
            continue
        statement.append(line)
        text = "\n".join(statement)
        if sqlite3.complete_statement(text):
            yield text
            statement = []


def reindex_search(db: SqliteDatabase) -> None:
    """Rebuild every search document by touching each indexed row (the triggers do the rest)."""
    for table, column in (
        ("contact", "name"),
        ("interaction", "date"),
        ("interview", "status"),
        ("event", "name"),
        ("skill", "name"),
        ("trait", "phrase"),
        ("goal", "title"),
        ("follow_up", "title"),
    ):
        db.execute_sql(f'UPDATE "{table}" SET "{column}" = "{column}"')


def backup_database(
    path: Path, destination: Path | None = None, *, reason: str = "manual", replace: bool = False
) -> Path:
    """Write a consistent copy of the database at ``path`` (owner-only), return its path.

    Without ``destination`` the copy goes to the backups folder (see
    rapport.backups); a file at ``destination`` is replaced only with
    ``replace``.  Safe while another process writes.
    """
    from rapport import backups

    return backups.take_backup(path, reason, destination=destination, replace=replace)


def data_version() -> int:
    """A number that changes when another connection (another rapport) commits to
    the database, and only then (SQLite's ``PRAGMA data_version`` for this thread's
    connection): what an open app checks to show changes made elsewhere."""
    return int(connection.execute("PRAGMA data_version").fetchone()[0])


def keep_files_of(target: Path) -> None:
    """From now on refuse to write an export, a plan or a config over the database
    ``target``, its journal or its backups (see rapport.files): for a command that
    writes files without opening the database (sync init), as for one that opens it."""
    from rapport.backups import backups_folder

    keep_database_files(target, backups_folder(target))


def close_database() -> None:
    """Close the command's plain connection and this thread's connection of the
    models, if any (the models stay bound)."""
    keep_database_files(None)
    connection.close_plain()
    # Bound to a database only where the models were loaded.
    models = sys.modules.get("rapport.models")
    if models is not None and models.database.obj is not None and not models.database.is_closed():
        models.database.close()


@contextmanager
def opened(path: str | os.PathLike[str] | None = None) -> Iterator[Path]:
    """``with opened(path):`` open the database for a block, then close it."""
    resolved = open_database(path)
    try:
        yield resolved
    finally:
        close_database()
