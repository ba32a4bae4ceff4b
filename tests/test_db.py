"""Opening databases: new files are private, foreign or newer files are refused
untouched, older ones are backed up then migrated, and a failed migration puts
the original back."""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
from pathlib import Path

import pytest
from playhouse.schema_diff import diff_models

from rapport import db as rapport_db
from rapport import dbfile, resources
from rapport.db import close_database, open_database, schema_version
from rapport.errors import DatabaseUnusable, RapportError, SchemaTooNew
from rapport.models import ALL_MODELS, PARTIAL_INDEXES, STATE_MODELS, Contact, database


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_database_and_its_folder_are_readable_by_their_owner_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "new"))
    monkeypatch.delenv("RAPPORT_DB")
    old_umask = os.umask(0o000)  # the most permissive umask a person could have
    try:
        path = open_database()  # the default place: its folders are made
    finally:
        os.umask(old_umask)
        close_database()
    assert path == tmp_path / "new" / "rapport" / "rapport.db"
    assert mode(path) == 0o600
    assert mode(path.parent) == 0o700


def test_an_empty_file_given_as_the_database_becomes_a_private_one(tmp_path: Path) -> None:
    touched = tmp_path / "rapport.db"
    touched.touch(mode=0o644)
    touched.chmod(0o644)
    try:
        open_database(touched)
    finally:
        close_database()
    assert mode(touched) == 0o600


def test_every_connection_has_wal_foreign_keys_and_a_busy_timeout(db_path: Path) -> None:
    assert database.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert database.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
    assert database.execute_sql("PRAGMA busy_timeout").fetchone()[0] >= 5000


def test_the_models_and_the_migrated_schema_agree(db_path: Path) -> None:
    diff = diff_models(database.obj, ALL_MODELS + STATE_MODELS)
    assert diff.create_tables == [] and diff.add_columns == [] and diff.drop_columns == []
    assert diff.add_indexes == []
    assert {index.name for index in diff.drop_indexes} <= set(PARTIAL_INDEXES)


def test_the_schema_version_is_recorded_in_the_file(db_path: Path) -> None:
    close_database()
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == schema_version() >= 1
    conn.close()


def test_default_path_is_the_user_data_folder(
    monkeypatch: pytest.MonkeyPatch, private_environment: Path
) -> None:
    monkeypatch.delenv("RAPPORT_DB")
    path = rapport_db.resolve_path()
    assert path.name == "rapport.db"
    assert str(path).startswith(str(private_environment))
    monkeypatch.setenv("RAPPORT_DB", "/somewhere/else.db")
    assert rapport_db.resolve_path() == Path("/somewhere/else.db")
    assert rapport_db.resolve_path("~/x.db") == Path.home() / "x.db"


def snapshot(path: Path) -> tuple[bytes, int]:
    return path.read_bytes(), path.stat().st_mtime_ns


def test_a_file_that_is_not_sqlite_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("my precious notes, not a database\n")
    before = snapshot(path)
    with pytest.raises(DatabaseUnusable, match="not a rapport database"):
        open_database(path)
    assert snapshot(path) == before


def test_an_sqlite_file_of_another_program_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.commit()
    conn.close()
    before = snapshot(path)
    with pytest.raises(DatabaseUnusable, match="not a rapport database"):
        open_database(path)
    assert snapshot(path) == before


def test_a_database_from_a_newer_rapport_is_refused_and_never_written(db_path: Path) -> None:
    close_database()
    conn = sqlite3.connect(db_path)
    conn.execute(f"PRAGMA user_version = {schema_version() + 1}")
    conn.execute("PRAGMA journal_mode = delete")
    conn.commit()
    conn.close()
    before = snapshot(db_path)
    with pytest.raises(SchemaTooNew, match="newer rapport"):
        open_database(db_path)
    assert snapshot(db_path) == before


