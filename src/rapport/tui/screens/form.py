"""The form every record is added and edited with: fields checked as you type, saved by a service.

A form is a ``ModalScreen`` whose result is the record it saved (None when
cancelled).  Saving runs the form's ``save`` function on the database thread;
a ValidationError it raises is shown beside the field it names and the form
stays open, so nothing is saved until everything is right.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar, Generic, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from rapport.errors import RapportError, ValidationError
from rapport.tui.widgets.fields import Field

R = TypeVar("R")

Save = Callable[[dict[str, Any]], R]


class FormScreen(ModalScreen[R | None], Generic[R]):
    """Fields, a Save and a Cancel; returns what ``save(values)`` returned."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "save", "Save"),
    ]

    def __init__(
        self,
        title: str,
        fields: Sequence[Field],
        save: Save[R],
        *,
        focus: str | None = None,
        note: str = "",
    ) -> None:
        super().__init__()
        self.title_text = title
        self.fields = list(fields)
        self.save = save
        self.focus_name = focus
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="form"):
            yield Label(self.title_text, id="dialog-title", markup=False)
            if self.note:
                yield Static(self.note, id="dialog-note", markup=False)
            with VerticalScroll(id="form-fields"):
                yield from self.fields
            yield Static("", id="form-error", markup=False)
            with Horizontal(id="dialog-buttons"):
                yield Button("Save  ctrl+s", variant="primary", id="save", compact=True)
                yield Button("Cancel  esc", id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#form-error").display = False
        start = self.field(self.focus_name) if self.focus_name else None
        (start or self.fields[0]).focus_control()

    def field(self, name: str | None) -> Field | None:
        """The field a service's ValidationError names (by name, label or alias)."""
        if not name:
            return None
        wanted = name.lower()
        return next((f for f in self.fields if wanted in f.aliases), None)

    def values(self) -> dict[str, Any]:
        return {f.field_name: f.clean() for f in self.fields}

    def _report(self, message: str) -> None:
        error = self.query_one("#form-error", Static)
        error.update(message)
        error.display = bool(message)

    @on(Input.Submitted)
    def _next_field(self, event: Input.Submitted) -> None:
        """Enter in a one-line field moves on; in the last one it saves."""
        event.stop()
        owner = next((f for f in self.fields if event.input in f.query(Input)), None)
        if owner is None:
            return
        index = self.fields.index(owner)
        if index + 1 < len(self.fields):
            self.fields[index + 1].focus_control()
        else:
            self.action_save()

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_save(self) -> None:
        checked = [f.check() for f in self.fields]
        if not all(checked):
            first = self.fields[checked.index(False)]
            first.focus_control()
            self._report("Nothing was saved: see the messages beside the fields.")
            return
        self.run_worker(self._save(self.values()), exclusive=True, group="save")

    async def _save(self, values: dict[str, Any]) -> None:
        backend = self.app.backend  # type: ignore[attr-defined]
        try:
            result = await backend.call(self.save, values)
        except ValidationError as exc:
            target = self.field(exc.field)
            if target is not None:
                target.show_error(exc.reason)
                target.focus_control()
                self._report("Nothing was saved: see the messages beside the fields.")
            else:
                self._report(f"Nothing was saved: {exc}")
            return
        except RapportError as exc:
            self._report(f"Nothing was saved: {exc}")
            return
        self.dismiss(result)
