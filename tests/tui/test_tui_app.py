"""The app as a whole: tab keys, the command palette, ? for keys, and the start from the CLI."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from textual.command import CommandPalette
from tui_helpers import dialog_lines, press, screen_text, send_keys, settle, type_text


def test_number_keys_open_each_tab(sample_db: Path, open_app: Any) -> None:
    async def scenario() -> None:
        async with open_app(sample_db) as pilot:
            seen = []
            for key in "1234567":
                await press(pilot, key)
                seen.append(pilot.app.screen.MODE)
            assert seen == [
                "today",
                "goals",
                "contacts",
                "interviews",
                "events",
                "followups",
                "review",
            ]

    asyncio.run(scenario())


def test_the_command_palette_lists_and_runs_the_tabs_actions(
    sample_db: Path, open_app: Any
) -> None:
    async def scenario() -> None:
        async with open_app(sample_db) as pilot:
            await press(pilot, "3", "ctrl+p")
            palette = pilot.app.screen
            assert isinstance(palette, CommandPalette)
            await type_text(pilot, "archive")
            await pilot.pause(0.3)  # the palette searches its providers in the background
            await settle(pilot)
            options = palette.query_one("CommandList")
            shown = [
                str(options.get_option_at_index(i).prompt) for i in range(options.option_count)
            ]
            assert any("Archive/restore" in text for text in shown)
            await press(pilot, "ctrl+a", "ctrl+k")
            await type_text(pilot, "log")
            await pilot.pause(0.3)
            await press(pilot, "enter")
            assert pilot.app.screen.title_text.startswith("Log a coffee with ")

    asyncio.run(scenario())


def test_question_mark_shows_the_keys_of_the_tab(sample_db: Path, open_app: Any) -> None:
    async def scenario() -> None:
        async with open_app(sample_db, (100, 50)) as pilot:
            await press(pilot, "6", "question_mark")
            lines = dialog_lines(pilot)
            start = lines.index("On this tab")
            keys = lines[start + 1 : lines.index("Everywhere")]
            # The tab's own keys, with the hidden ones; no tree or cursor internals.
            assert {"d          Done", "z          Snooze", "x          Export .ics"} <= set(keys)
            assert "v          Open/done/all" in keys
            assert "Keys on Follow-ups" in lines
            assert not [line for line in lines if "ancestor" in line or "Page Left" in line]
            assert "2          Goals" in lines[lines.index("Everywhere") :]
            await press(pilot, "question_mark")
            assert "On this tab" not in screen_text(pilot)
            await press(pilot, "2", "question_mark")
            lines = dialog_lines(pilot)
            own = lines[lines.index("On this tab") + 1 : lines.index("Everywhere")]
            assert own and not [line for line in own if "ancestor" in line or "Cursor" in line]
            await press(pilot, "escape")
            assert pilot.app.screen.MODE == "goals"

    asyncio.run(scenario())


def palette_offers(pilot: Any, text: str) -> list[str]:
    palette = pilot.app.screen
    assert isinstance(palette, CommandPalette)
    options = palette.query_one("CommandList")
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


def test_question_mark_on_today_lists_a_among_its_own_keys(sample_db: Path, open_app: Any) -> None:
    async def scenario() -> list[str]:
        async with open_app(sample_db, (100, 50)) as pilot:
            await press(pilot, "1", "question_mark")
            return dialog_lines(pilot)

    lines = asyncio.run(scenario())
    own = lines[lines.index("On this tab") + 1 : lines.index("Everywhere")]
    everywhere = lines[lines.index("Everywhere") :]
    # "a" adds a follow-up on Today only: elsewhere it adds the tab's own kind.
    assert any(line.startswith("a ") and "Add follow-up" in line for line in own)
    assert not [line for line in everywhere if "Add follow-up" in line]


def test_the_palette_finds_other_tabs_actions_and_runs_them_there(
    sample_db: Path, open_app: Any
) -> None:
    async def scenario() -> None:
        async with open_app(sample_db) as pilot:
            await press(pilot, "7", "ctrl+p")
            await type_text(pilot, "snooze")
            await pilot.pause(0.3)  # the palette searches its providers in the background
            await settle(pilot)
            shown = palette_offers(pilot, "snooze")
            assert any("Follow-ups: Snooze" in text for text in shown)
            await press(pilot, "ctrl+a", "ctrl+k")
            await type_text(pilot, "export")
            await pilot.pause(0.3)
            await settle(pilot)
            offered = palette_offers(pilot, "")
            assert any("Follow-ups: Export .ics" in text for text in offered)
            # Review's own export (the weekly check-in's) is offered too.
            chosen = next(i for i, text in enumerate(offered) if "Follow-ups: Export .ics" in text)
            await press(pilot, *["down"] * chosen, "enter")
            assert pilot.app.current_mode == "followups"
            assert "Export follow-ups to a calendar file" in screen_text(pilot)
            await press(pilot, "escape", "7", "ctrl+p")
            await type_text(pilot, "follow-ups: snooze")
            await pilot.pause(0.3)
            await press(pilot, "enter")
            assert "Snooze: Send Owen a thank-you for the interview" in screen_text(pilot)

    asyncio.run(scenario())


def test_the_app_opens_on_an_empty_database(db_path: Path, open_app: Any) -> None:
    async def scenario() -> None:
        async with open_app(db_path) as pilot:
            agenda = pilot.app.screen.query_one("#agenda")
            assert [h.title for h in agenda.items] == [
                "Overdue (0)",
                "Due this week (0)",
                "Suggestions for this week (0)",
                "Going cold (0)",
            ]
            await press(pilot, "3")
            assert (
                pilot.app.screen.detail_pane.plain
                == "No contacts yet. Press a to add one, or I to import a file."
            )

    asyncio.run(scenario())


def test_a_list_that_finishes_loading_as_its_widgets_go_does_not_crash(
    sample_db: Path, open_app: Any, monkeypatch: Any
) -> None:
    """Quitting while a list loads: Textual removes the screen's widgets before it
    cancels the screen's workers, so the load can finish on a screen without them."""
    import threading

    from rapport.tui import data

    gate = threading.Event()
    loading = threading.Event()
    contact_index = data.contact_index

    def slow_contact_index() -> Any:
        loading.set()
        gate.wait(5)
        return contact_index()

    async def scenario() -> None:
        async with open_app(sample_db) as pilot:
            monkeypatch.setattr(data, "contact_index", slow_contact_index)
            # Reload, then open Contacts for the first time: its list waits on
            # the contacts being read again.
            await send_keys(pilot, "ctrl+r", "3")
            while not loading.is_set() or pilot.app.screen.MODE != "contacts":
                await asyncio.sleep(0.01)
            contacts = pilot.app.screen
            await contacts.remove_children()  # what quitting does first
            gate.set()
            await settle(pilot)
            assert pilot.app.return_code is None  # no unhandled error ended it
            assert contacts.table.total > 0  # the load did finish, on the bare screen

    asyncio.run(scenario())


