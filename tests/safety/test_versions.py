"""Versions: older databases are backed up then upgraded; files rapport must not touch are not.

The fixtures in tests/data are real databases of each released schema.  A
"newer rapport" is simulated by giving rapport one more migration than it
ships (the ``newer_rapport`` fixture).  A refused file keeps its bytes, its
mtime, and gets no -wal/-shm beside it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bad_files import REFUSED, write_damaged
from safety_harness import (
    DATA,
    contents,
    fingerprint,
    integrity,
    released_fixtures,
    row_counts,
    sidecars,
)

from conftest import NewerRapport
from rapport.db import close_database, open_database, schema_version
from rapport.errors import DatabaseUnusable, RapportError, SchemaTooNew

ADD_PRONOUNS = """
db.execute_sql("ALTER TABLE contact ADD COLUMN pronouns TEXT NOT NULL DEFAULT ''")
db.execute_sql("UPDATE contact SET pronouns = 'they/them' WHERE name LIKE 'Dana%'")
"""
FAIL_HALFWAY = """
db.execute_sql("CREATE TABLE half_done (x INTEGER)")
db.execute_sql("DELETE FROM interaction")
raise RuntimeError("disk on fire")
"""


def test_there_is_a_fixture_of_the_current_schema() -> None:
    expected = DATA / f"schema-{schema_version():04d}.sqlite"
    assert expected.exists(), (
        f"no fixture of schema {schema_version()}: run "
        "`.venv/bin/python tests/data/make_fixtures.py` and commit what it writes"
    )


@pytest.mark.parametrize("fixture", released_fixtures(), ids=lambda p: p.stem)
def test_each_released_schema_opens_with_every_row_kept(fixture: Path, tmp_path: Path) -> None:
    from rapport.services.contacts import contact_rows
    from rapport.services.search import search

    copy = tmp_path / "rapport.db"
    shutil.copyfile(fixture, copy)
    before = row_counts(copy)

    open_database(copy)
    names = {row.name for row in contact_rows(archived=None)}
    hits = search("Ångström")
    close_database()

    after = row_counts(copy)
    # Every row kept; the upgrade only adds its own entries to the migration history.
    kept = {table for table in before if table != "schema_migration"}
    assert {table: after[table] for table in kept} == {table: before[table] for table in kept}
    assert after["schema_migration"] >= before["schema_migration"]
    assert "Zoë 🦊 Ångström" in names and "محمد الأحمد" in names
    assert [h.title for h in hits if h.kind == "contact"] == ["Zoë 🦊 Ångström"]
    assert integrity(copy) == "ok"


# `followups due` opens the database without peewee's models (plain=True).
@pytest.mark.parametrize("command", [["contacts", "list"], ["followups", "due"]])
def test_an_older_database_is_backed_up_then_upgraded(
    current_fixture: Path, newer_rapport: NewerRapport, cli, command: list[str]
) -> None:
    from rapport.backups import list_backups

    before, counts = contents(current_fixture), row_counts(current_fixture)
    shipped = schema_version()
    newer_rapport(ADD_PRONOUNS)

    cli.db = current_fixture
    result = cli(*command)

    assert result.exit_code == 0, result.output
    (backup,) = list_backups(current_fixture)
    assert backup.reason == "pre-migrate"
    assert f"a copy from before is at {backup.path}" in result.stderr
    assert contents(backup.path) == before  # the copy is the database as it was
    upgraded = contents(current_fixture)
    assert upgraded["user_version"] == shipped + 1
    assert [row[-1] for row in upgraded["contact"]].count("they/them") == 1  # type: ignore[attr-defined]
    counts["schema_migration"] += 1
    assert row_counts(current_fixture) == counts


def test_a_failing_migration_leaves_the_database_as_it_was(
    current_fixture: Path, newer_rapport: NewerRapport, cli
) -> None:
    from rapport.backups import list_backups

    before = contents(current_fixture)
    # The first new step works, the second fails halfway: neither may remain.
    newer_rapport(ADD_PRONOUNS, FAIL_HALFWAY)

    cli.db = current_fixture
    result = cli("contacts", "list")

    assert result.exit_code == 1
    assert "disk on fire" in result.stderr and "left as it was" in result.stderr
    assert contents(current_fixture) == before
    assert integrity(current_fixture) == "ok"
    (backup,) = list_backups(current_fixture)
    assert str(backup.path) in result.stderr
    assert contents(backup.path) == before


def test_a_failing_migration_of_a_new_file_leaves_no_file(
    tmp_path: Path, newer_rapport: NewerRapport
) -> None:
    newer_rapport(FAIL_HALFWAY)
    target = tmp_path / "new" / "rapport.db"
    with pytest.raises(RapportError, match="disk on fire"):
        open_database(target)
    assert not target.exists()
    assert sidecars(target) == []


@pytest.mark.parametrize("kind", sorted(REFUSED))
def test_a_file_rapport_cannot_use_is_refused_in_one_line_and_left_untouched(
    kind: str, tmp_path: Path, cli
) -> None:
    write, exit_code, words = REFUSED[kind]
    path = tmp_path / "rapport.db"
    write(path)
    os.utime(path, ns=(1_600_000_000_000_000_000,) * 2)  # any write would move it
    before = fingerprint(path)

    cli.db = path
    for command in (
        ("contacts", "list"),
        ("followups", "due"),
        ("contacts", "add", "Dana"),
        ("backup",),
    ):
        result = cli(*command)
        assert result.exit_code == exit_code, result.output
        assert result.stdout == ""
        assert result.stderr.startswith("rapport: ") and result.stderr.count("\n") == 1
        assert words in result.stderr

    assert fingerprint(path) == before
    assert not (tmp_path / "rapport-backups").exists()


@pytest.mark.parametrize("command", [["contacts", "list"], ["followups", "due"]])
def test_damage_found_while_reading_is_one_line_not_a_traceback(
    current_fixture: Path, cli, command: list[str]
) -> None:
    cli.db = current_fixture
    assert cli(*command).exit_code == 0  # today's backup is taken now
    close_database()
    write_damaged(current_fixture)

    result = cli(*command)
    assert result.exit_code == 8
    assert result.stderr.startswith("rapport: ") and result.stderr.count("\n") == 1
    assert "damaged" in result.stderr


def test_opening_a_database_rapport_refuses_raises_the_right_kind(tmp_path: Path) -> None:
    newer, other = tmp_path / "newer.db", tmp_path / "other.db"
    REFUSED["newer"][0](newer)
    REFUSED["other-app"][0](other)
    with pytest.raises(SchemaTooNew):
        open_database(newer)
    with pytest.raises(DatabaseUnusable):
        open_database(other)


def _unprivileged() -> list[str]:
    """A command prefix under which file permissions apply (root ignores them)."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: permissions cannot be tested")
    dropped = "-dac_override,-dac_read_search,-fowner"
    return [setpriv, "--bounding-set", dropped, "--inh-caps", dropped]


