"""The operations the crash test kills: one function each (see crash_harness.py).

Each runs in a child process on ``folder / "rapport.db"``.  Most run on the
benchmark generator's data (bench/generate.py): a network of NETWORK
contacts with their years of history; NEWCOMERS other people as LinkedIn's
Connections.csv, a .vcf address book, a spreadsheet and a JSON export; and
the network's follow-ups as a calendar of events to import.  The data sets
are made once per test run.

An export must leave its file as it was or as a whole new one (never a
part of one) and the database untouched; an import or a merge all of its
rows or none.
"""

from __future__ import annotations

import atexit
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Callable
from functools import cache
from pathlib import Path
from unittest import mock

from crash_harness import (
    COMMITTED,
    DATABASE,
    PUBLISHED,
    copy_fixture,
    crash_case,
    open_with_rapport,
)
from safety_harness import REPO, contents

from rapport.resources import migrations_dir

NETWORK = 500  # contacts in the database, with 3,333 interactions and 833 follow-ups
NEWCOMERS = 2000  # people in the files imported
# Enough rows that the transaction takes a good part of a second.
LARGE_WRITE_CONTACTS = 100


def rapport(*args: str) -> None:
    """Run a rapport command in this process, as `rapport ARGS` would; fail if it fails."""
    from rapport.cli import cli

    code = cli.main(list(args), prog_name="rapport", standalone_mode=False)
    assert code in (None, 0), f"rapport {' '.join(args)} exited with {code}"


def _generate(out: Path, contacts: int, seed: int, *sizes: str) -> None:
    command = [sys.executable, str(REPO / "bench" / "generate.py"), "--out", str(out)]
    command += ["--contacts", str(contacts), "--seed", str(seed), *sizes]
    subprocess.run(command, check=True, capture_output=True)


@cache
def _data_sets() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="rapport-crash-data-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    _generate(folder / "network", NETWORK, 1)
    # New people, with a little history (for the JSON export).
    newcomers = folder / "newcomers"
    _generate(newcomers, NEWCOMERS, 2, "--interactions", "200", "--followups", "20")
    for name, format_name in (("export.json", "json"), ("contacts.csv", "csv")):
        out = str(newcomers / name)
        rapport("--db", str(newcomers / DATABASE), "export", format_name, "-o", out)
    # A calendar to import: the network's open follow-ups, as events.
    calendar = ["export", "ics", "-o", str(folder / "calendar.ics")]
    rapport("--db", str(folder / "network" / DATABASE), *calendar)
    return folder


def network(folder: Path) -> None:
    """The generated network, opened once today (so its daily backup is already taken)."""
    shutil.copyfile(_data_sets() / "network" / DATABASE, folder / DATABASE)
    (folder / DATABASE).chmod(0o600)
    open_with_rapport(folder)


def _newcomers(name: str) -> Callable[[Path], None]:
    def prepare(folder: Path) -> None:
        network(folder)
        shutil.copyfile(_data_sets() / "newcomers" / name, folder / name)

    return prepare


# -- writes, migrations, backups --------------------------------------------------


@crash_case("large-write", prepare=network)
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
    time.sleep(0.08)
    db.execute_sql("UPDATE contact SET pronouns = 'they/them', notes = notes || ' (migrated)'")
    db.execute_sql("CREATE TABLE interaction_copy AS SELECT * FROM interaction")
    time.sleep(0.08)
    db.execute_sql("DELETE FROM interaction WHERE id % 2 = 0")
    db.execute_sql("INSERT INTO interaction SELECT * FROM interaction_copy WHERE id % 2 = 0")
    db.execute_sql("DROP TABLE interaction_copy")
    time.sleep(0.08)


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

    with mock.patch("rapport.dbfile.migrations_folder", lambda: folder / "migrations"):
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

    with mock.patch("rapport.dbfile.migrations_folder", lambda: folder / "migrations"):
        open_database(folder / DATABASE)


