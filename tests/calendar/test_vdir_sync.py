"""Two-way sync of follow-ups through a task vdir: what another client changed comes in.

Each test syncs the five follow-ups of ``calendar_db`` into a vdir, changes a
file as another client would (or a follow-up in rapport), syncs again and
checks what the person would see on both sides.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from icalendar import Calendar

from rapport.calendar.items import ExportOptions
from rapport.errors import NotFound
from rapport.models import FollowUp, SyncState
from rapport.services import followups
from rapport.services.calendar_files import export_vdir
from rapport.services.sync import deleted_elsewhere, resolve_deleted, sync_followups

TASKS = ExportOptions(todo=True)


def task(vdir: Path, uid: str) -> tuple[Calendar, object]:
    calendar = Calendar.from_ical((vdir / f"{uid}.ics").read_bytes())
    return calendar, next(c for c in calendar.walk("VTODO"))


def edit(vdir: Path, uid: str, old: str, new: str) -> None:
    """Change a file as another client would: its text, SEQUENCE one up."""
    path = vdir / f"{uid}.ics"
    text = path.read_bytes().decode("utf-8")
    assert old in text, old
    text = text.replace(old, new, 1)
    sequence = next(line for line in text.splitlines() if line.startswith("SEQUENCE:"))
    text = text.replace(sequence, f"SEQUENCE:{int(sequence.split(':')[1]) + 1}", 1)
    path.write_bytes(text.encode("utf-8"))


def complete(vdir: Path, uid: str) -> None:
    edit(
        vdir,
        uid,
        "STATUS:NEEDS-ACTION",
        "STATUS:COMPLETED\r\nCOMPLETED:20261124T100000Z\r\nPERCENT-COMPLETE:100",
    )


def files(vdir: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(vdir.iterdir())}


def followup(uid: str) -> FollowUp:
    return FollowUp.get(FollowUp.uid == uid)


@pytest.fixture
def vdir(calendar_db: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "tasks"
    folder.mkdir()
    first = sync_followups(folder, TASKS)
    assert first.count("sent") == 5 and first.files_written == 5
    return folder


def test_a_second_sync_with_nothing_changed_writes_nothing(vdir: Path) -> None:
    before = files(vdir)
    rows = [(s.uid, s.hash, s.synced_at) for s in SyncState.select().order_by(SyncState.uid)]
    report = sync_followups(vdir, TASKS)
    assert (report.files_written, report.files_removed, report.rows_written) == (0, 0, 0)
    assert report.words() == "nothing changed"
    assert files(vdir) == before
    assert [
        (s.uid, s.hash, s.synced_at) for s in SyncState.select().order_by(SyncState.uid)
    ] == rows


def test_a_task_completed_elsewhere_is_done_in_rapport(vdir: Path) -> None:
    complete(vdir, "followup-1@rapport")
    before = (vdir / "followup-1@rapport.ics").read_bytes()
    report = sync_followups(vdir, TASKS)
    assert report.words() == "1 done elsewhere"
    assert followup("followup-1@rapport").done
    assert followup("followup-1@rapport").sequence >= 1
    assert (vdir / "followup-1@rapport.ics").read_bytes() == before  # nothing to send back
    assert sync_followups(vdir, TASKS).rows_written == 0


def test_a_repeating_task_completed_elsewhere_moves_on_and_goes_back_out(vdir: Path) -> None:
    complete(vdir, "followup-2@rapport")
    report = sync_followups(vdir, TASKS)
    assert report.count("done") == 1
    record = followup("followup-2@rapport")
    assert not record.done and record.due_date == dt.date(2027, 1, 11)
    _, todo = task(vdir, "followup-2@rapport")
    assert str(todo["STATUS"]) == "NEEDS-ACTION" and "COMPLETED" not in todo
    assert todo["DUE"].dt.date() == dt.date(2027, 1, 11)
    assert int(todo["SEQUENCE"]) == record.sequence >= 2  # above the phone's 1


def test_a_task_moved_or_renamed_elsewhere_changes_the_followup(vdir: Path) -> None:
    edit(vdir, "followup-1@rapport", "DUE;VALUE=DATE:20261125", "DUE;VALUE=DATE:20261130")
    edit(
        vdir,
        "followup-4@rapport",
        "SUMMARY:Follow up: submit the CFP",
        "SUMMARY:Submit the CFP to KubeCon",
    )
    report = sync_followups(vdir, TASKS)
    assert (report.count("moved"), report.count("renamed")) == (1, 1)
    assert followup("followup-1@rapport").due_date == dt.date(2026, 11, 30)
    assert followup("followup-4@rapport").title == "Submit the CFP to KubeCon"
    assert sync_followups(vdir, TASKS).rows_written == 0


def test_a_rename_that_keeps_rapports_words_keeps_the_titles_capital(vdir: Path) -> None:
    # rapport wrote "Follow up: submit the CFP" for "Submit the CFP".
    edit(
        vdir,
        "followup-4@rapport",
        "SUMMARY:Follow up: submit the CFP",
        "SUMMARY:Follow up: submit the CFP by Friday",
    )
    assert sync_followups(vdir, TASKS).count("renamed") == 1
    assert followup("followup-4@rapport").title == "Submit the CFP by Friday"


def test_a_change_in_rapport_goes_out_and_keeps_what_other_clients_added(vdir: Path) -> None:
    edit(
        vdir,
        "followup-1@rapport",
        "CLASS:PRIVATE",
        "CLASS:PRIVATE\r\nPRIORITY:1\r\nX-PHONE-COLOUR:teal\r\nCATEGORIES:phone-list",
    )
    edit(
        vdir,
        "followup-1@rapport",
        "END:VALARM",
        "END:VALARM\r\nBEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:one day ahead\r\n"
        "TRIGGER:-P1D\r\nEND:VALARM",
    )
    assert sync_followups(vdir, TASKS).files_written == 0  # taken in, nothing to send
    sequence_there = int(task(vdir, "followup-1@rapport")[1]["SEQUENCE"])
    here = followups.update_followup(1, due="2026-12-02").sequence
    report = sync_followups(vdir, TASKS)
    assert report.count("sent") == 1 and report.files_written == 1
    _, todo = task(vdir, "followup-1@rapport")
    assert todo["DUE"].dt == dt.date(2026, 12, 2)
    assert str(todo["PRIORITY"]) == "1" and str(todo["X-PHONE-COLOUR"]) == "teal"
    assert "phone-list" in todo.to_ical().decode()
    assert [str(a["DESCRIPTION"]) for a in todo.walk("VALARM")][-1] == "one day ahead"
    # One change the phone sees: one above what it last saw (rapport's edit had already
    # raised rapport's own to that, it is not counted twice); rapport's follows it.
    assert int(todo["SEQUENCE"]) == sequence_there + 1 == here
    assert followup("followup-1@rapport").sequence == int(todo["SEQUENCE"])


def test_completion_wins_a_conflict_and_the_losing_title_is_kept_in_notes(vdir: Path) -> None:
    followups.update_followup(1, title="Send Dana the portfolio and the deck")
    edit(
        vdir,
        "followup-1@rapport",
        "SUMMARY:Follow up: send Dana the portfolio link",
        "SUMMARY:Send Dana the link today",
    )
    complete(vdir, "followup-1@rapport")
    # The phone's edit is stamped after rapport's, so its title wins.
    edit(vdir, "followup-1@rapport", "LAST-MODIFIED:", "LAST-MODIFIED:20261230T000000Z\r\nX-OLD:")
    report = sync_followups(vdir, TASKS)
    record = followup("followup-1@rapport")
    assert record.done
    assert record.title == "Send Dana the link today"
    assert "send Dana the portfolio and the deck" in record.notes
    conflicts = [c for c in report.changes if c.what == "conflict"]
    assert len(conflicts) == 1 and "send Dana the portfolio and the deck" in conflicts[0].detail


def test_a_file_deleted_elsewhere_is_listed_never_dropped(vdir: Path) -> None:
    (vdir / "followup-4@rapport.ics").unlink()
    report = sync_followups(vdir, TASKS)
    assert report.count("deleted-elsewhere") == 1
    assert not followup("followup-4@rapport").done
    assert not (vdir / "followup-4@rapport.ics").exists()  # not put back behind the phone's back
    assert [d.title for d in deleted_elsewhere()] == ["Submit the CFP"]
    with pytest.raises(NotFound):  # one not waiting: nothing is done
        resolve_deleted(restore=[followup("followup-4@rapport").id], delete=[1])
    assert len(deleted_elsewhere()) == 1
    resolve_deleted(restore=[followup("followup-4@rapport").id])
    sync_followups(vdir, TASKS)
    assert (vdir / "followup-4@rapport.ics").exists()
    (vdir / "followup-4@rapport.ics").unlink()
    sync_followups(vdir, TASKS)
    resolve_deleted(delete=[followup("followup-4@rapport").id])
    assert FollowUp.get_or_none(FollowUp.uid == "followup-4@rapport") is None
    assert deleted_elsewhere() == []


def test_a_task_made_elsewhere_becomes_a_followup_unless_no_new(vdir: Path) -> None:
    new = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//phone//EN\r\nBEGIN:VTODO\r\n"
        "UID:phone-1\r\nSUMMARY:Ask Priya about the meetup\r\nDUE;VALUE=DATE:20261201\r\n"
        "STATUS:NEEDS-ACTION\r\nEND:VTODO\r\nEND:VCALENDAR\r\n"
    )
    (vdir / "phone-1.ics").write_bytes(new.encode())
    skipped = sync_followups(vdir, TASKS, take_new=False)
    assert skipped.count("skipped-new") == 1
    assert FollowUp.get_or_none(FollowUp.uid == "phone-1") is None
    report = sync_followups(vdir, TASKS)
    assert report.count("new") == 1
    made = followup("phone-1")
    assert (made.title, made.due_date, made.contact_id) == (
        "Ask Priya about the meetup",
        dt.date(2026, 12, 1),
        None,
    )
    assert (vdir / "phone-1.ics").read_bytes() == new.encode()  # their file, not rewritten
    assert sync_followups(vdir, TASKS).rows_written == 0


def test_a_task_whose_uid_holds_a_control_character_is_named_never_taken_in(vdir: Path) -> None:
    # Its UID would be written back into the file rapport keeps for it, and
    # control characters never reach a calendar.
    odd = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//phone//EN\r\nBEGIN:VTODO\r\n"
        "UID:phone-\x1b]52;c;aGk=\x07\r\nSUMMARY:Call Priya\r\nDUE;VALUE=DATE:20261201\r\n"
        "STATUS:NEEDS-ACTION\r\nEND:VTODO\r\nEND:VCALENDAR\r\n"
    )
    (vdir / "phone-2.ics").write_bytes(odd.encode())
    before = files(vdir)
    report = sync_followups(vdir, TASKS)
    assert [(c.what, c.title) for c in report.changes] == [("unreadable", "phone-2.ics")]
    assert "control character" in report.changes[0].detail
    assert files(vdir) == before
    assert FollowUp.select().where(FollowUp.title == "Call Priya").count() == 0


def test_a_followup_deleted_in_rapport_removes_its_untouched_file(vdir: Path) -> None:
    followups.delete_followup(4)
    report = sync_followups(vdir, TASKS)
    assert report.count("removed") == 1 and report.files_removed == 1
    assert not (vdir / "followup-4@rapport.ics").exists()


def test_bad_files_are_named_and_left_alone(vdir: Path) -> None:
    (vdir / "broken.ics").write_bytes(b"BEGIN:VCALENDAR\r\nBEGIN:VTODO\r\nSUMM")
    wrong = (
        (vdir / "followup-1@rapport.ics")
        .read_bytes()
        .replace(b"UID:followup-1@rapport", b"UID:someone-else")
    )
    (vdir / "stolen.ics").write_bytes(wrong)
    before = files(vdir)
    report = sync_followups(vdir, TASKS)
    assert [(c.what, c.title) for c in report.changes] == [
        ("unreadable", "broken.ics"),
        ("mismatch", "stolen.ics"),
    ]
    assert files(vdir) == before
    assert FollowUp.get_or_none(FollowUp.uid == "someone-else") is None


def test_a_dry_run_changes_nothing_anywhere(vdir: Path) -> None:
    complete(vdir, "followup-2@rapport")
    followups.update_followup(1, due="2026-12-02")
    before = files(vdir)
    record = followup("followup-2@rapport")
    report = sync_followups(vdir, TASKS, dry_run=True)
    assert report.count("done") == 1 and report.count("sent") == 1
    assert report.words().startswith("Dry run, nothing written")
    assert files(vdir) == before
    again = followup("followup-2@rapport")
    assert (again.due_date, again.sequence) == (record.due_date, record.sequence)


def test_a_missing_folder_is_one_clear_error(calendar_db: Path, tmp_path: Path) -> None:
    with pytest.raises(NotFound, match="no such folder"):
        sync_followups(tmp_path / "nowhere", TASKS)


def test_taking_in_only_leaves_the_vdir_alone_until_the_push(vdir: Path) -> None:
    complete(vdir, "followup-2@rapport")
    followups.update_followup(1, due="2026-12-02")
    followups.create_followup("Write to Jonas", due="2026-12-04")
    before = files(vdir)
    pulled = sync_followups(vdir, TASKS, push=False)
    assert pulled.count("done") == 1 and pulled.count("sent") == 0
    assert files(vdir) == before
    assert followup("followup-2@rapport").due_date == dt.date(2027, 1, 11)
    pushed = sync_followups(vdir, TASKS)
    # The repeating one's next date, the moved one, the new one.
    assert pushed.count("sent") == 3 and pushed.files_written == 3
    assert task(vdir, "followup-2@rapport")[1]["DUE"].dt.date() == dt.date(2027, 1, 11)


def run_cli(db: Path, *args: str) -> Result:
    from rapport.cli import cli
    from rapport.db import close_database

    close_database()  # the command opens and closes its own, as a real process does
    return CliRunner().invoke(cli, ["--db", str(db), *args], prog_name="rapport")


def test_todoman_completes_a_task_and_the_export_sync_takes_it_in(
    calendar_db: Path, tmp_path: Path
) -> None:
    """The issue's own steps: export --vdir --todo --sync, `todo done`, the same export again."""
    import json
    import os
    import subprocess

    from calendar_clients import ensure_clients

    bin_dir = ensure_clients()  # fails, never skips, when todoman cannot be installed
    vdir = tmp_path / "tasks"
    first = run_cli(calendar_db, "export", "ics", "--vdir", str(vdir), "--todo", "--sync")
    assert first.exit_code == 0, first.output
    assert first.output.endswith(f"{vdir}: 5 sent\n")
    config = tmp_path / "todoman.py"
    config.write_text(
        f'path = "{vdir}"\ndate_format = "%Y-%m-%d"\ntime_format = "%H:%M"\n'
        f'cache_path = "{tmp_path / "todoman.sqlite3"}"\n'
    )
    env = {**os.environ, "HOME": str(tmp_path), "TZ": "America/Los_Angeles"}

    def todo(*args: str) -> str:
        result = subprocess.run(
            [str(bin_dir / "todo"), "--config", str(config), "--porcelain", *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    listed = {t["summary"]: t["id"] for t in json.loads(todo("list"))}
    todo("done", str(listed["Follow up: send Dana the portfolio link"]))
    path = vdir / "followup-1@rapport.ics"
    assert b"STATUS:COMPLETED" in path.read_bytes()

    again = run_cli(calendar_db, "export", "ics", "--vdir", str(vdir), "--todo", "--sync")
    assert again.exit_code == 0, again.output
    assert again.output.endswith(f"{vdir}: 1 done elsewhere\n")
    assert b"STATUS:COMPLETED" in path.read_bytes()  # not put back to NEEDS-ACTION
    from rapport.db import open_database

    open_database(calendar_db)
    assert followup("followup-1@rapport").done
    listed_open = {t["summary"] for t in json.loads(todo("list"))}
    assert "Follow up: send Dana the portfolio link" not in listed_open
    third = run_cli(calendar_db, "export", "ics", "--vdir", str(vdir), "--todo", "--sync")
    assert third.output.endswith(f"{vdir}: nothing changed\n")


def test_event_mode_takes_a_moved_date_and_lists_a_deleted_event(
    calendar_db: Path, tmp_path: Path
) -> None:
    events = ExportOptions(todo=False)
    folder = tmp_path / "events"
    folder.mkdir()
    assert sync_followups(folder, events).count("sent") == 5
    edit(
        folder,
        "followup-1@rapport",
        "DTSTART;VALUE=DATE:20261125\r\nDTEND;VALUE=DATE:20261126",
        "DTSTART;VALUE=DATE:20261127\r\nDTEND;VALUE=DATE:20261128",
    )
    (folder / "followup-4@rapport.ics").unlink()
    report = sync_followups(folder, events)
    assert (report.count("moved"), report.count("deleted-elsewhere")) == (1, 1)
    assert followup("followup-1@rapport").due_date == dt.date(2026, 11, 27)
    assert not followup("followup-4@rapport").done
    followups.update_followup(1, due="2026-11-30")
    assert sync_followups(folder, events).files_written == 1
    event = Calendar.from_ical((folder / "followup-1@rapport.ics").read_bytes()).walk("VEVENT")[0]
    assert (event["DTSTART"].dt, event["DTEND"].dt) == (dt.date(2026, 11, 30), dt.date(2026, 12, 1))
    assert sync_followups(folder, events).rows_written == 0


def test_a_new_file_reads_back_as_what_rapport_recorded(vdir: Path) -> None:
    """The record of a new file is rapport's fields, not a parse: they must be the same."""
    import json

    from rapport.calendar.vdir import FLOATING, kept, read_item

    for state in SyncState.select().where(SyncState.kind == "todo"):
        data = (vdir / state.href).read_bytes()
        item = read_item(state.href, data, kind="VTODO")
        assert item is not None
        as_kept = kept(item.fields, floating=item.fields[FLOATING])
        assert as_kept == json.loads(state.theirs), state.uid


def test_a_timed_task_moved_elsewhere_keeps_its_time_and_zone(vdir: Path) -> None:
    edit(
        vdir,
        "followup-3@rapport",
        "DUE;TZID=America/Los_Angeles:20261126T190000",
        "DUE;TZID=America/Los_Angeles:20261127T083000",
    )
    # A phone that writes UTC times: the follow-up keeps the moment, in UTC.
    edit(
        vdir,
        "followup-5@rapport",
        "DUE;TZID=Europe/Berlin:20261203T100000",
        "DUE:20261204T170000Z",
    )
    report = sync_followups(vdir, TASKS)
    assert report.count("moved") == 2
    yosef, jonas = followup("followup-3@rapport"), followup("followup-5@rapport")
    assert (yosef.due_date, yosef.due_time, yosef.tz) == (
        dt.date(2026, 11, 27),
        dt.time(8, 30),
        "America/Los_Angeles",
    )
    assert (jonas.due_date, jonas.due_time, jonas.tz) == (dt.date(2026, 12, 4), dt.time(17), "UTC")
    assert sync_followups(vdir, TASKS).rows_written == 0


def test_two_files_with_one_uid_are_reported_not_guessed(vdir: Path) -> None:
    # A UID that is no file name (a colon): vdirsyncer names such files itself.
    task_text = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//phone//EN\r\nBEGIN:VTODO\r\n"
        "UID:urn:uuid:0c6e\r\nSUMMARY:{}\r\nDUE;VALUE=DATE:20261201\r\n"
        "END:VTODO\r\nEND:VCALENDAR\r\n"
    )
    (vdir / "a1b2.ics").write_bytes(task_text.format("Ask Priya").encode())
    (vdir / "c3d4.ics").write_bytes(task_text.format("Ask Priya again").encode())
    report = sync_followups(vdir, TASKS)
    assert [(c.what, c.title, c.detail) for c in report.changes] == [
        ("duplicate", "c3d4.ics", "also in a1b2.ics")
    ]
    assert FollowUp.get_or_none(FollowUp.uid == "urn:uuid:0c6e") is None


def test_a_fresh_goal_calendar_after_the_old_folder_was_deleted_lists_no_deletions(
    vdir: Path, tmp_path: Path
) -> None:
    # The synced folder is deleted; one goal's two tasks are exported into a new one.
    shutil.rmtree(vdir)
    fresh = tmp_path / "talks"
    export_vdir(fresh, ExportOptions(todo=True, goal="2"))
    assert sorted(p.name for p in fresh.iterdir()) == [
        "followup-3@rapport.ics",
        "followup-4@rapport.ics",
    ]
    # Synced for that goal: the three it never held were not deleted on a phone.
    report = sync_followups(fresh, ExportOptions(todo=True, goal="2"))
    assert report.words() == "1 taken over from an earlier folder"
    assert deleted_elsewhere() == []
    # Synced for all: they are sent to it, and the two it holds are not sent again.
    report = sync_followups(fresh, TASKS)
    assert report.words() == "3 sent"
    assert [c.uid for c in report.changes] == [f"followup-{n}@rapport" for n in (1, 2, 5)]
    assert deleted_elsewhere() == []
    assert sync_followups(fresh, TASKS).words() == "nothing changed"


def test_a_moved_folder_lists_exactly_the_task_deleted_on_the_phone(
    vdir: Path, tmp_path: Path
) -> None:
    # Between the last sync and the move the phone ticks one task off and deletes another.
    complete(vdir, "followup-4@rapport")
    (vdir / "followup-3@rapport.ics").unlink()
    moved = tmp_path / "moved"
    vdir.rename(moved)
    report = sync_followups(moved, TASKS)
    assert report.words() == (
        "1 done elsewhere, 1 deleted elsewhere (kept; confirm with rapport sync deleted), "
        "1 taken over from an earlier folder"
    )
    assert [d.uid for d in deleted_elsewhere()] == ["followup-3@rapport"]
    assert followup("followup-4@rapport").done  # the phone's "done" is not overwritten
    assert "STATUS:COMPLETED" in (moved / "followup-4@rapport.ics").read_text()
    assert report.files_written == 0


def test_a_calendar_missing_one_task_outside_its_goal_lists_no_deletion(
    vdir: Path, tmp_path: Path
) -> None:
    # All but the task of no goal come back in a new folder, synced for one goal:
    # the task that is not here is no business of this sync.
    held = tmp_path / "held"
    held.mkdir()
    for n in (1, 2, 3, 4):
        (held / f"followup-{n}@rapport.ics").write_bytes(
            (vdir / f"followup-{n}@rapport.ics").read_bytes()
        )
    shutil.rmtree(vdir)
    report = sync_followups(held, ExportOptions(todo=True, goal="1"))
    assert report.words() == "1 taken over from an earlier folder"
    assert deleted_elsewhere() == []


def test_an_older_part_export_after_the_synced_folder_was_deleted_keeps_the_phones_done(
    vdir: Path, tmp_path: Path
) -> None:
    # One goal's tasks exported one way, then the phone ticks one off in the synced folder.
    older = tmp_path / "talks"
    export_vdir(older, ExportOptions(todo=True, goal="2"))
    complete(vdir, "followup-4@rapport")
    assert sync_followups(vdir, TASKS).words() == "1 done elsewhere"
    # The synced folder is deleted; the older one syncs: its stale copy is not the phone's.
    shutil.rmtree(vdir)
    report = sync_followups(older, TASKS)
    assert "reopened" not in report.words() and report.count("deleted-elsewhere") == 0
    assert followup("followup-4@rapport").done
    assert "STATUS:COMPLETED" in (older / "followup-4@rapport.ics").read_text()


def test_a_task_waiting_for_the_persons_word_stays_waiting_in_a_fresh_part_calendar(
    vdir: Path, tmp_path: Path
) -> None:
    (vdir / "followup-1@rapport.ics").unlink()
    assert sync_followups(vdir, TASKS).count("deleted-elsewhere") == 1
    # The folder is deleted; the second goal's two tasks are exported into a new one.
    shutil.rmtree(vdir)
    fresh = tmp_path / "talks"
    export_vdir(fresh, ExportOptions(todo=True, goal="2"))
    report = sync_followups(fresh, TASKS)
    # The others are sent; the one deleted on the phone is not, and is listed once.
    assert report.words() == "2 sent, 1 taken over from an earlier folder"
    assert [c.uid for c in report.changes if c.what == "sent"] == [
        "followup-2@rapport",
        "followup-5@rapport",
    ]
    assert not (fresh / "followup-1@rapport.ics").exists()
    assert [(d.uid, Path(d.vdir).name) for d in deleted_elsewhere()] == [
        ("followup-1@rapport", "talks")
    ]


def test_of_two_deleted_folders_a_fresh_one_takes_the_records_of_the_one_it_matches(
    vdir: Path, tmp_path: Path
) -> None:
    # All tasks synced with one folder, the second goal's with another; both deleted.
    talks = ExportOptions(todo=True, goal="2")
    old_talks = tmp_path / "old-talks"
    assert sync_followups(old_talks, talks, create=True).count("sent") == 2
    shutil.rmtree(vdir)
    shutil.rmtree(old_talks)
    # The second goal's calendar made again: it is the second folder moved, not the first.
    fresh = tmp_path / "talks"
    export_vdir(fresh, talks)
    report = sync_followups(fresh, talks)
    assert [(c.title, c.detail) for c in report.changes] == [(str(old_talks), "moved here")]
    assert deleted_elsewhere() == []
