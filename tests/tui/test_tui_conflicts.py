"""Two writers: an edit never saves over a change made elsewhere without asking,
and a change made elsewhere shows in the app.

"Elsewhere" is the test itself, writing through the services on its own
connection (the app works on its database thread), as a CLI command would.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import pytest
from tui_helpers import paste, press, screen_text, settle

from rapport.services import contacts as contact_service

ROLE = "Director of Platform Engineering"


def dana() -> Any:
    return contact_service.contact_detail("Dana Whitfield").contact


async def edit_danas_role(pilot: Any, role: str) -> None:
    """Open Dana's form and type a new role (not saved yet)."""
    await press(pilot, "3", "slash")
    await paste(pilot, "Dana Whitfield")
    await press(pilot, "enter", "e", "tab", "tab")  # organization, role
    await press(pilot, "ctrl+a", "ctrl+k")
    await paste(pilot, role)


def dialog_text(pilot: Any) -> str:
    screen = pilot.app.screen
    parts = [screen.query_one("#dialog-title").render(), screen.query_one("#dialog-note").render()]
    parts += [w.render() for w in screen.query("#conflict-changes")]
    return "\n".join(str(p) for p in parts)


def test_take_theirs_keeps_their_change_and_my_other_edit(sample_db: Path, open_app: Any) -> None:
    async def scenario() -> None:
        async with open_app(sample_db) as pilot:
            await edit_danas_role(pilot, "Head of Platform")
            contact_service.update_contact("Dana Whitfield", notes="Prefers Tuesday calls.")
            await press(pilot, "ctrl+s")
            said = dialog_text(pilot)
            assert "Edit Dana Whitfield" not in said  # the dialog, not the form
            assert "Dana Whitfield was changed elsewhere" in said
            assert "Notes" in said and "“Prefers Tuesday calls.”" in said
            assert "Role" not in said  # only theirs changed it
            await press(pilot, "r")
            form = pilot.app.screen
            assert form.field("notes").raw == "Prefers Tuesday calls."
            assert form.field("notes").said == "changed elsewhere"
            assert form.field("role").raw == "Head of Platform"  # my edit stays
            assert dana().role == ROLE  # nothing of mine saved yet
            await press(pilot, "ctrl+s")
            assert "Head of Platform at Northwind Cloud" in pilot.app.screen.detail_pane.plain

    asyncio.run(scenario())
    assert (dana().role, dana().notes) == ("Head of Platform", "Prefers Tuesday calls.")


def test_save_mine_over_theirs_only_when_asked(sample_db: Path, open_app: Any) -> None:
    async def scenario() -> None:
        async with open_app(sample_db) as pilot:
            await edit_danas_role(pilot, "Head of Platform")
            contact_service.update_contact("Dana Whitfield", role="VP Platform")
            await press(pilot, "ctrl+s")
            said = dialog_text(pilot)
            footer = screen_text(pilot).splitlines()[-1].strip()
            assert footer == "r Take theirs  o Save mine  esc Back to the form"
            await press(pilot, "a")  # nothing to add again: Dana is there
            assert said == dialog_text(pilot)
            assert "Role\n  was    “Director of Platform Engineering”\n" in said
            assert "\n  now    “VP Platform”\n" in said
            assert "yours  “Head of Platform”" in said
            await press(pilot, "escape")  # back to my form: nothing saved, nothing lost
            form = pilot.app.screen
            assert form.field("role").raw == "Head of Platform"
            assert "Nothing was saved" in str(form.query_one("#form-error").render())
            assert dana().role == "VP Platform"
            await press(pilot, "ctrl+s")  # it asks again
            assert "yours  “Head of Platform”" in dialog_text(pilot)
            await press(pilot, "o")
            assert pilot.app.screen.selected.name == "Dana Whitfield"

    asyncio.run(scenario())
    assert dana().role == "Head of Platform"


def test_an_edit_of_a_contact_deleted_elsewhere_can_be_added_again(
    sample_db: Path, open_app: Any
) -> None:
    async def scenario() -> None:
        async with open_app(sample_db) as pilot:
            await edit_danas_role(pilot, "Head of Platform")
            contact_service.delete_contact("Dana Whitfield")
            await press(pilot, "ctrl+s")
            assert "Dana Whitfield was deleted elsewhere" in dialog_text(pilot)
            # Theirs is gone: nothing to take or save over, in the footer or by key.
            footer = screen_text(pilot).splitlines()[-1].strip()
            assert footer == "a Add again  esc Back to the form"
            await press(pilot, "r", "o")
            assert "Dana Whitfield was deleted elsewhere" in dialog_text(pilot)
            await press(pilot, "a")
            assert pilot.app.screen.MODE == "contacts"

    asyncio.run(scenario())
    again = dana()
    assert (again.role, again.email) == ("Head of Platform", "dana.whitfield@northwind.example")


def test_a_change_made_elsewhere_shows_when_the_tab_is_opened_again(
    sample_db: Path, open_app: Any
) -> None:
    async def scenario() -> None:
        async with open_app(sample_db) as pilot:
            await press(pilot, "3", "slash")
            await paste(pilot, "Dana Whitfield")
            await press(pilot, "enter")
            contact_service.update_contact("Dana Whitfield", role="VP Platform")
            contact_service.create_contact("Tara Singh")
            await press(pilot, "2", "3")
            screen = pilot.app.screen
            assert "VP Platform at Northwind Cloud" in screen.detail_pane.plain
            await press(pilot, "escape")  # clear the filter
            assert "Tara Singh" in [r.name for r in screen.table.matching]

    asyncio.run(scenario())


def test_the_tab_in_view_shows_a_change_made_elsewhere_by_itself(
    sample_db: Path, open_app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rapport.tui.app import RapportApp

    monkeypatch.setattr(RapportApp, "POLL_SECONDS", 0.05)

    async def scenario() -> None:
        async with open_app(sample_db) as pilot:
            await press(pilot, "3")
            screen = pilot.app.screen
            contact_service.create_contact("Tara Singh")
            deadline = time.monotonic() + 5
            while "Tara Singh" not in [r.name for r in screen.table.matching]:
                assert time.monotonic() < deadline, "the new contact never showed"
                await asyncio.sleep(0.02)
                await settle(pilot)

    asyncio.run(scenario())
