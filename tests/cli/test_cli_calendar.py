"""``rapport export ics`` and ``rapport import ics`` as a person runs them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from icalendar import Calendar

from rapport.text import without_controls

DATA = Path(__file__).resolve().parent.parent / "data" / "calendar"


def test_export_to_a_file_and_to_stdout(sample_cli, tmp_path: Path) -> None:
    target = tmp_path / "followups.ics"
    result = sample_cli("export", "ics", "-o", str(target))
    assert result.exit_code == 0, result.output
    assert result.output == f"Wrote 13 follow-ups as events to {target}\n"
    assert len(Calendar.from_ical(target.read_bytes()).events) == 13
    out = sample_cli("export", "ics", "-o", "-", "--todo", "--contact", "dana")
    assert out.exit_code == 0
    todos = Calendar.from_ical(out.stdout_bytes).todos
    assert sorted(str(t["SUMMARY"]) for t in todos) == [
        "Follow up: monthly mentoring check-in with Dana",
        "Follow up: send Dana the platform strategy draft",
    ]


def test_export_to_a_vdir(sample_cli, tmp_path: Path) -> None:
    result = sample_cli("export", "ics", "--vdir", str(tmp_path / "v"), "--include-done")
    assert result.exit_code == 0
    assert "15 follow-ups as events (2 closed); 15 files written" in result.output
    assert len(list((tmp_path / "v").glob("*.ics"))) == 15


def test_export_needs_exactly_one_destination_and_valid_options(sample_cli, tmp_path: Path) -> None:
    assert sample_cli("export", "ics").exit_code == 2
    assert sample_cli("export", "ics", "-o", "-", "--sync").exit_code == 2
    bad = sample_cli("export", "ics", "-o", "-", "--alarm", "soonish")
    assert bad.exit_code == 2 and bad.stderr.startswith("rapport: alarm: can't read")
    missing = sample_cli("export", "ics", "-o", str(tmp_path / "no" / "such" / "f.ics"))
    assert missing.exit_code == 1
    assert missing.stderr.count("\n") == 1 and "cannot write" in missing.stderr


def test_import_dry_run_then_import_then_again(sample_cli) -> None:
    cases = str(DATA / "import_cases.ics")
    dry = sample_cli("import", "ics", cases, "--dry-run")
    assert dry.exit_code == 0
    assert "Dry run, nothing written: would import 12 events: 11 new" in dry.output
    assert "ignored 1 VJOURNAL, 1 VTODO" in dry.output
    first = sample_cli("import", "ics", cases, "--goal", "regional conference")
    assert "Imported 12 events: 11 new" in first.output
    events = sample_cli("events", "list", "--json")
    count = events.output.count('"ics_uid"')
    again = sample_cli("import", "ics", cases)
    assert "0 new, 0 updated, 11 unchanged" in again.output
    assert sample_cli("events", "list", "--json").output.count('"ics_uid"') == count


def test_import_of_a_bad_file_is_one_line_and_exit_5(sample_cli, tmp_path: Path) -> None:
    bad = tmp_path / "notes.ics"
    bad.write_text("shopping list\n")
    result = sample_cli("import", "ics", str(bad))
    assert result.exit_code == 5
    assert result.stderr == (
        f"rapport: {bad} is not an iCalendar file (it starts with 'shopping list', "
        "not BEGIN:VCALENDAR)\n"
    )


def test_help_does_not_load_icalendar() -> None:
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from rapport.cli import cli\n"
        "CliRunner().invoke(cli, ['--help'])\n"
        "CliRunner().invoke(cli, ['export', 'ics', '--help'])\n"
        "print('icalendar' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_imported_text_keeps_no_control_character(cli, tmp_path: Path) -> None:
    # A calendar's text reaches a terminal, a backup and other calendars: an ESC
    # in a UID made the next `import json` of that backup refuse it.
    ics = tmp_path / "odd.ics"
    ics.write_bytes(
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\n"
        b"UID:abc\x1b]52;c;aGk=\x07@x\r\nDTSTAMP:20261201T000000Z\r\n"
        b"DTSTART:20261210T180000Z\r\nSUMMARY:Meetup\x1b[2J one\r\n"
        b"LOCATION:Here\x07\r\nDESCRIPTION:desc\x1b]0;t\x07 ok\r\n"
        b"END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    assert cli("import", "ics", str(ics)).exit_code == 0
    shown = cli("events", "show", "1").output
    assert "Meetup[2J one" in shown and "Notes:     desc]0;t ok" in shown
    backup = tmp_path / "backup.json"
    assert cli("export", "json", "-o", str(backup)).exit_code == 0
    assert '"ics_uid": "abc]52;c;aGk=@x"' in backup.read_text()
    restored = type(cli)(tmp_path / "restored.db")("import", "json", str(backup))
    assert restored.exit_code == 0, restored.stderr
    # The same file again finds the event it made: the UID is cleaned alike each time.
    again = cli("import", "ics", str(ics))
    assert "0 new, 0 updated, 1 unchanged" in again.output


def test_a_task_made_on_the_phone_keeps_no_control_character(cli, tmp_path: Path) -> None:
    tasks = tmp_path / "tasks"
    tasks.mkdir()
    (tasks / "phone-1.ics").write_bytes(
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VTODO\r\nUID:phone-1\r\n"
        b"DTSTAMP:20261201T000000Z\r\nDUE;VALUE=DATE:20261205\r\n"
        b"SUMMARY:Call\x1b]0;x\x07 Dana\r\nDESCRIPTION:ring\x1b[2J her\r\n"
        b"END:VTODO\r\nEND:VCALENDAR\r\n"
    )
    synced = cli("export", "ics", "--vdir", str(tasks), "--todo", "--sync")
    assert "new from elsewhere  Call]0;x Dana  follow-up 1" in synced.output
    shown = cli("followups", "show", "1").output
    assert "Call]0;x Dana" in shown and "ring[2J her" in shown and "\\u00" not in shown
    again = cli("export", "ics", "--vdir", str(tasks), "--todo", "--sync")
    assert again.output == f"{tasks}: nothing changed\n"


@pytest.mark.parametrize(
    ("line", "kept", "now"),
    [
        (b"abc\x1b]52;c;aGk=\x07@x", "abc\x1b]52;c;aGk=\x07@x", "abc]52;c;aGk=@x"),
        # A tab, an escaped line break: folded to spaces now, kept before.
        (b"abc\tdef\\nghi@x", "abc\tdef\nghi@x", "abc def ghi@x"),
    ],
)
def test_an_event_an_older_rapport_kept_with_a_control_character_is_found_again(
    cli, tmp_path: Path, line: bytes, kept: str, now: str
) -> None:
    import sqlite3

    ics = tmp_path / "odd.ics"
    ics.write_bytes(
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\n"
        b"UID:" + line + b"\r\nDTSTAMP:20261201T000000Z\r\n"
        b"DTSTART:20261210T180000Z\r\nSUMMARY:Meetup\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    assert cli("import", "ics", str(ics)).exit_code == 0
    # As rapport kept it before it dropped (or folded) a UID's control characters.
    with sqlite3.connect(cli.db) as db:
        db.execute("UPDATE event SET ics_uid = ?", (kept,))
    db.close()
    # Its backup restores, the UID without them.
    backup = tmp_path / "backup.json"
    assert cli("export", "json", "-o", str(backup)).exit_code == 0
    restored = type(cli)(tmp_path / "restored.db")
    result = restored("import", "json", str(backup))
    assert result.exit_code == 0, result.stderr
    shown = json.loads(restored("events", "list", "--json").output)
    assert [e["ics_uid"] for e in shown] == [without_controls(kept)]
    # The same file again finds the event, in the database and in its restored copy.
    for db in (cli, restored):
        again = db("import", "ics", str(ics))
        assert "0 new, 0 updated, 1 unchanged" in again.output
        listed = json.loads(db("events", "list", "--json").output)
        assert [e["ics_uid"] for e in listed] == [now]
