"""set_goal_links, change_goal_links and link_contacts_to_goal: the goal picker's and the goal
tab's writes."""

from __future__ import annotations

from pathlib import Path

import pytest

from rapport.errors import ValidationError
from rapport.services import contacts, followups, goals, links
from rapport.services.links import Target, WantedLink


def _goals_of(target: Target) -> list[tuple[str, str, str]]:
    return [(g.title, g.role, g.note) for g in links.goals_of(target)]


def test_set_goal_links_adds_removes_and_changes_roles(db_path: Path) -> None:
    platform = goals.create_goal("Lead a platform team")
    climate = goals.create_goal("Work in climate")
    talk = goals.create_goal("Give a talk")
    dana = contacts.create_contact("Dana Whitfield")
    links.link_goal(platform, contact=dana, role="mentor", note="monthly")
    links.link_goal(talk, contact=dana, role="peer")
    target = Target("contact", dana)

    links.set_goal_links(
        target,
        [WantedLink(platform.id, "sponsor", "monthly"), WantedLink(climate.id, "", "knows people")],
    )

    assert _goals_of(target) == [
        ("Lead a platform team", "sponsor", "monthly"),
        ("Work in climate", "", "knows people"),
    ]


def test_set_goal_links_bumps_a_follow_up_once(db_path: Path) -> None:
    first = goals.create_goal("First")
    second = goals.create_goal("Second")
    followup = followups.create_followup("Write to Dana", due="tomorrow")
    before = followup.sequence

    links.set_goal_links(
        Target("followup", followup), [WantedLink(first.id), WantedLink(second.id)]
    )

    from rapport.services.resolve import resolve_followup

    assert resolve_followup(followup.id).sequence == before + 1


def test_set_goal_links_refuses_a_role_for_an_event_and_changes_nothing(db_path: Path) -> None:
    from rapport.services import events

    goal = goals.create_goal("Speak")
    event = events.create_event("PyCon", start="2026-12-01")
    with pytest.raises(ValidationError) as error:
        links.set_goal_links(Target("event", event), [WantedLink(goal.id, "mentor")])
    assert error.value.field == "role"
    assert links.goals_of(Target("event", event)) == []


def test_link_contacts_to_goal_links_each_with_the_role(db_path: Path) -> None:
    goal = goals.create_goal("Lead a platform team")
    people = [contacts.create_contact(n).id for n in ("Ana", "Ben")]

    made = links.link_contacts_to_goal(goal.id, people, role="peer", note="met at PyCon")

    assert [(m.name, m.role, m.note) for m in made] == [
        ("Ana", "peer", "met at PyCon"),
        ("Ben", "peer", "met at PyCon"),
    ]
    assert goals.link_counts() == {goal.id: 2}


def test_link_contacts_to_goal_needs_someone(db_path: Path) -> None:
    goal = goals.create_goal("Lead")
    with pytest.raises(ValidationError):
        links.link_contacts_to_goal(goal.id, [])


def test_only_what_the_person_changed_is_applied(db_path: Path) -> None:
    platform = goals.create_goal("Lead a platform team")
    climate = goals.create_goal("Work in climate")
    talk = goals.create_goal("Give a talk")
    dana = contacts.create_contact("Dana Whitfield")
    links.link_goal(platform, contact=dana, role="mentor")
    target = Target("contact", dana)
    opened = [WantedLink(platform.id, "mentor", "")]  # what the picker showed

    links.link_goal(climate, contact=dana, role="peer")  # elsewhere, meanwhile
    # The person unticks the platform goal and ticks the talk.
    links.change_goal_links(target, opened, [WantedLink(talk.id, "", "")])

    assert _goals_of(target) == [("Give a talk", "", ""), ("Work in climate", "peer", "")]


def test_a_goal_both_changed_takes_the_persons_role(db_path: Path) -> None:
    platform = goals.create_goal("Lead a platform team")
    dana = contacts.create_contact("Dana Whitfield")
    links.link_goal(platform, contact=dana, role="mentor")
    target = Target("contact", dana)
    opened = [WantedLink(platform.id, "mentor", "")]

    links.link_goal(platform, contact=dana, role="peer", note="from the CLI")  # elsewhere
    links.change_goal_links(target, opened, [WantedLink(platform.id, "sponsor", "")])
    assert _goals_of(target) == [("Lead a platform team", "sponsor", "")]

    # Left as it was opened, a goal keeps what was saved elsewhere.
    links.link_goal(platform, contact=dana, role="peer", note="from the CLI")
    same = [WantedLink(platform.id, "sponsor", "")]
    links.change_goal_links(target, same, same)
    assert _goals_of(target) == [("Lead a platform team", "peer", "from the CLI")]
