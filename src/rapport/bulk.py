"""Writing and reading whole tables at once: the fast paths imports and restores need.

Services call these inside their own transaction.  They live in the store,
beside the models, because they work on the models' columns directly (one
prepared INSERT for thousands of rows, every table as plain rows): a format
parses and writes files and never reaches the database.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from peewee import (
    AutoField,
    BooleanField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
    TimeField,
)

from rapport.errors import ImportFailed, ValidationError
from rapport.models import ALL_MODELS, database
from rapport.text import without_controls

CHUNK = 400  # rows per INSERT: 22 columns stay well under SQLite's variable limit

# Told how many rows went in after each chunk (an import's progress bar).
ChunkCallback = Callable[[int], None]

# Checks a restored value beyond its type: (value, the whole row); raises
# ValueError or ValidationError.  Keyed by (table, column).
ValueCheck = Callable[[Any, dict[str, Any]], None]


def insert_rows(
    model: Any, rows: list[dict[str, Any]], *, on_chunk: ChunkCallback | None = None
) -> None:
    """Insert rows (all with the same keys) with one prepared statement, in the open
    transaction; the search index gets them all at once (see :func:`indexed_once`).

    peewee's insert_many spends most of its time building SQL text for
    every chunk; executemany prepares one statement, 3x faster at 30,000.
    """
    if not rows:
        return
    fields = [model._meta.fields[name] for name in rows[0]]
    columns = ", ".join(f'"{f.column_name}"' for f in fields)
    sql = (
        f'INSERT INTO "{model._meta.table_name}" ({columns}) '
        f"VALUES ({', '.join('?' * len(fields))})"
    )
    cursor = database.cursor()
    with indexed_once([model]):
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start : start + CHUNK]
            cursor.executemany(sql, [[f.db_value(row[f.name]) for f in fields] for row in chunk])
            if on_chunk is not None:
                on_chunk(len(chunk))


# A table's trigger that indexes each new row: one INSERT … VALUES of the new row.
_INDEXING_TRIGGER = re.compile(
    r"\bBEGIN\s+(INSERT\s+INTO\s+search_index\s*\([^)]*\))\s*VALUES\s*\((.*)\)\s*;\s*END\s*$",
    re.IGNORECASE | re.DOTALL,
)


@contextlib.contextmanager
def indexed_once(models: Sequence[Any]) -> Iterator[None]:
    """Inside, rows inserted into these tables are not put in the search index one
    by one; on leaving, each table's new rows go in with one ``INSERT … SELECT``.

    FTS5 takes a row from a trigger 3x slower than many rows from one
    statement (30,000 contacts: 3.6 s against 1.2 s).  Each table's insert
    trigger is dropped and created again within the caller's transaction, so
    a failure or a crash rolls it back with the rows: whole or nothing.  The
    statement is the trigger's own, run over the new rows (``FROM table AS
    new``), so the index holds what the trigger would have put there.
    Outside a transaction, or for a trigger of another shape, rows are
    indexed by the trigger as usual.
    """
    suspended = []
    if database.in_transaction():
        for model in models:
            table, key = model._meta.table_name, model.id.column_name
            name = f"search_{table}_insert"
            found = database.execute_sql(
                "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", (name,)
            ).fetchone()
            shape = _INDEXING_TRIGGER.search(found[0]) if found else None
            if shape is None:
                continue
            newest = database.execute_sql(f'SELECT max("{key}") FROM "{table}"').fetchone()[0]
            database.execute_sql(f'DROP TRIGGER "{name}"')
            suspended.append((table, key, found[0], shape, newest))
    try:
        yield
        for table, key, _, shape, newest in suspended:
            # Rows after the newest one before: an import appends; a restore fills an empty table.
            where, params = ("", ()) if newest is None else (f' WHERE new."{key}" > ?', (newest,))
            database.execute_sql(
                f'{shape.group(1)} SELECT {shape.group(2)} FROM "{table}" AS new{where}', params
            )
    finally:
        for table, _, trigger, _, _ in suspended:
            # Unless SQLite itself rolled the transaction back (a full disk), which
            # brought the trigger back already.
            if not database.execute_sql(
                "SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = ?",
                (f"search_{table}_insert",),
            ).fetchone():
                database.execute_sql(trigger)


# -- every table as plain rows, and back ---------------------------------------


def table_names() -> list[str]:
    """Every table of the models, in the order a restore fills them."""
    return [model._meta.table_name for model in ALL_MODELS]


def _plain(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.time)):  # datetimes are dates too
        return value.isoformat()
    return value


# Dates and times as peewee stores them, read back with the C parser rather
# than peewee's strptime (10x slower: most of a 30,000-contact export's time).
_STORED_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_STORED_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\.\d{6})?")
_STORED_TIME = re.compile(r"\d{2}:\d{2}:\d{2}(?:\.\d{6})?")


def _plain_converter(field: Any) -> Callable[[Any], Any] | None:
    """What makes a stored value of ``field`` plain exactly as peewee and ``_plain``
    would; None where SQLite's value is plain already (text, numbers)."""

    def through_peewee(value: Any) -> Any:
        return None if value is None else _plain(field.python_value(value))

    parse: Callable[[str], Any]
    with_day = isinstance(field, DateTimeField)
    if with_day:
        pattern, parse = _STORED_DATETIME, dt.datetime.fromisoformat
    elif isinstance(field, TimeField):
        pattern, parse = _STORED_TIME, dt.time.fromisoformat
    elif isinstance(field, DateField):
        # A date in ISO form is its own plain value, valid or not (peewee keeps what
        # it cannot read).
        def date(value: Any) -> Any:
            if value.__class__ is str and _STORED_DATE.fullmatch(value):
                return value
            return through_peewee(value)

        return date
    elif isinstance(field, BooleanField):
        return through_peewee
    else:
        return None

    def convert(value: Any) -> Any:
        if value.__class__ is str and pattern.fullmatch(value):
            try:
                parse(value)  # only valid ones: peewee keeps the text of a day that does not exist
            except ValueError:
                return value
            # What isoformat() gives, without building it (its cost dominated the export):
            # "T" between day and time, and no microseconds when they are zero.
            if value.endswith(".000000"):
                value = value[:-7]
            return f"{value[:10]}T{value[11:]}" if with_day else value
        return through_peewee(value)

    return convert


