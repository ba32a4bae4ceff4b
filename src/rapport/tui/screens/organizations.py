"""Organizations, a view under Contacts: where people work, renamed or removed in one place."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from textual import work
from textual.binding import Binding, BindingType

from rapport.services import contacts as contact_service
from rapport.services import orgs as org_service
from rapport.tui.screens.base import Deletion, ListScreen, RecordForms
from rapport.tui.screens.forms import organization_form
from rapport.tui.text import listing, plural
from rapport.tui.widgets.detail import Sheet
from rapport.tui.widgets.tables import Column, haystack


@dataclass(frozen=True)
class OrganizationLine:
    id: int
    name: str
    industry: str
    website: str
    people: int


def organization_rows() -> tuple[list[OrganizationLine], list[str]]:
    """Every organization with how many people work there (database thread)."""
    rows = [
        OrganizationLine(org.id, org.name, org.industry, org.website, org.contacts)
        for org in org_service.list_organizations()
    ]
    return rows, [haystack(r.name, r.industry, r.website) for r in rows]


def organization_sheet(organization_id: int) -> Sheet:
    org = org_service.organization_row(organization_id)
    sheet = Sheet().title(org.name)
    sheet.field("Industry", org.industry).field("Website", org.website)
    sheet.block("Notes", org.notes)
    people = [
        row
        for row in contact_service.contact_rows(archived=None, organization=org.name)
        if row.organization == org.name
    ]
    if people:
        sheet.section(f"People ({len(people)})", "o shows them on Contacts")
        for row in people:
            sheet.entry("", row.name, listing([row.role, "archived" if row.archived else ""]))
    else:
        sheet.section("People", "nobody works here (any more)")
    return sheet


class OrganizationsScreen(ListScreen[OrganizationLine]):
    """Every organization; renaming one renames it for everyone who works there."""

    MODE = "organizations"
    UNDER = "contacts"
    NOUN, NOUNS = "organization", "organizations"
    EMPTY = "No organization selected. They are made as you give contacts one (or a here)."
    SORT = "name"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add", "Add"),
        Binding("e", "edit", "Edit/rename"),
        Binding("o", "people", "Its people"),
        Binding("D,delete", "delete", "Delete"),
        Binding("escape", "leave_filter", "Contacts"),
    ]

    def columns(self) -> Sequence[Column[OrganizationLine]]:
        return [
            Column("name", "Organization", lambda r: r.name, min_width=16, weight=3),
            Column("industry", "Industry", lambda r: r.industry, min_width=10, weight=2),
            Column("people", "People", lambda r: str(r.people), width=6, sort=lambda r: -r.people),
        ]

    def filter_hint(self) -> str:
        return "name, industry, website"

    async def fetch(self) -> tuple[Sequence[OrganizationLine], Sequence[str]]:
        return await self.call(organization_rows)

    def describe(self, row: OrganizationLine) -> Sheet:
        return organization_sheet(row.id)

    def forms(self) -> RecordForms[Any, Any]:
        return RecordForms(
            new=organization_form,
            stored=org_service.organization_row,
            edit=organization_form,
            added=lambda o: f"Added {o.name}",
            saved=lambda o: f"Saved {o.name}",
        )

    def deletion(self, row: OrganizationLine) -> Deletion:
        return Deletion(
            f"Delete the organization {row.name}?",
            f"{plural(row.people, 'person', 'people')} work there; they stay, "
            "with no organization.",
            org_service.delete_organization,
            f"Deleted {row.name}",
        )

    async def action_people(self) -> None:
        row = self.need()
        if row is not None:
            await self.rapport.show_contacts(row.name)

    def open_organization(self, organization_id: int | None) -> None:
        """Arriving from Contacts: the cursor on this organization once loaded."""
        self._open(organization_id)

    @work(exclusive=True, group="open")
    async def _open(self, organization_id: int | None) -> None:
        if self.loaded_version != self.rapport.data_version:
            await self.load_now(None)
        if organization_id is not None:
            self.select(organization_id)
