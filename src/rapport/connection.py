"""The open database as plain statements reach it: SQLite's own connection where a
command reads without the models, else the models' (peewee's).

`rapport followups due` and `rapport review` print from plain statements:
opened without peewee (rapport.db.open_database with ``plain=True``), they
spare the command peewee's import and the 25 model classes.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

_plain: sqlite3.Connection | None = None


def use_plain(conn: sqlite3.Connection) -> None:
    """Run the plain statements through ``conn`` until :func:`close_plain`."""
    global _plain
    _plain = conn


def close_plain() -> None:
    """Close the plain connection, if one is open."""
    global _plain
    if _plain is not None:
        _plain.close()
        _plain = None


def execute(sql: str, params: Sequence[Any] = ()) -> sqlite3.Cursor:
    """Run one statement on the open database; its cursor."""
    if _plain is not None:
        return _plain.execute(sql, params)
    # The models' connection (bound by rapport.db.open_database).
    from rapport.models import database

    cursor: sqlite3.Cursor = database.execute_sql(sql, params)
    return cursor


# The models' field for each kind of stored date, time or timestamp.
_FIELDS = {dt.date: "DateField", dt.datetime: "DateTimeField", dt.time: "TimeField"}


def parsed(column: Iterable[Any], kind: type[dt.date] | type[dt.time]) -> list[Any]:
    """A date, timestamp or time column's stored ISO text parsed (None stays None);
    anything else as the models' own field reads it (peewee, loaded then alone)."""
    values = list(column)
    try:
        return [None if value is None else kind.fromisoformat(value) for value in values]
    except (TypeError, ValueError):
        import peewee

        convert = getattr(peewee, _FIELDS[kind])().python_value
        return [convert(value) for value in values]
