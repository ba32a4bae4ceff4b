"""Export of follow-ups to iCalendar: golden files, a strict parser, round trips, sync, vdir."""

from __future__ import annotations

import datetime as dt
import os
import stat
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import vobject
from icalendar import Calendar
from ics_helpers import DATA, HARD_NOTES

from rapport.calendar import export
from rapport.errors import RapportError, ValidationError
from rapport.services.calendar_files import (
    ExportOptions,
    export_file,
    export_followups_file,
    export_vdir,
    render_calendar,
)

LA = ZoneInfo("America/Los_Angeles")


def strict_parse(data: bytes):
    """Parse with `ical`, a parser independent of icalendar that enforces RFC 5545."""
    from ical.calendar_stream import IcsCalendarStream

    return IcsCalendarStream.calendar_from_ics(data.decode("utf-8"))


def components(data: bytes, name: str = "VEVENT") -> dict[str, object]:
    calendar = Calendar.from_ical(data)
    return {str(c["UID"]): c for c in calendar.walk(name)}


def check_golden(data: bytes, name: str) -> None:
    golden = DATA / name
    if os.environ.get("RAPPORT_UPDATE_GOLDEN"):
        golden.write_bytes(data)
    assert data.decode() == golden.read_bytes().decode(), f"{name} differs from the golden file"


@pytest.mark.parametrize(
    ("todo", "golden"), [(False, "followups.ics"), (True, "followups-todo.ics")]
)
def test_export_matches_golden_file(calendar_db: Path, todo: bool, golden: str) -> None:
    data, summary = render_calendar(ExportOptions(todo=todo))
    assert summary.open == 5 and summary.closed == 0
    check_golden(data, golden)


@pytest.mark.parametrize("todo", [False, True])
def test_the_export_is_byte_for_byte_what_icalendar_writes(calendar_db: Path, todo: bool) -> None:
    # rapport skips icalendar's folding of lines too short to fold (for speed);
    # the file must still be exactly what Calendar.to_ical gives, long notes
    # with emoji and right-to-left text folded on character boundaries included.
    data, _ = render_calendar(ExportOptions(todo=todo, include_done=True))
    reread = Calendar.from_ical(data)
    assert reread.to_ical() == data
    assert max(len(line) for line in data.split(b"\r\n")) <= 75
    assert data.count(b"\r\n ") > 10  # the notes were long enough to fold


@pytest.mark.parametrize(
    "options",
    [
        ExportOptions(),
        ExportOptions(todo=True),
        ExportOptions(include_done=True),
        ExportOptions(todo=True, include_done=True, alarm="none"),
        ExportOptions(alarm="1d"),
        ExportOptions(todo=True, alarm="15m"),
    ],
    ids=["events", "todos", "events+done", "todos+done", "alarm-1d", "todo-alarm-15m"],
)
def test_every_export_parses_in_a_strict_independent_parser(
    calendar_db: Path, options: ExportOptions
) -> None:
    from rapport.services import followups

    followups.complete_followup(1)  # a done one
    followups.delete_followup(4)  # a deleted one
    data, summary = render_calendar(options)
    parsed = strict_parse(data)
    count = len(parsed.todos) if options.todo else len(parsed.events)
    assert count == summary.total
    assert summary.closed == (2 if options.include_done else 0)


def test_round_trip_keeps_summaries_times_zones_recurrence_and_alarms(calendar_db: Path) -> None:
    data, _ = render_calendar(ExportOptions())
    events = components(data)
    assert set(events) == {f"followup-{n}@rapport" for n in range(1, 6)}

    portfolio = events["followup-1@rapport"]
    assert str(portfolio["SUMMARY"]) == "Follow up: send Dana the portfolio link"
    assert portfolio.decoded("DTSTART") == dt.date(2026, 11, 25)
    assert portfolio.decoded("DTEND") == dt.date(2026, 11, 26)  # all-day, one day long
    (alarm,) = portfolio.walk("VALARM")
    assert alarm.decoded("TRIGGER") == dt.timedelta(hours=9)  # 09:00 on the day

    monthly = events["followup-2@rapport"]
    assert monthly.decoded("DTSTART") == dt.datetime(2026, 12, 11, 8, 30, tzinfo=LA)
    assert monthly["DTSTART"].params["TZID"] == "America/Los_Angeles"
    assert monthly["RRULE"].to_ical() == b"FREQ=MONTHLY"
    (alarm,) = monthly.walk("VALARM")
    assert alarm.decoded("TRIGGER") == dt.timedelta(0)  # at the due time

    berlin = events["followup-5@rapport"]
    assert berlin.decoded("DTSTART") == dt.datetime(
        2026, 12, 3, 10, tzinfo=ZoneInfo("Europe/Berlin")
    )
    assert str(berlin["SUMMARY"]) == "Follow up: coffee with Jonas in Berlin"

    calendar = Calendar.from_ical(data)
    assert {tz.tz_name for tz in calendar.timezones} == {"America/Los_Angeles", "Europe/Berlin"}
    assert calendar.get_missing_tzids() == set()
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert str(calendar["X-WR-CALNAME"]) == "rapport follow-ups"
    assert str(calendar["VERSION"]) == "2.0" and "rapport" in str(calendar["PRODID"])


