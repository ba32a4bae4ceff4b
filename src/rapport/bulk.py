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
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
    TimeField,
)

from rapport.errors import ImportFailed, ValidationError
from rapport.models import ALL_MODELS, database
from rapport.text import UNCLEAN, without_controls

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
    given = [(model._meta.fields[name], [row[name] for row in rows]) for name in rows[0]]
    table = model._meta.table_name
    defaults = _column_defaults(table)
    stored = [(f, _as_stored(f, values)) for f, values in given]
    # A column that holds its default in every row is left to SQLite to fill: the
    # same value stored, and half the values to bind (22 columns of a LinkedIn
    # import, 13 of them empty: 0.11 s of inserts against 0.055 at 30,000).
    kept = [(f, values) for f, values in stored if not _all_default(values, defaults, f)]
    kept = kept or stored[:1]
    columns_sql = ", ".join(f'"{f.column_name}"' for f, _ in kept)
    sql = f'INSERT INTO "{table}" ({columns_sql}) VALUES ({", ".join("?" * len(kept))})'
    values = [column for _, column in kept]
    count = len(values[0])
    cursor = database.cursor()
    # Into an empty table (an import into a new database), indexes are built
    # once after the rows; into a full one, kept up row by row as usual.
    empty = database.execute_sql(f'SELECT NOT EXISTS (SELECT 1 FROM "{table}")')
    staged = [model] if empty.fetchone()[0] else []
    with indexed_once([model]), indexes_built_after(staged):
        for start in range(0, count, CHUNK):
            chunk = list(zip(*(column[start : start + CHUNK] for column in values), strict=True))
            cursor.executemany(sql, chunk)
            if on_chunk is not None:
                on_chunk(len(chunk))


# A column's DEFAULT as SQLite reports it, and the value it stands for (what rapport's
# schema uses; any other default is not relied on).
_SQL_DEFAULTS: dict[str | None, Any] = {"''": "", "0": 0, "1": 1, None: None}


def _column_defaults(table: str) -> dict[str, Any]:
    """The value SQLite fills in a column an INSERT leaves out, by column, for the
    columns where that is one of _SQL_DEFAULTS (NULL only where NULL is allowed)."""
    found = {}
    for _, name, _, notnull, default, primary in database.execute_sql(
        f'PRAGMA table_info("{table}")'
    ):
        if default in _SQL_DEFAULTS and not primary and not (default is None and notnull):
            found[name] = _SQL_DEFAULTS[default]
    return found


def _all_default(values: list[Any], defaults: Mapping[str, Any], field: Any) -> bool:
    """Whether every one of a column's stored values is what SQLite would fill in."""
    if field.column_name not in defaults:
        return False
    default = defaults[field.column_name]
    if values.count(default) != len(values):  # == on each: 0 == 0.0 == False
        return False
    # What SQLite stores as the default's type: text for '', an integer for 0 and 1.
    kinds = {str} if default == "" else {int, bool}
    return default is None or set(map(type, values)) <= kinds


# The Python values that each kind of field hands SQLite as they are (its
# db_value returns them unchanged); any other goes through db_value.
_STORED_AS_IS: tuple[tuple[type, frozenset[type]], ...] = (
    (BooleanField, frozenset({bool})),
    (IntegerField, frozenset({int})),
    (CharField, frozenset({str})),
    (TextField, frozenset({str})),
    (DateTimeField, frozenset({dt.datetime, dt.date})),
    (DateField, frozenset({dt.date})),
    (TimeField, frozenset({dt.time})),
)


def _as_stored(field: Any, values: list[Any]) -> list[Any]:
    """A column's values as ``field.db_value`` gives them to SQLite, without a call per
    value where it would change none (every value of a type its field stores as is)."""
    kind = field.rel_field if isinstance(field, ForeignKeyField) else field
    types = set(map(type, values)) - {type(None)}
    if types == {dt.datetime} and isinstance(kind, DateTimeField):
        # As SQLite's adapter writes them, without its Python function per value,
        # each distinct one once (an import stamps every row with the same moment).
        written = {v: v.isoformat(" ") for v in set(values) if v is not None}
        return [None if v is None else written[v] for v in values]
    for field_class, as_is in _STORED_AS_IS:
        if isinstance(kind, field_class):
            if types <= as_is:
                return values
            break
    return [field.db_value(v) for v in values]


