"""rapport writes its calendar entries itself: its bytes are icalendar's, to the octet.

icalendar_reference holds the code that wrote every export before (icalendar
components, serialized by icalendar); random follow-ups with hard text
(unicode, wide characters, long lines, escapes, control characters), every
kind of due time, zone, repeat rule and alarm go through both.  icalendar
stays the judge of what the files say, and the parser that reads them.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from types import SimpleNamespace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from icalendar_reference import followup_component, render, vdir_file

from rapport.calendar import export, writer
from rapport.calendar.items import CALENDAR_NAME, CalendarFollowUp, DeletedFollowUp, LastTouch
from rapport.contentlines import fold

HARD_PIECES = [
    "\\",
    "\\N",
    "\\n",
    ";",
    ",",
    ":",
    "^",
    '"',
    "’",
    "\n",
    "\r\n",
    "\r",
    "\t",
    "\x00",
    "\x1b[31m",
    "\x7f",
    "\x85",
    "\ufeff",
    "é",
    "漢字",
    "👩‍💻",
    "ﷺ",
    " ",
    "x" * 73,
    "y" * 150,
    "語" * 30,
]
texts = st.lists(st.one_of(st.sampled_from(HARD_PIECES), st.text(max_size=12)), max_size=8).map(
    "".join
)
RULES = [
    "FREQ=WEEKLY",
    "FREQ=MONTHLY;INTERVAL=3",
    "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO",
    "FREQ=YEARLY",
    "FREQ=DAILY;COUNT=5",
    "INTERVAL=2;FREQ=WEEKLY",
    "FREQ=MONTHLY;BYMONTHDAY=15",
    "FREQ=MONTHLY;BYDAY=-1FR",
    "FREQ=WEEKLY;BYDAY=MO,WE,FR;WKST=SU",
    "FREQ=WEEKLY;UNTIL=20301231T235959Z",
    "FREQ=DAILY;UNTIL=20300101",
    "BYMONTHDAY=1;BYMONTH=3;FREQ=YEARLY",
]
ZONES = [
    "",
    "UTC",
    "Etc/UTC",
    "GMT",
    "Zulu",
    "Europe/Berlin",
    "America/Los_Angeles",
    "Asia/Kolkata",
    "Australia/Lord_Howe",
    "Not/A_Zone",
]
URLS = [
    "",
    "https://www.linkedin.com/in/dana-whitfield",
    "https://example.org/a,b;c:d?e=f^g",
    "https://example.org/" + "p" * 90,
    "https://example.org/ünï/漢字",
    "has a space",
    "line\nbreak",
]
days = st.one_of(
    st.dates(dt.date(1990, 1, 1), dt.date(2060, 12, 31)),
    st.just(dt.date(9999, 12, 31)),
)
moments = st.datetimes(dt.datetime(2000, 1, 1), dt.datetime(2040, 1, 1))
spans = st.sampled_from(
    [
        None,
        dt.timedelta(0),
        dt.timedelta(minutes=15),
        dt.timedelta(hours=1),
        dt.timedelta(hours=9),
        dt.timedelta(days=1),
        dt.timedelta(weeks=2),
        dt.timedelta(minutes=61, seconds=5),
    ]
)


@st.composite
def followups(draw: st.DrawFn) -> CalendarFollowUp:
    due = draw(days)
    timed = draw(st.booleans())
    rrule = draw(st.one_of(st.just(""), st.sampled_from(RULES)))
    done = draw(st.booleans())
    contact = None
    if draw(st.booleans()):
        contact = SimpleNamespace(
            name=draw(texts.filter(str.split)),  # a contact always has a name
            role=draw(texts),
            email=draw(texts),
            phone=draw(texts),
            linkedin_url=draw(st.sampled_from(URLS)),
        )
    followup = SimpleNamespace(
        uid=draw(st.one_of(st.just("followup-1@rapport"), texts.filter(bool))),
        sequence=draw(st.integers(0, 10_000)),
        created_at=draw(moments),
        updated_at=draw(moments),
        title=draw(texts),
        notes=draw(texts),
        due_date=due,
        due_time=draw(st.times()) if timed else None,
        tz=draw(st.sampled_from(ZONES)),
        rrule=rrule if due.year < 9999 else "",
        series_start=draw(st.one_of(st.none(), st.just(due - dt.timedelta(days=40)))),
        done=done,
        done_at=draw(st.one_of(st.none(), moments)) if done else None,
    )
    goals = tuple(draw(st.lists(texts, max_size=3)))
    touch = draw(st.one_of(st.none(), st.builds(LastTouch, days, texts)))
    return CalendarFollowUp(followup, contact, draw(texts), goals, touch)


@st.composite
def tombstones(draw: st.DrawFn) -> DeletedFollowUp:
    due = draw(days)
    return DeletedFollowUp(
        draw(texts.filter(bool)),
        draw(texts),
        due,
        draw(st.one_of(st.none(), st.times())),
        draw(st.sampled_from(ZONES)),
        draw(st.integers(0, 99)),
        draw(moments),
    )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    items=st.lists(followups(), min_size=1, max_size=3),
    deleted=st.lists(tombstones(), max_size=2),
    todo=st.booleans(),
    alarm=spans,
    stamp=st.one_of(st.none(), moments, moments.map(lambda m: m.replace(tzinfo=dt.UTC))),
    # rapport names its calendar itself (icalendar writes the name unescaped).
    name=st.sampled_from([CALENDAR_NAME, "Follow-ups ü 漢字 " + "z" * 70]),
)
def test_a_whole_export_is_what_icalendar_wrote(
    items: list[CalendarFollowUp],
    deleted: list[DeletedFollowUp],
    todo: bool,
    alarm: dt.timedelta | None,
    stamp: dt.datetime | None,
    name: str,
) -> None:
    entries = [writer.followup_entry(c, todo=todo, alarm=alarm, stamp=stamp) for c in items]
    entries += [writer.deleted_entry(d, todo=todo, stamp=stamp) for d in deleted]

    written = writer.calendar(entries, name=name, method=True)

    assert written == render(items, deleted, todo=todo, alarm=alarm, stamp=stamp, name=name)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(item=followups(), todo=st.booleans(), alarm=spans)
def test_a_vdir_file_is_what_icalendar_wrote(
    item: CalendarFollowUp, todo: bool, alarm: dt.timedelta | None
) -> None:
    written = export.vdir_file(writer.followup_entry(item, todo=todo, alarm=alarm, stamp=None))

    reference = followup_component(item, todo=todo, alarm=alarm, stamp=None)
    assert written == vdir_file(reference, "rapport follow-ups")


@given(line=texts)
def test_folded_lines_are_at_most_75_octets_and_unfold_to_the_line(line: str) -> None:
    line = line.replace("\r", "").replace("\n", "")
    folded = fold(line, 74, 74, "\\^")

    physical = folded.removesuffix("\r\n").split("\r\n")
    assert all(len(p.encode()) <= 75 for p in physical)
    assert all(p.startswith(" ") for p in physical[1:])
    assert "".join([physical[0], *(p[1:] for p in physical[1:])]) == line


def test_a_line_is_never_cut_after_a_backslash() -> None:
    line = "DESCRIPTION:" + "a" * 61 + "\\,b"  # the backslash is the 74th octet

    folded = fold(line, 74, 74, "\\^")

    assert folded == "DESCRIPTION:" + "a" * 61 + "\r\n \\,b\r\n"


def test_all_day_follow_ups_are_written_without_loading_icalendar() -> None:
    # All-day, non-repeating follow-ups: the writer needs nothing of icalendar.
    code = (
        "import datetime as dt, sys\n"
        "from types import SimpleNamespace as N\n"
        "from rapport.calendar import export, writer\n"
        "from rapport.calendar.items import CalendarFollowUp\n"
        "f = N(uid='u', sequence=1, created_at=dt.datetime(2026, 1, 1),"
        " updated_at=dt.datetime(2026, 1, 2), title='Call', notes='', due_date=dt.date(2026, 2, 1),"
        " due_time=None, tz='', rrule='', series_start=None, done=False, done_at=None)\n"
        "entry = writer.followup_entry(CalendarFollowUp(f, None, '', (), None), todo=True,"
        " alarm=dt.timedelta(0), stamp=None)\n"
        "assert b'BEGIN:VTODO' in export.vdir_file(entry)\n"
        "print('icalendar' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "False"