def _older_network(folder: Path) -> None:
    """The generated network as the first rapport (schema 1) kept it: every later
    migration undone by its own ``down()``."""
    from peewee import SqliteDatabase
    from playhouse.migrations import Runner

    from rapport.db import MIGRATION_TABLE
    from rapport.resources import migrations_dir

    shutil.copyfile(_data_sets() / "network" / DATABASE, folder / DATABASE)
    (folder / DATABASE).chmod(0o600)
    db = SqliteDatabase(str(folder / DATABASE))
    db.connect()
    runner = Runner(db, str(migrations_dir()), table_name=MIGRATION_TABLE)
    later = [m.name for m in runner.status() if m.applied and not m.name.startswith("0001")]
    if later:
        runner.down(later[0])  # back through the oldest one after 0001
    db.pragma("user_version", 1)
    db.close()


@crash_case("upgrade", prepare=_older_network)
def upgrade(folder: Path) -> None:
    """The real upgrade of a database of schema 1 (3,333 interactions) to this rapport's."""
    rapport("--db", str(folder / DATABASE), "today")


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
    open_with_rapport(folder)  # today's backup taken: the run makes only the copy


def _database_and_copy(folder: Path) -> object:
    copy = folder / "copy.db"
    return (
        contents(folder / DATABASE, skip=("ballast",)),
        contents(copy, skip=("ballast",)) if copy.exists() else None,
    )


@crash_case("backup", prepare=_with_ballast, state=_database_and_copy, durable=PUBLISHED)
def backup(folder: Path) -> None:
    """``rapport backup copy.db``: the copy is whole or absent, the database untouched."""
    rapport("--db", str(folder / DATABASE), "backup", str(folder / "copy.db"))


# -- imports and merges: all rows or none -----------------------------------------


@crash_case("import-linkedin", prepare=_newcomers("Connections.csv"))
def import_linkedin(folder: Path) -> None:
    """``rapport import linkedin``: 2,000 connections into a network of 500."""
    rapport("--db", str(folder / DATABASE), "import", "linkedin", str(folder / "Connections.csv"))


@crash_case("import-vcard", prepare=_newcomers("contacts.vcf"))
def import_vcard(folder: Path) -> None:
    """``rapport import vcard``: an address book of 2,000 cards into a network of 500."""
    rapport("--db", str(folder / DATABASE), "import", "vcard", str(folder / "contacts.vcf"))


@crash_case("import-csv", prepare=_newcomers("contacts.csv"))
def import_csv(folder: Path) -> None:
    """``rapport import csv``: a spreadsheet of 2,000 people into a network of 500."""
    rapport("--db", str(folder / DATABASE), "import", "csv", str(folder / "contacts.csv"))


def _network_and_calendar(folder: Path) -> None:
    network(folder)
    shutil.copyfile(_data_sets() / "calendar.ics", folder / "calendar.ics")


@crash_case("import-ics", prepare=_network_and_calendar)
def import_ics(folder: Path) -> None:
    """``rapport import ics``: a calendar of the network's 83 open follow-ups."""
    rapport("--db", str(folder / DATABASE), "import", "ics", str(folder / "calendar.ics"))


def _empty_database_and_export(folder: Path) -> None:
    open_with_rapport(folder)  # a new, empty database, as `rapport --db new.db` makes
    open_with_rapport(folder)  # and its first daily backup
    shutil.copyfile(_data_sets() / "newcomers" / "export.json", folder / "export.json")


@crash_case("import-json", prepare=_empty_database_and_export)
def import_json(folder: Path) -> None:
    """``rapport --db new.db import json``: a whole database restored."""
    rapport("--db", str(folder / DATABASE), "import", "json", str(folder / "export.json"))


