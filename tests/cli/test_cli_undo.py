"""`rapport followups undo`: the last done or snooze taken back; nothing to undo is one line."""

from __future__ import annotations


def test_undo_takes_back_a_snooze_then_a_done(cli) -> None:
    cli("followups", "add", "Late", "--due", "2026-11-20")
    cli("followups", "add", "Soon", "--due", "2026-11-26 08:30")
    cli("followups", "done", "1")
    cli("followups", "snooze", "2", "--by", "+1w")
    r = cli("followups", "undo")
    assert r.stdout == "Undid the snooze of #2 Soon: open, due 2026-11-26 08:30\n"
    r = cli("followups", "undo")
    assert r.stdout == "Undid the done of #1 Late: open, due 2026-11-20\n"
    r = cli("followups", "undo")
    assert r.exit_code == 3
    assert r.stderr.strip().endswith(
        "nothing to undo: done and snooze of a follow-up can be undone"
    )
    assert "Traceback" not in r.stderr
