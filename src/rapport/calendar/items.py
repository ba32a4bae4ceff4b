"""The plain values that pass between services and the calendar formats.

Services fill these from the database and store what they carry; the
formats turn them into iCalendar and back.  No icalendar and no database
here, so a service can name them without paying for either.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple, Protocol

CALENDAR_NAME = "rapport follow-ups"

# -- export ------------------------------------------------------------------


@dataclass(frozen=True)
class ExportOptions:
    """Which follow-ups to export and how (the options of ``rapport export ics``)."""

    goal: object = None
    contact: object = None
    since: object = None
    until: object = None
    include_done: bool = False
    todo: bool = False
    alarm: str = "default"
    sync: bool = False
    name: str = CALENDAR_NAME

    def filters(self) -> list[str]:
        """The options given that leave follow-ups out: ``["--goal", "--from"]``."""
        return [flag for name, flag in _FILTERS.items() if getattr(self, name) is not None]


# The options of ``export ics`` that leave follow-ups out, by the field each sets.
_FILTERS = {"goal": "--goal", "contact": "--contact", "since": "--from", "until": "--to"}


@dataclass(frozen=True)
class ExportSummary:
    """What an export wrote: open and closed (cancelled/completed) entries;
    for a vdir also the files written, left unchanged and removed."""

    target: str
    open: int
    closed: int
    written: int = 0
    unchanged: int = 0
    removed: int = 0

    @property
    def total(self) -> int:
        return self.open + self.closed


def due_text(date: dt.date, time: dt.time | None, tz: str) -> str:
    """A due date (and wall-clock time in zone ``tz``) as one comparable text.

    "2026-11-25" all day, "2026-11-25T10:00:00 Europe/Berlin" timed, no zone
    for floating time: how the sync record keeps the due field of both sides.
    """
    if time is None:
        return date.isoformat()
    text = f"{date.isoformat()}T{time.replace(microsecond=0).isoformat()}"
    return f"{text} {tz}" if tz else text


def parse_due_text(text: str) -> tuple[dt.date, dt.time | None, str]:
    """The (date, time, zone) a ``due_text`` says; ValueError if it says none."""
    moment, _, tz = text.partition(" ")
    if "T" not in moment:
        return dt.date.fromisoformat(moment), None, ""
    parsed = dt.datetime.fromisoformat(moment)
    return parsed.date(), parsed.time(), tz


@dataclass(frozen=True)
class LastTouch:
    """The latest interaction (or done interview) with a contact."""

    date: dt.date
    what: str


@dataclass(frozen=True)
class CalendarFollowUp:
    """A follow-up with everything its calendar entry says."""

    # The follow-up and contact rows, read for their columns only: the
    # service has joined everything the calendar entry says.
    followup: Any
    contact: Any
    organization: str
    goals: tuple[str, ...]
    last_touch: LastTouch | None


@dataclass(frozen=True)
class DeletedFollowUp:
    """A deleted follow-up, as its tombstone remembers it."""

    uid: str
    title: str
    due_date: dt.date
    due_time: dt.time | None
    tz: str
    sequence: int
    deleted_at: dt.datetime


class EntryInputs(NamedTuple):
    """What one follow-up's calendar entry is made from, as the database holds it
    (unconverted): a vdir export digests it to know a file is still what it would
    write, without building the follow-up's row."""

    uid: str
    closed: bool
    sequence: int
    due_date: str
    timed: bool
    tz: str
    rrule: str
    values: tuple[Any, ...]
    # The contact's last touch as this read found it, so that the full read of
    # the same snapshot need not look it up again (not part of the digest: in values).
    contact_id: int | None = None
    last_touch: LastTouch | None = None


# Contact id -> the last touch already read (None: the contact has none).
KnownTouches = Mapping[int, LastTouch | None]


class FollowUpSource(Protocol):
    """Where an export reads its follow-ups: rapport.services.calendar."""

    def followups_for_calendar(
        self,
        *,
        goal: object = None,
        contact: object = None,
        since: object = None,
        until: object = None,
        include_done: bool = False,
        touches: KnownTouches | None = None,
    ) -> list[CalendarFollowUp]: ...

    def followup_inputs(
        self,
        *,
        goal: object = None,
        contact: object = None,
        since: object = None,
        until: object = None,
        include_done: bool = False,
    ) -> list[EntryInputs]: ...

    def followups_by_uid(
        self, uids: Iterable[str], *, touches: KnownTouches | None = None
    ) -> list[CalendarFollowUp]: ...

    def deleted_followups(
        self, *, since: object = None, until: object = None, uids: Iterable[str] | None = None
    ) -> list[DeletedFollowUp]: ...

    def known_followup_uids(self, uids: Iterable[str]) -> set[str]: ...


