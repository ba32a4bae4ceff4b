"""Migration 0010: skills, ratings, traits, needs and expertise, searchable.

What a person notices: a database from the release before opens with every
record it had and can then hold a self-assessment; a database written by a
newer rapport is still refused and left as it was; reverting 0010 leaves the
follow-ups' tombstone trigger and the search working.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from peewee import IntegrityError
from playhouse.migrations import Runner

from rapport.db import MIGRATION_TABLE, close_database, open_database
from rapport.dbfile import schema_version
from rapport.errors import SchemaTooNew
from rapport.models import FollowUpTombstone, database
from rapport.resources import migrations_dir
from rapport.services import contacts, followups
from rapport.services.search import search

DATA = Path(__file__).parent / "data"
NEW_TABLES = ("skill", "skill_rating", "trait", "goal_need", "expertise", "promise", "checkin")


def counts(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(path)
    try:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'"
                " AND name NOT LIKE 'search_index%' AND name != 'schema_migration'"
            )
        ]
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
    finally:
        conn.close()


def test_the_release_before_migrates_with_its_data_and_takes_skills(tmp_path: Path) -> None:
    path = tmp_path / "rapport.db"
    shutil.copyfile(DATA / "schema-0009.sqlite", path)
    before = counts(path)
    assert before["contact"] > 0 and "skill" not in before

    open_database(path)
    try:
        dana = contacts.create_contact("Dana Whitfield", notes="knows kubernetes well")
        database.execute_sql(
            "INSERT INTO skill (created_at, updated_at, name, notes)"
            " VALUES ('2026-11-01', '2026-11-01', 'Kubernetes', 'clusters at work')"
        )
        (skill_id,) = database.execute_sql("SELECT id FROM skill").fetchone()
        database.execute_sql(
            "INSERT INTO skill_rating (skill_id, level, date, note, created_at)"
            " VALUES (?, 2, '2026-11-01', 'took the CKA course', '2026-11-01')",
            (skill_id,),
        )
        database.execute_sql(
            "INSERT INTO expertise (created_at, updated_at, contact_id, skill_id, level)"
            " VALUES ('2026-11-01', '2026-11-01', ?, ?, 5)",
            (dana.id, skill_id),
        )
        found = {(h.kind, h.title) for h in search("CKA")}
    finally:
        close_database()

    after = counts(path)
    assert {t: after[t] for t in before} == {**before, "contact": before["contact"] + 1}
    assert {t: after[t] for t in NEW_TABLES} == {
        "skill": 1,
        "skill_rating": 1,
        "trait": 0,
        "goal_need": 0,
        "expertise": 1,
        "promise": 0,
        "checkin": 0,
    }
    assert ("skill", "Kubernetes") in found


def test_a_level_off_the_scale_is_refused_by_the_schema_too(db_path: Path) -> None:
    database.execute_sql(
        "INSERT INTO skill (created_at, updated_at, name)"
        " VALUES ('2026-11-01', '2026-11-01', 'SQL')"
    )
    with pytest.raises(IntegrityError, match="CHECK"):
        database.execute_sql(
            "INSERT INTO skill_rating (skill_id, level, date, created_at)"
            " VALUES (1, 6, '2026-11-01', '2026-11-01')"
        )
    with pytest.raises(IntegrityError, match="UNIQUE"):
        database.execute_sql(
            "INSERT INTO skill (created_at, updated_at, name)"
            " VALUES ('2026-11-01', '2026-11-01', 'sql')"
        )


def test_a_newer_database_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "rapport.db"
    shutil.copyfile(DATA / "schema-0009.sqlite", path)
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {schema_version() + 1}")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(SchemaTooNew):
        open_database(path)
    assert path.read_bytes() == before


def test_down_removes_it_all_and_keeps_the_tombstones(db_path: Path) -> None:
    dana = contacts.create_contact("Dana Whitfield")
    runner = Runner(database.obj, str(migrations_dir()), table_name=MIGRATION_TABLE)

    runner.down(target="0010_skills")
    tables = {r[0] for r in database.execute_sql("SELECT name FROM sqlite_master")}
    assert not tables & set(NEW_TABLES)
    columns = {r[1] for r in database.execute_sql("PRAGMA table_info(follow_up)")}
    assert "skill_id" not in columns
    # The follow-up table was rebuilt: its delete trigger must still leave a tombstone.
    database.execute_sql(
        "INSERT INTO follow_up (created_at, updated_at, title, contact_id, due_date, uid)"
        " VALUES ('2026-11-01', '2026-11-01', 'Write to Dana', ?, '2026-11-30', 'u1@rapport')",
        (dana.id,),
    )
    database.execute_sql("DELETE FROM follow_up")
    assert [t.uid for t in FollowUpTombstone.select(FollowUpTombstone.uid)] == ["u1@rapport"]
    assert [h.title for h in search("Dana")] == ["Dana Whitfield"]

    runner.up()
    followups.create_followup("Ask Dana about SQL", contact=dana, due="2026-12-01")
