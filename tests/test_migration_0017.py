"""Migration 0017: the numbers people type are never handed out twice.

What a person notices: a record deleted keeps its number from every record
made after it (a script holding "promise 5" never acts on another promise);
a database from the release before opens with every row, index and trigger
it had; reverting 0017 leaves rapport working as it did; a JSON restore
keeps every id and goes on after the largest.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

from playhouse.migrations import Runner

from rapport.db import MIGRATION_TABLE, close_database, open_database
from rapport.models import database
from rapport.resources import migrations_dir
from rapport.services import contacts, events, followups, goals, interactions

DATA = Path(__file__).parent / "data"


def _migration_tables() -> tuple[str, ...]:
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "ids_never_reused", migrations_dir() / "0017_ids_never_reused.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return tuple(module.TABLES)


# The tables whose numbers a person sees and types (the ones a delete frees).
TABLES = _migration_tables()


def test_every_kind_of_record_people_delete_by_number_is_covered() -> None:
    kinds = {"goal", "organization", "contact", "interaction", "interview", "event"}
    assert kinds | {"follow_up", "skill", "promise"} == set(TABLES)


def _file_rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
    conn = sqlite3.connect(path)
    try:
        return {t: conn.execute(f'SELECT * FROM "{t}" ORDER BY id').fetchall() for t in TABLES}
    finally:
        conn.close()


def _schema_names(path: Path) -> set[tuple[str, str]]:
    conn = sqlite3.connect(path)
    try:
        query = "SELECT type, name FROM sqlite_master WHERE type IN ('index', 'trigger')"
        return set(conn.execute(query).fetchall())
    finally:
        conn.close()


def test_an_older_database_keeps_every_row_index_and_trigger(tmp_path: Path) -> None:
    path = tmp_path / "rapport.db"
    shutil.copyfile(DATA / "schema-0016.sqlite", path)
    path.chmod(0o600)
    rows, names = _file_rows(path), _schema_names(path)
    open_database(path)
    close_database()
    assert _file_rows(path) == rows
    assert _schema_names(path) == names
    conn = sqlite3.connect(path)
    sequence = dict(conn.execute("SELECT name, seq FROM sqlite_sequence").fetchall())
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    conn.close()
    # Each table goes on from the largest id it holds (promise holds none).
    assert sequence == {t: max((r[0] for r in rows[t]), default=0) for t in TABLES}


def test_the_newest_record_deleted_keeps_its_number(db_path: Path) -> None:
    dana = contacts.create_contact("Dana Whitfield")
    for kind, delete, make in [
        ("contact", contacts.delete_contact, lambda: contacts.create_contact("Ed").id),
        ("goal", goals.delete_goal, lambda: goals.create_goal("Lead a team").id),
        (
            "follow_up",
            followups.delete_followup,
            lambda: followups.create_followup("Call", due="tomorrow").id,
        ),
        (
            "interaction",
            interactions.delete_interaction,
            lambda: interactions.log_interaction([dana.id], summary="coffee").id,
        ),
        (
            "event",
            events.delete_event,
            lambda: events.create_event("Meetup", start="tomorrow").id,
        ),
    ]:
        newest = make()
        delete(newest)
        assert make() == newest + 1, kind


def test_down_gives_numbers_again_and_up_stops_it(db_path: Path) -> None:
    runner = Runner(database.obj, str(migrations_dir()), table_name=MIGRATION_TABLE)
    dana = contacts.create_contact("Dana Whitfield")
    contacts.create_contact("Ed Okafor")
    rows = _rows_now()

    runner.down(target="0017_ids_never_reused")
    assert _rows_now() == rows
    ed = contacts.create_contact("Ed Okafor")
    contacts.delete_contact(ed.id)
    assert contacts.create_contact("Ed Okafor").id == ed.id  # as before 0017

    runner.up()  # (peewee's migrator turns foreign keys off, as rapport.db._migrate does)
    assert database.execute_sql("PRAGMA foreign_key_check").fetchall() == []
    newest = contacts.create_contact("Fay Ng")
    contacts.delete_contact(newest.id)
    assert contacts.create_contact("Fay Ng").id == newest.id + 1
    assert contacts.contact_detail(dana.id).contact.name == "Dana Whitfield"


def _rows_now() -> dict[str, list[tuple[object, ...]]]:
    return {t: database.execute_sql(f'SELECT * FROM "{t}" ORDER BY id').fetchall() for t in TABLES}


def test_a_json_restore_keeps_the_ids_and_goes_on_after_the_largest(
    db_path: Path, tmp_path: Path
) -> None:
    from rapport.services.exchange import export_json, import_json

    for name in ("Ana", "Bo", "Cy"):
        contacts.create_contact(name)
    contacts.delete_contact(2)
    snapshot = tmp_path / "all.json"
    snapshot.write_text(export_json(), encoding="utf-8")
    close_database()
    open_database(tmp_path / "restored.db")
    import_json(snapshot)
    restored = json.loads(export_json())["tables"]["contact"]
    assert [(c["id"], c["name"]) for c in restored] == [(1, "Ana"), (3, "Cy")]
    assert contacts.create_contact("Dee").id == 4
