"""The numbers people type are never handed out twice: a record deleted keeps its id
from every record made after it.

Without AUTOINCREMENT, SQLite gives a new row the largest id there plus one:
`rapport review --week --drop 5` and then a new promise made it promise 5
again, so a script (or a note, or an open app) holding "promise 5" acted on
another promise; the same for the newest contact, goal, follow-up, ...
deleted.  AUTOINCREMENT makes SQLite remember the largest id each table ever
had (in sqlite_sequence) and go on from there.

SQLite cannot add AUTOINCREMENT to a table, so each table is made again by
its own recipe (https://sqlite.org/lang_altertable.html, "other kinds of
table schema changes"): the same definition with AUTOINCREMENT under a new
name, every row copied with its id, the old table dropped, the new one
renamed, its indexes made again.  rapport.db._migrate runs it with foreign
keys off (the drop deletes no row that points at the table) and every
trigger lifted and put back after, then checks every reference.  The ids
a table had before the upgrade are the ones it goes on from: a number freed
before it is not known any more.

The tables are those whose numbers a person sees and types: goals,
organizations, contacts, interactions, interviews, events, follow-ups,
skills and promises (a JSON restore keeps their ids, and the sequence goes
on from the largest restored).
"""

import re

TABLES = (
    "goal",
    "organization",
    "contact",
    "interaction",
    "interview",
    "event",
    "follow_up",
    "skill",
    "promise",
)
KEY = re.compile(r"\bid INTEGER NOT NULL PRIMARY KEY\b( AUTOINCREMENT)?")


def _rebuild(db, table, autoincrement):
    """Make ``table`` again with (or without) AUTOINCREMENT, every row and index kept."""
    (sql,) = db.execute_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
    ).fetchone()
    key = "id INTEGER NOT NULL PRIMARY KEY" + (" AUTOINCREMENT" if autoincrement else "")
    made, found = KEY.subn(key, sql, count=1)
    if found != 1:
        raise RuntimeError(f"table {table}: no id column as rapport makes it")
    head = re.compile(rf'^CREATE TABLE "?{table}"?(?=\s*\()')
    made, named = head.subn(f'CREATE TABLE "{table}__new"', made)
    if named != 1:
        raise RuntimeError(f"table {table}: its definition does not start as rapport writes it")
    indexes = [
        index
        for (index,) in db.execute_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ?"
            " AND sql IS NOT NULL",
            (table,),
        ).fetchall()
    ]
    columns = ", ".join(
        f'"{row[1]}"' for row in db.execute_sql(f'PRAGMA table_info("{table}")').fetchall()
    )
    db.execute_sql(made)
    db.execute_sql(
        f'INSERT INTO "{table}__new" ({columns}) SELECT {columns} FROM "{table}" ORDER BY id'
    )
    db.execute_sql(f'DROP TABLE "{table}"')
    db.execute_sql(f'ALTER TABLE "{table}__new" RENAME TO "{table}"')
    for index in indexes:
        db.execute_sql(index)


def _rebuild_all(db, autoincrement):
    if db.execute_sql("PRAGMA foreign_keys").fetchone()[0]:
        # Dropping a table with them on deletes every row pointing at it
        # (interactions, follow-ups, ... of every contact).
        raise RuntimeError("0017 runs with foreign keys off, as rapport.db._migrate runs it")
    # An upgrade runs with every trigger lifted (rapport.db._migrate), but a new
    # database has the ones the migrations before made: a table renamed while a
    # trigger names one dropped a moment ago fails, so they are lifted here too.
    triggers = db.execute_sql("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
    triggers = triggers.fetchall()
    for name, _ in triggers:
        db.execute_sql(f'DROP TRIGGER "{name}"')
    for table in TABLES:
        _rebuild(db, table, autoincrement)
    for _, sql in triggers:
        db.execute_sql(sql)


def up(migrator, db):
    _rebuild_all(db, autoincrement=True)


def down(migrator, db):
    _rebuild_all(db, autoincrement=False)
    db.execute_sql(
        f"DELETE FROM sqlite_sequence WHERE name IN ({', '.join('?' * len(TABLES))})", TABLES
    )