# A table's trigger that indexes each new row, and does nothing else: one
# INSERT … VALUES of the new row, for every row (a WHEN clause, or a second
# statement, would make the one INSERT … SELECT index other rows than it does).
_INDEXING_TRIGGER = re.compile(
    r"CREATE\s+TRIGGER\s+\"?\w+\"?\s+AFTER\s+INSERT\s+ON\s+\"?\w+\"?\s+BEGIN\s+"
    r"(?P<insert>INSERT\s+INTO\s+search_index\s*\([^)]*\))\s*"
    r"VALUES\s*\((?P<values>(?:[^;'\"]|'[^']*'|\"[^\"]*\")*)\)\s*;\s*END\s*",
    re.IGNORECASE,
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
    Outside a transaction, or for a trigger of another shape (a WHEN
    clause, a second statement), rows are indexed by the trigger as usual.
    The new rows must all come after the newest row before (ids given by
    SQLite, nothing removed): else RuntimeError, rather than an index that
    misses rows.
    """
    suspended = []
    if database.in_transaction():
        for model in models:
            table, key = model._meta.table_name, model.id.column_name
            name = f"search_{table}_insert"
            found = database.execute_sql(
                "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", (name,)
            ).fetchone()
            shape = _INDEXING_TRIGGER.fullmatch(found[0]) if found else None
            if shape is None:
                continue
            newest, count = database.execute_sql(
                f'SELECT max("{key}"), count(*) FROM "{table}"'
            ).fetchone()
            database.execute_sql(f'DROP TRIGGER "{name}"')
            suspended.append((table, key, found[0], shape, newest, count))
    try:
        yield
        for table, key, _, shape, newest, count in suspended:
            # Rows after the newest one before: an import appends; a restore fills an empty table.
            newer, params = ("1", ()) if newest is None else (f'new."{key}" > ?', (newest,))
            added, total = database.execute_sql(
                f'SELECT coalesce(sum({newer}), 0), count(*) FROM "{table}" AS new', params
            ).fetchone()
            if total - count != added:  # the caller's transaction rolls the rows back
                raise RuntimeError(
                    f"indexed_once: rows added to {table} below its newest id, or rows removed:"
                    " the search index would miss some"
                )
            with _large_fts_batches():
                database.execute_sql(
                    f"{shape.group('insert')} SELECT {shape.group('values')} "
                    f'FROM "{table}" AS new WHERE {newer}',
                    params,
                )
    finally:
        for table, _, trigger, _, _, _ in suspended:
            _put_back("trigger", f"search_{table}_insert", trigger)


def _put_back(kind: str, name: str, sql: str) -> None:
    """Create a trigger or index dropped in this transaction again, unless SQLite
    itself rolled the transaction back (a full disk), which brought it back already."""
    if not database.execute_sql(
        "SELECT 1 FROM sqlite_master WHERE type = ? AND name = ?", (kind, name)
    ).fetchone():
        database.execute_sql(sql)


# Tables kept by triggers on interaction_contact as each participation is
# written (migrations 0015 and 0016): the triggers that add a new one, and the
# statement that fills the table from all of them at once (the one its
# migration runs; a migration keeps its own copy, as the schema was then).
_KEPT_FROM_PARTICIPATIONS = {
    "exchange_count": (
        ("exchange_count_on_insert", "exchange_count_on_change"),
        """INSERT INTO exchange_count (contact_id, direction, exchanges)
            SELECT contact_id, direction, COUNT(*) FROM interaction_contact
            WHERE direction IS NOT NULL
            GROUP BY contact_id, direction""",
    ),
    "contact_touch": (
        ("contact_touch_on_insert", "contact_touch_on_change"),
        """INSERT INTO contact_touch (contact_id, last_on)
            SELECT contact_id, MAX(date) FROM interaction_contact
            WHERE date IS NOT NULL
            GROUP BY contact_id""",
    ),
}


@contextlib.contextmanager
def participations_tallied_once() -> Iterator[None]:
    """Inside, participations written into an empty interaction_contact are not
    tallied one by one; on leaving, exchange_count and contact_touch are filled
    from them all at once.

    Each participation goes in with its date and direction NULL, 0008's
    trigger copies them from its interaction, and that update fires 0015's and
    0016's triggers (an upsert each): a restore of 227,000 of them spent a
    second on those upserts.  As in indexed_once, the triggers are dropped
    and created again within the caller's transaction (a failure or a crash
    rolls them back with the rows), and each table is filled by the
    statement its migration fills it with.  Only into empty tables, where every row is
    new: otherwise, and outside a transaction, the triggers keep them as usual.
    """
    lifted: list[tuple[str, str]] = []
    fills: list[str] = []
    if database.in_transaction() and not _has_rows("interaction_contact"):
        for table, (names, fill) in _KEPT_FROM_PARTICIPATIONS.items():
            marks = ", ".join("?" * len(names))
            found = database.execute_sql(
                f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN ({marks})",
                names,
            ).fetchall()
            # Both, or the one left would tally the rows the fill takes in too.
            if len(found) == len(names) and not _has_rows(table):
                lifted += found
                fills.append(fill)
    for name, _ in lifted:
        database.execute_sql(f'DROP TRIGGER "{name}"')
    try:
        yield
        for fill in fills:
            database.execute_sql(fill)
    finally:
        for name, sql in lifted:
            _put_back("trigger", name, sql)


def _has_rows(table: str) -> bool:
    return bool(database.execute_sql(f'SELECT EXISTS (SELECT 1 FROM "{table}")').fetchone()[0])


# FTS5 keeps this much new index data in memory before it writes it out as a
# segment.  At its default (1 MB) the notes of 200,000 interactions make
# hundreds of segments, which it then merges again and again: 3.4 s, against
# 1.5 s with 32 MB (and 32 MB of memory for that moment).
_FTS_BATCH_BYTES = 32_000_000
_FTS_DEFAULT_HASHSIZE = 1024 * 1024  # FTS5_DEFAULT_HASHSIZE


@contextlib.contextmanager
def _large_fts_batches() -> Iterator[None]:
    """Inside, the search index gathers up to _FTS_BATCH_BYTES before writing; its
    setting (kept in search_index_config) is put back on leaving."""
    found = database.execute_sql(
        "SELECT v FROM search_index_config WHERE k = 'hashsize'"
    ).fetchone()
    setting = "INSERT INTO search_index (search_index, rank) VALUES ('hashsize', ?)"
    database.execute_sql(setting, (_FTS_BATCH_BYTES,))
    try:
        yield
    finally:
        database.execute_sql(setting, (found[0] if found else _FTS_DEFAULT_HASHSIZE,))


@contextlib.contextmanager
def indexes_built_after(models: Sequence[Any]) -> Iterator[None]:
    """Inside, these tables have none of their own indexes; on leaving, each index is
    built again from all the rows at once, in the caller's transaction.

    An index built from a table sorts its rows once; kept up row by row, it
    takes each row at a random place in a B-tree far larger than the page
    cache (a restore of 227,000 interaction participants: 3.0 s of inserts
    against well under one).  Dropped and created within the transaction, the
    indexes come back with a rollback or a crash: whole or nothing.  A UNIQUE
    index that the rows break raises IntegrityError when it is built, as the
    insert would have.  Outside a transaction, nothing changes.
    """
    dropped: list[tuple[str, str]] = []
    if database.in_transaction():
        for model in models:
            dropped += database.execute_sql(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ?"
                " AND sql IS NOT NULL",  # SQLite's own (a UNIQUE column's) cannot be dropped
                (model._meta.table_name,),
            ).fetchall()
        for name, _ in dropped:
            database.execute_sql(f'DROP INDEX "{name}"')
    try:
        yield
    finally:
        for name, sql in dropped:
            _put_back("index", name, sql)  # built again after a failure too


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


def sequences() -> dict[str, int]:
    """The largest id each AUTOINCREMENT table ever gave ({table: id}, by name): what
    its next record goes on from, though the records up to it may be deleted."""
    if not _autoincrement_tables():
        return {}
    rows = database.execute_sql("SELECT name, seq FROM sqlite_sequence ORDER BY name")
    return {name: int(seq) for name, seq in rows.fetchall()}


def _autoincrement_tables() -> set[str]:
    # sqlite_sequence exists (and lists these) once a table with AUTOINCREMENT does.
    return {
        name
        for (name,) in database.execute_sql(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE '%AUTOINCREMENT%'"
        ).fetchall()
    }


def restore_sequences(given: Mapping[str, int]) -> None:
    """Make each AUTOINCREMENT table of ``given`` go on from at least its number, in
    the open transaction: ids deleted before an export are not given again after
    a restore.  A table without AUTOINCREMENT here is left alone (its ids come
    from its rows, as SQLite's do)."""
    for name in sorted(_autoincrement_tables() & set(given)):
        # A table's restored rows have set its sequence already (to its largest id).
        database.execute_sql(
            "UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = ?", (given[name], name)
        )
        database.execute_sql(
            "INSERT INTO sqlite_sequence (name, seq) SELECT ?, ? "
            "WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = ?)",
            (name, given[name], name),
        )


# A whole column of well-formed stored dates (or datetimes), one per line: a
# batch whose values all match is checked by one regex over their joined text.
_DATE_COLUMN = re.compile(r"(?:\d{4}-\d{2}-\d{2}\n)*\d{4}-\d{2}-\d{2}")
_DATETIME_COLUMN = re.compile(
    r"(?:\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\.\d{6})?\n)*"
    r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\.\d{6})?"
)


