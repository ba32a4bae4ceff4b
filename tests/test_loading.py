"""Joined lists load each record once, as the same values peewee's own join gives."""

from __future__ import annotations

from pathlib import Path

import pytest
from peewee import JOIN

from rapport.loading import load_joined
from rapport.models import Contact, FollowUp
from rapport.services import contacts, followups


def test_the_rows_hold_what_peewee_s_join_gives(db_path: Path) -> None:
    dana = contacts.create_contact("Dana Whitfield", email="dana@example.org", cadence_days=30)
    followups.create_followup("Call Dana", due="tomorrow 9:30", contact=dana.id, repeat="monthly")
    followups.create_followup("Read the book", due="fri", notes="Chapter 3\nand 4")
    done = followups.create_followup("Email Dana", due="2026-11-20", contact=dana.id)
    followups.complete_followup(done.id)
    query = FollowUp.select().order_by(FollowUp.id)
    peewee_s = list(query.select_extend(Contact).join(Contact, JOIN.LEFT_OUTER))

    ours = load_joined(query, FollowUp.contact)

    assert [f.__data__ for f in ours] == [f.__data__ for f in peewee_s]
    assert all(not f.is_dirty() for f in ours)
    with_contact = [(f, p) for f, p in zip(ours, peewee_s, strict=True) if p.contact_id]
    for f, p in with_contact:
        assert f.__rel__["contact"].__data__ == p.contact.__data__  # cached: no query
        assert not f.contact.is_dirty()
    assert ours[1].contact_id is None and ours[1].contact is None


def test_rows_with_the_same_contact_share_one_instance(db_path: Path) -> None:
    # 5,000 follow-ups with their contacts took 200 ms to build field by field.
    dana = contacts.create_contact("Dana Whitfield")
    for title in ("Call Dana", "Email Dana", "Thank Dana"):
        followups.create_followup(title, due="fri", contact=dana.id)

    rows = load_joined(FollowUp.select(), FollowUp.contact)

    assert [r.contact.name for r in rows] == ["Dana Whitfield"] * 3
    assert rows[0].contact is rows[1].contact is rows[2].contact


def test_the_goals_of_thousands_of_follow_ups_are_read_in_a_short_statement(
    db_path: Path, statements: list[str]
) -> None:
    # 5,000 open follow-ups: an IN list of 5,000 ids took peewee longer to
    # write than the 300 links it found took SQLite to read.
    from rapport.db import close_database, open_database
    from rapport.services import goals, links

    close_database()
    open_database(db_path)  # traced from here
    platform = goals.create_goal("Platform")
    FollowUp.insert_many(
        [{"title": f"Task {n}", "due_date": "2026-11-30", "uid": f"{n}@t"} for n in range(600)]
    ).execute()
    linked = followups.create_followup("Call Dana", due="fri")
    links.link_goal(platform, follow_up=linked.id)
    ids = [f.id for f in FollowUp.select(FollowUp.id)]
    statements.clear()

    found = followups.goals_by_followup(ids)

    assert len(ids) == 601
    assert {i: [g.title for g in goals] for i, goals in found.items()} == {linked.id: ["Platform"]}
    reads = [s for s in statements if "goal_link" in s]
    assert reads and all(len(s) < 1000 for s in reads), [len(s) for s in reads]


def test_iso_dates_and_times_are_read_without_peewee_s_format_search(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # peewee tries its formats in turn for each date, time and timestamp: a
    # fifth of loading 5,000 follow-ups with their contacts.
    import datetime as dt

    import peewee

    dana = contacts.create_contact("Dana Whitfield", connected_on="2026-10-01")
    followups.create_followup("Call Dana", due="2026-11-24 9:30", contact=dana.id)
    expected = [f.__data__ for f in FollowUp.select()]

    def refused(*args: object, **kwargs: object) -> object:
        raise AssertionError("peewee parsed ISO text")

    monkeypatch.setattr(peewee, "format_date_time", refused)
    (loaded,) = load_joined(FollowUp.select(), FollowUp.contact)

    assert loaded.__data__ == expected[0]
    assert (loaded.due_date, loaded.due_time) == (dt.date(2026, 11, 24), dt.time(9, 30))
    assert isinstance(loaded.created_at, dt.datetime)
    assert loaded.contact.connected_on == dt.date(2026, 10, 1)
