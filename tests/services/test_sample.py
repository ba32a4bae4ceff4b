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


def test_the_demo_shows_where_sam_stands_and_who_closes_each_gap(sample_db: Path) -> None:
    from rapport.services import gaps, self_assessment
    from rapport.services.needs import needs_of

    assessment = self_assessment.self_assessment()
    moved = [s for s in assessment.skills if s.trend in ("up", "down", "same")]
    assert len(moved) >= 5  # ratings with history, not one each
    assert assessment.strengths and assessment.interests and assessment.values
    needs = needs_of([g.id for g in Goal.select()])
    own = {goal_id: [n for n in found if not n.step] for goal_id, found in needs.items()}
    assert all(2 <= len(found) <= 4 for found in own.values()), own
    report = gaps.gaps_report()
    helped = [gap for g in report.goals for gap in g.gaps if gap.open and gap.people]
    assert {h.source for gap in helped for h in gap.people} == {"confirmed", "candidate"}
    assert [gap.need.skill for _, gap in report.uncovered] == ["Energy markets"]


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
