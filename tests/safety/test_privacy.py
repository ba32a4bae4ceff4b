"""Privacy: files owner-only under any umask, no network, and no note in an error or a log.

Every file rapport creates (the database, its WAL, backups, restored and
kept copies, exports) is 0600 and every folder it creates 0700, even when
the umask would allow more.  The main commands run with every socket
connection refused and recorded: none may be attempted.
"""

from __future__ import annotations

import logging
import os
import socket
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from safety_harness import DATA, files_under

from conftest import NewerRapport
from rapport.cli import command as cli_command
from rapport.db import close_database, open_database
from rapport.files import atomic_write

SECRET = "SECRET-NOTE-7f3a"


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture(params=[0o022, 0o000], ids=["umask-022", "umask-000"])
def permissive_umask(request: pytest.FixtureRequest) -> Iterator[int]:
    previous = os.umask(request.param)
    yield request.param
    os.umask(previous)


def _assert_private(root: Path, created_below: Path) -> None:
    """Every folder and file under ``created_below`` is owner-only."""
    folders = [p for p in created_below.rglob("*") if p.is_dir()] + [created_below]
    assert {str(p): oct(_mode(p)) for p in folders} == {str(p): "0o700" for p in folders}
    files = list(files_under(created_below))
    assert files, "nothing was created"
    assert {str(p): oct(_mode(p)) for p in files} == {str(p): "0o600" for p in files}


def test_everything_rapport_creates_is_owner_only(
    permissive_umask: int,
    tmp_path: Path,
    cli,
    monkeypatch: pytest.MonkeyPatch,
    newer_rapport: NewerRapport,
) -> None:
    made = tmp_path / "made"
    cli.db = made / "deep" / "er" / "rapport.db"
    assert cli("followups", "due").exit_code == 0  # a new file: created, then migrated
    assert cli("contacts", "add", "Dana", "--notes", SECRET).exit_code == 0

    # The WAL and shared-memory files exist while a connection is open.
    open_database(cli.db)
    assert {p.name: oct(_mode(p)) for p in cli.db.parent.glob("rapport.db-*")} == {
        "rapport.db-wal": "0o600",
        "rapport.db-shm": "0o600",
    }
    close_database()

    monkeypatch.setenv("RAPPORT_NOW", "2026-11-24T09:00:00")  # a new day: a daily backup
    assert cli("today").exit_code == 0
    assert cli("backup").exit_code == 0
    copy = made / "one.db"
    assert cli("backup", str(copy)).exit_code == 0
    assert cli("restore", str(copy), "--yes").exit_code == 0
    database, cli.db = cli.db, made / "new" / "r.db"
    assert cli("restore", str(copy), "--yes").exit_code == 0
    cli.db = database
    newer_rapport("db.execute_sql('CREATE TABLE later_feature (x INTEGER)')")
    assert cli("today").exit_code == 0  # an upgrade: a pre-migrate backup
    with atomic_write(made / "export.txt") as handle:
        handle.write(SECRET)

    reasons = {p.name.rsplit("-", 1)[-1] for p in (cli.db.parent / "rapport-backups").iterdir()}
    assert {"daily.db", "manual.db", "restore.db", "migrate.db"} <= reasons
    _assert_private(tmp_path, made)


# Every export format (their modules attach them to `rapport export` when it loads).
EXPORTS = sorted(cli_command("export").commands)  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", EXPORTS)
def test_exports_are_owner_only(
    permissive_umask: int, sample_cli, tmp_path: Path, name: str
) -> None:
    out = tmp_path / "exports" / f"out.{name}"
    out.parent.mkdir(mode=0o700)
    result = sample_cli("export", name, "-o", str(out))
    assert result.exit_code == 0, result.output
    assert oct(_mode(out)) == "0o600"


def test_a_calendar_folder_and_the_review_are_owner_only(
    permissive_umask: int, sample_cli, tmp_path: Path
) -> None:
    vdir = tmp_path / "calendars" / "rapport"
    assert sample_cli("export", "ics", "--vdir", str(vdir)).exit_code == 0
    review = tmp_path / "review.md"
    assert sample_cli("review", "--week", "-o", str(review)).exit_code == 0
    assert oct(_mode(review)) == "0o600"
    _assert_private(tmp_path, vdir)


# Files with web addresses in them (profiles, photos): an import never fetches one.
IMPORTS = [
    ("linkedin", DATA / "linkedin" / "Connections.csv"),
    ("vcard", DATA / "vcard" / "apple.vcf"),
    ("vcard", DATA / "vcard" / "google.vcf"),
    ("csv", DATA / "csv" / "google-contacts.csv"),
    ("ics", DATA / "calendar" / "import_cases.ics"),
]

