"""The weekly promise: ``review --week --commit``, ``--missed N "reason"``, ``--on DATE``.

What a person notices: what they promise shows in the next week's check-in
as kept (with what kept it), missed (with what got in the way) or asked; the
check-in they committed at is kept and can be read again; a promise that
does not exist is refused and nothing at all is written.
"""

from __future__ import annotations

import json

import pytest


@pytest.fixture
def last_week(cli, monkeypatch: pytest.MonkeyPatch):
    cli("contacts", "add", "Dana Whitfield")
    cli("contacts", "add", "Owen Price")
    monkeypatch.setenv("RAPPORT_NOW", "2026-11-16T09:00:00")
    made = cli(
        "review",
        "--week",
        "--commit",
        "Ask Dana for a SQL review",
        "--commit",
        "Write the team charter",
        "--commit",
        "Send Owen the slides",
    )
    assert made.exit_code == 0, made.output
    assert "### For the coming week\n\n- 1. Ask Dana for a SQL review\n" in made.output
    monkeypatch.setenv("RAPPORT_NOW", "2026-11-20T09:00:00")
    cli("log", "Dana", "--summary", "coffee", "--channel", "coffee")
    cli("followups", "add", "Write the team charter", "--due", "today")
    cli("followups", "done", "1")
    monkeypatch.setenv("RAPPORT_NOW", "2026-11-23T09:00:00")
    return cli


def test_next_week_says_which_promises_were_kept(last_week) -> None:
    out = last_week("review", "--week", "--missed", "3", "Owen was away").output
    assert out[out.index("## Promises") :] == (
        "## Promises\n\n### From last week\n\n"
        "- 1. Ask Dana for a SQL review: **kept** (coffee with Dana Whitfield on Fri 20 Nov)\n"
        "- 2. Write the team charter: **kept** (follow-up closed: Write the team charter)\n"
        "- 3. Send Owen the slides: **missed**: Owen was away\n\n"
        "### For the coming week\n\n"
        '- nothing yet: `rapport review --week --commit "..."`\n'
    )
    data = json.loads(last_week("review", "--week", "--json").output)["promises"]
    assert [(p["id"], p["state"], p["reason"]) for p in data["last_week"]] == [
        (1, "kept", None),
        (2, "kept", None),
        (3, "missed", "Owen was away"),
    ]


def test_a_promise_nothing_kept_is_asked_about(last_week) -> None:
    last_week("followups", "reopen", "1")
    out = last_week("review", "--week").output
    assert (
        "- 2. Write the team charter: did it happen? If not: "
        '`rapport review --week --missed 2 "what got in the way"`'
    ) in out


def test_the_check_in_committed_at_can_be_read_again(last_week) -> None:
    kept = last_week("review", "--week", "--on", "2026-11-16")
    assert kept.exit_code == 0
    assert kept.output.startswith("# Weekly check-in, 10–16 Nov 2026\n")
    assert "- 3. Send Owen the slides\n" in kept.output
    missing = last_week("review", "--week", "--on", "2026-11-17")
    assert missing.exit_code == 3
    assert missing.stderr == ("rapport: no check-in was kept on 2026-11-17; kept: 2026-11-16\n")


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (("--missed", "99", "busy", "--commit", "Book the hotel"), 3, "no promise '99'"),
        # A number no row can have (past SQLite's integers) is no promise either.
        (("--missed", str(10**21), "busy", "--commit", "Book the hotel"), 3, "no promise '1000"),
        (("--missed", "1", "  ", "--commit", "Book the hotel"), 2, "missed: must not be empty"),
        (("--commit", "Book the hotel", "--commit", " "), 2, "commit: must not be empty"),
    ],
)
def test_a_refused_promise_writes_nothing(last_week, dump, args, code: int, words: str) -> None:
    before = dump(last_week.db)
    result = last_week("review", "--week", *args)
    assert result.exit_code == code
    assert words in result.stderr
    assert dump(last_week.db) == before


def test_promises_go_with_the_week(cli) -> None:
    result = cli("review", "--commit", "Book the hotel")
    assert result.exit_code == 2
    assert "--commit, --missed, --drop and --on go with --week" in result.stderr


