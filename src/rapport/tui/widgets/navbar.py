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
        if self.size.width >= tabs.cell_length:
            return tabs
        # A narrow terminal (80 columns): one space between tabs, so all of them show.
        return self._tabs(self.active, gap="")

    @staticmethod
    def _tabs(active: str, gap: str = " ") -> Content:
        parts: list[Content] = []
        for index, (key, mode, label) in enumerate(TABS):
            lead = gap if gap or index == 0 else ""
            if mode == active:
                parts.append(
                    Content.styled(
                        f"{lead}{key} {label}{gap}",
                        "bold $block-cursor-foreground on $block-cursor-background",
                    )
                )
            else:
                tab = Content.assemble((f"{lead}{key} ", "$text-muted"), f"{label}{gap}")
                parts.append(tab.stylize(f"@click=app.tab('{mode}')", 0, len(tab.plain)))
            if not gap and index < len(TABS) - 1:
                parts.append(Content(" "))
        return Content.assemble(*parts)
