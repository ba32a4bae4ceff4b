"""Fixtures shared by every test: a private database each, a frozen clock, a fixed zone.

The person's real data directory is never reachable: HOME, XDG_DATA_HOME and
RAPPORT_DB point into the test's own temporary folder.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

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


@pytest.fixture
def sample_db(db_path: Path) -> Path:
    """The demo network, loaded on the frozen day."""
    from rapport.services.sample import load_sample_network

    load_sample_network()
    return db_path


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
        result = self.runner.invoke(cli, ["--db", str(self.db), *args], input=input)
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