def test_every_tab_has_one_key_to_reload_and_help_names_the_footers_quit_key(
    sample_db: Path, open_app: Any
) -> None:
    """On Today `r` ("Refresh") and `^r` ("Reload from the database") used to be two
    lines for one thing, and `?` said `^q` quits where the footer says `q`."""

    async def scenario() -> dict[str, tuple[list[str], str]]:
        seen = {}
        async with open_app(sample_db, (100, 60)) as pilot:
            for key in "12345678":
                await press(pilot, key, "question_mark")
                lines = dialog_lines(pilot)
                await press(pilot, "escape")
                seen[key] = (lines, screen_text(pilot).splitlines()[-1])
        return seen

    for key, (lines, footer) in asyncio.run(scenario()).items():
        everywhere = lines[lines.index("Everywhere") :]
        reloads = [line for line in lines if "Reload" in line or "Refresh" in line]
        assert reloads == ["^r         Reload from the database"], (key, reloads)
        assert reloads[0] in everywhere, key
        quits = [line for line in lines if line.endswith(" Quit")]
        assert quits == ["q          Quit"], (key, quits)
        assert " q Quit" in footer, (key, footer)


def test_the_palette_over_a_dialog_offers_the_dialog_s_keys_only(
    sample_db: Path, open_app: Any
) -> None:
    """From a half-filled form the palette offered "Follow-ups: Export .ics" and
    went to Follow-ups with the form left open behind; tabs wait for the dialog."""

    async def scenario() -> tuple[list[str], list[str], str]:
        async with open_app(sample_db) as pilot:
            await press(pilot, "3", "a", "ctrl+p")
            await pilot.pause(0.3)  # the palette asks its providers in the background
            await settle(pilot)
            offered = palette_offers(pilot, "")
            await type_text(pilot, "export")
            await pilot.pause(0.3)
            await settle(pilot)
            export = palette_offers(pilot, "export")
            await press(pilot, "escape")
            return offered, export, pilot.app.current_mode

    offered, export, mode = asyncio.run(scenario())
    names = [o.splitlines()[0] for o in offered]
    assert {"Cancel", "Save"} <= set(names), names
    # No tab, no other tab's action, none of the app's keys (Textual's own
    # commands, Theme and Quit, stay).
    assert [n for n in names if n.startswith("Go to ") or ": " in n] == [], names
    assert not {"Search", "Import contacts from a file", "Reload from the database"} & set(names)
    assert export == []
    assert mode == "contacts"


def test_import_and_sync_keys_wait_until_a_dialog_is_done(sample_db: Path, open_app: Any) -> None:
    async def scenario() -> None:
        async with open_app(sample_db) as pilot:
            await press(pilot, "3", "D")
            question = pilot.app.screen
            # Not priority keys: Textual stops them at a modal screen (the tab keys,
            # priority keys, RapportApp.check_action stops).
            await press(pilot, "I", "Y")
            assert pilot.app.screen is question
            assert pilot.app.sync_progress is None
            assert "Import" not in screen_text(pilot)
            await press(pilot, "n", "I")
            assert "Import" in screen_text(pilot)  # back on the tab, I imports

    asyncio.run(scenario())


def test_the_palette_finds_a_command_by_its_action_s_name(sample_db: Path, open_app: Any) -> None:
    async def scenario() -> list[str]:
        async with open_app(sample_db) as pilot:
            await press(pilot, "ctrl+p")
            await type_text(pilot, "refresh")
            await pilot.pause(0.3)  # the palette searches its providers in the background
            await settle(pilot)
            return palette_offers(pilot, "refresh")

    assert any("Reload from the database" in text for text in asyncio.run(scenario()))
