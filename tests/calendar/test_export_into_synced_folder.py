"""A plain ``export ics --vdir DIR`` into a folder ``rapport sync`` keeps: the phone's side stays.

vdirsyncer brings what the phone did into the folder between two syncs (a task
ticked off, moved, made there).  A one-way export that wrote rapport's version
over such a file lost it for good: the next sync found the folder agreeing with
rapport, and vdirsyncer sent rapport's version back up to the phone.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

EXPORT = ("export", "ics", "--todo", "--vdir")


def run(cli, *args: str) -> str:
    result = cli(*args)
    assert result.exit_code == 0, result.output + result.stderr
    return result.output


def folder_bytes(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.ics"))}


def as_vdirsyncer_writes(path: Path, data: bytes) -> None:
    """A file as vdirsyncer leaves it: written beside, then renamed over (a new inode)."""
    beside = path.with_name(f".{path.name}.tmp")
    beside.write_bytes(data)
    os.replace(beside, path)


def phone_edit(path: Path, old: str, new: str) -> None:
    """The phone's change of a task, SEQUENCE one up, as it reaches the folder."""
    text = path.read_text()
    assert old in text, old
    sequence = next(line for line in text.splitlines() if line.startswith("SEQUENCE:"))
    text = text.replace(old, new, 1).replace(
        sequence, f"SEQUENCE:{int(sequence.split(':')[1]) + 1}", 1
    )
    as_vdirsyncer_writes(path, text.encode())


PHONE_TASK = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//phone//EN\r\nBEGIN:VTODO\r\n"
    "UID:phone-made-1\r\nDTSTAMP:20261124T080000Z\r\nSUMMARY:Ask Dana for the slides\r\n"
    "STATUS:NEEDS-ACTION\r\nEND:VTODO\r\nEND:VCALENDAR\r\n"
)


