"""Merging two contacts moves every kind of link; likely duplicates are found."""

from __future__ import annotations

from pathlib import Path

import pytest

from rapport.errors import ValidationError
from rapport.models import (
    Contact,
    EventAttendee,
    FollowUp,
    GoalLink,
    InteractionContact,
    Interview,
    InterviewReferral,
)
from rapport.services import events, followups, goals, interactions, interviews, links
from rapport.services.contacts import create_contact
from rapport.services.merge import enrich, likely_duplicates, merge_contacts


def test_enrich_fills_empty_fields_and_adds_what_is_new_without_overwriting() -> None:
    current = {
        "role": "Mentor",
        "email": "dana@northwind.example",
        "other_emails": "",
        "phone": "",
        "other_phones": "",
        "tags": "mentor",
        "notes": "typed by me",
        "location": "",
    }
    incoming = {
        "role": "Director",
        "email": "DANA@northwind.example".lower(),
        "other_emails": "dana.w@gmail.com",
        "phone": "+1 (415) 555-0134",
        "other_phones": "+1 415.555.0134",  # the same number written differently
        "tags": "mentor,platform",
        "notes": "from a file",
        "location": "San Francisco",
    }

    assert enrich(current, incoming) == {
        "other_emails": "dana.w@gmail.com",
        "phone": "+1 (415) 555-0134",
        "tags": "mentor,platform",
        "location": "San Francisco",
    }
    assert enrich(current, incoming, keep_both_notes=True)["notes"] == (
        "typed by me\n\nfrom a file"
    )


def test_merge_moves_every_kind_of_link_to_the_one_kept(db_path: Path) -> None:
    keep = create_contact("Dana Whitfield", email="dana@northwind.example")
    other = create_contact(
        "Dana W.", email="dana.w@gmail.com", phone="+1 415 555 0134", notes="Met at KubeCon"
    )
    friend = create_contact("Priya Raman", introduced_by=other.id)
    create_contact("Sam Okafor", introduced_by=keep.id)
    keep = Contact.get_by_id(keep.id)
    keep.introduced_by = other.id  # each says the other introduced them
    keep.save()
    goal = goals.create_goal("Lead a platform team")
    second_goal = goals.create_goal("Speak at a conference")
    links.link_goal(goal, contact=keep)
    links.link_goal(goal, contact=other, role="mentor", note="weekly")
    links.link_goal(second_goal, contact=other, role="sponsor")
    shared = interactions.log_interaction([keep, other], date="2026-11-01", channel="coffee")
    own = interactions.log_interaction([other, friend], date="2026-11-10", channel="call")
    interview = interviews.create_interview(other, when="2026-11-20")
    referring = interviews.create_interview(friend, when="2026-11-21")
    interviews.add_referrals(referring, [keep, other])
    meetup = events.create_event("Platform meetup", start="2026-11-05")
    events.add_attendees(meetup, [keep, other])
    conference = events.create_event("KubeCon", start="2026-11-12")
    events.add_attendees(conference, [other])
    followup = followups.create_followup("Send the draft", due="2026-11-30", contact=other)
    sequence = FollowUp.get_by_id(followup.id).sequence

    result = merge_contacts(keep, other)

    assert Contact.get_or_none(Contact.id == other.id) is None
    kept = Contact.get_by_id(keep.id)
    assert (kept.email, kept.other_emails, kept.phone) == (
        "dana@northwind.example",
        "dana.w@gmail.com",
        "+1 415 555 0134",
    )
    assert kept.notes == "Met at KubeCon"
    assert kept.introduced_by_id is None  # not "introduced by themselves"
    assert Contact.get_by_id(friend.id).introduced_by_id == keep.id
    theirs = InteractionContact.select().where(InteractionContact.contact == keep.id)
    assert sorted(i.interaction_id for i in theirs) == sorted([shared.id, own.id])
    assert Interview.get_by_id(interview.id).contact_id == keep.id
    referred = InterviewReferral.select().where(InterviewReferral.interview == referring.id)
    assert [r.contact_id for r in referred] == [keep.id]
    attended = EventAttendee.select().where(EventAttendee.contact == keep.id)
    assert sorted(a.event_id for a in attended) == sorted([meetup.id, conference.id])
    moved = FollowUp.get_by_id(followup.id)
    assert moved.contact_id == keep.id
    assert moved.sequence == sequence + 1  # calendars learn the new name
    links_now = {
        link.goal_id: (link.role, link.note)
        for link in GoalLink.select().where(GoalLink.contact == keep.id)
    }
    assert links_now == {goal.id: ("mentor", "weekly"), second_goal.id: ("sponsor", "")}
    assert result.removed_id == other.id
    assert {"interaction_contact", "interview", "follow_up"} <= set(result.moved)


def test_merging_a_contact_with_itself_is_refused(db_path: Path) -> None:
    dana = create_contact("Dana Whitfield")
    with pytest.raises(ValidationError):
        merge_contacts(dana, dana.id)


def test_likely_duplicates_by_profile_email_and_name(db_path: Path) -> None:
    a = create_contact("Dana Whitfield", linkedin_url="linkedin.com/in/dana", organization="NW")
    b = create_contact(
        "Dana  Whitfield", organization="nw", allow_duplicate=True, email="d@nw.example"
    )
    c = create_contact("D. Whitfield", other_emails=["D@nw.example"])
    moved = create_contact("Dana Whitfield", organization="Other Co", allow_duplicate=True)
    d = create_contact("Jose Alvarez")
    e = create_contact("José Álvarez", organization="Contoso")

    pairs = {(p.first.id, p.second.id): p.reason for p in likely_duplicates()}

    assert pairs == {
        (a.id, b.id): "the same name",
        (b.id, c.id): "the same email",
        (d.id, e.id): "the same name",
        # A job change, or two people: listed last in strength, for the person to judge.
        (a.id, moved.id): "the same name at another organization",
        (b.id, moved.id): "the same name at another organization",
    }
