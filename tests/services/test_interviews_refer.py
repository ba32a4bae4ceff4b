"""refer_contacts: referrals picked from contacts or created on the spot."""

from __future__ import annotations

from pathlib import Path

import pytest

from rapport.errors import ValidationError
from rapport.models import Contact
from rapport.services import contacts, interviews


def test_new_referrals_are_contacts_introduced_by_the_person_interviewed(db_path: Path) -> None:
    owen = contacts.create_contact("Owen Price")
    mei = contacts.create_contact("Mei Lin")
    interview = interviews.create_interview(owen.id, when="yesterday")

    people = interviews.refer_contacts(interview.id, [mei.id], new_names=["Tara Singh"])

    assert [p.name for p in people] == ["Mei Lin", "Tara Singh"]
    assert [p.name for p in interviews.referrals_of(interview)] == ["Mei Lin", "Tara Singh"]
    tara = contacts.contact_detail("Tara Singh")
    assert tara.introduced_by is not None and tara.introduced_by.id == owen.id
    assert "Owen Price" in tara.contact.how_met


def test_an_empty_new_name_saves_nothing(db_path: Path) -> None:
    owen = contacts.create_contact("Owen Price")
    mei = contacts.create_contact("Mei Lin")
    interview = interviews.create_interview(owen.id)
    with pytest.raises(ValidationError):
        interviews.refer_contacts(interview.id, [mei.id], new_names=["  "])
    assert interviews.referrals_of(interview) == []


@pytest.mark.parametrize(
    "names", [["Tara Singh", "TARA SINGH"], ["Mei Lin"], ["Tara Singh", "Mei Lin"]]
)
def test_a_new_name_given_twice_or_already_a_contact_adds_nobody(
    db_path: Path, names: list[str]
) -> None:
    owen = contacts.create_contact("Owen Price")
    contacts.create_contact("Mei Lin")
    interview = interviews.create_interview(owen.id)
    with pytest.raises(ValidationError) as refused:
        interviews.refer_contacts(interview.id, new_names=names)
    assert refused.value.field == "contacts"
    assert interviews.referrals_of(interview) == []
    assert sorted(c.name for c in Contact.select()) == ["Mei Lin", "Owen Price"]


def test_a_new_name_met_at_an_event_already_a_contact_adds_nobody(db_path: Path) -> None:
    from rapport.services import events

    contacts.create_contact("Mei Lin")
    events.create_event("PlatformCon", start="2026-11-01")
    with pytest.raises(ValidationError, match="Mei Lin is a contact already"):
        contacts.meet_at_event("PlatformCon", new_names=["Ann Example", "mei lin"])
    assert sorted(c.name for c in Contact.select()) == ["Mei Lin"]
