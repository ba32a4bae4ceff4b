"""Timings inside one rapport process, and what this build offers; run by bench/run.py.

    python bench/inside.py features
    python bench/inside.py time DB WHAT [--arg WORD|ID] [--runs N]
    python bench/inside.py tui DB --contact ID --word WORD [--spawned EPOCH]

prints JSON on stdout.  ``features`` lists every ``rapport`` command with its
options and whether the TUI is there; ``time`` opens DB and times WHAT (see
CALLS), giving the wall and CPU seconds of each call after a few warm-up calls;
``tui`` drives the app headless with Textual's Pilot (see tui_timings).  ``--spawned``
is when the runner started this process, so launch counts the interpreter too.

It runs in its own interpreter so that the runner never imports rapport or
holds its data: a child process's peak memory, as the kernel reports it, is at
least its parent's, and the runner must stay smaller than what it measures.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
import resource
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any


def features() -> dict[str, Any]:
    import click

    from rapport.cli import cli

    commands: dict[str, list[str]] = {}

    def walk(command: Any, path: tuple[str, ...]) -> None:
        options = [opt for param in command.params for opt in param.opts]
        commands[" ".join(path)] = options
        if isinstance(command, click.Group):
            context = click.Context(command)
            for name in command.list_commands(context):
                walk(command.get_command(context, name), (*path, name))

    walk(cli, ())
    try:
        tui = importlib.util.find_spec("rapport.tui.app") is not None
    except ModuleNotFoundError:
        tui = False
    return {"commands": commands, "tui": tui}


def _search_sql(word: str) -> Callable[[], Any]:
    from rapport.services.search import build_query, ranked_matches

    # The statements services.search.search() runs, without building the hits.
    query = build_query(word)
    assert query is not None
    return lambda: ranked_matches(query, limit=30)


def _search_call(word: str) -> Callable[[], Any]:
    from rapport.services.search import search

    return lambda: search(word, limit=30)


def _contact_rows(_: str) -> Callable[[], Any]:
    from rapport.services.contacts import contact_rows

    return contact_rows


def _last_contacted(_: str) -> Callable[[], Any]:
    from rapport.services.contacts import last_contacted

    return last_contacted


def _today(_: str) -> Callable[[], Any]:
    from rapport.services.agenda import today_agenda

    return today_agenda


def _contact_detail(contact: str) -> Callable[[], Any]:
    from rapport.services.contacts import contact_detail

    return lambda: contact_detail(int(contact))


CALLS: dict[str, Callable[[str], Callable[[], Any]]] = {
    "search_sql": _search_sql,
    "search_call": _search_call,
    "contact_rows": _contact_rows,
    "last_contacted": _last_contacted,
    "today": _today,
    "contact_detail": _contact_detail,
}


def time_calls(db: str, what: str, argument: str, runs: int, warmup: int = 3) -> dict[str, Any]:
    from rapport.db import close_database, open_database

    open_database(db)
    try:
        func = CALLS[what](argument)
        for _ in range(warmup):
            func()
        wall, cpu = [], []
        for _ in range(runs):
            cpu_start = time.process_time()
            started = time.perf_counter()
            func()
            wall.append(time.perf_counter() - started)
            cpu.append(time.process_time() - cpu_start)
    finally:
        close_database()
    return {"wall": wall, "cpu": cpu}


# -- the app, driven by Textual's Pilot ------------------------------------------


async def _until(check: Callable[[], bool], timeout: float = 60.0) -> None:
    deadline = time.perf_counter() + timeout
    while not check():
        if time.perf_counter() > deadline:
            raise TimeoutError("the app did not get there in time")
        await asyncio.sleep(0.001)


class Frames:
    """When the app hands a frame to the terminal while something holds.

    "Drawn" means a frame showing it was given to the terminal.  Waiting for
    the condition and then for the next refresh (``wait_for_refresh``) counts
    one frame too many when the change is drawn in the same pass of the event
    loop as it is made (a filter applied as the key is read): the poll sees the
    condition only after that frame, and the next may be 17-33 ms later (the
    screen's 60 fps timer).  So every frame is looked at as it goes out.
    ``App._display`` is Textual's own (private) hand-over of each frame, called
    headless too; the app under test is not changed.
    """

    def __init__(self, app: Any) -> None:
        self._check: Callable[[], bool] | None = None
        self._seen: float | None = None
        display = app._display

        def recording(screen: Any, renderable: Any) -> None:
            display(screen, renderable)
            if self._check is not None and self._seen is None and self._check():
                self._seen = time.perf_counter()

        app._display = recording

    async def drawn(self, check: Callable[[], bool], timeout: float = 60.0) -> float:
        """The perf_counter time of the first frame drawn from now on while ``check()``."""
        self._check, self._seen = check, None
        await _until(lambda: self._seen is not None, timeout)
        self._check = None
        assert self._seen is not None
        return self._seen


async def _search_box(app: Any, pilot: Any, frames: Frames, word: str) -> list[Any]:
    """Seconds from each key typed into the search box to its results drawn."""
    from textual import events

    await pilot.press("ctrl+f")
    await _until(lambda: getattr(app.focused, "id", "") == "search-box")
    box: Any = app.screen
    timings = []
    for typed in (word[:n] for n in range(1, len(word) + 1)):
        await pilot.pause()
        begin = time.perf_counter()
        char = typed[-1]
        app.post_message(events.Key("space" if char == " " else char, char))
        end = await frames.drawn(lambda typed=typed: box.shown_for == typed)  # type: ignore[misc]
        timings.append((typed, len(box.hits), end - begin))
    await pilot.press("escape")
    return timings


async def _drive(db: str, spawned: float, contact: int, word: str, search: str) -> dict[str, Any]:
    from textual import events

    from rapport.db import open_database
    from rapport.tui.app import RapportApp

    took: dict[str, Any] = {}
    app = RapportApp(db_path=open_database(db))
    async with app.run_test(size=(120, 40)) as pilot:
        frames = Frames(app)
        # Launch: from the moment the runner started this process (interpreter,
        # imports, database) to Today holding its follow-ups.
        agenda: Any = app.screen.query_one("#agenda")
        await _until(lambda: bool(agenda.items))
        await app.screen.wait_for_refresh()  # and drawn
        took["launch"] = time.time() - spawned
        await _until(
            lambda: any(getattr(i, "title", "").startswith("Going cold (") for i in agenda.items)
        )
        took["today_complete"] = time.time() - spawned

        begin = time.perf_counter()
        await pilot.press("3")
        screen: Any = app.screen
        await _until(lambda: bool(getattr(screen, "table", None) and screen.table.total))
        took["contacts_tab"] = time.perf_counter() - begin
        took["contacts"] = screen.table.total
        table = screen.table

        # A keystroke in the filter, to the table holding what matches, drawn.
        await pilot.press("slash")
        await _until(lambda: getattr(app.focused, "id", "") == "filter")
        keystrokes = []
        for typed in (word[:n] for n in range(1, len(word) + 1)):
            await pilot.pause()  # the last keystroke's work all done
            begin = time.perf_counter()
            # The key as the terminal driver hands it over; Pilot's own press
            # would add its waits for the whole process to go idle.
            char = typed[-1]
            app.post_message(events.Key("space" if char == " " else char, char))
            end = await frames.drawn(lambda typed=typed: table.filter_text == typed)  # type: ignore[misc]
            keystrokes.append((typed, len(table.matching), end - begin))
        took["keystrokes"] = keystrokes

        # Opening a contact: the cursor moves onto it from the row beside it;
        # timed to its sheet (timeline and all) shown beside the list.
        from textual.widgets import Input

        # Filtered by its name (as a person finds someone), so that setting up
        # does not draw thousands of rows the timing would then wait behind.
        row = next(r for r in table.rows_all if r.id == contact)
        screen.query_one("#filter", Input).value = row.name
        await _until(lambda: table.filter_text == row.name)
        await pilot.press("enter")
        if len(table.matching) < 2:  # a unique name: its surname finds neighbours
            screen.query_one("#filter", Input).value = row.name.split()[-1]
            await _until(lambda: table.filter_text == row.name.split()[-1])
        screen.select(contact)
        index = table.cursor_row
        beside = index - 1 if index else index + 1
        table.move_cursor(row=beside, animate=False)
        await _until(lambda: screen.selected is not None and screen.selected.id != contact)
        await _until(lambda: screen.detail_pane.plain.startswith(screen.selected.name))
        await pilot.pause()
        begin = time.perf_counter()
        app.post_message(events.Key("down" if beside < index else "up", None))
        end = await frames.drawn(
            lambda: (
                screen.selected.id == contact
                and screen.detail_pane.plain.startswith(row.name)
                and "Timeline" in screen.detail_pane.plain
            )
        )
        took["open_contact"] = end - begin
        took["open_contact_among"] = len(table.matching)
        timeline = screen.detail_pane.plain.split("Timeline", 1)[1]
        took["timeline"] = timeline.split("\n", 1)[0].strip()

        # The app's jump to a contact, as from another tab.
        await pilot.press("1")
        begin = time.perf_counter()
        await app.open_contact(contact)
        end = await frames.drawn(
            lambda: (
                getattr(app.screen, "selected", None) is not None
                and app.screen.selected.id == contact
                and app.screen.detail_pane.plain.startswith(row.name)
            )
        )
        took["jump_to_contact"] = end - begin

        # The search box (ctrl+f): a key at a time, each to its results drawn.
        took["search_keystrokes"] = await _search_box(app, pilot, frames, search)
        # The Follow-ups tab opened for the first time: its open follow-ups
        # loaded (with whom and which goals) and drawn.
        await pilot.pause()
        begin = time.perf_counter()
        app.post_message(events.Key("6", "6"))  # as the terminal hands it over
        end = await frames.drawn(
            lambda: (
                getattr(app.screen, "MODE", "") == "followups"
                and bool(getattr(app.screen, "table", None) and app.screen.table.total)
            )
        )
        took["followups_tab"] = end - begin
        took["followups"] = app.screen.table.total
    took["peak_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return took


def tui_timings(
    db: str, *, contact: int, word: str, spawned: float | None = None, search: str = "platform"
) -> dict[str, Any]:
    """Drive the app on DB headless (120x40): seconds to the first screen with data,
    per filter keystroke, to open ``contact``, per key typed in the search box
    (``search``), and this process's peak memory."""
    return asyncio.run(_drive(db, spawned or time.time(), contact, word, search))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="mode", required=True)
    sub.add_parser("features")
    timing = sub.add_parser("time")
    timing.add_argument("db")
    timing.add_argument("what", choices=sorted(CALLS))
    timing.add_argument("--arg", default="", help="the word to search for, or a contact id")
    timing.add_argument("--runs", type=int, default=30)
    tui = sub.add_parser("tui")
    tui.add_argument("db")
    tui.add_argument("--contact", type=int, required=True, help="the contact to open")
    tui.add_argument("--word", required=True, help="what to type in the contact filter")
    tui.add_argument("--spawned", type=float, help="when the process was started (epoch s)")
    tui.add_argument("--search", default="platform", help="what to type in the search box")
    args = parser.parse_args(argv)
    if args.mode == "features":
        result = features()
    elif args.mode == "tui":
        result = tui_timings(
            args.db,
            contact=args.contact,
            word=args.word,
            spawned=args.spawned,
            search=args.search,
        )
    else:
        result = time_calls(args.db, args.what, args.arg, args.runs)
    json.dump(result, sys.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
