"""Goals: what the networking is for, with the people and follow-ups behind each."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from textual import work
from textual.binding import Binding, BindingType

from rapport import clock
from rapport.models import GOAL_PRIORITIES
from rapport.services import contacts as contact_service
from rapport.services import followups as followup_service
from rapport.services import goals as goal_service
from rapport.services import skills as skill_service
from rapport.services.goals import GoalRow
from rapport.tui.screens.base import Deletion, ListScreen, RecordForms
from rapport.tui.screens.forms import goal_form, link_contacts_form
from rapport.tui.text import day, listing, relative, short_day
from rapport.tui.widgets.detail import Sheet
from rapport.tui.widgets.fields import Choice
from rapport.tui.widgets.tables import Column, haystack
from rapport.words import plural


@dataclass(frozen=True)
class GoalLine:
    id: int
    title: str
    status: str
    horizon: str
    priority: str
    target: dt.date | None
    people: int
    parent: str
    order: int


def _steps_under_parents(goals: list[GoalRow]) -> list[GoalRow]:
    """The service's order, with each goal's steps right after it."""
    known = {g.id for g in goals}
    children: dict[int | None, list[GoalRow]] = {}
    for g in goals:
        parent = g.parent_id if g.parent_id in known else None
        children.setdefault(parent, []).append(g)
    ordered: list[GoalRow] = []

    def visit(parent: int | None) -> None:
        for g in children.get(parent, []):
            if g not in ordered:
                ordered.append(g)
                visit(g.id)

    visit(None)
    # A cycle (which the service refuses) would leave goals out: keep them anyway.
    return ordered + [g for g in goals if g not in ordered]


def goal_rows() -> tuple[list[GoalLine], list[str]]:
    """Goals with how many contacts serve each, steps after their parent (database thread)."""
    goals = _steps_under_parents(goal_service.list_goals("all"))
    counts = goal_service.link_counts()
    titles = {g.id: g.title for g in goals}
    rows = []
    for index, g in enumerate(goals):
        rows.append(
            GoalLine(
                id=g.id,
                title=g.title,
                status=g.status,
                horizon=g.horizon,
                priority=GOAL_PRIORITIES.get(g.priority, ""),
                target=g.target_date,
                people=counts.get(g.id, 0),
                parent=titles.get(g.parent_id, "") if g.parent_id else "",
                order=index,
            )
        )
    return rows, [haystack(r.title, r.status, r.parent, r.horizon) for r in rows]


def goal_with_parent(goal_id: int) -> tuple[GoalRow, Choice | None]:
    """A goal and the goal it is a step of, for its form (database thread)."""
    goal = goal_service.goal_detail(goal_id)
    parent = goal.parent
    return goal, Choice(parent.id, parent.title) if parent else None


def goal_sheet(goal_id: int) -> Sheet:
    today = clock.today()
    goal = goal_service.goal_detail(goal_id)
    sheet = Sheet().title(goal.title, goal.status)
    horizon = {"short": "short-term (1–2 years)", "long": "long-term (3–5 years)"}
    sheet.field("Horizon", horizon.get(goal.horizon, goal.horizon))
    sheet.field("Priority", GOAL_PRIORITIES.get(goal.priority, ""))
    if goal.target_date:
        sheet.field("Target", f"{day(goal.target_date)} ({relative(goal.target_date, today)})")
    if goal.parent:
        sheet.field("Step of", goal.parent.title)
    sheet.block("Why", goal.why)
    sheet.block("Specific", goal.specific)
    sheet.block("Measure", goal.measure)
    steps = goal.steps
    if steps:
        sheet.section("Steps")
        for step in steps:
            sheet.entry(short_day(step.target_date, today), step.title, step.status)
    _needs(sheet, goal.id, today)
    people = goal.people
    last = contact_service.last_contacted([p.id for p in people], today=today)
    if people:
        sheet.section(f"People ({len(people)})", "c links more")
        for person in people:
            seen = last.get(person.id)
            when = f"last {relative(seen, today)}" if seen else "never contacted"
            sheet.entry("", person.name, listing([person.role, when, person.note]))
    else:
        sheet.section("People", "nobody yet: c links contacts to this goal")
    open_followups = followup_service.list_followups(status="open", goal=goal.id)
    if open_followups:
        sheet.section(f"Open follow-ups ({len(open_followups)})")
        for row in open_followups:
            who = row.contact.name if row.contact else ""
            sheet.entry(short_day(row.due_date, today), row.title, who)
    return sheet


def _needs(sheet: Sheet, goal_id: int, today: dt.date) -> None:
    """The skills the goal and its steps need: where you stand, the gap, who can help."""
    from rapport.services import gaps as gap_service  # loaded when a goal is first shown

    (found,) = gap_service.gaps_report(goal_id, today=today).goals
    if not found.gaps:
        sheet.section("Skills it needs", "none named: rapport goals need GOAL SKILL --level 4")
        return
    sheet.section(f"Skills it needs ({len(found.gaps)})", "gaps nobody covers first")
    for gap in found.gaps:
        need = gap.need
        you = skill_service.level_label(need.current) or "not rated"
        helper = gap.people[0] if gap.people else None
        who = (
            f"{helper.name} ({helper.level_label}, {helper.warmth})"
            if helper and helper.source != "candidate"
            else (f"{helper.name} mentions it" if helper else "")
        )
        if gap.uncovered:
            who = "nobody you know has it"
        step = f" (step: {need.goal_title})" if need.step else ""
        sheet.entry(
            need.gap_words,
            f"{need.skill}{step}",
            listing([f"{you} → {skill_service.level_label(need.target)}", who]),
        )


class GoalsScreen(ListScreen[GoalLine]):
    MODE = "goals"
    NOUN, NOUNS = "goal", "goals"
    EMPTY = "No goals yet. Press a to add your first goal."

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add", "Add"),
        Binding("e", "edit", "Edit"),
        Binding("c", "link_contacts", "Link contacts"),
        Binding("n", "add_step", "Add step", show=False),
        Binding("D,delete", "delete", "Delete", show=False),
    ]

    def columns(self) -> Sequence[Column[GoalLine]]:
        today = clock.today()
        return [
            Column("title", "Goal", lambda r: ("↳ " if r.parent else "") + r.title, min_width=20),
            Column("status", "Status", lambda r: r.status, width=9),
            Column("priority", "Priority", lambda r: r.priority, width=8, sort=lambda r: r.order),
            Column(
                "target",
                "Target",
                lambda r: short_day(r.target, today),
                width=12,
                sort=lambda r: r.target or dt.date.max,
            ),
            Column("people", "People", lambda r: str(r.people), width=6, sort=lambda r: r.people),
        ]

    def filter_hint(self) -> str:
        return "title, status"

    async def fetch(self) -> tuple[Sequence[GoalLine], Sequence[str]]:
        return await self.call(goal_rows)

    def describe(self, row: GoalLine) -> Sheet:
        return goal_sheet(row.id)

    @work(exclusive=True, group="act")
    async def action_add_step(self) -> None:
        row = self.need()
        if row is not None:
            form = goal_form(self.rapport, parent=Choice(row.id, row.title))
            await self.run_form(form, _saved_goal, select_saved=True)

    def forms(self) -> RecordForms[Any, Any]:
        return RecordForms(
            new=lambda: goal_form(self.rapport),
            stored=goal_with_parent,
            edit=lambda stored: goal_form(self.rapport, *stored),
            added=_saved_goal,
            saved=_saved_goal,
        )

    @work(exclusive=True, group="act")
    async def action_link_contacts(self) -> None:
        row = self.need()
        if row is not None:
            await self.run_form(
                link_contacts_form(self.rapport, row.id, row.title),
                lambda made: f"Linked {plural(len(made), 'person', 'people')} to {row.title}",
                keep=row.id,
            )

    def deletion(self, row: GoalLine) -> Deletion:
        return Deletion(
            f"Delete the goal “{row.title}”?",
            "Its links to people, interviews, events and follow-ups go too; its steps "
            "become goals of their own. The people and records stay.",
            goal_service.delete_goal,
            f"Deleted goal: {row.title}",
        )


def _saved_goal(goal: GoalRow) -> str:
    return f"Saved goal: {goal.title}"