@pytest.fixture
def synced(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Two follow-ups with Dana, ``rapport sync``ed into its task folder (no vdirsyncer)."""
    folder = tmp_path / "tasks"
    folder.mkdir()
    config = tmp_path / "config.toml"
    config.write_text(f'[sync]\ntasks = "{folder}"\nvdirsyncer = false\n')
    monkeypatch.setenv("RAPPORT_CONFIG", str(config))
    run(cli, "contacts", "add", "Dana Whitfield")
    run(cli, "followups", "add", "Send Dana the deck", "--contact", "Dana", "--due", "2026-12-12")
    run(cli, "followups", "add", "Call Dana", "--contact", "Dana", "--due", "2026-12-10 10:00")
    assert run(cli, "sync") == "2 sent\n"
    return folder


def task_file(cli, folder: Path, number: str) -> Path:
    uid = json.loads(run(cli, "followups", "show", number, "--json"))["uid"]
    return folder / f"{uid}.ics"


def test_a_task_ticked_off_on_the_phone_is_not_overwritten_by_a_plain_export(
    cli, synced: Path
) -> None:
    path = task_file(cli, synced, "1")
    phone_edit(path, "STATUS:NEEDS-ACTION", "STATUS:COMPLETED\r\nCOMPLETED:20261124T090000Z")
    before = folder_bytes(synced)
    refused = cli(*EXPORT, str(synced))
    assert refused.exit_code != 0
    assert refused.stderr.count("\n") == 1, refused.stderr
    assert "changed elsewhere since the last sync" in refused.stderr
    assert "rapport sync" in refused.stderr
    assert folder_bytes(synced) == before  # the phone's done is still there
    assert run(cli, "sync").endswith("1 done elsewhere\n")
    shown = json.loads(run(cli, "followups", "show", "1", "--json"))
    assert shown["done"] is True
    # Synced, the folder takes a plain export again, the task still done in it.
    run(cli, *EXPORT, str(synced), "--include-done")
    assert "STATUS:COMPLETED" in path.read_text()
    assert run(cli, "sync") == "nothing changed\n"


def test_a_phone_change_to_a_task_edited_in_rapport_is_not_overwritten(cli, synced: Path) -> None:
    path = task_file(cli, synced, "2")
    run(cli, "followups", "edit", "2", "--notes", "ask about the offsite")
    phone_edit(path, "DUE;TZID=America/Los_Angeles:20261210T100000", "DUE:20261211")
    before = folder_bytes(synced)
    assert cli(*EXPORT, str(synced)).exit_code != 0
    assert folder_bytes(synced) == before
    report = run(cli, "sync")
    assert "1 moved" in report and "1 sent" not in report, report
    shown = json.loads(run(cli, "followups", "show", "2", "--json"))
    assert (shown["due_date"], shown["notes"]) == ("2026-12-11", "ask about the offsite")


def test_a_done_task_reopened_on_the_phone_is_not_removed_by_a_plain_export(
    cli, synced: Path
) -> None:
    path = task_file(cli, synced, "1")
    run(cli, "followups", "done", "1")
    run(cli, "sync")
    phone_edit(path, "STATUS:COMPLETED", "STATUS:NEEDS-ACTION")
    before = folder_bytes(synced)
    assert cli(*EXPORT, str(synced)).exit_code != 0  # without --include-done it would go
    assert folder_bytes(synced) == before


def test_a_task_made_on_the_phone_survives_a_plain_export_and_comes_in_at_the_sync(
    cli, synced: Path
) -> None:
    as_vdirsyncer_writes(synced / "phone-made-1.ics", PHONE_TASK.encode())
    run(cli, "followups", "edit", "2", "--what", "Call Dana about the offsite")
    out = run(cli, *EXPORT, str(synced))
    assert "1 file written" in out, out
    assert (synced / "phone-made-1.ics").read_bytes() == PHONE_TASK.encode()
    assert run(cli, "sync").endswith("1 new from elsewhere\n")


def test_events_exported_into_a_synced_task_folder_are_refused(cli, synced: Path) -> None:
    before = folder_bytes(synced)
    refused = cli("export", "ics", "--vdir", str(synced))
    assert refused.exit_code != 0
    assert "--todo" in refused.stderr and refused.stderr.count("\n") == 1, refused.stderr
    assert folder_bytes(synced) == before
    assert run(cli, "sync") == "nothing changed\n"


@pytest.mark.parametrize(
    "only",
    [
        ("--contact", "Sam"),
        ("--goal", "1"),
        ("--from", "2026-12-11"),
        ("--to", "2026-12-11"),
    ],
    ids=["contact", "goal", "from", "to"],
)
def test_a_filtered_export_into_a_synced_folder_is_refused(
    cli, synced: Path, only: tuple[str, str]
) -> None:
    # A filtered export removed the other follow-ups' files: the next sync listed them
    # as deleted elsewhere, and vdirsyncer alone would delete them from the phone.
    run(cli, "contacts", "add", "Sam Ortiz")
    run(cli, "goals", "add", "Lead a platform team")
    run(
        cli,
        "followups",
        "add",
        "Thank Sam",
        "--contact",
        "Sam",
        "--due",
        "2026-12-11",
        "--goal",
        "1",
    )
    run(cli, "sync")
    before = folder_bytes(synced)
    assert len(before) == 3
    refused = cli(*EXPORT, str(synced), *only)
    assert refused.exit_code == 6, refused.output + refused.stderr
    assert refused.stderr.count("\n") == 1, refused.stderr
    assert only[0] in refused.stderr
    assert "without" in refused.stderr and "another folder" in refused.stderr
    assert folder_bytes(synced) == before
    assert run(cli, "sync") == "nothing changed\n"
    # Unfiltered, the export still writes the folder, and into another folder a filter is fine.
    assert "0 removed" in run(cli, *EXPORT, str(synced))
    other = synced.parent / "only-some"
    assert "1 follow-up as tasks" in run(cli, *EXPORT, str(other), "--contact", "Sam")
    assert run(cli, "sync") == "nothing changed\n"