def _plain_column(field: Any) -> Callable[[Sequence[Any]], Sequence[Any]] | None:
    """What makes a batch of a column's stored values plain, as ``_plain_converter``
    makes each (None where they are plain already).

    Dates and datetimes, most of an export's values, are done a batch at a
    time: one regex over the joined text says every value is well formed,
    fromisoformat (in C) that each is a real day, and the datetimes' "T" and
    dropped ".000000" are string replacements over the whole text.  A batch
    with anything else in it (None, a hand-edited value) goes value by value.
    """
    convert = _plain_converter(field)
    if convert is None:
        return None

    def each(values: Sequence[Any]) -> Sequence[Any]:
        return list(map(convert, values))

    check: Callable[[str], dt.date]
    if isinstance(field, DateTimeField):
        pattern, check = _DATETIME_COLUMN, dt.datetime.fromisoformat
    elif isinstance(field, DateField):
        pattern, check = _DATE_COLUMN, dt.date.fromisoformat
    else:
        return each

    def column(values: Sequence[Any]) -> Sequence[Any]:
        if not all(value.__class__ is str for value in values):
            return each(values)
        text = "\n".join(values)
        if not pattern.fullmatch(text):
            return each(values)
        try:
            for _ in map(check, values):
                pass
        except ValueError:  # a day that does not exist: peewee keeps its text
            return each(values)
        if check is dt.date.fromisoformat:
            return values
        text = (text + "\n").replace(".000000\n", "\n").replace(" ", "T")
        return text[:-1].split("\n")

    return column