@pytest.fixture
def extra_migration(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A migrations folder holding the real migrations plus one more."""

    def make(body: str) -> Path:
        folder = tmp_path / "migrations"
        shutil.copytree(
            resources.migrations_dir(), folder, ignore=shutil.ignore_patterns("__pycache__")
        )
        number = schema_version() + 1
        (folder / f"{number:04d}_next.py").write_text(body)
        monkeypatch.setattr(dbfile, "migrations_folder", lambda: folder)
        return folder

    return make


ADD_COLUMN = """
from peewee import TextField

def up(migrator, db):
    migrator.migrate(migrator.add_column("contact", "pronouns", TextField(default="")))

def down(migrator, db):
    migrator.migrate(migrator.drop_column("contact", "pronouns"))
"""

FAILING = """
def up(migrator, db):
    db.execute_sql("UPDATE contact SET name = 'overwritten'")
    db.execute_sql("THIS IS NOT SQL")
"""


def make_old_database(tmp_path: Path) -> Path:
    path = open_database(tmp_path / "old.db")
    Contact.create(name="Dana Whitfield")
    close_database()
    return path


def test_an_older_database_is_backed_up_then_upgraded(tmp_path: Path, extra_migration) -> None:
    path = make_old_database(tmp_path)
    old_version = schema_version()
    extra_migration(ADD_COLUMN)
    open_database(path)
    columns = [row[1] for row in database.execute_sql("PRAGMA table_info(contact)").fetchall()]
    assert "pronouns" in columns
    assert Contact.get().name == "Dana Whitfield"
    # The table was rebuilt to add the column; search still follows edits to it.
    Contact.update(notes="kubernetes mentor").execute()
    from rapport.services.search import search

    assert [hit.title for hit in search("kubernetes")] == ["Dana Whitfield"]
    close_database()
    backups = list((tmp_path / "old-backups").glob("old-*-pre-migrate.db"))
    assert len(backups) == 1 and mode(backups[0]) == 0o600
    conn = sqlite3.connect(backups[0])
    assert conn.execute("SELECT name FROM contact").fetchall() == [("Dana Whitfield",)]
    assert conn.execute("PRAGMA user_version").fetchone()[0] == old_version
    conn.close()


def test_a_failed_migration_leaves_the_original_as_it_was(tmp_path: Path, extra_migration) -> None:
    path = make_old_database(tmp_path)
    version = schema_version()
    extra_migration(FAILING)
    with pytest.raises(RapportError, match="left as it was"):
        open_database(path)
    close_database()
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT name FROM contact").fetchall() == [("Dana Whitfield",)]
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == version
    conn.close()


def test_backup_is_a_consistent_private_copy(db_path: Path, tmp_path: Path) -> None:
    Contact.create(name="Priya Raman")
    copy = rapport_db.backup_database(db_path, tmp_path / "copy.db")
    assert mode(copy) == 0o600
    conn = sqlite3.connect(copy)
    assert conn.execute("SELECT name FROM contact").fetchall() == [("Priya Raman",)]
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


def test_a_migration_numbered_below_the_newest_still_runs(tmp_path: Path, monkeypatch) -> None:
    """A database already at the newest number gets a lower-numbered file added later."""
    path = make_old_database(tmp_path)
    folder = tmp_path / "migrations"
    skip = shutil.ignore_patterns("__pycache__")
    shutil.copytree(resources.migrations_dir(), folder, ignore=skip)
    (folder / "0007_late.py").write_text(ADD_COLUMN)
    monkeypatch.setattr(dbfile, "migrations_folder", lambda: folder)
    open_database(path)
    columns = [row[1] for row in database.execute_sql("PRAGMA table_info(contact)").fetchall()]
    assert "pronouns" in columns
    close_database()


@pytest.mark.parametrize(
    ("error", "said", "exit_code"),
    [
        (sqlite3.OperationalError("database is locked"), "the database stayed busy", 8),
        (sqlite3.DatabaseError("file is not a database"), "damaged or unreadable", 8),
        (sqlite3.IntegrityError("CHECK constraint failed"), "breaks a rule of the database", 1),
    ],
)
def test_sqlites_errors_are_said_one_way_for_the_cli_and_the_app(
    error: Exception, said: str, exit_code: int
) -> None:
    failure = rapport_db.database_failure(error)
    assert failure is not None and said in str(failure) and failure.exit_code == exit_code
    assert rapport_db.database_failure(ValueError("not SQLite's")) is None
