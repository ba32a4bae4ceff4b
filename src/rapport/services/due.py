"""What is due: the follow-ups a table prints, read as plain columns.

Apart from rapport.services.followups (its writes' cleaners, resolvers and
the models) so that `rapport followups due` loads none of them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rapport import clock
from rapport.errors import ValidationError
from rapport.followup_reads import due_columns as read_due_columns
from rapport.followup_reads import goal_titles

Titles = tuple[str, ...]


@dataclass(frozen=True)
class FollowUpColumns:
    """Follow-ups as a list shows them, column by column, each a list in the
    list's order: for a face that prints thousands without an object for each
    (``of`` gives the same from FollowUpRows)."""

    id: list[int]
    due_date: list[dt.date]
    due_time: list[dt.time | None]
    done: list[bool]
    title: list[str]
    contact: list[str]  # whom it is with, by name ("" for no one)
    goals: list[tuple[str, ...]]  # the titles of the goals it serves
    rrule: list[str]
    # The skill each is about ("" for none); ``followups list`` reads it, the
    # due lists (Today, ``followups due``) do not.
    skill: list[str] | None = None

    @classmethod
    def of(cls, rows: Sequence[Any], *, skills: bool = False) -> FollowUpColumns:
        """From FollowUpRows (rapport.services.followups, which builds on this
        module); ``skills``: with the skill column, as ``followups list`` reads it."""
        return cls(
            id=[r.id for r in rows],
            due_date=[r.due_date for r in rows],
            due_time=[r.due_time for r in rows],
            done=[r.done for r in rows],
            title=[r.title for r in rows],
            contact=[r.contact.name if r.contact else "" for r in rows],
            goals=[tuple(g.title for g in r.goals) for r in rows],
            rrule=[r.rrule for r in rows],
            skill=[r.skill.name if r.skill else "" for r in rows] if skills else None,
        )

    @classmethod
    def read(
        cls,
        columns: Sequence[list[Any]],
        goals: dict[int, tuple[str, ...]],
        *,
        skills: list[str | None] | None = None,
    ) -> FollowUpColumns:
        """From the id, due date, due time, done, title, rule and contact's name
        columns as read, the goals' titles by follow-up and, when read, the names
        of the skills they are about."""
        ids, due_date, due_time, done, title, rrule, name = columns
        return cls(
            id=ids,
            due_date=due_date,
            due_time=due_time,
            done=done,
            title=title,
            contact=[n or "" for n in name],
            goals=[goals.get(i, ()) for i in ids],
            rrule=rrule,
            skill=None if skills is None else [n or "" for n in skills],
        )


def due_columns(days: int = 7, *, today: dt.date | None = None) -> FollowUpColumns:
    """What :func:`rapport.services.followups.due_followups` gives, as the columns
    a table shows: 713 due at 30,000 contacts read as plain values, no FollowUpRow
    and no model built."""
    columns = read_due_columns(due_until(days, today))
    return FollowUpColumns.read(columns, goal_titles(columns[0]))


def due_until(days: int, today: dt.date | None) -> dt.date:
    """The last day a follow-up ``days`` days ahead of ``today`` is due by."""
    if days < 0:
        raise ValidationError("days", "must be zero or more")
    return (today or clock.today()) + dt.timedelta(days=days)
