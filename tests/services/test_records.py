"""Interactions, interviews, events and goal links."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from rapport.errors import NotFound, ValidationError
from rapport.models import FollowUp, GoalLink, Interaction
from rapport.services import contacts, events, goals, interactions, interviews, links

TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def people(db_path: Path):
    return contacts.create_contact("Dana Whitfield"), contacts.create_contact("Priya Raman")


def test_an_interaction_can_involve_several_people(people) -> None:
    _, priya = people
    i = interactions.log_interaction(
        ["dana", priya.id], date="yesterday", channel="Coffee", summary="Intro", direction="gave"
    )
    assert (i.date, i.channel, i.direction) == (dt.date(2026, 11, 22), "coffee", "gave")
    assert [c.name for c in interactions.participants([i.id])[i.id]] == [
        "Dana Whitfield",
        "Priya Raman",
    ]
    rows = interactions.list_interactions(contact="priya")
    assert [r.summary for r in rows] == ["Intro"]


def test_an_interaction_is_refused_without_people_or_with_a_bad_channel(people) -> None:
    with pytest.raises(ValidationError, match="contacts"):
        interactions.log_interaction([])
    with pytest.raises(ValidationError, match="channel: must be one of"):
        interactions.log_interaction(["dana"], channel="telepathy")
    with pytest.raises(NotFound):
        interactions.log_interaction(["nobody"])
    assert Interaction.select().count() == 0


def test_completing_an_interview_creates_a_thank_you_linked_to_its_goals(people) -> None:
    dana, _ = people
    goal = goals.create_goal("Platform")
    interview = interviews.create_interview(
        dana.id, when="2026-11-20 15:00", questions="Q1?", goals=[goal.id]
    )
    done, followup = interviews.complete_interview(
        interview.id, advice="Pick one customer", today=TODAY
    )
    assert done.status == "done" and done.advice == "Pick one customer"
    assert followup is not None
    assert followup.due_date == TODAY + dt.timedelta(days=1)
    assert followup.contact_id == dana.id and followup.interview_id == interview.id
    assert [
        link.goal_id for link in GoalLink.select().where(GoalLink.follow_up == followup.id)
    ] == [goal.id]
    assert "thank-you" in followup.title


def test_no_thank_you_when_asked_not_to(people) -> None:
    interview = interviews.create_interview(people[0].id)
    _, followup = interviews.complete_interview(interview.id, thank_you=False, today=TODAY)
    assert followup is None and FollowUp.select().count() == 0
    # An interview with no date counts as held today.
    assert interviews.list_interviews()[0].scheduled_date == TODAY


def test_referrals_are_recorded_once(people) -> None:
    dana, priya = people
    interview = interviews.create_interview(dana.id)
    interviews.add_referrals(interview.id, ["priya", priya.id])
    assert [c.name for c in interviews.referrals_of(interview)] == ["Priya Raman"]


def test_an_event_cannot_end_before_it_starts(db_path: Path) -> None:
    with pytest.raises(ValidationError, match="end: ends"):
        events.create_event("PyCon", start="2027-05-14", end="2027-05-13")
    e = events.create_event(
        "PyCon", start="2027-05-14 09:00", end="2027-05-16 17:00", kind="Conference"
    )
    assert (e.start_time, e.end_date, e.kind, e.tz) == (
        dt.time(9),
        dt.date(2027, 5, 16),
        "conference",
        "America/Los_Angeles",
    )


def test_whom_i_met_at_an_event(people) -> None:
    e = events.create_event("Meetup", start="-2d", status="attended")
    events.add_attendees(e.id, ["dana", "priya"])
    events.add_attendees(e.id, ["dana"])
    assert [c.name for c in events.attendees_of(e)] == ["Dana Whitfield", "Priya Raman"]
    assert events.list_events(when="past", today=TODAY)[0].attendee_count == 2
    assert events.list_events(when="upcoming", today=TODAY) == []


def test_where_we_first_met_counts_among_whom_i_met_there(people) -> None:
    e = events.create_event("Meetup", start="-2d", status="attended")
    contacts.update_contact("priya", met_at=e.id)
    events.add_attendees(e.id, ["dana", "priya"])  # said from both sides: once
    assert [c.name for c in events.attendees_of(e)] == ["Dana Whitfield", "Priya Raman"]
    assert events.list_events(today=TODAY)[0].attendee_count == 2
    assert "Meetup" in [t.title for t in contacts.contact_detail("priya").timeline]

    events.remove_attendee(e.id, "priya")

    assert [c.name for c in events.attendees_of(e)] == ["Dana Whitfield"]
    assert contacts.contact_detail("priya").met_at is None


def test_links_carry_a_role_and_update_instead_of_duplicating(people) -> None:
    dana, _ = people
    goal = goals.create_goal("Platform")
    links.link_goal(goal.id, contact=dana.id, role="hiring manager", note="Q2 opening")
    link = links.link_goal(goal.id, contact=dana.id, role="mentor")
    assert (link.role, link.note) == ("mentor", "Q2 opening")
    assert GoalLink.select().count() == 1
    with pytest.raises(ValidationError, match="role"):
        links.link_goal(goal.id, contact=dana.id, role="boss")


def test_targets_are_named_as_on_the_command_line(people) -> None:
    goal = goals.create_goal("Platform")
    event = events.create_event("PyCon", start="+1m")
    target = links.parse_target("event:pycon")
    assert (target.kind, target.record) == ("event", event.id)
    links.link(target, goal.id)
    with pytest.raises(ValidationError, match="a role describes a person"):
        links.link(target, goal.id, role="mentor")
    assert [g.title for g in links.goals_of(target)] == ["Platform"]
    links.unlink(target, "platform")
    with pytest.raises(NotFound, match="not linked"):
        links.unlink(target, "platform")
    assert links.parse_target("priya").name == "Priya Raman"


def test_closing_the_thank_you_marks_the_interview_thanked(people) -> None:
    from rapport.services import followups

    interview = interviews.create_interview(people[0].id, when="2026-11-20")
    _, thank_you = interviews.complete_interview(interview.id, today=TODAY)
    assert interviews.list_interviews()[0].thank_you_sent is False
    followups.complete_followup(thank_you.id)
    assert interviews.list_interviews()[0].thank_you_sent is True


def test_changing_who_took_part_is_an_edit_that_can_conflict(people) -> None:
    from rapport.errors import Conflict

    dana, priya = people
    logged = interactions.log_interaction([dana.id], summary="Coffee")
    opened_at = logged.updated_at
    interactions.update_interaction(logged.id, contacts=[dana.id, priya.id])  # elsewhere
    with pytest.raises(Conflict):
        interactions.update_interaction(
            logged.id, contacts=[dana.id], expected_updated_at=opened_at
        )
    names = [c.name for c in interactions.participants([logged.id])[logged.id]]
    assert names == ["Dana Whitfield", "Priya Raman"]
