"""A repeat rule's UNTIL goes with its start: a day beside an all-day follow-up, a
moment in UTC beside a timed one (RFC 5545 3.3.10).

Typed either way at the prompt; written the way the start asks, so calendars that
expand repeats with dateutil (khal, todoman and many more) read the file.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from dateutil import rrule as dateutil_rrule
from icalendar import Calendar


def _series(data: bytes, kind: str = "VEVENT") -> tuple[str, list[dt.datetime]]:
    """The RRULE line of the one entry and the occurrences dateutil reads from the file."""
    component = Calendar.from_ical(data).walk(kind)[0]
    line = next(x for x in data.decode().split("\r\n") if x.startswith("RRULE:"))
    start = component.decoded("DTSTART" if "DTSTART" in component else "DUE")
    occurrences = list(dateutil_rrule.rrulestr(line, dtstart=start))  # as clients expand it
    return line, [
        o if isinstance(o, dt.datetime) else dt.datetime.combine(o, dt.time()) for o in occurrences
    ]


def _weekly(cli, title: str, due: str, until: str) -> None:
    """Add a follow-up repeating every week until ``until``, as a person types it."""
    added = cli("followups", "add", title, "--due", due, "--repeat", f"FREQ=WEEKLY;UNTIL={until}")
    assert added.exit_code == 0, added.output


@pytest.mark.parametrize("until", ["20270201", "20270201T235959Z"])
def test_a_timed_follow_up_ends_its_series_in_utc(cli, tmp_path: Path, until: str) -> None:
    _weekly(cli, "Weekly sync", "2027-01-04 10:00", until)
    out = tmp_path / "f.ics"
    assert cli("export", "ics", "-o", str(out)).exit_code == 0
    line, occurrences = _series(out.read_bytes())
    # The tests' zone is Los Angeles: the day's end there is 07:59:59 the next day in UTC.
    expected = "20270202T075959Z" if until == "20270201" else "20270201T235959Z"
    assert line == f"RRULE:FREQ=WEEKLY;UNTIL={expected}"
    assert [o.date() for o in occurrences] == [dt.date(2027, 1, d) for d in (4, 11, 18, 25)] + [
        dt.date(2027, 2, 1)
    ]


@pytest.mark.parametrize("until", ["20270201", "20270201T235959Z"])
def test_an_all_day_follow_up_ends_its_series_on_a_day(cli, tmp_path: Path, until: str) -> None:
    _weekly(cli, "Weekly note", "2027-01-04", until)
    out = tmp_path / "tasks"
    assert cli("export", "ics", "--vdir", str(out), "--todo").exit_code == 0
    (file,) = out.iterdir()
    line, occurrences = _series(file.read_bytes(), "VTODO")
    assert line == "RRULE:FREQ=WEEKLY;UNTIL=20270201"
    assert len(occurrences) == 5


def test_a_series_ending_at_a_utc_moment_moves_on_when_done(cli) -> None:
    # The form a phone writes for a timed task; done, it moves to the next week.
    _weekly(cli, "Weekly sync", "2027-01-04 10:00", "20270112T000000Z")
    done = cli("followups", "done", "1")
    assert done.exit_code == 0, done.output
    assert "2027-01-11" in cli("followups", "show", "1").output
    last = cli("followups", "done", "1")  # the series ended before 18 Jan
    assert last.output == "Done: #1 Weekly sync\n"
    assert "Status:       done" in cli("followups", "show", "1").output
