"""Keys typed faster than the database answers: each applies, in order, to the row then shown."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import pytest
from tui_helpers import send_keys, settle

from rapport.services import followups as followup_service
from rapport.tui.backend import Backend


def open_titles() -> list[str]:
    return [r.title for r in followup_service.list_followups(status="open")]


@pytest.fixture
def slow_database(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every call on the app's database thread takes a tenth of a second more:
    a large network on a slow disk, where a person types faster than it answers."""
    run = Backend._run

    def slow(self: Backend, function: Any, *args: Any, **kwargs: Any) -> Any:
        time.sleep(0.1)
        return run(self, function, *args, **kwargs)

    monkeypatch.setattr(Backend, "_run", slow)


@pytest.mark.usefixtures("slow_database")
def test_done_typed_four_times_fast_marks_the_four_rows_in_view(
    sample_db: Path, open_app: Any
) -> None:
    before = open_titles()

    said: list[str] = []

    async def scenario() -> None:
        async with open_app(sample_db) as pilot:
            shown = pilot.app.notify
            pilot.app.notify = lambda message, **kw: (said.append(message), shown(message, **kw))
            await send_keys(pilot, "6", "d", "d", "d", "d")
            await settle(pilot, timeout=60)

    asyncio.run(scenario())
    # Follow-ups lists by due date: the first four are done, each once, in order,
    # and nothing was refused as "changed elsewhere".
    assert said == [f"Done: {title} (u undoes it)" for title in before[:4]]
    assert open_titles() == before[4:]
