"""A synced folder copied whole, or deleted and made again at its path: what waits is listed once.

``rapport sync deleted`` lists the follow-ups whose file the phone deleted,
waiting for the person's word; each is one follow-up to decide about, however
many folders hold its record.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner
from test_vdir_sync import TASKS, vdir

from rapport.calendar.items import ExportOptions
from rapport.services.calendar_files import export_vdir
from rapport.services.sync import deleted_elsewhere, resolve_deleted, sync_followups

__all__ = ["vdir"]  # the fixture, used by name


def test_a_whole_copy_of_a_folder_lists_a_task_waiting_for_the_persons_word_once(
    vdir: Path, tmp_path: Path, calendar_db: Path
) -> None:
    (vdir / "followup-1@rapport.ics").unlink()
    assert sync_followups(vdir, TASKS).count("deleted-elsewhere") == 1
    copy = tmp_path / "copy"
    shutil.copytree(vdir, copy)
    report = sync_followups(copy, TASKS)
    assert report.words() == "1 taken over from an earlier folder"
    assert [d.uid for d in deleted_elsewhere()] == ["followup-1@rapport"]
    from rapport.cli import cli
    from rapport.db import close_database

    close_database()
    listed = CliRunner().invoke(cli, ["--db", str(calendar_db), "sync", "deleted"])
    assert listed.exit_code == 0, listed.output
    assert listed.output.count("Send Dana the portfolio link") == 1, listed.output
    # Restored once, it goes back to both folders at their next syncs.
    from rapport.db import open_database

    open_database(calendar_db)
    resolve_deleted(restore=[deleted_elsewhere()[0].followup_id])
    assert deleted_elsewhere() == []
    assert sync_followups(vdir, TASKS).count("sent") == 1
    assert sync_followups(copy, TASKS).count("sent") == 1


def test_a_folder_deleted_and_made_again_by_a_fresh_export_lists_no_deletions(
    vdir: Path,
) -> None:
    # The synced folder is deleted; one goal's two tasks are exported again at its path.
    shutil.rmtree(vdir)
    export_vdir(vdir, ExportOptions(todo=True, goal="2"))
    assert len(list(vdir.glob("*.ics"))) == 2
    report = sync_followups(vdir, TASKS)
    # The three it never held since were not deleted on a phone: they are sent again.
    assert report.words() == "3 sent, 1 taken over from an earlier folder"
    assert deleted_elsewhere() == []
    assert sync_followups(vdir, TASKS).words() == "nothing changed"


def test_a_task_deleted_on_the_phone_is_still_listed_in_the_same_folder(vdir: Path) -> None:
    for n in (1, 2, 3):
        (vdir / f"followup-{n}@rapport.ics").unlink()
    report = sync_followups(vdir, TASKS)
    assert report.count("deleted-elsewhere") == 3
    assert len(deleted_elsewhere()) == 3


def test_a_folder_restored_at_its_path_lists_the_one_task_its_backup_lacks(
    vdir: Path, tmp_path: Path
) -> None:
    backup = tmp_path / "backup"
    shutil.copytree(vdir, backup)
    (backup / "followup-1@rapport.ics").unlink()  # deleted on the phone before the backup
    shutil.rmtree(vdir)
    shutil.copytree(backup, vdir)
    (vdir / ".rapport-sync").unlink()  # a backup of the *.ics files alone
    report = sync_followups(vdir, TASKS)
    assert report.count("deleted-elsewhere") == 1 and report.count("sent") == 0
    assert [d.uid for d in deleted_elsewhere()] == ["followup-1@rapport"]
