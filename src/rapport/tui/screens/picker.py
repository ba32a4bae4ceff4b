"""Picking records from a list: type to filter, enter to pick (or tick), create on the spot."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from rapport.tui.screens.modal import Dialog
from rapport.tui.text import cut, plural
from rapport.tui.widgets.fields import Choice
from rapport.tui.widgets.tables import words_of

CREATE = "create"

# The keys that move through a list while the focus stays in the box typed into.
MOVE_KEYS: list[BindingType] = [
    Binding("down", "move(1)", "Down", show=False),
    Binding("up", "move(-1)", "Up", show=False),
    Binding("pagedown", "move(10)", "Page down", show=False),
    Binding("pageup", "move(-10)", "Page up", show=False),
]


def move_highlight(options: OptionList, step: int) -> None:
    """Move the highlight ``step`` options down (up if negative), stopping at either end."""
    if options.option_count:
        current = options.highlighted or 0
        options.highlighted = max(0, min(options.option_count - 1, current + step))


def filter_choices(choices: Sequence[Choice], text: str) -> list[Choice]:
    """The choices holding every word typed (case and accents ignored); those
    with a word starting with each come first ("lena" finds Lena Fischer
    before Elena Sokolova)."""
    words = words_of(text)
    if not words:
        return list(choices)
    found = [c for c in choices if all(w in c.hay for w in words)]
    return sorted(found, key=lambda c: not all(f" {w}" in f" {c.hay}" for w in words))


class PickerScreen(Dialog[list[Choice] | None]):
    """Returns the picked choices (one, or those ticked), or None if cancelled.

    With ``create`` (a noun such as "organization"), typing a name that is not
    in the list offers to create it: its Choice has no id.
    """

    LIMIT: ClassVar[int] = 100

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        *MOVE_KEYS,
        Binding("ctrl+s", "done", "Done"),
    ]

    def __init__(
        self,
        title: str,
        choices: Sequence[Choice],
        *,
        multiple: bool = False,
        chosen: Sequence[Choice] = (),
        create: str | None = None,
        typed: str = "",
    ) -> None:
        """``typed``: the filter to start with (a letter typed on the field)."""
        super().__init__()
        self.typed = typed
        self.title_text = title
        self.choices = list(choices)
        self.multiple = multiple
        self.create = create
        self.ticked: dict[object, Choice] = {self._key(c): c for c in chosen}
        self.matches: list[Choice] = []
        self.offer_create = False

    @staticmethod
    def _key(choice: Choice) -> object:
        return choice.id if choice.id is not None else ("new", choice.label.casefold())

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="picker"):
            yield Label(self.title_text, id="dialog-title", markup=False)
            yield Input(placeholder="type to filter", id="picker-filter", compact=True)
            yield OptionList(id="picker-options", compact=True)
            yield Static("", id="picker-status", markup=False)

    def on_mount(self) -> None:
        box = self.query_one("#picker-filter", Input)
        box.value = self.typed  # its Changed filters the list
        box.cursor_position = len(self.typed)
        self._refilter(self.typed)
        box.focus()

    @property
    def options(self) -> OptionList:
        return self.query_one("#picker-options", OptionList)

    def _prompt(self, choice: Choice) -> Content:
        mark = ""
        if self.multiple:
            mark = "[x] " if self._key(choice) in self.ticked else "[ ] "
        label = cut(choice.label, 60)
        if choice.detail:
            return Content.assemble(mark, label, "  ", (cut(choice.detail, 50), "$text-muted"))
        return Content(mark + label)

    def _refilter(self, text: str) -> None:
        self.matches = filter_choices(self.choices, text)
        typed = " ".join(text.split())
        exact = any(c.label.casefold() == typed.casefold() for c in self.choices)
        self.offer_create = bool(self.create and typed and not exact)
        shown = self.matches[: self.LIMIT]
        options: list[Option] = [Option(self._prompt(c), id=f"c{i}") for i, c in enumerate(shown)]
        if self.offer_create:
            options.append(
                Option(
                    Content.assemble(
                        ("+ ", "$text-success"), f"Create {self.create} “{cut(typed, 50)}”"
                    ),
                    id=CREATE,
                )
            )
        self.options.set_options(options)
        if options:
            self.options.highlighted = 0
        self._status()

    def _status(self) -> None:
        parts = [f"{plural(len(self.matches), 'match', 'matches')} of {len(self.choices):,}"]
        if len(self.matches) > self.LIMIT:
            parts.append(f"first {self.LIMIT} shown, type to narrow")
        if self.multiple:
            parts.append(f"{len(self.ticked)} ticked · enter ticks · ctrl+s done")
        else:
            parts.append("enter picks")
        self.query_one("#picker-status", Static).update(" · ".join(parts))

    @on(Input.Changed, "#picker-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self._refilter(event.value)

    def action_move(self, step: int) -> None:
        move_highlight(self.options, step)

    def _highlighted_choice(self) -> Choice | None:
        index = self.options.highlighted
        if index is None:
            return None
        option = self.options.get_option_at_index(index)
        if option.id == CREATE:
            typed = " ".join(self.query_one("#picker-filter", Input).value.split())
            return Choice(None, typed)
        return self.matches[index]

    @on(Input.Submitted, "#picker-filter")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._take()

    @on(OptionList.OptionSelected, "#picker-options")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._take()

    def _take(self) -> None:
        choice = self._highlighted_choice()
        if choice is None:
            return
        if not self.multiple:
            self.dismiss([choice])
            return
        key = self._key(choice)
        if key in self.ticked:
            del self.ticked[key]
        else:
            self.ticked[key] = choice
        if choice.id is None:
            # A new name was ticked: start the next search afresh.
            if choice not in self.choices:
                self.choices.insert(0, choice)
            self.query_one("#picker-filter", Input).value = ""
            return
        index = self.options.highlighted
        if index is not None:
            self.options.replace_option_prompt_at_index(index, self._prompt(choice))
        self._status()

    def action_done(self) -> None:
        if self.multiple:
            self.dismiss(list(self.ticked.values()))
        else:
            self._take()

    def action_cancel(self) -> None:
        self.dismiss(None)
