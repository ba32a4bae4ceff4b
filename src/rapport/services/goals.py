"""Career goals: SMART fields, horizon, status, priority, and steps under a parent goal."""

from __future__ import annotations

import datetime as dt
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


def create_goal(title: str, **fields: Any) -> Goal:
    """Create a goal from a title and any of: why, horizon, specific, measure,
    target_date, status, priority, parent.  Raises ValidationError."""
    goal = Goal(title="")
    clean.apply_changes(goal, {"title": title, **fields}, CLEANERS)
    with database.atomic():
        goal.save(force_insert=True)
    return goal


def update_goal(
    ref: object, *, expected_updated_at: dt.datetime | None = None, **fields: Any
) -> Goal:
    """Change the given fields of a goal. Raises ValidationError, NotFound, Conflict."""
    goal = resolve_goal(ref)
    changed = clean.apply_changes(goal, fields, CLEANERS)
    if "parent" in changed:
        _check_parent(goal)
    if changed:
        with database.atomic():
            clean.check_unchanged(goal, expected_updated_at)
            goal.save()
    return goal


def delete_goal(ref: object) -> Goal:
    """Delete a goal and its links; its steps become top-level goals."""
    goal = resolve_goal(ref)
    with database.atomic():
        goal.delete_instance()
    return goal


def list_goals(status: str | None = None) -> list[Goal]:
    """Goals, by priority then target date then title; ``status`` filters (or "all")."""
    query = Goal.select()
    if status and status != "all":
        query = query.where(Goal.status == clean.choice(status, GOAL_STATUSES, "status"))
    query = query.order_by(Goal.priority, Goal.target_date.is_null(), Goal.target_date, Goal.title)
    return list(query)


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


def contacts_serving(goal: Goal) -> list[tuple[GoalLink, Contact]]:
    """The contacts linked to a goal with their links, by role then name."""
    query = (
        GoalLink.select(GoalLink, Contact)
        .join(Contact)
        .where(GoalLink.goal == goal)
        .order_by(GoalLink.role, Contact.name)
    )
    return [(link, link.contact) for link in query]


def steps_of(goal: Goal) -> list[Goal]:
    return list(Goal.select().where(Goal.parent == goal).order_by(Goal.target_date, Goal.id))