def test_the_same_promise_twice_in_a_week_is_refused_and_says_which(last_week, dump) -> None:
    made = last_week("review", "--week", "--commit", "Ask Ken for a mock hiring loop")
    assert "- 4. Ask Ken for a mock hiring loop\n" in made.output
    before = dump(last_week.db)
    again = last_week("review", "--week", "--commit", "ask Ken for a mock  hiring loop")
    assert again.exit_code == 2
    assert again.stderr == (
        "rapport: commit: you already promised “Ask Ken for a mock hiring loop” this week "
        "(promise 4); --drop 4 takes a promise back\n"
    )
    twice = last_week("review", "--week", "--commit", "Book it", "--commit", "book it")
    assert (twice.exit_code, twice.stderr) == (
        2,
        "rapport: commit: “book it” is promised twice; give it once\n",
    )
    assert dump(last_week.db) == before


def test_drop_takes_back_a_promise_made_by_mistake(last_week) -> None:
    last_week("review", "--week", "--commit", "Ask Ken for a mock hiring loop", "--commit", "Oops")
    dropped = last_week("review", "--week", "--drop", "5")
    assert dropped.exit_code == 0
    assert dropped.stderr == "Dropped promise 5: Oops\n"
    assert dropped.output.endswith(
        "### For the coming week\n\n- 4. Ask Ken for a mock hiring loop\n"
    )
    data = json.loads(last_week("review", "--week", "--json").output)["promises"]
    assert [p["id"] for p in data["this_week"]] == [4]
    again = last_week("review", "--week", "--drop", "5")
    assert (again.exit_code, again.stderr) == (
        3,
        "rapport: no promise '5' (the check-in numbers them)\n",
    )
    # Dropped and made again in one go: a rewording, not a second promise.  It is
    # a new promise with a number of its own: 4 and 5 are never given again.
    reworded = last_week(
        "review", "--week", "--drop", "4", "--commit", "Ask Ken for a mock hiring loop"
    )
    assert reworded.exit_code == 0, reworded.stderr
    assert reworded.output.endswith(
        "### For the coming week\n\n- 6. Ask Ken for a mock hiring loop\n"
    )


def test_a_dropped_promise_number_is_never_given_again(last_week) -> None:
    # `--drop 5` then a new promise made it promise 5 again: a script holding
    # "5" then marked or dropped another promise.
    last_week("review", "--week", "--commit", "Ask Ken for a mock hiring loop", "--commit", "Oops")
    assert last_week("review", "--week", "--drop", "5").exit_code == 0
    made = last_week("review", "--week", "--commit", "Book the hotel")
    assert made.output.endswith(
        "### For the coming week\n\n- 4. Ask Ken for a mock hiring loop\n- 6. Book the hotel\n"
    )
    gone = last_week("review", "--week", "--drop", "5")
    assert (gone.exit_code, gone.stderr) == (
        3,
        "rapport: no promise '5' (the check-in numbers them)\n",
    )


def test_a_promise_of_an_earlier_week_cannot_be_dropped(last_week, dump, monkeypatch) -> None:
    before = dump(last_week.db)
    kept = last_week("review", "--week", "--drop", "1")
    assert (kept.exit_code, kept.stdout) == (2, "")
    assert kept.stderr == (
        "rapport: drop: promise 1 was made before this week (Mon 16 Nov): it stays on the "
        "record, and only this week's promises can be taken back; "
        'if it did not happen, --missed 1 "what got in the way" says so\n'
    )
    asked = last_week("review", "--week", "--drop", "3", "--commit", "Book a mock loop")
    assert asked.exit_code == 2 and "promise 3 was made before this week" in asked.stderr
    monkeypatch.setenv("RAPPORT_NOW", "2026-12-07T09:00:00")
    old = last_week("review", "--week", "--drop", "2")
    assert old.stderr == (
        "rapport: drop: promise 2 was made before this week (Mon 16 Nov): it stays on the "
        "record, and only this week's promises can be taken back\n"
    )
    assert dump(last_week.db) == before


@pytest.mark.parametrize(
    "change",
    [
        ("--commit", "Call Ana"),
        ("--drop", "4"),
        ("--missed", "3", "Owen was away"),
        ("--missed", "3", "Owen was away", "--json"),
    ],
)
def test_a_check_in_that_cannot_be_written_records_nothing(
    last_week, dump, tmp_path, change
) -> None:
    last_week("review", "--week", "--commit", "Ask Ken for a mock hiring loop")
    before = dump(last_week.db)
    nowhere = tmp_path / "no" / "such" / "dir" / "checkin.md"
    failed = last_week("review", "--week", *change, "-o", str(nowhere))
    assert failed.exit_code == 1
    assert failed.stderr.startswith(f"rapport: cannot write {nowhere}: ")
    assert dump(last_week.db) == before
    retried = last_week("review", "--week", *change, "-o", str(tmp_path / "checkin.md"))
    assert retried.exit_code == 0, retried.stderr
    assert retried.stdout == f"Wrote the check-in to {tmp_path / 'checkin.md'}\n"


