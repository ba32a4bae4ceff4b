"""Commands hold under what people and scripts type: huge numbers, '-words', half-done writes."""

from __future__ import annotations

import json

import pytest

HUGE = str(2**63)

# Every command that takes a record's number, given one no record can have.
HUGE_ID_COMMANDS = [
    ("contacts", "show", HUGE),
    ("contacts", "edit", HUGE, "--role", "x"),
    ("goals", "show", HUGE),
    ("interactions", "show", HUGE),
    ("interactions", "delete", HUGE, "--yes"),
    ("interviews", "show", HUGE),
    ("interviews", "done", HUGE),
    ("interviews", "cancel", HUGE),
    ("interviews", "refer", HUGE, "dana"),
    ("events", "show", HUGE),
    ("followups", "show", HUGE),
    ("followups", "done", "1", HUGE),
    ("followups", "snooze", HUGE),
    ("followups", "reopen", HUGE),
    ("followups", "add", "x", "--interview", HUGE),
    ("link", f"interview:{HUGE}", "--goal", "1"),
    ("link", "dana", "--goal", HUGE),
    ("log", HUGE),
]


@pytest.mark.parametrize("args", HUGE_ID_COMMANDS, ids=" ".join)
def test_an_id_too_large_for_any_record_is_one_line_not_a_crash(sample_cli, args) -> None:
    r = sample_cli(*args)
    assert r.exit_code in (2, 3), r.output
    assert r.stderr.startswith("rapport: ") and r.stderr.count("\n") == 1, r.stderr
    assert HUGE in r.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("followups", "due", "--days", "3000000"),
        ("today", "--days", "3000000"),
        ("search", "dana", "--limit", HUGE),
        ("interactions", "list", "--limit", HUGE),
    ],
    ids=" ".join,
)
def test_counts_and_days_are_range_checked(sample_cli, args) -> None:
    r = sample_cli(*args)
    assert r.exit_code == 2, r.output
    assert r.stderr.startswith("rapport: Invalid value for") and "range" in r.stderr


def test_a_search_word_starting_with_a_dash_is_a_word(sample_cli) -> None:
    everything = json.loads(sample_cli("search", "platform", "--json").stdout)
    r = sample_cli("search", "platform", "-strategy", "--json")
    assert r.exit_code == 0, r.output
    left = json.loads(r.stdout)
    assert len(left) < len(everything)
    assert not any("strategy" in hit["title"].lower() for hit in left)
    # Its own options still work, wherever they stand.
    assert len(json.loads(sample_cli("search", "--limit", "1", "platform", "--json").stdout)) == 1
