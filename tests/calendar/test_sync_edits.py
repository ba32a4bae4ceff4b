"""What a sync writes into a file it edits: the phone sees one change per change, no stale parts.

Each test syncs the five follow-ups of ``calendar_db`` (test_vdir_sync's
``vdir``), changes something in rapport or in a file as the phone would, syncs
again and reads the file as a calendar client does.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from icalendar import Calendar
from test_export_then_sync import zones_unused_or_missing
from test_vdir_sync import TASKS, edit, followup, task, vdir

from rapport.calendar.items import ExportOptions
from rapport.models import SyncState
from rapport.services import followups
from rapport.services.sync import sync_followups
from rapport.text import UNCLEAN

__all__ = ["vdir"]  # the fixture, used by name

# The phone's own reminder, in its own words: another client's alarm, kept.
PHONES_ALARM = (
    "BEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:Tomorrow!\r\nTRIGGER:-P1D\r\nEND:VALARM\r\n"
)


def alarm_words(vdir: Path, uid: str) -> list[str]:
    _, todo = task(vdir, uid)
    return sorted(str(alarm.get("DESCRIPTION", "")) for alarm in todo.walk("VALARM"))


def sequence(vdir: Path, uid: str) -> int:
    return int(task(vdir, uid)[1]["SEQUENCE"])


def record_without_reminder_words(uid: str) -> None:
    """The sync record as a rapport from before it kept its reminder's words in it."""
    for state in SyncState.select().where(SyncState.uid == uid):
        ours = json.loads(state.ours)
        ours.pop("alarm")
        state.ours = json.dumps(ours, sort_keys=True)
        state.save()


def add_phones_alarm(vdir: Path, uid: str) -> None:
    path = vdir / f"{uid}.ics"
    path.write_bytes(path.read_bytes().replace(b"END:VTODO", PHONES_ALARM.encode() + b"END:VTODO"))


# -- 2. a done follow-up's task rings no more ---------------------------------------


def test_a_followup_done_in_rapport_goes_out_without_its_reminder(vdir: Path) -> None:
    uid = "followup-3@rapport"
    add_phones_alarm(vdir, uid)
    sync_followups(vdir, TASKS)
    assert alarm_words(vdir, uid) == ["Follow up: call Yosef, about the talk; slides", "Tomorrow!"]
    followups.complete_followup(followup(uid).id)
    assert sync_followups(vdir, TASKS).count("sent") == 1
    _, todo = task(vdir, uid)
    assert str(todo["STATUS"]) == "COMPLETED"
    assert alarm_words(vdir, uid) == ["Tomorrow!"]  # rapport's went; the phone's is its own
    # Reopened in rapport, its reminder comes back with it.
    followups.reopen_followup(followup(uid).id)
    sync_followups(vdir, TASKS)
    assert alarm_words(vdir, uid) == ["Follow up: call Yosef, about the talk; slides", "Tomorrow!"]
    assert sync_followups(vdir, TASKS).words() == "nothing changed"


def test_a_reminder_back_on_reopen_follows_a_rename_in_rapport(vdir: Path) -> None:
    uid = "followup-3@rapport"
    followups.complete_followup(followup(uid).id)
    sync_followups(vdir, TASKS)
    followups.reopen_followup(followup(uid).id)
    sync_followups(vdir, TASKS)
    followups.update_followup(followup(uid).id, title="Call Yosef about the keynote")
    sync_followups(vdir, TASKS)
    _, todo = task(vdir, uid)
    assert alarm_words(vdir, uid) == [str(todo["SUMMARY"])]
    assert "keynote" in str(todo["SUMMARY"])


def test_a_reminder_worded_on_the_phone_like_rapports_stays_when_done(vdir: Path) -> None:
    uid = "followup-3@rapport"
    path = vdir / f"{uid}.ics"
    phones = PHONES_ALARM.replace("Tomorrow!", "Follow up with Sam first if Yosef is out")
    path.write_bytes(path.read_bytes().replace(b"END:VTODO", phones.encode() + b"END:VTODO"))
    sync_followups(vdir, TASKS)
    followups.complete_followup(followup(uid).id)
    sync_followups(vdir, TASKS)
    assert alarm_words(vdir, uid) == ["Follow up with Sam first if Yosef is out"]


def test_an_older_files_reminder_in_rapports_words_goes_when_done(vdir: Path) -> None:
    uid = "followup-4@rapport"
    path = vdir / f"{uid}.ics"
    # An older rapport worded its reminder after a title since renamed on the phone,
    # and its sync record kept no words of that reminder.
    older = path.read_text().replace(
        "DESCRIPTION:Follow up: submit the CFP\n", "DESCRIPTION:Follow up: submit the CFP draft\n"
    )
    path.write_text(older)
    record_without_reminder_words(uid)
    sync_followups(vdir, TASKS)
    followups.complete_followup(followup(uid).id)
    sync_followups(vdir, TASKS)
    assert alarm_words(vdir, uid) == []


