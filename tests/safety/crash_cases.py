"""The operations the crash test kills: one function each (see crash_harness.py).

Each runs in a child process on ``folder / "rapport.db"``.  Still to come,
with the branches that bring them (one ``@crash_case`` function each):

* ``import-linkedin``, ``import-vcard``, ``import-csv``: prepare a large input
  file in the folder (bench/generate.py), run the importer on it;
* ``export-ics``, ``export-vcf``, ``export-csv``: run the export to
  ``folder / "out.*"``, with ``state`` returning (database contents, the
  output file's bytes or None), so a half-written export fails the test;
* ``merge``: merge two contacts with many interactions, links and follow-ups.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from unittest import mock

from crash_harness import DATABASE, copy_fixture, crash_case
from safety_harness import contents

from rapport.resources import migrations_dir

# Enough rows that the transaction takes about a second.
LARGE_WRITE_CONTACTS = 150


@crash_case("large-write")
def large_write(folder: Path) -> None:
    """Many contacts, interactions and follow-ups, in one transaction, as a loader does."""
    from rapport.db import open_database
    from rapport.models import database
    from rapport.services import contacts, followups, goals, interactions, links

    open_database(folder / DATABASE)
    with database.atomic():
        goal = goals.create_goal("Crash-tested goal")
        for n in range(LARGE_WRITE_CONTACTS):
            person = contacts.create_contact(
                f"Loaded Person {n}", organization=f"Org {n % 17}", notes=f"note {n} " * 50
            )
            links.link_goal(goal.id, contact=person.id, role="peer")
            interactions.log_interaction([person.id], summary=f"met {n}", notes="x" * 500)
            followups.create_followup(f"Write to {n}", due="+1w", contact=person.id)


SLOW_MIGRATION = """
import time


def up(migrator, db):
    db.execute_sql("ALTER TABLE contact ADD COLUMN pronouns TEXT NOT NULL DEFAULT ''")
    time.sleep(0.15)
    db.execute_sql("UPDATE contact SET pronouns = 'they/them', notes = notes || ' (migrated)'")
    db.execute_sql("CREATE TABLE interaction_copy AS SELECT * FROM interaction")
    time.sleep(0.15)
    db.execute_sql("DELETE FROM interaction WHERE id % 2 = 0")
    db.execute_sql("INSERT INTO interaction SELECT * FROM interaction_copy WHERE id % 2 = 0")
    db.execute_sql("DROP TABLE interaction_copy")
    time.sleep(0.15)


def down(migrator, db):
    pass
"""


def _with_slow_migration(folder: Path) -> None:
    copy_fixture(folder)
    migrations = folder / "migrations"
    shutil.copytree(migrations_dir(), migrations, ignore=shutil.ignore_patterns("__pycache__"))
    newest = max(int(p.name[:4]) for p in migrations.glob("[0-9][0-9][0-9][0-9]_*.py"))
    (migrations / f"{newest + 1:04d}_slow_step.py").write_text(SLOW_MIGRATION)


def _open_with_slow_migration(folder: Path) -> None:
    from rapport.db import close_database, open_database

    with mock.patch("rapport.db.migrations_dir", lambda: folder / "migrations"):
        open_database(folder / DATABASE)
        close_database()
    # The next run finishes the upgrade the killed one started.
    conn = sqlite3.connect(str(folder / DATABASE))
    assert conn.execute("SELECT count(*) FROM contact WHERE pronouns = ''").fetchone() == (0,)
    conn.close()


@crash_case("migration", prepare=_with_slow_migration, reopen=_open_with_slow_migration)
def migration(folder: Path) -> None:
    """Upgrading a database of the current schema to one that adds a step."""
    from rapport.db import open_database

    with mock.patch("rapport.db.migrations_dir", lambda: folder / "migrations"):
        open_database(folder / DATABASE)


BALLAST_BYTES = 24 * 1024 * 1024


def _with_ballast(folder: Path) -> None:
    """A database big enough that copying it takes a while."""
    copy_fixture(folder)
    conn = sqlite3.connect(str(folder / DATABASE))
    conn.execute("CREATE TABLE ballast (data BLOB)")
    chunk = 64 * 1024
    conn.executemany(
        "INSERT INTO ballast VALUES (randomblob(?))", [(chunk,)] * (BALLAST_BYTES // chunk)
    )
    conn.commit()
    conn.close()


def _database_and_copy(folder: Path) -> object:
    copy = folder / "copy.db"
    return (
        contents(folder / DATABASE, skip=("ballast",)),
        contents(copy, skip=("ballast",)) if copy.exists() else None,
    )


@crash_case("backup", prepare=_with_ballast, state=_database_and_copy)
def backup(folder: Path) -> None:
    """``rapport backup copy.db``: the copy is whole or absent, the database untouched."""
    from rapport.cli import cli

    cli.main(
        ["--db", str(folder / DATABASE), "backup", str(folder / "copy.db")],
        standalone_mode=False,
    )
