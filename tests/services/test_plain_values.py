"""What a face gets from a service is a plain value: no peewee model, whose attributes can query.

Every service a face (cli/, tui/) calls to add, change, find, list or delete a
record, kind by kind, on the demo network.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from face_queries import models_in
from rapport.services import (
    candidates,
    contacts,
    events,
    followups,
    goals,
    interactions,
    interviews,
    links,
    merge,
    orgs,
    self_assessment,
    skills,
)


def _contacts() -> list[Any]:
    made = contacts.create_contact("Zed Zhou", organization="Northwind Cloud")
    return [
        made,
        contacts.update_contact(made.id, role="Staff engineer"),
        contacts.contact_record("Zed Zhou"),
        contacts.contact_detail("Dana Whitfield"),
        contacts.set_archived(made.id, True),
        contacts.meet_at_event("PlatformCon", [made.id], new_names=["Ann Example"]),
        merge.likely_duplicates(),
        merge.merge_contacts("Ann Example", made.id),
        contacts.delete_contact("Ann Example"),
    ]


def _goals() -> list[Any]:
    made = goals.create_goal("Write a book", parent="Lead")
    return [
        made,
        goals.update_goal(made.id, why="to think"),
        goals.list_goals("all"),
        goals.goal_detail(made.id),
        goals.goal_row("Write a book"),
        goals.delete_goal(made.id),
    ]


def _interviews() -> list[Any]:
    made = interviews.create_interview("Dana Whitfield", when="2026-11-20")
    return [
        made,
        interviews.update_interview(made.id, notes="good"),
        interviews.list_interviews(),
        interviews.interview_row(made.id),
        interviews.interview_detail(made.id),
        interviews.complete_interview(made.id, referrals=["Priya Raman"]),
        interviews.refer_contacts(made.id, new_names=["Bo Example"]),
        interviews.cancel_interview(made.id),
        interviews.delete_interview(made.id),
    ]


def _events() -> list[Any]:
    made = events.create_event("Book fair", start="2026-12-01")
    return [
        made,
        events.update_event(made.id, notes="bring cards"),
        events.list_events(),
        events.event_row(made.id),
        events.event_detail(made.id),
        events.add_attendees(made.id, ["Dana Whitfield"]),
        events.delete_event(made.id),
    ]


def _interactions() -> list[Any]:
    made, followup = interactions.log_interaction_with_followup(
        ["Dana Whitfield"], follow_up="Send the notes", summary="coffee"
    )
    return [
        made,
        followup,
        interactions.update_interaction(made.id, notes="more"),
        interactions.list_interactions(),
        interactions.interaction_row(made.id),
        interactions.delete_interaction(made.id),
    ]


def _followups() -> list[Any]:
    made = followups.create_followup("Write to Dana", due="tomorrow", contact="Dana Whitfield")
    return [
        made,
        followups.update_followup(made.id, notes="soon"),
        followups.list_followups(status="all"),
        followups.due_followups(30),
        followups.followup_row(made.id),
        followups.followup_detail(made.id),
        followups.snooze_followup(made.id, by="+1d"),
        followups.complete_followup(made.id),
        followups.reopen_followup(made.id),
        followups.complete_followups([made.id]),
        followups.delete_followup(made.id),
    ]


def _organizations() -> list[Any]:
    made = orgs.create_organization("Acme Books")
    return [
        made,
        orgs.update_organization(made.id, notes="publisher"),
        orgs.list_organizations(),
        orgs.organization_row(made.id),
        orgs.delete_organization(made.id),
    ]


def _links() -> list[Any]:
    target = links.Target("contact", contacts.contact_record("Dana Whitfield").id)
    goal = goals.goal_row("Lead").id
    return [
        links.goals_of(target),
        links.parse_target("Dana Whitfield"),
        links.link(links.parse_target("Dana Whitfield"), goal, role="mentor"),
        links.link_contacts_to_goal(goal, ["Priya Raman"], role="peer"),
        links.change_goal_links(target, [], []),
        links.unlink(links.parse_target("Dana Whitfield"), goal),
    ]


def _skills() -> list[Any]:
    self_assessment.rate_skill("SQL", 3)
    return [
        skills.skill_ref("SQL"),
        skills.rename_skill("SQL", "SQL and data"),
        candidates.candidates_for("SQL and data"),
    ]


KINDS: dict[str, Callable[[], list[Any]]] = {
    "contacts": _contacts,
    "goals": _goals,
    "interviews": _interviews,
    "events": _events,
    "interactions": _interactions,
    "follow-ups": _followups,
    "organizations": _organizations,
    "links": _links,
    "skills": _skills,
}


@pytest.mark.parametrize("kind", list(KINDS))
def test_services_hand_faces_plain_values(sample_db: Path, kind: str) -> None:
    handed = KINDS[kind]()
    assert all(value is not None for value in handed)
    assert models_in(handed) == []
