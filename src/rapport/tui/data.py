"""What the app loads, shaped for its lists and pickers; every function runs on the database thread.

Only service functions are called here (no query is built in ``tui/``): this
module turns their rows into what the screens show and search.  Each function
loads the services it calls: the app imports this module before it shows
Today, which needs none of them (the events', goals', interactions' (with
skills), interviews', links' and organizations' services: about 5 ms of
CPU at launch).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from rapport.tui.text import interaction_line, short_day
from rapport.tui.widgets.fields import Choice
from rapport.tui.widgets.tables import haystack

if TYPE_CHECKING:
    from rapport.services.contacts import ContactRow
    from rapport.services.interactions import InteractionRow
    from rapport.services.interviews import InterviewRow
    from rapport.services.links import WantedLink
    from rapport.services.orgs import OrganizationRow


@dataclass(frozen=True)
class ContactIndex:
    """Every contact (archived ones too) with the text a filter searches for each."""

    rows: list[ContactRow]
    haystacks: list[str]

    def part(self, archived: bool) -> tuple[list[ContactRow], list[str]]:
        pairs = [
            (r, h) for r, h in zip(self.rows, self.haystacks, strict=True) if r.archived == archived
        ]
        return [r for r, _ in pairs], [h for _, h in pairs]

    @cached_property
    def choices(self) -> list[Choice]:
        """Every contact as a picker offers it (built once per load)."""
        return [
            Choice(
                r.id,
                r.name,
                " · ".join(p for p in (r.organization, "archived" if r.archived else "") if p),
                h,
            )
            for r, h in zip(self.rows, self.haystacks, strict=True)
        ]


def contact_index() -> ContactIndex:
    from rapport.services import contacts as contact_service

    rows = contact_service.contact_rows(archived=None)
    return ContactIndex(
        rows,
        [haystack(r.name, r.organization, r.role, r.email, *r.tags, *r.goals) for r in rows],
    )


def organization_choices() -> list[Choice]:
    from rapport.services import orgs as org_service

    return [
        Choice(
            org.id,
            org.name,
            f"{org.contacts} people" if org.contacts != 1 else "1 person",
            haystack(org.name),
        )
        for org in org_service.list_organizations()
    ]


def goal_choices() -> list[Choice]:
    from rapport.services import goals as goal_service

    return [
        Choice(g.id, g.title, g.status, haystack(g.title, g.status))
        for g in goal_service.list_goals("all")
    ]


def event_choices() -> list[Choice]:
    from rapport import clock
    from rapport.services import events as event_service

    today = clock.today()
    return [
        Choice(
            row.id,
            row.name,
            short_day(row.start_date, today),
            haystack(row.name, row.location, row.kind),
        )
        for row in reversed(event_service.list_events())
    ]


def interview_choice(interview: InterviewRow) -> Choice:
    """An interview as a picker offers it: whom with, when, how it stands."""
    from rapport import clock

    name = interview.contact.name
    when = short_day(interview.scheduled_date, clock.today()) or "not scheduled"
    return Choice(
        interview.id,
        f"Interview with {name}",
        f"{when} · {interview.status}",
        haystack(name, interview.status, when),
    )


def interview_choices() -> list[Choice]:
    from rapport.services import interviews as interview_service

    return [interview_choice(row) for row in interview_service.list_interviews()]


def goal_links(kind: str, record_id: int) -> list[WantedLink]:
    """The goals a contact, interview, event or follow-up serves now."""
    from rapport.services import links as link_service
    from rapport.services.links import WantedLink

    return [
        WantedLink(g.id, g.role, g.note)
        for g in link_service.goals_of(link_service.Target(kind, record_id))
    ]


def save_goal_links(
    kind: str, record_id: int, opened: list[WantedLink], wanted: list[WantedLink]
) -> int:
    """Apply the person's change (``opened`` to ``wanted``) to the record's goals as
    they are now, keeping links changed elsewhere meanwhile; returns how many goals
    it serves."""
    from rapport.services import links as link_service

    target = link_service.Target(kind, record_id)
    return len(link_service.change_goal_links(target, opened, wanted))


def interaction_choices(contact_id: int) -> list[Choice]:
    """A contact's interactions, newest first, as a picker offers them."""
    from rapport.services import interactions as interaction_service

    return [
        Choice(
            r.id,
            interaction_line(r.date, r.channel, r.summary),
            ", ".join(c.name for c in r.contacts),
            haystack(r.date, r.channel, r.summary),
        )
        for r in interaction_service.list_interactions(contact=contact_id, limit=None)
    ]


def interaction_with_people(interaction_id: int) -> tuple[InteractionRow, list[Choice]]:
    """An interaction and the people in it, for its form."""
    from rapport.services import interactions as interaction_service

    interaction = interaction_service.interaction_row(interaction_id)
    return interaction, [Choice(c.id, c.name) for c in interaction.contacts]


def organization_of(contact_id: int) -> OrganizationRow | None:
    """The organization a contact works at, if any."""
    from rapport.services import contacts as contact_service
    from rapport.services import orgs as org_service

    contact = contact_service.contact_record(contact_id)
    return (
        org_service.organization_row(contact.organization_id) if contact.organization_id else None
    )
