"""Snapshots of the Review tab's network by goal on the demo network, at 100x32 and 80x24.

The Review tab itself is in test_tui_snapshots.py with the other main screens.
Run ``pytest tests/tui/test_tui_review_snapshots.py --snapshot-update`` after a
change meant to alter how it looks, and look at the new SVGs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from tui_helpers import press, settle


def _app(db: Path) -> Any:
    from rapport.tui.app import RapportApp

    return RapportApp(db_path=db)


def test_network_by_goal(sample_db: Path, snap_compare: Any) -> None:
    async def network(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await press(pilot, "7", "n")

    assert snap_compare(_app(sample_db), terminal_size=(100, 32), run_before=network)


def test_review_in_a_small_terminal(sample_db: Path, snap_compare: Any) -> None:
    async def review(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await press(pilot, "7", "down", "down", "down")

    assert snap_compare(_app(sample_db), terminal_size=(80, 24), run_before=review)
