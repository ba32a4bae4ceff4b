"""A list of rows under headings (Today, Review): the highlight steps over the headings."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from textual import on
from textual.content import Content
from textual.events import Resize
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from rapport.tui.text import cut, pad
from rapport.tui.widgets.tables import Column, RowMessage, natural_widths, share_widths


@dataclass(frozen=True)
class Heading:
    """A heading line; ``note`` is shown after it, muted."""

    title: str
    note: str = ""


class GroupedList(OptionList):
    """Rows drawn as aligned columns under headings; headings cannot be highlighted."""

    DEFAULT_CSS = """
    GroupedList {
        height: 1fr;
        max-height: 100%;
        border: none;
        padding: 0;
        scrollbar-size-vertical: 1;
        text-wrap: nowrap;
        text-overflow: clip;
        & > .option-list--option-disabled {
            color: $text-accent;
            text-style: bold;
        }
        &:focus {
            border: none;
        }
    }
    """

    class Highlighted(RowMessage):
        """The highlighted row changed (None when the list has no rows)."""

    class Chosen(RowMessage):
        """Enter was pressed on a row."""

    def __init__(self, columns: Sequence[Column[Any]], *, indent: int = 0, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.specs = list(columns)
        self.indent = indent
        self.items: list[Any] = []
        self._width = 0
        self._natural: list[int] | None = None

    @property
    def current(self) -> Any:
        index = self.highlighted
        if index is None or index >= len(self.items):
            return None
        item = self.items[index]
        return None if isinstance(item, Heading) else item

    def widths(self) -> list[int]:
        total = max(20, self._width - 2)
        spare = total - self.indent - 2 * (len(self.specs) - 1)
        return share_widths(self.specs, spare, self._natural)

    def _line(self, item: Any, widths: list[int]) -> Content:
        if isinstance(item, Heading):
            title = Content(cut(item.title, self._width))
            if item.note:
                note = cut(item.note, max(0, self._width - len(item.title) - 3))
                title = Content.assemble(title, "  ", (note, "$text-muted not bold"))
            return title
        parts: list[str | tuple[str, str]] = [" " * self.indent]
        for index, (spec, width) in enumerate(zip(self.specs, widths, strict=True)):
            text = pad(cut(spec.text(item), width), width)
            style = spec.style(item) if spec.style else ""
            parts.append((text, style) if style else text)
            if index < len(self.specs) - 1:
                parts.append("  ")
        return Content.assemble(*parts)

    def show(self, items: Sequence[Any], *, keep: Callable[[Any], bool] | None = None) -> None:
        """Replace the lines; the highlight goes to the first row ``keep`` accepts,
        else stays on its line."""
        line = self.highlighted or 0
        self.items = list(items)
        rows = [item for item in self.items if not isinstance(item, Heading)]
        self._natural = natural_widths(self.specs, rows)
        self._render_options()
        target = None
        if keep is not None:
            target = next(
                (
                    i
                    for i, item in enumerate(self.items)
                    if not isinstance(item, Heading) and keep(item)
                ),
                None,
            )
        self._land(line if target is None else target)
        self.post_message(self.Highlighted(self, self.current))

    def _render_options(self) -> None:
        widths = self.widths()
        self.set_options(
            Option(self._line(item, widths), disabled=isinstance(item, Heading))
            for item in self.items
        )

    def _land(self, line: int) -> None:
        rows = [i for i, item in enumerate(self.items) if not isinstance(item, Heading)]
        if not rows:
            self.highlighted = None
            return
        after = [i for i in rows if i >= line]
        self.highlighted = after[0] if after else rows[-1]
        if self.highlighted == rows[0]:
            self.scroll_home(animate=False)

    # Up from the first row stays there (showing the heading above it), and
    # down from the last stays too: OptionList wraps round, which on a long
    # Today jumps from the most urgent line to the coldest contact.
    def action_cursor_up(self) -> None:
        self._step(-1)

    def action_cursor_down(self) -> None:
        self._step(1)

    def _step(self, direction: int) -> None:
        rows = [i for i, item in enumerate(self.items) if not isinstance(item, Heading)]
        if not rows:
            return
        line = self.highlighted
        if line is None:
            self.highlighted = rows[0] if direction > 0 else rows[-1]
            return
        ahead = [i for i in rows if (i - line) * direction > 0]
        if ahead:
            self.highlighted = ahead[0] if direction > 0 else ahead[-1]
        if direction < 0 and self.highlighted == rows[0]:
            self.scroll_home(animate=False)

    def on_resize(self, event: Resize) -> None:
        if event.size.width != self._width:
            self._width = event.size.width
            line = self.highlighted
            self._render_options()
            if line is not None:
                self.highlighted = line

    @on(OptionList.OptionHighlighted)
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_list is not self:
            return
        event.stop()
        self.post_message(self.Highlighted(self, self.current))

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list is self:
            event.stop()
            if self.current is not None:
                self.post_message(self.Chosen(self, self.current))
