"""Migration 0006: each interaction's date kept beside its participants, by triggers.

What a person notices: "last contacted" follows every interaction they log,
move or re-date, and an older database opened by this rapport shows the same
dates it did before the upgrade.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from playhouse.migrations import Runner

from rapport.db import MIGRATION_TABLE, close_database, connect, open_database
from rapport.models import InteractionContact, database
from rapport.resources import migrations_dir
from rapport.services import contacts, interactions

TODAY = dt.date(2026, 11, 23)  # the frozen clock's day (tests/conftest.py)


def copied_dates() -> dict[tuple[int, int], str | None]:
    rows = database.execute_sql(
        "SELECT interaction_id, contact_id, date FROM interaction_contact"
    ).fetchall()
    return {(i, c): d for i, c, d in rows}


def test_logging_and_editing_keep_last_contacted(db_path: Path) -> None:
    dana = contacts.create_contact("Dana Whitfield")
    priya = contacts.create_contact("Priya Raman")
    coffee = interactions.log_interaction([dana, priya], date="2026-11-02", channel="coffee")
    call = interactions.log_interaction([dana], date="2026-10-01", channel="call")
    assert copied_dates() == {
        (coffee.id, dana.id): "2026-11-02",
        (coffee.id, priya.id): "2026-11-02",
        (call.id, dana.id): "2026-10-01",
    }
    assert contacts.last_contacted(today=TODAY) == {
        dana.id: dt.date(2026, 11, 2),
        priya.id: dt.date(2026, 11, 2),
    }

    interactions.update_interaction(call, date="2026-11-20")
    assert contacts.last_contacted([dana.id], today=TODAY) == {dana.id: dt.date(2026, 11, 20)}

    interactions.update_interaction(coffee, contacts=[priya])
    assert copied_dates()[(coffee.id, priya.id)] == "2026-11-02"

    # A participant moved to another interaction takes that interaction's date.
    InteractionContact.update(interaction=call.id).where(
        InteractionContact.interaction == coffee.id
    ).execute()
    assert contacts.last_contacted([priya.id], today=TODAY) == {priya.id: dt.date(2026, 11, 20)}


def test_planned_interactions_do_not_count_yet(db_path: Path) -> None:
    dana = contacts.create_contact("Dana Whitfield", cadence_days=30)
    interactions.log_interaction([dana], date="2026-10-01")
    interactions.log_interaction([dana], date="2026-12-24")
    assert contacts.last_contacted(today=TODAY) == {dana.id: dt.date(2026, 10, 1)}
    [row] = contacts.contact_rows(today=TODAY)
    assert (row.last_contacted, row.next_due) == (dt.date(2026, 10, 1), dt.date(2026, 10, 31))


def test_an_older_database_is_upgraded_with_its_dates(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    path.touch(mode=0o600)
    db = connect(path)
    Runner(db, str(migrations_dir()), table_name=MIGRATION_TABLE).up(target="0001_initial")
    db.execute_sql("PRAGMA user_version = 1")
    db.execute_sql(
        "INSERT INTO contact (id, created_at, updated_at, name) VALUES"
        " (1, '2026-01-01 09:00:00', '2026-01-01 09:00:00', 'Dana'),"
        " (2, '2026-01-01 09:00:00', '2026-01-01 09:00:00', 'Priya')"
    )
    db.execute_sql(
        "INSERT INTO interaction (id, created_at, updated_at, date) VALUES"
        " (1, '2026-01-01 09:00:00', '2026-01-01 09:00:00', '2026-03-04'),"
        " (2, '2026-01-01 09:00:00', '2026-01-01 09:00:00', '2026-05-06')"
    )
    db.execute_sql(
        "INSERT INTO interaction_contact (interaction_id, contact_id) VALUES (1, 1), (2, 1), (2, 2)"
    )
    close_database()

    open_database(path)
    try:
        assert contacts.last_contacted(today=TODAY) == {
            1: dt.date(2026, 5, 6),
            2: dt.date(2026, 5, 6),
        }
        assert None not in copied_dates().values()
    finally:
        close_database()
    assert list(tmp_path.glob("old-backups/old-*-pre-migrate.db")), (
        "the old file was backed up first"
    )


def test_down_removes_the_copy_and_up_restores_it(db_path: Path) -> None:
    dana = contacts.create_contact("Dana Whitfield")
    interactions.log_interaction([dana], date="2026-11-02")
    runner = Runner(database.obj, str(migrations_dir()), table_name=MIGRATION_TABLE)

    runner.down(target="0006_interaction_contact_date")  # and the later ones
    columns = [r[1] for r in database.execute_sql("PRAGMA table_info(interaction_contact)")]
    triggers = database.execute_sql(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND sql LIKE '%interaction_contact%'"
        " AND name LIKE 'interaction%'"
    ).fetchall()
    assert "date" not in columns
    assert triggers == []

    runner.up()
    assert copied_dates() == {(1, dana.id): "2026-11-02"}


def test_the_model_declares_the_migrated_indexes(db_path: Path) -> None:
    declared = {index._name for index in InteractionContact._meta.fields_to_index()}
    conn = sqlite3.connect(db_path)
    try:
        migrated = {
            name
            for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'index'"
                " AND tbl_name = 'interaction_contact' AND sql IS NOT NULL"
            )
        }
        plan = " ".join(
            row[3]
            for row in conn.execute(
                "EXPLAIN QUERY PLAN SELECT contact_id, MAX(date) FROM interaction_contact"
                " WHERE date <= '2026-11-23' GROUP BY contact_id"
            )
        )
    finally:
        conn.close()
    assert declared == migrated
    # Last contacted reads the narrow index alone, never the interactions
    # (0008 widened the index 0006 made).
    assert "COVERING INDEX interaction_contact_contact_id_date" in plan
