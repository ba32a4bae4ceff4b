"""Migration 0009: given and family names as the source gave them, and a vCard's UID, per contact.

What a person notices: an older database opens with every contact as it
was (its export guesses the family name as before, its UID unchanged), and
from then on imports keep "Okafor" as Sam Okafor Jr.'s family name and an
address book's UID for each card.
"""

from __future__ import annotations

from pathlib import Path

from playhouse.migrations import Runner

from rapport.db import MIGRATION_TABLE, close_database, connect, open_database
from rapport.models import Contact, database
from rapport.resources import migrations_dir
from rapport.services.exchange import export_vcard

COLUMNS = ("given_name", "family_name", "vcard_uid")


def contact_columns() -> list[str]:
    return [row[1] for row in database.execute_sql("PRAGMA table_info(contact)")]


def test_an_older_database_is_upgraded_and_exports_as_before(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    path.touch(mode=0o600)
    db = connect(path)
    Runner(db, str(migrations_dir()), table_name=MIGRATION_TABLE).up(
        target="0008_interaction_contact_direction"
    )
    db.execute_sql("PRAGMA user_version = 8")
    db.execute_sql(
        "INSERT INTO contact (id, created_at, updated_at, name) VALUES"
        " (1, '2026-01-01 09:00:00', '2026-01-01 09:00:00', 'Sam Okafor')"
    )
    close_database()

    open_database(path)
    try:
        assert set(COLUMNS) <= set(contact_columns())
        sam = Contact.get_by_id(1)
        assert (sam.given_name, sam.family_name, sam.vcard_uid) == ("", "", "")
        card = export_vcard().splitlines()
        assert "N:Okafor;Sam;;;" in card
        assert any(line.startswith("UID:urn:uuid:") for line in card)
        # Searching still works: the contact table's triggers were left alone.
        Contact.update(notes="platform hiring").where(Contact.id == 1).execute()
        found = database.execute_sql(
            "SELECT count(*) FROM search_index WHERE search_index MATCH 'platform'"
        ).fetchone()
        assert found == (1,)
    finally:
        close_database()


def test_down_drops_the_columns_and_up_adds_them_back(db_path: Path) -> None:
    Contact.create(name="Sam Okafor Jr.", given_name="Sam", family_name="Okafor")
    runner = Runner(database.obj, str(migrations_dir()), table_name=MIGRATION_TABLE)

    runner.down(target="0009_contact_names_uid")
    assert not set(COLUMNS) & set(contact_columns())
    assert database.execute_sql("SELECT name FROM contact").fetchall() == [("Sam Okafor Jr.",)]

    runner.up()
    assert set(COLUMNS) <= set(contact_columns())