def schema_version() -> int:
    """The open database's schema version (SQLite's user_version)."""
    return int(database.execute_sql("PRAGMA user_version").fetchone()[0])


def plain_tables(
    batch: int = 2000,
) -> Iterator[tuple[str, list[str], Iterator[list[Sequence[Any]]]]]:
    """Every table in restore order: its name, its columns, and its rows in batches.

    Rows are ordered by id, their values plain (numbers, text, ISO dates and
    times, booleans, None), read from a cursor as they are used: a 30,000-contact
    database is never in memory at once.  The search index is rebuilt by its
    triggers, so it is left out.  Call inside a transaction for one consistent
    snapshot of every table.
    """
    for model in ALL_MODELS:
        fields = model._meta.sorted_fields
        columns = [f.column_name for f in fields]
        yield model._meta.table_name, columns, _table_batches(model, fields, batch)


def _table_batches(model: Any, fields: list[Any], batch: int) -> Iterator[list[Sequence[Any]]]:
    converters = list(map(_plain_converter, fields))
    selected = ", ".join(f'"{f.column_name}"' for f in fields)
    cursor = database.execute_sql(
        f'SELECT {selected} FROM "{model._meta.table_name}" ORDER BY "{model.id.column_name}"'
    )
    while rows := cursor.fetchmany(batch):
        if not any(converters):
            yield rows
            continue
        # Column by column: one map() per column costs far less than a loop per value.
        columns = [
            values if convert is None else map(convert, values)
            for convert, values in zip(converters, zip(*rows, strict=True), strict=True)
        ]
        yield list(zip(*columns, strict=True))


def _converter(field: Any) -> Any:
    if isinstance(field, DateTimeField):
        return dt.datetime.fromisoformat
    if isinstance(field, DateField):
        return dt.date.fromisoformat
    if isinstance(field, TimeField):
        return dt.time.fromisoformat
    if isinstance(field, BooleanField):
        return _boolean
    return None


