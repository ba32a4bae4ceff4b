"""Migration 0016: each contact's latest exchange date, sought once and then kept.

What a person notices: a database from the release before opens and the
contact list shows the same "last contacted" it did (every exchange already
there is taken in at once); reverting 0016 leaves logging working, and
upgrading again takes in what was logged meanwhile.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from playhouse.migrations import Runner

from rapport.db import MIGRATION_TABLE, close_database, open_database
from rapport.models import database
from rapport.resources import migrations_dir
from rapport.services import contact_list, contacts, interactions
from touch_tally import kept, sought

DATA = Path(__file__).parent / "data"
TODAY = dt.date(2026, 11, 23)  # the frozen clock's day (tests/conftest.py)


def test_an_older_database_keeps_the_latest_it_has(tmp_path: Path) -> None:
    path = tmp_path / "rapport.db"
    shutil.copyfile(DATA / "schema-0015.sqlite", path)
    path.chmod(0o600)
    open_database(path)
    try:
        assert kept() == sought()
        assert len(kept()) > 10
        past = database.execute_sql(
            "SELECT contact_id, MAX(date) FROM interaction_contact WHERE date <= ? GROUP BY 1",
            (TODAY.isoformat(),),
        ).fetchall()
        by_hand = {c: dt.date.fromisoformat(d) for c, d in past}
        rows = contact_list.contact_rows(archived=None, today=TODAY)
        assert {r.id: r.last_contacted for r in rows} == {r.id: by_hand.get(r.id) for r in rows}
        assert sum(r.last_contacted is not None for r in rows) > 10
    finally:
        close_database()


def test_down_leaves_logging_working_and_up_takes_in_what_came_meanwhile(db_path: Path) -> None:
    dana = contacts.create_contact("Dana Whitfield")
    interactions.log_interaction([dana], date="2026-11-02")
    runner = Runner(database.obj, str(migrations_dir()), table_name=MIGRATION_TABLE)

    runner.down(target="0016_contact_touch")
    tables = {r[0] for r in database.execute_sql("SELECT name FROM sqlite_master")}
    assert not {name for name in tables if name.startswith("contact_touch")}
    interactions.log_interaction([dana], date="2026-11-05")

    runner.up()
    assert kept() == sought() == {dana.id: "2026-11-05"}
    interactions.log_interaction([dana], date="2026-11-06")
    assert kept() == {dana.id: "2026-11-06"}


def test_a_participation_written_with_a_stale_date_keeps_the_interactions(
    db_path: Path,
) -> None:
    # An upgrade lifts every trigger and makes the older ones again after
    # 0016's, so 0008's (which gives a participation its interaction's date)
    # fires first.  A participation written with a date of its own (a copy
    # from a file, say) must still count with the date it is given.
    dana = contacts.create_contact("Dana Whitfield")
    Runner(database.obj, str(migrations_dir()), table_name=MIGRATION_TABLE).down(
        target="0016_contact_touch"
    )
    close_database()
    open_database(db_path)  # the upgrade, as a person's first open makes it
    met = interactions.log_interaction([dana], date="2026-11-02")
    ed = contacts.create_contact("Ed Okafor")
    database.execute_sql(
        "INSERT INTO interaction_contact (interaction_id, contact_id, date)"
        " VALUES (?, ?, '2031-01-01')",
        (met.id, ed.id),
    )
    assert kept() == sought() == {dana.id: "2026-11-02", ed.id: "2026-11-02"}
