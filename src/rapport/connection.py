"""The open database as plain statements reach it: SQLite's own connection where a
command reads without the models, else the models' (peewee's).

`rapport followups due` prints from a few plain statements: opened without
peewee (rapport.db.open_database with ``plain=True``), it spares the command
peewee's import and the 25 model classes, half its start.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
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
