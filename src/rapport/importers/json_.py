"""The whole database as JSON and back: every table, row by row, with the schema version.

``database_json()`` writes every table of the models (the search index is
rebuilt by its triggers, so it is left out); ``restore_json()`` puts such a
file back into an empty database with the same ids, in one transaction.
Export, restore into a new file, export again: the two files are identical.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from dateutil import rrule
from peewee import (
    AutoField,
    BooleanField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    IntegrityError,
    TextField,
    TimeField,
)

from rapport.db import schema_version
from rapport.errors import ImportFailed, ValidationError
from rapport.importers._engine import CHUNK, ImportSummary, ProgressCallback, ProgressTracker
from rapport.models import ALL_MODELS, database
from rapport.services._common import positive_int

FORMAT = "rapport"


def _plain(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.time)):  # datetimes are dates too
        return value.isoformat()
    return value


def database_snapshot() -> dict[str, Any]:
    """Every table as a list of rows ({column: value}), ordered by id."""
    version = database.execute_sql("PRAGMA user_version").fetchone()[0]
    tables: dict[str, list[dict[str, Any]]] = {}
    for model in ALL_MODELS:
        fields = model._meta.sorted_fields
        columns = [f.column_name for f in fields]
        rows = model.select(*fields).order_by(model.id).tuples()
        tables[model._meta.table_name] = [
            dict(zip(columns, (_plain(v) for v in row), strict=True)) for row in rows
        ]
    return {"format": FORMAT, "schema_version": version, "tables": tables}


def database_json() -> str:
    """The snapshot as JSON text, the same bytes for the same data."""
    return json.dumps(database_snapshot(), indent=2, ensure_ascii=False) + "\n"


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


def _cadence(value: Any, row: dict[str, Any]) -> None:
    positive_int(value, "cadence")  # days are added to dates: a huge number overflows


def _repeat_rule(value: Any, row: dict[str, Any]) -> None:
    # Calendars get each repeating follow-up's rule: dateutil must read it.
    # Only read, not expanded: a rule an older rapport accepted still restores.
    if value:
        start = dt.date.fromisoformat(str(row.get("series_start") or row.get("due_date")))
        rrule.rrulestr(f"RRULE:{value}", dtstart=dt.datetime.combine(start, dt.time()))


# Values the app computes with, checked as the services check what people type.
_VALUE_CHECKS = {("contact", "cadence_days"): _cadence, ("follow_up", "rrule"): _repeat_rule}


def _rows(model: Any, rows: Any, table: str) -> list[dict[str, Any]]:
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
                out[field] = convert(value) if convert and value is not None else value
                if value is not None and (table, column) in _VALUE_CHECKS:
                    _VALUE_CHECKS[table, column](value, row)
            except (TypeError, ValueError, OverflowError, ValidationError):
                raise ImportFailed(
                    f"table {table!r}, row {row.get('id')!r:.30}: {column} {value!r:.60} "
                    "is not valid; nothing was imported"
                ) from None
        converted.append(out)
    return converted


def _check(data: Any, source: str) -> dict[str, Any]:
    if (
        not isinstance(data, dict)
        or data.get("format") != FORMAT
        or not isinstance(data.get("tables"), dict)
    ):
        raise ImportFailed(f"{source} is JSON but not a rapport export (rapport export json)")
    version = data.get("schema_version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise ImportFailed(f"{source} has no valid schema_version; is it a rapport export?")
    if version > schema_version():
        raise ImportFailed(
            f"{source} was exported by a newer rapport (schema {version}, this one knows "
            f"{schema_version()}); upgrade rapport to import it"
        )
    known = {m._meta.table_name for m in ALL_MODELS}
    unknown = set(data["tables"]) - known
    if unknown:
        name = sorted(unknown)[0]
        raise ImportFailed(f"{source} has a table this rapport does not know: {name!r:.60}")
    return data["tables"]


def _refuse_unless_empty() -> None:
    for model in ALL_MODELS:
        count = model.select().count()
        if count:
            raise ImportFailed(
                f"rapport import json restores a whole database into an empty one, and this "
                f"one has {count} {model._meta.table_name} rows; give a new file with --db PATH"
            )


def restore_json(
    text: str,
    source: str,
    *,
    dry_run: bool = False,
    progress: ProgressCallback | None = None,
) -> ImportSummary:
    """Restore an export of :func:`database_json` into the open, empty database.

    All rows keep their ids; every reference is checked before anything is
    kept.  Raises ImportFailed (nothing written) for a file that is not such
    an export, a database that is not empty, or rows that do not fit.
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportFailed(f"{source} is not JSON (line {exc.lineno}: {exc.msg})") from None
    except RecursionError:
        raise ImportFailed(f"{source} is nested too deeply to be a rapport export") from None
    except ValueError:  # Python refuses to read a number thousands of digits long
        raise ImportFailed(
            f"{source} is not a rapport export (it holds a number thousands of digits long)"
        ) from None
    tables = _check(data, source)
    _refuse_unless_empty()
    summary = ImportSummary(source, "rapport JSON", dry_run=dry_run)
    prepared = [
        (model, _rows(model, tables.get(model._meta.table_name, []), model._meta.table_name))
        for model in ALL_MODELS
    ]
    tracker = ProgressTracker(progress, sum(len(rows) for _, rows in prepared))
    try:
        with database.atomic() as transaction:
            # Rows may point at rows further down (a goal's parent, an introducer):
            # references are checked once everything is in.
            database.execute_sql("PRAGMA defer_foreign_keys = ON")
            for model, rows in prepared:
                for start in range(0, len(rows), CHUNK):
                    model.insert_many(rows[start : start + CHUNK]).execute()
                    tracker.step(len(rows[start : start + CHUNK]))
                summary.restored[model._meta.table_name] = len(rows)
            broken = database.execute_sql("PRAGMA foreign_key_check").fetchone()
            if broken:
                table, rowid, parent = broken[0], broken[1], broken[2]
                raise ImportFailed(
                    f"{source}: {table} row {rowid} points at a {parent} row that is not "
                    "in the file; nothing was imported"
                )
            if dry_run:
                transaction.rollback()
    except (IntegrityError, ValueError) as exc:  # ValueError: a row lacks a column others have
        raise ImportFailed(
            f"{source}: rows do not fit together ({exc}); nothing was imported"
        ) from None
    summary.rows = sum(summary.restored.values())
    summary.created = summary.restored.get("contact", 0)
    summary.organizations_created = summary.restored.get("organization", 0)
    return summary


# rapport's own export of the heaviest network (30,000 contacts, 200,000
# interactions with notes) runs to a few hundred MB: a restore must take it,
# as it is the way to leave and come back.
MAX_RESTORE_BYTES = 1_000_000_000


def read_json_file(path: str | Path) -> str:
    from rapport.importers._source import decode, read_bytes

    return decode(read_bytes(path, MAX_RESTORE_BYTES), path, "a rapport JSON export")
