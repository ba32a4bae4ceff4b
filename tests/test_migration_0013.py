"""Migration 0013: goals and follow-ups in the search index, those already there included.

What a person notices: a database from the release before opens and
``rapport search`` finds its goals and follow-ups at once (nothing to
rebuild by hand); reverting 0013 takes them out of search and leaves the
rest of it, and the follow-ups' tombstones, working.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from playhouse.migrations import Runner

from rapport.db import MIGRATION_TABLE, close_database, open_database
from rapport.models import FollowUpTombstone, database
from rapport.resources import migrations_dir
from rapport.services import followups, goals
from rapport.services.search import search

DATA = Path(__file__).parent / "data"


def found(text: str) -> list[tuple[str, str]]:
    return [(h.kind, h.title) for h in search(text)]


def test_goals_and_followups_of_an_older_database_are_found(tmp_path: Path) -> None:
    path = tmp_path / "rapport.db"
    shutil.copyfile(DATA / "schema-0012.sqlite", path)
    path.chmod(0o600)
    conn = sqlite3.connect(path)
    (goal_count,) = conn.execute("SELECT count(*) FROM goal").fetchone()
    (todo_count,) = conn.execute("SELECT count(*) FROM follow_up").fetchone()
    conn.close()

    open_database(path)
    try:
        assert ("goal", "Lead a platform team by 2027") in found("platform team")
        assert ("followup", "Send Dana the platform strategy draft (Dana Whitfield)") in found(
            "strategy draft"
        )
        (documents,) = database.execute_sql(
            "SELECT count(*) FROM search_index WHERE rowid % 8 IN (0, 7)"
        ).fetchone()
        assert documents == goal_count + todo_count
        # And what is written from now on, through the new triggers.
        goals.create_goal("Write a memoir on mentoring")
        assert found("memoir") == [("goal", "Write a memoir on mentoring")]
    finally:
        close_database()


def test_down_takes_them_out_and_up_puts_them_back(db_path: Path) -> None:
    goals.create_goal("Lead a platform team")
    todo = followups.create_followup("Send the platform deck", due="2026-12-01")
    runner = Runner(database.obj, str(migrations_dir()), table_name=MIGRATION_TABLE)

    runner.down(target="0013_search_goals_followups")
    assert found("platform") == []
    goals.create_goal("Platform guild")  # no trigger left behind to index it
    assert found("platform") == []
    followups.delete_followup(todo.id)
    assert [t.title for t in FollowUpTombstone.select()] == ["Send the platform deck"]

    runner.up()
    assert {kind for kind, _ in found("platform")} == {"goal"}
    assert sorted(title for _, title in found("platform")) == [
        "Lead a platform team",
        "Platform guild",
    ]
