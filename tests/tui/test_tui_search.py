"""The search box (ctrl+f, or "Search" in the palette): everything as you type, each result
opened where it lives, one escape to close it."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.screen import ModalScreen
from tui_helpers import dialog_lines, notices, press, screen_text, send_keys, settle, type_text


def box_lines(pilot: Pilot[Any]) -> list[str]:
    """The search box's lines that hold something."""
    return [line for line in dialog_lines(pilot) if line]


async def search_for(pilot: Pilot[Any], text: str) -> list[str]:
    await press(pilot, "ctrl+f")
    await type_text(pilot, text)
    return box_lines(pilot)


def test_typed_at_once_the_words_reach_the_box_and_every_kind_is_labelled(
    sample_db: Path, open_app: Any
) -> None:
    async def scenario() -> tuple[list[str], list[str], str]:
        async with open_app(sample_db) as pilot:
            # ctrl+f and the word typed faster than the box opens: no letter is lost.
            await send_keys(pilot, "ctrl+f", *"berlin")
            await settle(pilot)
            found = box_lines(pilot)
            await press(pilot, "escape")
            closed = screen_text(pilot)
            await type_text(pilot, "talk")  # the box is gone: no key reaches it
            return found, notices(pilot), closed

    found, said, closed = asyncio.run(scenario())
    assert found[0] == "Search everything"
    assert found[1] == "berlin"
    assert found[2].startswith("Follow-up   Ask Jonas for the Berlin meetup intro (Jonas")
    assert found[2].endswith("Mon 14 Dec")
    assert found[3].startswith("Interaction Berlin platform scene")
    assert found[5].startswith("Goal        Build a peer network in Berlin")
    assert sum(line.startswith("Contact     ") for line in found) == 4
    assert found[-1] == "7 matches · enter opens · esc closes"
    # One escape closed it: Today again, its footer teaching the key.
    assert "Search everything" not in closed
    assert closed.splitlines()[-1].startswith(" d Done ")
    assert "^f Search" in closed.splitlines()[-1]
    assert said == []


def test_nothing_to_search_for_says_what_to_type(sample_db: Path, open_app: Any) -> None:
    async def scenario() -> tuple[list[str], list[str], list[str], list[str]]:
        async with open_app(sample_db) as pilot:
            nothing = await search_for(pilot, '"*')
            await press(pilot, *["backspace"] * 2)
            await type_text(pilot, "z")
            letter = box_lines(pilot)
            await type_text(pilot, "zzqx")
            none = box_lines(pilot)
            await press(pilot, *["backspace"] * 5)
            await type_text(pilot, "龍")
            return nothing, letter, none, box_lines(pilot)

    nothing, letter, none, wide = asyncio.run(scenario())
    assert nothing[-1] == "type a word to search for (letters or digits)"
    # One letter would match most of a large network, slowly: the box waits for two.
    assert letter[-1] == "type one more letter · esc closes"
    assert none[-1] == "0 matches · enter opens · esc closes"
    assert wide[-1] == "0 matches · enter opens · esc closes"  # one CJK character is a word


@pytest.mark.parametrize(
    ("typed", "down", "mode", "selected"),
    [
        ("berlin", 0, "followups", "Ask Jonas for the Berlin meetup intro"),
        ("berlin", 2, "goals", "Build a peer network in Berlin"),
        ("berlin", 1, "contacts", "Jonas Berg"),  # an interaction: the person it was with
        ("hannah", 0, "contacts", "Hannah Schulz"),
        ("wildly successful", 0, "interviews", "Tomás Ibáñez"),
        ("meetup 41", 0, "events", "SRE & Platform Meetup #41"),
        ("talk list", 0, "followups", "Send Marcus the PlatformCon talk list"),  # a done one
        ("paved road design", 0, "you", "Platform architecture"),
    ],
)
def test_enter_opens_the_result_on_its_own_tab(
    sample_db: Path, open_app: Any, typed: str, down: int, mode: str, selected: str
) -> None:
    async def scenario() -> tuple[Any, Any, list[str]]:
        async with open_app(sample_db, (120, 40)) as pilot:
            await search_for(pilot, typed)
            await press(pilot, *["down"] * down, "enter")
            screen = pilot.app.screen
            return screen, screen.selected, notices(pilot)

    screen, row, said = asyncio.run(scenario())
    assert not isinstance(screen, ModalScreen)
    assert mode == screen.MODE
    # The cursor is on it (its line's values hold its name or title).
    assert row is not None
    assert any(selected in str(value) for value in vars(row).values())
    assert said in ([], ["Showing all follow-ups"])


@pytest.mark.parametrize(
    ("typed", "edits"),
    [
        ("berlin", "Edit follow-up"),  # Follow-ups, opened for the first time
        ("hannah", "Edit Hannah Schulz"),  # Contacts
        ("meetup 41", "Edit event: SRE & Platform Meetup #41"),  # Events
    ],
)
def test_the_key_after_opening_a_result_acts_at_once(
    sample_db: Path, open_app: Any, typed: str, edits: str
) -> None:
    """Before, a tab first opened from the search box never counted as loaded,
    and the app held every key typed next for it: e did nothing for 30 seconds."""

    async def scenario() -> tuple[float, str]:
        async with open_app(sample_db) as pilot:
            await search_for(pilot, typed)
            await press(pilot, "enter")
            loop = asyncio.get_running_loop()
            start = loop.time()
            await send_keys(pilot, "e")
            while not isinstance(pilot.app.screen, ModalScreen) and loop.time() - start < 5:
                await asyncio.sleep(0.01)
            waited = loop.time() - start
            await settle(pilot)  # the form whole before the app closes
            return waited, str(getattr(pilot.app.screen, "title_text", ""))

    waited, title = asyncio.run(scenario())
    assert title == edits
    assert waited < 2


def test_the_palette_opens_the_search_box(sample_db: Path, open_app: Any) -> None:
    async def scenario() -> list[str]:
        async with open_app(sample_db) as pilot:
            await press(pilot, "ctrl+p")
            await type_text(pilot, "search")
            await press(pilot, "enter")
            await type_text(pilot, "hannah")
            return box_lines(pilot)

    found = asyncio.run(scenario())
    assert found[0] == "Search everything"
    assert found[2].startswith("Contact     Hannah Schulz (OpenGrid Foundation)")


def test_search_box_at_80x24(sample_db: Path, snap_compare: Any) -> None:
    from rapport.tui.app import RapportApp

    async def berlin(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await search_for(pilot, "berlin")

    assert snap_compare(RapportApp(db_path=sample_db), terminal_size=(80, 24), run_before=berlin)


def test_search_box_at_120x40(sample_db: Path, snap_compare: Any) -> None:
    from rapport.tui.app import RapportApp

    async def platform(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await search_for(pilot, "platform")

    assert snap_compare(RapportApp(db_path=sample_db), terminal_size=(120, 40), run_before=platform)