def _boolean(value: Any) -> bool:
    # bool("no") is True: only what the export writes (true/false, or 1/0) is read.
    if value in (0, 1) and isinstance(value, (bool, int)):
        return bool(value)
    raise ValueError(value)


def _check_type(field: Any, value: Any) -> None:
    """Raise TypeError for a value of the wrong kind for its column, OverflowError for a
    number SQLite cannot hold: stored as it is, either would break the app later."""
    if isinstance(value, (dict, list)):
        raise TypeError("a column holds one value")
    if value is None:
        return
    kind = field.rel_field if isinstance(field, ForeignKeyField) else field
    if isinstance(kind, (IntegerField, AutoField)) and not isinstance(kind, BooleanField):
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError("not a whole number")
        if not -(2**63) <= value < 2**63:
            raise OverflowError(value)
    elif isinstance(kind, TextField) and not isinstance(value, str):
        raise TypeError("not text")


def _rows(
    model: Any, rows: Any, table: str, checks: Mapping[tuple[str, str], ValueCheck]
) -> list[dict[str, Any]]:
    columns = {f.column_name: f for f in model._meta.sorted_fields}
    if not isinstance(rows, list):
        raise ImportFailed(f"table {table!r} should be a list of rows")
    converted = []
    for row in rows:
        if not isinstance(row, dict):
            raise ImportFailed(f"table {table!r} holds something that is not a row: {row!r:.60}")
        out: dict[Any, Any] = {}
        for column, value in row.items():
            field = columns.get(column)
            if field is None:
                raise ImportFailed(f"table {table!r} has no column {column!r}")
            convert = _converter(field)
            try:
                _check_type(field, value if convert is None else None)
                if value is not None and (table, column) in checks:
                    checks[table, column](value, row)
                if isinstance(value, str) and isinstance(field, TextField):
                    # Kept as every other way in keeps text: no control characters.
                    out[field] = without_controls(value)
                else:
                    out[field] = convert(value) if convert and value is not None else value
            except (TypeError, ValueError, OverflowError, ValidationError):
                raise ImportFailed(
                    f"table {table!r}, row {row.get('id')!r:.30}: {column} {value!r:.60} "
                    "is not valid; nothing was imported"
                ) from None
        converted.append(out)
    return converted


def refuse_unless_empty() -> None:
    """Raise ImportFailed unless every table is empty (a restore keeps every id)."""
    for model in ALL_MODELS:
        count = model.select().count()
        if count:
            raise ImportFailed(
                f"rapport import json restores a whole database into an empty one, and this "
                f"one has {count} {model._meta.table_name} rows; give a new file with --db PATH"
            )


def prepare_tables(
    tables: Mapping[str, Any], checks: Mapping[tuple[str, str], ValueCheck]
) -> list[tuple[Any, list[dict[str, Any]]]]:
    """Every table's rows converted to column values, checked; ImportFailed for one that is not."""
    return [
        (
            model,
            _rows(model, tables.get(model._meta.table_name, []), model._meta.table_name, checks),
        )
        for model in ALL_MODELS
    ]


def restore_tables(
    prepared: Sequence[tuple[Any, list[dict[str, Any]]]],
    source: str,
    *,
    on_chunk: ChunkCallback | None = None,
) -> dict[str, int]:
    """Insert prepared rows with their ids, in the open transaction; rows by table.

    Raises ImportFailed when a row points at a row that is not there.
    """
    restored: dict[str, int] = {}
    # Rows may point at rows further down (a goal's parent, an introducer):
    # references are checked once everything is in.
    database.execute_sql("PRAGMA defer_foreign_keys = ON")
    with indexed_once([model for model, rows in prepared if rows]):
        for model, rows in prepared:
            for start in range(0, len(rows), CHUNK):
                model.insert_many(rows[start : start + CHUNK]).execute()
                if on_chunk is not None:
                    on_chunk(len(rows[start : start + CHUNK]))
            restored[model._meta.table_name] = len(rows)
    broken = database.execute_sql("PRAGMA foreign_key_check").fetchone()
    if broken:
        table, rowid, parent = broken[0], broken[1], broken[2]
        raise ImportFailed(
            f"{source}: {table} row {rowid} points at a {parent} row that is not "
            "in the file; nothing was imported"
        )
    return restored
