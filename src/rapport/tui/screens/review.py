"""Review: for each active goal, the people behind it and when I last spoke to each.

This tab is a placeholder for the weekly review (services/review.py, built
on another branch); it lives in its own module so it can be replaced whole.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static

from rapport import clock
from rapport.services import contacts as contact_service
from rapport.services import goals as goal_service
from rapport.tui.screens.base import TabScreen
from rapport.tui.text import day, relative
from rapport.tui.widgets.grouped import GroupedList, Heading
from rapport.tui.widgets.tables import Column


@dataclass(frozen=True)
class ReviewLine:
    contact_id: int
    name: str
    role: str
    last: dt.date | None
    next_due: dt.date | None


def review_lines() -> list[object]:
    """Per active goal, its people with their last contact (database thread)."""
    today = clock.today()
    goals = goal_service.list_goals("active")
    serving = {g.id: goal_service.contacts_serving(g) for g in goals}
    ids = {c.id for people in serving.values() for _, c in people}
    last = contact_service.last_contacted(ids, today=today)
    lines: list[object] = []
    for goal in goals:
        people = serving[goal.id]
        note = (
            f"{len(people)} {'person' if len(people) == 1 else 'people'}"
            if people
            else ("nobody behind this goal yet: link contacts from the Goals tab (c)")
        )
        lines.append(Heading(goal.title, note))
        for link, person in people:
            seen = last.get(person.id)
            lines.append(
                ReviewLine(
                    contact_id=person.id,
                    name=person.name,
                    role=link.role,
                    last=seen,
                    next_due=contact_service.next_touch_due(
                        person.cadence_days, seen, person.connected_on, person.created_at
                    ),
                )
            )
    return lines


def _last(line: ReviewLine) -> str:
    today = clock.today()
    return f"last {relative(line.last, today)}" if line.last else "never contacted"


def _due(line: ReviewLine) -> str:
    if line.next_due is None:
        return ""
    today = clock.today()
    return ("overdue " if line.next_due < today else "due ") + relative(line.next_due, today)


COLUMNS: list[Column[ReviewLine]] = [
    Column("name", "Who", lambda r: r.name, min_width=16),
    Column("role", "Role", lambda r: r.role, width=14, style=lambda r: "$text-accent"),
    Column("last", "Last contact", _last, width=18),
    Column(
        "due",
        "Next",
        _due,
        width=22,
        style=lambda r: (
            "$text-error" if r.next_due and r.next_due < clock.today() else "$text-muted"
        ),
    ),
]


class ReviewScreen(TabScreen):
    MODE = "review"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("o", "open_contact", "Open contact"),
        Binding("l", "log", "Log interaction"),
    ]

    def compose_body(self) -> ComposeResult:
        yield Static("", id="review-title", markup=False)
        yield GroupedList(COLUMNS, id="review", indent=2)

    @property
    def lines(self) -> GroupedList:
        return self.query_one("#review", GroupedList)

    def on_mount(self) -> None:
        self.lines.focus()

    async def load_now(self, keep: int | None) -> None:
        version = self.rapport.data_version
        lines = await self.call(review_lines)
        self.loaded_version = version
        goals = sum(isinstance(x, Heading) for x in lines)
        self.query_one("#review-title", Static).update(
            f"Review, {day(clock.today())}  ·  {goals} active goal{'s' if goals != 1 else ''}"
        )
        self.lines.show(lines)

    async def action_open_contact(self) -> None:
        line = self.lines.current
        if isinstance(line, ReviewLine):
            await self.rapport.open_contact(line.contact_id)

    @on(GroupedList.Chosen, "#review")
    async def _chosen(self) -> None:
        await self.action_open_contact()

    @work(exclusive=True, group="act")
    async def action_log(self) -> None:
        line = self.lines.current
        if isinstance(line, ReviewLine):
            await self.log_with(line.contact_id, line.name)
