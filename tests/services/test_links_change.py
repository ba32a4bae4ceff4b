"""change_goal_links: the goal picker's save keeps links changed elsewhere meanwhile."""

from __future__ import annotations

from pathlib import Path

from rapport.services import contacts, goals, links
from rapport.services.links import Target, WantedLink


def _goals_of(target: Target) -> list[tuple[str, str, str]]:
    return [(link.goal.title, link.role, link.note) for link in links.goals_of(target)]


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