def test_an_event_cancelled_by_rapport_goes_out_without_its_reminder(
    calendar_db: Path, tmp_path: Path
) -> None:
    events = ExportOptions()
    folder = tmp_path / "events"
    folder.mkdir()
    sync_followups(folder, events)
    uid = "followup-1@rapport"
    followups.complete_followup(followup(uid).id)
    sync_followups(folder, events)
    calendar = Calendar.from_ical((folder / f"{uid}.ics").read_bytes())
    (event,) = calendar.walk("VEVENT")
    assert str(event["STATUS"]) == "CANCELLED"
    assert list(event.walk("VALARM")) == []


# -- 3. one change, one SEQUENCE ---------------------------------------------------


def test_one_edit_in_rapport_raises_the_files_sequence_by_one(vdir: Path) -> None:
    uid = "followup-4@rapport"
    before = sequence(vdir, uid)
    followups.update_followup(followup(uid).id, title="Submit the CFP, final")
    assert sync_followups(vdir, TASKS).count("sent") == 1
    assert sequence(vdir, uid) == before + 1
    assert followup(uid).sequence == before + 1
    assert sync_followups(vdir, TASKS).words() == "nothing changed"
    assert sequence(vdir, uid) == before + 1


def test_a_phones_change_taken_in_with_rapports_sent_back_is_one_more(vdir: Path) -> None:
    uid = "followup-2@rapport"  # monthly: ticked off on the phone, it moves on in rapport
    edit(vdir, uid, "STATUS:NEEDS-ACTION", "STATUS:COMPLETED\r\nCOMPLETED:20261124T100000Z")
    phone = sequence(vdir, uid)
    report = sync_followups(vdir, TASKS)
    assert report.count("done") == 1
    _, todo = task(vdir, uid)
    assert str(todo["STATUS"]) == "NEEDS-ACTION"  # the next one, sent back
    assert sequence(vdir, uid) == phone + 1


# -- 4. the same moment in another zone is no move ------------------------------------


def test_a_due_the_phone_rewrote_in_utc_is_not_a_move(vdir: Path) -> None:
    uid = "followup-5@rapport"  # 2026-12-03 10:00 Europe/Berlin
    path = vdir / f"{uid}.ics"
    text = path.read_text()
    text = re.sub(r"BEGIN:VTIMEZONE.*END:VTIMEZONE\n", "", text, flags=re.DOTALL)
    edit_text = text.replace("DUE;TZID=Europe/Berlin:20261203T100000", "DUE:20261203T090000Z")
    assert edit_text != text
    path.write_text(edit_text.replace("SEQUENCE:0", "SEQUENCE:1"))
    report = sync_followups(vdir, TASKS)
    assert report.words() == "nothing changed", report.changes
    f = followup(uid)
    assert (f.due_date, f.due_time, f.tz) == (dt.date(2026, 12, 3), dt.time(10, 0), "Europe/Berlin")
    # A title edit in rapport later leaves the phone's way of writing the moment alone.
    followups.update_followup(f.id, title="Coffee with Jonas at the station")
    assert sync_followups(vdir, TASKS).count("sent") == 1
    assert "DUE:20261203T090000Z" in path.read_text()
    assert sync_followups(vdir, TASKS).words() == "nothing changed"


def test_a_real_move_written_in_utc_still_comes_in(vdir: Path) -> None:
    uid = "followup-5@rapport"
    edit(vdir, uid, "DUE;TZID=Europe/Berlin:20261203T100000", "DUE:20261203T100000Z")
    report = sync_followups(vdir, TASKS)
    assert report.count("moved") == 1, report.changes


# -- 5. the VTIMEZONEs follow the zone in use ----------------------------------------


