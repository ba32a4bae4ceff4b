"""A grouped list with its column labels on a line above it that stays put while it scrolls."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from textual.content import Content
from textual.events import Resize
from textual.widgets import Static

from rapport.tui.text import cut, pad
from rapport.tui.widgets.grouped import GroupedList
from rapport.tui.widgets.tables import Column


class ColumnLabels(Static):
    """The labels of a ``LabelledList``'s columns, aligned with them."""

    DEFAULT_CSS = """
    ColumnLabels {
        height: 1;
        color: $text-muted;
        text-style: bold;
    }
    """

    def __init__(self, target: GroupedList, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.target = target

    def render(self) -> Content:
        target = self.target
        parts: list[str] = [" " * target.indent]
        for index, (spec, width) in enumerate(zip(target.specs, target.widths(), strict=True)):
            parts.append(pad(cut(spec.label, width), width))
            if index < len(target.specs) - 1:
                parts.append("  ")
        return Content("".join(parts))


class LabelledList(GroupedList):
    """A ``GroupedList`` whose ``labels`` line is composed just above it."""

    def __init__(self, columns: Sequence[Column[Any]], **kwargs: Any) -> None:
        super().__init__(columns, **kwargs)
        self.labels = ColumnLabels(self, id=f"{self.id}-labels" if self.id else None)

    def on_resize(self, event: Resize) -> None:
        # GroupedList's own handler (run after this one) takes the new width.
        self.call_after_refresh(self.labels.refresh)
