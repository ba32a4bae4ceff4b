"""Importing contacts from the app: a file, a preview, a progress bar, and what happened.

The import itself is ``rapport.services.exchange.import_file``, the one the CLI's
``rapport import`` commands use, run on the database thread.  It lands whole
or not at all, so stopping it (esc) or quitting the app mid-way writes
nothing.  Its progress comes back from that thread without waiting for the
screen, so the import never waits for a redraw.
"""

from __future__ import annotations

import asyncio
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.events import Resize
from textual.widgets import Button, Input, Label, ProgressBar, Static

from rapport.errors import RapportError, ValidationError
from rapport.tui.screens.modal import Dialog
from rapport.tui.text import plural
from rapport.tui.widgets.fields import CheckField, ChoiceField, TextField

if TYPE_CHECKING:  # the import's code loads when a person imports, not with the app
    from rapport.services.exchange import ImportSummary

# A preview of 30,000 rows lists the first of them; the counts cover all.
CHANGES_SHOWN = 300


class ImportStopped(Exception):
    """The person stopped the import (or quit the app); nothing was written."""


def import_path(text: str) -> Path:
    """The file to import: it must exist and be a file (quotes a terminal adds
    around a dragged-in path are taken off)."""
    raw = text.strip()
    if len(raw) > 1 and raw[0] == raw[-1] and raw[0] in "'\"":
        raw = raw[1:-1]
    if not raw:
        raise ValidationError("file", "give a file, like ~/Downloads/Connections.csv")
    path = Path(raw).expanduser()
    if path.is_dir():
        raise ValidationError("file", f"{path} is a folder; give a file in it")
    if not path.is_file():
        raise ValidationError("file", f"there is no file {path}")
    return path


def _size(path: Path) -> str:
    size = float(path.stat().st_size)
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:,.0f} {unit}" if unit == "bytes" else f"{size:,.1f} {unit}"
        size /= 1024
    return ""  # pragma: no cover


def summary_text(summary: ImportSummary) -> str:
    """What the import did (or would do): the counts and every skipped row, then row by row."""
    lines = summary.lines()
    if summary.changes:
        lines += ["", "What would change:" if summary.dry_run else "What changed:"]
        lines += [f"  {change}" for change in summary.changes[:CHANGES_SHOWN]]
        more = len(summary.changes) - CHANGES_SHOWN
        if more > 0:
            lines.append(f"  … and {more:,} more (rapport import … --dry-run lists them all)")
    return "\n".join(lines)


def hanging(text: str, width: int) -> str:
    """``text`` wrapped to ``width``, each line's continuation indented two
    columns past where the line starts."""
    out: list[str] = []
    for line in text.splitlines():
        lead = line[: len(line) - len(line.lstrip())]
        wrapped = textwrap.wrap(
            line,
            width,
            subsequent_indent=lead + "  ",
            break_long_words=False,
            break_on_hyphens=False,
        )
        out.extend(wrapped or [""])
    return "\n".join(out)


def summary_note(summary: ImportSummary) -> str:
    """One line for a notification once the dialog is closed."""
    parts = [
        f"{summary.created:,} created",
        f"{summary.updated:,} updated",
        f"{summary.merged:,} merged",
        f"{len(summary.skipped):,} skipped",
    ]
    return f"Imported {Path(summary.source).name}: " + ", ".join(parts)


