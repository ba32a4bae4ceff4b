"""How quick the app is on a large database: first screen, contact list, filtering, a contact.

    .venv/bin/python bench/tui_timings.py PATH/TO/big.db

Runs the app headless (Textual's Pilot) at 120x40 on a copy-free open of the
database (nothing is written) and prints seconds for each step.  Make the
database with the benchmark generator; the figures in the TUI issue note
came from 30,000 contacts and 200,000 interactions.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("RAPPORT_NOW", "2026-11-23T09:00:00")


async def _until(check: Callable[[], bool], timeout: float = 60.0) -> None:
    deadline = time.perf_counter() + timeout
    while not check():
        if time.perf_counter() > deadline:
            raise TimeoutError("the app did not get there in time")
        await asyncio.sleep(0.002)


async def measure(path: Path) -> dict[str, float]:
    from rapport.db import open_database
    from rapport.tui.app import RapportApp

    start = time.perf_counter()
    app = RapportApp(db_path=open_database(path))
    took: dict[str, float] = {}
    async with app.run_test(size=(120, 40)) as pilot:
        agenda: Any = app.screen.query_one("#agenda")
        await _until(lambda: bool(agenda.items))
        took["Today's follow-ups shown"] = time.perf_counter() - start
        await _until(
            lambda: any(getattr(i, "title", "").startswith("Going cold (") for i in agenda.items)
        )
        took["Today's going cold shown"] = time.perf_counter() - start

        begin = time.perf_counter()
        await pilot.press("3")
        await _until(lambda: bool(getattr(app.screen, "table", None) and app.screen.table.total))
        took["Contacts tab shown (list loaded while on Today)"] = time.perf_counter() - begin
        screen: Any = app.screen

        await pilot.press("slash")
        await _until(lambda: getattr(app.focused, "id", "") == "filter")
        for text in ("a", "an", "ana", "ana ", "ana s"):
            begin = time.perf_counter()
            await pilot.press("space" if text.endswith(" ") else text[-1])
            await _until(lambda text=text: screen.table.filter_text == text)  # type: ignore[misc]
            took[f"filter keystroke {text!r} ({len(screen.table.matching):,} rows)"] = (
                time.perf_counter() - begin
            )
        await pilot.press("enter")
        await asyncio.sleep(0.5)

        before = screen.detail_pane.plain
        begin = time.perf_counter()
        await pilot.press("down")
        await _until(lambda: screen.detail_pane.plain != before)
        took["next contact's detail shown"] = time.perf_counter() - begin
    return took


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    for step, seconds in asyncio.run(measure(Path(sys.argv[1]))).items():
        print(f"{seconds:7.3f} s  {step}")


if __name__ == "__main__":
    main()
