"""Catch a face running a query: a statement whose nearest rapport frame is in cli/ or tui/.

A face reads plain values from services; a statement started right from a face
is a lazy model attribute (``record.contact.name``) or a query built there.
"""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from peewee import SqliteDatabase

import rapport

SRC = Path(rapport.__file__).parent
FACES = (str(SRC / "cli") + "/", str(SRC / "tui") + "/")
SERVICES_AND_BELOW = str(SRC) + "/"


def _face_frame() -> str | None:
    """``path:line`` of the face that started this statement, or None."""
    frame = sys._getframe(1)
    while frame is not None:
        name = frame.f_code.co_filename
        if name.startswith(SERVICES_AND_BELOW):
            if name.startswith(FACES):
                return f"{Path(name).relative_to(SRC)}:{frame.f_lineno}"
            return None  # a service (or the store) asked: as it should
        frame = frame.f_back
    return None


@contextmanager
def queries_from_faces() -> Iterator[list[str]]:
    """The faces' lines that ran a statement on a connection opened inside the block."""
    found: list[str] = []
    hooks = SqliteDatabase._add_conn_hooks

    def trace(statement: str) -> None:
        if not statement.startswith("--"):
            where = _face_frame()
            if where is not None:
                found.append(f"{where}: {statement[:80]}")

    def traced(self: SqliteDatabase, conn: sqlite3.Connection) -> None:
        hooks(self, conn)
        conn.set_trace_callback(trace)

    SqliteDatabase._add_conn_hooks = traced  # type: ignore[method-assign]
    try:
        yield found
    finally:
        SqliteDatabase._add_conn_hooks = hooks  # type: ignore[method-assign]
