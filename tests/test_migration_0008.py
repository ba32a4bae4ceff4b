"""Migration 0008: each interaction's direction kept beside its participants, by triggers.

What a person notices: the review's give-and-take follows every interaction
they log, re-classify or move, and an older database opened by this rapport
shows the same review it did before the upgrade.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from playhouse.migrations import Runner

from rapport.db import MIGRATION_TABLE, close_database, connect, open_database
from rapport.models import InteractionContact, database
from rapport.resources import migrations_dir
from rapport.services import contacts, goals, interactions, links, review

TODAY = dt.date(2026, 11, 23)  # the frozen clock's day (tests/conftest.py)


def give_and_take(goal_id: int) -> tuple[int, int, int]:
    r = review.goal_review(goal_id, today=TODAY).reciprocity
    return r.gave, r.asked, r.mutual


def copies() -> dict[tuple[int, int], tuple[str | None, str | None]]:
    rows = database.execute_sql(
        "SELECT interaction_id, contact_id, date, direction FROM interaction_contact"
    ).fetchall()
    return {(i, c): (d, direction) for i, c, d, direction in rows}


def test_logging_editing_and_moving_keep_the_review_right(db_path: Path) -> None:
    goal = goals.create_goal("Move into platform engineering")
    dana = contacts.create_contact("Dana Whitfield")
    priya = contacts.create_contact("Priya Raman")
    links.link_contacts_to_goal(goal, [dana, priya])
    intro = interactions.log_interaction([dana, priya], date="2026-11-02", direction="gave")
    ask = interactions.log_interaction([dana], date="2026-10-01", direction="asked")
    assert give_and_take(goal.id) == (2, 1, 0)

    interactions.update_interaction(ask, direction="mutual")
    assert give_and_take(goal.id) == (2, 0, 1)
    interactions.update_interaction(intro, date="2026-11-20")
    assert copies()[(intro.id, priya.id)] == ("2026-11-20", "gave")

    # A participant moved to another interaction takes its date and direction.
    InteractionContact.update(interaction=ask.id).where(
        (InteractionContact.interaction == intro.id) & (InteractionContact.contact == priya.id)
    ).execute()
    assert copies()[(ask.id, priya.id)] == ("2026-10-01", "mutual")
    assert give_and_take(goal.id) == (1, 0, 2)


def test_an_older_database_is_upgraded_with_its_directions(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    path.touch(mode=0o600)
    db = connect(path)
    Runner(db, str(migrations_dir()), table_name=MIGRATION_TABLE).up(
        target="0006_interaction_contact_date"
    )
    db.execute_sql("PRAGMA user_version = 6")
    db.execute_sql(
        "INSERT INTO contact (id, created_at, updated_at, name) VALUES"
        " (1, '2026-01-01 09:00:00', '2026-01-01 09:00:00', 'Dana')"
    )
    db.execute_sql(
        "INSERT INTO interaction (id, created_at, updated_at, date, direction) VALUES"
        " (1, '2026-01-01 09:00:00', '2026-01-01 09:00:00', '2026-03-04', 'asked'),"
        " (2, '2026-01-01 09:00:00', '2026-01-01 09:00:00', '2026-05-06', 'gave')"
    )
    db.execute_sql(
        "INSERT INTO interaction_contact (interaction_id, contact_id) VALUES (1, 1), (2, 1)"
    )
    close_database()

    open_database(path)
    try:
        assert copies() == {(1, 1): ("2026-03-04", "asked"), (2, 1): ("2026-05-06", "gave")}
        goal = goals.create_goal("Find a mentor")
        links.link_contacts_to_goal(goal, [1])
        assert give_and_take(goal.id) == (1, 1, 0)
    finally:
        close_database()


def test_down_puts_0006_back_and_up_restores_the_copy(db_path: Path) -> None:
    from rapport.services.resolve import resolve_contact

    # The stored row, read while every column is there: after the down migration
    # a fresh read would ask for columns that later migrations add.
    dana = resolve_contact(contacts.create_contact("Dana Whitfield"))
    interactions.log_interaction([dana], date="2026-11-02", direction="gave")
    runner = Runner(database.obj, str(migrations_dir()), table_name=MIGRATION_TABLE)

    runner.down(target="0008_interaction_contact_direction")  # and any migration after it
    columns = [r[1] for r in database.execute_sql("PRAGMA table_info(interaction_contact)")]
    assert "direction" not in columns and "date" in columns
    # 0006's own triggers copy the date again.
    later = interactions.log_interaction([dana], date="2026-11-05")
    dates = database.execute_sql("SELECT interaction_id, date FROM interaction_contact").fetchall()
    assert dict(dates)[later.id] == "2026-11-05"

    runner.up()
    assert copies()[(later.id, dana.id)] == ("2026-11-05", "mutual")


def test_the_review_reads_interaction_contact_indexes_alone(db_path: Path) -> None:
    conn = sqlite3.connect(db_path)
    try:

        def plan(sql: str) -> str:
            return " ".join(row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}"))

        counts = plan(
            "SELECT contact_id, direction, COUNT(interaction_id), MAX(date)"
            " FROM interaction_contact WHERE contact_id IN (1, 2) AND date <= '2026-11-23'"
            " GROUP BY contact_id, direction"
        )
        weeks = plan(
            "SELECT contact_id, interaction_id, date FROM interaction_contact"
            " WHERE date BETWEEN '2026-09-01' AND '2026-11-23'"
        )
    finally:
        conn.close()
    assert "COVERING INDEX interaction_contact_contact_id_date_direction_interaction_id" in counts
    assert "COVERING INDEX interaction_contact_date_contact_id_interaction_id" in weeks
