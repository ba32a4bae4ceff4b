"""icalendar's part in writing calendars: each VTIMEZONE, and sync's edits of parsed files.

rapport writes its own entries as text (rapport.calendar.writer); icalendar
still makes each VTIMEZONE (once per zone and span), and sync changes
rapport's properties on the component it parsed from another client's file
with these pieces, so everything else in that file is written back as it came.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import warnings
from collections.abc import Iterator

import icalendar
from icalendar import Component, Timezone, vDDDTypes, vText

from rapport import dates
from rapport.calendar import entries
from rapport.contentlines import escape
from rapport.text import without_controls

# icalendar folds a content line of this many octets or more (RFC 5545 3.1).
FOLD_OCTETS = 75


@contextlib.contextmanager
def zone_guesses_unsaid() -> Iterator[None]:
    """Parse without icalendar's warning on a vendor's TZID
    (/mozilla.org/20050126_1/Europe/Berlin) read as the zone it ends with: printed
    to stderr with a path into site-packages, it told the person nothing to do."""
    guessed = getattr(icalendar, "GloballyUniqueTZIDGuessed", None)
    with warnings.catch_warnings():
        if guessed is not None:
            warnings.simplefilter("ignore", guessed)
        yield


class LiteralText(vText):
    """TEXT escaped as RFC 5545 says, and no more.

    icalendar also turns a typed backslash-N into a line break ("C:\\Notes"
    would reach the calendar as "C:" and "otes" on the next line); this keeps it.
    """

    encoding: str  # set by vText

    def to_ical(self) -> bytes:
        # A line break stored as CR (an older database, a restore) ends a content
        # line too: every break becomes \n, and no control character is written.
        return escape(without_controls(str(self))).encode(self.encoding)


def times(
    component: Component, start: dt.date | dt.datetime, *, todo: bool, recurring: bool = False
) -> None:
    if todo:
        # A task is due, it does not start; a repeating one needs DTSTART to anchor its RRULE.
        if recurring:
            component["DTSTART"] = vDDDTypes(start)
        component["DUE"] = vDDDTypes(start)
        return
    component["DTSTART"] = vDDDTypes(start)
    length = entries.TIMED_LENGTH if isinstance(start, dt.datetime) else dt.timedelta(days=1)
    end = dates.add_span(start, length)
    if end - start == length:
        component["DTEND"] = vDDDTypes(end)
    else:
        # Due on 9999-12-31, the last day there is: no day after it to end on.
        component["DURATION"] = vDDDTypes(length)
    component["TRANSP"] = vText("TRANSPARENT")


def utc(moment: dt.datetime) -> vDDDTypes:
    """DTSTAMP, CREATED and LAST-MODIFIED are in UTC (RFC 5545 3.8.7); naive is UTC."""
    if moment.tzinfo is None:
        return vDDDTypes(moment.replace(tzinfo=dt.UTC))
    return vDDDTypes(moment.astimezone(dt.UTC))


def serialized(component: Component) -> bytes:
    """``component.to_ical()``, without refolding the lines that need no folding.

    icalendar escapes and lays out every content line; its folding then walks
    each line a character at a time, most of the cost of a large export,
    though nearly every line is already under 75 octets, where folding changes
    nothing.  Those are encoded as they are; longer ones are folded by
    icalendar (Contentline.to_ical), exactly as Component.to_ical would.
    """
    lines = []
    for line in component.content_lines():
        if not line:
            continue
        encoded = line.encode("utf-8")
        lines.append(encoded if len(encoded) < FOLD_OCTETS else line.to_ical())
    lines.append(b"")
    return b"\r\n".join(lines)


@functools.lru_cache(maxsize=64)
def vtimezone_bytes(tzid: str, first_year: int, last_year: int) -> bytes:
    timezone = vtimezone(tzid, first_year, last_year)
    return serialized(timezone) if timezone is not None else b""


@functools.lru_cache(maxsize=64)
def vtimezone(tzid: str, first_year: int, last_year: int) -> Timezone | None:
    # Building a VTIMEZONE walks the zone's transitions: done once per zone and
    # span, not once per file of a vdir.  The component is only ever serialized.
    try:
        return Timezone.from_tzid(
            tzid, first_date=dt.date(first_year, 1, 1), last_date=dt.date(last_year, 1, 1)
        )
    except ValueError:
        return None
