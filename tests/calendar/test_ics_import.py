"""Import of events from calendar files: every case calendars write, re-imports, bad files."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest
from ics_helpers import DATA

from rapport.errors import ImportFailed, NotFound
from rapport.models import Event, EventAttendee, GoalLink
from rapport.services.calendar_files import import_ics_bytes, import_ics_file

CASES = DATA / "import_cases.ics"


def by_uid() -> dict[str, Event]:
    return {e.ics_uid: e for e in Event.select()}


def test_imports_every_case_calendars_write(sample_db: Path) -> None:
    before = Event.select().count()
    summary = import_ics_file(CASES)
    events = by_uid()
    assert Event.select().count() == before + 11
    assert summary.count("created") == 11
    assert summary.count("skipped-cancelled") == 1
    assert dict(summary.ignored) == {"VTODO": 1, "VJOURNAL": 1}

    fair = events["allday-fair@example.com"]  # all-day, one day
    assert (fair.start_date, fair.start_time, fair.end_date) == (
        dt.date(2026, 12, 5),
        None,
        dt.date(2026, 12, 5),
    )
    assert fair.tz == "" and fair.kind == "career-fair"
    assert fair.location == "City University, Great Hall"  # escaped comma read back
    assert fair.url == "https://cityuni.example/fair"

    conf = events["multiday-conf@example.com"]  # DTEND is exclusive
    assert (conf.start_date, conf.end_date, conf.kind) == (
        dt.date(2027, 2, 3),
        dt.date(2027, 2, 5),
        "conference",
    )

    talk = events["lisbon-talk@example.com"]  # by VTIMEZONE and IANA name
    assert (talk.start_time, talk.end_time, talk.tz) == (
        dt.time(14),
        dt.time(14, 45),
        "Europe/Lisbon",
    )
    assert talk.notes == (
        "Slides: https://example.com/slides\nRoom 2, second floor; bring the clicker ☕ — שלום עולם"
    )  # escaped and folded text, emoji and right-to-left script intact

    webinar = events["utc-webinar@example.com"]  # UTC, shown in local time
    assert (webinar.start_date, webinar.start_time, webinar.end_time, webinar.tz) == (
        dt.date(2026, 12, 10),
        dt.time(9),
        dt.time(10),
        "America/Los_Angeles",
    )

    custom = events["custom-zone@example.com"]  # a zone only its VTIMEZONE defines, +05:30
    assert (custom.start_date, custom.start_time, custom.end_time) == (
        dt.date(2026, 12, 15),
        dt.time(6, 30),
        dt.time(8),
    )

    outlook = events["windows-zone@example.com"]  # a Windows zone name
    assert (outlook.start_time, outlook.tz) == (dt.time(9), "America/Los_Angeles")

    series = events["sre-meetup-series@example.com"]  # one event with its recurrence
    assert series.rrule == "FREQ=MONTHLY;BYDAY=2TH"
    assert series.exdates.split(",") == [
        "2026-12-10T18:30:00",  # EXDATE
        "2026-11-12T18:30:00",  # moved to the Friday
        "2027-01-14T18:30:00",  # cancelled occurrence
    ]
    moved = events["sre-meetup-series@example.com/2026-11-12T18:30:00"]
    assert moved.start_date == dt.date(2026, 11, 13)

    assert "cancelled-summit@example.com" not in events
    assert any(uid and uid.startswith("rapport-import-") for uid in events)  # no UID: one made up


def test_attendees_are_matched_to_contacts_by_email(sample_db: Path) -> None:
    summary = import_ics_file(CASES)
    talk = by_uid()["lisbon-talk@example.com"]
    names = sorted(
        a.contact.name for a in EventAttendee.select().where(EventAttendee.event == talk)
    )
    assert names == ["Noah Feldman", "Wei Zhang"]  # organizer too; case ignored; strangers not
    assert summary.attendees_matched == 2


def test_reimport_updates_by_uid_and_creates_no_duplicates(sample_db: Path) -> None:
    import_ics_file(CASES)
    count = Event.select().count()
    attendees = EventAttendee.select().count()
    again = import_ics_file(CASES)
    assert Event.select().count() == count
    assert EventAttendee.select().count() == attendees
    assert again.count("created") == 0 and again.count("unchanged") == 11


def test_newer_export_updates_and_older_one_changes_nothing(sample_db: Path) -> None:
    import_ics_file(CASES)
    from rapport.services.events import update_event

    update_event(by_uid()["utc-webinar@example.com"].id, notes="my own notes", status="attended")
    text = CASES.read_bytes().decode()
    newer = text.replace(
        "DTSTART:20261210T170000Z\r\nDTEND:20261210T180000Z\r\n",
        "DTSTART:20261211T170000Z\r\nDTEND:20261211T180000Z\r\nSEQUENCE:2\r\n"
        "DESCRIPTION:Now on Friday\r\n",
    )
    summary = import_ics_bytes(newer.encode(), source="newer.ics")
    webinar = by_uid()["utc-webinar@example.com"]
    assert summary.count("updated") == 1
    assert webinar.start_date == dt.date(2026, 12, 11)
    assert (webinar.notes, webinar.status) == ("my own notes", "attended")  # the person's own
    older = import_ics_bytes(text.encode(), source="older.ics")
    assert older.count("skipped-older") == 1
    assert by_uid()["utc-webinar@example.com"].start_date == dt.date(2026, 12, 11)


def test_event_cancelled_after_import_is_marked_skipped(sample_db: Path) -> None:
    import_ics_file(CASES)
    text = (
        CASES.read_bytes()
        .decode()
        .replace(
            "SUMMARY:Climate Tech Career Fair\r\n",
            "SUMMARY:Climate Tech Career Fair\r\nSTATUS:CANCELLED\r\n",
        )
    )
    summary = import_ics_bytes(text.encode(), source="cancelled.ics")
    assert summary.count("cancelled") == 1
    assert by_uid()["allday-fair@example.com"].status == "skipped"


def test_dry_run_writes_nothing_and_says_what_would_change(sample_db: Path) -> None:
    before = Event.select().count()
    summary = import_ics_file(CASES, dry_run=True)
    assert summary.dry_run and summary.count("created") == 11
    assert Event.select().count() == before
    assert EventAttendee.select().count() == 0


def test_goals_are_linked_to_every_imported_event(sample_db: Path) -> None:
    import_ics_file(CASES, goals=["regional conference"])
    talk = by_uid()["lisbon-talk@example.com"]
    assert [link.goal.title for link in GoalLink.select().where(GoalLink.event == talk)] == [
        "Give a talk at a regional conference"
    ]
    with pytest.raises(NotFound):
        import_ics_file(CASES, goals=["no such goal"])


def test_absurd_recurrence_imports_in_bounded_time(sample_db: Path) -> None:
    started = time.perf_counter()
    import_ics_file(CASES)
    from rapport.services.calendar import event_occurrences

    for uid in ("absurd@example.com", "absurd-filtered@example.com"):
        event = by_uid()[uid]
        listed = event_occurrences(event, start=dt.date(2026, 11, 23), end=dt.date(2027, 11, 23))
        assert not listed.complete  # said honestly, not hung
    assert time.perf_counter() - started < 5


def test_series_occurrences_skip_exdates_and_moved_ones(sample_db: Path) -> None:
    import_ics_file(CASES)
    from rapport.services.calendar import event_occurrences

    series = by_uid()["sre-meetup-series@example.com"]
    listed = event_occurrences(series, start=dt.date(2026, 10, 1), end=dt.date(2027, 2, 28))
    assert listed.complete
    assert [o.date() for o in listed.occurrences] == [
        dt.date(2026, 10, 8),
        dt.date(2027, 2, 11),
    ]


def test_floating_times_use_the_calendars_x_wr_timezone(db_path: Path) -> None:
    data = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nX-WR-TIMEZONE:Europe/Berlin\r\n"
        "BEGIN:VEVENT\r\nUID:f1\r\nDTSTART:20261201T190000\r\nSUMMARY:Berlin meetup\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    import_ics_bytes(data.encode(), source="berlin.ics")
    event = by_uid()["f1"]
    assert (event.start_time, event.tz) == (dt.time(19), "Europe/Berlin")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "is empty"),
        (b"hello, this is a note\n", "not an iCalendar file (it starts with 'hello"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "binary data"),
        (b"BEGIN:VCARD\r\nFN:Dana\r\nEND:VCARD\r\n", "not an iCalendar file"),
        (
            b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:1\r\nSUMMARY:x\r\n",
            "cut short: BEGIN:VEVENT on line 3 has no END:VEVENT",
        ),
        (
            b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:1\r\nEND:VTODO\r\nEND:VCALENDAR\r\n",
            "line 4: END:VTODO where END:VEVENT (line 2) was expected",
        ),
        (
            b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:1\r\njust words\r\nEND:VEVENT\r\n"
            b"END:VCALENDAR\r\n",
            "line 4: 'just words' is not an iCalendar line",
        ),
        (
            b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:1\r\nSUMMARY:Meetup\r\n"
            b"DTSTART:2026013\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
            "event 'Meetup' (UID 1): DTSTART '2026013' is not a date or time",
        ),
        (
            b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:1\r\nSUMMARY:Meetup\r\n"
            b"DTSTART:20261201T100000Z\r\nRRULE:FREQ=SOMETIMES\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
            "RRULE 'FREQ=SOMETIMES' is not a valid rule",
        ),
    ],
    ids=[
        "empty",
        "text",
        "binary",
        "vcard",
        "truncated",
        "mismatched",
        "garbage-line",
        "bad-date",
        "bad-rule",
    ],
)
def test_bad_files_give_one_line_and_write_nothing(
    sample_db: Path, data: bytes, message: str
) -> None:
    good = CASES.read_bytes().split(b"END:VCALENDAR")[0]
    before = Event.select().count()
    with pytest.raises(ImportFailed, match=message.replace("(", r"\(").replace(")", r"\)")) as info:
        import_ics_bytes(data, source="bad.ics")
    assert "\n" not in str(info.value)
    assert Event.select().count() == before
    # A good calendar with a bad event inside lands nothing either.
    if data.startswith(b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT") and b"END:VCALENDAR" in data:
        inner = data.split(b"BEGIN:VCALENDAR\r\n")[1]
        with pytest.raises(ImportFailed):
            import_ics_bytes(good + inner, source="mixed.ics")
        assert Event.select().count() == before


def test_unreadable_file_gives_one_line(db_path: Path, tmp_path: Path) -> None:
    with pytest.raises(ImportFailed, match=r"cannot read .*missing\.ics"):
        import_ics_file(tmp_path / "missing.ics")


def test_exported_followups_import_as_events(calendar_db: Path, tmp_path: Path) -> None:
    """rapport reads its own output as a calendar would (the round trip the other way)."""
    from rapport.services.calendar_files import ExportOptions, export_file

    export_file(tmp_path / "f.ics", ExportOptions())
    summary = import_ics_file(tmp_path / "f.ics")
    assert summary.count("created") == 5
    monthly = by_uid()["followup-2@rapport"]
    assert (monthly.start_time, monthly.tz, monthly.rrule) == (
        dt.time(8, 30),
        "America/Los_Angeles",
        "FREQ=MONTHLY",
    )


def test_a_latin_1_calendar_is_read_as_such_and_the_summary_says_so(db_path: Path) -> None:
    data = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n"
        "BEGIN:VEVENT\r\nUID:l1\r\nDTSTART;VALUE=DATE:20261201\r\nSUMMARY:Café Zürich\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n"
    ).encode("latin-1")

    summary = import_ics_bytes(data, source="old.ics")

    assert by_uid()["l1"].name == "Café Zürich"
    assert summary.warnings == [
        "old.ics is not UTF-8 (line 7), as iCalendar files should be; read as Windows-1252: "
        "check the accents of what was imported"
    ]


def _in_own_zone(tzid: str, offsets: str) -> bytes:
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n"
        f"BEGIN:VTIMEZONE\r\nTZID:{tzid}\r\nBEGIN:STANDARD\r\nDTSTART:16010101T000000\r\n"
        f"TZOFFSETFROM:{offsets}\r\nTZOFFSETTO:{offsets}\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n"
        f'BEGIN:VEVENT\r\nUID:z1\r\nDTSTAMP:20261123T090000Z\r\nDTSTART;TZID="{tzid}":'
        '20261201T090000\r\nDTEND;TZID="' + tzid + '":20261201T100000\r\nSUMMARY:Call\r\n'
        "END:VEVENT\r\nEND:VCALENDAR\r\n"
    ).encode()


@pytest.mark.parametrize(
    ("tzid", "offsets", "zone"),
    [
        ("(UTC+05:00) Ekaterinburg", "+0500", "Etc/GMT-5"),
        ("Pacific SA Standard Time", "-0400", "America/Santiago"),
    ],
)
def test_a_zone_only_its_vtimezone_defines_keeps_its_wall_clock(
    db_path: Path, tzid: str, offsets: str, zone: str
) -> None:
    import_ics_bytes(_in_own_zone(tzid, offsets), source="outlook.ics")

    event = by_uid()["z1"]
    # 09:00 where it happens, not 04:00 "UTC" (or whatever the importing machine's zone is).
    assert (event.start_time, event.end_time, event.tz) == (dt.time(9), dt.time(10), zone)


def test_a_parser_error_quoting_a_huge_value_is_cut_to_a_readable_line(db_path: Path) -> None:
    data = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VTIMEZONE\r\nTZID:a\r\n"
        "BEGIN:STANDARD\r\nDTSTART:16010101T000000\r\nTZOFFSETFROM:+" + "9" * 5000 + "\r\n"
        "TZOFFSETTO:+0100\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\nEND:VCALENDAR\r\n"
    ).encode()

    with pytest.raises(ImportFailed) as caught:
        import_ics_bytes(data, source="big.ics")

    message = str(caught.value)
    assert message.startswith("big.ics is not a valid iCalendar file: ")
    assert len(message) < 150 and message.endswith("…")


def test_a_vtimezone_offset_no_zone_has_is_refused(db_path: Path) -> None:
    with pytest.raises(ImportFailed) as caught:
        import_ics_bytes(_in_own_zone("Nowhere", "+2000"), source="odd.ics")

    assert str(caught.value) == (
        "odd.ics: a time of 2026-12-01 09:00 is 20:00:00 from UTC by its VTIMEZONE, which no "
        "time zone is (they run from -12:00 to +14:00); nothing was imported"
    )
    assert Event.select().count() == 0
