"""The detail pane beside a list, and ``Sheet``, the builder of what it shows.

Everything a person typed goes in as plain text (never parsed as markup), so
a note with ``[brackets]`` shows as written.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

LABEL_WIDTH = 14


class Sheet:
    """Lines of a record's detail: a title, label/value rows, sections, entries."""

    def __init__(self) -> None:
        self.lines: list[Content] = []

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
            self.lines.append(
                Content.assemble(
                    (label.ljust(LABEL_WIDTH), "$text-muted"), (value, style) if style else value
                )
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
        parts: list[str | tuple[str, str]] = []
        if lead:
            parts += [(lead, lead_style), "  "]
        parts.append(text)
        if note:
            parts += ["  ", (note, "$text-muted")]
        self.lines.append(Content.assemble(*parts))
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
        self._body = Static(empty, classes="-empty", markup=False)
        self.plain = empty

    def compose(self) -> ComposeResult:
        yield self._body

    def show(self, content: Content | Sheet | None) -> None:
        if isinstance(content, Sheet):
            content = content.build()
        self._body.set_class(content is None, "-empty")
        self._body.update(content if content is not None else self.empty)
        self.plain = content.plain if content is not None else self.empty
        self.scroll_home(animate=False)
