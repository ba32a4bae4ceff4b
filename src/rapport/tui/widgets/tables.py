"""Tables of records that fit the window: filtered as you type, sorted by column.

A ``RecordTable`` holds every row in memory (30,000 contacts are a few
megabytes) and draws only the lines in view, a line at a time (Textual's
line API): a keystroke in the filter costs a scan of prepared strings and
the forty-odd lines on screen, whatever the length of the list, and the
cursor can land on the 20,000th row as quickly as on the first.  (Textual's
DataTable, used before, keeps a widget row per record and measures each
one: filling 30,000 of them is seconds.)  Rows under headings the cursor
steps over (Today, Review) are ``GroupedList``, in grouped.py.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any, ClassVar, Generic, TypeVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style as RichStyle
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.style import Style
from textual.widget import Widget

from rapport.services.clean import normalized
from rapport.tui.text import cell, cut
from rapport.words import cells

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


def share_widths(
    specs: Sequence[Column[Any]], spare: int, natural: Sequence[int] | None = None
) -> list[int]:
    """Widths per column for ``spare`` cells: fixed ones as given, flexible ones sharing the rest.

    ``natural`` is, per column, the width its widest text needs.  A flexible
    column gets at most that (and at most ``max_width``) while another still
    wants more, so the room goes where text is cut rather than to blank
    cells; room left once every text fits goes to the last column without a
    ``max_width``, so the columns stay together, read left to right.  Without
    ``natural`` the flexible columns share by weight, each at least ``min_width``.
    """
    widths = [c.width for c in specs]
    flexible = [i for i, c in enumerate(specs) if not c.width]
    room = spare - sum(widths)
    if not flexible:
        return widths

    def cap(i: int) -> int:
        return specs[i].max_width or spare

    wants = {
        i: max(specs[i].min_width, min(cap(i), natural[i] if natural else cap(i))) for i in flexible
    }
    for i in flexible:  # each at least its minimum (or what it needs, when less)
        widths[i] = min(specs[i].min_width, wants[i])
    room -= sum(widths[i] for i in flexible)
    room = _fill(specs, widths, wants, room)
    uncapped = [i for i in flexible if not specs[i].max_width]
    if room > 0 and uncapped:
        widths[uncapped[-1]] += room
    return widths


def _fill(specs: Sequence[Column[Any]], widths: list[int], limit: dict[int, int], room: int) -> int:
    """Give ``room`` to the columns below their ``limit``, by weight; returns what is left."""
    while room > 0:
        hungry = [i for i in limit if widths[i] < limit[i]]
        if not hungry:
            break
        weights = sum(specs[i].weight for i in hungry)
        given = 0
        for i in hungry:
            share = min(limit[i] - widths[i], room * specs[i].weight // weights)
            widths[i] += share
            given += share
        if not given:  # less room than columns: one cell each, heaviest first
            for i in sorted(hungry, key=lambda i: -specs[i].weight)[:room]:
                widths[i] += 1
                given += 1
        room -= given
    return room


def natural_widths(
    specs: Sequence[Column[Any]], rows: Sequence[Any], header_extra: int = 0
) -> list[int]:
    """Per column, the width its widest text needs (its header's too, with
    ``header_extra`` cells beside the label); a fixed column's own width."""
    return [
        spec.width
        or max(
            cells(spec.label) + header_extra,
            # Printable ASCII is measured by len (30,000 names through rich: 40 ms).
            max((cells(spec.text(row)) for row in rows), default=0),
        )
        for spec in specs
    ]


def words_of(text: str) -> list[str]:
    """The filter words, folded the way haystacks are."""
    return normalized(text).split()


def haystack(*parts: object) -> str:
    """The text a filter searches in, folded once (case and accents ignored)."""
    return normalized(" ".join(str(p) for p in parts if p))


