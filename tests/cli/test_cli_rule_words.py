"""Repeat rules in words on the command line: follow-ups, and recurring events with next dates."""

from __future__ import annotations

import json
from pathlib import Path

GUILD = Path(__file__).parent.parent / "data" / "calendar" / "repeating_guild.ics"


def test_a_repeating_follow_up_says_its_rule_in_words(cli) -> None:
    r = cli("followups", "add", "Check in", "--due", "2026-11-30", "--repeat", "biweekly")
    assert r.stdout == "Added follow-up #1 due 2026-11-30, repeating every 2 weeks: Check in\n"
    assert "Repeats:      every 2 weeks\n" in cli("followups", "show", "1").stdout
    listed = cli("followups", "list").stdout.splitlines()
    assert listed[0].endswith("REPEATS") and listed[1].endswith("every 2 weeks")
    # --json keeps the rule itself, for scripts.
    assert json.loads(cli("followups", "show", "1", "--json").stdout)["repeat"] == (
        "FREQ=WEEKLY;INTERVAL=2"
    )


def test_a_recurring_event_shows_its_rule_in_words_and_next_dates(cli) -> None:
    cli("import", "ics", str(GUILD))
    shown = cli("events", "show", "Platform guild").stdout
    assert "Repeats:   every 2 weeks on Tuesday\n" in shown
    # From the frozen day, Mon 23 Nov 2026; 1 December is an EXDATE.
    assert "Next:      2026-11-17 18:00" not in shown
    assert "Next:      2026-12-15 18:00, 2026-12-29 18:00, 2027-01-12 18:00\n" in shown
    listed = cli("events", "list").stdout.splitlines()
    assert listed[1].endswith("every 2 weeks on Tuesday, next 2026-12-15 18:00")
    data = json.loads(cli("events", "show", "Platform guild", "--json").stdout)
    assert data["repeat"] == "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"
    assert data["repeat_words"] == "every 2 weeks on Tuesday"
    assert data["next_dates"] == ["2026-12-15T18:00", "2026-12-29T18:00", "2027-01-12T18:00"]


def test_one_follow_up_written_is_one_follow_up(cli, tmp_path: Path) -> None:
    cli("followups", "add", "Email Dana", "--due", "2026-11-30")
    r = cli("export", "ics", "-o", str(tmp_path / "f.ics"))
    assert r.stdout.startswith("Wrote 1 follow-up as events to ")
