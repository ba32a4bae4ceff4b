"""The whole database as JSON: export, restore into a new file, export again: identical."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from rapport.db import open_database
from rapport.errors import ImportFailed
from rapport.models import ALL_MODELS, Contact, FollowUpTombstone
from rapport.services import followups
from rapport.services.exchange import export_json, import_json
from rapport.services.search import search


def test_export_restore_export_gives_identical_json(sample_db: Path, tmp_path: Path) -> None:
    followups.delete_followup(followups.FollowUp.select().first())  # leaves a tombstone
    followups.update_followup(followups.FollowUp.select().first(), skill="hiring")
    first = export_json()
    data = json.loads(first)
    # The self-assessment travels too: skills, ratings, traits, needs, expertise.
    skill_tables = ("skill", "skill_rating", "trait", "goal_need", "expertise")
    assert all(data["tables"][table] for table in skill_tables)
    assert [f["skill_id"] for f in data["tables"]["follow_up"] if f["skill_id"]] == [1]
    assert data["format"] == "rapport" and data["schema_version"] >= 1
    assert set(data["tables"]) == {m._meta.table_name for m in ALL_MODELS}
    path = tmp_path / "all.json"
    path.write_text(first)

    open_database(tmp_path / "restored.db")
    summary = import_json(path)

    assert summary.restored["contact"] == len(data["tables"]["contact"])
    contacts = len(data["tables"]["contact"])
    assert f"{contacts} contacts, " in summary.lines()[1]
    assert "1 deleted follow-up" in summary.lines()[1]
    assert export_json() == first
    assert FollowUpTombstone.select().count() == 1
    # The search index is rebuilt by the database as rows come in.
    name = data["tables"]["contact"][0]["name"]
    assert any(name in hit.title for hit in search(name.split()[0]))


def test_restore_refuses_a_database_that_is_not_empty(sample_db: Path, tmp_path: Path) -> None:
    path = tmp_path / "all.json"
    path.write_text(export_json())
    before = Contact.select().count()

    with pytest.raises(ImportFailed, match="into an empty one"):
        import_json(path)
    assert Contact.select().count() == before


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "is not JSON"),
        ('{"contacts": []}', "not a rapport export"),
        ('{"format": "rapport", "schema_version": 999, "tables": {}}', "newer rapport"),
        ('{"format": "rapport", "schema_version": 1, "tables": {"spam": []}}', "spam"),
        (
            '{"format": "rapport", "schema_version": 1, "tables": {"contact": [{"id": 1, '
            '"name": "A", "organization_id": 7, "created_at": "2026-01-01T00:00:00", '
            '"updated_at": "2026-01-01T00:00:00"}]}}',
            "points at a organization row",
        ),
        (
            # Named as in the file, not as the tallies kept from it (exchange_count,
            # contact_touch), which are not in it.
            '{"format": "rapport", "schema_version": 16, "tables": {"interaction": [{"id": 1, '
            '"date": "2026-09-09", "channel": "coffee", "direction": "asked", '
            '"created_at": "2026-01-01T00:00:00", "updated_at": "2026-01-01T00:00:00"}], '
            '"interaction_contact": [{"id": 1, "interaction_id": 1, "contact_id": 9}]}}',
            "interaction_contact row 1 points at a contact row",
        ),
        (
            '{"format": "rapport", "schema_version": 17, "tables": {}, "sequences": {"spam": 3}}',
            "sequence for a table this rapport does not know: 'spam'",
        ),
        (
            '{"format": "rapport", "schema_version": 17, "tables": {}, "sequences": {"goal": -1}}',
            "the sequence of goal is not a record number",
        ),
        (
            '{"format": "rapport", "schema_version": 17, "tables": {}, "sequences": [1]}',
            "sequences is not an object",
        ),
    ],
)
def test_a_broken_file_is_refused_and_nothing_is_written(
    db_path: Path, tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "all.json"
    path.write_text(text)

    with pytest.raises(ImportFailed, match=message):
        import_json(path)
    assert Contact.select().count() == 0


def test_a_restore_never_gives_a_deleted_records_number_again(sample_cli, tmp_path: Path) -> None:
    # The export carried no sequences: restored into a new file, the newest
    # contact deleted and the newest promise dropped came back as the next
    # contact's and promise's numbers, though a script may still hold them.
    newest = max(c["id"] for c in json.loads(sample_cli("contacts", "list", "--json").output))
    assert sample_cli("contacts", "delete", str(newest), "--yes").exit_code == 0
    assert sample_cli("review", "--week", "--commit", "A", "--commit", "B").exit_code == 0
    promises = sample_cli("review", "--week", "--commit", "C").output
    last = max(int(n) for n in re.findall(r"^- (\d+)\. ", promises, flags=re.MULTILINE))
    assert sample_cli("review", "--week", "--drop", str(last)).exit_code == 0
    path = tmp_path / "all.json"
    assert sample_cli("export", "json", "-o", str(path)).exit_code == 0

    sample_cli.db = tmp_path / "fresh.db"
    assert sample_cli("import", "json", str(path)).exit_code == 0
    added = sample_cli("contacts", "add", "Someone New")
    assert added.output == f"Added contact #{newest + 1}: Someone New\n"
    committed = sample_cli("review", "--week", "--commit", "Another").output
    assert f"- {last + 1}. Another" in committed and f"- {last}. " not in committed
    assert json.loads(path.read_text())["sequences"]["contact"] == newest


def test_an_export_from_before_sequences_restores_as_before(
    sample_db: Path, tmp_path: Path
) -> None:
    data = json.loads(export_json())
    del data["sequences"]
    path = tmp_path / "older.json"
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")

    open_database(tmp_path / "restored.db")
    import_json(path)

    newest = max(row["id"] for row in data["tables"]["contact"])
    assert Contact.create(name="Next").id == newest + 1
