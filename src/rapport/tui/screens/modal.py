"""Dialog: a modal screen that shows its own keys in a footer of its own."""

from __future__ import annotations

from typing import TypeVar

from textual.screen import ModalScreen

from rapport.tui.widgets.footer import DialogFooter

R = TypeVar("R")


class Dialog(ModalScreen[R]):
    """A modal screen whose footer says what its keys do (esc cancels, ctrl+s
    saves) where the tab's footer behind it showed keys that do not act there."""

    def on_mount(self) -> None:
        # Textual runs the on_mount of every class of a screen, base classes'
        # after its own: each dialog mounts its widgets, then this its footer.
        self.mount(DialogFooter())
