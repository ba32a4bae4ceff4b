"""Migration 0015: each contact's exchanges by direction, counted once and then kept.

What a person notices: a database from the release before opens and the
review shows the same give-and-take it did (every exchange already there is
counted at once); reverting 0015 leaves logging working, and upgrading again
counts what was logged meanwhile.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from playhouse.migrations import Runner

from exchange_tally import counted, kept
from rapport.db import MIGRATION_TABLE, close_database, open_database
from rapport.models import database
from rapport.resources import migrations_dir
from rapport.services import contacts, interactions
from rapport.services import review as rv

DATA = Path(__file__).parent / "data"
TODAY = dt.date(2026, 11, 23)  # the frozen clock's day (tests/conftest.py)


def test_an_older_database_counts_the_exchanges_it_has(tmp_path: Path) -> None:
    path = tmp_path / "rapport.db"
    shutil.copyfile(DATA / "schema-0014.sqlite", path)
    path.chmod(0o600)
    open_database(path)
    try:
        assert kept() == counted()
        assert sum(kept().values()) > 20
        past = database.execute_sql(
            "SELECT contact_id, direction, COUNT(*) FROM interaction_contact"
            " WHERE date <= ? GROUP BY 1, 2",
            (TODAY.isoformat(),),
        ).fetchall()
        by_hand = {(c, d): n for c, d, n in past}
        shown = 0
        for goal in rv.build_review(today=TODAY).goals:
            for p in goal.relationships:
                r = p.reciprocity
                assert (r.gave, r.asked, r.mutual) == tuple(
                    by_hand.get((p.contact_id, d), 0) for d in ("gave", "asked", "mutual")
                ), p.name
                shown += r.gave + r.asked + r.mutual
        assert shown > 0
    finally:
        close_database()


def test_down_leaves_logging_working_and_up_counts_what_came_meanwhile(db_path: Path) -> None:
    dana = contacts.create_contact("Dana Whitfield")
    interactions.log_interaction([dana], date="2026-11-02", direction="gave")
    runner = Runner(database.obj, str(migrations_dir()), table_name=MIGRATION_TABLE)

    runner.down(target="0015_exchange_counts")
    tables = {r[0] for r in database.execute_sql("SELECT name FROM sqlite_master")}
    assert not {name for name in tables if name.startswith("exchange_count")}
    interactions.log_interaction([dana], date="2026-11-05", direction="asked")

    runner.up()
    assert kept() == counted() == {(dana.id, "gave"): 1, (dana.id, "asked"): 1}
    interactions.log_interaction([dana], date="2026-11-06", direction="asked")
    assert kept() == {(dana.id, "gave"): 1, (dana.id, "asked"): 2}
