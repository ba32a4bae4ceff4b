"""One escape leaves any dialog, wherever the cursor is in it: every form and dialog a key
opens, on every tab, the cursor put in each kind of field it has in turn.

(A dialog opened from a dialog, a picker from a form, is left by its own
escape and the form by the next: one escape a dialog.)
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.screen import ModalScreen
from tui_helpers import press, settle

# (tab, key) for every dialog a key opens, the tab's cursor on its first line.
OPENERS = [
    ("1", "a"),  # a follow-up
    ("1", "l"),  # log an interaction
    ("1", "z"),  # snooze
    ("2", "a"),
    ("2", "e"),
    ("2", "c"),  # link contacts
    ("2", "n"),  # a step
    ("2", "D"),  # delete? (asks)
    ("3", "a"),
    ("3", "e"),
    ("3", "l"),
    ("3", "f"),
    ("3", "i"),
    ("3", "g"),  # goals picker
    ("3", "D"),
    ("4", "a"),
    ("4", "e"),
    ("4", "d"),  # done: the interview's notes
    ("4", "r"),  # referrals
    ("4", "g"),
    ("4", "f"),
    ("5", "a"),
    ("5", "e"),
    ("5", "m"),  # met people
    ("5", "g"),
    ("5", "f"),
    ("6", "a"),
    ("6", "e"),
    ("6", "z"),
    ("6", "x"),  # export to a file
    ("6", "g"),
    ("6", "D"),
    ("7", "l"),
    ("7", "f"),
    ("7", "w"),  # weekly check-in
    ("7", "c"),
    ("8", "r"),
    ("8", "a"),
    ("1", "question_mark"),
    ("1", "I"),  # import
    ("1", "ctrl+f"),  # search
    ("1", "ctrl+p"),  # the palette
]


async def _open(pilot: Pilot[Any], tab: str, key: str) -> ModalScreen[Any]:
    await press(pilot, tab, key)
    top = pilot.app.screen
    assert isinstance(top, ModalScreen), f"{tab} {key} opened no dialog"
    return top


# Dialogs that between them hold every kind of field the app has: a text
# line, a text area, a choice bar, a picker, a tick box, a list, buttons.
EVERY_KIND = [("3", "l"), ("4", "d"), ("1", "z"), ("1", "I"), ("3", "g"), ("1", "ctrl+f")]


async def _stuck_after_escape(pilot: Pilot[Any], what: str) -> list[str]:
    """[what] if one escape left a dialog open (then closed, for the next)."""
    await press(pilot, "escape")
    if not isinstance(pilot.app.screen, ModalScreen):
        return []
    for _ in range(3):
        await press(pilot, "escape")
    while isinstance(pilot.app.screen, ModalScreen):  # a dialog escape cannot leave
        pilot.app.pop_screen()
        await settle(pilot)
    return [what]


def test_one_escape_leaves_every_dialog_a_key_opens(sample_db: Path, open_app: Any) -> None:
    async def scenario() -> list[str]:
        stuck = []
        async with open_app(sample_db) as pilot:
            for tab, key in OPENERS:
                top = await _open(pilot, tab, key)
                stuck += await _stuck_after_escape(pilot, f"{tab} {key} {type(top).__name__}")
        return stuck

    assert asyncio.run(scenario()) == []


def test_one_escape_leaves_a_dialog_from_each_kind_of_field(sample_db: Path, open_app: Any) -> None:
    async def scenario() -> tuple[list[str], set[str]]:
        stuck, seen = [], set()
        async with open_app(sample_db) as pilot:
            for tab, key in EVERY_KIND:
                top = await _open(pilot, tab, key)
                # The first of each kind of widget that takes the cursor there.
                kinds: dict[str, int] = {}
                for index, widget in enumerate(top.focus_chain):
                    kinds.setdefault(type(widget).__name__, index)
                await press(pilot, "escape")
                for kind, index in kinds.items():
                    top = await _open(pilot, tab, key)
                    list(top.focus_chain)[index].focus()
                    await settle(pilot)
                    seen.add(kind)
                    what = f"{tab} {key} {type(top).__name__}, cursor in {kind}"
                    stuck += await _stuck_after_escape(pilot, what)
        return stuck, seen

    stuck, seen = asyncio.run(scenario())
    assert stuck == []
    assert {"Input", "TextArea", "ChoiceBar", "PickerButton", "Checkbox", "OptionList"} <= seen
    assert "Button" in seen
