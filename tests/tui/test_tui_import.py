"""Importing from the app: a path, a preview, a progress bar, the summary, and the lists after."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from tui_helpers import notices, paste, press, send_keys, settle

from rapport.services import contacts as contact_service

CONNECTIONS = Path(__file__).parents[1] / "data" / "linkedin" / "Connections.csv"
IMPORTED = ["Dana Whitfield", "José Álvarez", "Li Wei 🚀", "Marcus O'Neil", "Priya Raman"]


def text_of(pilot: Any, selector: str) -> str:
    """The words shown, however the lines wrap."""
    return " ".join(str(pilot.app.screen.query_one(selector).render()).split())


def everyone() -> list[str]:
    return sorted(r.name for r in contact_service.contact_rows(archived=None))


def test_a_linkedin_export_previewed_then_imported_through_the_keys(
    db_path: Path, open_app: Any
) -> None:
    async def scenario() -> None:
        async with open_app(db_path) as pilot:
            await press(pilot, "3", "I")
            await paste(pilot, str(CONNECTIONS))
            assert pilot.app.screen.path_field.said.startswith("→ Connections.csv, ")
            await press(pilot, "enter")  # a preview first: nothing is written
            summary = text_of(pilot, "#import-lines")
            assert "6 rows read — dry run, nothing was written" in summary
            assert "contacts: 5 to add" in summary
            assert "line 8: no name (LinkedIn hides some members' names)" in summary
            assert "line 6: new contact: Priya Raman (Contoso, Ltd.)" in summary
            assert everyone() == []
            await press(pilot, "enter")  # "Import": the same file, for real
            summary = text_of(pilot, "#import-lines")
            assert "contacts: 5 added" in summary
            assert "organizations: 3 added" in summary
            assert "1 row skipped" in summary and "line 8: no name" in summary
            bar = pilot.app.screen.query_one("#import-progress")
            assert bar.percentage == 1
            await press(pilot, "escape")
            screen = pilot.app.screen
            assert [r.name for r in screen.table.matching] == IMPORTED
            notes = notices(pilot)
            assert "Imported Connections.csv: 5 created, 0 updated, 0 merged, 1 skipped" in notes

    asyncio.run(scenario())
    assert everyone() == IMPORTED
    priya = contact_service.contact_detail("Priya Raman")
    assert (priya.organization, priya.contact.role) == (
        "Contoso, Ltd.",
        'VP, Engineering "Platform & Infra"',
    )


def test_a_file_that_is_not_what_it_claims_is_refused_in_the_dialog(
    db_path: Path, open_app: Any, tmp_path: Path
) -> None:
    picture = tmp_path / "contacts.csv"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)

    async def scenario() -> None:
        async with open_app(db_path) as pilot:
            await press(pilot, "I")
            await paste(pilot, str(tmp_path / "missing.csv"))
            assert pilot.app.screen.path_field.said == f"there is no file {tmp_path}/missing.csv"
            await press(pilot, "ctrl+a", "ctrl+k")
            await paste(pilot, f"'{picture}'")  # as a terminal pastes a dragged file
            await press(pilot, "enter")
            error = text_of(pilot, "#import-error")
            assert "PNG image" in error
            assert pilot.app.screen.phase == "ask"

    asyncio.run(scenario())
    assert everyone() == []


def test_stopping_an_import_writes_nothing(db_path: Path, open_app: Any, tmp_path: Path) -> None:
    big = tmp_path / "people.csv"
    rows = [f"Person {i},Org {i % 50},person{i}@example.com" for i in range(20_000)]
    big.write_text("Name,Organization,Email\n" + "\n".join(rows) + "\n")

    async def scenario() -> None:
        async with open_app(db_path) as pilot:
            await press(pilot, "I")
            await paste(pilot, str(big))
            await press(pilot, "tab", "tab", "space")  # format, preview: off
            assert pilot.app.screen.preview_field.raw is False
            await send_keys(pilot, "ctrl+s", "escape")  # start, and stop at once
            await settle(pilot)
            screen = pilot.app.screen
            assert text_of(pilot, "#import-error") == "Stopped: nothing was imported."
            assert screen.phase == "ask"

    asyncio.run(scenario())
    assert everyone() == []


def test_the_import_dialog_offers_the_file_of_the_last_import_again(
    db_path: Path, open_app: Any
) -> None:
    async def scenario() -> tuple[str, str]:
        async with open_app(db_path) as pilot:
            await press(pilot, "3", "I")
            first = pilot.app.screen.path_field.raw
            await paste(pilot, str(CONNECTIONS))
            await press(pilot, "enter", "enter")  # the preview, then the import
            await settle(pilot)
            await press(pilot, "escape", "I")
            return first, pilot.app.screen.path_field.raw

    first, again = asyncio.run(scenario())
    assert first == ""
    assert again == str(CONNECTIONS)
