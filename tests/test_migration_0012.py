"""Migration 0012: the per-item sync state, added to an older database without touching it.

What a person notices: a database from before two-way sync opens, keeps
every follow-up, and its first sync starts from an empty record.
"""

from __future__ import annotations

from pathlib import Path

from playhouse.migrations import Runner

from rapport.db import MIGRATION_TABLE, close_database, connect, open_database
from rapport.models import FollowUp, SyncState, database
from rapport.resources import migrations_dir


def tables() -> set[str]:
    rows = database.execute_sql("SELECT name FROM sqlite_master WHERE type = 'table'")
    return {name for (name,) in rows}


def test_an_older_database_gains_an_empty_sync_record(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    path.touch(mode=0o600)
    db = connect(path)
    Runner(db, str(migrations_dir()), table_name=MIGRATION_TABLE).up(
        target="0008_interaction_contact_direction"
    )
    db.execute_sql("PRAGMA user_version = 8")
    db.execute_sql(
        "INSERT INTO follow_up (id, created_at, updated_at, title, due_date, uid, sequence)"
        " VALUES (1, '2026-01-01 09:00:00', '2026-01-01 09:00:00', 'Send the deck',"
        " '2026-11-25', 'old-1@rapport', 3)"
    )
    close_database()

    open_database(path)
    try:
        assert "sync_state" in tables()
        assert SyncState.select().count() == 0
        kept = FollowUp.get(FollowUp.uid == "old-1@rapport")
        assert (kept.title, kept.sequence) == ("Send the deck", 3)
        SyncState.create(
            vdir="/v",
            uid="old-1@rapport",
            kind="todo",
            href="old-1@rapport.ics",
            hash="abc",
            sequence=3,
        )
    finally:
        close_database()


def test_down_drops_the_record_and_up_brings_it_back(db_path: Path) -> None:
    runner = Runner(database.obj, str(migrations_dir()), table_name=MIGRATION_TABLE)
    runner.down(target="0012_sync_state")  # and any after it
    assert "sync_state" not in tables()
    assert "follow_up" in tables()
    runner.up()
    assert "sync_state" in tables()
    SyncState.create(vdir="/v", uid="u", kind="todo", href="u.ics", hash="h")
    assert SyncState.select().count() == 1
