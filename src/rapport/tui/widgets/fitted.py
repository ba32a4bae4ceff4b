"""A detail pane whose sheet is drawn for the width it has, so its lines are cut, not wrapped."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.events import Resize

from rapport.tui.widgets.detail import DetailPane, Sheet

Draw = Callable[[int], Sheet]


class FittedPane(DetailPane):
    """Shows ``draw(width)``, drawn again when the pane's width changes."""

    def __init__(self, empty: str = "", **kwargs: Any) -> None:
        super().__init__(empty, **kwargs)
        self._draw: Draw | None = None
        self._drawn_width = 0

    @property
    def room(self) -> int:
        """Columns a line can use (the scrollbar and padding left aside)."""
        return max(20, self.size.width - self.styles.gutter.width - 1)

    def show_drawn(self, draw: Draw | None) -> None:
        self._draw = draw
        self._drawn_width = self.room
        self.show(draw(self._drawn_width) if draw is not None else None)

    def on_resize(self, event: Resize) -> None:
        if self._draw is not None and self.room != self._drawn_width:
            line = self.scroll_y
            self.show_drawn(self._draw)
            self.scroll_to(y=line, animate=False)