# -- import ------------------------------------------------------------------


@dataclass(frozen=True)
class IncomingEvent:
    """One event read from a calendar file, in rapport's terms.

    Times are wall-clock times in ``tz`` (an IANA name, "" for all-day).
    ``exdates`` are the excluded occurrences as ISO dates or datetimes in the
    same wall clock.  ``where`` says where it is in the file, for messages.
    """

    uid: str
    name: str
    start_date: dt.date
    start_time: dt.time | None = None
    end_date: dt.date | None = None
    end_time: dt.time | None = None
    tz: str = ""
    location: str = ""
    url: str = ""
    description: str = ""
    rrule: str = ""
    exdates: tuple[str, ...] = ()
    sequence: int = 0
    cancelled: bool = False
    attendee_emails: tuple[str, ...] = ()
    attendee_names: tuple[tuple[str, str], ...] = ()  # (email, CN) where the file names them
    organizer: str = ""  # the ORGANIZER's email, also among attendee_emails ("" for none)
    categories: tuple[str, ...] = ()
    where: str = ""


@dataclass(frozen=True)
class ImportedEvent:
    """What happened to one incoming event."""

    action: str  # created, updated, unchanged, cancelled, skipped-cancelled, skipped-older
    name: str
    start_date: dt.date
    start_time: dt.time | None
    event_id: int | None
    rrule: str = ""
    attendees: tuple[str, ...] = ()
    attendee_ids: tuple[int, ...] = ()  # the contacts ``attendees`` names
    # Attendees no contact has the email of: (email, the name the event gives or "").
    unmatched: tuple[tuple[str, str], ...] = ()


@dataclass
class ImportSummary:
    """What an import did (or, for a dry run, would do)."""

    events: list[ImportedEvent] = field(default_factory=list)
    ignored: Counter[str] = field(default_factory=Counter)
    dry_run: bool = False
    warnings: list[str] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(1 for e in self.events if e.action == action)

    @property
    def attendees_matched(self) -> int:
        """How many contacts are among the file's attendees, each once."""
        return len({i for e in self.events for i in e.attendee_ids})

    @property
    def attendees_unmatched(self) -> list[str]:
        """Everyone in the file's events no contact has the email of, once per
        email, with the first name the file gives them: ``Yolanda Ruiz
        <yolanda@x.example>``, or the email alone."""
        names: dict[str, str] = {}
        for email, name in (p for e in self.events for p in e.unmatched):
            if not names.get(email):
                names[email] = name
        return [f"{name} <{email}>" if name else email for email, name in names.items()]


ACTION_WORDS = {
    "created": "new",
    "updated": "updated",
    "unchanged": "unchanged",
    "cancelled": "cancelled",
    "skipped-cancelled": "cancelled, skipped",
    "skipped-older": "older, skipped",
}


UNMATCHED_NAMED = 10  # the summary names this many people it left out, then counts


def summary_line(summary: ImportSummary) -> str:
    """One line: what the import did (or would do), and what it left out."""
    parts = [
        f"{summary.count('created')} new",
        f"{summary.count('updated')} updated",
        f"{summary.count('unchanged')} unchanged",
    ]
    cancelled = summary.count("cancelled")
    if cancelled:
        parts.append(f"{cancelled} cancelled (marked skipped)")
    for action, words in (
        ("skipped-cancelled", "cancelled and skipped"),
        ("skipped-older", "older than what you have, skipped"),
    ):
        if summary.count(action):
            parts.append(f"{summary.count(action)} {words}")
    if summary.attendees_matched:
        n = summary.attendees_matched
        parts.append(f"{n} of your contacts among the attendees")
    unmatched = summary.attendees_unmatched
    if unmatched:
        # Said, not dropped in silence: the person may want to add them.
        named = ", ".join(unmatched[:UNMATCHED_NAMED])
        more = len(unmatched) - UNMATCHED_NAMED
        named += f" and {more} more" if more > 0 else ""
        people = "person" if len(unmatched) == 1 else "people"
        parts.append(f"{len(unmatched)} {people} not among your contacts, not added ({named})")
    ignored = ", ".join(f"{n} {name}" for name, n in sorted(summary.ignored.items()))
    head = "Dry run, nothing written: would import" if summary.dry_run else "Imported"
    events = len(summary.events)
    line = f"{head} {events} {'event' if events == 1 else 'events'}: " + ", ".join(parts)
    if ignored:
        line += f"; ignored {ignored}"
    for warning in summary.warnings:
        line += f"\nnote: {warning}"
    return line
