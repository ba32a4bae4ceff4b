"""What a follow-up's calendar entry says, in plain values: its summary, description, times.

Both ways of writing an entry use these: rapport.calendar.writer, which writes
the iCalendar text itself, and rapport.calendar.components, which builds
icalendar components (sync edits another client's file with them, and the
tests hold the writer's bytes against theirs).  No icalendar here.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from rapport import __version__, clock
from rapport.calendar.items import CalendarFollowUp
from rapport.errors import ValidationError
from rapport.words import rule_words

PRODID = f"-//rapport//rapport {__version__}//EN"
# A follow-up is a reminder, not a meeting: it gets a short slot and never
# makes the person look busy (TRANSP:TRANSPARENT).
TIMED_LENGTH = dt.timedelta(minutes=30)
ALL_DAY_ALARM_AT = dt.timedelta(hours=9)
# VTIMEZONEs cover the years the follow-ups fall in, and this many more for
# series that keep repeating (calendars that know the zone by name, as most
# do, need none of it; Outlook reads the definitions).
RECURRING_YEARS = 5

_SPAN = re.compile(r"^(\d{1,4})\s*(m|min|mins|minutes?|h|hours?|d|days?|w|weeks?)$")


def parse_alarm(text: str | None) -> dt.timedelta | None:
    """How long before a follow-up its alarm goes off; None for no alarm.

    ``default`` (or nothing) is at the due time (09:00 for all-day
    follow-ups); ``15m``, ``1h``, ``1d``, ``2w`` are that much earlier;
    ``none`` is no alarm.  Raises ValidationError.
    """
    value = " ".join(str(text or "default").lower().split())
    if value in ("default", "at", "0", "0m"):
        return dt.timedelta(0)
    if value in ("none", "no", "off"):
        return None
    match = _SPAN.match(value)
    if not match:
        raise ValidationError("alarm", f"can't read {text!r}; try 15m, 1h, 1d or none")
    amount = int(match.group(1))
    unit = match.group(2)[0]
    return {
        "m": dt.timedelta(minutes=amount),
        "h": dt.timedelta(hours=amount),
        "d": dt.timedelta(days=amount),
        "w": dt.timedelta(weeks=amount),
    }[unit]


def zone(name: str) -> dt.tzinfo:
    try:
        return ZoneInfo(name or clock.local_zone_name())
    except (ZoneInfoNotFoundError, ValueError):
        return clock.local_zone()


def start(due_date: dt.date, due_time: dt.time | None, tz: str) -> dt.date | dt.datetime:
    if due_time is None:
        return due_date
    return dt.datetime.combine(due_date, due_time).replace(tzinfo=zone(tz))


def _first_word_is_name(word: str, name: str) -> bool:
    return bool(name) and word.strip(":,'’s").lower() in name.lower().split()


def summary_text(title: str, contact_name: str = "") -> str:
    """ "Follow up: send Dana the deck", naming the contact when the title does not."""
    first, _, rest = title.partition(" ")
    if (
        len(first) > 1
        and first[0].isupper()
        and first[1:].islower()
        and not _first_word_is_name(first, contact_name)
    ):
        title = first.lower() + (" " + rest if rest else "")
    if contact_name:
        given = contact_name.split()[0].lower()
        if given not in title.lower():
            return f"Follow up with {contact_name}: {title}"
    return f"Follow up: {title}"


def description_text(item: CalendarFollowUp) -> str:
    """What a person needs to act from their phone: who, how to reach them, why, the last touch."""
    f, c = item.followup, item.contact
    lines = [f.title, ""]
    if c is not None:
        who = c.name
        position = ", ".join(p for p in (c.role, item.organization) if p)
        lines.append(f"With: {who}" + (f" ({position})" if position else ""))
        lines.extend(
            f"{label}: {value}"
            for label, value in (
                ("Email", c.email),
                ("Phone", c.phone),
                ("LinkedIn", c.linkedin_url),
            )
            if value
        )
    if f.rrule:
        lines.append(f"Repeats: {rule_words(f.rrule)}")
    if item.goals:
        lines.append("Goals: " + "; ".join(item.goals))
    if item.last_touch is not None:
        lines.append(f"Last contact: {item.last_touch.date.isoformat()}, {item.last_touch.what}")
    if f.notes:
        lines.extend(["", "Notes:", f.notes])
    # Only the blank line the layout may leave at the end: notes keep their own spacing.
    return "\n".join(lines).rstrip("\n")


_SPACE = re.compile(r"\s")  # what str.isspace() calls a space


def is_uri(text: str) -> bool:
    """Whether ``text`` can be a URL property: an older database or a restore may
    hold one with a line break or a space, which calendars refuse (and icalendar raises on)."""
    # One regex search and one str method, not two calls per character (a sixth of an entry).
    return bool(text) and text.isprintable() and not _SPACE.search(text)
