"""Review of s7-churn (acb235f): a person's sequences the merged sync gets wrong.

Each test is one person's steps with a phone (another client editing the
vdir file as phones do) and what the person would notice.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from test_export_then_sync import entry, run, synced_once
from test_export_then_sync import zone as zone  # the fixture: the machine's time zone


def phone_edit(path: Path, old: str, new: str) -> None:
    """Change the file as a phone would: the text, SEQUENCE one up, a later LAST-MODIFIED."""
    text = path.read_bytes().decode("utf-8")
    assert old in text, (old, text)
    text = text.replace(old, new, 1)
    lines = text.split("\r\n")
    for i, line in enumerate(lines):
        if line.startswith("SEQUENCE:"):
            lines[i] = f"SEQUENCE:{int(line.split(':')[1]) + 1}"
        elif line.startswith("LAST-MODIFIED:"):
            lines[i] = "LAST-MODIFIED:20301231T000000Z"  # after anything rapport did
    path.write_bytes("\r\n".join(lines).encode("utf-8"))


def rule_of(path: Path) -> str | None:
    found = entry(Calendar.from_ical(path.read_bytes())).get("RRULE")
    return None if found is None else found.to_ical().decode()


@pytest.mark.parametrize("mode", [("--todo",), ()], ids=["tasks", "events"])
def test_a_repeat_end_set_on_the_phone_survives_a_title_changed_in_rapport(
    cli, zone, tmp_path: Path, mode: tuple[str, ...]
) -> None:
    """The phone stops a weekly follow-up after four more times (COUNT=4); rapport knows
    no repeat change came in.  Then the person renames it in rapport: the sync sends
    the title and, since ab261ad, rapport's own RRULE with it, so the phone's series
    repeats for ever again, with no conflict reported and nothing in the notes."""
    _folder, export, path = synced_once(cli, zone, tmp_path, "weekly, Berlin", mode)
    assert rule_of(path) == "FREQ=WEEKLY"
    phone_edit(path, "RRULE:FREQ=WEEKLY", "RRULE:FREQ=WEEKLY;COUNT=4")
    run(cli, *export, "--sync")
    assert rule_of(path) == "FREQ=WEEKLY;COUNT=4"
    run(cli, "followups", "edit", "1", "--what", "Weekly sync with the platform team")
    report = run(cli, *export, "--sync")
    # Either the phone's end of the series stays, or the person is told of a conflict.
    assert rule_of(path) == "FREQ=WEEKLY;COUNT=4" or "conflict" in report, report


@pytest.mark.parametrize("mode", [("--todo",), ()], ids=["tasks", "events"])
def test_a_repeat_end_set_on_the_phone_and_a_rename_in_rapport_in_one_sync(
    cli, zone, tmp_path: Path, mode: tuple[str, ...]
) -> None:
    """Both between two syncs: UNTIL added on the phone, the title changed in rapport."""
    _folder, export, path = synced_once(cli, zone, tmp_path, "weekly, Berlin", mode)
    phone_edit(path, "RRULE:FREQ=WEEKLY", "RRULE:FREQ=WEEKLY;UNTIL=20270131T073000Z")
    run(cli, "followups", "edit", "1", "--what", "Weekly sync with the platform team")
    report = run(cli, *export, "--sync")
    assert rule_of(path) == "FREQ=WEEKLY;UNTIL=20270131T073000Z" or "conflict" in report, report


@pytest.mark.parametrize("mode", [("--todo",), ()], ids=["tasks", "events"])
def test_rapports_reminder_follows_a_rename_in_rapport_after_a_rename_on_the_phone(
    cli, zone, tmp_path: Path, mode: tuple[str, ...]
) -> None:
    """The phone renames the task (SUMMARY only: phones leave the VALARM's words), rapport
    takes the title in.  Later the person renames it in rapport: the sync sends SUMMARY,
    but rapport's own reminder keeps the very first title, because aa38433 only rewrites
    a VALARM whose words equal the SUMMARY it replaces (now the phone's wording)."""
    folder, export, path = synced_once(cli, zone, tmp_path, "timed, local zone", mode)
    phone_edit(path, "SUMMARY:Follow up: call Dana", "SUMMARY:Call Dana about Q3")
    assert "renamed" in run(cli, *export, "--sync")
    run(cli, "followups", "edit", "1", "--what", "Call Dana about the offsite")
    assert run(cli, *export, "--sync").endswith(f"{folder}: 1 sent\n")
    item = entry(Calendar.from_ical(path.read_bytes()))
    assert str(item["SUMMARY"]) == "Follow up: call Dana about the offsite"
    words = [str(alarm["DESCRIPTION"]) for alarm in item.walk("VALARM")]
    assert words == ["Follow up: call Dana about the offsite"]  # not "Follow up: call Dana"


OUTLOOK_ZONE = (
    "BEGIN:VTIMEZONE\r\nTZID:W. Europe Standard Time\r\n"
    "BEGIN:STANDARD\r\nDTSTART:16011028T030000\r\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\r\n"
    "TZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nEND:STANDARD\r\n"
    "BEGIN:DAYLIGHT\r\nDTSTART:16010325T020000\r\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3\r\n"
    "TZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nEND:DAYLIGHT\r\nEND:VTIMEZONE\r\n"
)


def due_moment(cli) -> dt.datetime:
    shown = json.loads(run(cli, "followups", "show", "1", "--json"))
    day = dt.date.fromisoformat(shown["due_date"])
    hour, minute = (int(part) for part in shown["due_time"].split(":"))
    zone_name = shown.get("tz") or "America/Los_Angeles"
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZoneInfo(zone_name))


def test_a_due_moved_on_an_outlook_style_phone_comes_in_at_the_moment_it_names(
    cli, zone, tmp_path: Path
) -> None:
    """A phone (Outlook, Exchange) moves the task to 10:00 in its own VTIMEZONE named
    "W. Europe Standard Time" (UTC+1 in December).  rapport reads the wall time and
    calls the zone it does not know the machine's (Los Angeles): the follow-up is
    due nine hours later than the phone says.  (Already so before s7-churn; the
    merge now names the wrong zone outright in read_item.)"""
    _folder, export, path = synced_once(cli, zone, tmp_path, "timed, local zone", ("--todo",))
    text = path.read_bytes().decode("utf-8")
    assert "DUE;TZID=America/Los_Angeles:20261210T100000" in text, text
    path.write_bytes(text.replace("BEGIN:VTODO", OUTLOOK_ZONE + "BEGIN:VTODO", 1).encode())
    phone_edit(
        path,
        "DUE;TZID=America/Los_Angeles:20261210T100000",
        "DUE;TZID=W. Europe Standard Time:20261211T100000",
    )
    assert "moved" in run(cli, *export, "--sync")
    assert due_moment(cli) == dt.datetime(2026, 12, 11, 9, 0, tzinfo=dt.UTC)
    # In the tz database's zone icalendar maps the Windows name to, not in UTC.
    assert json.loads(run(cli, "followups", "show", "1", "--json"))["tz"] == "Europe/Berlin"


def test_a_phones_floating_task_is_not_moved_by_a_title_edit_after_the_machine_travels(
    cli, zone, tmp_path: Path
) -> None:
    """A phone writes floating times (DUE with no zone).  rapport, since 09e9fc1, reads
    one as the machine's zone of that sync and records that zone.  The person flies
    to Berlin (TZ changes), renames the task on the phone, nothing else: the sync
    reports the task "moved" and pins it to Berlin, as if the phone had moved it."""
    _folder, export, path = synced_once(cli, zone, tmp_path, "timed, local zone", ("--todo",))
    phone_edit(
        path,
        "DUE;TZID=America/Los_Angeles:20261210T100000",
        "DUE:20261211T100000",
    )
    run(cli, *export, "--sync")  # the phone's move comes in, in Los Angeles
    zone("Europe/Berlin")
    phone_edit(path, "SUMMARY:Follow up: call Dana", "SUMMARY:Follow up: call Dana re Q3")
    report = run(cli, *export, "--sync")
    assert "renamed" in report
    assert "moved" not in report, report  # the phone never touched the due


def test_a_zoneless_followup_moved_on_the_phone_after_the_machine_travels_is_no_conflict(
    cli, zone, tmp_path: Path
) -> None:
    """A follow-up an older rapport (or a JSON restore) kept without a zone, synced in
    Los Angeles.  The person flies to Berlin (TZ changes) and moves the task on the
    phone; nothing changed in rapport.  The sync now reads rapport's side in the new
    local zone against a record kept in the old one, calls it a change on both sides
    and reports a conflict, writing a "Sync conflict" line into the notes."""
    _folder, export, path = synced_once(cli, zone, tmp_path, "floating time", ("--todo",))
    zone("Europe/Berlin")
    phone_edit(
        path,
        "DUE;TZID=America/Los_Angeles:20261210T100000",
        "DUE;TZID=America/Los_Angeles:20261211T120000",
    )
    report = run(cli, *export, "--sync")
    assert "conflict" not in report, report
    shown = json.loads(run(cli, "followups", "show", "1", "--json"))
    assert (shown["due_date"], shown["due_time"], shown["notes"]) == ("2026-12-11", "12:00", "")


PHONE_WEEKLY = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Phone//Tasks//EN\r\n"
    "BEGIN:VTODO\r\nUID:phone-weekly-1\r\nDTSTAMP:20261201T090000Z\r\n"
    "LAST-MODIFIED:20261201T090000Z\r\nSEQUENCE:0\r\nSUMMARY:Water the plants\r\n"
    "DTSTART;VALUE=DATE:20261207\r\nDUE;VALUE=DATE:20261207\r\nRRULE:FREQ=WEEKLY\r\n"
    "STATUS:NEEDS-ACTION\r\nEND:VTODO\r\nEND:VCALENDAR\r\n"
)


