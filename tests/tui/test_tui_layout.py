"""Wide terminals show more, never less: framed panes with their names, the list as wide as its
columns need, the detail taking the rest, long values wrapped under themselves."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from tui_helpers import press, screen_text, settle


def pane_of(lines: list[str], text: str) -> str:
    """The detail pane's part of the line holding ``text``."""
    line = next(line for line in lines if text in line)
    return line[line.index("││") + 2 :]


def test_at_120_columns_the_panes_are_framed_and_named(sample_db: Path, open_app: Any) -> None:
    async def scenario() -> list[str]:
        async with open_app(sample_db, size=(120, 40)) as pilot:
            await press(pilot, "3")
            return screen_text(pilot).splitlines()

    lines = asyncio.run(scenario())
    assert lines[1].startswith("╭─ Contacts ─")
    # Beside the detail the list would be cut: it goes above it, whole, and
    # the detail below takes the full width.
    assert any("│ Elena Sokolova   OpenGrid Foundation " in line for line in lines)
    assert any(line.startswith("╭─ Contact ─") for line in lines[2:])
    assert any("│ How we met    Reached out on LinkedIn " in line for line in lines)


def test_at_200_columns_the_detail_takes_the_room_the_list_does_not_need(
    sample_db: Path, open_app: Any
) -> None:
    async def scenario() -> tuple[int, int, list[str]]:
        async with open_app(sample_db, size=(200, 50)) as pilot:
            await press(pilot, "3")
            screen = pilot.app.screen
            return (
                screen.list_side.size.width,
                screen.detail_pane.size.width,
                (screen_text(pilot).splitlines()),
            )

    listed, detail, lines = asyncio.run(scenario())
    assert listed < 110  # what its columns need, not a share of the screen
    assert detail > 64  # more than the detail ever had
    assert any(
        "│ Dana Whitfield   Northwind Cloud " in line and "mentor, platform" in line
        for line in lines
    )


def test_a_long_value_wraps_under_itself_in_the_detail(sample_db: Path, open_app: Any) -> None:
    async def scenario() -> list[str]:
        async with open_app(sample_db, size=(200, 50)) as pilot:
            await press(pilot, "6", "down")  # Share the Helio job description with Grace
            return screen_text(pilot).splitlines()

    lines = asyncio.run(scenario())
    goals = next(i for i, line in enumerate(lines) if "││ Goals         Lead" in line)
    assert pane_of(lines, "││ Goals         Lead").startswith(" Goals         Lead a platform")
    assert pane_of(lines[goals + 1 :], "││").startswith(" " * 15 + "Engineering at a climate")


def test_contacts_at_120x40(sample_db: Path, snap_compare: Any) -> None:
    from rapport.tui.app import RapportApp

    async def contacts(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await press(pilot, "3", "down", "down")

    app = RapportApp(db_path=sample_db)
    assert snap_compare(app, terminal_size=(120, 40), run_before=contacts)


def test_follow_ups_at_200x50(sample_db: Path, snap_compare: Any) -> None:
    from rapport.tui.app import RapportApp

    async def followups(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await press(pilot, "6")

    app = RapportApp(db_path=sample_db)
    assert snap_compare(app, terminal_size=(200, 50), run_before=followups)


def test_at_200_columns_a_day_in_words_with_its_time_shows_whole(
    sample_db: Path, open_app: Any
) -> None:
    from rapport.services import followups, interviews

    followups.create_followup("Ask Dana about the reorg", due="2026-09-20 08:30")
    interviews.create_interview("Dana Whitfield", when="2025-10-12 14:00")

    async def scenario() -> dict[str, str]:
        shown = {}
        async with open_app(sample_db, size=(200, 50)) as pilot:
            for key in ("1", "6", "4"):
                await press(pilot, key)
                await settle(pilot)
                shown[key] = screen_text(pilot)
        return shown

    shown = asyncio.run(scenario())
    assert "2 months ago 08:30  Ask Dana about the reorg" in shown["1"]
    assert "2 months ago 08:30  Ask Dana about the reorg" in shown["6"]
    assert "12 Oct 2025 14:00  Dana Whitfield" in shown["4"]


def test_an_empty_list_beside_its_detail_shows_its_column_labels_whole(
    db_path: Path, open_app: Any
) -> None:
    async def scenario() -> dict[str, str]:
        shown = {}
        async with open_app(db_path, size=(120, 40)) as pilot:
            for key in ("3", "8"):
                await press(pilot, key)
                await settle(pilot)
                shown[key] = screen_text(pilot)
        return shown

    shown = asyncio.run(scenario())
    # The pane is as wide as the columns are drawn (each at least its minimum).
    assert "Organization " in shown["3"] and "Organizat…" not in shown["3"]
    assert "Needed by" in shown["8"]
