"""Files rapport must refuse: each kind, how to write one, the exit code and words expected."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from safety_harness import released_fixtures, set_user_version

from rapport.db import schema_version


def write_text(path: Path) -> None:
    path.write_text("name,email\nDana,dana@example.com\n")


def write_binary(path: Path) -> None:
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)


def write_partial_magic(path: Path) -> None:
    path.write_bytes(b"SQLite for")


def write_other_app(path: Path) -> None:
    conn = sqlite3.connect(str(path))
    conn.execute("PRAGMA journal_mode = wal")
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.execute("INSERT INTO notes VALUES ('not rapport''s')")
    conn.commit()
    conn.close()


def write_newer(path: Path) -> None:
    shutil.copyfile(released_fixtures()[-1], path)
    set_user_version(path, schema_version() + 1)


def write_truncated(path: Path) -> None:
    data = released_fixtures()[-1].read_bytes()
    path.write_bytes(data[: len(data) // 2])


def write_damaged(path: Path) -> None:
    shutil.copyfile(released_fixtures()[-1], path)
    with path.open("r+b") as handle:
        for page in range(4, 60, 3):
            handle.seek(page * 4096 + 100)
            handle.write(b"\xde\xad\xbe\xef" * 200)


REFUSED = {
    "text": (write_text, 8, "not an SQLite file"),
    "binary": (write_binary, 8, "not an SQLite file"),
    "partial-magic": (write_partial_magic, 8, "not an SQLite file"),
    "other-app": (write_other_app, 8, "not a rapport database"),
    "newer": (write_newer, 7, "newer rapport"),
    "truncated": (write_truncated, 8, "cut short"),
    "damaged": (write_damaged, 8, "damaged"),
}
