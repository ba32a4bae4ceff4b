"""The weekly check-in in the app: w on Review shows it, x writes it to a file, as the CLI does."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from tui_helpers import paste, press, screen_text, settle, type_text


def test_w_on_review_shows_the_check_in_and_x_writes_it_to_a_file(
    sample_db: Path, open_app: Any, tmp_path: Path
) -> None:
    target = tmp_path / "week.md"

    async def scenario() -> str:
        async with open_app(sample_db, size=(100, 32)) as pilot:
            await press(pilot, "7", "w")
            shown = screen_text(pilot)
            await press(pilot, "x", "ctrl+a", "ctrl+k")
            await paste(pilot, str(target))
            await press(pilot, "enter")
            return shown

    shown = asyncio.run(scenario())
    assert "# Weekly check-in, 17–23 Nov 2026" in shown
    assert "## Done in the last 7 days" in shown
    written = target.read_text()
    assert written.startswith("# Weekly check-in, 17–23 Nov 2026\n")
    assert "Reviewed Ravi's promo packet" in written
    assert target.stat().st_mode & 0o777 == 0o600  # personal data


def test_export_in_the_palette_finds_the_check_in_and_writes_it(
    sample_db: Path, open_app: Any, tmp_path: Path
) -> None:
    """What `w` then `x` does on Review, a person finds by typing "export" in the
    palette, from any tab, and it asks where to write as the key does."""
    from textual.command import CommandPalette

    target = tmp_path / "week.md"

    async def offers(pilot: Any, words: str) -> list[str]:
        await type_text(pilot, words)
        await pilot.pause(0.3)  # the palette searches its providers in the background
        await settle(pilot)
        palette = pilot.app.screen
        assert isinstance(palette, CommandPalette)
        options = palette.query_one("CommandList")
        return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]

    async def scenario() -> tuple[list[str], list[str], str]:
        async with open_app(sample_db, size=(100, 32)) as pilot:
            await press(pilot, "7", "ctrl+p")
            on_review = await offers(pilot, "export")
            await press(pilot, "escape", "1", "ctrl+p")
            on_today = await offers(pilot, "export")
            chosen = next(i for i, o in enumerate(on_today) if "check-in" in o)
            await press(pilot, *["down"] * chosen, "enter")
            asked = screen_text(pilot)
            await press(pilot, "ctrl+a", "ctrl+k")
            await paste(pilot, str(target))
            await press(pilot, "enter")
            return on_review, on_today, asked

    on_review, on_today, asked = asyncio.run(scenario())
    assert any("Export the weekly check-in" in o and "w then x" in o for o in on_review)
    assert any("Review: Export the weekly check-in" in o for o in on_today)
    assert "Write the weekly check-in to a file" in asked
    assert target.read_text().startswith("# Weekly check-in, 17–23 Nov 2026\n")
