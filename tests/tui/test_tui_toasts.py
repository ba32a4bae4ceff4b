"""Notifications stay out of the way: at 80×24 a run of them leaves the list readable."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from tui_helpers import notices, press, screen_text

# The left edge Textual draws on every line of a toast.
TOAST_EDGE = "▌"


def toast_rows(shown: str) -> list[str]:
    return [line for line in shown.splitlines() if TOAST_EDGE in line]


def test_four_dones_in_a_row_leave_most_of_an_80x24_screen_to_the_list(
    sample_db: Path, open_app: Any
) -> None:
    async def scenario() -> tuple[str, list[str]]:
        async with open_app(sample_db, (80, 24), toasts=True) as pilot:
            await press(pilot, "down", "d", "d", "d", "d")
            return screen_text(pilot), notices(pilot)

    shown, said = asyncio.run(scenario())
    assert len([n for n in said if n.startswith("Done: ")]) == 4
    rows = toast_rows(shown)
    # The toasts take at most a third of the screen, the newest among them.
    assert 0 < len(rows) <= 8, "\n" + shown
    assert any("Reply to Priya" in row for row in rows), "\n" + shown  # the newest
    # The list's top lines (the day, the headings, the first follow-ups) stay clear.
    top = shown.splitlines()[:8]
    assert not [line for line in top if TOAST_EDGE in line], "\n" + shown


def test_the_same_message_again_is_one_toast_not_a_pile(sample_db: Path, open_app: Any) -> None:
    async def scenario() -> str:
        async with open_app(sample_db, (80, 24), toasts=True) as pilot:
            # On a person going cold, d has no follow-up to mark done: said once,
            # however often pressed.
            await press(pilot, "end", "d", "d", "d", "d")
            return screen_text(pilot)

    shown = asyncio.run(scenario())
    assert shown.count("That line is a person") == 1, "\n" + shown


def test_an_error_stays_on_screen_while_dones_give_way_to_each_other(
    sample_db: Path, open_app: Any
) -> None:
    async def scenario() -> str:
        async with open_app(sample_db, (80, 24), toasts=True) as pilot:
            # What a failed save says (shown for long: it must be read).
            pilot.app.notify("not saved: the disk is full", severity="error", timeout=30)
            await pilot.pause()
            await press(pilot, "down", "d", "d", "d")
            return screen_text(pilot)

    shown = asyncio.run(scenario())
    rows = toast_rows(shown)
    assert any("the disk is full" in row for row in rows), "\n" + shown
    assert any("Done: " in row for row in rows), "\n" + shown  # the newest done
    assert 0 < len(rows) <= 8, "\n" + shown


def test_a_toast_closed_by_a_click_leaves_room_for_the_others(
    sample_db: Path, open_app: Any
) -> None:
    async def scenario() -> str:
        async with open_app(sample_db, (80, 24), toasts=True) as pilot:
            # Two toasts fit at 80×24: the person reads the newest and clicks it away.
            pilot.app.notify("first of three", timeout=30)
            pilot.app.notify("second of three", timeout=30)
            await pilot.pause()
            second = next(t for t in pilot.app.screen.query("Toast") if "second" in str(t.render()))
            await pilot.click(second)
            await pilot.pause()
            pilot.app.notify("third of three", timeout=30)
            await pilot.pause()
            return screen_text(pilot)

    rows = toast_rows(asyncio.run(scenario()))
    # The closed one no longer counts: the first stays beside the third.
    assert any("first of three" in row for row in rows), rows
    assert any("third of three" in row for row in rows), rows
    assert not any("second of three" in row for row in rows), rows
