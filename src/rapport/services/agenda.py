"""Today: overdue follow-ups, what is due this week, and who is going cold.

`rapport today` prints :func:`agenda_columns`, read by statement (rapport.connection)
without peewee or the models; its JSON and the app take :func:`today_agenda`'s rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rapport import clock
from rapport.services.contact_list import ContactRow, going_cold
from rapport.services.due import FollowUpColumns, due_columns

if TYPE_CHECKING:
    from rapport.services.followups import FollowUpRow

WEEK = 7


@dataclass
class Agenda:
    today: dt.date
    overdue: list[FollowUpRow] = field(default_factory=list)
    due_soon: list[FollowUpRow] = field(default_factory=list)
    going_cold: list[ContactRow] = field(default_factory=list)


def today_agenda(today: dt.date | None = None, *, days: int = WEEK) -> Agenda:
    """What needs doing: overdue follow-ups first, then those due within ``days``,
    then contacts whose stay-in-touch date has passed, most overdue first."""
    from rapport.services.followups import due_followups

    today = today or clock.today()
    rows = due_followups(days, today=today)
    return Agenda(
        today=today,
        overdue=[r for r in rows if r.due_date < today],
        due_soon=[r for r in rows if r.due_date >= today],
        going_cold=going_cold(today),
    )


@dataclass(frozen=True)
class AgendaColumns:
    """:func:`today_agenda`'s follow-ups as columns (a table prints them): those of
    ``due`` at ``overdue`` are overdue, at ``due_soon`` due within the days asked."""

    today: dt.date
    due: FollowUpColumns
    overdue: list[int]
    due_soon: list[int]
    going_cold: list[ContactRow]


def agenda_columns(today: dt.date | None = None, *, days: int = WEEK) -> AgendaColumns:
    """What :func:`today_agenda` gives, the follow-ups as plain columns (no row built)."""
    today = today or clock.today()
    due = due_columns(days, today=today)
    return AgendaColumns(
        today=today,
        due=due,
        overdue=[i for i, day in enumerate(due.due_date) if day < today],
        due_soon=[i for i, day in enumerate(due.due_date) if day >= today],
        going_cold=going_cold(today),
    )


@dataclass(frozen=True)
class FirstSteps:
    """Which of the three first steps a new network has taken."""

    goal: bool
    contacts: bool
    followup: bool

    @property
    def welcome(self) -> bool:
        """Whether Today welcomes, with the steps, rather than list what is due: a
        network with goals and people is under way, a follow-up added or not."""
        return not (self.goal and self.contacts)


# Whether each of the three tables holds a row: read as a plain statement, so
# `rapport today` (which prints without the models) can welcome too.
FIRST_STEPS = (
    'SELECT EXISTS(SELECT 1 FROM "goal"), EXISTS(SELECT 1 FROM "contact"), '
    'EXISTS(SELECT 1 FROM "follow_up")'
)


def first_steps() -> FirstSteps:
    """Whether the database holds a goal, a contact and a follow-up yet (three
    cheap lookups), so a first run can welcome the person and say what to do."""
    from rapport.connection import execute

    goal, contacts, followup = execute(FIRST_STEPS).fetchone()
    return FirstSteps(goal=bool(goal), contacts=bool(contacts), followup=bool(followup))
