"""What the safety tests share: running rapport in other processes and reading databases raw.

Everything here reads a database with plain ``sqlite3``, never through
rapport, so a test checks what is really on disk rather than what rapport
believes.  ``SOAK`` scales the crash and concurrency tests: short in
``make test``, long in ``make soak`` (``RAPPORT_SOAK=1``).
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
DATA = REPO / "tests" / "data"

SOAK = os.environ.get("RAPPORT_SOAK", "") not in ("", "0")


def examples(n: int) -> int:
    """How many inputs a property test tries: ``n`` in ``make test``, many more in a soak."""
    return n * 50 if SOAK else n


# Columns whose values differ between two identical runs (random UIDs, wall-clock
# stamps SQLite or peewee take themselves); left out when comparing contents.
UNSTABLE_COLUMNS = frozenset({"uid", "deleted_at", "applied"})


def run_rapport(
    db: Path, *args: str, timeout: float = 60, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``rapport --db DB ARGS`` in a new process, as a person runs it."""
    return subprocess.run(
        [sys.executable, "-m", "rapport", "--db", str(db), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env or dict(os.environ),
        check=False,
    )


def start_writer(
    db: Path, name: str, seconds: float, log: Path, mode: str
) -> subprocess.Popen[str]:
    """Start tests/safety/writer.py (MODE services, cli or batches) in a new process."""
    args = [str(db), name, str(seconds), str(log), mode]
    return subprocess.Popen([sys.executable, str(HERE / "writer.py"), *args], text=True)


def logged(log: Path) -> list[str]:
    """The lines a writer logged; fails the test on a line saying it failed."""
    lines = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
    errors = [line for line in lines if line.startswith("ERROR")]
    assert not errors, f"{log.name} failed:\n" + "\n".join(errors)
    return lines


def connect_raw(path: Path) -> sqlite3.Connection:
    """A plain read-write connection (it recovers a WAL left by a killed process)."""
    conn = sqlite3.connect(str(path), timeout=30)
    conn.execute("PRAGMA busy_timeout = 30000")
    return conn


def integrity(path: Path) -> str:
    """``PRAGMA integrity_check`` of the file, plus FTS5's own check of the search index."""
    conn = connect_raw(path)
    try:
        result = "; ".join(row[0] for row in conn.execute("PRAGMA integrity_check"))
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        if result == "ok" and "search_index" in tables:
            try:
                conn.execute("INSERT INTO search_index(search_index) VALUES ('integrity-check')")
            except sqlite3.DatabaseError as exc:
                result = f"search index: {exc}"
        return result
    finally:
        conn.close()


def user_tables(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "AND name NOT LIKE 'search_index%' ORDER BY name"
    )
    return [r[0] for r in rows]


def table_rows(conn: sqlite3.Connection, table: str) -> list[tuple[object, ...]]:
    columns = [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')]
    kept = [c for c in columns if c not in UNSTABLE_COLUMNS]
    listed = ", ".join(f'"{c}"' for c in kept)
    return sorted(conn.execute(f'SELECT {listed} FROM "{table}"').fetchall(), key=lambda r: repr(r))


def contents(path: Path, *, skip: Iterable[str] = ()) -> dict[str, object]:
    """Everything a person stored, and the schema it is stored in, as comparable values.

    Tables named in ``skip`` are left out (their schema stays in).
    """
    conn = connect_raw(path)
    try:
        objects = "SELECT name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
        schema = sorted((r[0], r[1] or "") for r in conn.execute(objects))
        result: dict[str, object] = {
            "user_version": conn.execute("PRAGMA user_version").fetchone()[0],
            "schema": schema,
        }
        for table in user_tables(conn):
            if table not in skip:
                result[table] = table_rows(conn, table)
        return result
    finally:
        conn.close()


def row_counts(path: Path) -> dict[str, int]:
    conn = connect_raw(path)
    try:
        return {
            t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in user_tables(conn)
        }
    finally:
        conn.close()


def sidecars(path: Path) -> list[Path]:
    return [p for p in (Path(f"{path}{s}") for s in ("-wal", "-shm", "-journal")) if p.exists()]


def fingerprint(path: Path) -> tuple[str, int, int, tuple[str, ...]]:
    """The file's bytes, mtime and size, and which SQLite side files sit beside it."""
    stat = path.stat()
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return digest, stat.st_mtime_ns, stat.st_size, tuple(p.name for p in sidecars(path))


def files_under(folder: Path) -> Iterable[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


def released_fixtures() -> list[Path]:
    """The database fixture of each released schema (see tests/data/make_fixtures.py)."""
    return sorted(DATA.glob("schema-*.sqlite"))


def set_user_version(path: Path, version: int) -> None:
    conn = sqlite3.connect(str(path))
    conn.execute(f"PRAGMA user_version = {version}")
    conn.commit()
    conn.close()
