"""Bulk imports fill the search index once, after the rows, in the same transaction:
what it holds is what the row-by-row triggers would have put there."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from exchange_helpers import DATA

from rapport import bulk
from rapport.errors import ImportFailed
from rapport.models import Contact, database
from rapport.services.contacts import create_contact
from rapport.services.exchange import export_json, import_json, import_linkedin
from rapport.services.search import search

CONNECTIONS = DATA / "linkedin" / "Connections.csv"
NOW = dt.datetime(2026, 11, 23, 9, 0)


def _index() -> list[tuple[int, str, str]]:
    return database.execute_sql(
        "SELECT rowid, title, body FROM search_index ORDER BY rowid"
    ).fetchall()


def _reindexed_by_triggers() -> list[tuple[int, str, str]]:
    """The index as the update triggers write it, row by row, for every document."""
    with database.atomic() as transaction:
        for table in ("contact", "interaction", "interview", "event", "skill", "trait"):
            database.execute_sql(f"UPDATE {table} SET id = id")
        # These two rewrite their document only when its words may have changed.
        database.execute_sql("UPDATE goal SET title = title")
        database.execute_sql("UPDATE follow_up SET title = title")
        index = _index()
        transaction.rollback()
    return index


def _insert_triggers() -> set[str]:
    return {
        name
        for (name,) in database.execute_sql(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'search_%_insert'"
        )
    }


def test_an_import_indexes_new_contacts_as_the_triggers_would(db_path: Path) -> None:
    create_contact("Ada Lovelace", notes="analytical engine")
    triggers = _insert_triggers()

    import_linkedin(CONNECTIONS)

    assert Contact.select().count() == 6
    assert len(_index()) == 6  # every contact once, the earlier one not twice
    assert _index() == _reindexed_by_triggers()
    assert [hit.title for hit in search("Northwind")][:1] == ["Dana Whitfield (Northwind Cloud)"]
    assert _insert_triggers() == triggers  # back in place for the next single insert
    create_contact("Grace Hopper", notes="compilers")
    assert [hit.title for hit in search("compilers")] == ["Grace Hopper"]


def test_a_restore_indexes_every_table_as_the_triggers_would(
    sample_db: Path, tmp_path: Path
) -> None:
    from rapport.db import open_database

    expected, triggers = _index(), _insert_triggers()
    path = tmp_path / "all.json"
    path.write_text(export_json())
    open_database(tmp_path / "restored.db")

    import_json(path)

    assert _index() == expected == _reindexed_by_triggers()
    assert _insert_triggers() == triggers and len(triggers) == 8


def test_an_import_that_fails_leaves_rows_index_and_triggers_as_they_were(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    create_contact("Ada Lovelace", notes="analytical engine")
    before, triggers = _index(), _insert_triggers()
    real_insert = bulk.insert_rows

    def insert_then_fail(model: object, rows: list[dict[str, object]], **kwargs: object) -> None:
        def fail(count: int) -> None:
            # Inside indexed_once, with the triggers dropped: they come back with the rollback.
            assert _insert_triggers() < triggers
            raise ImportFailed("the disk filled up")

        real_insert(model, rows, on_chunk=fail if model is Contact else None)  # type: ignore[arg-type]

    monkeypatch.setattr("rapport.services.importing.insert_rows", insert_then_fail)
    with pytest.raises(ImportFailed):
        import_linkedin(CONNECTIONS)

    assert Contact.select().count() == 1
    assert (_index(), _insert_triggers()) == (before, triggers)


def test_outside_a_transaction_the_triggers_index_row_by_row(db_path: Path) -> None:
    triggers = _insert_triggers()
    with bulk.indexed_once([Contact]):
        assert _insert_triggers() == triggers
        Contact.create(name="Ada Lovelace", notes="analytical engine")
    assert [hit.title for hit in search("analytical")] == ["Ada Lovelace"]


def test_the_index_is_filled_by_one_statement_not_by_a_trigger_per_row(db_path: Path) -> None:
    statements: list[str] = []
    connection = database.connection()
    connection.set_trace_callback(statements.append)
    try:
        import_linkedin(CONNECTIONS)
    finally:
        connection.set_trace_callback(None)

    # A trigger's statements are traced too (as "-- TRIGGER ..." or their text).
    into_index = [
        s
        for s in statements
        if "INSERT INTO search_index" in s
        and "CREATE TRIGGER" not in s
        and "(search_index, rank)" not in s  # FTS5's settings, not documents
    ]
    assert len(into_index) == 1
    assert "SELECT" in into_index[0] and Contact.select().count() == 5


def test_a_trigger_with_a_condition_indexes_its_own_rows(db_path: Path) -> None:
    from rapport.bulk import insert_rows

    (trigger,) = database.execute_sql(
        "SELECT sql FROM sqlite_master WHERE name = 'search_contact_insert'"
    ).fetchone()
    database.execute_sql("DROP TRIGGER search_contact_insert")
    database.execute_sql(
        trigger.replace("ON contact BEGIN", "ON contact WHEN new.archived = 0 BEGIN")
    )
    rows = [
        {"name": "Ada Lovelace", "archived": False},
        {"name": "Charles Babbage", "archived": True},
    ]
    rows = [
        row | {"notes": "analytical engine", "created_at": NOW, "updated_at": NOW} for row in rows
    ]
    with database.atomic():
        insert_rows(Contact, rows)

    assert [hit.title for hit in search("analytical")] == ["Ada Lovelace"]


def test_rows_given_an_id_below_the_newest_are_refused_not_left_unindexed(db_path: Path) -> None:
    from rapport.bulk import insert_rows

    first = create_contact("Ada Lovelace")
    create_contact("Grace Hopper")
    Contact.delete_by_id(first.id)
    before = _index()

    with pytest.raises(RuntimeError, match="below its newest id"), database.atomic():
        insert_rows(
            Contact,
            [{"id": first.id, "name": "Charles Babbage", "created_at": NOW, "updated_at": NOW}],
        )

    assert (_index(), Contact.select().count()) == (before, 1)
    assert search("Babbage") == []
