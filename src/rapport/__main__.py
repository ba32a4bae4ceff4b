"""The rapport program: the command line, which opens the app when asked.

This is the one module above both faces.  It hands the command line the way
to start the app, so that rapport.cli never imports rapport.tui (the contracts
in pyproject.toml check it).  ``rapport`` (the console script) and
``python -m rapport`` both run :func:`main`.
"""

from __future__ import annotations

import gc
from pathlib import Path


def launch_app(db_path: Path) -> bool:
    """Run the terminal app on ``db_path`` until it quits; False when it is not installed."""
    try:
        # Textual is imported only here: every other command starts without it.
        from rapport.tui.app import RapportApp
    except ModuleNotFoundError as exc:
        if not (exc.name or "").startswith("rapport.tui"):
            raise
        return False
    gc.enable()  # the app runs for hours; it keeps its own heap (rapport.heap.settle)
    RapportApp(db_path=db_path).run()
    return True


def main() -> None:
    """The ``rapport`` console script."""
    # Collection off from the start, not from rapport.cli.main on: loading click
    # and the command's modules makes objects by the thousand that are never
    # cycles (rapport.cli.main says why a command runs without it; the app
    # turns it back on).
    gc.disable()
    from rapport.cli import main as run_command_line

    try:
        run_command_line(launch_app=launch_app)
    finally:
        # The process ends here, and Python's shutdown collects every object it
        # tracks (disabled or not) before freeing them: the modules and rows
        # of a command, 15 ms of `followups due`'s 115 ms CPU at 30,000
        # contacts.  Frozen, they are freed as ever (by reference counts),
        # without that last search for cycles; at-exit handlers run as before.
        gc.freeze()


if __name__ == "__main__":
    main()
