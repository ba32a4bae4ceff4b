"""Review of folder_states (b040460): sequences a person runs that break the sync's promises.

Each test is what the person does, then what they would notice.  They fail on
b040460; the code is not changed here.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from rapport.calendar.items import ExportOptions
from rapport.models import Contact, FollowUp
from rapport.services import contacts, followups
from rapport.services.calendar_files import export_vdir
from rapport.services.sync import deleted_elsewhere, sync_followups
from rapport.services.sync_contacts import cards_deleted_elsewhere, sync_contacts

TASKS = ExportOptions(todo=True)
TALKS = ExportOptions(todo=True, goal="2")  # followup-3 and followup-4


def complete(vdir: Path, uid: str) -> None:
    """Tick a task off as a phone does: STATUS and COMPLETED, SEQUENCE one up."""
    path = vdir / f"{uid}.ics"
    text = path.read_bytes().decode()
    text = text.replace(
        "STATUS:NEEDS-ACTION",
        "STATUS:COMPLETED\r\nCOMPLETED:20261124T100000Z\r\nPERCENT-COMPLETE:100",
        1,
    )
    line = next(x for x in text.splitlines() if x.startswith("SEQUENCE:"))
    text = text.replace(line, f"SEQUENCE:{int(line.split(':')[1]) + 1}", 1)
    path.write_bytes(text.encode())


def done(uid: str) -> bool:
    return FollowUp.get(FollowUp.uid == uid).done


@pytest.fixture
def vdir(calendar_db: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "tasks"
    folder.mkdir()
    assert sync_followups(folder, TASKS).count("sent") == 5
    return folder


def test_a_full_older_export_after_the_synced_folder_was_deleted_keeps_the_phones_done(
    vdir: Path, tmp_path: Path
) -> None:
    # A one-way export of every task, then the phone ticks one off in the synced folder.
    plain = tmp_path / "plain"
    export_vdir(plain, TASKS)
    complete(vdir, "followup-4@rapport")
    assert sync_followups(vdir, TASKS).words() == "1 done elsewhere"
    # The synced folder is deleted; the config points at the older export.
    shutil.rmtree(vdir)
    report = sync_followups(plain, TASKS)
    # Taken for a move, the stale copy's NEEDS-ACTION reads as "reopened on the phone".
    assert "reopened" not in report.words()
    assert done("followup-4@rapport")
    assert "STATUS:COMPLETED" in (plain / "followup-4@rapport.ics").read_text()


def test_a_moved_folder_with_two_tasks_deleted_on_the_phone_keeps_the_phones_done(
    vdir: Path, tmp_path: Path
) -> None:
    # On the phone: one task ticked off, two deleted.  In rapport: its title edited.
    complete(vdir, "followup-4@rapport")
    (vdir / "followup-3@rapport.ics").unlink()
    (vdir / "followup-5@rapport.ics").unlink()
    followups.update_followup(
        FollowUp.get(FollowUp.uid == "followup-4@rapport").id, title="Submit the CFP (v2)"
    )
    moved = tmp_path / "moved"
    vdir.rename(moved)  # or vdirsyncer downloads it again elsewhere
    report = sync_followups(moved, TASKS)
    # 2 of 5 missing is not "whole": the changed file's record is dropped, its
    # SEQUENCE ties rapport's, rapport's stale "open" goes out over the phone's done.
    assert done("followup-4@rapport")
    assert "STATUS:COMPLETED" in (moved / "followup-4@rapport.ics").read_text()
    # The two deleted on the phone: 3 of 5 held cannot be told from one goal's
    # calendar exported fresh, so they are sent again, not listed (listed, tasks
    # never in the folder would wait to be archived).  Deleted again, they are listed.
    assert [c.uid for c in report.changes if c.what == "sent" and c.detail == "new"] == [
        "followup-3@rapport",
        "followup-5@rapport",
    ]
    assert deleted_elsewhere() == [] and report.count("deleted-elsewhere") == 0
    (moved / "followup-3@rapport.ics").unlink()
    (moved / "followup-5@rapport.ics").unlink()
    assert sync_followups(moved, TASKS).count("deleted-elsewhere") == 2
    assert sorted(d.uid for d in deleted_elsewhere()) == [
        "followup-3@rapport",
        "followup-5@rapport",
    ]


def test_a_moved_two_task_calendar_lists_the_one_deleted_on_the_phone(
    calendar_db: Path, tmp_path: Path
) -> None:
    # README: a move is a folder holding all the old one's files "but one in ten at
    # most (one, in a small folder)".  A goal's calendar of two, one deleted on the phone.
    talks = tmp_path / "talks"
    assert sync_followups(talks, TALKS, create=True).count("sent") == 2
    (talks / "followup-3@rapport.ics").unlink()
    moved = tmp_path / "moved"
    talks.rename(moved)
    report = sync_followups(moved, TALKS)
    assert [(c.what, c.detail) for c in report.changes if c.what == "folder"] == [
        ("folder", "moved here")
    ]
    assert [d.uid for d in deleted_elsewhere()] == ["followup-3@rapport"]
    assert not (moved / "followup-3@rapport.ics").exists()  # not sent back unasked


def test_a_moved_address_book_keeps_a_number_fixed_on_the_phone(
    db_path: Path, tmp_path: Path
) -> None:
    for name in ("Dana Whitfield", "Yosef Cohen", "Ines Moreau", "Kofi Mensah"):
        contacts.create_contact(name, phone="+1 415 555 0134")
    book = tmp_path / "contacts"
    assert sync_contacts(book, create=True).count("sent") == 4
    cards = {
        name: next(p for p in book.glob("*.vcf") if name in p.read_text())
        for name in ("Dana Whitfield", "Ines Moreau", "Kofi Mensah")
    }
    # On the phone: Dana's number fixed, two cards deleted; then the folder moves.
    dana = cards["Dana Whitfield"]
    dana.write_bytes(dana.read_bytes().replace(b"+1 415 555 0134", b"+1 415 555 0199"))
    cards["Ines Moreau"].unlink()
    cards["Kofi Mensah"].unlink()
    moved = tmp_path / "moved"
    book.rename(moved)
    report = sync_contacts(moved)
    # Dana's record is dropped (her card changed), so with no base rapport's old
    # number is written over the phone's, with no conflict told.
    assert Contact.get(Contact.name == "Dana Whitfield").phone == "+1 415 555 0199"
    assert "+1 415 555 0199" in (moved / dana.name).read_text()
    # The two cards deleted on the phone (2 of 4, not a whole move) are sent
    # again, not listed; deleted again, they are listed.
    assert sorted(c.title for c in report.changes if c.what == "sent") == [
        "Ines Moreau",
        "Kofi Mensah",
    ]
    assert cards_deleted_elsewhere() == [] and report.count("deleted-elsewhere") == 0
    (moved / cards["Ines Moreau"].name).unlink()
    (moved / cards["Kofi Mensah"].name).unlink()
    assert sync_contacts(moved).count("deleted-elsewhere") == 2
    assert sorted(name for _, name, _ in cards_deleted_elsewhere()) == [
        "Ines Moreau",
        "Kofi Mensah",
    ]


def test_a_calendar_downloaded_again_beside_the_old_folder_keeps_the_phones_done(
    vdir: Path, tmp_path: Path
) -> None:
    # vdirsyncer's path changed: the calendar is downloaded again into a new folder,
    # with the phone's change since the last sync; the old folder stays on disk.
    again = tmp_path / "again"
    shutil.copytree(vdir, again)
    complete(again, "followup-4@rapport")
    followups.update_followup(
        FollowUp.get(FollowUp.uid == "followup-4@rapport").id, title="Submit the CFP (v2)"
    )
    report = sync_followups(again, TASKS)
    # Taken for a copy, the changed file loses its record; SEQUENCE ties; rapport's wins.
    assert "reopened" not in report.words()
    assert done("followup-4@rapport")
    assert "STATUS:COMPLETED" in (again / "followup-4@rapport.ics").read_text()
