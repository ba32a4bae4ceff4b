"""refer_contacts: referrals picked from contacts or created on the spot."""

from __future__ import annotations

from pathlib import Path

import pytest

from rapport.errors import ValidationError
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
