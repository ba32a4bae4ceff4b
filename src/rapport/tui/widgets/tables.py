"""Tables of records that fit the window: filtered as you type, sorted by column, paged.

A ``RecordTable`` holds every row in memory (30,000 contacts are a few
megabytes) and shows the ones matching the filter, a page at a time: the
DataTable underneath never holds more rows than the person has scrolled to,
so a keystroke in the filter costs a scan of prepared strings and a page of
cells, not a query.  A ``GroupedTable`` shows rows under headings the cursor
steps over (Today, Review).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, TypeVar

from textual import on
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.events import Resize
from textual.message import Message
from textual.widget import Widget
from textual.widgets import DataTable

from rapport.services._common import normalized
from rapport.tui.text import cell

R = TypeVar("R")


@dataclass(frozen=True)
class Column(Generic[R]):
    """One column: how to show a row in it, how wide, how to sort by it.

    ``width`` 0 shares what the fixed columns leave (at least ``min_width``,
    at most ``max_width`` when one is given), in proportion to ``weight``.
    """

    key: str
    label: str
    text: Callable[[R], str]
    width: int = 0
    min_width: int = 8
    max_width: int = 0
    weight: int = 1
    sort: Callable[[R], Any] | None = None
    style: Callable[[R], str] | None = None

    def sort_key(self, row: R) -> Any:
        if self.sort is not None:
            return self.sort(row)
        return self.text(row).casefold()


class RowMessage(Message):
    """Something happened to a row of a list (``row`` is None for an empty list)."""

    def __init__(self, widget: Widget, row: Any) -> None:
        super().__init__()
        self.widget = widget
        self.row = row

    @property
    def control(self) -> Widget:
        return self.widget


def share_widths(specs: Sequence[Column[Any]], spare: int) -> list[int]:
    """Widths per column: fixed ones as given, flexible ones sharing ``spare`` by weight."""
    flexible = [c for c in specs if not c.width]
    weights = sum(c.weight for c in flexible) or 1
    room = spare - sum(c.width for c in specs if c.width)
    widths = []
    for c in specs:
        width = c.width or max(c.min_width, room * c.weight // weights)
        widths.append(min(width, c.max_width) if c.max_width and not c.width else width)
    leftover = spare - sum(widths)
    # What the capped columns leave (and rounding) goes to the first uncapped one.
    uncapped = [i for i, c in enumerate(specs) if not c.width and not c.max_width]
    if leftover > 0 and uncapped:
        widths[uncapped[0]] += leftover
    return widths


def words_of(text: str) -> list[str]:
    """The filter words, folded the way haystacks are."""
    return normalized(text).split()


def haystack(*parts: object) -> str:
    """The text a filter searches in, folded once (case and accents ignored)."""
    return normalized(" ".join(str(p) for p in parts if p))


class FittedTable(DataTable[Content], Generic[R]):
    """A row-cursor DataTable whose flexible columns share the width it has."""

    DEFAULT_CSS = """
    FittedTable {
        height: 1fr;
        scrollbar-size-vertical: 1;
    }
    """

    def __init__(self, columns: Sequence[Column[R]], **kwargs: Any) -> None:
        super().__init__(cursor_type="row", zebra_stripes=False, **kwargs)
        self.specs = list(columns)
        self._widths: list[int] = []

    def fitted_widths(self, total: int) -> list[int]:
        """Content widths per column for a table ``total`` cells wide."""
        padding = 2 * self.cell_padding * len(self.specs) + 1  # the scrollbar
        return share_widths(self.specs, max(0, total - padding))

    def header_label(self, spec: Column[R]) -> str:
        return spec.label

    def render_row(self, row: R) -> list[Content]:
        return [
            cell(spec.text(row), width, spec.style(row) if spec.style else "")
            for spec, width in zip(self.specs, self._widths, strict=True)
        ]

    def _rebuild_columns(self) -> None:
        self.clear(columns=True)
        for spec, width in zip(self.specs, self._widths, strict=True):
            self.add_column(self.header_label(spec), width=width, key=spec.key)

    def _fill(self) -> None:
        """Put the rows back after the columns changed."""

    def on_resize(self, event: Resize) -> None:
        widths = self.fitted_widths(event.size.width)
        if widths != self._widths:
            self._widths = widths
            row = self.cursor_row
            self._rebuild_columns()
            self._fill()
            if self.row_count:
                self.move_cursor(row=min(row, self.row_count - 1), animate=False)

    def ensure_widths(self) -> None:
        if not self._widths:
            self._widths = self.fitted_widths(self.size.width or 100)
            self._rebuild_columns()


class RecordTable(FittedTable[R]):
    """Every row in memory; shows those matching the filter, sorted, a page at a time."""

    PAGE: ClassVar[int] = 80

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "cycle_sort", "Sort", show=False),
        Binding("S", "reverse_sort", "Reverse sort", show=False),
    ]

    class Highlighted(RowMessage):
        """The row under the cursor changed (None: the table is empty)."""

    class Chosen(RowMessage):
        """Enter was pressed on a row."""

    def __init__(
        self,
        columns: Sequence[Column[R]],
        *,
        key: Callable[[R], int] = lambda row: row.id,  # type: ignore[attr-defined]
        sort: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(columns, **kwargs)
        self.key_of = key
        self.rows_all: list[R] = []
        self._haystacks: list[str] = []
        # Indexes into rows_all in the sort order, and those the filter keeps:
        # sorting happens when the order changes, not on every keystroke, and
        # a longer filter searches only what the shorter one kept.
        self._order: list[int] = []
        self._kept: list[int] = []
        self._kept_words: list[str] = []
        self.matching: list[R] = []
        self._shown = 0
        self.filter_text = ""
        self.sort_column: str | None = sort
        self.sort_reverse = False
        self._last_posted: object = object()

    # -- what the screens call ------------------------------------------------

    @property
    def current(self) -> R | None:
        """The row under the cursor."""
        if not self.matching or not self._shown:
            return None
        return self.matching[min(self.cursor_row, self._shown - 1)]

    @property
    def total(self) -> int:
        return len(self.rows_all)

    def show(
        self,
        rows: Sequence[R],
        haystacks: Sequence[str] | None = None,
        *,
        keep: int | None = None,
    ) -> None:
        """Replace the rows, keeping the cursor on row ``keep`` (a key) if it is
        still there, else on the same line."""
        if keep is None and self.current is not None:
            keep = self.key_of(self.current)
        self.rows_all = list(rows)
        if haystacks is None:
            haystacks = [
                haystack(*(spec.text(row) for spec in self.specs)) for row in self.rows_all
            ]
        self._haystacks = list(haystacks)
        self._resort()
        self._refilter(keep)

    def set_filter(self, text: str) -> None:
        if text != self.filter_text:
            self.filter_text = text
            self._refilter(None, top=True)

    def sort_by(self, column: str, reverse: bool | None = None) -> None:
        if reverse is None:
            reverse = not self.sort_reverse if column == self.sort_column else False
        self.sort_column, self.sort_reverse = column, reverse
        keep = self.key_of(self.current) if self.current is not None else None
        self._resort()
        self._refilter(keep)

    def select_key(self, key: int) -> bool:
        """Move the cursor to the row with this key; False if it is not shown."""
        for index, row in enumerate(self.matching):
            if self.key_of(row) == key:
                self._extend(index + 1)
                self.move_cursor(row=index, animate=False)
                self._post_highlight()
                return True
        return False

    @property
    def sort_description(self) -> str:
        spec = self._sort_spec()
        if spec is None:
            return ""
        return f"by {spec.label.lower()}" + (", reversed" if self.sort_reverse else "")

    # -- inner workings ---------------------------------------------------------

    def _sort_spec(self) -> Column[R] | None:
        return next((c for c in self.specs if c.key == self.sort_column), None)

    def header_label(self, spec: Column[R]) -> str:
        if spec.key != self.sort_column:
            return spec.label
        return spec.label + (" ▼" if self.sort_reverse else " ▲")

    def _resort(self) -> None:
        order = list(range(len(self.rows_all)))
        spec = self._sort_spec()
        if spec is not None:
            rows = self.rows_all
            order.sort(key=lambda i: spec.sort_key(rows[i]), reverse=self.sort_reverse)
        self._order = order
        self._kept, self._kept_words = order, []

    def _narrows(self, words: list[str]) -> bool:
        """Whether ``words`` can only match rows the last filter kept."""
        old = self._kept_words
        if not old or len(words) < len(old):
            return False
        return all(new.find(word) >= 0 for word, new in zip(old, words, strict=False))

    def _refilter(self, keep: int | None, *, top: bool = False) -> None:
        words = words_of(self.filter_text)
        if words:
            pool = self._kept if self._narrows(words) else self._order
            hays = self._haystacks
            if len(words) == 1:
                (word,) = words
                kept = [i for i in pool if word in hays[i]]
            else:
                kept = [i for i in pool if all(w in hays[i] for w in words)]
        else:
            kept = self._order
        self._kept, self._kept_words = kept, words
        matching = [self.rows_all[i] for i in kept]
        line = self.cursor_row
        self.matching = matching
        self.ensure_widths()
        self._rebuild_columns()
        self._shown = 0
        target = 0 if top else line
        if keep is not None and not top:
            for index, row in enumerate(matching):
                if self.key_of(row) == keep:
                    target = index
                    break
        target = max(0, min(target, len(matching) - 1))
        self._extend(max(self.PAGE, target + 1))
        if self.row_count:
            self.move_cursor(row=target, animate=False)
        self._post_highlight()

    def _fill(self) -> None:
        shown, self._shown = self._shown, 0
        self._extend(shown)

    def _extend(self, upto: int) -> None:
        upto = min(upto, len(self.matching))
        if upto <= self._shown:
            return
        for index in range(self._shown, upto):
            self.add_row(*self.render_row(self.matching[index]), key=str(index))
        self._shown = upto

    def _post_highlight(self) -> None:
        row = self.current
        marker = (id(row), self.key_of(row) if row is not None else None)
        if marker != self._last_posted:
            self._last_posted = marker
            self.post_message(self.Highlighted(self, row))

    @on(DataTable.RowHighlighted)
    def _row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table is not self:
            return
        event.stop()
        if event.cursor_row >= self._shown - 20:
            self._extend(self._shown + self.PAGE)
        self._post_highlight()

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table is not self:
            return
        event.stop()
        if self.current is not None:
            self.post_message(self.Chosen(self, self.current))

    @on(DataTable.HeaderSelected)
    def _header_selected(self, event: DataTable.HeaderSelected) -> None:
        event.stop()
        self.sort_by(event.column_key.value or "")

    def action_cycle_sort(self) -> None:
        keys = [c.key for c in self.specs]
        index = keys.index(self.sort_column) + 1 if self.sort_column in keys else 0
        self.sort_by(keys[index % len(keys)], reverse=False)
        self.notify(f"Sorted {self.sort_description}", timeout=2)

    def action_reverse_sort(self) -> None:
        if self.sort_column is None:
            self.sort_column = self.specs[0].key
        self.sort_by(self.sort_column, reverse=not self.sort_reverse)
        self.notify(f"Sorted {self.sort_description}", timeout=2)

    def action_scroll_bottom(self) -> None:
        # End goes to the last row loaded so far and loads the next page.
        self._extend(self._shown + self.PAGE)
        super().action_scroll_bottom()