def _network_and_pair(folder: Path) -> None:
    network(folder)
    # Merge into the contact with 200 interactions the one with the most other history.
    conn = sqlite3.connect(str(folder / DATABASE))
    (other,) = conn.execute(
        "SELECT id FROM contact WHERE id != 1 ORDER BY"
        " (SELECT count(*) FROM follow_up WHERE contact_id = contact.id)"
        " + (SELECT count(*) FROM goal_link WHERE contact_id = contact.id)"
        " + (SELECT count(*) FROM interview WHERE contact_id = contact.id)"
        " + (SELECT count(*) FROM event_attendee WHERE contact_id = contact.id)"
        " + (SELECT count(*) FROM interaction_contact WHERE contact_id = contact.id) DESC"
    ).fetchone()
    conn.close()
    (folder / "pair").write_text(f"1 {other}")


@crash_case("merge", prepare=_network_and_pair)
def merge(folder: Path) -> None:
    """``rapport contacts merge``: all of one contact's history moves to another."""
    keep, other = (folder / "pair").read_text().split()
    rapport("--db", str(folder / DATABASE), "contacts", "merge", keep, other, "--yes")


# -- exports: the old file or the new one, never a part; the database untouched ---

OLD_EXPORT = b"an export made last week\n"


def _network_and_old_export(name: str) -> Callable[[Path], None]:
    def prepare(folder: Path) -> None:
        network(folder)
        (folder / name).write_bytes(OLD_EXPORT)
        (folder / name).chmod(0o600)

    return prepare


def _database_and_file(name: str) -> Callable[[Path], object]:
    def state(folder: Path) -> object:
        path = folder / name
        return contents(folder / DATABASE), path.read_bytes() if path.exists() else None

    return state


def _export_case(format_name: str, file_name: str, *options: str) -> None:
    def run(folder: Path) -> None:
        out = str(folder / file_name)
        rapport("--db", str(folder / DATABASE), "export", format_name, *options, "-o", out)

    run.__doc__ = f"``rapport export {format_name} {' '.join(options)}`` over an older export."
    crash_case(
        f"export-{format_name}",
        prepare=_network_and_old_export(file_name),
        state=_database_and_file(file_name),
        durable=COMMITTED | PUBLISHED,
    )(run)


_export_case("ics", "follow-ups.ics")
_export_case("vcard", "contacts.vcf")
_export_case("csv", "contacts.csv")
_export_case("json", "rapport.json")


def _network_and_old_vdir(folder: Path) -> None:
    """An older vdir: every open follow-up, as a task."""
    network(folder)
    vdir = str(folder / "vdir")
    rapport("--db", str(folder / DATABASE), "export", "ics", "--todo", "--vdir", vdir)


def _database_and_vdir(folder: Path) -> object:
    files = {p.name: p.read_bytes() for p in (folder / "vdir").glob("*.ics")}
    return {"database": contents(folder / DATABASE), "files": files}


def each_file_old_or_new(before: object, everything: object, state: object) -> str:
    """A vdir is many files: each must be its old self, its new self, or (removed) absent."""
    assert isinstance(before, dict) and isinstance(everything, dict) and isinstance(state, dict)
    assert state["database"] == before["database"], "the database changed"
    old, new, now = before["files"], everything["files"], state["files"]
    for name in set(old) | set(new) | set(now):
        assert now.get(name) in (old.get(name), new.get(name)), f"{name} is neither old nor new"
    if now == old:
        return "nothing"
    return "everything" if now == new else "some files"


@crash_case(
    "export-vdir",
    prepare=_network_and_old_vdir,
    state=_database_and_vdir,
    judge=each_file_old_or_new,
    durable=COMMITTED | PUBLISHED,
)
def export_vdir(folder: Path) -> None:
    """``rapport export ics --vdir --to +3w``: the follow-ups of the next weeks rewritten
    as events, one file each, the files of the others removed."""
    vdir = str(folder / "vdir")
    rapport("--db", str(folder / DATABASE), "export", "ics", "--to", "+3w", "--vdir", vdir)


