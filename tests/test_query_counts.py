"""Every list, in the CLI and in the app, runs as many SQL statements for 50 records as for 5.

A statement per row (a lazy ``row.contact.name`` in a face, a lookup per goal in
a service) would make a list of 30,000 contacts crawl; counting every statement
rapport asks SQLite to run (``sqlite3``'s trace callback, on every connection)
at two sizes catches it wherever it hides.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from rapport.services import contacts, events, followups, goals, interactions, interviews, links

TODAY = dt.date(2026, 11, 23)
SMALL, LARGE = 5, 50

CLI_LISTS = [
    ("contacts", "list"),
    ("contacts", "list", "--json"),
    ("goals", "list"),
    ("goals", "list", "--json"),
    ("interviews", "list"),
    ("interviews", "list", "--json"),
    ("events", "list"),
    ("events", "list", "--json"),
    ("followups", "list"),
    ("followups", "list", "--json"),
    ("followups", "due"),
    ("interactions", "list"),
    ("interactions", "list", "--json"),
    ("orgs", "list"),
    ("today",),
    ("today", "--json"),
    ("review",),
    ("review", "--json"),
    ("review", "--week"),
    # Under the limit at both sizes: a full page runs fewer statements (one
    # ranking pass instead of two), which says nothing about growth.
    ("search", "person", "--limit", "1000"),
    ("search", "person", "--limit", "1000", "--json"),
]


def day(offset: int) -> dt.date:
    return TODAY + dt.timedelta(days=offset)


def grow(start: int, stop: int) -> None:
    """Records ``start`` to ``stop``: a contact at an organization and one of every
    kind of record around them, each in every list (overdue, due, cold, active)."""
    for n in range(start, stop):
        goal = goals.create_goal(f"Goal {n}", priority=1 + n % 3)
        step = goals.create_goal(f"Step {n}", parent=goal)
        person = contacts.create_contact(
            f"Person {n}",
            organization=f"Org {n}",
            tags="peer, python",
            notes=f"person {n} notes",
            cadence_days=30,
        )
        links.link_goal(goal, contact=person, role="peer")
        interactions.log_interaction([person], date=day(-40 - n % 7), direction="asked")
        interviews.create_interview(person, when=day(-3), status="done", goals=[step])
        interviews.create_interview(person, when=day(4), goals=[goal])
        met = events.create_event(f"Meetup {n}", start=day(-5), status="attended", goals=[goal])
        events.add_attendees(met, [person])
        followups.create_followup(f"Write to person {n}", due=day(-2), contact=person, goals=[goal])
        followups.create_followup(f"Call person {n}", due=day(1), contact=person, goals=[step])


def counts(run: Callable[[], Any], seen: list[str]) -> int:
    """The statements rapport asked for.  The ones SQLite runs inside a statement
    (traced with a leading ``--``: FTS5 reading its shadow tables for each match,
    triggers) are the engine's work for that one statement, not a round trip."""
    seen.clear()
    run()
    return sum(1 for statement in seen if not statement.startswith("--"))


@pytest.fixture
def cli_db(cli: Any, statements: list[str]) -> Any:
    """conftest's ``cli``, on a database opened here (after ``statements``, so traced)."""
    from rapport.db import open_database

    open_database(cli.db)
    return cli


def test_cli_lists_run_as_many_statements_for_fifty_records_as_for_five(
    cli_db: Any, statements: list[str]
) -> None:
    from rapport.db import open_database

    def sizes() -> dict[str, int]:
        result = {}
        for args in CLI_LISTS:

            def run(args: tuple[str, ...] = args) -> None:
                outcome = cli_db(*args)
                assert outcome.exit_code == 0, outcome.output

            result[" ".join(args)] = counts(run, statements)
        open_database(cli_db.db)  # the command closed its connection
        return result

    grow(0, SMALL)
    small = sizes()
    grow(SMALL, LARGE)
    large = sizes()
    assert large == small
    assert all(n > 0 for n in small.values())


def test_app_lists_run_as_many_statements_for_fifty_records_as_for_five(
    tmp_path: Path, statements: list[str]
) -> None:
    from rapport.db import close_database, open_database
    from rapport.services import review
    from rapport.tui import data
    from rapport.tui.screens import (
        events as event_screen,
    )
    from rapport.tui.screens import (
        followups as followup_screen,
    )
    from rapport.tui.screens import (
        goals as goal_screen,
    )
    from rapport.tui.screens import (
        interactions as interaction_screen,
    )
    from rapport.tui.screens import (
        interviews as interview_screen,
    )
    from rapport.tui.screens import (
        organizations as organization_screen,
    )
    from rapport.tui.screens import (
        review as review_screen,
    )
    from rapport.tui.screens import (
        today as today_screen,
    )

    # What each tab runs on the database thread to fill its list.
    loaders: dict[str, Callable[[], Any]] = {
        "contacts (and Today's cold, and the pickers)": data.contact_index,
        "goals": goal_screen.goal_rows,
        "interviews": interview_screen.interview_rows,
        "events": event_screen.event_rows,
        "follow-ups open": lambda: followup_screen.followup_rows("open"),
        "follow-ups all": lambda: followup_screen.followup_rows("all"),
        "interactions": interaction_screen.interaction_rows,
        "organizations": organization_screen.organization_rows,
        "today": today_screen.followup_lines,
        "review goals": review_screen.goal_items,
        "review": review.build_review,
        "goal choices": data.goal_choices,
        "event choices": data.event_choices,
        "interview choices": data.interview_choices,
        "organization choices": data.organization_choices,
    }
    open_database(tmp_path / "app.db")
    try:
        grow(0, SMALL)
        small = {name: counts(load, statements) for name, load in loaders.items()}
        grow(SMALL, LARGE)
        large = {name: counts(load, statements) for name, load in loaders.items()}
    finally:
        close_database()
    assert large == small
    assert all(n > 0 for n in small.values())
