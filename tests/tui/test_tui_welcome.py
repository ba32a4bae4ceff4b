"""A first run on an empty database welcomes: what rapport is for, and three first steps by key."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from tui_helpers import paste, press, screen_text, settle

from rapport.services import goals as goal_service

SIZE = (80, 24)


def test_an_empty_database_opens_on_a_welcome_with_three_keyed_steps(
    db_path: Path, open_app: Any
) -> None:
    async def scenario() -> None:
        async with open_app(db_path) as pilot:
            text = screen_text(pilot)
            assert "Welcome to rapport" in text
            assert "whom to talk to next" in text
            assert "g  Add a goal" in text
            assert "I  Import contacts" in text
            assert "a LinkedIn export (Connections.csv) or a vCard file" in text
            assert "a  Add a follow-up" in text
            footer = text.splitlines()[-1]
            assert "g Add goal" in footer and "I Import contacts" in footer
            assert "q Quit" in footer
            assert "Done" not in footer  # nothing to mark done yet

    asyncio.run(scenario())


def test_the_first_goal_is_ticked_and_the_welcome_stays_until_there_is_work(
    db_path: Path, open_app: Any
) -> None:
    async def scenario() -> None:
        async with open_app(db_path) as pilot:
            await press(pilot, "g")
            await paste(pilot, "Lead a platform team by 2027")
            await press(pilot, "ctrl+s")
            await settle(pilot)
            text = screen_text(pilot)
            assert "✓ g  Add a goal" in text
            assert "  I  Import contacts" in text and "✓ I" not in text

    asyncio.run(scenario())
    assert [g.title for g in goal_service.list_goals()] == ["Lead a platform team by 2027"]


def test_goals_and_people_without_a_follow_up_open_on_today_not_the_welcome(
    db_path: Path, open_app: Any
) -> None:
    from rapport.services import contacts as contact_service

    goal_service.create_goal("Lead a platform team by 2027")
    contact_service.create_contact("Dana Whitfield")

    async def scenario() -> None:
        async with open_app(db_path) as pilot:
            text = screen_text(pilot)
            assert "Welcome to rapport" not in text
            assert "Overdue (0)" in text

    asyncio.run(scenario())


def test_import_from_the_welcome_opens_the_import_dialog(db_path: Path, open_app: Any) -> None:
    async def scenario() -> None:
        async with open_app(db_path) as pilot:
            await press(pilot, "I")
            assert "Import contacts" in screen_text(pilot)
            assert type(pilot.app.screen).__name__ == "ImportScreen"

    asyncio.run(scenario())


def test_a_network_with_work_to_do_opens_on_today_and_the_footer_shows_quit(
    sample_db: Path, open_app: Any
) -> None:
    async def scenario() -> None:
        async with open_app(sample_db) as pilot:
            text = screen_text(pilot)
            assert "Welcome to rapport" not in text
            assert "Overdue (4)" in text
            footer = text.splitlines()[-1]
            assert "d Done" in footer and "q Quit" in footer
            assert "Add goal" not in footer

    asyncio.run(scenario())


def test_welcome_snapshot(db_path: Path, snap_compare: Any) -> None:
    from rapport.tui.app import RapportApp

    assert snap_compare(RapportApp(db_path=db_path), terminal_size=SIZE, run_before=settle)
