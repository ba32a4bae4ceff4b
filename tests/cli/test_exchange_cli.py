"""``rapport import ...``, ``rapport export ...``, ``rapport contacts merge|duplicates``."""

from __future__ import annotations

import contextlib
import json
import stat
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent.parent / "data"
CONNECTIONS = str(DATA / "linkedin" / "Connections.csv")


def test_import_prints_a_summary_with_skipped_lines(cli: Any) -> None:
    result = cli("import", "linkedin", CONNECTIONS)

    assert result.exit_code == 0
    assert "contacts: 5 added" in result.output
    assert "line 8: no name" in result.output
    listed = json.loads(cli("contacts", "list", "--json").output)
    assert len(listed) == 5


def test_a_dry_run_lists_each_change_and_writes_nothing(cli: Any) -> None:
    result = cli("import", "vcard", str(DATA / "vcard" / "apple.vcf"), "--dry-run")

    assert "line 1: new contact: Priya Raman (Contoso, Ltd.)" in result.output
    assert "line 24: new organization: Tailspin Toys" in result.output
    assert "dry run, nothing was written" in result.output
    assert json.loads(cli("contacts", "list", "--json").output) == []


def test_a_failed_import_is_one_line_on_stderr_with_exit_code_5(cli: Any, tmp_path: Path) -> None:
    bad = tmp_path / "photo.csv"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")

    result = cli("import", "csv", str(bad))

    assert result.exit_code == 5
    assert result.stderr.count("\n") == 1
    assert "is a PNG image" in result.stderr


def test_strict_with_a_bad_row_exits_5(cli: Any) -> None:
    result = cli("import", "linkedin", CONNECTIONS, "--strict")

    assert result.exit_code == 5
    assert "--strict" in result.stderr


def test_json_summary_for_scripts(cli: Any) -> None:
    summary = json.loads(cli("import", "linkedin", CONNECTIONS, "--json").output)

    assert summary["created"] == 5
    assert summary["skipped"] == [
        {"line": 8, "reason": "no name (LinkedIn hides some members' names)"}
    ]


def test_exports_are_private_files_and_json_restores_into_a_new_database(
    sample_cli: Any, cli: Any, tmp_path: Path
) -> None:
    for kind, name in (("vcard", "all.vcf"), ("csv", "all.csv"), ("json", "all.json")):
        result = sample_cli("export", kind, "-o", str(tmp_path / name))
        assert result.exit_code == 0
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o600
    assert (tmp_path / "all.vcf").read_bytes().startswith(b"BEGIN:VCARD\r\nVERSION:4.0\r\n")

    fresh = cli  # an empty database of its own
    assert fresh("import", "json", str(tmp_path / "all.json")).exit_code == 0
    fresh("export", "json", "-o", str(tmp_path / "again.json"))
    assert (tmp_path / "again.json").read_text() == (tmp_path / "all.json").read_text()
    refused = sample_cli("import", "json", str(tmp_path / "all.json"))
    assert refused.exit_code == 5 and "empty" in refused.stderr


def test_vcard_30_export_to_standard_output(sample_cli: Any) -> None:
    result = sample_cli("export", "vcard", "--version", "3.0")

    assert result.output.count("BEGIN:VCARD") == result.output.count("VERSION:3.0")
    assert "VERSION:4.0" not in result.output


def test_duplicates_then_merge(cli: Any) -> None:
    cli("contacts", "add", "Dana Whitfield", "--email", "dana@northwind.example")
    cli("contacts", "add", "Dana W", "--phone", "+1 415 555 0134")
    cli("contacts", "add", "Dana Whitfield", "--org", "Northwind", "--allow-duplicate")

    pairs = json.loads(cli("contacts", "duplicates", "--json").output)
    assert [(p["first"]["id"], p["second"]["id"], p["reason"]) for p in pairs] == [
        (1, 3, "the same name")
    ]

    asked = cli("contacts", "merge", "1", "3", input="n\n").output
    assert asked.startswith("Merge #3 Dana Whitfield (Northwind) into #1 Dana Whitfield? ")
    result = cli("contacts", "merge", "1", "3", "--yes")

    assert result.exit_code == 0, result.output
    assert "Merged #3 Dana Whitfield into #1 Dana Whitfield" in result.output
    shown = json.loads(cli("contacts", "show", "1", "--json").output)
    assert shown["organization"] == "Northwind"
    assert json.loads(cli("contacts", "duplicates", "--json").output) == []