def _table_batches(model: Any, fields: list[Any], batch: int) -> Iterator[list[Sequence[Any]]]:
    converters = list(map(_plain_column, fields))
    selected = ", ".join(f'"{f.column_name}"' for f in fields)
    cursor = database.execute_sql(
        f'SELECT {selected} FROM "{model._meta.table_name}" ORDER BY "{model.id.column_name}"'
    )
    while rows := cursor.fetchmany(batch):
        if not any(converters):
            yield rows
            continue
        # Column by column: one call per column costs far less than a loop per value.
        columns = [
            values if convert is None else convert(values)
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


def _with_offset(value: Any) -> bool:
    """Whether ``value`` is a time or timestamp with a UTC offset ("+00:00", "Z").

    rapport keeps wall-clock times (the zone is a column of its own) and never
    writes an offset; stored, one is text the models leave unread while the
    plain reads parse it, so a command and its --json said different things.
    """
    return isinstance(value, (dt.datetime, dt.time)) and value.tzinfo is not None


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
    """Each row's values converted and checked one by one: the reference the column
    by column path (:func:`_columns`) must agree with, and the one that words errors."""
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
            if value is None and not field.null:
                # SQLite's NOT NULL said it later, naming no row, as exit 1.
                raise ImportFailed(
                    f"table {table!r}, row {row.get('id')!r:.30}: {column} is null, and every "
                    f"{table} row has one; nothing was imported"
                )
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
                    if _with_offset(out[field]):
                        raise ValueError(value)
            except (TypeError, ValueError, OverflowError, ValidationError):
                raise ImportFailed(
                    f"table {table!r}, row {row.get('id')!r:.30}: {column} {value!r:.60} "
                    "is not valid; nothing was imported"
                ) from None
        converted.append(out)
    return converted


# A column value a row does not give (see TableRows).
MISSING: Any = type("Missing", (), {"__repr__": lambda self: "MISSING"})()


def _column_values(
    field: Any,
    values: list[Any],
    rows: list[dict[str, Any]],
    check: ValueCheck | None,
) -> list[Any] | None:
    """``values`` (MISSING where a row has none) converted as :func:`_rows` converts
    them, all at once; None when any of them needs :func:`_rows` to look closer."""
    present = [v for v in values if v is not None and v is not MISSING]
    if not field.null and len(present) + values.count(MISSING) < len(values):
        return None  # a null where the column takes none: _rows words it
    convert = _converter(field)
    kind = field.rel_field if isinstance(field, ForeignKeyField) else field
    classes = set(map(type, present))
    if convert is not None:
        try:
            converted = [v if v is None or v is MISSING else convert(v) for v in values]
        except (TypeError, ValueError):
            return None
        if convert is not dt.date.fromisoformat and any(map(_with_offset, converted)):
            return None  # _rows words it
    elif isinstance(kind, (IntegerField, AutoField)) and not isinstance(kind, BooleanField):
        if not classes <= {int} or (
            present and not -(2**63) <= min(present) <= max(present) < 2**63
        ):
            return None
        converted = values
    elif isinstance(kind, TextField):
        if not classes <= {str}:
            return None
        unclean = isinstance(field, TextField) and UNCLEAN.search("".join(present))
        converted = (
            [without_controls(v) if v.__class__ is str else v for v in values]
            if unclean
            else values
        )
    elif classes & {dict, list}:
        return None
    else:
        converted = values
    if check is not None:
        try:
            for value, row in zip(values, rows, strict=True):
                if value is not None and value is not MISSING:
                    check(value, row)
        except Exception:  # _rows words it, or lets it through as it did before
            return None
    return converted


class TableRows:
    """A table's rows ready to insert: its fields, and one tuple of values per row
    (MISSING where the file's row gave none)."""

    def __init__(self, model: Any, fields: list[Any], rows: list[tuple[Any, ...]]) -> None:
        self.model = model
        self.fields = fields
        self.rows = rows

    def __len__(self) -> int:
        return len(self.rows)


def _table_rows(
    model: Any, rows: Any, table: str, checks: Mapping[tuple[str, str], ValueCheck]
) -> TableRows:
    """A table's rows checked and converted column by column (the C loops of
    map, join and set do most of it); a table where anything is amiss goes
    through :func:`_rows`, row by row, which raises ImportFailed naming it."""
    fields = model._meta.sorted_fields
    if isinstance(rows, list) and all(row.__class__ is dict for row in rows):
        given = set().union(*rows)
        known = {f.column_name for f in fields}
        if given <= known:
            taken = [f for f in fields if f.column_name in given]
            columns = []
            for field in taken:
                name = field.column_name
                values = [row.get(name, MISSING) for row in rows]
                column = _column_values(field, values, rows, checks.get((table, name)))
                if column is None:
                    break
                columns.append(column)
            else:
                return TableRows(model, taken, list(zip(*columns, strict=True)))
    converted = _rows(model, rows, table, checks)
    taken = [f for f in fields if any(f in row for row in converted)]
    return TableRows(model, taken, [tuple(row.get(f, MISSING) for f in taken) for row in converted])


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
) -> list[TableRows]:
    """Every table's rows converted to column values, checked; ImportFailed for one that is not.

    Each table of ``tables`` (a dict) is emptied once converted, so that a large
    restore does not hold the file's rows and their converted values at once.
    """
    prepared = []
    for model in ALL_MODELS:
        name = model._meta.table_name
        prepared.append(_table_rows(model, tables.get(name, []), name, checks))
        if isinstance(tables, dict) and name in tables:
            tables[name] = []  # the file's rows are converted: no need to keep both
    return prepared


