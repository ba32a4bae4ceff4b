"""The keys of a tab, for `?` and the palette: rapport's own, not its widgets' internals."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widgets import Label, Static

from rapport.tui.screens.base import TabScreen
from rapport.tui.screens.modal import Dialog
from rapport.tui.widgets.tables import RecordTable

# The list's keys a person uses (sorting); its cursor keys go without saying.
LIST_ACTIONS = {b.action for b in RecordTable.BINDINGS if isinstance(b, Binding)}


def screen_keys(app: App[Any], screen: Screen[Any]) -> list[tuple[Binding, DOMNode, bool]]:
    """The bindings of ``screen`` a person would look for, each with the node it
    runs on and whether it works on every tab: the tab's own first, then the
    list's (sorting), then the app's and Textual's (focus, copy); each
    description once, and no widget's cursor keys ("Cursor to next ancestor").
    """
    # Every action the tab declares, two under one description too (Today's
    # "a" adds a follow-up as a first step and later), so none is "everywhere".
    own = {b.action for b in _declared(type(screen))} | LIST_ACTIONS
    found: dict[tuple[str, str], tuple[Binding, DOMNode, bool]] = {}
    for active in screen.active_bindings.values():
        binding = active.binding
        said = (binding.action, binding.description)
        if not binding.description or not active.enabled:
            continue
        if active.node not in (screen, app) and binding.action not in LIST_ACTIONS:
            continue
        if said in found and not (binding.show and not found[said][0].show):
            continue
        # Two keys for one thing (Textual's ^q, rapport's q): the one the footer
        # shows is the one named, in the place the first one found took.
        found[said] = (binding, active.node, binding.action not in own)
    return sorted(found.values(), key=lambda item: item[2])


def tab_keys(screen_class: object) -> Iterator[Binding]:
    """The actions a tab's class declares (its bases' up to TabScreen too, not
    Textual's Screen's)."""
    seen: set[str] = set()
    for binding in _declared(screen_class):
        if not binding.description or binding.description in seen:
            continue
        seen.add(binding.description)
        yield binding


def _declared(screen_class: object) -> Iterator[Binding]:
    """Every binding a tab's class and its bases up to TabScreen declare."""
    for cls in getattr(screen_class, "__mro__", ()):
        if not issubclass(cls, TabScreen):
            continue
        bindings: list[BindingType] = cls.__dict__.get("BINDINGS", [])
        yield from (b for b in bindings if isinstance(b, Binding))


class KeysScreen(Dialog[None]):
    """``?``: the keys of the tab in view, then those that work everywhere."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "close", "Close"),
    ]

    def __init__(self, title: str, lines: list[tuple[str, str, bool]]) -> None:
        """``lines``: (key, what it does, whether it works on every tab)."""
        super().__init__()
        self.title_text = title
        self.lines = lines

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="keys"):
            yield Label(self.title_text, id="dialog-title", markup=False)
            with VerticalScroll(id="keys-box"):
                yield Static(self._table(), id="keys-list")
            yield Static("esc or ? closes · ctrl+p finds any action by name", classes="dialog-help")

    def _table(self) -> Content:
        width = max((len(key) for key, _, _ in self.lines), default=0) + 2
        rows: list[Content] = []
        for everywhere in (False, True):
            part = [(key, what) for key, what, anywhere in self.lines if anywhere == everywhere]
            if not part:
                continue
            if rows:
                rows.append(Content(""))
            heading = "Everywhere" if everywhere else "On this tab"
            rows.append(Content.styled(heading, "bold $text-accent"))
            rows += [
                Content.assemble((key.ljust(width), "bold $text-primary"), what)
                for key, what in part
            ]
        return Content("\n").join(rows)

    def on_mount(self) -> None:
        self.query_one("#keys-box").focus()

    def action_close(self) -> None:
        self.dismiss(None)
