"""What a newcomer trying ``rapport demo`` at 80, 120 and 200 columns noticed."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from tui_helpers import dialog_lines, paste, press, screen_text, type_text

from rapport.services import interactions
from rapport.tui.widgets.tables import Column, share_widths

CONNECTIONS = Path(__file__).parents[1] / "data" / "linkedin" / "Connections.csv"


def header(pilot: Any) -> str:
    """The list's column headers, as shown."""
    return next(line for line in screen_text(pilot).splitlines() if "Name" in line)


def test_sorting_says_so_at_once_and_the_arrow_always_shows(sample_db: Path, open_app: Any) -> None:
    async def scenario() -> None:
        async with open_app(sample_db, (120, 40)) as pilot:
            await press(pilot, "3", "s")
            text = screen_text(pilot)
            assert "· by organization" in text
            assert "by name" not in text
            assert "▲" in header(pilot)
            await press(pilot, "s")
            assert "· by last contact" in screen_text(pilot)
            assert "Last contact ▲" in header(pilot)
            await press(pilot, "S")
            assert "· by last contact, reversed" in screen_text(pilot)
            assert "Last contact ▼" in header(pilot)

    asyncio.run(scenario())


def test_the_arrow_shows_when_the_label_is_cut(sample_db: Path, open_app: Any) -> None:
    async def scenario() -> None:
        async with open_app(sample_db, (60, 24)) as pilot:
            await press(pilot, "3", "s")
            assert "▲" in header(pilot)

    asyncio.run(scenario())


def test_a_column_that_needs_room_gets_what_another_leaves() -> None:
    specs = [
        Column("what", "What", str, min_width=18, weight=3),
        Column("who", "With", str, min_width=10),
        Column("goal", "Goal", str, min_width=8),
    ]
    # What needs 40, With 15, Goal 30: 85 fits in 90, the rest goes to the last.
    assert share_widths(specs, 90, [40, 15, 30]) == [40, 15, 35]
    # Too little room: nobody gets more than it needs, the rest is shared.
    widths = share_widths(specs, 60, [40, 12, 30])
    assert widths[1] == 12 and sum(widths) == 60
    assert widths[0] > widths[2] >= 8


def test_wide_terminals_show_whole_goal_names(sample_db: Path, open_app: Any) -> None:
    async def scenario() -> None:
        async with open_app(sample_db, (200, 50)) as pilot:
            await press(pilot, "6")
            text = screen_text(pilot)
            assert "Share the Helio job description with Grace for feedback" in text
            assert text.count("Lead a platform team by 2027") >= 3
            await press(pilot, "7")
            assert "Five informational interviews with platform EMs   " in screen_text(pilot)
        async with open_app(sample_db, (120, 40)) as pilot:
            await press(pilot, "7")
            text = screen_text(pilot)
            assert "Lead a platform team by 2027   " in text
            assert "Build a peer network in Berlin" in text

    asyncio.run(scenario())


def test_the_snooze_dialog_shows_the_whole_title(sample_db: Path, open_app: Any) -> None:
    async def scenario() -> None:
        async with open_app(sample_db, (120, 40)) as pilot:
            await press(pilot, "6", "down", "z")
            assert "Snooze: Share the Helio job description with Grace for feedback" in (
                screen_text(pilot)
            )

    asyncio.run(scenario())


def test_the_focused_field_stands_out(sample_db: Path, open_app: Any) -> None:
    async def scenario() -> None:
        async with open_app(sample_db) as pilot:
            await press(pilot, "3", "l")
            form = pilot.app.screen
            summary = form.query_one("#field-summary .field--label").rich_style
            date = form.query_one("#field-date .field--label").rich_style
            assert summary.bold and not date.bold
            assert summary.color != date.color
            await press(pilot, "shift+tab")  # up to the date: the highlight follows
            summary = form.query_one("#field-summary .field--label").rich_style
            date = form.query_one("#field-date .field--label").rich_style
            assert date.bold and not summary.bold

    asyncio.run(scenario())


