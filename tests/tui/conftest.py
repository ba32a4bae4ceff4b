"""Fixtures for the app's tests: the app on a test database, loaded, at the snapshot size."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from tui_helpers import settle


@pytest.fixture
def open_app() -> Callable[..., Any]:
    """``async with open_app(db) as pilot:`` the app on ``db``, loaded, at 100x32."""
    from rapport.tui.app import RapportApp

    @asynccontextmanager
    async def opener(db: Path, size: tuple[int, int] = (100, 32)) -> AsyncIterator[Pilot[Any]]:
        app = RapportApp(db_path=db)
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            yield pilot

    return opener
