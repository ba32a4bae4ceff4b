"""Events: conferences, meetups, workshops, webinars and career fairs, and whom I met there."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, ClassVar

from textual import work
from textual.binding import Binding, BindingType

from rapport import clock
from rapport.services import events as event_service
from rapport.tui.screens.base import Deletion, ListScreen, RecordForms, edit_goal_links
from rapport.tui.screens.forms import attendees_form, event_form, followup_form
from rapport.tui.text import day, listing, relative, short_day
from rapport.tui.widgets.detail import Sheet
from rapport.tui.widgets.fields import Choice
from rapport.tui.widgets.tables import Column, haystack
from rapport.words import rule_words


@dataclass(frozen=True)
class EventLine:
    id: int
    name: str
    kind: str
    start: dt.date
    status: str
    my_role: str
    met: int
    people: str  # "5 met there", "2 going", "1 was there", as events list says
    location: str


def event_rows() -> tuple[list[EventLine], list[str]]:
    rows = [
        EventLine(
            id=r.id,
            name=r.name,
            kind=r.kind,
            start=r.start_date,
            status=r.status,
            my_role=r.my_role,
            met=r.attendee_count,
            people=r.people_words,
            location=r.location,
        )
        for r in event_service.list_events()
    ]
    return rows, [haystack(r.name, r.kind, r.status, r.location) for r in rows]


def event_sheet(event_id: int) -> Sheet:
    today = clock.today()
    ev = event_service.event_detail(event_id)
    sheet = Sheet().title(ev.name, f"{ev.kind}, {ev.status}")
    when = day(ev.start_date) + (f" {ev.start_time:%H:%M}" if ev.start_time else "")
    if ev.end_date and ev.end_date != ev.start_date:
        when += f" – {day(ev.end_date)}"
    if ev.end_time:
        when += f" {ev.end_time:%H:%M}" if ev.end_date != ev.start_date else f"–{ev.end_time:%H:%M}"
    sheet.field("When", f"{when} ({relative(ev.start_date, today)})")
    if ev.rrule:
        sheet.field("Repeats", rule_words(ev.rrule))
        coming = ev.next_dates
        sheet.field(
            "Next",
            listing(day(m.date()) + (f" {m:%H:%M}" if ev.start_time else "") for m in coming)
            or "no more dates",
        )
    sheet.field("Where", ev.location).field("Web", ev.url).field("My role", ev.my_role)
    sheet.field("Goals", listing(goal.title for goal in ev.goals) or "none (g links)")
    sheet.block("Notes", ev.notes)
    people = ev.attendees
    sheet.section(f"{ev.attendees_heading} ({len(people)})", "m adds people")
    if people:
        sheet.text(listing(p.name for p in people))
    return sheet


class EventsScreen(ListScreen[EventLine]):
    MODE = "events"
    NOUN, NOUNS = "event", "events"
    EMPTY = "No events yet. Press a to add one."
    SORT = "start"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add", "Add"),
        Binding("e", "edit", "Edit"),
        Binding("m", "met", "Met people"),
        Binding("g", "goals", "Goals"),
        Binding("f", "follow_up", "Follow-up", show=False),
        Binding("D,delete", "delete", "Delete", show=False),
    ]

    def columns(self) -> Sequence[Column[EventLine]]:
        today = clock.today()
        return [
            Column(
                "start",
                "Date",
                lambda r: short_day(r.start, today),
                width=11,  # "25 Jan 2027", "Mon 14 Dec": the event's name has the rest
                sort=lambda r: r.start,
            ),
            Column("name", "Event", lambda r: r.name, min_width=16),
            Column("kind", "Kind", lambda r: r.kind, width=11),
            Column("status", "Status", lambda r: r.status, width=11),
            # As wide as its words ("12 were there" at most), the name keeping the rest.
            Column(
                "met",
                "People",
                lambda r: r.people,
                min_width=6,
                max_width=13,
                sort=lambda r: (r.met, r.people),
            ),
        ]

    def filter_hint(self) -> str:
        return "name, kind, place"

    async def fetch(self) -> tuple[Sequence[EventLine], Sequence[str]]:
        return await self.call(event_rows)

    def describe(self, row: EventLine) -> Sheet:
        return event_sheet(row.id)

    def forms(self) -> RecordForms[Any, Any]:
        return RecordForms(
            new=lambda: event_form(self.rapport),
            stored=event_service.event_row,
            edit=partial(event_form, self.rapport),
            added=lambda e: f"Added {e.name}",
            saved=lambda e: f"Saved {e.name}",
            contacts=False,
        )

    @work(exclusive=True, group="act")
    async def action_met(self) -> None:
        row = self.need()
        if row is not None:
            await self.run_form(
                attendees_form(self.rapport, row.id, row.name),
                lambda people: f"Met at {row.name}: {listing(p.name for p in people)}",
                keep=row.id,
                contacts=False,
            )

    @work(exclusive=True, group="act")
    async def action_goals(self) -> None:
        row = self.need()
        if row is not None:
            await edit_goal_links(self, "event", row.id, row.name)

    @work(exclusive=True, group="act")
    async def action_follow_up(self) -> None:
        row = self.selected
        await self.run_form(
            followup_form(self.rapport, event=Choice(row.id, row.name) if row else None),
            lambda f: f"Follow-up due {day(f.due_date)}: {f.title}",
            keep=row.id if row else None,
            contacts=False,
        )

    def deletion(self, row: EventLine) -> Deletion:
        return Deletion(
            f"Delete the event “{row.name}”?",
            "Who you met there is forgotten; the people and follow-ups stay.",
            event_service.delete_event,
            f"Deleted {row.name}",
            contacts=False,
        )