def test_a_log_form_starts_at_the_first_field_to_fill_in(sample_db: Path, open_app: Any) -> None:
    async def scenario() -> None:
        async with open_app(sample_db) as pilot:
            await press(pilot, "3", "l")  # the person is known: what it was about
            assert pilot.app.focused in pilot.app.screen.query("#field-summary *")
            await press(pilot, "escape", "L", "a")  # nobody yet: who it was with
            assert pilot.app.screen.title_text == "Log a coffee"
            assert pilot.app.focused in pilot.app.screen.query("#field-contacts *")

    asyncio.run(scenario())


def test_esc_on_a_changed_form_asks_before_discarding(sample_db: Path, open_app: Any) -> None:
    before = len(interactions.list_interactions(limit=None))

    async def scenario() -> None:
        async with open_app(sample_db) as pilot:
            await press(pilot, "3", "l", "escape")  # untouched: closes at once
            assert pilot.app.screen.MODE == "contacts"
            await press(pilot, "l")
            await type_text(pilot, "lunch")
            await press(pilot, "escape")
            assert "Discard your changes?" in screen_text(pilot)
            await press(pilot, "n")  # keep: back to the form as it was
            form = pilot.app.screen
            assert form.query_one("#field-summary").raw == "lunch"
            await press(pilot, "escape", "y")
            assert pilot.app.screen.MODE == "contacts"

    asyncio.run(scenario())
    assert len(interactions.list_interactions(limit=None)) == before


def test_deleting_an_interaction_says_which(sample_db: Path, open_app: Any) -> None:
    interactions.log_interaction(["Dana Whitfield"], date="2026-12-31", channel="call")

    async def scenario() -> None:
        async with open_app(sample_db, (100, 30)) as pilot:
            await press(pilot, "3", "slash")
            await type_text(pilot, "dana")
            await press(pilot, "enter", "T")
            text = screen_text(pilot)
            assert "Thu 31 Dec 2026 call  " in text and "call:" not in text.split("Thu 31 Dec")[1]
            await press(pilot, "enter")
            assert "Delete the call of Thu 31 Dec 2026 with Dana Whitfield?" in screen_text(pilot)

    asyncio.run(scenario())


def test_the_archived_view_says_there_are_none(sample_db: Path, open_app: Any) -> None:
    async def scenario() -> None:
        async with open_app(sample_db) as pilot:
            await press(pilot, "3", "v")
            text = screen_text(pilot)
            assert "No archived contacts." in text
            assert "Press a to add" not in text

    asyncio.run(scenario())


def test_import_summary_lines_wrap_under_their_start(db_path: Path, open_app: Any) -> None:
    async def scenario() -> None:
        async with open_app(db_path) as pilot:
            await press(pilot, "3", "I")
            await paste(pilot, str(CONNECTIONS))
            await press(pilot, "enter")
            lines = dialog_lines(pilot, strip=False)
            start = next(i for i, line in enumerate(lines) if "contacts: 5 to add" in line)
            assert lines[start].startswith("   contacts:")
            assert lines[start + 1].startswith("     ") and lines[start + 1].strip()

    asyncio.run(scenario())


def test_the_log_form_says_what_it_logs_and_with_whom(sample_db: Path, open_app: Any) -> None:
    """Its title said "Log an interaction", a word rapport's model uses and a
    person does not, and kept naming the people it was opened with after others
    were picked.  It says what is logged (the channel) and with whom, as chosen."""

    async def scenario() -> list[str]:
        titles = []
        async with open_app(sample_db) as pilot:
            await press(pilot, "3", "L", "a")  # from all interactions: nobody yet
            form = pilot.app.screen
            titles.append(form.title_text)
            await press(pilot, "enter")  # who it was with: the picker
            await type_text(pilot, "dana")
            await press(pilot, "enter", "ctrl+s")
            titles.append(form.title_text)
            await press(pilot, "tab")  # the channel
            await press(pilot, "right")
            titles.append(form.title_text)
            await press(pilot, "left", "left", "left", "left")
            titles.append(form.title_text)
            titles.append(str(form.query_one("#dialog-title").render()))
            await press(pilot, "escape", "y")
        return titles

    assert asyncio.run(scenario()) == [
        "Log a coffee",
        "Log a coffee with Dana Whitfield",
        "Log a meeting with Dana Whitfield",
        "Log an email with Dana Whitfield",
        "Log an email with Dana Whitfield",  # as drawn
    ]
