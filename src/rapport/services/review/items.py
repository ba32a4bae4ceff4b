"""The small plain records the review is made of: interviews, events, follow-ups, goal refs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rapport import clock
from rapport.connection import parsed


@dataclass
class InterviewItem:
    id: int
    contact_id: int
    contact_name: str
    date: dt.date | None
    status: str
    thank_you_sent: bool
    step: GoalRef | None = None  # in a parent goal's review: the step it is linked to


@dataclass
class EventItem:
    id: int
    name: str
    start_date: dt.date
    end_date: dt.date | None
    status: str
    my_role: str


@dataclass
class FollowUpItem:
    id: int
    title: str
    contact_id: int | None
    contact_name: str
    due_date: dt.date
    days_overdue: int  # 0 when not overdue
    closed_on: dt.date | None = None  # the local day it (or its last occurrence) was done
    is_open: bool = True
    step: GoalRef | None = None  # in a parent goal's review: the step it is linked to


@dataclass
class GoalRef:
    id: int
    title: str
    priority: int


def step_note(step: GoalRef | None) -> str:
    """`` (step: Title)`` after an item a parent goal has from one of its steps."""
    return "" if step is None else f" (step: {step.title})"


@dataclass
class ReviewedGoal:
    """What the review reads of a goal."""

    id: int
    title: str
    specific: str
    measure: str
    target_date: dt.date | None
    status: str
    priority: int
    parent_id: int | None


@dataclass
class GoalFacts:
    """What a review shows of its goal: a plain copy, so no face holds a model."""

    id: int
    title: str
    priority: int
    status: str
    parent_id: int | None
    target_date: dt.date | None


def goal_facts(goal: ReviewedGoal) -> GoalFacts:
    return GoalFacts(
        goal.id, goal.title, goal.priority, goal.status, goal.parent_id, goal.target_date
    )


def day_of(value: Any) -> dt.date | None:
    # Aggregates and compound selects may come back as text.
    if value is None or isinstance(value, dt.date):
        return value.date() if isinstance(value, dt.datetime) else value
    return dt.date.fromisoformat(str(value)[:10])


def local_day(utc: dt.datetime | None) -> dt.date | None:
    """The person's calendar day of a stored naive-UTC timestamp."""
    if utc is None:
        return None
    return utc.replace(tzinfo=dt.UTC).astimezone(clock.local_zone()).date()


def interview_item(row: Any, contact_name: str) -> InterviewItem:
    return InterviewItem(
        id=row.id,
        contact_id=row.contact_id,
        contact_name=contact_name,
        date=row.scheduled_date,
        status=row.status,
        thank_you_sent=bool(row.thank_you_sent),
    )


def interview_items(*columns: list[Any]) -> list[InterviewItem]:
    """InterviewItems from their columns as SQLite reads them (id, contact id, name,
    scheduled date, status, thank-you sent): dates parsed, the thank-you a bool."""
    ids, contacts, names, dates, statuses, thanked = columns
    return [
        *map(
            InterviewItem,
            ids,
            contacts,
            names,
            parsed(dates, dt.date),
            statuses,
            map(bool, thanked),
        )
    ]


def event_item(row: Any) -> EventItem:
    return EventItem(
        id=row.id,
        name=row.name,
        start_date=row.start_date,
        end_date=row.end_date,
        status=row.status,
        my_role=row.my_role,
    )


def followup_item(row: Sequence[Any], today: dt.date) -> FollowUpItem:
    followup_id, title, contact_id, name, due, done, done_at = row
    return FollowUpItem(
        id=followup_id,
        title=title,
        contact_id=contact_id,
        contact_name=name or "",
        due_date=due,
        days_overdue=0 if done else max(0, (today - due).days),
        closed_on=local_day(done_at),
        is_open=not done,
    )


def long_date(day: dt.date) -> str:
    return f"{day.day} {day:%b %Y}"


def short_date(day: dt.date, today: dt.date) -> str:
    """``12 Nov``, with the year when it is not this year's."""
    return f"{day.day} {day:%b}" + (f" {day.year}" if day.year != today.year else "")


def goal_ref(goal: ReviewedGoal | GoalFacts) -> GoalRef:
    return GoalRef(goal.id, goal.title, goal.priority)
