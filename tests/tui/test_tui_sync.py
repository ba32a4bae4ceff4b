"""The app's Sync action (Y, or the palette): rapport sync in the background, then its report."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from tui_helpers import notices, press, settle

from rapport.services import followups


def test_y_syncs_and_says_what_it_did(
    db_path: Path, open_app: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tasks = tmp_path / "tasks"
    tasks.mkdir()
    config = tmp_path / "config.toml"
    config.write_text(f'[sync]\ntasks = "{tasks}"\n')
    monkeypatch.setenv("RAPPORT_CONFIG", str(config))
    followups.create_followup("Send Dana the deck", due="2026-11-25")
    followups.create_followup("Call Yosef", due="2026-11-26")

    async def scenario() -> None:
        async with open_app(db_path) as pilot:
            await press(pilot, "Y")
            await settle(pilot)
            assert "Syncing with your phone…" in notices(pilot)
            assert "Synced: 2 sent" in notices(pilot)

    asyncio.run(scenario())
    assert len(list(tasks.glob("*.ics"))) == 2


def test_a_sync_with_nothing_configured_says_what_to_do(
    db_path: Path, open_app: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RAPPORT_CONFIG", str(tmp_path / "none.toml"))

    async def scenario() -> None:
        async with open_app(db_path) as pilot:
            await press(pilot, "Y")
            await settle(pilot)
            failed = notices(pilot, title="Sync failed")
            assert len(failed) == 1 and failed[0].startswith("tasks: no vdir to sync")

    asyncio.run(scenario())
