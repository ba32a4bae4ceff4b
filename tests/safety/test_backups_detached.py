"""The day's backup of a large database is copied by a detached process, off the
person's path, and is still the database as it was before the day's first command."""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

import pytest
from safety_harness import contents, integrity, run_rapport

from rapport.backups import IN_LINE_BYTES, backups_folder, list_backups


def _make_large(path: Path) -> None:
    """Grow the database past the in-line size with text a person could have typed."""
    conn = sqlite3.connect(path)
    with conn:
        conn.execute(
            "UPDATE goal SET why = ? WHERE id = (SELECT min(id) FROM goal)",
            ("All the reasons. " * (IN_LINE_BYTES // 16),),
        )
    conn.close()
    assert path.stat().st_size > IN_LINE_BYTES


def _wait_for_backups(database: Path, count: int) -> list[Path]:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        found = [b.path for b in list_backups(database)]
        if len(found) >= count:
            return found
        time.sleep(0.05)
    raise AssertionError("the detached backup never appeared")


def test_a_large_database_is_backed_up_as_it_was_before_the_first_command_wrote(
    current_fixture: Path,
) -> None:
    _make_large(current_fixture)
    before = contents(current_fixture)

    added = run_rapport(current_fixture, "contacts", "add", "Zed Newcomer")

    assert added.returncode == 0, added.stderr
    (backup,) = _wait_for_backups(current_fixture, 1)
    assert integrity(backup) == "ok"
    assert contents(backup) == before  # without Zed: the copy is of the morning's database
    assert "Zed Newcomer" in run_rapport(current_fixture, "contacts", "list").stdout
    assert not [p for p in backups_folder(current_fixture).iterdir() if p.name.startswith(".")]


def test_the_next_commands_of_the_day_take_no_second_backup(current_fixture: Path) -> None:
    _make_large(current_fixture)
    assert run_rapport(current_fixture, "today").returncode == 0
    _wait_for_backups(current_fixture, 1)

    for _ in range(2):
        assert run_rapport(current_fixture, "today").returncode == 0

    time.sleep(0.2)
    assert len(list_backups(current_fixture)) == 1


def test_damage_the_detached_copy_found_is_reported_by_the_next_command(
    current_fixture: Path,
    cli,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    cli.db = current_fixture
    assert cli("today").exit_code == 0
    note = backups_folder(current_fixture) / f".{current_fixture.stem}-damaged"
    note.write_text("database disk image is malformed\n")

    refused = cli("today")

    assert refused.exit_code == 8
    assert refused.stderr.startswith("rapport: ") and refused.stderr.count("\n") == 1
    assert "damaged (database disk image is malformed)" in refused.stderr
    assert "rapport restore" in refused.stderr
    assert not note.exists()
    assert cli("today").exit_code == 0  # said once; the next copy checks again


def test_the_call_returns_holding_a_snapshot_while_the_copy_is_still_to_come(
    current_fixture: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rapport import backups

    _make_large(current_fixture)
    before = contents(current_fixture)
    go = tmp_path / "go"
    real_publish = backups.publish
    caller = os.getpid()

    def publish_when_told(temporary: Path, final: Path) -> Path:
        # Runs in the detached process (a fork carries the patch along).
        if os.getpid() == caller:
            raise AssertionError("the copy was made on the person's path")
        while not go.exists():
            time.sleep(0.01)
        return real_publish(temporary, final)

    monkeypatch.setattr(backups, "publish", publish_when_told)

    final = backups.daily_backup(current_fixture, detach=True)

    assert final is not None and list_backups(current_fixture) == []  # nobody waited for it
    conn = sqlite3.connect(current_fixture)
    with conn:  # the day's first command writes meanwhile
        conn.execute("UPDATE contact SET notes = 'written after the snapshot'")
    conn.close()
    go.touch()
    assert _wait_for_backups(current_fixture, 1) == [final]
    assert contents(final) == before
