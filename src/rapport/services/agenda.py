"""Today: overdue follow-ups, what is due this week, and who is going cold."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from rapport import clock
from rapport.models import Contact, FollowUp, Goal
from rapport.services.contacts import ContactRow, going_cold
from rapport.services.followups import FollowUpRow, due_followups

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
    today = today or clock.today()
    rows = due_followups(days, today=today)
    return Agenda(
        today=today,
        overdue=[r for r in rows if r.due_date < today],
        due_soon=[r for r in rows if r.due_date >= today],
        going_cold=going_cold(today),
    )


@dataclass(frozen=True)
class FirstSteps:
    """Which of the three first steps a new network has taken."""

    goal: bool
    contacts: bool
    followup: bool

    @property
    def all_taken(self) -> bool:
        return self.goal and self.contacts and self.followup


def first_steps() -> FirstSteps:
    """Whether the database holds a goal, a contact and a follow-up yet (three
    cheap lookups), so a first run can welcome the person and say what to do."""
    return FirstSteps(
        goal=Goal.select().exists(),
        contacts=Contact.select().exists(),
        followup=FollowUp.select().exists(),
    )
