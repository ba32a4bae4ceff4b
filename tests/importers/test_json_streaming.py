"""The JSON export is streamed from cursors: the same bytes as json.dumps of the whole
snapshot, every value made plain as peewee would, and still an atomic file."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rapport import bulk
from rapport.models import ALL_MODELS, Contact, FollowUp, Interaction, database
from rapport.services.exchange import export_json


def _whole_snapshot_at_once() -> str:
    """The export as it was before streaming: peewee rows, json.dumps with an indent."""
    tables = {}
    for model in ALL_MODELS:
        fields = model._meta.sorted_fields
        columns = [f.column_name for f in fields]
        tables[model._meta.table_name] = [
            dict(zip(columns, (bulk._plain(v) for v in row), strict=True))
            for row in model.select(*fields).order_by(model.id).tuples()
        ]
    version = database.execute_sql("PRAGMA user_version").fetchone()[0]
    sequences = dict(database.execute_sql("SELECT name, seq FROM sqlite_sequence ORDER BY name"))
    snapshot = {
        "format": "rapport",
        "schema_version": version,
        "tables": tables,
        "sequences": sequences,
    }
    return json.dumps(snapshot, indent=2, ensure_ascii=False) + "\n"


TRICKY_NOTES = (
    'She said "}, {" and\nthen,\n        "name": left\t\\ \x01 \u2028 Zoë 名前 🙂 },\n        {'
)


def test_streamed_export_is_byte_for_byte_the_whole_snapshot(sample_db: Path) -> None:
    contact = Contact.select().first()
    contact.notes = TRICKY_NOTES
    contact.save()
    # Values only a hand-edited database holds: each is written as peewee reads it.
    database.execute_sql(
        "UPDATE contact SET created_at = '2024-02-30 10:00:00', cadence_days = '14', "
        "updated_at = '2024-01-02 03:04:05.000000' WHERE id = ?",
        (contact.id,),
    )
    database.execute_sql("UPDATE interaction SET date = '2024-2-5' WHERE id = 1")

    text = export_json()

    assert text == _whole_snapshot_at_once()
    rows = json.loads(text)["tables"]["contact"]
    assert next(r for r in rows if r["id"] == contact.id)["notes"] == TRICKY_NOTES


def test_a_table_read_in_many_batches_is_one_list(sample_db: Path) -> None:
    from rapport.importers.json_ import snapshot_chunks

    with database.atomic():
        tables = bulk.plain_tables(batch=2)
        text = "".join(snapshot_chunks(bulk.schema_version(), tables, bulk.sequences()))

    assert text == _whole_snapshot_at_once()


STORED = [
    "2018-11-26 09:17:00",
    "2018-11-26 09:17:00.000000",
    "2018-11-26 09:17:00.123456",
    "2024-02-29 10:00:00",
    "2023-02-29 10:00:00",
    "0000-01-01 00:00:00",
    "2024-01-01 24:00:00",
    "2024-01-01 10:00:60",
    "2024-1-1 1:2:3",
    "2024-01-01",
    "2024-13-01",
    "2024-01-01T10:00:00",
    "2024-01-01 10:00:00.12",
    "10:00:00",
    "10:00:00.000000",
    "10:00:00.5",
    "25:00:00",
    "10:00",
    "",
    "x",
    0,
    1,
    20240101,
]


@pytest.mark.parametrize(
    "field",
    [Interaction.created_at, Interaction.date, FollowUp.due_time, FollowUp.done],
    ids=lambda f: f"{type(f).__name__}",
)
def test_stored_values_are_made_plain_exactly_as_peewee_makes_them(field: Any) -> None:
    convert = bulk._plain_converter(field)
    assert convert is not None
    for stored in STORED:
        expected = bulk._plain(field.python_value(stored))
        got = convert(stored)
        assert (got, type(got)) == (expected, type(expected)), stored
    assert convert(None) is None
    assert bulk._plain_converter(Contact.name) is None


def test_an_export_that_fails_half_way_leaves_the_old_file(
    sample_cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "all.json"
    target.write_text("yesterday's export")
    streamed = bulk.plain_tables

    def failing(batch: int = 2000) -> Any:
        for number, table in enumerate(streamed(batch=1)):
            if number == 3:
                raise OSError(28, "No space left on device")
            yield table

    monkeypatch.setattr(bulk, "plain_tables", failing)
    result = sample_cli("export", "json", "-o", str(target))

    assert result.exit_code != 0
    assert "No space left on device" in result.stderr
    assert target.read_text() == "yesterday's export"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".all.json")] == []


def test_dates_of_every_kind_survive_the_stream(sample_db: Path) -> None:
    followup = FollowUp.select().first()
    followup.due_time = dt.time(9, 30)
    followup.done_at = dt.datetime(2026, 1, 2, 3, 4, 5, 678901)
    followup.save()

    row = next(
        r for r in json.loads(export_json())["tables"]["follow_up"] if r["id"] == followup.id
    )

    assert (row["due_time"], row["done_at"]) == ("09:30:00", "2026-01-02T03:04:05.678901")


@pytest.mark.parametrize(
    "field",
    [Interaction.created_at, Interaction.date, FollowUp.due_time, FollowUp.done],
    ids=lambda f: f"{type(f).__name__}",
)
def test_a_batch_is_made_plain_as_each_of_its_values_is(field: Any) -> None:
    convert, column = bulk._plain_converter(field), bulk._plain_column(field)
    assert convert is not None and column is not None
    well_formed = [v for v in STORED if isinstance(v, str) and convert(v) != v] or STORED
    batches = [[value] for value in STORED] + [
        STORED,
        well_formed,
        well_formed * 3,
        [*well_formed, None],
        ["2024-01-01"] * 4,
    ]
    for batch in batches:
        assert list(column(batch)) == [convert(v) for v in batch], batch


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.text(st.characters(exclude_categories=("Cs",))),
            st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_rows_are_written_as_json_dumps_writes_them(rows: list[tuple[str, Any]]) -> None:
    from rapport.importers.json_ import snapshot_chunks

    columns = ["text", "value"]
    text = "".join(snapshot_chunks(3, [("t", columns, [rows[:2], rows[2:]])]))

    tables = {"t": [dict(zip(columns, row, strict=True)) for row in rows]}
    snapshot = {"format": "rapport", "schema_version": 3, "tables": tables}
    assert text == json.dumps(snapshot, indent=2, ensure_ascii=False) + "\n"
    for sequences in ({}, {"t": 7, "u": 2**62}):  # none used yet, and some
        text = "".join(snapshot_chunks(3, [("t", columns, [rows])], sequences))
        with_them = {**snapshot, "sequences": sequences}
        assert text == json.dumps(with_them, indent=2, ensure_ascii=False) + "\n"


def test_values_only_a_hand_edited_database_holds_are_written_as_json_dumps_writes_them(
    sample_db: Path,
) -> None:
    contact = Contact.select().first()
    database.execute_sql("UPDATE contact SET connected_on = 1e-7 WHERE id = ?", (contact.id,))

    text = export_json()

    assert text == _whole_snapshot_at_once()
    assert '"connected_on": 1e-07' in text  # orjson writes 1e-7
