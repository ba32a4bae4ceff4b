"""The app's Sync action (Y, or the palette): rapport sync in the background, then its report."""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tui_helpers import notices, press, screen_text, send_keys, settle

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
            said = notices(pilot, title="Sync is not set up")
            assert len(said) == 1 and said[0].startswith("tasks: no vdir to sync")
            # Nothing was tried: no word of syncing, nor of a failure.
            assert "Syncing with your phone…" not in notices(pilot)
            assert notices(pilot, title="Sync failed") == []

    asyncio.run(scenario())


async def until(pilot: Any, check: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"still not so after {timeout} s:\n{screen_text(pilot)}")
        await pilot.pause(0.02)


def test_a_sync_shows_its_steps_and_counts_and_the_tabs_work_meanwhile(
    db_path: Path, open_app: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tasks, go = tmp_path / "tasks", tmp_path / "go"
    tasks.mkdir()
    # A vdirsyncer talking to a slow server: it answers when the test says so.
    script = tmp_path / "vdirsyncer"
    script.write_text(
        f"#!{sys.executable}\nimport os, time\ndeadline = time.time() + 30\n"
        f"while not os.path.exists({str(go)!r}) and time.time() < deadline:\n"
        "    time.sleep(0.02)\n"
    )
    script.chmod(0o700)
    config = tmp_path / "config.toml"
    config.write_text(
        f'[sync]\ntasks = "{tasks}"\nvdirsyncer = true\nvdirsyncer_command = "{script}"\n'
    )
    monkeypatch.setenv("RAPPORT_CONFIG", str(config))
    followups.create_followup("Send Dana the deck", due="2026-11-25")
    followups.create_followup("Call Yosef", due="2026-11-26")

    async def scenario() -> None:
        async with open_app(db_path, size=(100, 30)) as pilot:
            app = pilot.app
            steps: list[Any] = []
            app.watch(app, "sync_progress", lambda step: steps.append(step), init=False)
            await send_keys(pilot, "Y")
            await until(pilot, lambda: "Syncing: vdirsyncer sync rapport" in screen_text(pilot))
            # While vdirsyncer waits on the server, another tab opens and loads.
            await send_keys(pilot, "6")
            await until(
                pilot,
                lambda: (
                    getattr(app.screen, "MODE", "") == "followups"
                    and app.screen.loaded_version >= 0
                ),
            )
            shown = screen_text(pilot)
            assert "Call Yosef" in shown
            assert "Syncing: vdirsyncer sync rapport" in shown  # above this tab's footer too
            go.touch()
            await until(pilot, lambda: app.sync_progress is None)
            await settle(pilot)
            assert "Synced: 2 sent" in notices(pilot)
            assert "Syncing:" not in screen_text(pilot)
            # Each step was shown, with its counts.
            assert ("taking in: tasks", 2, 2) in steps
            assert ("sending: tasks", 2, 2) in steps
            assert ("sending: writing 2 task files", 0, 0) in steps
            assert steps[-1] is None

    asyncio.run(scenario())
    assert len(list(tasks.glob("*.ics"))) == 2