MAIN_COMMANDS = [
    ("contacts", "list"),
    ("contacts", "list", "--json"),
    ("contacts", "show", "dana"),
    ("contacts", "add", "Network Test", "--notes", SECRET, "--email", "n@example.com"),
    ("contacts", "edit", "Network Test", "--role", "Engineer"),
    ("orgs", "list"),
    ("goals", "list"),
    ("goals", "add", "Offline goal"),
    ("log", "Network Test", "--summary", "coffee", "--notes", SECRET),
    ("interactions", "list"),
    ("interviews", "list"),
    ("events", "list"),
    ("followups", "add", "Write back", "--contact", "Network Test", "--due", "fri"),
    ("followups", "due", "--json"),
    ("link", "Network Test", "--goal", "Offline goal", "--role", "peer"),
    ("search", "dana"),
    ("today",),
    ("backup",),
    ("backups",),
]


@pytest.fixture
def sockets_refused(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every attempt to reach the network is recorded and refused."""
    attempts: list[str] = []

    def refuse(name: str):  # type: ignore[no-untyped-def]
        def attempt(*args: object, **kwargs: object) -> None:
            attempts.append(f"{name}{args[1:2]}")
            raise OSError(f"network blocked by the test ({name})")

        return attempt

    for name in ("connect", "connect_ex", "sendto", "sendmsg"):
        monkeypatch.setattr(socket.socket, name, refuse(name))
    monkeypatch.setattr(socket, "create_connection", refuse("create_connection"))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("getaddrinfo"))
    return attempts


def test_the_main_commands_never_touch_the_network(
    sample_cli, sockets_refused: list[str], tmp_path: Path
) -> None:
    exports = [("export", n, "-o", str(tmp_path / f"x.{n}")) for n in EXPORTS]
    imports = [("import", name, str(path)) for name, path in IMPORTS]
    vdir = ("export", "ics", "--vdir", str(tmp_path / "vdir"))
    commands = [*MAIN_COMMANDS, *exports, vdir, *imports]
    for command in commands:
        result = sample_cli(*command)
        assert result.exit_code == 0, (command, result.output)
    assert sockets_refused == []


def test_the_network_block_itself_works(sockets_refused: list[str]) -> None:
    with pytest.raises(OSError):
        socket.create_connection(("example.com", 80))
    assert sockets_refused


FAILING_WITH_NOTES = [
    ("contacts", "add", "Dana Again", "--email", "not-an-email", "--notes", SECRET),
    ("contacts", "edit", "dana", "--cadence", "-3", "--notes", SECRET),
    ("contacts", "edit", "nobody-by-that-name", "--notes", SECRET),
    ("log", "dana", "--date", "the 45th of Smarch", "--notes", SECRET),
    ("followups", "add", "Write", "--due", "whenever", "--notes", SECRET),
    ("followups", "add", "Write", "--repeat", "FREQ=SECONDLY", "--notes", SECRET),
    ("interviews", "add", "dana", "--at", "soonish", "--notes", SECRET),
    ("contacts", "add", "X", "--notes", SECRET + "\udcff"),
]


def test_error_messages_never_print_notes(sample_cli) -> None:
    for command in FAILING_WITH_NOTES:
        result = sample_cli(*command)
        assert result.exit_code != 0, command
        assert result.stderr.startswith("rapport: "), command
        assert SECRET not in result.stderr and SECRET not in result.stdout, command


def test_logs_never_hold_notes_even_at_debug_level(
    sample_cli, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    for command in MAIN_COMMANDS:
        sample_cli(*command)
    assert sample_cli("search", SECRET).output.count("Network Test") >= 1
    logging.getLogger("canary").debug("debug records are captured")
    assert "debug records are captured" in caplog.text
    assert SECRET not in caplog.text


def test_a_database_rule_broken_by_a_bug_is_not_called_damage(
    sample_cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    from peewee import IntegrityError

    def broken(*args: object, **kwargs: object) -> None:
        raise IntegrityError("UNIQUE constraint failed: contact.email")

    monkeypatch.setattr("rapport.services.contacts.create_contact", broken)
    result = sample_cli("contacts", "add", "Dana Two", "--notes", SECRET)
    assert result.exit_code == 1
    assert "damaged" not in result.stderr and SECRET not in result.stderr
    assert result.stderr.count("\n") == 1