def test_a_repeating_task_made_on_the_phone_keeps_repeating_after_a_rename_in_rapport(
    cli, zone, tmp_path: Path
) -> None:
    """A weekly task made on the phone comes in as a follow-up (weekly too, since s8).
    The person renames it in rapport: since ab261ad the sync sends rapport's rule,
    which was none, so the phone's task stopped repeating."""
    folder = tmp_path / "calendar"
    folder.mkdir()
    path = folder / "phone-weekly-1.ics"
    path.write_bytes(PHONE_WEEKLY.encode())
    export = ("export", "ics", "--vdir", str(folder), "--todo")
    assert "new" in run(cli, *export, "--sync")
    assert rule_of(path) == "FREQ=WEEKLY"
    run(cli, "followups", "edit", "1", "--what", "Water the plants and the herbs")
    assert run(cli, *export, "--sync").endswith(f"{folder}: 1 sent\n")
    assert str(entry(Calendar.from_ical(path.read_bytes()))["SUMMARY"]).endswith("herbs")
    assert rule_of(path) == "FREQ=WEEKLY"  # the phone's series goes on
    assert json.loads(run(cli, "followups", "show", "1", "--json"))["repeat"] == "FREQ=WEEKLY"


@pytest.mark.parametrize("mode", [("--todo",), ()], ids=["tasks", "events"])
def test_a_repeat_changed_on_both_sides_is_a_conflict_kept_in_the_notes(
    cli, zone, tmp_path: Path, mode: tuple[str, ...]
) -> None:
    """The phone ends the series (COUNT=4, changed last); rapport stops it outright: the
    phone's rule stays and is rapport's too, and rapport's lost repeat is told and kept
    in the notes, in words."""
    _folder, export, path = synced_once(cli, zone, tmp_path, "weekly, Berlin", mode)
    run(cli, "followups", "edit", "1", "--repeat", "none")
    phone_edit(path, "RRULE:FREQ=WEEKLY", "RRULE:FREQ=WEEKLY;COUNT=4")
    report = run(cli, *export, "--sync")
    assert "conflict" in report, report
    assert rule_of(path) == "FREQ=WEEKLY;COUNT=4"
    shown = json.loads(run(cli, "followups", "show", "1", "--json"))
    assert "repeat in rapport was: none" in shown["notes"], shown["notes"]
    assert shown["repeat"] == "FREQ=WEEKLY;COUNT=4"  # both sides go through the same dates


@pytest.mark.parametrize("mode", [("--todo",), ()], ids=["tasks", "events"])
def test_a_repeat_end_set_on_the_phone_survives_a_due_moved_in_rapport(
    cli, zone, tmp_path: Path, mode: tuple[str, ...]
) -> None:
    """The due moved in rapport goes out; the phone's end of the series stays with it:
    four Fridays from the 11th end on 1 January, three from the 18th too."""
    _folder, export, path = synced_once(cli, zone, tmp_path, "weekly, Berlin", mode)
    phone_edit(path, "RRULE:FREQ=WEEKLY", "RRULE:FREQ=WEEKLY;COUNT=4")
    run(cli, *export, "--sync")
    run(cli, "followups", "edit", "1", "--due", "2026-12-18 08:30")
    assert "sent" in run(cli, *export, "--sync")
    assert "20261218T083000" in path.read_text()
    assert rule_of(path) == "FREQ=WEEKLY;COUNT=3"
