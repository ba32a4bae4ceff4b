"""A sync round tells how far it is as it goes: each step, with counts."""

from __future__ import annotations

import sys
from pathlib import Path

from rapport.services import contacts, followups
from rapport.services.sync_round import SyncSettings, run_round


def test_the_round_tells_each_step_with_its_counts(db_path: Path, tmp_path: Path) -> None:
    for n in range(150):
        contacts.create_contact(f"Person {n:03}")
    followups.create_followup("Send Dana the deck", due="2026-11-25")
    followups.create_followup("Call Yosef", due="2026-11-26")
    tasks, cards = tmp_path / "tasks", tmp_path / "cards"
    tasks.mkdir()
    cards.mkdir()
    script = tmp_path / "vdirsyncer"
    script.write_text(f"#!{sys.executable}\n")
    script.chmod(0o700)
    settings = SyncSettings(
        tasks=tasks, contacts=cards, vdirsyncer=True, vdirsyncer_command=str(script)
    )
    told: list[tuple[str, int, int]] = []
    report = run_round(settings, progress=lambda *said: told.append(said))
    assert report.words() == "152 sent"
    assert told == [
        ("taking in: tasks", 0, 2),
        ("taking in: tasks", 2, 2),
        ("vdirsyncer sync rapport", 0, 0),
        ("sending: contacts", 0, 150),
        ("sending: contacts", 100, 150),
        ("sending: contacts", 150, 150),
        ("sending: writing 150 cards", 0, 0),
        ("sending: tasks", 0, 2),
        ("sending: tasks", 2, 2),
        ("sending: writing 2 task files", 0, 0),
        ("vdirsyncer sync rapport", 0, 0),
    ]


def test_a_sync_summary_agrees_its_words_with_each_count() -> None:
    """'1 contacts changed elsewhere' and '2 conflict kept in notes' were what a sync said."""
    from rapport.services.sync_records import SyncReport

    report = SyncReport("/tmp/cards")
    report.add("changed", "a@x", "Dana")
    report.add("conflict", "b@x", "Ken")
    report.add("conflict", "c@x", "Rosa")
    report.add("unreadable", "d@x", "")
    assert report.words() == (
        "1 contact changed elsewhere, 2 conflicts kept in notes, 1 unreadable file left alone"
    )
    report.add("changed", "e@x", "Lena")
    assert report.words().startswith("2 contacts changed elsewhere, 2 conflicts kept")
