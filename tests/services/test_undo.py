"""Undo of done and snooze: the follow-up as it was, newest first, never over a later change."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from rapport.errors import Conflict, NotFound
from rapport.services import contacts, followups, interviews
from rapport.services.resolve import resolve_followup, resolve_interview
from rapport.services.undo import undo_last


@pytest.fixture
def dana(db_path: Path):
    return contacts.create_contact("Dana Whitfield")


def test_undo_of_done_opens_the_follow_up_again_under_a_new_sequence(dana) -> None:
    f = followups.create_followup("Email Dana", due="2026-11-20", contact=dana.id)
    followups.complete_followup(f.id)
    sequence = resolve_followup(f.id).sequence
    undone = undo_last()
    back = resolve_followup(f.id)
    assert (undone.action, undone.title, undone.done) == ("done", "Email Dana", False)
    assert (back.done, back.done_at, back.due_date) == (False, None, dt.date(2026, 11, 20))
    assert back.sequence == sequence + 1  # calendars update again


def test_undo_of_a_repeating_done_puts_the_occurrence_back(dana) -> None:
    f = followups.create_followup("Check in", due="2026-11-30", repeat="monthly")
    followups.complete_followup(f.id)
    assert resolve_followup(f.id).due_date == dt.date(2026, 12, 30)
    undo_last()
    assert resolve_followup(f.id).due_date == dt.date(2026, 11, 30)


def test_undo_of_snooze_puts_the_date_back_and_undo_again_the_one_before(dana) -> None:
    a = followups.create_followup("A", due="2026-11-25 09:30")
    b = followups.create_followup("B", due="2026-11-26")
    followups.complete_followup(a.id)
    followups.snooze_followup(b.id, by="+1w")
    assert resolve_followup(b.id).due_date == dt.date(2026, 12, 3)
    assert undo_last().title == "B"
    assert resolve_followup(b.id).due_date == dt.date(2026, 11, 26)
    assert undo_last().title == "A"
    assert not resolve_followup(a.id).done
    with pytest.raises(NotFound, match="nothing to undo"):
        undo_last()


def test_undo_over_a_later_change_is_refused_and_the_change_stays(dana) -> None:
    f = followups.create_followup("Email Dana", due="2026-11-20")
    followups.complete_followup(f.id)
    followups.update_followup(f.id, notes="sent from the phone")
    with pytest.raises(Conflict, match="changed since it was marked done"):
        undo_last()
    assert resolve_followup(f.id).done
    with pytest.raises(NotFound):  # the refused undo is forgotten, not stuck
        undo_last()


def test_undo_of_a_thank_you_done_takes_the_thanks_back(dana) -> None:
    held = interviews.create_interview(dana.id, when="2026-11-20 10:00")
    interviews.complete_interview(held.id, thank_you=False)
    f = followups.create_followup("Thank Dana", due="2026-11-21", interview=held.id)
    followups.complete_followup(f.id)
    assert resolve_interview(held.id).thank_you_sent
    undo_last()
    assert not resolve_interview(held.id).thank_you_sent


def test_the_undo_a_face_asked_about_is_the_one_undone(dana) -> None:
    """The app names the done it would undo and asks; when another done came in
    meanwhile (the command line), that one is not undone in its place."""
    from rapport.services.undo import newest

    first = followups.create_followup("Email Dana", due="2026-11-20", contact=dana.id)
    followups.complete_followup(first.id)
    asked = newest()
    assert asked is not None
    assert (asked.action, asked.followup_id, asked.title) == ("done", first.id, "Email Dana")
    second = followups.create_followup("Call Dana", due="2026-11-20", contact=dana.id)
    followups.complete_followup(second.id)
    with pytest.raises(Conflict, match="nothing was undone"):
        undo_last(only=asked.undo_id)
    assert resolve_followup(first.id).done and resolve_followup(second.id).done
    latest = newest()
    assert latest is not None
    assert undo_last(only=latest.undo_id).title == "Call Dana"
