"""Follow-ups: due dates, recurrence, SEQUENCE, snooze, done, and what is due."""

from __future__ import annotations

import datetime as dt
import logging
import time
from pathlib import Path

import pytest

from rapport.errors import ValidationError
from rapport.models import FollowUp, FollowUpTombstone
from rapport.services import contacts, followups, goals, links

TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def dana(db_path: Path):
    return contacts.create_contact("Dana Whitfield")


def test_a_timed_follow_up_carries_its_zone(dana) -> None:
    f = followups.create_followup("Call Dana", due="tomorrow 9:30", contact=dana.id)
    assert (f.due_date, f.due_time, f.tz) == (
        dt.date(2026, 11, 24),
        dt.time(9, 30),
        "America/Los_Angeles",
    )
    day_only = followups.create_followup("Email Dana", due="fri", contact=dana.id)
    assert (day_only.due_date, day_only.due_time, day_only.tz) == (dt.date(2026, 11, 27), None, "")


def test_every_change_raises_the_sequence_and_keeps_the_uid(dana) -> None:
    f = followups.create_followup("Email Dana", due="fri", contact=dana.id)
    uid = f.uid
    assert f.sequence == 0
    f = followups.update_followup(f.id, title="Email Dana the deck")
    f = followups.update_followup(f.id, due="next mon")
    assert (f.uid, f.sequence) == (uid, 2)
    f = followups.update_followup(f.id, due="next mon")  # no real change
    assert f.sequence == 2
    goal = goals.create_goal("Platform")
    links.link_goal(goal.id, follow_up=f.id)  # its calendar categories change
    assert FollowUp.get_by_id(f.id).sequence == 3


def test_completing_a_recurring_follow_up_moves_it_to_the_next_date(dana) -> None:
    f = followups.create_followup("Check in", due="2026-11-30", contact=dana.id, repeat="monthly")
    assert f.rrule == "FREQ=MONTHLY"
    f = followups.complete_followup(f.id)
    assert (f.done, f.due_date, f.sequence) == (False, dt.date(2026, 12, 30), 1)
    f = followups.complete_followup(f.id)
    assert f.due_date == dt.date(2027, 1, 30)


def test_a_series_with_a_count_ends_done(dana) -> None:
    f = followups.create_followup(
        "Weekly x2", due="2026-11-24", contact=dana.id, repeat="FREQ=WEEKLY;COUNT=2"
    )
    f = followups.complete_followup(f.id)
    assert (f.done, f.due_date) == (False, dt.date(2026, 12, 1))
    f = followups.complete_followup(f.id)
    assert f.done and f.due_date == dt.date(2026, 12, 1)


@pytest.mark.parametrize(
    ("typed", "rule"),
    [
        ("weekly", "FREQ=WEEKLY"),
        ("every 2 weeks", "FREQ=WEEKLY;INTERVAL=2"),
        ("every day", "FREQ=DAILY"),
        ("every monday", "FREQ=WEEKLY;BYDAY=MO"),
        ("quarterly", "FREQ=MONTHLY;INTERVAL=3"),
        ("RRULE:FREQ=MONTHLY;BYMONTHDAY=1", "FREQ=MONTHLY;BYMONTHDAY=1"),
    ],
)
def test_repeat_words(typed: str, rule: str) -> None:
    assert followups.parse_repeat(typed, start=TODAY) == rule


@pytest.mark.parametrize(
    "typed",
    [
        "FREQ=SECONDLY",
        "FREQ=HOURLY;INTERVAL=1",
        "sometimes",
        "FREQ=WEEKLY;UNTIL=20200101",
        "FREQ=WEEKLY;BYDAY=XX",
        "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30",
    ],
)
def test_absurd_or_unreadable_repeats_are_refused_at_once(typed: str) -> None:
    started = time.perf_counter()
    with pytest.raises(ValidationError) as caught:
        followups.parse_repeat(typed, start=TODAY)
    assert caught.value.field == "repeat"
    # A hang guard, not a benchmark: before, one of these took four seconds.
    assert time.perf_counter() - started < 0.5


