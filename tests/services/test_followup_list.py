"""The follow-up list column by column: what the rows hold, from the columns it shows alone."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import pytest

from rapport.errors import ValidationError
from rapport.services import contacts, due, followups, goals, links


@pytest.fixture
def listed(db_path: Path) -> list[followups.FollowUpRow]:
    dana = contacts.create_contact("Dana Whitfield", notes="met at the meetup")
    lead = goals.create_goal("Lead a team")
    book = goals.create_goal("Write a book")
    first = followups.create_followup(
        "Email Dana", due="2026-11-20 09:30", contact=dana.id, notes="the deck"
    )
    followups.create_followup("Water the plants", due="2026-11-20", repeat="weekly")
    followups.create_followup("Call Ana", due="2026-12-01")
    links.link_goal(lead.id, follow_up=first.id)
    links.link_goal(book.id, follow_up=first.id)
    return followups.list_followups(status="all")


def test_the_columns_hold_what_the_rows_hold(listed: list[followups.FollowUpRow]) -> None:
    assert followups.followup_columns(status="all") == followups.FollowUpColumns.of(
        listed, skills=True
    )
    columns = followups.followup_columns(status="all")
    assert columns.title == ["Water the plants", "Email Dana", "Call Ana"]
    assert columns.contact == ["", "Dana Whitfield", ""]
    assert columns.goals == [(), ("Lead a team", "Write a book"), ()]
    assert columns.due_time == [None, dt.time(9, 30), None]


def test_the_list_reads_only_the_columns_it_shows(
    listed: list[followups.FollowUpRow], caplog: pytest.LogCaptureFixture
) -> None:
    # 5,000 open follow-ups were read with all sixteen fields (uid, notes,
    # stamps...) to print eight.
    with caplog.at_level(logging.DEBUG, logger="peewee"):
        followups.followup_columns()
    read = " ".join(str(r.msg) for r in caplog.records if '"follow_up"' in str(r.msg))
    assert '"title"' in read and '"due_date"' in read
    for unshown in ('"uid"', '"notes"', '"updated_at"', '"done_at"', '"sequence"', '"tz"'):
        assert unshown not in read


@pytest.mark.parametrize("command", ["list", "due"])
def test_followups_tables_build_no_object_per_follow_up(
    cli, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    # `list` read 5,000 open follow-ups, `due` 713 at 30,000 contacts, as
    # FollowUpRows (sixteen fields, a ContactRef and GoalRefs each) to print
    # eight columns: 4 ms of `followups due`.
    cli("contacts", "add", "Dana")
    cli("followups", "add", "Email Dana", "--contact", "Dana", "--due", "today")
    cli("followups", "add", "Call Ana", "--due", "tomorrow", "--repeat", "weekly")
    cli("followups", "add", "Later", "--due", "in 30 days")
    table = cli("followups", command).output

    def refused(*args: object, **kwargs: object) -> None:
        raise AssertionError("a FollowUpRow was built")

    monkeypatch.setattr(followups, "FollowUpRow", refused)
    assert cli("followups", command).output == table
    assert "Email Dana" in table and "Dana" in table and "every week" in table
    assert ("Later" in table) == (command == "list")


def test_the_due_columns_hold_what_the_due_rows_hold(
    listed: list[followups.FollowUpRow],
) -> None:
    day = dt.date(2026, 11, 20)
    for days in (0, 7, 30):
        due_rows = followups.due_followups(days, today=day)
        assert due.due_columns(days, today=day) == followups.FollowUpColumns.of(due_rows)
    assert due.due_columns(0, today=day).title == ["Water the plants", "Email Dana"]
    with pytest.raises(ValidationError):
        due.due_columns(-1, today=day)
