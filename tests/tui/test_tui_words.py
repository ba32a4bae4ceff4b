"""The app says repeat rules in words: a follow-up's detail and form, an event's next dates."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from tui_helpers import paste, press

GUILD = Path(__file__).parent.parent / "data" / "calendar" / "repeating_guild.ics"


async def goto(pilot: Any, tab: str, text: str) -> None:
    await press(pilot, tab, "slash")
    await paste(pilot, text)
    await press(pilot, "enter")


def test_a_repeating_follow_up_says_every_month_in_its_detail_and_form(
    sample_db: Path, open_app: Any
) -> None:
    async def scenario() -> None:
        async with open_app(sample_db, size=(120, 40)) as pilot:
            await goto(pilot, "6", "Monthly mentoring")
            detail = pilot.app.screen.detail_pane.plain
            assert "every month" in detail and "FREQ=" not in detail
            await press(pilot, "e")
            assert pilot.app.screen.field("repeat").raw == "every month"

    asyncio.run(scenario())


def test_a_recurring_event_shows_its_rule_and_next_dates(sample_db: Path, open_app: Any) -> None:
    from rapport.services.calendar_files import import_ics_bytes

    import_ics_bytes(GUILD.read_bytes(), source="guild.ics")

    async def scenario() -> None:
        async with open_app(sample_db, size=(120, 40)) as pilot:
            await goto(pilot, "5", "Platform guild")
            detail = pilot.app.screen.detail_pane.plain
            assert "every 2 weeks on Tuesday" in detail
            # From the frozen Mon 23 Nov 2026; Tue 1 Dec is left out (EXDATE).
            assert "Tue 15 Dec 2026 18:00, Tue 29 Dec 2026 18:00, Tue 12 Jan 2027 18:00" in detail

    asyncio.run(scenario())
