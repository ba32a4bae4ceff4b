"""The last date there is, 9999-12-31: accepted when typed, and nothing counted from it crashes."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

from icalendar import Calendar

from rapport.services.contacts import next_touch_due


def test_a_follow_up_and_a_birthday_on_the_last_date_are_taken_and_used(
    cli, tmp_path: Path
) -> None:
    # A birthday after today is refused now; one an older rapport (or a phone's
    # card) brought in is still shown and counted from.
    assert cli("contacts", "add", "Dana", "--birthday", "9999-12-31").exit_code == 2
    assert cli("contacts", "add", "Dana").exit_code == 0
    conn = sqlite3.connect(cli.db)
    with conn:
        conn.execute("UPDATE contact SET birthday = '9999-12-31' WHERE name = 'Dana'")
    conn.close()
    added = cli("followups", "add", "Call Dana", "--due", "9999-12-31", "--contact", "Dana")
    assert added.exit_code == 0, added.stderr
    assert cli("followups", "add", "Late call", "--due", "9999-12-31 23:45").exit_code == 0
    weekly = cli("followups", "add", "Weekly", "--due", "9999-12-25", "--repeat", "weekly")
    assert weekly.exit_code == 0, weekly.stderr
    assert json.loads(cli("contacts", "show", "Dana", "--json").stdout)["birthday"] == "9999-12-31"

    for command in (("today",), ("review",), ("followups", "list"), ("contacts", "list")):
        assert cli(*command).exit_code == 0, command

    # The calendar's end is the day after: there is none, so DURATION says how long.
    out = tmp_path / "late.ics"
    assert cli("export", "ics", "-o", str(out)).exit_code == 0
    data = out.read_bytes()
    events = {str(e["SUMMARY"]): e for e in Calendar.from_ical(data).walk("VEVENT")}
    all_day = events["Follow up: call Dana"]
    assert all_day["DTSTART"].dt == dt.date.max and "DTEND" not in all_day
    assert all_day["DURATION"].dt == dt.timedelta(days=1)
    assert events["Follow up: late call"]["DURATION"].dt == dt.timedelta(minutes=30)
    from ical.calendar_stream import IcsCalendarStream

    strict = IcsCalendarStream.calendar_from_ics(data.decode())
    assert {e.dtstart for e in strict.events if e.summary == "Follow up: call Dana"} == {
        dt.date.max
    }
    assert cli("export", "ics", "--todo", "-o", str(tmp_path / "tasks.ics")).exit_code == 0

    # A snooze holds at the last date; a weekly series past it ends, done.
    snoozed = cli("followups", "snooze", "1", "--by", "+1w")
    assert snoozed.exit_code == 0 and "9999-12-31" in snoozed.stdout
    assert cli("followups", "done", "3").exit_code == 0
    listed = json.loads(cli("followups", "list", "--status", "all", "--json").stdout)
    assert next(f for f in listed if f["id"] == 3)["done"] is True


def test_a_stay_in_touch_cadence_from_a_late_date_holds_at_the_last_date() -> None:
    late = dt.date(9999, 12, 20)
    assert next_touch_due(30, late, None, dt.datetime(2026, 1, 1)) == dt.date.max