class ImportScreen(Dialog["ImportSummary | None"]):
    """Asks for a file, runs the import (or its preview) with a progress bar, shows the summary.

    Returns the summary of the import that was written, or None.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Cancel / stop / close"),
        Binding("ctrl+s", "start", "Start", show=False),
    ]

    def __init__(self, path: str = "") -> None:
        from rapport.services.exchange import FORMATS

        super().__init__()
        self.path_field = TextField(
            "file",
            "File",
            path,
            cleaner=import_path,
            placeholder="~/Downloads/Connections.csv",
            meaning=lambda p: f"→ {p.name}, {_size(p)}",
        )
        self.format_field = ChoiceField(
            "format", "Format", ("auto", *FORMATS), "auto", hint="auto: found from the file"
        )
        self.preview_field = CheckField(
            "preview", "Preview", True, says="show what would change first; nothing is written"
        )
        self.phase = "ask"  # ask, running, done
        self.summary: ImportSummary | None = None
        self.imported: ImportSummary | None = None
        self._stop = False

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="import"):
            yield Label("Import contacts", id="dialog-title")
            with Vertical(id="import-ask"):
                yield Static(
                    "LinkedIn's Connections.csv (or the ZIP it sends), a vCard file from "
                    "Google, Apple or Outlook, any spreadsheet saved as CSV, or a rapport "
                    "JSON export. People already here are matched, not doubled.",
                    id="dialog-note",
                    markup=False,
                )
                yield self.path_field
                yield self.format_field
                yield self.preview_field
                yield Static("", id="import-error", markup=False)
                yield Static(
                    "enter starts · tab to format and preview · esc cancels",
                    classes="dialog-help",
                )
            with Vertical(id="import-run"):
                yield Static("", id="import-status", markup=False)
                yield ProgressBar(id="import-progress", show_eta=False)
            with VerticalScroll(id="import-summary"):
                yield Static("", id="import-lines", markup=False)
            with Horizontal(id="dialog-buttons"):
                yield Button("Import  enter", variant="primary", id="import-now", compact=True)
                yield Button("Close  esc", id="import-close", compact=True)
            yield Static("", id="import-help", classes="dialog-help", markup=False)

    def on_mount(self) -> None:
        self._show("ask")
        self.path_field.focus_control()
        if self.path_field.raw:
            self.path_field.check()

    # -- phases -------------------------------------------------------------------

    def _show(self, phase: str) -> None:
        self.phase = phase
        self.query_one("#import-ask").display = phase == "ask"
        self.query_one("#import-run").display = phase != "ask"
        self.query_one("#import-summary").display = phase == "done"
        self.query_one("#dialog-buttons").display = phase == "done"
        self.query_one("#import-error").display = False
        preview = self.summary is not None and self.summary.dry_run
        self.query_one("#import-now").display = phase == "done" and preview
        help_text = {
            "ask": "",
            "running": "esc stops the import; nothing is written then",
            "done": "enter imports what the preview shows · esc closes"
            if preview
            else "esc closes",
        }[phase]
        help_line = self.query_one("#import-help", Static)
        help_line.update(help_text)
        help_line.display = bool(help_text)
        if phase == "done":
            button = "#import-now" if preview else "#import-close"
            self.set_focus(self.query_one(button, Button))

    def _refuse(self, message: str) -> None:
        """Back to the question, saying why (nothing was written)."""
        self._show("ask")
        error = self.query_one("#import-error", Static)
        error.update(message)
        error.display = True
        self.path_field.focus_control()

    # -- actions ------------------------------------------------------------------

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_start()

    @on(Button.Pressed, "#import-now")
    def _import_now(self) -> None:
        self.action_start(preview=False)

    @on(Button.Pressed, "#import-close")
    def _close(self) -> None:
        self.dismiss(self.imported)

    def action_start(self, preview: bool | None = None) -> None:
        if self.phase == "running" or (self.phase == "done" and preview is None):
            return
        if not self.path_field.check():
            self.path_field.focus_control()
            return
        path = self.path_field.clean()
        if preview is None:
            preview = self.preview_field.raw
        chosen = self.format_field.raw
        self._stop = False
        self._show("running")  # now: an esc typed next stops it rather than closing
        self.run_worker(
            self._run(path, None if chosen == "auto" else chosen, preview),
            exclusive=True,
            group="import",
        )

    def action_back(self) -> None:
        if self.phase == "running":
            self._stop = True
            self.query_one("#import-status", Static).update("Stopping…")
        else:
            self.dismiss(self.imported)

    async def _run(self, path: Path, format_name: str | None, preview: bool) -> None:
        app = self.app
        backend = app.backend  # type: ignore[attr-defined]
        loop = asyncio.get_running_loop()
        bar = self.query_one("#import-progress", ProgressBar)
        bar.update(total=None, progress=0)
        self.summary = None
        verb = "Reading" if preview else "Importing"
        self.query_one("#import-status", Static).update(f"{verb} {path.name}…")

        def progress(done: int, total: int) -> None:
            # On the database thread.  Raising here rolls the import back; once
            # everything is counted it may already be written, so it finishes.
            if (self._stop or backend.closing.is_set()) and done < total:
                raise ImportStopped
            loop.call_soon_threadsafe(self._progress, done, total)

        from rapport.services.exchange import import_file

        try:
            summary: ImportSummary = await backend.call(
                import_file, path, format_name, dry_run=preview, progress=progress
            )
        except ImportStopped:
            self._refuse("Stopped: nothing was imported.")
            return
        except ValidationError as exc:
            self._refuse(f"Nothing was imported: {exc}")
            return
        except RapportError as exc:
            self._refuse(str(exc))
            return
        self.summary = summary
        if not summary.dry_run:
            self.imported = summary
            app.changed()  # type: ignore[attr-defined]
        bar.update(total=max(bar.total or 0, 1), progress=max(bar.total or 0, 1))
        done = "Preview of" if summary.dry_run else "Imported"
        self.query_one("#import-status", Static).update(
            f"{done} {path.name}: {plural(summary.rows, 'row')} read"
        )
        self._show_summary()
        self.query_one("#import-summary", VerticalScroll).scroll_home(animate=False)
        self._show("done")

    def _show_summary(self) -> None:
        """The summary, each line wrapped under its own start (a hanging indent),
        so a count that wraps still reads as one line of the list."""
        if self.summary is None:
            return
        # The dialog's inner width, a column left for the summary's scrollbar.
        width = max(20, self.query_one("#dialog").content_region.width - 1)
        text = hanging(summary_text(self.summary), width)
        self.query_one("#import-lines", Static).update(text)

    def on_resize(self, event: Resize) -> None:
        self._show_summary()

    def on_unmount(self) -> None:
        self._stop = True  # the app is closing: an import under way writes nothing

    def _progress(self, done: int, total: int) -> None:
        if self.phase == "running" and self.is_attached:
            self.query_one("#import-progress", ProgressBar).update(total=total, progress=done)