class FittedTable(ScrollView, Generic[R], can_focus=True):
    """Rows as aligned columns under a header, a row cursor, drawn a line at a time.

    The flexible columns share the width the table has; ``matching`` holds the
    rows in order and only those in view are drawn.  Looks and keys follow
    Textual's DataTable (the same theme variables, enter to choose a row).
    """

    DEFAULT_CSS = """
    FittedTable {
        background: $surface;
        color: $foreground;
        height: 1fr;
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-size-vertical: 1;
        &:focus {
            background-tint: $foreground 5%;
            & > .fitted-table--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
            & > .fitted-table--header {
                background-tint: $foreground 5%;
            }
        }
        & > .fitted-table--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        &:ansi > .fitted-table--header {
            background: ansi_bright_blue;
            color: ansi_default;
        }
        & > .fitted-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        & > .fitted-table--hover {
            background: $block-hover-background;
        }
        & > .fitted-table--header-hover {
            background: $accent 30%;
        }
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "fitted-table--header",
        "fitted-table--cursor",
        "fitted-table--hover",
        "fitted-table--header-hover",
    }

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "choose", "Choose", show=False),
        Binding("up", "cursor_up", "Cursor up", show=False),
        Binding("down", "cursor_down", "Cursor down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("home,ctrl+home", "first_row", "First row", show=False),
        Binding("end,ctrl+end", "last_row", "Last row", show=False),
    ]

    # Spaces either side of each cell, as DataTable draws them.
    cell_padding: ClassVar[int] = 1

    class HeaderClicked(Message):
        """A column's header was clicked."""

        def __init__(self, column: str) -> None:
            super().__init__()
            self.column = column

    def __init__(self, columns: Sequence[Column[R]], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.specs = list(columns)
        self.matching: list[R] = []
        self.cursor_row = 0
        self._widths: list[int] = []
        # Per column, the width its widest text (and its header) needs.
        self._natural: list[int] | None = None
        self._hover: int | None = None  # a row index, -1 for the header

    # -- what to draw ---------------------------------------------------------------

    def fitted_widths(self, total: int) -> list[int]:
        """Content widths per column for a table ``total`` cells wide."""
        padding = 2 * self.cell_padding * len(self.specs) + 1  # the scrollbar
        return share_widths(self.specs, max(0, total - padding), self._natural)

    def natural_width(self) -> int:
        """Cells the table needs to show every text whole (each flexible column
        at most its ``max_width``), scrollbar included; 0 before ``measure``."""
        if self._natural is None:
            return 0
        # As share_widths gives them: a flexible column never below its min_width.
        content = sum(
            spec.width or max(spec.min_width, min(need, spec.max_width or need))
            for spec, need in zip(self.specs, self._natural, strict=True)
        )
        return content + 2 * self.cell_padding * len(self.specs) + 1

    def measure(self, rows: Sequence[R]) -> None:
        """Let the flexible columns share the room by what ``rows`` need (see share_widths)."""
        self._natural = natural_widths(self.specs, rows, self.header_extra)
        if self.size.width:
            self._widths = self.fitted_widths(self.size.width)

    # Cells a header keeps beside its label (for RecordTable's sort arrow).
    header_extra: ClassVar[int] = 0

    def header_label(self, spec: Column[R], width: int) -> str:
        return spec.label

    def ensure_widths(self) -> None:
        if not self._widths:
            self._widths = self.fitted_widths(self.size.width or 100)

    def rows_changed(self) -> None:
        """``matching`` was replaced: size the scrolling to it and draw it again."""
        self.ensure_widths()
        width = sum(self._widths) + 2 * self.cell_padding * len(self.specs)
        self.virtual_size = Size(width, len(self.matching) + 1)  # and the header
        self.refresh()

    @property
    def _body_height(self) -> int:
        """Rows in view (the header line aside)."""
        return max(1, self.scrollable_content_region.height - 1)

    def on_resize(self, event: events.Resize) -> None:
        widths = self.fitted_widths(event.size.width)
        if widths != self._widths:
            self._widths = widths
            self.rows_changed()
        self._scroll_to_cursor()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self.refresh()

    def render_line(self, y: int) -> Strip:
        self.ensure_widths()
        width = self.scrollable_content_region.width
        if y == 0:
            hover = "fitted-table--header-hover" if self._hover == -1 else ""
            style = self._style("fitted-table--header", hover)
            labels = [
                (self.header_label(spec, w), "")
                for spec, w in zip(self.specs, self._widths, strict=True)
            ]
            return self._line(labels, style, None, width)
        index = self.scroll_offset.y + y - 1
        if index >= len(self.matching):
            return Strip.blank(width, self.visual_style.rich_style)
        row = self.matching[index]
        cells = [(spec.text(row), spec.style(row) if spec.style else "") for spec in self.specs]
        if index == self.cursor_row:
            cursor = self._style("fitted-table--cursor")
            # The cursor's colour over the cell's own (an overdue date's red),
            # as DataTable draws it, so the row reads in the cursor's contrast.
            return self._line(cells, cursor, RichStyle(color=cursor.rich_style.color), width)
        if index == self._hover:
            return self._line(cells, self._style("fitted-table--hover"), None, width)
        return self._line(cells, self.visual_style, None, width)

    def _style(self, *components: str) -> Style:
        return self.get_visual_style(*(c for c in components if c))

    def _line(
        self, cells: list[tuple[str, str]], style: Style, over: RichStyle | None, width: int
    ) -> Strip:
        rich = style.rich_style
        pad = " " * self.cell_padding
        segments: list[Segment] = []
        for (text, cell_style), cell_width in zip(cells, self._widths, strict=True):
            content = cell(text, cell_width, cell_style)
            drawn = content.render_segments(style)
            if content.cell_length == cell_width:
                segments += [Segment(pad, rich), *drawn, Segment(pad, rich)]
            elif content.cell_length < cell_width:
                fill = " " * (cell_width - content.cell_length)
                segments += [Segment(pad, rich), *drawn, Segment(fill + pad, rich)]
            else:  # wide characters (two cells each) made it too wide: cut to the column
                segments += [Segment(pad, rich), *Strip(drawn).crop(0, cell_width)]
                segments += [Segment(pad, rich)]
        # The header's and the cursor's colour run to the edge, as DataTable's do.
        if over is not None:
            segments = list(Segment.apply_style(segments, post_style=over))
        return Strip(segments).adjust_cell_length(width, rich)

    # -- the cursor -------------------------------------------------------------------

    def move_cursor(self, *, row: int, animate: bool = False, scroll: bool = True) -> None:
        """Put the cursor on row ``row`` (kept inside the table)."""
        row = max(0, min(row, len(self.matching) - 1))
        old, self.cursor_row = self.cursor_row, row
        if old != row:
            self._refresh_row(old)
            self._refresh_row(row)
        if scroll:
            self._scroll_to_cursor()
        self.cursor_moved()

    def cursor_moved(self) -> None:
        """The cursor moved (or the rows under it changed)."""

    def _refresh_row(self, index: int) -> None:
        # A row's line counts the header above it (which stays put as rows scroll).
        self.refresh_line(index + 1)

    def _scroll_to_cursor(self) -> None:
        top, view = self.scroll_offset.y, self._body_height
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False)
        elif self.cursor_row >= top + view:
            self.scroll_to(y=self.cursor_row - view + 1, animate=False)

    def _keyboard(self) -> None:
        if self._hover is not None:
            self._hover = None
            self.refresh()

    def action_cursor_up(self) -> None:
        self._keyboard()
        self.move_cursor(row=self.cursor_row - 1)

    def action_cursor_down(self) -> None:
        self._keyboard()
        self.move_cursor(row=self.cursor_row + 1)

    def action_page_up(self) -> None:
        self._keyboard()
        view = self._body_height
        self.scroll_to(y=self.scroll_offset.y - view, animate=False)
        self.move_cursor(row=self.cursor_row - view)

    def action_page_down(self) -> None:
        self._keyboard()
        view = self._body_height
        self.scroll_to(y=self.scroll_offset.y + view, animate=False)
        self.move_cursor(row=self.cursor_row + view)

    def action_first_row(self) -> None:
        self._keyboard()
        self.move_cursor(row=0)

    def action_last_row(self) -> None:
        self._keyboard()
        self.move_cursor(row=len(self.matching) - 1)

    def action_choose(self) -> None:
        """Enter on a row."""

    # -- the mouse -------------------------------------------------------------------

    def _line_at(self, event: events.MouseEvent) -> int | None:
        """The row index under the mouse, -1 on the header, None elsewhere."""
        offset = event.get_content_offset(self)
        if offset is None:
            return None
        if offset.y == 0:
            return -1
        index = self.scroll_offset.y + offset.y - 1
        return index if index < len(self.matching) else None

    def _column_at(self, x: int) -> str | None:
        right = 0
        for spec, width in zip(self.specs, self._widths, strict=True):
            right += width + 2 * self.cell_padding
            if x < right:
                return spec.key
        return None

    def on_mouse_move(self, event: events.MouseMove) -> None:
        line = self._line_at(event)
        if line != self._hover:
            self._hover = line
            self.refresh()

    def on_leave(self, event: events.Leave) -> None:
        self._keyboard()

    def on_click(self, event: events.Click) -> None:
        line = self._line_at(event)
        if line is None:
            return
        event.stop()
        if line == -1:
            offset = event.get_content_offset(self)
            column = self._column_at(offset.x) if offset is not None else None
            if column is not None:
                self.post_message(self.HeaderClicked(column))
        elif line == self.cursor_row:
            self.action_choose()  # a click on the row under the cursor chooses it
        else:
            self.move_cursor(row=line)


