"""Form fields: a label, the control, and a line beside it saying what is wrong (or meant).

Each field checks what is typed with the same cleaner the service uses, so
the message shown while typing is the one the CLI would print.  Pickers open
a ``PickerScreen`` and keep the chosen records as ``Choice`` values.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.events import DescendantBlur, DescendantFocus, Key
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Label, Static, TextArea

from rapport import dates
from rapport.errors import ValidationError
from rapport.tui.text import cut, day

Cleaner = Callable[[Any], Any]


@dataclass(frozen=True)
class Choice:
    """A record offered by a picker: its id (None: to be created), what to show,
    and the folded text the filter searches."""

    id: int | None
    label: str
    detail: str = ""
    hay: str = ""


class Field(Vertical):
    """One labelled field; ``clean()`` returns the value to save or raises ValidationError."""

    initial: Any = None  # what the form was opened with

    DEFAULT_CSS = """
    Field {
        layout: grid;
        grid-size: 2;
        grid-columns: 16 1fr;
        grid-rows: auto;
        height: auto;
        & .field--label { width: 16; color: $text-muted; padding-right: 1; }
        & .field--message { column-span: 2; margin-left: 16; height: auto; color: $text-muted; }
        & .field--message.-error { color: $text-error; }
        &.-invalid .field--label { color: $text-error; }
        /* Where typing goes: the label lights up and the control is tinted. */
        &.-focused .field--label { color: $text-accent; text-style: bold; }
        &.-focused.-invalid .field--label { color: $text-error; }
        & .field--control:focus { background: $accent 20%; }
        & Input, & TextArea, & PickerButton { width: 1fr; }
        & TextArea { padding: 0; height: 3; }
        & Input { background: $boost; }
        &.-multiline { grid-rows: 3 auto; }
    }
    """

    # Names a service may give this field in a ValidationError, besides its own.
    def __init__(
        self,
        name: str,
        label: str,
        *,
        aliases: Sequence[str] = (),
        hint: str = "",
    ) -> None:
        super().__init__(id=f"field-{name}")
        self.field_name = name
        self.label_text = label
        self.aliases = {name, label.lower(), name.replace("_", " "), *aliases}
        self.hint = hint
        self.message = Static(hint, classes="field--message", markup=False)
        self.message.display = bool(hint)
        self._said = (hint, False)
        # A note about the value the form put in (after a conflict), shown
        # beside the field for as long as that value is there.
        self._note: tuple[Any, str] | None = None

    def compose(self) -> ComposeResult:
        yield Label(self.label_text, classes="field--label", markup=False)
        yield self.control()
        yield self.message

    def control(self) -> Widget:
        raise NotImplementedError

    # A class, not :focus-within: Textual restyles the focused widget and those
    # above it as focus moves, not the label beside it.
    def on_descendant_focus(self, event: DescendantFocus) -> None:
        self.add_class("-focused")

    def on_descendant_blur(self, event: DescendantBlur) -> None:
        self.remove_class("-focused")

    @property
    def raw(self) -> Any:
        raise NotImplementedError

    def clean(self) -> Any:
        return self.raw

    # -- the value the form was opened with (to tell edits made here from edits made elsewhere)

    def same(self, one: Any, other: Any) -> bool:
        """Whether two values of this field mean the same."""
        return bool(one == other)

    @property
    def edited(self) -> bool:
        """Whether the person changed the value the form was opened with."""
        return not self.same(self.raw, self.initial)

    def set_raw(self, value: Any, note: str = "") -> None:
        """Put ``value`` in the control, with a ``note`` beside it while it stays."""
        self._note = (value, note) if note else None
        self._set(value)
        self.check()

    def _set(self, value: Any) -> None:
        raise NotImplementedError

    def shown(self, value: Any) -> str:
        """A value as a sentence can quote it."""
        text = cut(str(value), 40)
        return f"“{text}”" if text else "empty"

    def focus_control(self) -> None:
        self.query_one(".field--control").focus()

    def show_error(self, reason: str) -> None:
        self._say(reason, error=True)

    def show_hint(self, hint: str | None = None) -> None:
        self._say(self.hint if hint is None else hint, error=False)

    def _say(self, text: str, *, error: bool) -> None:
        # Typing calls this on every key: touch the widgets only when it changes.
        if (text, error) == self._said:
            return
        self._said = (text, error)
        self.set_class(error, "-invalid")
        self.message.set_class(error, "-error")
        self.message.update(text)
        self.message.display = bool(text)

    @property
    def said(self) -> str:
        """The message beside the field now (an error, a hint, or nothing)."""
        return self._said[0]

    def check(self) -> bool:
        """Clean what is there now and say so beside the field; True if it is fine."""
        try:
            value = self.clean()
        except ValidationError as exc:
            self.show_error(exc.reason)
            return False
        note = ""
        if self._note is not None:
            if self.same(self.raw, self._note[0]):
                note = self._note[1]
            else:
                self._note = None
        described = self.describe(value)
        self.show_hint(" ".join(p for p in (note, described) if p) if note else described)
        return True

    def describe(self, value: Any) -> str | None:
        """A hint for a valid value (a date field shows the day it means)."""
        return None

    @property
    def invalid(self) -> bool:
        return self.has_class("-invalid")


class TextField(Field):
    """One line (an Input) or several (a TextArea) of text, checked by ``cleaner``."""

    def __init__(
        self,
        name: str,
        label: str,
        value: str = "",
        *,
        cleaner: Cleaner | None = None,
        placeholder: str = "",
        multiline: bool = False,
        meaning: Callable[[Any], str | None] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(name, label, **kwargs)
        self.cleaner = cleaner
        self.meaning = meaning
        self.multiline = multiline
        self.initial = value or ""
        self.placeholder = placeholder

    def control(self) -> Widget:
        if self.multiline:
            area = TextArea(
                self.initial,
                soft_wrap=True,
                compact=True,
                tab_behavior="focus",
                classes="field--control",
                placeholder=self.placeholder,
            )
            self.add_class("-multiline")
            return area
        return Input(
            self.initial,
            placeholder=self.placeholder,
            compact=True,
            classes="field--control",
            select_on_focus=False,
        )

    @property
    def raw(self) -> str:
        if self.multiline:
            return self.query_one(TextArea).text
        return self.query_one(Input).value

    def set_value(self, text: str) -> None:
        if self.multiline:
            self.query_one(TextArea).text = text
        else:
            self.query_one(Input).value = text

    def _set(self, value: Any) -> None:
        self.set_value(value)

    def same(self, one: Any, other: Any) -> bool:
        return str(one or "").strip() == str(other or "").strip()

    def clean(self) -> Any:
        return self.cleaner(self.raw) if self.cleaner else self.raw

    def describe(self, value: Any) -> str | None:
        return self.meaning(value) if self.meaning else None

    @on(Input.Changed)
    @on(TextArea.Changed)
    def _changed(self, event: Message) -> None:
        self.check()


class DateField(TextField):
    """A date (optionally with a time) typed as people say it; shows the day it means."""

    def __init__(
        self,
        name: str,
        label: str,
        value: str = "",
        *,
        required: bool = False,
        with_time: bool = True,
        cleaner: Cleaner | None = None,
        time_alone: str = "",
        **kwargs: Any,
    ) -> None:
        """``time_alone`` names the day a time typed alone belongs to ("the
        day it starts"); without it, such a time is today, as shown."""
        self.time_alone = time_alone
        example = "today, +2w, next fri, 2027-03-01" + (" 9:30" if with_time else "")
        kwargs.setdefault("placeholder", example)
        super().__init__(name, label, value, cleaner=cleaner or self._parse, **kwargs)
        self.required = required
        self.with_time = with_time

    def _parse(self, text: str) -> dates.When | None:
        if not text.strip():
            if self.required:
                raise ValidationError(self.field_name, "must be given")
            return None
        return dates.parse_when(text, field=self.field_name)

    def describe(self, value: Any) -> str | None:
        said = self._day_of(value)
        # What the form adds about the day (a log's date still to come).
        more = self.meaning(value) if self.meaning is not None and value is not None else None
        return f"{said}: {more}" if said and more else said or more

    def _day_of(self, value: Any) -> str | None:
        if isinstance(value, dates.When) and not value.dated and self.time_alone:
            return f"→ {value.time:%H:%M} {self.time_alone}"
        if isinstance(value, dates.When):
            shown = day(value.date)
            if value.time is not None and self.with_time:
                shown += f" {value.time:%H:%M}"
            return f"→ {shown}"
        if isinstance(value, dt.date):
            return f"→ {day(value)}"
        return None

    def on_mount(self) -> None:
        if self.initial:
            self.check()


class ChoiceBar(Widget, can_focus=True):
    """Every option on one line, the chosen one marked; ← → or an option's first letter picks."""

    DEFAULT_CSS = """
    ChoiceBar {
        height: auto;
        width: 1fr;
        background: $boost;
        &:focus { background: $surface; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "move(-1)", "Previous", show=False),
        Binding("right", "move(1)", "Next", show=False),
    ]

    value: reactive[str] = reactive("")

    class Changed(Message):
        def __init__(self, bar: ChoiceBar, value: str) -> None:
            super().__init__()
            self.bar = bar
            self.value = value

        @property
        def control(self) -> ChoiceBar:
            return self.bar

    def __init__(self, options: Sequence[str], value: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.options = list(options)
        self.set_reactive(ChoiceBar.value, value if value in self.options else self.options[0])

    def render(self) -> Content:
        parts: list[str | tuple[str, str]] = []
        for option in self.options:
            label = option.replace("-", " ") or "none"
            if option == self.value:
                parts.append((f" {label} ", "bold reverse $accent"))
            else:
                parts.append((f" {label} ", "$text-muted"))
        return Content.assemble(*parts)

    def watch_value(self, value: str) -> None:
        self.post_message(self.Changed(self, value))

    def action_move(self, step: int) -> None:
        index = self.options.index(self.value) if self.value in self.options else 0
        self.value = self.options[(index + step) % len(self.options)]

    def on_key(self, event: Key) -> None:
        letter = (event.character or "").lower()
        if not letter or not letter.isalpha():
            return
        # The next option starting with the letter, after the chosen one.
        index = self.options.index(self.value) if self.value in self.options else -1
        ordered = self.options[index + 1 :] + self.options[: index + 1]
        match = next((o for o in ordered if o.startswith(letter)), None)
        if match is not None:
            event.stop()
            event.prevent_default()
            self.value = match

    def on_click(self) -> None:
        self.action_move(1)


class ChoiceField(Field):
    """One of a fixed set of words (channel, status, role), all in view."""

    def __init__(
        self,
        name: str,
        label: str,
        options: Sequence[str],
        value: str = "",
        *,
        allow_blank: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(name, label, **kwargs)
        self.options = ([""] if allow_blank else []) + list(options)
        self.initial = value

    def control(self) -> Widget:
        return ChoiceBar(self.options, self.initial, classes="field--control")

    @property
    def raw(self) -> str:
        return self.query_one(ChoiceBar).value

    def set_value(self, value: str) -> None:
        self.query_one(ChoiceBar).value = value if value in self.options else self.options[0]

    def _set(self, value: Any) -> None:
        self.set_value(value)

    def shown(self, value: Any) -> str:
        return str(value).replace("-", " ") or "none"


class CheckField(Field):
    """Yes or no; ``says`` is the words beside the box (space ticks it)."""

    def __init__(
        self, name: str, label: str, value: bool = False, *, says: str = "", **kwargs: Any
    ) -> None:
        super().__init__(name, label, **kwargs)
        self.initial = value
        self.says = says

    def control(self) -> Widget:
        box = Checkbox(self.says, self.initial, compact=True, classes="field--control")
        box.styles.width = "auto"
        return box

    @property
    def raw(self) -> bool:
        return self.query_one(Checkbox).value

    def _set(self, value: Any) -> None:
        self.query_one(Checkbox).value = bool(value)

    def shown(self, value: Any) -> str:
        return "yes" if value else "no"


class PickerButton(Static, can_focus=True):
    """Shows what is picked; enter, space or a click opens the picker, and so
    does a letter, which goes on as the first of the picker's filter."""

    DEFAULT_CSS = """
    PickerButton {
        height: 1;
        background: $boost;
        &:focus { background: $block-cursor-background; color: $block-cursor-foreground; }
        &.-empty { color: $text-muted; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,space", "open", "Pick", show=False),
        Binding("delete,backspace", "clear", "Clear", show=False),
    ]

    class Open(Message):
        pass

    class Clear(Message):
        pass

    def action_open(self) -> None:
        # Opened now (not by a message handled later), so the app sees the
        # picker coming and keeps the keys typed next for it.
        field = self.parent
        if isinstance(field, PickerField):
            field.open_picker()
        else:
            self.post_message(self.Open())

    def action_clear(self) -> None:
        self.post_message(self.Clear())

    def on_key(self, event: Key) -> None:
        # "type a new name to add them": a name typed straight away is not lost.
        field = self.parent
        if not (isinstance(field, PickerField) and event.is_printable and event.character):
            return
        if event.character.isspace():
            return  # space opens it, as enter does (a binding)
        if field.chosen and not field.multiple:
            return  # one picked already: a stray key does not reopen the picker
        event.stop()
        event.prevent_default()
        field.typed = event.character
        field.open_picker()

    def on_click(self) -> None:
        self.post_message(self.Open())


PickerOpener = Callable[["PickerField"], Awaitable[list[Choice] | None]]


class PickerField(Field):
    """One or more records picked from a list (contacts, an organization, an event)."""

    class Changed(Message):
        """What is picked changed (a form's title may name it)."""

    def __init__(
        self,
        name: str,
        label: str,
        value: Sequence[Choice] = (),
        *,
        opener: PickerOpener,
        multiple: bool = False,
        required: bool = False,
        empty: str = "none (enter to pick)",
        value_of: Callable[[Choice], Any] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(name, label, **kwargs)
        self.chosen: list[Choice] = list(value)
        self.initial = list(value)
        self.value_of = value_of or (lambda c: c.id if c.id is not None else c.label)
        self.opener = opener
        # A letter typed on the field, the picker's filter to start with.
        self.typed = ""
        self.multiple = multiple
        self.required = required
        self.empty = empty

    def control(self) -> Widget:
        return PickerButton(self._summary(), classes="field--control", markup=False)

    def _summary(self) -> str | Content:
        if not self.chosen:
            return self.empty
        text = ", ".join(c.label for c in self.chosen)
        if any(c.id is None for c in self.chosen):
            return Content.assemble(cut(text, 200), ("  (new)", "$text-success"))
        return cut(text, 200)

    def _refresh(self) -> None:
        button = self.query_one(PickerButton)
        button.update(self._summary())
        button.set_class(not self.chosen, "-empty")
        self.check()

    def on_mount(self) -> None:
        self.query_one(PickerButton).set_class(not self.chosen, "-empty")

    @property
    def raw(self) -> list[Choice]:
        return list(self.chosen)

    def clean(self) -> Any:
        if self.required and not self.chosen:
            raise ValidationError(self.field_name, "pick at least one")
        if self.multiple:
            return [self.value_of(c) for c in self.chosen]
        return self.value_of(self.chosen[0]) if self.chosen else None

    def set_chosen(self, chosen: Sequence[Choice]) -> None:
        self.chosen = list(chosen)
        self._refresh()
        self.post_message(self.Changed())

    def _set(self, value: Any) -> None:
        self.set_chosen(value)

    def same(self, one: Any, other: Any) -> bool:
        def keys(chosen: Sequence[Choice]) -> list[object]:
            return [c.id if c.id is not None else c.label for c in chosen]

        return keys(one) == keys(other)

    def shown(self, value: Any) -> str:
        return cut(", ".join(c.label for c in value), 40) or "none"

    @on(PickerButton.Open)
    def _open(self, event: PickerButton.Open) -> None:
        event.stop()
        self.open_picker()

    def open_picker(self) -> None:
        self.run_worker(self._pick(), exclusive=True, group="picker")

    async def _pick(self) -> None:
        try:
            picked = await self.opener(self)
        finally:
            self.typed = ""
        if picked is not None:
            self.set_chosen(picked)
        self.focus_control()

    @on(PickerButton.Clear)
    def _clear(self, event: PickerButton.Clear) -> None:
        event.stop()
        self.set_chosen([])
