"""Goals: SMART fields, steps, validation."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from rapport.errors import Ambiguous, NotFound, ValidationError
from rapport.models import Goal
from rapport.services import goals


def test_a_goal_keeps_its_smart_fields(db_path: Path) -> None:
    goal = goals.create_goal(
        "Lead a platform team by 2027",
        why="Unblocking others",
        horizon="short",
        specific="EM of a platform team",
        measure="Signed offer",
        target_date="2027-12-31",
        priority="high",
    )
    stored = Goal.get_by_id(goal.id)
    assert (stored.title, stored.horizon, stored.measure) == (
        "Lead a platform team by 2027",
        "short",
        "Signed offer",
    )
    assert stored.target_date == dt.date(2027, 12, 31)
    assert stored.priority == 1 and stored.status == "active"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": "  "}, "title"),
        ({"title": "x", "horizon": "medium"}, "horizon"),
        ({"title": "x", "status": "done-ish"}, "status"),
        ({"title": "x", "target_date": "someday"}, "target"),
        ({"title": "x", "priority": "urgent"}, "priority"),
    ],
)
def test_bad_fields_are_refused_by_name(db_path: Path, fields: dict, field: str) -> None:
    title = fields.pop("title")
    with pytest.raises(ValidationError) as caught:
        goals.create_goal(title, **fields)
    assert caught.value.field == field
    assert Goal.select().count() == 0


def test_steps_belong_to_a_parent_and_cannot_loop(db_path: Path) -> None:
    vision = goals.create_goal("Platform lead")
    step = goals.create_goal("Finish course", parent=vision.id)
    substep = goals.create_goal("Module 1", parent=step.id)
    assert [g.title for g in goals.steps_of(vision)] == ["Finish course"]
    with pytest.raises(ValidationError, match="step of itself"):
        goals.update_goal(vision.id, parent=substep.id)
    assert Goal.get_by_id(vision.id).parent_id is None


def test_deleting_a_parent_keeps_its_steps(db_path: Path) -> None:
    vision = goals.create_goal("Platform lead")
    step = goals.create_goal("Finish course", parent=vision.id)
    goals.delete_goal(vision.id)
    assert Goal.get_by_id(step.id).parent_id is None


def test_goals_are_found_by_an_unambiguous_part_of_their_title(db_path: Path) -> None:
    goals.create_goal("Lead a platform team")
    goals.create_goal("Speak at a platform conference")
    assert goals.update_goal("team", status="paused").status == "paused"
    with pytest.raises(Ambiguous) as caught:
        goals.update_goal("platform", status="paused")
    assert len(caught.value.candidates) == 2
    with pytest.raises(NotFound):
        goals.update_goal("astronaut", status="paused")


def test_list_orders_by_priority_then_target(db_path: Path) -> None:
    goals.create_goal("Low", priority="low")
    goals.create_goal("Later", priority="high", target_date="2028-01-01")
    goals.create_goal("Sooner", priority="high", target_date="2027-01-01")
    goals.create_goal("Done", status="achieved")
    assert [g.title for g in goals.list_goals("active")] == ["Sooner", "Later", "Low"]
    assert len(goals.list_goals("all")) == 4


def test_people_behind_a_goal_leave_out_the_archived(db_path: Path) -> None:
    from rapport.services import contacts, links

    goal = goals.create_goal("Platform")
    kept = contacts.create_contact("Kept")
    gone = contacts.create_contact("Gone")
    for person in (kept, gone):
        links.link_goal(goal.id, contact=person.id)
    contacts.set_archived(gone.id, True)
    assert goals.link_counts() == {goal.id: 1}