def test_a_repeat_ending_both_after_a_count_and_on_a_day_is_refused() -> None:
    # RFC 5545 says a rule MUST NOT carry both; dateutil warns that it will
    # raise on it, and a phone or calendar reading the file may take either end.
    with pytest.raises(ValidationError) as caught:
        followups.parse_repeat("FREQ=DAILY;COUNT=3;UNTIL=20270101", start=TODAY)
    assert caught.value.field == "repeat"
    assert "COUNT" in str(caught.value) and "UNTIL" in str(caught.value)


def test_snooze_counts_from_today_when_overdue(dana) -> None:
    overdue = followups.create_followup("Late", due="2026-11-01", contact=dana.id)
    upcoming = followups.create_followup("Soon", due="2026-11-25 10:00", contact=dana.id)
    assert followups.snooze_followup(overdue.id, by="+1w").due_date == TODAY + dt.timedelta(days=7)
    moved = followups.snooze_followup(upcoming.id, by="1d")
    assert (moved.due_date, moved.due_time) == (dt.date(2026, 11, 26), dt.time(10))
    assert followups.snooze_followup(upcoming.id, until="2026-12-24").due_time == dt.time(10)
    with pytest.raises(ValidationError):
        followups.snooze_followup(upcoming.id, by="later")


def test_a_snooze_keeps_the_follow_ups_own_zone(dana) -> None:
    """Due 09:00 in Berlin, snoozed a day while in Los Angeles: 09:00 in Berlin the next
    day, not 09:00 in Los Angeles (nine hours later); a zone-less time stays zone-less."""
    berlin = followups.create_followup("Call Jonas", due="2026-12-10 09:00", contact=dana.id)
    FollowUp.update(tz="Europe/Berlin").where(FollowUp.id == berlin.id).execute()
    moved = followups.snooze_followup(berlin.id, by="1d")
    assert (moved.due_date, moved.due_time, moved.tz) == (
        dt.date(2026, 12, 11),
        dt.time(9),
        "Europe/Berlin",
    )
    assert followups.snooze_followup(berlin.id, until="2026-12-24").tz == "Europe/Berlin"
    FollowUp.update(tz="").where(FollowUp.id == berlin.id).execute()
    assert followups.snooze_followup(berlin.id, by="1d").tz == ""


def test_due_lists_overdue_and_upcoming_in_order(dana) -> None:
    followups.create_followup("Far", due="+30d", contact=dana.id)
    followups.create_followup("Soon", due="+2d", contact=dana.id)
    followups.create_followup("Late", due="-3d", contact=dana.id)
    done = followups.create_followup("Done", due="today", contact=dana.id)
    followups.complete_followup(done.id)
    assert [r.title for r in followups.due_followups(7, today=TODAY)] == ["Late", "Soon"]
    assert [r.title for r in followups.list_followups(status="done")] == ["Done"]


def test_deleting_leaves_a_tombstone_for_calendars(dana) -> None:
    f = followups.create_followup("Email Dana", due="fri", contact=dana.id)
    followups.update_followup(f.id, title="Email Dana again")
    followups.delete_followup(f.id)
    tomb = FollowUpTombstone.get()
    assert (tomb.uid, tomb.sequence, tomb.title) == (f.uid, 2, "Email Dana again")


def test_a_follow_up_needs_something_to_do(dana) -> None:
    with pytest.raises(ValidationError, match="what: must not be empty"):
        followups.create_followup(" ", due="fri", contact=dana.id)
    with pytest.raises(ValidationError, match="due"):
        followups.create_followup("x", due="when pigs fly", contact=dana.id)


def test_the_list_reads_whom_a_follow_up_is_with_by_name_alone(dana, caplog) -> None:
    # A list of 5,000 follow-ups read every column of each contact (notes and
    # all) to show a name.
    contacts.update_contact(dana.id, email="dana@example.com", notes="met at the meetup")
    followups.create_followup("Email Dana", due="fri", contact=dana.id)
    with caplog.at_level(logging.DEBUG, logger="peewee"):
        rows = followups.list_followups()
    assert [(r.title, r.contact.name if r.contact else None) for r in rows] == [
        ("Email Dana", "Dana Whitfield")
    ]
    read = " ".join(str(r.msg) for r in caplog.records if '"follow_up"' in str(r.msg))
    assert '"name"' in read
    assert '"email"' not in read and '"linkedin_url"' not in read
