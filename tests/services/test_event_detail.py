"""One event as the faces show it: plain values, whom I met there and its goals joined."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from peewee import Model

from rapport.services import contacts, events, goals


def test_an_event_detail_is_plain_values_with_names_joined(db_path: Path) -> None:
    dana = contacts.create_contact("Dana Whitfield")
    goal = goals.create_goal("Give a talk")
    record = events.create_event("PyCon", start="2027-05-14", goals=[goal])
    events.add_attendees(record, [dana])
    detail = events.event_detail("pycon")
    assert (detail.id, detail.name, detail.start_date.isoformat()) == (
        record.id,
        "PyCon",
        "2027-05-14",
    )
    assert [(p.id, p.name) for p in detail.attendees] == [(dana.id, "Dana Whitfield")]
    assert [g.title for g in detail.goals] == ["Give a talk"]
    values = [getattr(detail, f.name) for f in dataclasses.fields(detail)]
    nested = [v for value in values if isinstance(value, tuple) for v in value]
    assert not [v for v in [*values, *nested] if isinstance(v, Model)]