@pytest.mark.parametrize(
    ("due", "zones"),
    [
        # Typed here: the local zone's VTIMEZONE, Berlin's gone.
        ("2026-12-04 09:00", {"America/Los_Angeles"}),
        ("2026-12-04", set()),  # all day: none left
    ],
)
def test_a_due_moved_in_rapport_to_another_zone_carries_only_that_zones_vtimezone(
    vdir: Path, due: str, zones: set[str]
) -> None:
    uid = "followup-5@rapport"  # Europe/Berlin
    followups.update_followup(followup(uid).id, due=due)
    assert sync_followups(vdir, TASKS).count("sent") == 1
    data = (vdir / f"{uid}.ics").read_bytes()
    calendar = Calendar.from_ical(data)
    assert {str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")} == zones
    assert zones_unused_or_missing(data) == (set(), set())


def test_a_due_moved_years_ahead_gets_a_vtimezone_for_those_years(vdir: Path) -> None:
    uid = "followup-5@rapport"  # Europe/Berlin, 2026
    followups.update_followup(followup(uid).id, due="2031-07-04 10:00")
    followup(uid).__class__.update(tz="Europe/Berlin").where(
        followup(uid).__class__.uid == uid
    ).execute()
    sync_followups(vdir, TASKS)
    calendar, _ = task(vdir, uid)
    (zone,) = calendar.walk("VTIMEZONE")
    # A client with no tz database of its own reads summer 2031 from the file's rules.
    years = {
        moment.year
        for part in zone.subcomponents
        for moment in [part["DTSTART"].dt]
        + [d.dt for rdate in _listed(part.get("RDATE")) for d in rdate.dts]
    }
    assert 2031 in years, sorted(years)
    assert zones_unused_or_missing(calendar.to_ical()) == (set(), set())


def _listed(value: object) -> list:
    return [] if value is None else value if isinstance(value, list) else [value]


# -- 6. a conflict's header holds no control character --------------------------------


def test_a_conflict_kept_in_the_notes_holds_no_control_character_from_the_phone(
    vdir: Path,
) -> None:
    uid = "followup-2@rapport"  # monthly
    path = vdir / f"{uid}.ics"
    # The phone changes the repeat (with a part of its own holding ESC and a bidi
    # override), long ago by its clock; rapport changes it too: rapport's wins.
    text = path.read_text().replace(
        "RRULE:FREQ=MONTHLY", "RRULE:FREQ=MONTHLY;COUNT=3;X-NAME=b\x1b[2Jc\u202ed"
    )
    text = text.replace("SEQUENCE:0", "SEQUENCE:1")
    path.write_text(
        text.replace("LAST-MODIFIED:20261123T170000Z", "LAST-MODIFIED:20200101T000000Z")
    )
    followups.update_followup(followup(uid).id, repeat="weekly")
    report = sync_followups(vdir, TASKS)
    assert report.count("conflict") == 1
    notes = followup(uid).notes
    assert "Sync conflict" in notes and "COUNT=3" in notes
    assert not UNCLEAN.search(notes), repr(notes)
    assert "\\x1b" not in notes and "\\u202e" not in notes  # stripped, not spelled out
    (change,) = [c for c in report.changes if c.what == "conflict"]
    assert not UNCLEAN.search(change.detail) and "\\x1b" not in change.detail


# -- what a sync edited, todoman reads --------------------------------------------


def test_todoman_reads_the_files_a_sync_edited(vdir: Path, tmp_path: Path) -> None:
    import json
    import os
    import subprocess

    from calendar_clients import ensure_clients

    add_phones_alarm(vdir, "followup-3@rapport")
    sync_followups(vdir, TASKS)
    followups.complete_followup(followup("followup-3@rapport").id)
    followups.update_followup(followup("followup-5@rapport").id, due="2031-07-04 10:00")
    edit(vdir, "followup-1@rapport", "DUE;VALUE=DATE:20261125", "DUE:20261125T180000Z")
    assert sync_followups(vdir, TASKS).count("sent") == 2
    bin_dir = ensure_clients()  # fails, never skips, as the suite's other client tests
    config = tmp_path / "todoman.py"
    config.write_text(
        f'path = "{vdir}"\ndate_format = "%Y-%m-%d"\ntime_format = "%H:%M"\n'
        f'cache_path = "{tmp_path / "todoman.sqlite3"}"\n'
    )
    listed = subprocess.run(
        [str(bin_dir / "todo"), "--config", str(config), "--porcelain", "list", "--status", "ANY"],
        capture_output=True,
        text=True,
        env={**os.environ, "HOME": str(tmp_path), "TZ": "America/Los_Angeles"},
        timeout=120,
    )
    assert listed.returncode == 0, listed.stderr
    tasks = {t["summary"]: t for t in json.loads(listed.stdout)}
    assert tasks["Follow up: call Yosef, about the talk; slides"]["completed"] is True
    moved = dt.datetime(2031, 7, 4, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=-7)))  # PDT
    assert tasks["Follow up: coffee with Jonas in Berlin"]["due"] == moved.timestamp()
    for path in vdir.glob("*.ics"):
        assert zones_unused_or_missing(path.read_bytes()) == (set(), set()), path.name


# -- a conflict over the notes keeps the losing notes -----------------------------------


def test_notes_changed_on_both_sides_keep_rapports_beside_the_phones(vdir: Path) -> None:
    uid = "followup-4@rapport"  # no notes yet
    path = vdir / f"{uid}.ics"
    followups.update_followup(followup(uid).id, notes="Ask Dana")
    text = path.read_text()
    # The phone adds notes at the end of the description, later than rapport's edit.
    start = text.index("DESCRIPTION:")
    end = text.index("\n", start)
    while text[end + 1] == " ":  # a folded line goes on
        end = text.index("\n", end + 1)
    description = text[start:end].replace("\n ", "")
    text = text.replace(text[start:end], description + "\\n\\nNotes:\\nBring the printed copy")
    text = text.replace("SEQUENCE:0", "SEQUENCE:1")
    path.write_text(
        text.replace("LAST-MODIFIED:20261123T170000Z", "LAST-MODIFIED:20991123T170000Z")
    )
    report = sync_followups(vdir, TASKS)
    assert report.count("conflict") == 1, report.changes
    notes = followup(uid).notes
    assert notes.startswith("Bring the printed copy"), notes
    assert "Notes: Ask Dana" in notes  # the losing notes, kept in them
    assert "Notes: Ask Dana" in task(vdir, uid)[1]["DESCRIPTION"]
    assert sync_followups(vdir, TASKS).words() == "nothing changed"
