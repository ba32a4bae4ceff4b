"""`rapport followups undo`: the last done or snooze taken back; nothing to undo is one line."""

from __future__ import annotations


def test_undo_takes_back_a_snooze_then_a_done(cli) -> None:
    cli("followups", "add", "Late", "--due", "2026-11-20")
    cli("followups", "add", "Soon", "--due", "2026-11-26 08:30")
    cli("followups", "done", "1")
    cli("followups", "snooze", "2", "--by", "+1w")
    r = cli("followups", "undo")
    assert r.stdout == (
        "Undid snoozing #2 “Soon” on Mon 23 Nov 2026 at 09:00: open, due 2026-11-26 08:30\n"
    )
    r = cli("followups", "undo")
    assert r.stdout == (
        "Undid marking done #1 “Late” on Mon 23 Nov 2026 at 09:00: open, due 2026-11-20\n"
    )
    r = cli("followups", "undo")
    assert r.exit_code == 3
    assert r.stderr.strip().endswith(
        "nothing to undo: done and snooze of a follow-up can be undone"
    )
    assert "Traceback" not in r.stderr


def test_undo_says_when_the_action_it_took_back_was_made(cli, monkeypatch) -> None:
    # It named the follow-up alone: a done from days ago, undone by a stray
    # `followups undo`, read like the one just made. The app names the time too.
    monkeypatch.setenv("RAPPORT_NOW", "2026-11-20T17:30:00")  # Friday, days before
    cli("followups", "add", "Send Dana the reading list", "--due", "2026-11-21")
    cli("followups", "done", "1")
    monkeypatch.setenv("RAPPORT_NOW", "2026-11-23T09:00:00")
    r = cli("followups", "undo")
    assert r.exit_code == 0, r.stderr
    assert r.stdout == (
        "Undid marking done #1 “Send Dana the reading list” on Fri 20 Nov 2026 at 17:30: "
        "open, due 2026-11-21\n"
    )
