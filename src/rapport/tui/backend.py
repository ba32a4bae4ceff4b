"""The app's database thread: every service call runs there, one at a time, in order.

SQLite connections belong to the thread that opened them, and peewee keeps one
per thread.  Running every read and write on a single worker thread keeps the
event loop free (a keystroke never waits for a query), keeps writes in the
order they were asked for, and leaves one connection to close at exit.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from rapport.db import database_failure

T = TypeVar("T")


def _bind(db_path: Path) -> None:
    """Open ``db_path`` unless the models are already bound to that very file."""
    from rapport.db import open_database
    from rapport.models import database

    bound = getattr(database.obj, "database", None)
    if bound is None or Path(bound).resolve() != db_path.resolve():
        open_database(db_path)


class Backend:
    """Runs service functions on the database thread and awaits their results."""

    def __init__(self, db_path: Path) -> None:
        self.db_path = db_path
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="rapport-db")
        # Set when the app closes: long work (an import) checks it and stops,
        # writing nothing, instead of keeping the app from exiting.
        self.closing = threading.Event()
        self._bound = self._executor.submit(_bind, db_path)

    def _run(self, function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        # On the database thread, after _bind (the thread runs one thing at a time).
        failed = self._bound.exception()
        if failed is not None:
            raise failed
        return function(*args, **kwargs)

    async def call(self, function: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        """``await backend.call(service_function, ...)``: its result, or its exception.

        SQLite's own errors come back as RapportError, so the app can say them
        in a notification as the CLI says them on stderr.
        """
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(
                self._executor, partial(self._run, function, *args, **kwargs)
            )
        except Exception as exc:
            failure = database_failure(exc)
            if failure is None:
                raise
            raise failure from exc

    def close(self) -> None:
        """Close the thread's connection and stop the thread (waits for work in hand)."""
        from rapport.db import close_database

        self.closing.set()
        self._executor.submit(close_database)
        self._executor.shutdown(wait=True, cancel_futures=False)
