"""What people type shows as typed: markup-like names and notes never style, hide or crash.

Every place the app shows a person's words builds plain text (``Content``),
never markup; notifications, which Textual reads as markup by default, are
told not to.  The Pilot test walks hostile names through the list, the
detail, a form, a picker and a notification and reads the screen itself;
the property test feeds any text to the builders the screens use.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from textual.content import Content
from tui_helpers import paste, press, screen_text

from rapport.services import contacts as contact_service
from rapport.tui.text import cell, cut
from rapport.tui.widgets.detail import Sheet

HOSTILE = [
    "[bold]Ada[/bold] Lovelace",
    "Bob [/]",
    "[link='https://evil.example']Eve[/link]",
    "[@click=app.quit]Mallory[/]",
    "Zed [red",
    "\\[escaped] Yan",
    "Ann $text-error [$accent]x",
]


def test_markup_in_names_and_notes_shows_literally(db_path: Path, open_app: Any) -> None:
    for name in HOSTILE:
        contact_service.create_contact(
            name,
            organization="[i]Acme[/i]",
            notes="[/] closes nothing\n[b]not bold",
            cadence_days=7,
            connected_on="2026-10-01",
        )

    async def scenario() -> None:
        async with open_app(db_path, size=(120, 40), toasts=True) as pilot:
            today = screen_text(pilot)  # everyone is going cold: Today lists them all
            assert all(name[:20] in today for name in HOSTILE)  # (long ones are cut)
            await press(pilot, "3")
            for name in HOSTILE:
                pilot.app.clear_notifications()  # stacked up, toasts would cover the list
                await press(pilot, "slash", "ctrl+a", "ctrl+k")
                await paste(pilot, name)
                await press(pilot, "enter")
                screen = pilot.app.screen
                assert screen.selected.name == name
                detail = screen.detail_pane.plain
                assert detail.startswith(f"{name}\n[i]Acme[/i]\n")
                assert "[/] closes nothing\n[b]not bold" in detail
                shown = screen_text(pilot)
                assert name in shown and "[i]Acme[/i]" in shown
                await press(pilot, "x")  # "Archived <name> ...": a notification
                assert f"Archived {name}" in screen_text(pilot)
            await press(pilot, "v")  # the archived ones, still filtered to the last
            await press(pilot, "e")  # its form
            assert f"Edit {HOSTILE[-1]}" in screen_text(pilot)
            await press(pilot, *["tab"] * 10, "enter")  # its "Introduced by" picker: everyone
            assert pilot.app.screen.title_text == "Introduced by"
            shown = screen_text(pilot)
            assert all(name in shown for name in HOSTILE)

    asyncio.run(scenario())


# What the services store: any text but control characters (they are dropped
# on the way in), with markup-like pieces mixed in.
MARKUP = ["[b]", "[/]", "[/b]", "[link=https://x.example]", "[@click=app.quit]", "\\[", "$accent"]
stored_text = st.lists(
    st.one_of(
        st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=12),
        st.sampled_from(MARKUP),
    ),
    max_size=8,
).map("".join)


@settings(max_examples=200, deadline=None)
@given(text=stored_text, width=st.integers(min_value=0, max_value=80))
def test_any_text_goes_into_cells_and_sheets_as_plain_text(text: str, width: int) -> None:
    flat = " ".join(text.split())
    shown = cell(text, width, "$text-error").plain
    assert shown == cut(text, width)
    # Terminal cells, which are at least as many as characters (龍 takes two).
    assert cell_len(shown) <= width
    if cell_len(flat) <= width:
        assert shown == flat
    sheet = Sheet().title(text, text).field("Notes", text).entry(text, text, text).block("N", text)
    plain = sheet.build().plain
    assert text.strip() in plain
    # Drawing it never reads it as markup (a stray "[/]" would raise).
    list(Content(plain).render_segments())
