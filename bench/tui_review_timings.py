"""How quick the Review tab and Today's suggestions are on a large database.

    .venv/bin/python bench/tui_review_timings.py PATH/TO/big.db

Runs the app headless (Textual's Pilot) at 120x40 on the database (nothing is
written) and prints seconds for each step, and the longest the event loop
went without answering (a keystroke waits at most that long).  Make the
database with bench/generate.py (30,000 contacts, 200,000 interactions).
A step that follows a key press includes Pilot's own wait for the app to be
idle (about 0.1 s on the demo network too).
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from pathlib import Path
from typing import Any

from tui_timings import _until

os.environ.setdefault("RAPPORT_NOW", "2026-11-23T09:00:00")


class Stalls:
    """The longest gap between ticks of a 5 ms timer on the event loop."""

    def __init__(self) -> None:
        self.longest = 0.0
        self._task: asyncio.Task[None] | None = None

    async def _tick(self) -> None:
        last = time.perf_counter()
        while True:
            await asyncio.sleep(0.005)
            now = time.perf_counter()
            self.longest = max(self.longest, now - last - 0.005)
            last = now

    def start(self) -> None:
        self._task = asyncio.create_task(self._tick())

    def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()


async def measure(path: Path) -> dict[str, float]:
    from rapport.db import open_database
    from rapport.tui.app import RapportApp

    start = time.perf_counter()
    app = RapportApp(db_path=open_database(path))
    took: dict[str, float] = {}
    stalls = Stalls()
    async with app.run_test(size=(120, 40)) as pilot:
        stalls.start()
        agenda: Any = app.screen.query_one("#agenda")

        def heading(prefix: str) -> bool:
            return any(getattr(i, "title", "").startswith(prefix) for i in agenda.items)

        await _until(lambda: bool(agenda.items))
        took["Today's follow-ups shown"] = time.perf_counter() - start
        await _until(lambda: heading("Suggestions for this week ("))
        took["Today's suggestions shown"] = time.perf_counter() - start

        begin = time.perf_counter()
        await pilot.press("7")
        screen: Any = app.screen
        await _until(lambda: screen.review is not None)
        took["Review: first goal's review shown"] = time.perf_counter() - begin
        await _until(lambda: screen.network_tree.loaded)
        took["Review: every goal's warmth and the tree shown"] = time.perf_counter() - begin

        shown = screen.review
        begin = time.perf_counter()
        await pilot.press("down")
        await _until(lambda: screen.review is not shown)
        took["Review: next goal shown (reviews in hand)"] = time.perf_counter() - begin

        begin = time.perf_counter()
        await pilot.press("n")
        await _until(lambda: screen.network_shown and screen.network_tree.current is not None)
        took["Review: network by goal shown"] = time.perf_counter() - begin
        took["longest the event loop was busy"] = stalls.longest
        stalls.stop()
    return took


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    took = asyncio.run(measure(Path(sys.argv[1])))
    print("\n".join(f"{seconds:7.3f} s  {step}" for step, seconds in took.items()))
