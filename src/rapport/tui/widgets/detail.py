"""The detail pane beside a list, and ``Sheet``, the builder of what it shows.

Everything a person typed goes in as plain text (never parsed as markup), so
a note with ``[brackets]`` shows as written.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.geometry import Size
from textual.widgets import Static

LABEL_WIDTH = 14


class Sheet:
    """Lines of a record's detail: a title, label/value rows, sections, entries.

    A label/value row and a list entry keep their head apart (``heads``), so
    that a long value wraps under itself, not under the label (see ``lay_out``).
    """

    def __init__(self) -> None:
        self.lines: list[Content] = []
        self.heads: dict[int, Content] = {}  # line index -> its label or lead

    def _headed(self, head: Content, body: Content) -> None:
        self.heads[len(self.lines)] = head
        self.lines.append(head + body)

    def title(self, text: str, note: str = "") -> Sheet:
        parts: list[str | tuple[str, str]] = [(text, "bold $text-primary")]
        if note:
            parts += ["  ", (note, "$text-muted")]
        self.lines.append(Content.assemble(*parts))
        return self

    def text(self, text: str, style: str = "") -> Sheet:
        if text:
            self.lines.append(Content.styled(text, style))
        return self

    def field(self, label: str, value: str, style: str = "") -> Sheet:
        """``Label         value``; skipped when the value is empty."""
        if value:
            self._headed(
                Content.styled(label.ljust(LABEL_WIDTH), "$text-muted"),
                Content.styled(value, style) if style else Content(value),
            )
        return self

    def section(self, heading: str, note: str = "") -> Sheet:
        self.lines.append(Content(""))
        parts: list[str | tuple[str, str]] = [(heading, "bold $text-accent")]
        if note:
            parts += ["  ", (note, "$text-muted")]
        self.lines.append(Content.assemble(*parts))
        return self

    def entry(self, lead: str, text: str, note: str = "", lead_style: str = "$text-muted") -> Sheet:
        """``lead  text  note``: one line of a list (a timeline, the people of a goal)."""
        parts: list[str | tuple[str, str]] = [text]
        if note:
            parts += ["  ", (note, "$text-muted")]
        body = Content.assemble(*parts)
        if lead:
            self._headed(Content.assemble((lead, lead_style), "  "), body)
        else:
            self.lines.append(body)
        return self

    def block(self, heading: str, text: str) -> Sheet:
        """A section holding free text (notes, questions, advice) as typed."""
        if text.strip():
            self.section(heading)
            self.lines.append(Content(text.strip()))
        return self

    def blank(self) -> Sheet:
        self.lines.append(Content(""))
        return self

    def build(self) -> Content:
        return Content("\n").join(self.lines)

    def lay_out(self, width: int) -> Content:
        """The sheet wrapped to ``width`` cells: a value's or an entry's
        continuation lines start under its first word, past the label."""
        if width <= 0:
            return self.build()
        out: list[Content] = []
        for index, line in enumerate(self.lines):
            head = self.heads.get(index)
            hang = head.cell_length if head is not None else 0
            if head is None or hang * 2 > width:
                out.extend(line.wrap(width) or [line])
                continue
            body = line[len(head.plain) :]
            wrapped = body.wrap(width - hang) or [body]
            out.append(head + wrapped[0])
            out.extend(Content(" " * hang) + rest for rest in wrapped[1:])
        return Content("\n").join(out)


class SheetView(Static):
    """A sheet laid out for the width it is drawn at (see Sheet.lay_out), so a
    resize wraps it again; anything else is drawn as a Static draws it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sheet: Sheet | None = None

    def render(self) -> Any:
        width = self.content_region.width
        if self.sheet is None or width <= 0:
            return super().render()
        return self.sheet.lay_out(width)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        if self.sheet is None:
            return super().get_content_height(container, viewport, width)
        return len(self.sheet.lay_out(width).plain.split("\n"))


class DetailPane(VerticalScroll, can_focus=True):
    """Shows one record's sheet; focus it (tab) to scroll a long timeline.

    ``plain`` holds what it shows as plain text.
    """

    DEFAULT_CSS = """
    DetailPane {
        height: 1fr;
        padding: 0 1;
        scrollbar-size-vertical: 1;
        & > Static { width: 1fr; }
        & > .-empty { color: $text-muted; }
    }
    """

    def __init__(self, empty: str = "Nothing selected.", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.empty = empty
        self._body = SheetView(empty, classes="-empty", markup=False)
        self.plain = empty

    def compose(self) -> ComposeResult:
        yield self._body

    def show(self, content: Content | Sheet | None) -> None:
        self._body.sheet = content if isinstance(content, Sheet) else None
        if isinstance(content, Sheet):
            content = content.build()
        self._body.set_class(content is None, "-empty")
        self._body.update(content if content is not None else self.empty)
        self.plain = content.plain if content is not None else self.empty
        self.scroll_home(animate=False)
