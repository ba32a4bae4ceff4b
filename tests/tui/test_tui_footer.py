"""The footer teaches: on every tab, at 80 columns too, it shows how to search and to quit,
and it leaves a key out whole rather than cutting one mid-word."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from tui_helpers import press, screen_text

from rapport.tui.widgets.navbar import TABS


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_every_tab_shows_search_keys_and_quit_whole(
    sample_db: Path, open_app: Any, size: tuple[int, int]
) -> None:
    async def scenario() -> dict[str, str]:
        footers = {}
        async with open_app(sample_db, size) as pilot:
            for key, _, label in TABS:
                await press(pilot, key)
                footers[label] = screen_text(pilot).splitlines()[-1]
        return footers

    for label, footer in asyncio.run(scenario()).items():
        keys, palette = footer.split("▏")
        assert palette.strip() == "^p palette", label
        assert keys.rstrip().endswith("^f Search  ? Keys  q Quit"), (label, footer)
        # Every key shown is a whole one: two spaces between keys, a key then its words.
        for shown in keys.strip().split("  "):
            key, _, words = shown.partition(" ")
            assert key and words, (label, footer)


# At 80 columns, the keys each tab keeps: what a person does there most.  Before,
# a tab's last keys went first: Today lost "l Log interaction" (what you do
# about someone going cold) for "o Open contact", and You kept "/ Filter" over
# "a Rate a skill", its only way to rate a first skill.
KEYS_AT_80 = {
    "Today": "d Done  z Snooze  l Log interaction",
    "Goals": "/ Filter  a Add  e Edit  c Link contacts",
    "Contacts": "/ Filter  a Add  e Edit  l Log",
    "Interviews": "/ Filter  a Add  e Edit  d Done",
    "Events": "/ Filter  a Add  e Edit  m Met people",
    "Follow-ups": "/ Filter  a Add  d Done  z Snooze",
    "Review": "l Log  f Follow-up  o Open contact",
    "You": "r Rate this skill  a Rate a skill",
}
# On an empty database: the first steps.
FIRST_KEYS_AT_80 = {
    "Today": "g Add goal  I Import contacts",
    "You": "r Rate this skill  a Rate a skill",
}


def footers_at_80(open_app: Any, db: Path, labels: Any) -> dict[str, str]:
    """The keys of each tab named, as its footer shows them at 80 columns."""

    async def scenario() -> dict[str, str]:
        footers = {}
        async with open_app(db, (80, 24)) as pilot:
            for key, _, label in TABS:
                if label in labels:
                    await press(pilot, key)
                    footers[label] = screen_text(pilot).splitlines()[-1].split("▏")[0].strip()
        return footers

    return asyncio.run(scenario())


def app_keys(wanted: dict[str, str]) -> dict[str, str]:
    return {label: f"{keys}  ^f Search  ? Keys  q Quit" for label, keys in wanted.items()}


def test_at_80_columns_each_tab_keeps_the_keys_a_person_needs_there(
    sample_db: Path, open_app: Any
) -> None:
    assert footers_at_80(open_app, sample_db, KEYS_AT_80) == app_keys(KEYS_AT_80)


def test_at_80_columns_a_first_run_keeps_the_first_steps(db_path: Path, open_app: Any) -> None:
    assert footers_at_80(open_app, db_path, FIRST_KEYS_AT_80) == app_keys(FIRST_KEYS_AT_80)


def test_at_80_columns_review_keeps_its_first_keys(sample_db: Path, open_app: Any) -> None:
    async def scenario() -> str:
        async with open_app(sample_db) as pilot:
            await press(pilot, "7")
            return screen_text(pilot).splitlines()[-1]

    footer = asyncio.run(scenario())
    # The tab's last key goes (? lists it), quitting stays.
    assert footer.startswith(" l Log  f Follow-up  o Open contact  ^f Search  ? Keys  q Quit")
    assert "Network by goal" not in footer


def test_a_terminal_made_narrower_still_shows_quit(sample_db: Path, open_app: Any) -> None:
    async def scenario() -> tuple[str, str]:
        async with open_app(sample_db, (120, 40)) as pilot:
            await press(pilot, "7")
            wide = screen_text(pilot).splitlines()[-1]
            await pilot.resize_terminal(80, 24)
            await press(pilot, "down")
            return wide, screen_text(pilot).splitlines()[-1]

    wide, narrow = asyncio.run(scenario())
    assert "n Network by goal" in wide
    assert "n Network by goal" not in narrow
    assert narrow.split("▏")[0].rstrip().endswith("? Keys  q Quit")


# What a person does to open a dialog, and the keys its footer then shows (the
# tab's keys, search, ? and quit do not act in a dialog and are not shown).
DIALOGS = [
    (("3", "a"), "esc Cancel  ^s Save"),  # a form
    (("3", "D"), "y Delete  n Keep"),  # delete asks, in its buttons' words
    (("1", "z"), "esc Cancel"),  # snooze
    (("6", "x"), "esc Cancel"),  # where to export
    (("7", "w"), "esc Close  x Export to a file"),  # the weekly check-in
    (("2", "question_mark"), "esc Close"),
    (("ctrl+f",), "esc Close"),
]


@pytest.mark.parametrize(("keys", "footer"), DIALOGS)
def test_a_dialog_s_footer_shows_the_dialog_s_keys(
    sample_db: Path, open_app: Any, keys: tuple[str, ...], footer: str
) -> None:
    async def scenario() -> str:
        async with open_app(sample_db) as pilot:
            await press(pilot, *keys)
            return screen_text(pilot).splitlines()[-1]

    shown = asyncio.run(scenario())
    assert shown.strip() == footer, shown


def test_a_question_s_footer_says_what_its_buttons_say(sample_db: Path, open_app: Any) -> None:
    async def scenario() -> tuple[list[str], list[str]]:
        shown = []
        async with open_app(sample_db) as pilot:
            await press(pilot, "3", "D")
            shown.append(screen_text(pilot))
            await press(pilot, "n", "e", "end", "x", "escape")  # edit, change a field, leave
            shown.append(screen_text(pilot))
        return [s.splitlines()[-1].strip() for s in shown], shown

    footers, screens = asyncio.run(scenario())
    assert footers == ["y Delete  n Keep", "y Discard  n Keep"], footers
    assert "Delete  y" in screens[0] and "Keep  n" in screens[0]
