"""The weekly check-in in the app (w on Review): done, due and goals; x writes it to a file."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Label, Static

from rapport.errors import RapportError
from rapport.files import write_private
from rapport.services import review as review_service
from rapport.services import review_report as report
from rapport.tui.screens.dialogs import PromptModal
from rapport.tui.screens.followups import file_path
from rapport.tui.screens.modal import Dialog

if TYPE_CHECKING:
    from rapport.tui.screens.base import TabScreen


def checkin_text() -> str:
    """The weekly check-in as Markdown, as `rapport review --week` prints it (database thread)."""
    return report.checkin_markdown(review_service.weekly_checkin())


class CheckInScreen(Dialog[bool]):
    """The check-in, to read; x asks where to write it (True), esc closes (False)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", "Close"),
        Binding("x", "export", "Export to a file"),
    ]

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="checkin"):
            yield Label("Weekly check-in", id="dialog-title")
            with VerticalScroll(id="checkin-box"):
                yield Static(self.text, id="checkin-text", markup=False)
            yield Static(
                "x writes it to a file (Markdown, to send) · esc closes", classes="dialog-help"
            )

    def on_mount(self) -> None:
        self.query_one("#checkin-box").focus()

    def action_close(self) -> None:
        self.dismiss(False)

    def action_export(self) -> None:
        self.dismiss(True)


async def show_checkin(screen: TabScreen, *, read_first: bool = True) -> None:
    """Show the weekly check-in; on x, write it where the person says
    (``read_first=False``: ask where at once)."""
    try:
        text = await screen.call(checkin_text)
    except RapportError as exc:
        screen.notify(str(exc), title="Could not work out the check-in", severity="error")
        return
    if read_first and not await screen.app.push_screen_wait(CheckInScreen(text)):
        return
    paths = screen.rapport.last_paths
    path: Path | None = await screen.app.push_screen_wait(
        PromptModal(
            "Write the weekly check-in to a file",
            "File",
            paths.get("checkin", str(Path("~/rapport-checkin.md"))),
            cleaner=file_path("rapport-checkin.md"),
            note="Markdown, ready to send to an accountability partner.",
        )
    )
    if path is None:
        return
    paths["checkin"] = str(path)
    try:
        await screen.call(write_private, path, text.encode("utf-8"))
    except (OSError, RapportError) as exc:
        screen.notify(str(exc), title="Could not write it", severity="error", timeout=6)
        return
    screen.notify(f"Wrote the check-in to {path}", timeout=5)
