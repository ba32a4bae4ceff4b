"""Snapshots of the main screens on the demo network, at 100x32, on the frozen day.

Run ``pytest tests/tui/test_tui_snapshots.py --snapshot-update`` after a
change that is meant to alter how a screen looks, and look at the new SVGs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from tui_helpers import paste, press, settle, type_text

SIZE = (100, 32)


def _app(db: Path) -> Any:
    from rapport.tui.app import RapportApp

    return RapportApp(db_path=db)


def test_today(sample_db: Path, snap_compare: Any) -> None:
    assert snap_compare(_app(sample_db), terminal_size=SIZE, run_before=settle)


def test_contacts_with_detail(sample_db: Path, snap_compare: Any) -> None:
    async def open_dana(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await press(pilot, "3", "slash")
        await paste(pilot, "dana")
        await press(pilot, "enter")

    assert snap_compare(_app(sample_db), terminal_size=SIZE, run_before=open_dana)


def test_contact_form_with_an_error(sample_db: Path, snap_compare: Any) -> None:
    async def bad_email(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await press(pilot, "3", "a")
        await paste(pilot, "Tara Singh")
        await press(pilot, "tab", "tab", "tab")
        await type_text(pilot, "tara@")

    assert snap_compare(_app(sample_db), terminal_size=SIZE, run_before=bad_email)


def test_review(sample_db: Path, snap_compare: Any) -> None:
    async def review(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await press(pilot, "7")

    assert snap_compare(_app(sample_db), terminal_size=SIZE, run_before=review)
