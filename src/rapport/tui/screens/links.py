"""Which goals something serves: tick goals (type to filter); a contact gets a role and a note."""

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

from rapport.models import LINK_ROLES
from rapport.services.links import WantedLink
from rapport.tui.screens.modal import Dialog
from rapport.tui.screens.picker import MOVE_KEYS, filter_choices, move_highlight
from rapport.tui.text import NO_GOALS_YET, cut
from rapport.tui.widgets.fields import Choice, ChoiceBar, ChoiceField, TextField


class GoalLinkScreen(Dialog[list[WantedLink] | None]):
    """Returns the goals ticked (with role and note for a contact), or None if cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "save", "Save"),
        *MOVE_KEYS,
        # Where no text is typed (the role): space ticks too.
        Binding("space", "tick", "Tick", show=False),
    ]

    def __init__(
        self,
        title: str,
        goals: Sequence[Choice],
        current: Sequence[WantedLink],
        *,
        with_role: bool,
    ) -> None:
        super().__init__()
        self.title_text = title
        self.goals = list(goals)
        self.shown = list(goals)  # those the filter keeps, in the order listed
        self.with_role = with_role
        self.ticked: dict[int, WantedLink] = {
            int(w.goal): w  # type: ignore[call-overload]
            for w in current
        }

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="links"):
            yield Label(self.title_text, id="dialog-title", markup=False)
            yield Input(placeholder="type to filter", id="goal-filter", compact=True)
            options = OptionList(
                *(Option(self._prompt(g), id=str(g.id)) for g in self.goals),
                id="goal-options",
                compact=True,
            )
            options.can_focus = False  # the filter drives it: typing never leaves the box
            yield options
            if self.with_role:
                yield ChoiceField("role", "Role", LINK_ROLES, "", allow_blank=True)
                yield TextField("note", "Note", placeholder="what they do for this goal")
            help_text = "↑↓ and enter tick · ctrl+s saves · esc cancels"
            if self.with_role:
                help_text = "↑↓ and enter tick · tab: role and note of the highlighted goal · " + (
                    "ctrl+s saves"
                )
            yield Static(help_text, classes="dialog-help", markup=False)

    @property
    def options(self) -> OptionList:
        return self.query_one("#goal-options", OptionList)

    def on_mount(self) -> None:
        if self.goals:
            self.options.highlighted = 0
        self.query_one("#goal-filter", Input).focus()
        if not self.goals:
            self.notify(NO_GOALS_YET, timeout=5)

    @on(Input.Changed, "#goal-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.shown = filter_choices(self.goals, event.value)
        self.options.set_options(Option(self._prompt(g), id=str(g.id)) for g in self.shown)
        if self.shown:
            self.options.highlighted = 0

    def action_move(self, step: int) -> None:
        move_highlight(self.options, step)

    def _prompt(self, goal: Choice) -> Content:
        assert goal.id is not None
        link = self.ticked.get(goal.id)
        mark = "[x] " if link else "[ ] "
        parts: list[str | tuple[str, str]] = [mark, cut(goal.label, 60)]
        if link and link.role:
            parts += ["  ", (link.role, "$text-accent")]
        if goal.detail and goal.detail != "active":
            parts += ["  ", (goal.detail, "$text-muted")]
        return Content.assemble(*parts)

    @property
    def highlighted_goal(self) -> Choice | None:
        index = self.options.highlighted
        return None if index is None or index >= len(self.shown) else self.shown[index]

    def _redraw(self, goal: Choice) -> None:
        if goal in self.shown:
            self.options.replace_option_prompt_at_index(self.shown.index(goal), self._prompt(goal))

    def action_tick(self) -> None:
        goal = self.highlighted_goal
        if goal is None or goal.id is None:
            return
        if goal.id in self.ticked:
            del self.ticked[goal.id]
        else:
            self.ticked[goal.id] = WantedLink(goal.id, *self._typed())
        self._redraw(goal)

    @on(OptionList.OptionSelected, "#goal-options")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_tick()

    @on(OptionList.OptionHighlighted, "#goal-options")
    def _moved(self, event: OptionList.OptionHighlighted) -> None:
        if not self.with_role:
            return
        goal = self.highlighted_goal
        link = self.ticked.get(goal.id) if goal and goal.id is not None else None
        self.query_one("#field-role", ChoiceField).set_value(link.role if link else "")
        self.query_one("#field-note", TextField).set_value(link.note if link else "")

    def _typed(self) -> tuple[str, str]:
        if not self.with_role:
            return "", ""
        role = self.query_one("#field-role", ChoiceField).raw
        note = self.query_one("#field-note", TextField).raw
        return role, note

    @on(ChoiceBar.Changed, "#field-role ChoiceBar")
    @on(Input.Changed, "#field-note Input")
    def _role_or_note(self) -> None:
        goal = self.highlighted_goal
        if goal is None or goal.id is None:
            return
        role, note = self._typed()
        link = self.ticked.get(goal.id)
        if link is not None and (link.role, link.note) == (role, note):
            return
        if link is None and not role and not note:
            return
        # Giving a role or a note to a goal ticks it.
        self.ticked[goal.id] = WantedLink(goal.id, role, note)
        self._redraw(goal)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "goal-filter":
            self.action_tick()
        else:
            self.query_one("#goal-filter", Input).focus()

    def action_save(self) -> None:
        order = {g.id: index for index, g in enumerate(self.goals)}
        self.dismiss(sorted(self.ticked.values(), key=lambda w: order.get(w.goal, 0)))  # type: ignore[call-overload]

    def action_cancel(self) -> None:
        self.dismiss(None)
