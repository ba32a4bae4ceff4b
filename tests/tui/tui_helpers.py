"""Driving the app with Pilot: wait for its work, press keys, type text."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from textual import events
from textual.pilot import Pilot
from textual.screen import ModalScreen
from textual.worker import WorkerState

# Workers that wait for a dialog the test has not answered yet.
_WAITING_ON_DIALOGS = {"act", "picker"}


async def settle(pilot: Pilot[Any], timeout: float = 10.0) -> None:
    """Wait until the app has loaded and saved all it was asked to (dialogs may stay open)."""
    app = pilot.app
    deadline = time.monotonic() + timeout
    while True:
        await pilot.pause()
        busy = [w for w in app.workers if w.state in (WorkerState.PENDING, WorkerState.RUNNING)]
        busy = [w for w in busy if w.group != "warm"]
        if isinstance(app.screen, ModalScreen):
            busy = [w for w in busy if w.group not in _WAITING_ON_DIALOGS]
        if not busy:
            break
        if time.monotonic() > deadline:
            raise AssertionError(f"the app is still busy with {busy}")
        await asyncio.sleep(0.005)


async def press(pilot: Pilot[Any], *keys: str) -> None:
    """Press keys one by one, letting the app finish what each asks for."""
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


async def type_text(pilot: Pilot[Any], text: str) -> None:
    """Type ``text`` key by key (what as-you-type checks see)."""
    await pilot.press(*[{" ": "space"}.get(c, c) for c in text])
    await settle(pilot)


async def paste(pilot: Pilot[Any], text: str) -> None:
    """Paste ``text`` as the terminal delivers a paste (one event, quicker than typing)."""
    driver = pilot.app._driver
    assert driver is not None
    event = events.Paste(text)
    event.set_sender(pilot.app)
    driver.send_message(event)
    await settle(pilot)