def test_a_hand_edited_backup_reads_the_same_in_every_command(
    sample_cli: Any, cli: Any, tmp_path: Path
) -> None:
    backup = tmp_path / "backup.json"
    assert sample_cli("export", "json", "-o", str(backup)).exit_code == 0
    data = json.loads(backup.read_text())
    followup = next(f for f in data["tables"]["follow_up"] if not f["done"])
    # Forms fromisoformat reads and a person may type: a compact day is a day.
    followup["due_date"] = "20261203"
    backup.write_text(json.dumps(data))
    assert cli("import", "json", str(backup)).exit_code == 0
    plain = cli("followups", "due", "--days", "60").output
    as_json = json.loads(cli("followups", "due", "--days", "60", "--json").output)
    shown = {line.split()[0]: line.split()[1] for line in plain.splitlines()[1:]}
    assert shown == {str(f["id"]): f["due_date"] for f in as_json}
    assert shown[str(followup["id"])] == "2026-12-03"
    # An offset is no wall-clock time: the models kept it as text the plain reads
    # parsed; refused, with one line, and nothing is written.
    followup["due_time"] = "09:30:00+00:00"
    backup.write_text(json.dumps(data))
    fresh = type(cli)(tmp_path / "fresh.db")
    refused = fresh("import", "json", str(backup))
    assert refused.exit_code == 5
    assert refused.stderr == (
        f"rapport: table 'follow_up', row {followup['id']}: due_time '09:30:00+00:00' "
        "is not valid; nothing was imported\n"
    )
    assert json.loads(fresh("contacts", "list", "--json").output) == []


def test_a_restore_checks_every_contact_column_the_app_keeps_on_one_line(
    sample_cli: Any, cli: Any, tmp_path: Path
) -> None:
    from peewee import TextField

    from rapport.errors import ValidationError
    from rapport.models import Contact
    from rapport.services.contacts import CLEANERS
    from rapport.services.exchange import _VALUE_CHECKS

    # Which text columns the app ever stores with a line break, by what its
    # cleaners make of two values on two lines, against those a restore checks.
    values = ["Dana", "dana@example.com", "https://www.linkedin.com/in/dana", "+1 555 0100"]
    others = ["Owen", "owen@example.com", "https://www.linkedin.com/in/owen", "+1 555 0199"]
    two_lines = [f"{a}\n{b}" for a in values for b in others]
    one_line = set()
    for field in Contact._meta.sorted_fields:
        if isinstance(field, TextField):
            kept = []
            for value in two_lines:
                with contextlib.suppress(ValidationError):
                    kept.append(CLEANERS[field.name](value))
            if not any("\n" in text for text in kept):
                one_line.add(field.name)
    checked = {column for table, column in _VALUE_CHECKS if table == "contact"}
    assert one_line - checked == set()
    # What a person saw: a tag on two lines, which the tag filter never found.
    backup = tmp_path / "backup.json"
    assert sample_cli("export", "json", "-o", str(backup)).exit_code == 0
    data = json.loads(backup.read_text())
    data["tables"]["contact"][0]["tags"] = "mentor\nplatform"
    backup.write_text(json.dumps(data))
    refused = cli("import", "json", str(backup))
    assert refused.exit_code == 5
    assert refused.stderr.endswith("tags 'mentor\\nplatform' is not valid; nothing was imported\n")