def _network_synced_and_ticked_off(folder: Path) -> None:
    """A task vdir synced both ways, then three tasks ticked off elsewhere and two
    follow-ups moved in rapport: a sync then has to take in and to send."""
    import re

    network(folder)
    db, vdir = str(folder / DATABASE), str(folder / "vdir")
    rapport("--db", db, "export", "ics", "--todo", "--vdir", vdir, "--sync")
    for path in sorted((folder / "vdir").glob("*.ics"))[:3]:
        text = path.read_bytes().decode()
        text = text.replace("STATUS:NEEDS-ACTION", "STATUS:COMPLETED\r\nPERCENT-COMPLETE:100", 1)
        text = re.sub(r"SEQUENCE:(\d+)", lambda m: f"SEQUENCE:{int(m.group(1)) + 1}", text, count=1)
        path.write_bytes(text.encode())
    conn = sqlite3.connect(db)
    with conn:  # two follow-ups moved in rapport, as `followups edit` would
        conn.execute(
            "UPDATE follow_up SET due_date = '2027-01-05', sequence = sequence + 1,"
            " updated_at = '2026-11-23 09:30:00' WHERE id IN"
            " (SELECT id FROM follow_up WHERE done = 0 ORDER BY id DESC LIMIT 2)"
        )
    conn.close()


def _database_and_synced(folder: Path, vdir: str, pattern: str) -> object:
    files = {p.name: p.read_bytes() for p in (folder / vdir).glob(pattern)}
    database = contents(folder / DATABASE)
    # The record names its vdir by its full path, which differs between the copies.
    database["sync_state"] = [(r[0], "VDIR", *r[2:]) for r in database["sync_state"]]
    return {"database": database, "files": files}


def _database_and_sync_vdir(folder: Path) -> object:
    return _database_and_synced(folder, "vdir", "*.ics")


def _follow_the_copy(folder: Path, vdir: str) -> None:
    # Each run is on a copy of the folder: its record follows the vdir there,
    # as if the person had synced this copy (a moved vdir is another vdir).
    conn = sqlite3.connect(folder / DATABASE)
    with conn:
        conn.execute("UPDATE sync_state SET vdir = ?", (str((folder / vdir).resolve()),))
    conn.close()


def rows_whole_files_old_or_new(before: object, everything: object, state: object) -> str:
    """A sync commits its rows after its files: rows all or none, each file old or new."""
    assert isinstance(before, dict) and isinstance(everything, dict) and isinstance(state, dict)
    assert state["database"] in (before["database"], everything["database"]), "rows half done"
    old, new, now = before["files"], everything["files"], state["files"]
    for name in set(old) | set(new) | set(now):
        assert now.get(name) in (old.get(name), new.get(name)), f"{name} is neither old nor new"
    if state == before:
        return "nothing"
    if state == everything:
        return "everything"
    return "files, not yet rows"


def sync_again_finishes_the_job(folder: Path) -> None:
    """The next sync after a kill takes in and sends what is left; the one after, nothing."""
    from click.testing import CliRunner

    from rapport.cli import cli
    from rapport.db import close_database

    args = ["--db", str(folder / DATABASE), "export", "ics", "--todo", "--vdir"]
    args += [str(folder / "vdir"), "--sync"]
    for expected in (None, "nothing changed"):
        close_database()
        result = CliRunner().invoke(cli, args, prog_name="rapport")
        assert result.exit_code == 0, result.output
        if expected:
            assert result.output.endswith(f"{expected}\n"), result.output
    close_database()
    ticked = [p.stem for p in sorted((folder / "vdir").glob("*.ics"))[:3]]
    conn = sqlite3.connect(folder / DATABASE)
    # Done, or (a repeating one) moved on to its next date and open again.
    done = conn.execute(
        f"SELECT COUNT(*) FROM follow_up WHERE uid IN ({','.join('?' * len(ticked))})"
        " AND (done = 1 OR rrule != '')",
        ticked,
    ).fetchone()[0]
    conn.close()
    assert done == 3, "the tasks ticked off elsewhere did not come in"


