"""Interactions, a view under Contacts: every touchpoint logged, newest first, to find and fix."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from textual.binding import Binding, BindingType

from rapport import clock
from rapport.services import interactions as interaction_service
from rapport.tui import data
from rapport.tui.screens.base import Deletion, ListScreen, RecordForms
from rapport.tui.screens.forms import log_form
from rapport.tui.text import day, delete_interaction_words, listing, relative, short_day
from rapport.tui.widgets.detail import Sheet
from rapport.tui.widgets.tables import Column, haystack

# Years of logging make a long list; the newest are the ones people look for.
SHOWN = 5_000

DIRECTION_MARKS = {"gave": "gave", "asked": "asked", "mutual": ""}


@dataclass(frozen=True)
class InteractionLine:
    id: int
    date: dt.date
    channel: str
    summary: str
    direction: str
    people: str
    contact_id: int | None  # the first person, to open
    order: int


def interaction_rows() -> tuple[list[InteractionLine], list[str]]:
    """The newest interactions with the people in each (database thread)."""
    rows = [
        InteractionLine(
            id=r.id,
            date=r.date,
            channel=r.channel,
            summary=r.summary,
            direction=r.direction,
            people=listing(c.name for c in r.contacts),
            contact_id=r.contacts[0].id if r.contacts else None,
            order=index,
        )
        for index, r in enumerate(interaction_service.list_interactions(limit=SHOWN))
    ]
    return rows, [haystack(r.people, r.summary, r.channel, r.direction) for r in rows]


def interaction_sheet(interaction_id: int) -> Sheet:
    today = clock.today()
    interaction = interaction_service.interaction_row(interaction_id)
    people = interaction.contacts
    sheet = Sheet().title(interaction.summary or f"A {interaction.channel}", interaction.channel)
    sheet.field("When", f"{day(interaction.date)} ({relative(interaction.date, today)})")
    sheet.field("With", listing(c.name for c in people))
    directions = {"gave": "I gave help", "asked": "I asked for help"}
    sheet.field("Direction", directions.get(interaction.direction, "mutual"))
    sheet.block("Notes", interaction.notes)
    return sheet


class InteractionsScreen(ListScreen[InteractionLine]):
    """The log of touchpoints; enter edits one, D deletes it."""

    MODE = "interactions"
    UNDER = "contacts"
    NOUN, NOUNS = "interaction", "interactions"
    EMPTY = "Nothing logged yet: l on a contact logs a coffee, a call, a message."
    SORT, SORT_REVERSE = "date", True  # newest first

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add", "Log"),
        Binding("e", "edit", "Edit"),
        Binding("o", "open_contact", "Open contact"),
        Binding("D,delete", "delete", "Delete"),
        Binding("escape", "leave_filter", "Contacts"),
    ]

    def columns(self) -> Sequence[Column[InteractionLine]]:
        today = clock.today()
        return [
            Column(
                "date",
                "Date",
                lambda r: short_day(r.date, today),
                width=12,
                sort=lambda r: (r.date, -r.order),  # the last logged first on a day
            ),
            Column("channel", "How", lambda r: r.channel, width=7),
            Column("people", "With", lambda r: r.people, min_width=12, weight=2),
            Column("summary", "Summary", lambda r: r.summary, min_width=14, weight=3),
            Column("direction", "", lambda r: DIRECTION_MARKS.get(r.direction, ""), width=5),
        ]

    def filter_hint(self) -> str:
        return "who, what, how"

    def status_suffix(self) -> str:
        return f" · the newest {SHOWN:,}" if self.table.total >= SHOWN else ""

    async def fetch(self) -> tuple[Sequence[InteractionLine], Sequence[str]]:
        return await self.call(interaction_rows)

    def describe(self, row: InteractionLine) -> Sheet:
        return interaction_sheet(row.id)

    def forms(self) -> RecordForms[Any, Any]:
        return RecordForms(
            new=lambda: log_form(self.rapport, []),
            stored=data.interaction_with_people,
            edit=lambda stored: log_form(self.rapport, stored[1], stored[0]),
            added=lambda saved: f"Logged the {saved.channel} on {day(saved.date)}",
            saved=lambda saved: f"Saved the {saved.channel} of {day(saved.date)}",
        )

    def deletion(self, row: InteractionLine) -> Deletion:
        return Deletion(
            *delete_interaction_words(row.date, row.channel, row.people, row.summary),
            interaction_service.delete_interaction,
            "Deleted the interaction",
        )

    async def action_open_contact(self) -> None:
        row = self.need()
        if row is not None and row.contact_id is not None:
            await self.rapport.open_contact(row.contact_id)