def test_description_and_categories_carry_the_context_to_act(calendar_db: Path) -> None:
    data, _ = render_calendar(ExportOptions())
    portfolio = components(data)["followup-1@rapport"]
    description = str(portfolio["DESCRIPTION"])
    assert "With: Dana Whitfield (Director of Platform, Northwind Cloud)" in description
    assert "Email: dana@northwind.example" in description
    assert "Phone: +1 415 555 0134" in description
    assert "LinkedIn: https://www.linkedin.com/in/dana-whitfield" in description
    assert "Goals: Lead a platform team by 2027" in description
    assert "Last contact: 2026-11-10, coffee: Q2 plans, the EM role" in description
    assert str(portfolio["URL"]) == "https://www.linkedin.com/in/dana-whitfield"
    cfp = components(data)["followup-4@rapport"]
    assert list(cfp["CATEGORIES"].cats) == [
        "Lead a platform team by 2027",
        "Speak at a conference, Europe; 2027",
    ]


def test_typed_text_comes_through_intact_escaped_and_folded(calendar_db: Path) -> None:
    data, _ = render_calendar(ExportOptions())
    for line in data.split(b"\r\n"):
        assert len(line) <= 75, line  # folded at 75 octets, never inside a UTF-8 character
        line.decode("utf-8")
    yosef = components(data)["followup-3@rapport"]
    assert str(yosef["SUMMARY"]) == "Follow up: call Yosef, about the talk; slides"
    assert str(yosef["DESCRIPTION"]).endswith("Notes:\n" + HARD_NOTES)
    strict = next(e for e in strict_parse(data).events if e.uid == "followup-3@rapport")
    assert strict.description is not None and strict.description.endswith(HARD_NOTES)
    assert strict.summary == "Follow up: call Yosef, about the talk; slides"


def test_a_goal_named_with_a_backslash_reaches_the_calendar_as_typed(calendar_db: Path) -> None:
    from rapport.services import goals, links

    goal = goals.create_goal(r"Move notes out of C:\Notes, then; speak")
    links.link_goal(goal.id, follow_up=1)
    uid = "followup-1@rapport"

    data, _ = render_calendar(ExportOptions())

    assert r"C:\\Notes\, then\; speak" in data.decode()  # RFC 5545 3.3.11
    # Read back by vobject, a parser independent of icalendar, and by icalendar.
    # (The strict `ical` parser splits CATEGORIES at escaped commas too.)
    event = next(e for e in vobject.readOne(data.decode()).vevent_list if e.uid.value == uid)
    assert r"Move notes out of C:\Notes, then; speak" in event.categories.value
    assert r"Move notes out of C:\Notes, then; speak" in components(data)[uid]["CATEGORIES"].cats


def test_edit_then_export_again_keeps_the_uid_and_raises_sequence(calendar_db: Path) -> None:
    from rapport.services import followups

    first = components(render_calendar(ExportOptions())[0])["followup-1@rapport"]
    followups.update_followup(1, due="2026-11-27")
    second = components(render_calendar(ExportOptions())[0])["followup-1@rapport"]
    assert second.decoded("SEQUENCE") > first.decoded("SEQUENCE")
    assert second.decoded("DTSTART") == dt.date(2026, 11, 27)


def test_completed_recurring_followup_moves_the_series_not_the_uid(calendar_db: Path) -> None:
    from rapport.services import followups

    followups.update_followup(2, repeat="FREQ=MONTHLY;COUNT=3")
    followups.complete_followup(2)
    monthly = components(render_calendar(ExportOptions())[0])["followup-2@rapport"]
    assert monthly.decoded("DTSTART") == dt.datetime(2027, 1, 11, 8, 30, tzinfo=LA)
    assert monthly["RRULE"].to_ical() == b"FREQ=MONTHLY;COUNT=2"  # two occurrences left


