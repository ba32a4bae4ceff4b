"""rapport.calendar.lines writes what icalendar would write, byte for byte, for any value."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from hypothesis import example, given
from hypothesis import strategies as st
from icalendar import Event, Todo
from icalendar.parser import Contentline

from rapport.calendar import lines as ics

ZONES = [
    ZoneInfo("America/Los_Angeles"),
    ZoneInfo("Europe/Berlin"),
    ZoneInfo("Asia/Kolkata"),
    ZoneInfo("UTC"),
    ZoneInfo("Etc/UTC"),
    dt.UTC,
]
# Text with what iCalendar escapes, folds or normalizes: separators, line ends,
# backslashes (a literal "\N" too), carets, and characters of 2 to 4 bytes.
TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from([*",;:\\^\r\n N\"'", "é", "—", "ש", "🎉"]),
        st.characters(codec="utf-8", exclude_categories=("Cs",)),
    ),
    max_size=300,
)


def icalendar_line(name: str, value: object, parameters: dict[str, str] | None = None) -> bytes:
    """The folded line icalendar writes for one property of a VEVENT."""
    event = Event()
    event.add(name, value, parameters=parameters)
    return bytes(event.content_line(name.upper(), event[name.upper()]).to_ical())


@given(TEXT)
def test_text_is_escaped_and_folded_as_icalendar_does(value: str) -> None:
    assert ics.fold(f"DESCRIPTION:{ics.text(value)}").encode() == icalendar_line(
        "description", value
    )


@given(st.text(st.characters(codec="utf-8", exclude_characters="\r\n"), max_size=400))
@example("a" * 73 + "\\," * 60)  # an escape where a fold would fall
@example("a" * 72 + "^^" * 60)
@example("é" * 36 + "\\;" + "🎉" * 50)
def test_any_line_is_folded_as_icalendar_folds_it(line: str) -> None:
    assert ics.fold(line).encode() == bytes(Contentline(line).to_ical())


@given(
    st.datetimes(min_value=dt.datetime(1970, 1, 2), max_value=dt.datetime(2100, 1, 1)),
    st.sampled_from(ZONES),
)
def test_times_in_a_zone_name_it_as_icalendar_does(moment: dt.datetime, zone: dt.tzinfo) -> None:
    value = moment.replace(tzinfo=zone, microsecond=0)
    line, tzid = ics.when("DTSTART", value)
    expected = icalendar_line("dtstart", value)
    assert line.encode() == expected
    assert (tzid is not None) == (b"TZID=" in expected)


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 1, 1)))
def test_all_day_dates_are_written_as_icalendar_does(day: dt.date) -> None:
    assert ics.when("DTEND", day) == (icalendar_line("dtend", day).decode(), None)


@given(
    st.datetimes(min_value=dt.datetime(1970, 1, 2), max_value=dt.datetime(2100, 1, 1)),
    st.sampled_from([None, *ZONES]),
)
def test_stamps_are_utc_as_icalendar_writes_them(moment: dt.datetime, zone: dt.tzinfo) -> None:
    value = moment.replace(tzinfo=zone)  # naive (None) is taken as UTC, as icalendar does
    assert f"DTSTAMP:{ics.utc(value)}".encode() == icalendar_line("dtstamp", value)


@given(st.timedeltas(min_value=dt.timedelta(days=-400), max_value=dt.timedelta(days=400)))
def test_durations_are_written_as_icalendar_does(offset: dt.timedelta) -> None:
    offset = dt.timedelta(seconds=round(offset.total_seconds()))
    assert f"TRIGGER:{ics.duration(offset)}".encode() == icalendar_line("trigger", offset)
    todo = Todo()
    todo.add("trigger", offset, parameters={"RELATED": "END"})
    assert f"TRIGGER;RELATED=END:{ics.duration(offset)}".encode() == bytes(
        todo.content_line("TRIGGER", todo["TRIGGER"]).to_ical()
    )


def test_a_component_lists_its_properties_in_icalendars_order() -> None:
    start = dt.datetime(2026, 11, 25, 9, 30, tzinfo=ZoneInfo("Europe/Berlin"))
    ours, theirs = ics.Component("VEVENT"), Event()
    for name, value in (
        ("URL", "https://example.org/a,b"),
        ("UID", "x@rapport"),
        ("STATUS", "CONFIRMED"),
        ("SUMMARY", "Call, then; write"),
        ("SEQUENCE", 2),
        ("CATEGORIES", ["A, B", "C"]),
    ):
        theirs.add(name, value)
        if name == "CATEGORIES":
            ours.add(name, ",".join(ics.text(v) for v in value))  # type: ignore[attr-defined]
        elif name in ("URL", "SEQUENCE"):
            ours.add(name, str(value))
        else:
            ours.add(name, ics.text(str(value)))
    theirs.add("dtstart", start)
    ours.add_time("DTSTART", start)
    theirs.add("rrule", {"freq": "weekly", "count": 3})
    ours.add("RRULE", ics.rule("COUNT=3;FREQ=WEEKLY"))
    assert ics.join(ours.lines()) == bytes(theirs.to_ical())
    assert ours.tzids == {"Europe/Berlin"}
    assert ours.zoned_year == 2026
