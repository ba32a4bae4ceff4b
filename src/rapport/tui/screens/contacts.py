"""Contacts: the whole network, filtered as you type, with each person's story beside the list."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import partial
from typing import Any, ClassVar

from textual import work
from textual.binding import Binding, BindingType

from rapport import clock
from rapport.dates import birthday_text
from rapport.services import contacts as contact_service
from rapport.services import interactions as interaction_service
from rapport.services.contacts import ContactRow
from rapport.services.fields import CONTACT_LABELS
from rapport.tui import data
from rapport.tui.screens.base import Deletion, ListScreen, RecordForms, edit_goal_links
from rapport.tui.screens.forms import (
    contact_form,
    followup_form,
    interview_form,
    log_form,
)
from rapport.tui.screens.picker import PickerScreen
from rapport.tui.text import day, delete_interaction_words, listing, relative
from rapport.tui.widgets.detail import Sheet
from rapport.tui.widgets.fields import Choice
from rapport.tui.widgets.tables import Column
from rapport.words import plural

TIMELINE_SHOWN = 60


def _due_style(row: ContactRow) -> str:
    today = clock.today()
    return "$text-error" if row.next_due and row.next_due < today else ""


def _columns() -> list[Column[ContactRow]]:
    today = clock.today()
    never = dt.date.min
    return [
        Column("name", "Name", lambda r: r.name, min_width=14, max_width=30, weight=3),
        Column(
            "organization",
            "Organization",
            lambda r: r.organization,
            min_width=10,
            max_width=26,
            weight=2,
        ),
        Column(
            "last",
            CONTACT_LABELS["last_contacted"],
            lambda r: relative(r.last_contacted, today),
            width=12,
            sort=lambda r: r.last_contacted or never,
        ),
        Column(
            "due",
            CONTACT_LABELS["next_due"],
            lambda r: relative(r.next_due, today),
            width=12,
            sort=lambda r: r.next_due or dt.date.max,
            style=_due_style,
        ),
        Column("tags", "Tags", lambda r: ", ".join(r.tags), min_width=6),
    ]


def contact_sheet(contact_id: int) -> Sheet:
    """Everything about a contact, for the detail pane (runs on the database thread)."""
    today = clock.today()
    d = contact_service.contact_detail(contact_id, today=today)
    c = d.contact
    sheet = Sheet().title(c.name, "archived" if c.archived else "")
    if c.role or d.organization:
        sheet.text(" at ".join(p for p in (c.role, d.organization) if p))
    sheet.blank()
    label = CONTACT_LABELS  # as `rapport contacts show` calls them
    sheet.field(label["email"], c.email)
    sheet.field(label["other_emails"], listing(c.other_emails.splitlines()))
    sheet.field(label["phone"], c.phone)
    sheet.field(label["other_phones"], listing(c.other_phones.splitlines()))
    sheet.field(label["linkedin_url"], c.linkedin_url)
    sheet.field(label["location"], c.location)
    sheet.field(label["birthday"], birthday_text(c.birthday) if c.birthday else "")
    sheet.field(label["how_met"], c.how_met)
    if c.connected_on:
        sheet.field(
            label["connected_on"], f"{day(c.connected_on)} ({relative(c.connected_on, today)})"
        )
    if d.introduced_by:
        sheet.field(label["introduced_by"], d.introduced_by.name)
    if d.met_at:
        sheet.field(label["met_at"], f"{d.met_at.name} ({day(d.met_at.start_date)})")
    sheet.field(label["tags"], ", ".join(c.tag_list))
    if d.last_contacted:
        sheet.field(
            label["last_contacted"],
            f"{day(d.last_contacted)} ({relative(d.last_contacted, today)})",
        )
    else:
        sheet.field(label["last_contacted"], "never")
    if c.cadence_days:
        sheet.field(label["cadence_days"], f"every {plural(c.cadence_days, 'day')}")
    due = d.next_due  # with a cadence only
    if due:
        late = "$text-error" if due < today else ""
        sheet.field(label["next_due"], f"{day(due)} ({relative(due, today)})", late)
    if d.goals:
        sheet.section("Goals", "g to change")
        for g in d.goals:
            sheet.entry("", g.title, listing([g.role, g.note]))
    else:
        sheet.section("Goals", "none yet: g links this contact to a goal")
    if d.introduced:
        sheet.section("Introduced me to")
        sheet.text(listing(p.name for p in d.introduced))
    sheet.block(label["notes"], c.notes)
    sheet.section(
        "Timeline", plural(len(d.timeline), "entry", "entries") if d.timeline else "nothing yet"
    )
    for entry in d.timeline[:TIMELINE_SHOWN]:
        sheet.entry(
            day(entry.date) if entry.date else "(no date)",
            f"{entry.kind}: {entry.title}",
            entry.detail,
        )
    if len(d.timeline) > TIMELINE_SHOWN:
        older = plural(len(d.timeline) - TIMELINE_SHOWN, "older entry", "older entries")
        sheet.text(f"… and {older}", "$text-muted")
    return sheet


class ContactsScreen(ListScreen[ContactRow]):
    """The network; ``v`` switches to the archived contacts and back."""

    MODE = "contacts"
    NOUN, NOUNS = "contact", "contacts"
    EMPTY = "No contacts yet. Press a to add one, or I to import a file."
    SORT = "name"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add", "Add"),
        Binding("e", "edit", "Edit"),
        Binding("l", "log", "Log"),
        Binding("f", "follow_up", "Follow-up"),
        Binding("g", "goals", "Goals"),
        Binding("i", "interview", "Interview", show=False),
        Binding("t", "edit_interaction", "Edit an interaction", show=False),
        Binding("T", "delete_interaction", "Delete an interaction", show=False),
        Binding("O", "organizations", "Organizations", show=False),
        Binding("L", "interactions", "All interactions", show=False),
        Binding("x", "archive", "Archive/restore", show=False),
        Binding("v", "toggle_archived", "Archived view", show=False),
        Binding("D,delete", "delete", "Delete", show=False),
    ]

    def __init__(self) -> None:
        self.archived_view = False
        super().__init__()

    def columns(self) -> Sequence[Column[ContactRow]]:
        return _columns()

    def filter_hint(self) -> str:
        return "name, organization, tag, goal"

    async def fetch(self) -> tuple[Sequence[ContactRow], Sequence[str]]:
        index = await self.rapport.contacts()
        return index.part(self.archived_view)

    def status_prefix(self) -> str:
        return "archived: " if self.archived_view else ""

    def empty_text(self) -> str:
        if self.archived_view and not self.table.total:
            return "No archived contacts. x on a contact archives it; v goes back."
        return super().empty_text()

    def describe(self, row: ContactRow) -> Sheet:
        return contact_sheet(row.id)

    @property
    def person(self) -> Choice | None:
        row = self.selected
        return Choice(row.id, row.name) if row else None

    # -- actions ---------------------------------------------------------------------

    async def add_record(self) -> None:
        # A new contact is not archived: it shows among the others.
        if self.archived_view:
            self.archived_view = False
        await super().add_record()

    def forms(self) -> RecordForms[Any, Any]:
        return RecordForms(
            new=lambda: contact_form(self.rapport),
            stored=contact_service.contact_detail,
            edit=partial(contact_form, self.rapport),
            added=lambda c: f"Added {c.name}",
            saved=lambda c: f"Saved {c.name}",
        )

    @work(exclusive=True, group="act")
    async def action_log(self) -> None:
        row = self.need()
        if row is not None:
            await self.log_with(row.id, row.name, keep=row.id)

    @work(exclusive=True, group="act")
    async def action_follow_up(self) -> None:
        await self.run_form(
            followup_form(self.rapport, contact=self.person),
            lambda f: f"Follow-up due {day(f.due_date)}: {f.title}",
            keep=self.person.id if self.person else None,
        )

    @work(exclusive=True, group="act")
    async def action_interview(self) -> None:
        await self.run_form(
            interview_form(self.rapport, contact=self.person),
            lambda iv: "Interview planned: see the Interviews tab (4)",
            keep=self.person.id if self.person else None,
        )

    @work(exclusive=True, group="act")
    async def action_goals(self) -> None:
        row = self.need()
        if row is not None:
            await edit_goal_links(self, "contact", row.id, row.name)

    @work(exclusive=True, group="act")
    async def action_archive(self) -> None:
        row = self.need()
        if row is None:
            return
        await self.write(
            contact_service.set_archived,
            row.id,
            not row.archived,
            done=(
                f"Restored {row.name}"
                if row.archived
                else f"Archived {row.name} (v shows archived contacts; x there restores)"
            ),
        )

    def action_toggle_archived(self) -> None:
        self.archived_view = not self.archived_view
        self.notify(
            "Archived contacts (x restores, v goes back)" if self.archived_view else "Contacts",
            timeout=3,
        )
        self.reload()

    def deletion(self, row: ContactRow) -> Deletion:
        return Deletion(
            f"Delete {row.name}?",
            "Their interviews, follow-ups and goal links go too, and interactions no one "
            "else took part in. Archiving (x) hides them instead and can be undone.",
            contact_service.delete_contact,
            f"Deleted {row.name}",
        )

    async def _pick_interaction(self, row: ContactRow, verb: str) -> Choice | None:
        choices = await self.call(data.interaction_choices, row.id)
        if not choices:
            self.notify(f"Nothing logged with {row.name} yet (l logs).", timeout=3)
            return None
        picked = await self.app.push_screen_wait(
            PickerScreen(f"{verb} which interaction with {row.name}?", choices)
        )
        return picked[0] if picked else None

    @work(exclusive=True, group="act")
    async def action_edit_interaction(self) -> None:
        row = self.need()
        chosen = await self._pick_interaction(row, "Edit") if row else None
        if row is None or chosen is None or chosen.id is None:
            return
        await self.run_edit(
            data.interaction_with_people,
            lambda stored: log_form(self.rapport, stored[1], stored[0]),
            chosen.id,
            lambda saved: f"Saved the {saved.channel} of {day(saved.date)}",
            keep=row.id,
        )

    @work(exclusive=True, group="act")
    async def action_delete_interaction(self) -> None:
        row = self.need()
        chosen = await self._pick_interaction(row, "Delete") if row else None
        if row is None or chosen is None or chosen.id is None:
            return
        stored = await self.call(data.interaction_with_people, chosen.id)
        interaction, people = stored
        await self.delete(
            *delete_interaction_words(
                interaction.date,
                interaction.channel,
                ", ".join(p.label for p in people),
                interaction.summary,
            ),
            interaction_service.delete_interaction,
            interaction.id,
            "Deleted the interaction",
        )

    async def action_organizations(self) -> None:
        """Organizations, with the cursor on the selected contact's."""
        row = self.selected
        org = await self.call(data.organization_of, row.id) if row else None
        await self.rapport.show_organization(org.id if org else None)

    async def action_interactions(self) -> None:
        await self.app.switch_mode("interactions")

    # -- arriving from another tab ----------------------------------------------

    def show_matching(self, text: str) -> None:
        """The active contacts matching ``text`` (an organization's people)."""
        if self.archived_view:
            self.archived_view = False
            self.reload()
        box = self.filter_box
        box.value = text
        self._apply_filter(text)
        self.set_focus(self.table)

    def open_record(self, record_id: int) -> None:
        self.open_contact(record_id)

    @work(exclusive=True, group="open")
    async def open_contact(self, contact_id: int) -> None:
        index = await self.rapport.contacts()
        row = next((r for r in index.rows if r.id == contact_id), None)
        if row is None:
            self.notify("That contact no longer exists.", severity="warning")
            return
        if row.archived != self.archived_view or self.loaded_version != self.rapport.data_version:
            self.archived_view = row.archived
            await self.reload_here(None)  # counts as loaded: the keys typed next wait for it
        self.select(contact_id)
