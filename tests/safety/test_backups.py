"""Backups: daily and before upgrades, rotated; ``backup`` while writing; ``restore``.

A backup is only worth something if it is whole: each one is checked with
SQLite's integrity check and compared row for row with what it copied.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from bad_files import REFUSED
from safety_harness import (
    SOAK,
    contents,
    fingerprint,
    integrity,
    logged,
    released_fixtures,
    row_counts,
    run_rapport,
    start_writer,
)

from conftest import NewerRapport
from rapport.backups import KEEP, backups_folder, list_backups
from rapport.db import close_database, schema_version


def _on_day(monkeypatch: pytest.MonkeyPatch, day: int) -> None:
    monkeypatch.setenv("RAPPORT_NOW", f"2026-11-{day:02d}T09:00:00")


# `followups due` opens the database without peewee's models (plain=True).
@pytest.mark.parametrize("command", [["today"], ["followups", "due"]])
def test_the_first_open_of_a_day_backs_up_and_the_others_do_not(
    current_fixture: Path, cli, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    cli.db = current_fixture
    before = contents(current_fixture)
    for _ in range(3):
        assert cli(*command).exit_code == 0
    (backup,) = list_backups(current_fixture)
    assert backup.reason == "daily" and backup.taken.day == 23
    assert contents(backup.path) == before
    assert integrity(backup.path) == "ok"

    _on_day(monkeypatch, 24)
    assert cli(*command).exit_code == 0
    assert [b.taken.day for b in list_backups(current_fixture)] == [23, 24]


def test_automatic_backups_keep_the_last_few_of_each_kind_and_manual_ones_stay(
    current_fixture: Path, cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli.db = current_fixture
    _on_day(monkeypatch, 1)
    assert cli("backup").exit_code == 0  # a manual one, never rotated away
    for day in range(2, 13):
        _on_day(monkeypatch, day)
        assert cli("today").exit_code == 0
    kept = list_backups(current_fixture)
    daily = [b.taken.day for b in kept if b.reason == "daily"]
    assert daily == list(range(13 - KEEP["daily"], 13))
    assert [b.taken.day for b in kept if b.reason == "manual"] == [1]


def test_rapport_backups_says_where_they_are(current_fixture: Path, cli) -> None:
    cli.db = current_fixture
    assert cli("today").exit_code == 0
    listing = cli("backups")
    assert str(backups_folder(current_fixture)) in listing.output
    (backup,) = list_backups(current_fixture)
    assert backup.path.name in listing.output
    (entry,) = json.loads(cli("backups", "--json").output)
    assert entry["path"] == str(backup.path) and entry["reason"] == "daily"


def test_rapport_backup_writes_where_asked_and_never_over_the_database(
    current_fixture: Path, cli, tmp_path: Path
) -> None:
    cli.db = current_fixture
    into_folder = cli("backup", str(tmp_path))
    assert into_folder.exit_code == 0
    written = Path(into_folder.output.split("Backed up to ")[1].strip())
    assert written.parent == tmp_path and integrity(written) == "ok"

    before = fingerprint(current_fixture)
    itself = cli("backup", str(current_fixture))
    assert itself.exit_code == 1 and "is the database itself" in itself.stderr
    assert fingerprint(current_fixture) == before


def test_a_backup_taken_while_another_process_writes_is_whole(
    current_fixture: Path, tmp_path: Path
) -> None:
    seconds = 20.0 if SOAK else 3.0
    log = tmp_path / "batches.log"
    writer = start_writer(current_fixture, "w", seconds, log, "batches")
    copies = []
    deadline = time.monotonic() + seconds
    try:
        while time.monotonic() < deadline:
            copy = tmp_path / f"copy-{len(copies)}.db"
            done = run_rapport(current_fixture, "backup", str(copy))
            assert done.returncode == 0, done.stderr
            copies.append(copy)
    finally:
        assert writer.wait(timeout=120) == 0
    logged(log)

    # Each copy's integrity check on its own core (sqlite3 lets go of the GIL):
    # they are most of the test's time after the writer stops.
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        checked = dict(zip(copies, pool.map(integrity, copies), strict=True))
    assert checked == dict.fromkeys(copies, "ok")
    batch_sizes = []
    for copy in copies:
        conn = sqlite3.connect(str(copy))
        names = [r[0] for r in conn.execute("SELECT name FROM contact WHERE name LIKE 'w batch %'")]
        conn.close()
        batches = {name.split(" #")[0] for name in names}
        assert len(names) == 20 * len(batches)  # whole transactions only
        batch_sizes.append(len(batches))
    # The copies were taken while the writer was writing, not before or after.
    assert len(set(batch_sizes)) > 1


# -- restore ---------------------------------------------------------------


@pytest.fixture
def two_states(current_fixture: Path, cli, tmp_path: Path) -> tuple[Path, dict[str, object]]:
    """A backup of the database, then one more contact in the database."""
    cli.db = current_fixture
    backup = tmp_path / "saved.db"
    assert cli("backup", str(backup)).exit_code == 0
    assert cli("contacts", "add", "Added After The Backup").exit_code == 0
    return backup, contents(current_fixture)


def test_restore_puts_the_backup_back_and_keeps_the_replaced_database(
    current_fixture: Path, cli, two_states: tuple[Path, dict[str, object]]
) -> None:
    backup, latest = two_states
    result = cli("restore", str(backup), "--yes")
    assert result.exit_code == 0, result.output
    assert contents(current_fixture) == contents(backup)
    (kept,) = [b for b in list_backups(current_fixture) if b.reason == "pre-restore"]
    assert f"kept at {kept.path}" in result.output
    assert contents(kept.path) == latest


def test_restore_asks_first(current_fixture: Path, cli, two_states) -> None:  # type: ignore[no-untyped-def]
    backup, latest = two_states
    result = cli("restore", str(backup), input="n\n")
    assert result.exit_code == 1
    assert contents(current_fixture) == latest


@pytest.mark.parametrize("kind", sorted(REFUSED))
def test_restore_refuses_a_bad_backup_before_replacing_anything(
    kind: str, current_fixture: Path, cli, tmp_path: Path
) -> None:
    write, exit_code, _ = REFUSED[kind]
    bad = tmp_path / "bad.db"
    write(bad)
    cli.db = current_fixture
    assert cli("today").exit_code == 0
    close_database()
    before, backups = fingerprint(current_fixture), list_backups(current_fixture)

    result = cli("restore", str(bad), "--yes")
    assert result.exit_code == exit_code
    assert result.stderr.startswith("rapport: ") and result.stderr.count("\n") == 1
    assert fingerprint(current_fixture) == before
    assert list_backups(current_fixture) == backups


def test_restore_of_a_missing_file_says_so(current_fixture: Path, cli, tmp_path: Path) -> None:
    cli.db = current_fixture
    result = cli("restore", str(tmp_path / "nope.db"), "--yes")
    assert result.exit_code == 3 and "is not a file" in result.stderr


def test_restore_of_an_older_backup_upgrades_it_after_a_backup(
    current_fixture: Path, cli, newer_rapport: NewerRapport, tmp_path: Path
) -> None:
    older = tmp_path / "older.db"
    shutil.copyfile(current_fixture, older)
    shipped = schema_version()
    newer_rapport("db.execute_sql('CREATE TABLE later_feature (x INTEGER)')")
    cli.db = current_fixture
    result = cli("restore", str(older), "--yes")
    assert result.exit_code == 0, result.output
    assert contents(current_fixture)["user_version"] == shipped + 1
    assert "a copy from before is at" in result.stderr


def test_restore_replaces_a_damaged_database_and_keeps_its_bytes(
    current_fixture: Path, cli, tmp_path: Path
) -> None:
    backup = tmp_path / "saved.db"
    shutil.copyfile(current_fixture, backup)
    REFUSED["damaged"][0](current_fixture)
    damaged_bytes = current_fixture.read_bytes()
    cli.db = current_fixture
    assert cli("contacts", "list").exit_code == 8

    result = cli("restore", str(backup), "--yes")
    assert result.exit_code == 0, result.output
    assert contents(current_fixture) == contents(backup)
    (kept,) = list_backups(current_fixture)
    assert kept.path.read_bytes() == damaged_bytes


def test_restore_while_another_process_has_the_database_open(
    current_fixture: Path, cli, tmp_path: Path
) -> None:
    backup = tmp_path / "saved.db"
    cli.db = current_fixture
    assert cli("backup", str(backup)).exit_code == 0
    assert cli("contacts", "add", "Only In The Live Database").exit_code == 0
    close_database()
    # Another rapport (the app, say) holds the file open the whole time.
    app = sqlite3.connect(str(current_fixture))
    app.execute("PRAGMA busy_timeout = 15000")
    assert app.execute("SELECT count(*) FROM contact WHERE name LIKE 'Only%'").fetchone() == (1,)

    assert cli("restore", str(backup), "--yes").exit_code == 0

    assert app.execute("SELECT count(*) FROM contact WHERE name LIKE 'Only%'").fetchone() == (0,)
    app.close()
    assert integrity(current_fixture) == "ok"


def test_restore_into_a_new_place_creates_it(tmp_path: Path, current_fixture: Path, cli) -> None:
    cli.db = tmp_path / "fresh" / "rapport.db"
    result = cli("restore", str(current_fixture), "--yes")
    assert result.exit_code == 0, result.output
    assert row_counts(cli.db) == row_counts(current_fixture)
    assert oct(os.stat(cli.db).st_mode & 0o777) == "0o600"


def test_backup_from_the_command_line_in_another_process(current_fixture: Path) -> None:
    done = run_rapport(current_fixture, "backup")
    assert done.returncode == 0, done.stderr
    (backup,) = [b for b in list_backups(current_fixture) if b.reason == "manual"]
    assert f"Backed up to {backup.path}" in done.stdout
    assert contents(backup.path) == contents(current_fixture)


# -- what a command leaves, what a restore keeps ------------------------------------


def test_a_backup_of_a_damaged_database_says_so_and_writes_nothing(
    current_fixture: Path, cli, tmp_path: Path
) -> None:
    cli.db = current_fixture
    assert cli("today").exit_code == 0  # today's backup is taken: the next open checks nothing
    close_database()
    with current_fixture.open("r+b") as handle:  # pages of rows: it still opens
        for page in range(60, 100, 5):
            handle.seek((page - 1) * 4096 + 100)
            handle.write(b"\xde\xad\xbe\xef" * 200)
    before = len(list_backups(current_fixture))
    copy = tmp_path / "copy.db"
    for args in (("backup", str(copy)), ("backup",)):
        result = cli(*args)
        assert result.exit_code == 8, result.output
        assert "damaged" in result.stderr and "Backed up" not in result.stdout
    assert not copy.exists()
    assert len(list_backups(current_fixture)) == before
    assert not [p for p in backups_folder(current_fixture).iterdir() if "partial" in p.name]


def test_what_a_killed_backup_or_migration_left_goes_at_the_next_command(
    current_fixture: Path, cli
) -> None:
    folder = backups_folder(current_fixture)
    folder.mkdir(exist_ok=True)
    left = [
        folder / ".rapport-20261123-090000-pre-migrate.db.k1ll3d_x.partial",
        folder / ".rapport-20261123-090000-pre-migrate.db.k1ll3d_x.partial-journal",
        current_fixture.parent / f".{current_fixture.name}.k1ll3d_y.partial",
    ]
    for path in left:
        path.write_bytes(b"half a copy of someone's network")
    theirs = [folder / "notes.partial", current_fixture.parent / ".mine.partial"]
    for path in theirs:
        path.write_bytes(b"not rapport's")
    cli.db = current_fixture
    assert cli("contacts", "list").exit_code == 0
    assert [p.name for p in left if p.exists()] == []
    assert all(p.exists() for p in theirs)


def wait_for_first_batch(log: Path, writer: subprocess.Popen[str]) -> None:
    give_up = time.monotonic() + 60
    while not any(line.startswith("batch ") for line in logged(log)):
        assert writer.poll() is None and time.monotonic() < give_up, "the writer wrote nothing"
        time.sleep(0.02)


def test_restore_racing_a_writer_keeps_every_acknowledged_write(
    current_fixture: Path, tmp_path: Path
) -> None:
    saved = tmp_path / "saved.db"
    assert run_rapport(current_fixture, "backup", str(saved)).returncode == 0
    seconds = 20.0 if SOAK else 4.0
    log = tmp_path / "batches.log"
    kept_copies = tmp_path / "kept"
    kept_copies.mkdir()
    writer = start_writer(current_fixture, "w", seconds, log, "batches")
    wait_for_first_batch(log, writer)  # every restore races acknowledged writes
    deadline = time.monotonic() + seconds
    restores = 0
    try:
        while time.monotonic() < deadline:
            done = run_rapport(current_fixture, "restore", str(saved), "--yes")
            assert done.returncode == 0, done.stderr
            kept = Path(done.stdout.rsplit("kept at ", 1)[1].strip())
            # Copied away at once: automatic pre-restore backups are rotated.
            shutil.copyfile(kept, kept_copies / f"{restores}.db")
            restores += 1
    finally:
        assert writer.wait(timeout=120) == 0
    acknowledged = {int(line.split()[1]) for line in logged(log) if line.startswith("batch ")}
    assert acknowledged and restores >= 2
    found: set[int] = set()
    for copy in [*kept_copies.iterdir(), current_fixture]:
        conn = sqlite3.connect(str(copy))
        names = [r[0] for r in conn.execute("SELECT name FROM contact WHERE name LIKE 'w batch %'")]
        conn.close()
        found |= {int(name.split()[2]) for name in names}
    assert sorted(acknowledged - found) == []


def test_a_json_restore_racing_a_writer_says_what_happened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rapport import bulk
    from rapport.db import open_database
    from rapport.errors import ImportFailed
    from rapport.services import exchange
    from rapport.services.contacts import create_contact

    open_database(tmp_path / "old.db")
    create_contact("Dana Whitfield")
    export = tmp_path / "old.json"
    export.write_text(exchange.export_json(), encoding="utf-8")
    close_database()
    target = open_database(tmp_path / "new.db")
    prepare = bulk.prepare_tables

    def another_rapport_writes_meanwhile(*args, **kwargs):  # type: ignore[no-untyped-def]
        conn = sqlite3.connect(str(target))
        with conn:
            conn.execute(
                "INSERT INTO contact (name, created_at, updated_at) VALUES ('Eve', "
                "'2026-11-23 09:00:00', '2026-11-23 09:00:00')"
            )
        conn.close()
        return prepare(*args, **kwargs)

    monkeypatch.setattr(bulk, "prepare_tables", another_rapport_writes_meanwhile)
    with pytest.raises(ImportFailed) as refused:
        exchange.import_json(export)
    assert "UNIQUE" not in str(refused.value)
    assert "has 1 contact rows" in str(refused.value)
    close_database()


@pytest.mark.parametrize(
    "stamp",
    ["20261123-090000", "20240229-235959", "20250229-120000", "20261301-000000", "20261123-246000"],
)
def test_a_backups_stamp_is_read_as_strptime_reads_it(stamp: str) -> None:
    # Read without strptime (whose machinery every command loaded to look for
    # the day's backup): the same time, or the same refusal of one that does
    # not exist, so such a file is still no backup.
    import datetime as dt

    from rapport.backups import STAMP, _taken

    try:
        expected: dt.datetime | None = dt.datetime.strptime(stamp, STAMP)
    except ValueError:
        expected = None
    try:
        got: dt.datetime | None = _taken(stamp)
    except ValueError:
        got = None
    assert got == expected


# -- no room for a backup ------------------------------------------------------------


def _rapport_with_files_up_to(limit: int, db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``rapport --db DB ARGS`` in a process that may write no file beyond ``limit``
    bytes (``ulimit -f``): as a full disk, as far as a copy of the database can tell."""
    import resource
    import signal
    import sys

    def small_files() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a failing write, as Python has it
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run(
        [sys.executable, "-m", "rapport", "--db", str(db), *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        preexec_fn=small_files,
    )


def test_an_upgrade_with_no_room_for_its_backup_says_so_and_changes_nothing(
    tmp_path: Path,
) -> None:
    # The copy before an upgrade stopped by a file-size limit said the database
    # was damaged (exit 8) and told the person to restore a backup: doing so
    # would have lost everything since that backup.
    db = tmp_path / "person" / "rapport.db"
    db.parent.mkdir(mode=0o700)
    shutil.copyfile(released_fixtures()[-2], db)  # one schema behind: it needs the upgrade
    db.chmod(0o600)
    before = fingerprint(db)

    done = _rapport_with_files_up_to(db.stat().st_size // 2, db, "goals", "list")

    assert (done.returncode, done.stdout, done.stderr) == (
        1,
        "",
        f"rapport: could not back up {db} before upgrading it (the copy is larger than "
        "this session's file-size limit); nothing was changed: raise `ulimit -f` and run "
        "it again\n",
    )
    assert fingerprint(db) == before
    assert sorted(p.name for p in db.parent.iterdir()) == ["rapport.db"]  # no copy, no folder

    assert run_rapport(db, "goals", "list").returncode == 0  # with room, it upgrades
    assert [b.reason for b in list_backups(db)] == ["pre-migrate"]


def test_a_daily_backup_with_no_room_lets_the_command_go_on_and_says_so(
    current_fixture: Path,
) -> None:
    before = contents(current_fixture)
    limit = current_fixture.stat().st_size // 2

    done = _rapport_with_files_up_to(limit, current_fixture, "contacts", "list", "--json")

    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)  # the contacts, as without the limit
    assert done.stderr == (
        f"rapport: could not back up {current_fixture} for today (the copy is larger than "
        "this session's file-size limit); going on without it: raise `ulimit -f`, and the "
        "next command tries again\n"
    )
    assert contents(current_fixture) == before
    assert list(backups_folder(current_fixture).iterdir()) == []  # no half copy, no claim

    assert run_rapport(current_fixture, "contacts", "list").returncode == 0
    assert [b.reason for b in list_backups(current_fixture)] == ["daily"]


def test_a_backup_the_disk_has_no_room_for_says_the_disk_is_full(
    current_fixture: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rapport import backups
    from rapport.errors import BackupFailed

    def full(source: Path, destination: Path, **_: object) -> None:
        destination.write_bytes(b"half a copy")
        error = sqlite3.OperationalError("database or disk is full")
        error.sqlite_errorname = "SQLITE_FULL"  # type: ignore[attr-defined]
        raise error

    monkeypatch.setattr(backups, "copy_database", full)
    with pytest.raises(BackupFailed) as failed:
        backups.checked_backup(current_fixture, "pre-migrate")
    assert str(failed.value) == (
        f"could not back up {current_fixture} before upgrading it (the disk is full); "
        "nothing was changed: free some space and run it again"
    )
    assert not backups_folder(current_fixture).exists()