class RecordTable(FittedTable[R]):
    """Every row in memory; shows those matching the filter, sorted."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "cycle_sort", "Sort", show=False),
        Binding("S", "reverse_sort", "Reverse sort", show=False),
    ]

    header_extra: ClassVar[int] = len(" ▲")

    class Highlighted(RowMessage):
        """The row under the cursor changed (None: the table is empty)."""

    class Chosen(RowMessage):
        """Enter was pressed on a row."""

    class Sorted(Message):
        """The rows were sorted another way (``sort_description`` says how)."""

        def __init__(self, table: RecordTable[Any]) -> None:
            super().__init__()
            self.table = table

        @property
        def control(self) -> RecordTable[Any]:
            return self.table

    def __init__(
        self,
        columns: Sequence[Column[R]],
        *,
        key: Callable[[R], int] = lambda row: row.id,  # type: ignore[attr-defined]
        sort: str | None = None,
        **kwargs: Any,
    ) -> None:
        # A fixed column is wide enough for its label and the sort arrow.
        extra = self.header_extra
        columns = [
            replace(c, width=max(c.width, cell_len(c.label) + extra)) if c.width else c
            for c in columns
        ]
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
        self.filter_text = ""
        self.sort_column: str | None = sort
        self.sort_reverse = False
        self._last_posted: object = object()

    # -- what the screens call ------------------------------------------------

    @property
    def current(self) -> R | None:
        """The row under the cursor."""
        if not self.matching:
            return None
        return self.matching[min(self.cursor_row, len(self.matching) - 1)]

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
        self.measure(self.rows_all)
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
        self.post_message(self.Sorted(self))

    def select_key(self, key: int) -> bool:
        """Move the cursor to the row with this key; False if it is not shown."""
        key_of = self.key_of
        for index, row in enumerate(self.matching):
            if key_of(row) == key:
                self.move_cursor(row=index)
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

    def header_label(self, spec: Column[R], width: int) -> str:
        if spec.key != self.sort_column:
            return spec.label
        # The label is cut, not the arrow: it is what says the list is sorted here.
        arrow = " ▼" if self.sort_reverse else " ▲"
        return cut(spec.label, width - len(arrow)) + arrow

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
        rows = self.rows_all
        self.matching = [rows[i] for i in kept]
        target = 0 if top else self.cursor_row
        if keep is not None and not top:
            key_of = self.key_of
            target = next((i for i, row in enumerate(self.matching) if key_of(row) == keep), target)
        self.cursor_row = max(0, min(target, len(self.matching) - 1))
        if top:
            self.scroll_to(y=0, animate=False)
        self.rows_changed()
        self.move_cursor(row=self.cursor_row)

    def cursor_moved(self) -> None:
        row = self.current
        marker = (id(row), self.key_of(row) if row is not None else None)
        if marker != self._last_posted:
            self._last_posted = marker
            self.post_message(self.Highlighted(self, row))

    def action_choose(self) -> None:
        if self.current is not None:
            self.post_message(self.Chosen(self, self.current))

    def on_fitted_table_header_clicked(self, event: FittedTable.HeaderClicked) -> None:
        event.stop()
        self.sort_by(event.column)

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