def test_include_done_cancels_done_and_deleted_followups(calendar_db: Path) -> None:
    from rapport.services import followups

    followups.complete_followup(1)
    followups.delete_followup(3)
    data, summary = render_calendar(ExportOptions(include_done=True))
    events = components(data)
    assert str(events["followup-1@rapport"]["STATUS"]) == "CANCELLED"
    assert str(events["followup-3@rapport"]["STATUS"]) == "CANCELLED"
    assert events["followup-3@rapport"].decoded("SEQUENCE") == 1  # the deletion is a change
    assert not events["followup-1@rapport"].walk("VALARM")
    todos = components(render_calendar(ExportOptions(include_done=True, todo=True))[0], "VTODO")
    assert str(todos["followup-1@rapport"]["STATUS"]) == "COMPLETED"
    assert todos["followup-1@rapport"].decoded("COMPLETED").tzinfo is not None
    assert summary.closed == 2
    plain = components(render_calendar(ExportOptions())[0])
    assert "followup-1@rapport" not in plain and "followup-3@rapport" not in plain


def test_sync_cancels_what_was_done_or_deleted_since_the_last_export(
    calendar_db: Path, tmp_path: Path
) -> None:
    from rapport.services import followups

    target = tmp_path / "followups.ics"
    export_file(target, ExportOptions(sync=True))
    followups.complete_followup(1)
    followups.delete_followup(3)
    summary = export_file(target, ExportOptions(sync=True))
    events = components(target.read_bytes())
    assert str(events["followup-1@rapport"]["STATUS"]) == "CANCELLED"
    assert str(events["followup-3@rapport"]["STATUS"]) == "CANCELLED"
    assert (summary.open, summary.closed) == (3, 2)
    # Without --sync (and without --include-done) the closed ones are simply absent.
    assert len(components(render_calendar(ExportOptions())[0])) == 3


