"""The form every record is added and edited with: fields checked as you type, saved by a service.

A form is a ``ModalScreen`` whose result is the record it saved (None when
cancelled).  Saving runs the form's ``save`` function on the database thread;
a ValidationError it raises is shown beside the field it names and the form
stays open, so nothing is saved until everything is right.

An edit form saves only over the record as it was opened (the services'
``expected_updated_at``).  When another rapport saved it in between, the
form reads it again (``reopen``), says which fields changed there, and the
person chooses: take their version into the form, save theirs over it, or
go back to the form; nothing is saved or lost until they do.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Label, Static

from rapport.errors import Conflict, NotFound, RapportError, ValidationError
from rapport.tui.screens.dialogs import ConfirmModal, ConflictModal, FieldChange
from rapport.tui.screens.modal import Dialog
from rapport.tui.widgets.fields import ChoiceBar, Field, PickerField

R = TypeVar("R")
B = TypeVar("B")

Save = Callable[[dict[str, Any]], R]


@dataclass(frozen=True)
class Reopen(Generic[B, R]):
    """How an edit form is made again from its record as stored now.

    ``load`` runs on the database thread (NotFound when the record is gone);
    ``build`` makes the same form for what it returned, and is only read.
    """

    load: Callable[[], B]
    build: Callable[[B], FormScreen[R]]


class FormScreen(Dialog[R | None], Generic[R]):
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
        retitle: Callable[[FormScreen[R]], str] | None = None,
    ) -> None:
        """``retitle`` says the title again from the form's values as they change
        (a log's says what is logged and with whom)."""
        super().__init__()
        self.title_text = title
        self.retitle = retitle
        self.fields = list(fields)
        self.save = save
        self.focus_name = focus
        self.note = note
        self.reopen: Reopen[Any, R] | None = None

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
        if start is None and self.reopen is None:
            # A new record: the first field still to fill in, top to bottom (a
            # log's Summary when the person is known, its With when not).  An
            # edit starts at the top, wherever its blanks are.
            start = next((f for f in self.fields if f.raw in ("", [], None)), None)
        (start or self.fields[0]).focus_control()

    @on(ChoiceBar.Changed)
    @on(PickerField.Changed)
    def _title_follows(self) -> None:
        if self.retitle is None or not self.is_mounted:
            return
        title = self.retitle(self)
        if title != self.title_text:
            self.title_text = title
            self.query_one("#dialog-title", Label).update(title)

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
        """Close without saving; what was typed is given up only on a yes."""
        if not any(f.edited for f in self.fields):
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(
            ConfirmModal(
                "Discard your changes?",
                "Nothing of this form is saved yet.",
                yes="Discard",
            ),
            answered,
        )

    def action_save(self) -> None:
        checked = [f.check() for f in self.fields]
        if not all(checked):
            first = self.fields[checked.index(False)]
            first.focus_control()
            self._report("Nothing was saved: see the messages beside the fields.")
            return
        self._save_soon(self.values())

    def _save_soon(self, values: dict[str, Any]) -> None:
        self.run_worker(self._save(values), exclusive=True, group="save")

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
        except (Conflict, NotFound) as exc:
            # NotFound: the record itself went (or something the form points to).
            if self.reopen is None:
                self._report(f"Nothing was saved: {exc}")
            else:
                # Its own worker: the question it asks must not hold up this one.
                self.run_worker(self._resolve(values, exc), exclusive=True, group="conflict")
            return
        except RapportError as exc:
            self._report(f"Nothing was saved: {exc}")
            return
        self.dismiss(result)

    # -- a save that met an edit made elsewhere ---------------------------------------

    async def _resolve(self, values: dict[str, Any], error: RapportError) -> None:
        assert self.reopen is not None
        backend = self.app.backend  # type: ignore[attr-defined]
        what = self.title_text.removeprefix("Edit ")
        try:
            stored = await backend.call(self.reopen.load)
        except NotFound:
            add = getattr(self.save, "as_new", None)
            answer = await self.app.push_screen_wait(
                ConflictModal(what, [], deleted=True, can_add=add is not None)
            )
            if answer == "add" and add is not None:
                self.save = add
                self._save_soon(values)
            else:
                self._report("Nothing was saved: it was deleted elsewhere.")
            return
        except RapportError as exc:
            self._report(f"Nothing was saved: {exc}")
            return
        fresh = self.reopen.build(stored)
        pairs = list(zip(self.fields, fresh.fields, strict=True))
        theirs = [(mine, new) for mine, new in pairs if not mine.same(mine.initial, new.initial)]
        if not theirs:
            if isinstance(error, NotFound):
                self._report(f"Nothing was saved: {error}")  # a record the form points to
                return
            # Changed in nothing this form shows: saving now loses nothing of theirs.
            self.save = fresh.save
            self._save_soon(values)
            return
        changes = [
            FieldChange(
                mine.label_text,
                mine.shown(mine.initial),
                mine.shown(new.initial),
                mine.shown(mine.raw) if mine.edited else None,
            )
            for mine, new in theirs
        ]
        answer = await self.app.push_screen_wait(ConflictModal(what, changes))
        if answer in ("overwrite", "reload"):
            self.save = fresh.save
        if answer == "overwrite":
            self._rebase(pairs)
            self._save_soon(values)
        elif answer == "reload":
            for mine, new in theirs:
                typed = mine.shown(mine.raw) if mine.edited else ""
                note = "changed elsewhere" + (f" (you had {typed})" if typed else "")
                mine.set_raw(new.initial, note)
            self._rebase(pairs)
            self._report("")
            self.notify("The form shows what was saved elsewhere; ctrl+s saves.", timeout=5)
        else:
            # The form still saves over the version it was opened on: the next
            # ctrl+s meets the same change and asks again.
            self._report("Nothing was saved: it changed elsewhere. ctrl+s asks again.")

    def _rebase(self, pairs: list[tuple[Field, Field]]) -> None:
        """From now on, the form was opened on the version stored now."""
        for mine, new in pairs:
            mine.initial = new.initial
