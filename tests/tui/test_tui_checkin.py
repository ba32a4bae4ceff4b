"""The weekly check-in in the app: w on Review shows it, x writes it to a file, as the CLI does."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from tui_helpers import paste, press, screen_text


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
