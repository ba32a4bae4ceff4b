"""SyncStatus: one line above the footer of every tab while a sync runs: its step, counts, a bar."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label, ProgressBar

# What the app's ``sync_progress`` holds while a sync runs: (what the round is
# doing, items done, items in all; 0 in all when it cannot count).
SyncProgress = tuple[str, int, int]


def progress_words(progress: SyncProgress) -> str:
    """'Syncing: sending: contacts, 100 of 150', or without counts when there are none."""
    what, done, total = progress
    counts = f", {done:,} of {total:,}" if total else ""
    return f"Syncing: {what}{counts}"


class SyncStatus(Horizontal):
    """Hidden until the app's ``sync_progress`` says a sync runs; then its words and a bar
    (one that sweeps while a step cannot count, as vdirsyncer talking to the server)."""

    DEFAULT_CSS = """
    SyncStatus {
        height: 1;
        display: none;
    }
    SyncStatus.-running {
        display: block;
    }
    SyncStatus #sync-words {
        width: 1fr;
        padding: 0 1;
    }
    SyncStatus ProgressBar {
        width: auto;
    }
    """

    def compose(self) -> ComposeResult:
        yield Label("", id="sync-words")
        # A bar that counts (total 1) while idle: a sweeping one runs a timer.
        yield ProgressBar(total=1, id="sync-bar", show_eta=False)

    def on_mount(self) -> None:
        self.watch(self.app, "sync_progress", self.show)

    def show(self, progress: SyncProgress | None) -> None:
        self.set_class(progress is not None, "-running")
        bar = self.query_one("#sync-bar", ProgressBar)
        if progress is None:
            bar.update(total=1, progress=0)
            return
        self.query_one("#sync-words", Label).update(progress_words(progress))
        _, done, total = progress
        bar.update(total=total or None, progress=done)