def _filled(table: TableRows) -> tuple[list[Any], list[tuple[Any, ...]]]:
    """The fields to insert and the rows' values as the database takes them.

    As peewee's insert_many would: a column no row gives, and a value a row
    leaves out, take the field's default; ValueError for one that has none
    and cannot be empty.  Values are already of their column's type (checked
    by prepare_tables), so few go through db_value (see _as_stored).
    """
    defaults = table.model._meta.defaults
    fields = table.fields + [
        f for f in table.model._meta.sorted_fields if f in defaults and f not in table.fields
    ]
    rows = table.rows
    if len(fields) > len(table.fields):
        rows = [row + (MISSING,) * (len(fields) - len(table.fields)) for row in rows]
    columns = []
    for position, field in enumerate(fields):
        values: Any = [row[position] for row in rows]
        if MISSING in values:
            values = [_default(field, defaults) if v is MISSING else v for v in values]
        columns.append(_as_stored(field, values))
    return fields, list(zip(*columns, strict=True))


def _default(field: Any, defaults: Mapping[Any, Any]) -> Any:
    if field in defaults:
        value = defaults[field]
        return field.db_value(value() if callable(value) else value)
    if field.null:
        return None
    raise ValueError(f"Missing value for {field.name}.")


def restore_tables(
    prepared: Sequence[TableRows],
    source: str,
    *,
    on_chunk: ChunkCallback | None = None,
) -> dict[str, int]:
    """Insert prepared rows with their ids, in the open transaction; rows by table.

    Raises ImportFailed when a row points at a row that is not there, ValueError
    when a row lacks a value its column cannot do without.
    """
    restored: dict[str, int] = {}
    # Rows may point at rows further down (a goal's parent, an introducer):
    # references are checked once everything is in.
    database.execute_sql("PRAGMA defer_foreign_keys = ON")
    cursor = database.cursor()
    filled = [table.model for table in prepared if table.rows]
    with participations_tallied_once(), indexed_once(filled), indexes_built_after(filled):
        for table in prepared:
            name = table.model._meta.table_name
            restored[name] = len(table.rows)
            if not table.rows:
                continue
            fields, rows = _filled(table)
            table.rows = []  # what is in the database need not stay in memory too
            columns = ", ".join(f'"{f.column_name}"' for f in fields)
            sql = f'INSERT INTO "{name}" ({columns}) VALUES ({", ".join("?" * len(fields))})'
            for start in range(0, len(rows), CHUNK * 10):
                chunk = rows[start : start + CHUNK * 10]
                cursor.executemany(sql, chunk)
                if on_chunk is not None:
                    on_chunk(len(chunk))
    # Named as the file names it: a tally kept from its rows (exchange_count,
    # contact_touch) breaks with them, and may be listed first.
    found = database.execute_sql("PRAGMA foreign_key_check").fetchall()
    broken = next((row for row in found if row[0] in restored), found[0] if found else None)
    if broken:
        table_name, rowid, parent = broken[0], broken[1], broken[2]
        raise ImportFailed(
            f"{source}: {table_name} row {rowid} points at a {parent} row that is not "
            "in the file; nothing was imported"
        )
    return restored
