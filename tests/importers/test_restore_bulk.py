"""A restore checks and converts each table column by column and builds its indexes
after the rows: the same rows, the same refusals, the same schema as row by row."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rapport import bulk
from rapport.db import open_database
from rapport.errors import ImportFailed
from rapport.models import Contact, Interaction, database
from rapport.services.exchange import _VALUE_CHECKS, export_json, import_json


def _schema() -> list[tuple[str, str]]:
    return database.execute_sql(
        "SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name"
    ).fetchall()


def _config() -> list[tuple[str, object]]:
    return database.execute_sql("SELECT k, v FROM search_index_config ORDER BY k").fetchall()


def _snapshot_with_odd_values() -> dict[str, list[dict[str, object]]]:
    tables = json.loads(export_json())["tables"]
    contact = tables["contact"][0]
    contact["notes"] = "line\r\nbreaks\rand \x1b[31mescapes\x00 kept out\ufeff"
    contact["cadence_days"] = None
    del contact["role"]  # a row of an older rapport: the column's default
    tables["interaction"][0]["summary"] = "café 名前"
    tables["interaction"][0]["notes"] = "a \u2028 b\tc"
    return tables


def test_column_by_column_gives_what_row_by_row_gives(
    sample_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tables = _snapshot_with_odd_values()
    fast = bulk.prepare_tables(json.loads(json.dumps(tables)), _VALUE_CHECKS)
    monkeypatch.setattr(bulk, "_column_values", lambda *args: None)  # every table row by row
    slow = bulk.prepare_tables(tables, _VALUE_CHECKS)

    def shown(prepared: list[bulk.TableRows]) -> list[tuple[list[str], list[tuple[object, ...]]]]:
        return [([f.column_name for f in t.fields], t.rows) for t in prepared]

    assert shown(fast) == shown(slow)
    table = next(t for t in fast if t.model is Contact)
    contact = dict(zip([f.column_name for f in table.fields], table.rows[0], strict=True))
    assert contact["notes"] == "line\nbreaks\nand [31mescapes kept out"
    assert contact["role"] is bulk.MISSING and contact["cadence_days"] is None


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("name", 7),
        ("name", "two\nlines"),
        ("cadence_days", True),
        ("cadence_days", 2**70),
        ("created_at", "2024-02-30T10:00:00"),
        ("notes", ["a", "list"]),
    ],
)
def test_a_bad_value_is_refused_with_its_row_and_column(
    sample_db: Path, column: str, value: object
) -> None:
    tables = json.loads(export_json())["tables"]
    tables["contact"][1][column] = value

    with pytest.raises(ImportFailed, match=rf"table 'contact', row 2: {column} "):
        bulk.prepare_tables(tables, _VALUE_CHECKS)


def test_a_restore_builds_the_indexes_again_and_keeps_the_search_setting(
    sample_db: Path, tmp_path: Path
) -> None:
    schema, config = _schema(), _config()
    path = tmp_path / "all.json"
    path.write_text(export_json())
    open_database(tmp_path / "restored.db")

    import_json(path)

    assert _schema() == schema
    assert _config() == config or dict(_config()) == {**dict(config), "hashsize": 1024 * 1024}
    plan = database.execute_sql(
        "EXPLAIN QUERY PLAN SELECT id FROM interaction WHERE date = '2026-01-01'"
    ).fetchall()
    assert "interaction_date" in str(plan)


def test_rows_that_break_a_unique_index_are_refused_and_nothing_is_written(
    sample_db: Path, tmp_path: Path
) -> None:
    data = json.loads(export_json())
    links = data["tables"]["interaction_contact"]
    twin = dict(links[0], id=max(link["id"] for link in links) + 1)
    links.append(twin)  # the same person twice in the same interaction
    path = tmp_path / "all.json"
    path.write_text(json.dumps(data))
    open_database(tmp_path / "restored.db")
    schema = _schema()

    with pytest.raises(ImportFailed, match=r"rows do not fit together.*UNIQUE"):
        import_json(path)

    assert Contact.select().count() == Interaction.select().count() == 0
    assert _schema() == schema


def test_a_row_without_a_value_its_column_needs_is_refused(sample_db: Path, tmp_path: Path) -> None:
    data = json.loads(export_json())
    del data["tables"]["interaction"][3]["date"]  # NOT NULL, no default
    path = tmp_path / "all.json"
    path.write_text(json.dumps(data))
    open_database(tmp_path / "restored.db")

    with pytest.raises(ImportFailed, match=r"rows do not fit together.*date"):
        import_json(path)

    assert Interaction.select().count() == 0


def _required_columns() -> list[tuple[str, str]]:
    from rapport.bulk import ALL_MODELS

    return [
        (model._meta.table_name, field.column_name)
        for model in ALL_MODELS
        for field in model._meta.sorted_fields
        if not field.null
    ]


def _snapshot_of_every_table() -> dict[str, list[dict[str, object]]]:
    """The sample network with a row in the tables it leaves empty."""
    import datetime as dt

    from rapport.models import Event, FollowUp
    from rapport.services import events, followups, promises

    today = dt.date(2026, 11, 23)
    promises.record(["Ask Dana for a review"], [], today=today)
    promises.keep_checkin("# Weekly check-in", today=today)
    events.add_attendees(Event.select().first().id, [Contact.select().first().id])
    followups.delete_followup(FollowUp.select().first().id)
    return json.loads(export_json())["tables"]


def test_the_sample_has_a_row_in_every_table_with_a_required_column(sample_db: Path) -> None:
    # So that the test below covers each of them.
    tables = _snapshot_of_every_table()
    empty = sorted({t for t, _ in _required_columns() if not tables[t]})
    assert empty == [], ", ".join(empty)


@pytest.mark.parametrize(
    ("table", "column"), _required_columns(), ids=[".".join(c) for c in _required_columns()]
)
def test_a_null_where_a_column_takes_none_names_its_row(
    sample_db: Path, table: str, column: str
) -> None:
    # {"name": null} in a contact went through to SQLite's NOT NULL: a line naming
    # no row ("not saved, it breaks a rule of the database"), exit 1.
    tables = _snapshot_of_every_table()
    row = tables[table][-1]
    row[column] = None
    said = (
        f"table {table!r}, row {row.get('id')!r}: {column} is null, and every {table} row has "
        "one; nothing was imported"
    )
    with pytest.raises(ImportFailed) as refused:
        bulk.prepare_tables(tables, _VALUE_CHECKS)
    assert str(refused.value) == said
