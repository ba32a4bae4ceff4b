"""The line of tabs at the top: which tab is open, and the key that opens each."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

TABS: tuple[tuple[str, str, str], ...] = (
    ("1", "today", "Today"),
    ("2", "goals", "Goals"),
    ("3", "contacts", "Contacts"),
    ("4", "interviews", "Interviews"),
    ("5", "events", "Events"),
    ("6", "followups", "Follow-ups"),
    ("7", "review", "Review"),
    ("8", "you", "You"),
)


class NavBar(Static):
    """``1 Today  2 Goals  3 Contacts ...`` with the open tab highlighted; click to switch."""

    DEFAULT_CSS = """
    NavBar {
        height: 1;
        width: 1fr;
        background: $panel;
        color: $text-muted;
        link-style: none;
        link-color: $text-muted;
        link-background: $panel;
        link-style-hover: bold;
        link-color-hover: $text;
        link-background-hover: $panel-lighten-1;
    }
    """

    def __init__(self, active: str) -> None:
        super().__init__()
        self.active = active

    def render(self) -> Content:
        tabs = self._tabs(self.active)
        brand = Content.styled(" rapport ", "bold $text-primary")
        if self.size.width >= brand.cell_length + tabs.cell_length:
            return Content.assemble(brand, tabs)
        return tabs

    @staticmethod
    def _tabs(active: str) -> Content:
        parts: list[Content] = []
        for key, mode, label in TABS:
            if mode == active:
                parts.append(
                    Content.styled(
                        f" {key} {label} ",
                        "bold $block-cursor-foreground on $block-cursor-background",
                    )
                )
                continue
            tab = Content.assemble((f" {key} ", "$text-muted"), f"{label} ")
            parts.append(tab.stylize(f"@click=app.tab('{mode}')", 0, len(tab.plain)))
        return Content.assemble(*parts)