def test_a_promise_of_this_week_cannot_be_missed_yet(last_week, dump) -> None:
    last_week("review", "--week", "--commit", "Ask Ken for a mock hiring loop")
    before = dump(last_week.db)
    early = last_week("review", "--week", "--missed", "4", "duplicate")
    assert early.exit_code == 2
    assert early.stdout == ""
    assert early.stderr == (
        "rapport: missed: promise 4 was made this week (Mon 23 Nov), so it is too early to "
        "call it missed: the check-in from Mon 30 Nov asks about it (--drop 4 takes it back)\n"
    )
    assert dump(last_week.db) == before


def test_a_missing_reason_points_at_the_review_help(last_week) -> None:
    result = last_week("review", "--week", "--missed", "3")
    assert result.exit_code == 2
    assert result.stderr == (
        "rapport: Option '--missed' requires 2 arguments (see 'rapport review --help')\n"
    )
    nested = last_week("me", "skill", "SQL", "--level")
    assert nested.stderr == (
        "rapport: Option '--level' requires an argument (see 'rapport me skill --help')\n"
    )


def test_a_mark_made_before_the_refusal_shows_in_both_shapes(last_week) -> None:
    import sqlite3

    last_week("review", "--week", "--commit", "Ask Ken for a mock hiring loop")
    # An older rapport let one of this week's promises be marked missed.
    with sqlite3.connect(last_week.db) as db:
        db.execute("UPDATE promise SET missed = 1, reason = 'duplicate' WHERE id = 4")
    out = last_week("review", "--week").output
    assert out.endswith(
        "### For the coming week\n\n- 4. Ask Ken for a mock hiring loop: **missed**: duplicate\n"
    )
    (promise,) = json.loads(last_week("review", "--week", "--json").output)["promises"]["this_week"]
    assert (promise["state"], promise["reason"]) == ("missed", "duplicate")


def test_only_a_promise_the_check_in_asks_about_can_be_called_missed(
    last_week, dump, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Promise 3 (Mon 16 Nov) two check-ins later: --missed was taken and written,
    # and showed nowhere (the check-in lists last week's promises alone).
    monkeypatch.setenv("RAPPORT_NOW", "2026-11-30T09:00:00")
    before = dump(last_week.db)
    late = last_week("review", "--week", "--missed", "3", "Owen was away")
    assert (late.exit_code, late.stdout) == (2, "")
    assert late.stderr == (
        "rapport: missed: promise 3 was made on Mon 16 Nov, before last week: its check-in is "
        "past; --missed takes a promise made from Tue 17 Nov to Mon 23 Nov\n"
    )
    assert dump(last_week.db) == before
    # The day before, it was last week's: asked about, and missed it can be.
    monkeypatch.setenv("RAPPORT_NOW", "2026-11-29T09:00:00")
    assert last_week("review", "--week", "--missed", "3", "Owen was away").exit_code == 0


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (
            ("--missed", "3", "away", "--missed", "3", "ill"),
            "missed: promise 3 is said missed twice; give it once",
        ),
        (
            # Last week's promise: the drop is refused first (it stays on the record).
            ("--missed", "3", "away", "--drop", "3"),
            "drop: promise 3 was made before this week (Mon 16 Nov): it stays on the record, "
            "and only this week's promises can be taken back; if it did not happen, "
            '--missed 3 "what got in the way" says so',
        ),
    ],
    ids=["twice", "and dropped"],
)
def test_a_promise_is_missed_or_dropped_once(last_week, dump, args, said: str) -> None:
    # Both were taken: the second reason silently replaced the first, and a
    # promise marked missed was then deleted by the same command.
    before = dump(last_week.db)
    result = last_week("review", "--week", *args)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", f"rapport: {said}\n")
    assert dump(last_week.db) == before


def test_the_help_says_which_promises_each_option_takes(last_week) -> None:
    shown = " ".join(last_week("review", "--help").stdout.split())
    assert "--missed N REASON With --week: promise N, one of last week's, did not happen" in shown
    dropped = "--drop N With --week: take back promise N, made this week by mistake (repeatable)"
    assert dropped in shown
