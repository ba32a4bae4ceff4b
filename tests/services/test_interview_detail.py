"""One interview as the faces show it: plain values, whom it is with, goals and referrals joined."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from peewee import Model

from rapport.services import contacts, goals, interviews


def test_an_interview_detail_is_plain_values_with_names_joined(db_path: Path) -> None:
    dana = contacts.create_contact("Dana Whitfield")
    priya = contacts.create_contact("Priya Raman")
    goal = goals.create_goal("Lead a platform team")
    record = interviews.create_interview(dana, when="2026-11-30", goals=[goal])
    interviews.add_referrals(record, [priya])
    detail = interviews.interview_detail(record.id)
    assert (detail.contact.id, detail.contact.name) == (dana.id, "Dana Whitfield")
    assert [(g.id, g.title) for g in detail.goals] == [(goal.id, "Lead a platform team")]
    assert [p.name for p in detail.referrals] == ["Priya Raman"]
    values = [getattr(detail, f.name) for f in dataclasses.fields(detail)]
    nested = [v for value in values if isinstance(value, tuple) for v in value]
    assert not [v for v in [*values, *nested] if isinstance(v, Model)]
