"""Catch a face running a query: a statement whose nearest rapport frame is in cli/ or tui/.

A face reads plain values from services; a statement started right from a face
is a lazy model attribute (``record.contact.name``) or a query built there.
``models_in`` finds a model inside what a service hands a face.
"""

from __future__ import annotations

import dataclasses
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from peewee import Model, SqliteDatabase

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


def models_in(value: object, path: str = "") -> list[str]:
    """Where a peewee model sits inside a value (dataclasses, tuples, lists)."""
    if isinstance(value, Model):
        return [path or "."]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [
            found
            for f in dataclasses.fields(value)
            for found in models_in(getattr(value, f.name), f"{path}.{f.name}")
        ]
    if isinstance(value, list | tuple):
        return [found for i, item in enumerate(value) for found in models_in(item, f"{path}[{i}]")]
    return []
