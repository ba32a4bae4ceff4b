"""The demo network: believable, complete, and never stale."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from rapport.models import Contact, Event, FollowUp, Goal, Interaction, Interview, Organization
from rapport.services.agenda import today_agenda


def test_the_demo_network_has_everything_the_issue_asks_for(sample_db: Path) -> None:
    assert 35 <= Contact.select().count() <= 45
    assert Organization.select().count() == 10
    assert {g.horizon for g in Goal.select()} == {"short", "long"}
    assert Goal.select().where(Goal.parent.is_null(False)).count() >= 2
    assert Interaction.select().count() >= 24
    assert {i.status for i in Interview.select()} == {"planned", "done", "cancelled"}
    assert Interview.select().count() == 5
    assert Event.select().count() == 6
    assert FollowUp.select().count() == 15
    assert FollowUp.select().where(FollowUp.rrule != "").count() == 1


def test_the_demo_always_has_something_to_do_today(sample_db: Path) -> None:
    agenda = today_agenda()
    assert agenda.today == dt.date(2026, 11, 23)
    assert len(agenda.overdue) >= 3
    assert len(agenda.due_soon) >= 3
    assert len(agenda.going_cold) >= 3


def test_dates_are_relative_to_the_day_it_is_loaded(db_path: Path, monkeypatch) -> None:
    from rapport.services.sample import load_sample_network

    monkeypatch.setenv("RAPPORT_NOW", "2031-06-02T09:00:00")
    load_sample_network()
    agenda = today_agenda()
    assert agenda.today == dt.date(2031, 6, 2)
    assert agenda.overdue and all(r.followup.due_date.year == 2031 for r in agenda.overdue)
