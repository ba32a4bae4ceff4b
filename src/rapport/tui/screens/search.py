"""The search box: everything in the network as you type, each result opened where it lives."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.cells import cell_len
from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from rapport import clock
from rapport.errors import RapportError, ValidationError
from rapport.services.search import SearchHit, search
from rapport.text import without_controls
from rapport.tui.screens.base import ListScreen
from rapport.tui.screens.modal import Dialog
from rapport.tui.screens.picker import MOVE_KEYS, move_highlight
from rapport.tui.text import cut, pad, plural, short_day

if TYPE_CHECKING:
    from rapport.tui.host import RapportHost

# What each kind of result is called in the list, and the tab that opens it
# (people, and interactions through the person they were with, open on Contacts).
LABELS = {
    "contact": "Contact",
    "interaction": "Interaction",
    "interview": "Interview",
    "event": "Event",
    "goal": "Goal",
    "followup": "Follow-up",
    "skill": "Skill",
    "trait": "About you",
}
PLACES = {
    "interview": "interviews",
    "event": "events",
    "goal": "goals",
    "followup": "followups",
    "skill": "you",
    "trait": "you",
    "interaction": "interactions",
}
LABEL_WIDTH = max(len(label) for label in LABELS.values()) + 1
DATE_WIDTH = 12
LIMIT = 30
# The matched words of a snippet, marked by search() with two characters of
# Unicode's private use area (no note holds them) and shown in the accent colour.
MARK = ("\ue000", "\ue001")


def find(text: str) -> list[SearchHit]:
    """The best matches for what was typed (database thread)."""
    return search(text, limit=LIMIT, mark=MARK)


def _snippet(text: str, width: int) -> Content:
    flat = cut(without_controls(text), width)
    parts: list[Content | tuple[str, str]] = []
    inside = False
    for piece in flat.replace(MARK[1], MARK[0]).split(MARK[0]):
        if piece:
            parts.append((piece, "bold $text-accent") if inside else (piece, "$text-muted"))
        inside = not inside
    return Content.assemble(*parts)


class SearchScreen(Dialog["SearchHit | None"]):
    """Returns the result picked (enter), or None (esc)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Close"),
        *MOVE_KEYS,
    ]

    def __init__(self) -> None:
        super().__init__()
        self.hits: list[SearchHit] = []
        # The text the list shows the results of ("" before the first search).
        self.shown_for = ""

    @property
    def rapport(self) -> RapportHost:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="search"):
            yield Label("Search everything", id="dialog-title")
            yield Input(
                placeholder="people, goals, follow-ups, notes, advice…",
                id="search-box",
                compact=True,
            )
            yield OptionList(id="search-results", compact=True)
            yield Static(
                "type words (pyth finds Python) · ↑↓ choose · enter opens · esc closes",
                id="search-status",
                markup=False,
            )

    def on_mount(self) -> None:
        self.query_one("#search-box", Input).focus()

    @property
    def results(self) -> OptionList:
        return self.query_one("#search-results", OptionList)

    @on(Input.Changed, "#search-box")
    def _typed(self, event: Input.Changed) -> None:
        self._search(event.value)

    @work(exclusive=True, group="search")
    async def _search(self, text: str) -> None:
        status = self.query_one("#search-status", Static)
        typed = " ".join(text.split())
        if not typed:
            self._show(text, [], "type words (pyth finds Python) · enter opens · esc closes")
            return
        if cell_len(typed) < 2:
            # One letter matches most of a large network, and FTS5 has no index
            # for one-letter prefixes: 0.3 s at 30,000 contacts, against 25 ms for
            # two.  A wide character (a CJK name) is a word already: two cells.
            self._show(text, [], "type one more letter · esc closes")
            return
        try:
            hits = await self.rapport.backend.call(find, text)
        except ValidationError as exc:
            self._show(text, [], exc.reason)
            return
        except RapportError as exc:
            status.update(str(exc))
            return
        if self.query_one("#search-box", Input).value != text:
            return  # typed on meanwhile: the next search shows its own
        more = " (the best shown, type more to narrow)" if len(hits) >= LIMIT else ""
        words = f"{plural(len(hits), 'match', 'matches')}{more} · enter opens · esc closes"
        self._show(text, hits, words)

    def _show(self, text: str, hits: list[SearchHit], words: str) -> None:
        self.hits = hits
        width = self.results.scrollable_content_region.width or 76
        room = max(10, width - LABEL_WIDTH - DATE_WIDTH)
        today = clock.today()
        options = []
        for hit in hits:
            head = Content.assemble(
                (pad(LABELS.get(hit.kind, hit.kind), LABEL_WIDTH), "bold $text-primary"),
                pad(cut(without_controls(hit.title), room), room),
                (short_day(hit.date, today).rjust(DATE_WIDTH), "$text-muted"),
            )
            lines = [head]
            if hit.snippet:
                snippet = _snippet(hit.snippet, room + DATE_WIDTH)
                lines.append(Content.assemble(" " * LABEL_WIDTH, snippet))
            options.append(Option(Content("\n").join(lines)))
        self.results.set_options(options)
        if options:
            self.results.highlighted = 0
        self.query_one("#search-status", Static).update(words)
        self.shown_for = text

    def action_move(self, step: int) -> None:
        move_highlight(self.results, step)

    @on(Input.Submitted, "#search-box")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._take()

    @on(OptionList.OptionSelected, "#search-results")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._take()

    def _take(self) -> None:
        index = self.results.highlighted
        if index is not None and index < len(self.hits):
            self.dismiss(self.hits[index])

    def action_cancel(self) -> None:
        self.dismiss(None)


async def open_hit(app: App[Any], hit: SearchHit) -> None:
    """Show a result where it lives: a person (or the person an interaction was
    with) on Contacts, anything else on its own tab, the cursor on it."""
    host: RapportHost = app  # type: ignore[assignment]
    if hit.kind == "contact" or (hit.kind == "interaction" and hit.contact_id is not None):
        await host.open_contact(hit.contact_id or hit.id)
        return
    await app.switch_mode(PLACES[hit.kind])
    screen = app.screen
    if isinstance(screen, ListScreen) and hit.kind != "trait":
        screen.open_record(hit.id)
