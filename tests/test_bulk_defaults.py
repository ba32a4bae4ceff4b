"""Bulk inserts leave a column that holds its default in every row to SQLite: the rows
stored are the same, value and type, as when every column is given."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from rapport import bulk
from rapport.models import Contact, database

NOW = dt.datetime(2026, 11, 23, 9, 0)


def _stored() -> list[tuple[Any, ...]]:
    columns = [f'"{f.column_name}", typeof("{f.column_name}")' for f in Contact._meta.sorted_fields]
    return database.execute_sql(f"SELECT {', '.join(columns)} FROM contact ORDER BY id").fetchall()


def _inserted(columns: dict[str, list[Any]]) -> tuple[list[str], list[tuple[Any, ...]]]:
    """What the insert sent SQLite, and the rows it stored (then rolled back)."""
    statements: list[str] = []
    connection = database.connection()
    connection.set_trace_callback(statements.append)
    try:
        with database.atomic() as transaction:
            rows = len(columns["name"])
            bulk.insert_rows(Contact, [{k: v[i] for k, v in columns.items()} for i in range(rows)])
            stored = _stored()
            transaction.rollback()
    finally:
        connection.set_trace_callback(None)
    return [s for s in statements if s.startswith('INSERT INTO "contact"')], stored


def test_columns_holding_their_default_are_left_to_sqlite(db_path: Path) -> None:
    rows = 3
    columns: dict[str, list[Any]] = {
        "name": ["Ann", "Bob", "Cy"],
        "created_at": [NOW] * rows,
        "updated_at": [NOW] * rows,
        "role": ["", "", ""],  # TEXT NOT NULL DEFAULT ''
        "archived": [False] * rows,  # INTEGER NOT NULL DEFAULT 0
        "cadence_days": [None] * rows,  # NULL allowed, no default
        "organization": [None] * rows,
        "notes": ["", "a note", ""],  # one row holds something: given
    }
    sent, stored = _inserted(columns)

    assert sent and all('"role"' not in s and '"archived"' not in s for s in sent)
    assert all('"cadence_days"' not in s and '"notes"' in s for s in sent)
    # The same rows, value and type, as with every column given.
    with database.atomic() as transaction:
        Contact.insert_many([{k: v[i] for k, v in columns.items()} for i in range(rows)]).execute()
        assert stored == _stored()
        transaction.rollback()
