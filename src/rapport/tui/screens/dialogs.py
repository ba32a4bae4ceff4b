"""Small dialogs: confirm (delete asks), snooze, a one-line prompt, and an edit that met another."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from rich.cells import cell_len
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from rapport import clock, dates
from rapport.errors import ValidationError
from rapport.services import followups as followup_service
from rapport.tui.screens.modal import Dialog
from rapport.tui.text import day
from rapport.tui.widgets.fields import DateField, TextField

# The narrow dialogs' usual width (rapport.tcss); a longer title widens them.
SMALL_DIALOG = 64


def fit_title(screen: ModalScreen[Any], title: str) -> None:
    """Widen the dialog so its title shows whole, when the terminal has room
    (its max-width, 100%, still holds): the title says what is asked about."""
    wanted = cell_len(title) + 4  # the border and padding either side
    if wanted > SMALL_DIALOG:
        screen.query_one("#dialog").styles.width = wanted


class ConfirmModal(Dialog[bool]):
    """Asks a yes/no question; True only for an explicit yes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Delete"),
        Binding("n,escape", "answer(False)", "Keep"),
    ]

    def __init__(
        self,
        question: str,
        detail: str = "",
        *,
        yes: str = "Delete",
        no: str = "Keep",
        danger: bool = True,
    ) -> None:
        """``yes`` and ``no`` are the buttons' words; ``danger``: the yes deletes or
        discards (shown as such), rather than adds."""
        super().__init__()
        self.question = question
        self.detail = detail
        self.yes = yes
        self.no = no
        self.danger = danger
        # The footer says what the buttons say ("y Discard  n Keep", not "y Yes"):
        # each dialog holds its own copy of the class's bindings (as App.bind
        # changes an app's), so y and n take this one's words.
        self._bindings.key_to_bindings["y"] = [Binding("y", "answer(True)", yes)]
        for key in ("n", "escape"):
            self._bindings.key_to_bindings[key] = [Binding(key, "answer(False)", no)]

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="confirm"):
            yield Label(self.question, id="dialog-title", markup=False)
            if self.detail:
                yield Static(self.detail, id="dialog-note", markup=False)
            with Horizontal(id="dialog-buttons"):
                yield Button(
                    f"{self.yes}  y",
                    variant="error" if self.danger else "primary",
                    id="yes",
                    compact=True,
                )
                yield Button(f"{self.no}  n", id="no", compact=True)

    def on_mount(self) -> None:
        fit_title(self, self.question)
        self.query_one("#no", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


@dataclass(frozen=True)
class Snooze:
    """Move a follow-up ``by`` a span (+1d, +1w) or ``until`` a date."""

    by: str | None = None
    until: dates.When | None = None


def snoozed_to(due: dt.date, by: str, today: dt.date) -> dt.date:
    """Where a span moves a follow-up, as services.followups.snooze_followup counts it."""
    return max(due, today) + dates.parse_offset(by)


class SnoozeModal(Dialog[Snooze | None]):
    """+1 day, +1 week, or a typed date (shown resolved as you type)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, what: str, due: dt.date) -> None:
        super().__init__()
        self.what = what
        self.due = due

    def compose(self) -> ComposeResult:
        today = clock.today()
        with Vertical(id="dialog", classes="snooze"):
            yield Label(f"Snooze: {self.what}", id="dialog-title", markup=False)
            yield OptionList(
                Option(f"+1 day   → {day(snoozed_to(self.due, '+1d', today))}", id="+1d"),
                Option(f"+1 week  → {day(snoozed_to(self.due, '+1w', today))}", id="+1w"),
                id="snooze-spans",
                compact=True,
            )
            # Checked as the service checks it (a day passed is refused), so the
            # message shows beside the field and the dialog stays open.
            yield DateField("until", "Or until", cleaner=followup_service.snooze_until)
            yield Static("enter picks · tab to type a date · esc cancels", classes="dialog-help")

    def on_mount(self) -> None:
        fit_title(self, f"Snooze: {self.what}")
        spans = self.query_one("#snooze-spans", OptionList)
        spans.highlighted = 0
        spans.focus()

    @on(OptionList.OptionSelected, "#snooze-spans")
    def _span(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(Snooze(by=event.option.id))

    @on(Input.Submitted)
    def _typed(self, event: Input.Submitted) -> None:
        event.stop()
        field = self.query_one(DateField)
        if field.check():
            self.dismiss(Snooze(until=field.clean()))

    def action_cancel(self) -> None:
        self.dismiss(None)


class PromptModal(Dialog[Any]):
    """One line of input checked by ``cleaner`` as you type; returns what it cleaned."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(
        self,
        title: str,
        label: str,
        value: str = "",
        *,
        cleaner: Callable[[str], Any],
        note: str = "",
    ) -> None:
        super().__init__()
        self.title_text = title
        self.note = note
        self.field = TextField("value", label, value, cleaner=cleaner)

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="prompt"):
            yield Label(self.title_text, id="dialog-title", markup=False)
            if self.note:
                yield Static(self.note, id="dialog-note", markup=False)
            yield self.field
            yield Static("enter confirms · esc cancels", classes="dialog-help")

    def on_mount(self) -> None:
        self.field.focus_control()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            value = self.field.clean()
        except ValidationError as exc:
            self.field.show_error(exc.reason)
            return
        self.dismiss(value)

    def action_cancel(self) -> None:
        self.dismiss(None)


