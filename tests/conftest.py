"""Fixtures shared by every test: a private database each, a frozen clock, a fixed zone.

The person's real data directory is never reachable: HOME, XDG_DATA_HOME and
RAPPORT_DB point into the test's own temporary folder.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from peewee import SqliteDatabase

# One zone for the whole run, so dates and times read the same on every machine.
os.environ["TZ"] = "America/Los_Angeles"
time.tzset()

FROZEN_NOW = "2026-11-23T09:00:00"  # a Monday


@pytest.fixture(autouse=True)
def private_environment(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Keep each test away from real data and freeze the clock."""
    from rapport import clock

    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("RAPPORT_DB", str(home / "default.db"))
    monkeypatch.setenv("RAPPORT_NOW", FROZEN_NOW)
    clock.local_zone_name.cache_clear()
    return home


@pytest.fixture
def db_path(tmp_path: Path) -> Iterator[Path]:
    """An open, empty, fully migrated database in the test's folder."""
    from rapport.db import close_database, open_database

    path = open_database(tmp_path / "rapport.db")
    yield path
    close_database()


@pytest.fixture(scope="session")
def sample_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo network loaded once per run, on the frozen day; tests get copies."""
    from rapport.db import close_database, open_database
    from rapport.services.sample import load_sample_network

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("RAPPORT_NOW", FROZEN_NOW)
        path = open_database(tmp_path_factory.mktemp("sample") / "sample.db")
        load_sample_network()
        close_database()  # checkpoints the WAL: the file alone is the whole database
    return path


@pytest.fixture
def sample_db(sample_template: Path, tmp_path: Path) -> Iterator[Path]:
    """A private copy of the demo network, open."""
    from rapport.db import close_database, open_database

    path = tmp_path / "rapport.db"
    shutil.copyfile(sample_template, path)
    os.chmod(path, 0o600)
    yield open_database(path)
    close_database()


class Cli:
    """Run rapport's command line in-process against one database."""

    def __init__(self, db: Path) -> None:
        self.db = db
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None) -> Result:
        from rapport.cli import cli
        from rapport.db import close_database

        # The command opens and closes its own connection, as a real process does.
        close_database()
        result = self.runner.invoke(
            cli, ["--db", str(self.db), *args], input=input, prog_name="rapport"
        )
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        return result


@pytest.fixture
def cli(tmp_path: Path) -> Iterator[Cli]:
    from rapport.db import close_database

    yield Cli(tmp_path / "cli.db")
    close_database()


@pytest.fixture
def sample_cli(sample_db: Path) -> Iterator[Cli]:
    from rapport.db import close_database

    close_database()
    yield Cli(sample_db)
    close_database()


@pytest.fixture(autouse=True)
def faces_run_no_query() -> Iterator[None]:
    """A face never runs a query: a statement started from cli/ or tui/ code (a
    lazy ``record.contact.name``) fails the test that made it (see face_queries)."""
    from face_queries import queries_from_faces

    with queries_from_faces() as found:
        yield
    assert not found, "a face ran a query (a service should hand it joined values):\n" + (
        "\n".join(found)
    )


def _database_rows(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


@pytest.fixture
def dump() -> Callable[[Path], list[str]]:
    """Every row of every table of a database file (search index included), as SQL:
    compare it before and after a command that must write nothing."""
    return _database_rows


@pytest.fixture
def statements(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every statement run on any connection opened from now on."""
    seen: list[str] = []
    hooks = SqliteDatabase._add_conn_hooks

    def traced(self: SqliteDatabase, conn: sqlite3.Connection) -> None:
        hooks(self, conn)
        conn.set_trace_callback(seen.append)

    monkeypatch.setattr(SqliteDatabase, "_add_conn_hooks", traced)
    # The plain connections (rapport.connection) a read like `followups due` runs on.
    from rapport import db

    connect_plain = db.connect_plain

    def traced_plain(path: Path) -> sqlite3.Connection:
        conn = connect_plain(path)
        conn.set_trace_callback(seen.append)
        return conn

    monkeypatch.setattr(db, "connect_plain", traced_plain)
    return seen
