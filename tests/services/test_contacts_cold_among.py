"""cold_among: going cold from rows already loaded, the same as going_cold."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from rapport.services import contacts


def test_cold_among_all_rows_is_going_cold(sample_db: Path) -> None:
    today = dt.date(2026, 11, 23)
    every = contacts.contact_rows(archived=None, today=today)
    assert contacts.cold_among(every, today) == contacts.going_cold(today)
    assert contacts.going_cold(today)  # the demo network has people going cold


def test_archived_and_never_due_contacts_are_not_cold(sample_db: Path) -> None:
    today = dt.date(2026, 11, 23)
    cold = contacts.going_cold(today)
    first = cold[0]
    contacts.set_archived(first.id, True)
    rows = contacts.contact_rows(archived=None, today=today)
    names = [r.name for r in contacts.cold_among(rows, today)]
    assert first.name not in names
    assert all(r.next_due is not None and r.next_due < today for r in cold)
