"""Career goals: SMART fields, horizon, status, priority, and steps under a parent goal."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import partial
from typing import Any

from rapport.errors import ValidationError
from rapport.models import (
    GOAL_HORIZONS,
    GOAL_PRIORITIES,
    GOAL_STATUSES,
    Contact,
    Goal,
    GoalLink,
    database,
)
from rapport.services import clean
from rapport.services.refs import plain
from rapport.services.resolve import resolve_goal

PRIORITY_NAMES = {name: number for number, name in GOAL_PRIORITIES.items()}


def _priority(value: Any) -> int:
    if isinstance(value, int) and value in GOAL_PRIORITIES:
        return value
    text = str(value).strip().lower()
    if text.isdigit() and int(text) in GOAL_PRIORITIES:
        return int(text)
    return PRIORITY_NAMES[clean.choice(text, PRIORITY_NAMES, "priority")]


def _parent(value: Any) -> Goal | None:
    if value is None or value == "":
        return None
    return resolve_goal(value)


CLEANERS: dict[str, clean.Cleaner] = {
    "title": partial(clean.one_line, field="title", required=True),
    "why": partial(clean.free_text, field="why"),
    "horizon": lambda v: clean.choice(v, GOAL_HORIZONS, "horizon"),
    "specific": partial(clean.free_text, field="specific"),
    "measure": partial(clean.free_text, field="measure"),
    "target_date": partial(clean.optional_date, field="target"),
    "status": lambda v: clean.choice(v, GOAL_STATUSES, "status"),
    "priority": _priority,
    "parent": _parent,
}


def _check_parent(goal: Goal) -> None:
    """A goal cannot be its own step, directly or through its steps."""
    seen = {goal.id}
    parent_id = goal.parent_id
    while parent_id is not None:
        if parent_id in seen:
            raise ValidationError("parent", "would make a goal a step of itself")
        seen.add(parent_id)
        parent_id = Goal.select(Goal.parent).where(Goal.id == parent_id).scalar()


@dataclass(frozen=True)
class GoalRow:
    """A goal as the faces list and edit it: plain values; ``updated_at`` lets a
    form refuse to overwrite an edit made elsewhere."""

    id: int
    title: str
    why: str
    horizon: str
    specific: str
    measure: str
    target_date: dt.date | None
    status: str
    priority: int
    parent_id: int | None
    created_at: dt.datetime
    updated_at: dt.datetime


def _row(g: Goal) -> GoalRow:
    return plain(GoalRow, g)


def goal_row(ref: object) -> GoalRow:
    """One goal (an id, a part of its title, or the goal itself) as faces show it.
    Raises NotFound, Ambiguous."""
    return _row(resolve_goal(ref))


def create_goal(title: str, **fields: Any) -> GoalRow:
    """Create a goal from a title and any of: why, horizon, specific, measure,
    target_date, status, priority, parent.  Returns it as faces show it.
    Raises ValidationError."""
    goal = Goal(title="")
    clean.apply_changes(goal, {"title": title, **fields}, CLEANERS)
    with database.atomic():
        goal.save(force_insert=True)
    return _row(goal)


def update_goal(
    ref: object, *, expected_updated_at: dt.datetime | None = None, **fields: Any
) -> GoalRow:
    """Change the given fields of a goal; returns it as faces show it.
    Raises ValidationError, NotFound, Conflict."""
    goal = resolve_goal(ref)
    changed = clean.apply_changes(goal, fields, CLEANERS)
    if "parent" in changed:
        _check_parent(goal)
    if changed:
        with database.atomic():
            clean.check_unchanged(goal, expected_updated_at)
            goal.save()
    return _row(goal)


def delete_goal(ref: object) -> GoalRow:
    """Delete a goal and its links; its steps become top-level goals.  Returns what it was."""
    goal = resolve_goal(ref)
    gone = _row(goal)
    with database.atomic():
        goal.delete_instance()
    return gone


def list_goals(status: str | None = None) -> list[GoalRow]:
    """Goals, by priority then target date then title; ``status`` filters (or "all")."""
    query = Goal.select()
    if status and status != "all":
        query = query.where(Goal.status == clean.choice(status, GOAL_STATUSES, "status"))
    query = query.order_by(Goal.priority, Goal.target_date.is_null(), Goal.target_date, Goal.title)
    return [_row(g) for g in query]


def link_counts() -> dict[int, int]:
    """How many contacts serve each goal (archived ones left out, as in the review)."""
    from peewee import fn

    rows = (
        GoalLink.select(GoalLink.goal, fn.COUNT(GoalLink.id))
        .join(Contact)
        .where(Contact.archived == False)  # noqa: E712 (SQL, not Python)
        .group_by(GoalLink.goal)
        .tuples()
    )
    return dict(rows)


def contacts_serving(goal: Goal | GoalRow) -> list[tuple[GoalLink, Contact]]:
    """The contacts linked to a goal with their links, by role then name."""
    query = (
        GoalLink.select(GoalLink, Contact)
        .join(Contact)
        .where(GoalLink.goal == goal.id)
        .order_by(GoalLink.role, Contact.name)
    )
    return [(link, link.contact) for link in query]


def steps_of(goal: Goal | GoalRow) -> list[GoalRow]:
    """A goal's steps, soonest target first."""
    query = Goal.select().where(Goal.parent == goal.id).order_by(Goal.target_date, Goal.id)
    return [_row(g) for g in query]


@dataclass(frozen=True)
class GoalPerson:
    """A contact behind a goal, with the role and note of their link."""

    id: int
    name: str
    role: str
    note: str


@dataclass(frozen=True)
class GoalDetail(GoalRow):
    """One goal as ``show`` and the detail sheet have it: its row, the goal it is
    a step of, its steps and the people behind it (by role, then name)."""

    parent: GoalRow | None
    steps: tuple[GoalRow, ...]
    people: tuple[GoalPerson, ...]


def goal_detail(ref: object) -> GoalDetail:
    """A goal with its parent, steps and people.  Raises NotFound, Ambiguous."""
    goal = resolve_goal(ref)
    parent = goal_row(goal.parent_id) if goal.parent_id else None
    return GoalDetail(
        **vars(_row(goal)),
        parent=parent,
        steps=tuple(steps_of(goal)),
        people=tuple(
            GoalPerson(c.id, c.name, link.role, link.note) for link, c in contacts_serving(goal)
        ),
    )