def _rapport_unprivileged(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*_unprivileged(), sys.executable, "-m", "rapport", "--db", str(db), *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize("what", ["file", "folder"])
def test_a_read_only_database_or_folder_is_refused_clearly(
    what: str, current_fixture: Path
) -> None:
    folder = current_fixture.parent
    os.utime(current_fixture, ns=(1_600_000_000_000_000_000,) * 2)
    before = fingerprint(current_fixture)
    (current_fixture if what == "file" else folder).chmod(0o400 if what == "file" else 0o500)
    try:
        result = _rapport_unprivileged(current_fixture, "contacts", "add", "Dana")
    finally:
        current_fixture.chmod(0o600)
        folder.chmod(0o700)
    assert result.returncode == 1, result.stderr
    assert result.stderr.count("\n") == 1
    expected = "is read-only" if what == "file" else "cannot write in"
    assert expected in result.stderr
    assert fingerprint(current_fixture) == before


def test_a_database_in_a_folder_that_does_not_exist_is_created(tmp_path: Path, cli) -> None:
    cli.db = tmp_path / "not" / "yet" / "rapport.db"
    assert cli("contacts", "add", "Dana").exit_code == 0
    assert cli("contacts", "list", "--json").output.count('"Dana"') == 1


def test_several_processes_creating_one_new_database_at_once_all_succeed(
    tmp_path: Path,
) -> None:
    target = tmp_path / "brand-new" / "rapport.db"
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "rapport", "--db", str(target), "contacts", "add", f"P{i}"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(8)
    ]
    outcomes = [(run.wait(timeout=60), run.stderr.read()) for run in runs]  # type: ignore[union-attr]
    # Each waits its turn: none fails to switch the new file to WAL, none takes
    # the file another is creating for an old database to back up and upgrade.
    assert outcomes == [(0, "")] * 8
    assert row_counts(target)["contact"] == 8
    assert integrity(target) == "ok"