@crash_case(
    "sync-vdir",
    prepare=_network_synced_and_ticked_off,
    state=_database_and_sync_vdir,
    judge=rows_whole_files_old_or_new,
    reopen=sync_again_finishes_the_job,
    durable=COMMITTED | PUBLISHED,
)
def sync_vdir(folder: Path) -> None:
    """``rapport export ics --todo --vdir DIR --sync``: three tasks done elsewhere come in,
    two follow-ups moved in rapport go out."""
    vdir = str(folder / "vdir")
    _follow_the_copy(folder, "vdir")
    rapport("--db", str(folder / DATABASE), "export", "ics", "--todo", "--vdir", vdir, "--sync")


# The numbers a phone fixed on three cards of a synced contacts vdir.
PHONE_FIXES = ("+1 415 555 0101", "+1 415 555 0102", "+1 415 555 0103")


def _network_cards_synced_and_edited(folder: Path) -> None:
    """A contacts vdir synced both ways, then three numbers fixed on the phone and two
    contacts' titles changed in rapport: a sync then has to take in and to send."""
    network(folder)
    db = str(folder / DATABASE)
    rapport("--db", db, "export", "vcard", "--vdir", str(folder / "cards"))
    cards = sorted((folder / "cards").glob("*.vcf"))[: len(PHONE_FIXES)]
    for path, number in zip(cards, PHONE_FIXES, strict=True):
        lines = path.read_bytes().decode().split("\r\n")
        lines = [line for line in lines if not line.startswith("TEL")]
        lines.insert(lines.index("END:VCARD"), f"TEL:{number}")
        path.write_bytes("\r\n".join(lines).encode())
    conn = sqlite3.connect(db)
    with conn:  # two titles changed in rapport, as `contacts edit` would
        conn.execute(
            "UPDATE contact SET role = 'Head of Sync', updated_at = '2026-11-23 09:30:00'"
            " WHERE id IN (SELECT id FROM contact WHERE archived = 0 ORDER BY id DESC LIMIT 2)"
        )
    conn.close()


def _database_and_cards(folder: Path) -> object:
    return _database_and_synced(folder, "cards", "*.vcf")


def sync_cards_again_finishes_the_job(folder: Path) -> None:
    """The next sync after a kill takes in the numbers and sends the titles; the one
    after, nothing."""
    from click.testing import CliRunner

    from rapport.cli import cli
    from rapport.db import close_database

    # A kill may land before the run made the record follow this copy.
    _follow_the_copy(folder, "cards")
    args = ["--db", str(folder / DATABASE), "export", "vcard", "--vdir", str(folder / "cards")]
    for expected in (None, "nothing changed"):
        close_database()
        result = CliRunner().invoke(cli, args, prog_name="rapport")
        assert result.exit_code == 0, result.output
        if expected:
            assert result.output.endswith(f"{expected}\n"), result.output
    close_database()
    conn = sqlite3.connect(folder / DATABASE)
    phones = {row[0] for row in conn.execute("SELECT phone FROM contact")}
    conn.close()
    assert set(PHONE_FIXES) <= phones, "the numbers fixed on the phone did not come in"
    titled = [
        p for p in (folder / "cards").glob("*.vcf") if b"TITLE:Head of Sync" in p.read_bytes()
    ]
    assert len(titled) == 2, "the titles changed in rapport did not go out"


@crash_case(
    "sync-cards",
    prepare=_network_cards_synced_and_edited,
    state=_database_and_cards,
    judge=rows_whole_files_old_or_new,
    reopen=sync_cards_again_finishes_the_job,
    durable=COMMITTED | PUBLISHED,
)
def sync_cards(folder: Path) -> None:
    """``rapport export vcard --vdir DIR``: three numbers fixed on the phone come in,
    two titles changed in rapport go out."""
    _follow_the_copy(folder, "cards")
    rapport("--db", str(folder / DATABASE), "export", "vcard", "--vdir", str(folder / "cards"))