@dataclass(frozen=True)
class FieldChange:
    """A field saved elsewhere since the form opened: what it was, what it is now,
    and what the form holds when it was edited here too."""

    label: str
    before: str
    theirs: str
    mine: str | None = None


class ConflictModal(Dialog[str | None]):
    """A save met an edit made elsewhere: says what changed and asks what to do.

    Returns "reload" (the form takes the other version; edits here to other
    fields stay), "overwrite" (save the form as it is), "add" (the record was
    deleted elsewhere: add it again from the form), or None (back to the form,
    nothing saved).
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "answer('reload')", "Take theirs"),
        Binding("o", "answer('overwrite')", "Save mine"),
        Binding("a", "answer('add')", "Add again"),
        Binding("escape", "answer(None)", "Back to the form"),
    ]

    def __init__(
        self, what: str, changes: list[FieldChange], *, deleted: bool = False, can_add: bool = False
    ) -> None:
        super().__init__()
        self.what = what
        self.changes = changes
        self.deleted = deleted
        self.can_add = can_add

    def compose(self) -> ComposeResult:
        done = "deleted" if self.deleted else "changed"
        with Vertical(id="dialog", classes="conflict"):
            yield Label(f"{self.what} was {done} elsewhere", id="dialog-title", markup=False)
            yield Static(
                f"Another rapport (the app or a command) {done} it after you opened this form. "
                "Nothing of yours is saved yet." + ("" if self.deleted else " What changed there:"),
                id="dialog-note",
                markup=False,
            )
            if not self.deleted:
                with VerticalScroll(id="conflict-box"):  # many fields on a small terminal
                    yield Static(self._table(), id="conflict-changes")
            with Horizontal(id="dialog-buttons"):
                if self.deleted:
                    if self.can_add:
                        yield Button("Add it again  a", variant="primary", id="add", compact=True)
                else:
                    yield Button("Take theirs  r", variant="primary", id="reload", compact=True)
                    yield Button("Save mine  o", variant="warning", id="overwrite", compact=True)
                yield Button("Back  esc", id="back", compact=True)
            yield Static(self._help(), classes="dialog-help", markup=False)

    def _table(self) -> Content:
        lines: list[Content] = []
        for change in self.changes:
            lines.append(Content.styled(change.label, "bold"))
            lines.append(Content.assemble(("  was    ", "$text-muted"), change.before))
            lines.append(Content.assemble(("  now    ", "$text-muted"), (change.theirs, "bold")))
            if change.mine is not None:
                lines.append(
                    Content.assemble(("  yours  ", "$text-muted"), (change.mine, "$text-accent"))
                )
        return Content("\n").join(lines)

    def _help(self) -> str:
        if self.deleted:
            add = "a adds it again as your form has it · " if self.can_add else ""
            return add + "esc goes back to the form"
        return (
            "r: the form shows their version, your edits to other fields stay · "
            "o: save your form as it is, over theirs · esc: back to the form"
        )

    def on_mount(self) -> None:
        self.query_one("#dialog-buttons Button", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(None if event.button.id == "back" else event.button.id)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Neither run nor in the footer (False) where they mean nothing: theirs
        # is deleted (take it, save over it), or it is not (add it again).
        answer = parameters[0] if action == "answer" and parameters else None
        if answer == "add":
            return self.deleted and self.can_add
        return not (answer in ("reload", "overwrite") and self.deleted)

    def action_answer(self, answer: str | None) -> None:
        self.dismiss(answer)
