"""The day's backup of a large database is copied by a detached process, off the
person's path, and is still the database as it was before the day's first command."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import stat
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from safety_harness import contents, integrity, run_rapport

from rapport import backups, clock
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


def _hold_publishing_until(
    go: Path, monkeypatch: pytest.MonkeyPatch
) -> Callable[[Path, Path], Path]:
    """Make the detached copier wait for ``go`` before it publishes its copy.

    It gives up (its copy is then removed) after a minute: a test failing
    before it touches ``go`` leaves no orphaned process spinning.
    """
    real_publish = backups.publish
    caller = os.getpid()

    def publish_when_told(temporary: Path, final: Path) -> Path:
        # Runs in the detached process (a fork carries the patch along).
        if os.getpid() == caller:
            raise AssertionError("the copy was made on the person's path")
        deadline = time.monotonic() + 60
        while not go.exists():
            if time.monotonic() > deadline:
                raise OSError("the test never let the copy be published")
            time.sleep(0.01)
        return real_publish(temporary, final)

    monkeypatch.setattr(backups, "publish", publish_when_told)
    return publish_when_told


def test_the_call_returns_holding_a_snapshot_while_the_copy_is_still_to_come(
    current_fixture: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _make_large(current_fixture)
    before = contents(current_fixture)
    go = tmp_path / "go"
    _hold_publishing_until(go, monkeypatch)

    final = backups.daily_backup(current_fixture, detach=True)

    assert final is not None and list_backups(current_fixture) == []  # nobody waited for it
    conn = sqlite3.connect(current_fixture)
    with conn:  # the day's first command writes meanwhile
        conn.execute("UPDATE contact SET notes = 'written after the snapshot'")
    conn.close()
    go.touch()
    backups.release_copier()  # as this process's end would
    assert _wait_for_backups(current_fixture, 1) == [final]
    assert contents(final) == before


def test_a_command_started_while_the_copy_is_under_way_takes_no_second_backup(
    current_fixture: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Six earlier days' backups: with a seventh, all are kept (KEEP is 7);
    # an eighth would push the oldest day out.
    _make_large(current_fixture)
    folder = backups_folder(current_fixture)
    folder.mkdir(mode=0o700)
    earlier = []
    for days in range(6, 0, -1):
        taken = clock.now() - dt.timedelta(days=days)
        path = folder / f"rapport-{taken.strftime(backups.STAMP)}-daily.db"
        path.touch(mode=0o600)
        earlier.append(path)
    go = tmp_path / "go"
    _hold_publishing_until(go, monkeypatch)

    first = backups.daily_backup(current_fixture, detach=True)
    second = backups.daily_backup(current_fixture, detach=True)  # the copy is not published yet
    go.touch()
    backups.release_copier()

    assert first is not None and second is None
    found = _wait_for_backups(current_fixture, 7)
    time.sleep(0.5)  # a second copier, were there one, would publish meanwhile
    assert [b.path for b in list_backups(current_fixture)] == [*earlier, first] == found
    assert not [p for p in folder.iterdir() if p.name.startswith(".")]


def test_a_failed_detached_copy_leaves_the_next_command_free_to_try_again(
    current_fixture: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _make_large(current_fixture)

    def fail(temporary: Path, final: Path) -> Path:
        raise OSError("no room left")

    monkeypatch.setattr(backups, "publish", fail)
    pending = backups.daily_backup(current_fixture, detach=True)
    assert pending is not None
    backups.release_copier()
    folder = backups_folder(current_fixture)
    deadline = time.monotonic() + 60
    while [p for p in folder.iterdir() if p.name.startswith(".")]:  # the copier cleans up
        assert time.monotonic() < deadline, "the failed copy left files behind"
        time.sleep(0.05)
    assert not pending.exists() and list_backups(current_fixture) == []

    monkeypatch.undo()
    assert backups.daily_backup(current_fixture, detach=True) is not None
    backups.release_copier()
    assert len(_wait_for_backups(current_fixture, 1)) == 1


def test_the_note_of_damage_a_detached_copy_found_is_owner_only(
    current_fixture: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _make_large(current_fixture)
    monkeypatch.setattr(backups, "integrity_problems", lambda path: ["row 3 missing from index"])
    umask = os.umask(0o022)  # the usual one, under which a plain write is 0644
    try:
        backups.daily_backup(current_fixture, detach=True)
        backups.release_copier()
        note = backups_folder(current_fixture) / f".{current_fixture.stem}-damaged"
        deadline = time.monotonic() + 60
        while not note.exists():
            assert time.monotonic() < deadline, "the detached copy left no note"
            time.sleep(0.05)
    finally:
        os.umask(umask)
    assert stat.S_IMODE(note.stat().st_mode) == 0o600
    assert note.read_text(encoding="utf-8") == "row 3 missing from index\n"


def test_a_claim_no_process_holds_is_taken_over_and_a_held_one_is_not(
    current_fixture: Path,
) -> None:
    import fcntl

    folder = backups_folder(current_fixture)
    folder.mkdir(mode=0o700)
    claim = folder / f".{current_fixture.stem}-daily.claim"
    claim.write_bytes(b"half a copy from a copier that was killed")
    holder = os.open(claim, os.O_RDWR)
    try:
        fcntl.flock(holder, fcntl.LOCK_EX)  # as a living copier holds it
        assert backups.daily_backup(current_fixture) is None
    finally:
        os.close(holder)

    made = backups.daily_backup(current_fixture)

    assert made is not None and [b.path for b in list_backups(current_fixture)] == [made]
    assert integrity(made) == "ok"
    assert not claim.exists()


def test_the_copy_waits_until_the_command_has_ended(current_fixture: Path) -> None:
    # Copying 270 MB beside the day's first command made it twice as slow.
    _make_large(current_fixture)
    before = contents(current_fixture)

    pending = backups.daily_backup(current_fixture, detach=True)
    time.sleep(0.5)  # time enough to copy a 16 MB database had the copier not waited

    assert pending is not None and list_backups(current_fixture) == []
    claim = backups_folder(current_fixture) / f".{current_fixture.stem}-daily.claim"
    assert claim.stat().st_size == 0  # not a page copied yet
    backups.release_copier()  # as this process's end does
    assert _wait_for_backups(current_fixture, 1) == [pending]
    assert integrity(pending) == "ok" and contents(pending) == before
    assert stat.S_IMODE(pending.stat().st_mode) == 0o600


def test_after_the_day_s_first_command_its_backup_is_a_whole_owner_only_database(
    current_fixture: Path,
) -> None:
    _make_large(current_fixture)
    before = contents(current_fixture)

    assert run_rapport(current_fixture, "followups", "due").returncode == 0

    (backup,) = _wait_for_backups(current_fixture, 1)
    with backup.open("rb") as file:
        assert file.read(16) == b"SQLite format 3\x00"
    assert integrity(backup) == "ok" and contents(backup) == before
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600


def _unheld(claim: Path) -> bool:
    import fcntl

    fd = os.open(claim, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(fd)
    return True


def test_a_copier_killed_mid_copy_leaves_no_half_file_counted_as_a_backup(
    current_fixture: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import signal

    _make_large(current_fixture)
    real_copy = backups.copy_database

    def copy_half_then_die(source: Path, destination: Path, **kwargs: object) -> None:
        # Runs in the detached copier (a fork carries the patch along).
        real_copy(source, destination, **kwargs)  # type: ignore[arg-type]
        with destination.open("r+b") as file:
            file.truncate(destination.stat().st_size // 2)
        os.kill(os.getpid(), signal.SIGKILL)

    monkeypatch.setattr(backups, "copy_database", copy_half_then_die)
    pending = backups.daily_backup(current_fixture, detach=True)
    backups.release_copier()
    claim = backups_folder(current_fixture) / f".{current_fixture.stem}-daily.claim"
    deadline = time.monotonic() + 60
    while not _unheld(claim):  # the copier holds it until it dies
        assert time.monotonic() < deadline, "the copier never died"
        time.sleep(0.05)

    assert claim.stat().st_size > 0  # the half copy it left
    assert pending is not None and not pending.exists()
    assert list_backups(current_fixture) == []
    monkeypatch.undo()
    made = backups.daily_backup(current_fixture)  # the next command of the day takes it
    assert made is not None and [b.path for b in list_backups(current_fixture)] == [made]
    assert integrity(made) == "ok"
    assert not [p for p in backups_folder(current_fixture).iterdir() if p.name.startswith(".")]
