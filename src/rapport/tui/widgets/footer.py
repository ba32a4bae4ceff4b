"""The footer of keys, rebuilt only when the keys it shows change, and never cut mid-word."""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.events import Resize
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer

# The cells a FooterKey takes besides its key and words: " k words " (Footer's padding).
KEY_FRAME = 3
# The palette key docked on the right ("▏^p palette") takes one cell less than
# a key of the same words (measured on Textual 8.2: 11 cells).
PALETTE_FRAME = -1


def _width(key: Any) -> int:
    """The cells a footer key takes (Textual's FooterKey, which it does not export:
    read here by its public attributes ``key_display``, ``description``)."""
    if not key.description:
        return cell_len(key.key_display)
    return cell_len(key.key_display) + cell_len(key.description) + KEY_FRAME


class KeyFooter(Footer):
    """Textual's Footer, which rebuilds all its keys whenever the bindings may
    have changed (every focus change, every key): here only when the keys
    shown, their words or their state do, which is seldom.

    Where the keys do not all fit (80 columns), the tab's keys it needs least
    are left out, whole, rather than the app's (search, ``?`` and quit) cut at
    the edge: first those its ``FOOTER_FIRST`` does not name, from the last,
    then those it names, from the least needed.  ``?`` lists every key, so none
    is lost, and quitting is always shown.
    """

    # Whether the app's keys (tabs, search, ?, quit) show beside the screen's.
    APP_KEYS = True

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._shown: tuple[object, ...] | None = None
        self._width = 0

    def bindings_changed(self, screen: Screen[Any]) -> None:
        shown = tuple(
            (binding.key, binding.description, enabled, tooltip)
            for _, binding, enabled, tooltip in screen.active_bindings.values()
            if binding.show
        )
        if shown == self._shown:
            return
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            self._shown = shown  # what the rebuild about to happen shows
        super().bindings_changed(screen)

    def compose(self) -> ComposeResult:
        widgets: list[Widget] = list(super().compose())
        room = self.size.width or self.app.size.width
        self._width = room
        keys = [w for w in widgets if hasattr(w, "key_display")]
        palette = [k for k in keys if k.has_class("-command-palette")]
        room -= sum(_width(k) + PALETTE_FRAME for k in palette)
        apps = {
            binding.action
            for node, binding, _, _ in self.screen.active_bindings.values()
            if node is self.app
        }
        if not self.APP_KEYS:
            keys = [k for k in keys if getattr(k, "action", "") not in apps]
            widgets = [w for w in widgets if w in keys]
        listed = [k for k in keys if k not in palette]
        # The tab's own keys go, least needed first, until the rest fit: those it
        # does not rank from the last one, then those it ranks (a stable sort).
        first: tuple[str, ...] = getattr(self.screen, "FOOTER_FIRST", ())

        def need(key: Any) -> int:
            action = getattr(key, "action", "")
            return first.index(action) if action in first else len(first)

        droppable = sorted(
            (k for k in reversed(listed) if getattr(k, "action", "") not in apps),
            key=lambda k: -need(k),
        )
        used = sum(_width(k) for k in listed)
        dropped: set[int] = set()
        for key in droppable:
            if used <= room:
                break
            used -= _width(key)
            dropped.add(id(key))
        yield from (w for w in widgets if id(w) not in dropped)

    def on_resize(self, event: Resize) -> None:
        if self._bindings_ready and event.size.width != self._width:
            self.call_after_refresh(self.recompose)


class DialogFooter(KeyFooter):
    """A dialog's footer: its own keys (esc, ctrl+s), over the tab's footer behind
    it, whose keys do not act while the dialog is open.

    The app's keys are left out too: tabs and search wait until the dialog is
    closed (RapportApp.check_action), ``?`` lists a tab's keys, and ``q`` types a
    q in a field.
    """

    APP_KEYS = False

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(show_command_palette=False, **kwargs)
