"""Contacts: validation, duplicates, archive, delete, and the derived dates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from rapport.errors import Conflict, ValidationError
from rapport.models import Contact, FollowUp, FollowUpTombstone, Interaction, Organization
from rapport.services import contacts, followups, goals, interactions, interviews, links

TODAY = dt.date(2026, 11, 23)


def test_a_contact_keeps_what_was_typed_and_cleans_what_must_match(db_path: Path) -> None:
    c = contacts.create_contact(
        "  Dana   Whitfield ",
        organization="Northwind Cloud",
        email="Dana.Whitfield@Northwind.example",
        linkedin_url="http://uk.linkedin.com/in/Dana-W/?trk=x",
        tags="Mentor, #platform mentor",
        cadence_days="30",
        notes="Line one\r\nLine two",
    )
    assert c.name == "Dana Whitfield"
    assert c.email == "dana.whitfield@northwind.example"
    assert c.linkedin_url == "https://www.linkedin.com/in/dana-w"
    assert c.tag_list == ["mentor", "platform"]
    assert c.cadence_days == 30
    assert c.notes == "Line one\nLine two"
    assert c.organization == "Northwind Cloud"


def test_organizations_are_shared_whatever_the_case(db_path: Path) -> None:
    a = contacts.create_contact("A", organization="Northwind")
    b = contacts.create_contact("B", organization="NORTHWIND")
    assert a.organization_id == b.organization_id
    assert Organization.select().count() == 1


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"email": "dana@"}, "email"),
        ({"linkedin_url": "https://example.com/dana"}, "linkedin"),
        ({"cadence_days": "0"}, "cadence"),
        ({"cadence_days": "monthly"}, "cadence"),
        ({"phone": "call me"}, "phone"),
        ({"connected_on": "whenever"}, "connected on"),
    ],
)
def test_bad_fields_are_refused_and_nothing_is_saved(
    db_path: Path, fields: dict, field: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        contacts.create_contact("Dana", **fields)
    assert caught.value.field == field
    assert Contact.select().count() == 0


def test_an_empty_name_is_refused(db_path: Path) -> None:
    with pytest.raises(ValidationError, match="name: must not be empty"):
        contacts.create_contact("\t ")


def test_the_same_person_twice_is_refused_with_who_it_is(db_path: Path) -> None:
    contacts.create_contact(
        "Dana Whitfield", email="dana@x.example", linkedin_url="linkedin.com/in/dana"
    )
    with pytest.raises(ValidationError, match=r"#1 Dana Whitfield has this email"):
        contacts.create_contact("D. Whitfield", email="DANA@x.example")
    with pytest.raises(ValidationError, match="LinkedIn profile"):
        contacts.create_contact("Dana W", linkedin_url="https://www.linkedin.com/in/Dana/")
    assert contacts.create_contact("Dana W", email="dana@x.example", allow_duplicate=True).id == 2


def test_an_edit_made_elsewhere_is_not_overwritten(db_path: Path) -> None:
    c = contacts.create_contact("Dana")
    opened_at = c.updated_at
    contacts.update_contact(c.id, role="Director")  # someone else saves first
    with pytest.raises(Conflict, match="changed elsewhere"):
        contacts.update_contact(c.id, role="VP", expected_updated_at=opened_at)
    assert Contact.get_by_id(c.id).role == "Director"


def test_last_contacted_comes_from_interactions_and_done_interviews(db_path: Path) -> None:
    c = contacts.create_contact("Dana", cadence_days=30, connected_on="2026-01-01")
    assert contacts.contact_detail(c.id, today=TODAY).next_due == dt.date(2026, 1, 31)
    interactions.log_interaction([c.id], date="2026-11-01", channel="coffee")
    detail = contacts.contact_detail(c.id, today=TODAY)
    assert detail.last_contacted == dt.date(2026, 11, 1)
    assert detail.next_due == dt.date(2026, 12, 1)
    interview = interviews.create_interview(c.id, when="2026-11-20")
    interviews.complete_interview(interview.id, thank_you=False, today=TODAY)
    assert contacts.contact_detail(c.id, today=TODAY).next_due == dt.date(2026, 12, 20)


def test_going_cold_lists_overdue_active_contacts_most_overdue_first(db_path: Path) -> None:
    late = contacts.create_contact("Late", cadence_days=10)
    later = contacts.create_contact("Later", cadence_days=10)
    fine = contacts.create_contact("Fine", cadence_days=10)
    archived = contacts.create_contact("Archived", cadence_days=10)
    contacts.create_contact("No cadence")
    interactions.log_interaction([late.id], date="2026-11-01")
    interactions.log_interaction([later.id], date="2026-10-01")
    interactions.log_interaction([fine.id], date="2026-11-20")
    interactions.log_interaction([archived.id], date="2026-09-01")
    contacts.set_archived(archived.id, True)
    assert [r.name for r in contacts.going_cold(TODAY)] == ["Later", "Late"]


def test_list_filters_by_goal_tag_organization_and_archive(db_path: Path) -> None:
    goal = goals.create_goal("Platform")
    a = contacts.create_contact("Ann", organization="Acme", tags="mentor")
    contacts.create_contact("Bob", organization="Beta", tags="peer")
    c = contacts.create_contact("Cy", organization="Acme")
    links.link_goal(goal.id, contact=a.id, role="mentor")
    contacts.set_archived(c.id, True)
    assert [r.name for r in contacts.contact_rows()] == ["Ann", "Bob"]
    assert [r.name for r in contacts.contact_rows(goal="platform")] == ["Ann"]
    assert [r.name for r in contacts.contact_rows(tag="Mentor")] == ["Ann"]
    assert [r.name for r in contacts.contact_rows(organization="acm", archived=None)] == [
        "Ann",
        "Cy",
    ]
    assert [r.name for r in contacts.contact_rows(archived=True)] == ["Cy"]
    assert contacts.contact_rows(goal="platform")[0].goals == ("Platform",)


def test_archive_hides_and_restore_brings_back(db_path: Path) -> None:
    c = contacts.create_contact("Dana", cadence_days=1, connected_on="2026-01-01")
    contacts.set_archived(c.id, True)
    assert contacts.contact_rows() == [] and contacts.going_cold(TODAY) == []
    contacts.set_archived(c.id, False)
    assert [r.name for r in contacts.contact_rows()] == ["Dana"]


def test_delete_takes_their_own_records_and_keeps_shared_ones(db_path: Path) -> None:
    dana = contacts.create_contact("Dana")
    priya = contacts.create_contact("Priya")
    alone = interactions.log_interaction([dana.id], summary="just Dana")
    shared = interactions.log_interaction([dana.id, priya.id], summary="both")
    followup = followups.create_followup("Email Dana", due="tomorrow", contact=dana.id)
    contacts.delete_contact(dana.id)
    assert Interaction.get_or_none(Interaction.id == alone.id) is None
    assert [c.name for c in interactions.participants([shared.id])[shared.id]] == ["Priya"]
    assert FollowUp.select().count() == 0
    # The calendar will cancel the follow-up that went with the contact.
    assert FollowUpTombstone.get().uid == followup.uid


def test_the_timeline_shows_everything_newest_first(sample_db: Path) -> None:
    detail = contacts.contact_detail("Dana Whitfield")
    kinds = {entry.kind for entry in detail.timeline}
    assert {"interaction", "follow-up"} <= kinds
    dates = [e.date for e in detail.timeline if e.date]
    assert dates == sorted(dates, reverse=True)
    assert [g.role for g in detail.goals] == ["mentor", "peer"]
    assert "Priya Raman" in [p.name for p in detail.introduced]


def test_a_contact_due_today_is_already_going_cold(db_path: Path) -> None:
    due_today = contacts.create_contact("Due today", cadence_days=10)
    interactions.log_interaction([due_today.id], date=TODAY - dt.timedelta(days=10))
    assert [r.name for r in contacts.going_cold(TODAY)] == ["Due today"]


def test_tags_are_added_and_removed_against_what_is_stored(db_path: Path) -> None:
    c = contacts.create_contact("Dana", tags="mentor,platform")
    stale = Contact.get_by_id(c.id)  # what another process read earlier
    contacts.update_contact(c.id, add_tags=["climate"])  # someone else adds a tag
    contacts.update_contact(stale.id, remove_tags=["Platform"], add_tags=["#Berlin"])
    assert Contact.get_by_id(c.id).tag_list == ["mentor", "climate", "berlin"]


def test_a_list_looks_up_each_listed_contact_s_latest_touch(
    db_path: Path, statements: list[str]
) -> None:
    # Going cold lists the 3,500 of 30,000 contacts with a cadence: grouping
    # every contact's interactions first took 55 ms of `rapport today`'s CPU.
    from rapport.db import close_database, open_database
    from rapport.services import interactions, interviews

    close_database()
    open_database(db_path)
    today = dt.date(2026, 11, 23)
    ana = contacts.create_contact("Ana Cadence", cadence_days=30)
    bo = contacts.create_contact("Bo Cadence", cadence_days=7)
    cy = contacts.create_contact("Cy Nocadence")
    interactions.log_interaction([ana, cy], date=today - dt.timedelta(days=40))
    interactions.log_interaction([ana], date=today + dt.timedelta(days=3))  # planned: not a touch
    interviews.create_interview(bo, when=today - dt.timedelta(days=9), status="done")
    interviews.create_interview(bo, when=today - dt.timedelta(days=2))  # not done
    statements.clear()

    rows = contacts.contact_rows(due_only=True, today=today)

    assert [(r.name, r.last_contacted) for r in rows] == [
        ("Ana Cadence", today - dt.timedelta(days=40)),
        ("Bo Cadence", today - dt.timedelta(days=9)),
    ]
    assert not [s for s in statements if "GROUP BY" in s.upper() and "interaction_contact" in s]


def test_the_list_takes_the_later_of_the_last_interaction_and_interview(db_path: Path) -> None:
    # SQLite picks the later of the two (as text); the list converts the winner.
    dana = contacts.create_contact("Dana", cadence_days=30)
    eli = contacts.create_contact("Eli", cadence_days=30)
    contacts.create_contact("Fay")
    interactions.log_interaction([dana, eli], date="2026-11-01")
    interviews.create_interview(dana.id, when="2026-11-20", status="done")
    interviews.create_interview(eli.id, when="2026-10-20", status="done")
    rows = contacts.contact_rows(today=TODAY)
    assert [(r.name, r.last_contacted, r.next_due) for r in rows] == [
        ("Dana", dt.date(2026, 11, 20), dt.date(2026, 12, 20)),
        ("Eli", dt.date(2026, 11, 1), dt.date(2026, 12, 1)),
        ("Fay", None, None),
    ]