def test_sync_stops_announcing_old_cancellations(
    calendar_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rapport.services import followups

    target = tmp_path / "followups.ics"
    export_file(target, ExportOptions(sync=True))
    followups.complete_followup(1)
    export_file(target, ExportOptions(sync=True))
    export_file(target, ExportOptions(sync=True))  # still announced: closed recently
    assert "followup-1@rapport" in components(target.read_bytes())
    monkeypatch.setenv("RAPPORT_NOW", "2027-01-15T09:00:00")
    export_file(target, ExportOptions(sync=True))
    assert "followup-1@rapport" not in components(target.read_bytes())


def test_sync_refuses_to_overwrite_a_file_that_is_not_a_calendar(
    calendar_db: Path, tmp_path: Path
) -> None:
    target = tmp_path / "notes.txt"
    target.write_text("my precious notes")
    with pytest.raises(RapportError, match="not an iCalendar file"):
        export_file(target, ExportOptions(sync=True))
    assert target.read_text() == "my precious notes"


def test_file_is_private_and_a_failed_write_leaves_the_old_file(
    calendar_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "followups.ics"
    summary = export_followups_file(target)
    assert summary.total == 5 and summary.target == str(target)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    before = target.read_bytes()
    with pytest.raises(RapportError, match="cannot write"):
        export_file(tmp_path / "missing" / "f.ics")

    def disk_full(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", disk_full)
    with pytest.raises(RapportError, match=r"cannot write .*followups\.ics: No space left"):
        export_file(target)
    assert target.read_bytes() == before
    assert [p.name for p in target.parent.iterdir()] == ["followups.ics"]  # no temporary left


def test_filters_select_followups(calendar_db: Path) -> None:
    def uids(**options: object) -> set[str]:
        return set(components(render_calendar(ExportOptions(**options))[0]))  # type: ignore[arg-type]

    assert uids(contact="dana") == {"followup-1@rapport", "followup-2@rapport"}
    assert uids(goal="speak") == {"followup-3@rapport", "followup-4@rapport"}
    assert uids(since="2026-11-26", until="2026-12-01") == {
        "followup-3@rapport",
        "followup-4@rapport",
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("default", dt.timedelta(0)),
        ("15m", dt.timedelta(minutes=15)),
        ("1h", dt.timedelta(hours=1)),
        ("1d", dt.timedelta(days=1)),
        ("none", None),
    ],
)
def test_alarm_words(text: str, expected: dt.timedelta | None) -> None:
    assert export.parse_alarm(text) == expected


def test_bad_alarm_is_refused_with_the_field() -> None:
    with pytest.raises(ValidationError, match="alarm"):
        export.parse_alarm("soonish")


def test_alarm_offsets_for_timed_and_all_day(calendar_db: Path) -> None:
    events = components(render_calendar(ExportOptions(alarm="1d"))[0])
    (timed,) = events["followup-2@rapport"].walk("VALARM")
    assert timed.decoded("TRIGGER") == -dt.timedelta(days=1)
    (all_day,) = events["followup-1@rapport"].walk("VALARM")
    assert all_day.decoded("TRIGGER") == dt.timedelta(hours=9) - dt.timedelta(days=1)
    todos = components(render_calendar(ExportOptions(todo=True, alarm="15m"))[0], "VTODO")
    (alarm,) = todos["followup-2@rapport"].walk("VALARM")
    assert alarm["TRIGGER"].params["RELATED"] == "END"  # relative to DUE
    assert alarm.decoded("TRIGGER") == -dt.timedelta(minutes=15)
    assert not components(render_calendar(ExportOptions(alarm="none"))[0])[
        "followup-1@rapport"
    ].walk("VALARM")


def test_vdir_writes_one_file_per_followup_and_follows_changes(
    calendar_db: Path, tmp_path: Path
) -> None:
    from rapport.services import followups

    folder = tmp_path / "vdir"
    first = export_vdir(folder, ExportOptions(todo=True))
    assert (first.written, first.unchanged, first.removed) == (5, 0, 0)
    names = sorted(p.name for p in folder.iterdir())
    assert names == [f"followup-{n}@rapport.ics" for n in range(1, 6)]
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for path in folder.iterdir():
        strict_parse(path.read_bytes())
        assert b"METHOD" not in path.read_bytes()  # CalDAV resources carry no METHOD
        # Each file is byte for byte what icalendar writes for it (rapport puts
        # the calendar and time zone it serialized once around each entry).
        assert Calendar.from_ical(path.read_bytes()).to_ical() == path.read_bytes()
    assert sum(b"BEGIN:VTIMEZONE" in p.read_bytes() for p in folder.iterdir()) == 3  # timed
    (folder / "someone-else.ics").write_bytes(b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
    mtime = (folder / "followup-4@rapport.ics").stat().st_mtime_ns

    followups.update_followup(1, notes="new note")
    followups.delete_followup(3)
    second = export_vdir(folder, ExportOptions(todo=True))
    assert (second.written, second.unchanged, second.removed) == (1, 3, 1)
    assert not (folder / "followup-3@rapport.ics").exists()
    assert (folder / "someone-else.ics").exists()
    assert (folder / "followup-4@rapport.ics").stat().st_mtime_ns == mtime
    assert b"new note" in (folder / "followup-1@rapport.ics").read_bytes()


def test_vdir_sync_marks_done_tasks_completed(calendar_db: Path, tmp_path: Path) -> None:
    from rapport.services import followups

    folder = tmp_path / "vdir"
    export_vdir(folder, ExportOptions(todo=True, sync=True))
    followups.complete_followup(1)
    export_vdir(folder, ExportOptions(todo=True, sync=True))
    todo = components((folder / "followup-1@rapport.ics").read_bytes(), "VTODO")
    assert str(todo["followup-1@rapport"]["STATUS"]) == "COMPLETED"
    export_vdir(folder, ExportOptions(todo=True))  # without --sync a done one goes
    assert not (folder / "followup-1@rapport.ics").exists()


def test_summary_names_the_contact_when_the_title_does_not() -> None:
    assert export.summary_text("Send the deck", "Dana Whitfield") == (
        "Follow up with Dana Whitfield: send the deck"
    )
    assert export.summary_text("Dana: send deck", "Dana Whitfield") == "Follow up: Dana: send deck"
    assert export.summary_text("CV to Leila", "Leila Haddadi") == "Follow up: CV to Leila"


@pytest.mark.parametrize("stored", ["https://www.linkedin.com/in/dana\r", "https://x.example/a b"])
def test_a_stored_url_a_calendar_would_refuse_is_left_out_not_a_crash(
    calendar_db: Path, stored: str
) -> None:
    # An older database or a restore can hold one; icalendar raised on the line break.
    from rapport.models import Contact

    Contact.update(linkedin_url=stored).where(Contact.name == "Dana Whitfield").execute()

    data, _ = render_calendar(ExportOptions())

    dana = components(data)["followup-1@rapport"]
    assert "URL" not in dana
    assert strict_parse(data).events
