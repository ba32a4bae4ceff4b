"""Timings inside one rapport process, and what this build offers; run by bench/run.py.

    python bench/inside.py features
    python bench/inside.py time DB WHAT [--word WORD] [--contact ID] [--runs N]

prints JSON on stdout.  ``features`` lists every ``rapport`` command with its
options and whether the TUI is there; ``time`` opens DB and times WHAT (see
CALLS), giving the wall and CPU seconds of each call after a few warm-up calls.

It runs in its own interpreter so that the runner never imports rapport or
holds its data: a child process's peak memory, as the kernel reports it, is at
least its parent's, and the runner must stay smaller than what it measures.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
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


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="mode", required=True)
    sub.add_parser("features")
    timing = sub.add_parser("time")
    timing.add_argument("db")
    timing.add_argument("what", choices=sorted(CALLS))
    timing.add_argument("--arg", default="", help="the word to search for, or a contact id")
    timing.add_argument("--runs", type=int, default=30)
    args = parser.parse_args(argv)
    if args.mode == "features":
        result = features()
    else:
        result = time_calls(args.db, args.what, args.arg, args.runs)
    json.dump(result, sys.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
