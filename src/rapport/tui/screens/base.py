"""What every tab shares: the tab bar and footer, writes that refresh, and list+detail screens.

Each tab is a Screen (an app mode), so it keeps its cursor and filter while
another tab is open, and its keys are the ones the footer, ``?`` and the
command palette show.  A tab reloads from the database when it is shown
after something changed (``app.data_version`` moved on).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Input, Label, Static

from rapport.errors import Conflict, NotFound, RapportError
from rapport.tui.screens.dialogs import ConfirmModal
from rapport.tui.screens.form import FormScreen, Reopen
from rapport.tui.text import day
from rapport.tui.widgets.detail import DetailPane, Sheet
from rapport.tui.widgets.fields import Choice
from rapport.tui.widgets.footer import KeyFooter
from rapport.tui.widgets.navbar import NavBar
from rapport.tui.widgets.sync_status import SyncStatus
from rapport.tui.widgets.tables import Column, RecordTable

if TYPE_CHECKING:
    from rapport.tui.host import RapportHost

# Side by side, the list keeps at least this many cells and the detail this many.
LIST_MIN = 60
DETAIL_MIN = 44

R = TypeVar("R")
T = TypeVar("T")
B = TypeVar("B")


class TabScreen(Screen[None]):
    """A tab: its name in the tab bar, a body, the footer; reloads when data changed."""

    MODE: ClassVar[str] = ""
    # A view that belongs under a tab (Organizations, Interactions under
    # Contacts): the tab bar shows that tab, and esc goes back to it.
    UNDER: ClassVar[str] = ""
    # Actions reached through one of the tab's dialogs (keys, what it does,
    # the tab's action doing it at once), for the command palette to find.
    DIALOG_ACTIONS: ClassVar[tuple[tuple[str, str, str], ...]] = ()
    # The footer's keys a person needs most here, first first: where not all fit
    # (80 columns), the others go before these (KeyFooter).
    FOOTER_FIRST: ClassVar[tuple[str, ...]] = ()

    def __init__(self) -> None:
        super().__init__()
        self.loaded_version = -1
        self.load_tried = False  # a load ended, shown or failed (keys wait for it)

    @property
    def rapport(self) -> RapportHost:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield NavBar(self.UNDER or self.MODE)
        yield from self.compose_body()
        yield SyncStatus()  # the last line above the footer, while a sync runs
        yield KeyFooter()

    def compose_body(self) -> ComposeResult:
        yield from ()

    def on_screen_resume(self) -> None:
        self._resume()

    @work(exclusive=True, group="resume")
    async def _resume(self) -> None:
        # Coming back to a tab shows what changed meanwhile, here or in another rapport.
        await self.rapport.check_outside()
        if self.loaded_version != self.rapport.data_version:
            self.reload()

    async def wait_loaded(self, timeout: float = 3.0) -> None:
        """Until the tab has loaded once (at most ``timeout`` seconds, after which
        an action finds what there is)."""
        waited = 0.0
        while self.loaded_version < 0 and waited < timeout:
            await asyncio.sleep(0.01)
            waited += 0.01

    def reload(self, keep: int | None = None) -> None:
        """Load what the tab shows (in a worker); ``keep`` the cursor on this record."""
        self._load(keep)

    @work(exclusive=True, group="load")
    async def _load(self, keep: int | None) -> None:
        await self.reload_here(keep)

    async def reload_here(self, keep: int | None = None) -> None:
        """Load what the tab shows in the calling worker, saying what failed.

        A write reloads this way, inside its own action: the keys typed after
        it wait for that action (see RapportApp), so the next one acts on the
        row the person then sees, not on the row just done.
        """
        try:
            await self.load_now(keep)
        except RapportError as exc:
            self.notify(str(exc), title="Could not load", severity="error", timeout=8)
            return
        finally:
            self.load_tried = True
        self.rapport.loaded()

    async def call(self, function: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        return await self.rapport.backend.call(function, *args, **kwargs)

    async def write(
        self,
        function: Callable[..., T],
        /,
        *args: Any,
        done: str | Callable[[T], str] = "",
        keep: int | None = None,
        contacts: bool = True,
        **kwargs: Any,
    ) -> T | None:
        """Run a service write; say what happened (or what went wrong); reload.

        ``contacts=False``: the write cannot change any contact's row.
        """
        try:
            result = await self.call(function, *args, **kwargs)
        except (Conflict, NotFound) as exc:
            # Changed or deleted elsewhere: show it as it is now.
            self.notify(str(exc), title=exc.title, severity="error", timeout=6)
            self.rapport.changed(contacts=contacts)
            await self.reload_here(keep)
            return None
        except RapportError as exc:
            self.notify(str(exc), title=exc.title, severity="error", timeout=6)
            return None
        self.rapport.changed(contacts=contacts)
        message = done(result) if callable(done) else done
        if message:
            self.notify(message, timeout=3)
        await self.reload_here(keep)
        return result

    async def confirm(self, question: str, detail: str = "", **words: Any) -> bool:
        """Ask ``question``; ``words``: ConfirmModal's (yes, no, danger)."""
        answer: bool = await self.app.push_screen_wait(ConfirmModal(question, detail, **words))
        return answer

    async def run_form(
        self,
        form: FormScreen[T],
        message: Callable[[T], str],
        *,
        keep: int | None = None,
        select_saved: bool = False,
        contacts: bool = True,
    ) -> T | None:
        """Open a form; once it saved, say so and reload, the cursor on ``keep``
        (or on the saved record with ``select_saved``)."""
        saved = await self.app.push_screen_wait(form)
        if saved is None:
            return None
        self.rapport.changed(contacts=contacts)
        self.notify(message(saved), timeout=4)
        if select_saved:
            keep = getattr(saved, "id", None)
        await self.load_now(keep)
        if select_saved and keep is not None:
            self.select(keep)
        return saved

    async def run_edit(
        self,
        load: Callable[[int], B],
        build: Callable[[B], FormScreen[T]],
        record_id: int,
        message: Callable[[T], str],
        *,
        keep: int | None = None,
        contacts: bool = True,
    ) -> T | None:
        """Open the edit form of a record as it is stored now (``load`` runs on the
        database thread, ``build`` makes the form); its save never overwrites an
        edit made elsewhere since without asking (see FormScreen)."""
        reopen = Reopen(partial(load, record_id), build)
        try:
            stored = await self.call(reopen.load)
        except RapportError as exc:
            self.notify(str(exc), title="Could not open it", severity="warning", timeout=5)
            self.reload(keep=keep)
            return None
        form = build(stored)
        form.reopen = reopen
        return await self.run_form(form, message, keep=keep, contacts=contacts)

    async def load_now(self, keep: int | None) -> None:
        """Load what the tab shows now, from a worker (the cursor stays on ``keep``)."""

    def select(self, key: int) -> None:
        """Put the cursor on record ``key``."""

    async def log_with(self, contact_id: int | None, name: str, *, keep: int | None = None) -> None:
        """Log an interaction with this person (more can be added in the form)."""
        from rapport.tui.screens.forms import log_form

        if contact_id is None:
            self.notify("Pick a line with a person to log an interaction.", timeout=3)
            return
        await self.run_form(
            log_form(self.rapport, [Choice(contact_id, name)]),
            lambda saved: f"Logged the {saved.channel} on {day(saved.date)}",
            keep=keep,
        )

    async def delete(
        self,
        question: str,
        detail: str,
        function: Callable[[int], Any],
        record_id: int,
        done: str,
        *,
        contacts: bool = True,
    ) -> None:
        """Ask, and delete only on an explicit yes."""
        if await self.confirm(question, detail):
            await self.write(function, record_id, done=done, contacts=contacts)


@dataclass(frozen=True)
class RecordForms(Generic[B, T]):
    """How a list adds and edits its records (one ``a`` and ``e`` for every tab):
    the new-record form, the record as stored (database thread) and its edit
    form, and what to say once either was saved."""

    new: Callable[[], FormScreen[T]]
    stored: Callable[[int], B]
    edit: Callable[[B], FormScreen[T]]
    added: Callable[[T], str]
    saved: Callable[[T], str]
    contacts: bool = True  # False: saving cannot change a contact's row


@dataclass(frozen=True)
class Deletion:
    """How a list deletes a record (one ``D`` for every tab): the question and
    what it means, the service that deletes, and what to say once it went."""

    question: str
    detail: str
    delete: Callable[[int], Any]
    said: str
    contacts: bool = True  # False: deleting cannot change a contact's row


class ListScreen(TabScreen, Generic[R]):
    """A filterable, sortable table of records with the selected one's detail beside it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # A priority binding runs as the app reads the key, before it hands
        # the keys typed next to the widget with focus: "/dana" typed fast
        # filters, instead of "a" reaching the list first (where it means Add).
        Binding("slash", "filter", "Filter", priority=True),
        Binding("escape", "leave_filter", "Back to list", show=False),
    ]

    # The list has the focus when the tab opens (set as it is shown, not
    # after the keys already typed, as a focus() in on_mount would).
    AUTO_FOCUS = "#records"
    NOUN: ClassVar[str] = "record"
    NOUNS: ClassVar[str] = "records"
    EMPTY: ClassVar[str] = "Nothing here yet."
    SORT: ClassVar[str | None] = None
    SORT_REVERSE: ClassVar[bool] = False

    def __init__(self) -> None:
        super().__init__()
        self.table: RecordTable[R] = RecordTable(self.columns(), sort=self.SORT, id="records")
        self.table.sort_reverse = self.SORT_REVERSE
        self.detail_pane = DetailPane(empty=self.EMPTY, id="detail")
        self.detail_pane.border_title = self.NOUN.capitalize()
        self.list_side: Vertical | None = None
        # Held, not looked up: a load or a highlight that lands as the app
        # quits finds the screen's widgets already removed (Textual cancels a
        # screen's workers only after its children are gone); a query would
        # raise NoMatches there, an update of a detached widget does nothing.
        self.filter_box = Input(
            placeholder="to filter: " + self.filter_hint(), id="filter", compact=True
        )
        self.status_line = Static("", id="list-status", markup=False)
        self._status = ""

    def columns(self) -> Sequence[Column[R]]:
        raise NotImplementedError

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="split"):
            with Vertical(id="list-side") as side:
                side.border_title = self.NOUNS.capitalize()
                self.list_side = side
                with Horizontal(id="list-head"):
                    yield Label("/", id="filter-label")
                    yield self.filter_box
                    yield self.status_line
                yield self.table
            yield self.detail_pane

    def filter_hint(self) -> str:
        return "name"

    # -- loading ------------------------------------------------------------

    async def load_now(self, keep: int | None) -> None:
        """Load the rows now, from a worker; the cursor stays on ``keep`` or its line."""
        version = self.rapport.data_version
        rows, haystacks = await self.fetch()
        self.loaded_version = version
        self.table.show(rows, haystacks, keep=keep)
        self.show_status()
        self.fit_panes()

    def on_resize(self) -> None:
        self.fit_panes()

    def fit_panes(self) -> None:
        """Side by side, the list as wide as its columns need (at least LIST_MIN,
        leaving DETAIL_MIN to the detail); the detail takes the rest, so a
        wide terminal shows whole titles and a roomy detail, never less."""
        side = self.list_side
        if side is None:
            return
        frame = 2 + 2  # the list's frame and its scrollbar's room
        wanted = self.table.natural_width() + frame
        room = self.size.width - DETAIL_MIN
        # Beside a detail, a list that would be cut narrower than the whole
        # screen would show it goes above the detail instead, full width.
        stacked = not self.has_class("-narrow") and wanted > room
        self.set_class(stacked, "-stacked")
        if self.has_class("-narrow") or stacked or not self.size.width:
            side.styles.width = None  # the stylesheet's: one column
            return
        side.styles.width = max(min(wanted, room), min(LIST_MIN, room))

    async def fetch(self) -> tuple[Sequence[R], Sequence[str] | None]:
        """The rows (and optionally their filter text), loaded on the database thread."""
        raise NotImplementedError

    def show_status(self) -> None:
        table = self.table
        shown = len(table.matching)
        if table.filter_text:
            text = f"{shown:,} of {table.total:,} {self.NOUNS}"
        else:
            text = f"{table.total:,} {self.NOUN if table.total == 1 else self.NOUNS}"
        if table.sort_description:
            text += f" · {table.sort_description}"
        text = self.status_prefix() + text + self.status_suffix()
        if text != self._status:  # (an update lays the screen out again)
            self._status = text
            self.status_line.update(text)

    def status_prefix(self) -> str:
        return ""

    def status_suffix(self) -> str:
        return ""

    # -- the selected record -------------------------------------------------

    @property
    def selected(self) -> R | None:
        return self.table.current

    @on(RecordTable.Chosen, "#records")
    async def _chosen(self) -> None:
        """Enter on a row edits it."""
        if hasattr(self, "action_edit"):
            await self.run_action("edit")

    @on(RecordTable.Sorted, "#records")
    def _sorted(self) -> None:
        self.show_status()

    @on(RecordTable.Highlighted, "#records")
    def _highlighted(self, event: RecordTable.Highlighted) -> None:
        self._show_detail(event.row)
        self.show_status()

    @work(exclusive=True, group="detail")
    async def _show_detail(self, row: R | None) -> None:
        if row is None:
            self.detail_pane.empty = self.empty_text()
            self.detail_pane.show(None)
            return
        # Holding an arrow key moves through many rows: draw the one it stops on.
        await asyncio.sleep(0.03)
        try:
            sheet = await self.call(self.describe, row)
        except RapportError as exc:
            sheet = Sheet().text(str(exc), "$text-error")
        self.detail_pane.show(sheet)

    def describe(self, row: R) -> Sheet:
        """The detail of a row; runs on the database thread."""
        raise NotImplementedError

    def empty_text(self) -> str:
        """What the detail pane says when the list shows no row."""
        table = self.table
        if table.total and table.filter_text:
            return f"No {self.NOUN} matches “{table.filter_text}”. esc clears the filter."
        return self.EMPTY

    # -- filtering -------------------------------------------------------------

    def action_filter(self) -> None:
        # Now, not once the keys already read are handled (as ``focus()`` would).
        self.set_focus(self.filter_box)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # In the filter box, "/" is a character like any other (and, handed to
        # the box in turn, cannot overtake the keys typed before it).
        if action == "filter":
            return self.focused is not self.filter_box
        if action in ("add", "edit"):
            return self.forms() is not None
        return True

    async def action_leave_filter(self) -> None:
        box = self.filter_box
        if box.has_focus:
            self.table.focus()
        elif box.value:
            box.value = ""
            self.table.focus()
        elif self.UNDER:
            await self.app.switch_mode(self.UNDER)

    def on_mount(self) -> None:
        # The filter follows the box as its value changes, inside the key's own
        # handling (a watcher runs at once; Input.Changed is a message read
        # later): a scan of prepared strings, narrowing what the last key kept,
        # and the lines in view, a few milliseconds at 30,000 contacts.  So
        # the letter typed and the rows it leaves are drawn in one frame.
        self.watch(self.filter_box, "value", self._apply_filter, init=False)

    def _apply_filter(self, text: str) -> None:
        self.table.set_filter(text)
        self.show_status()
        if self.table.current is None:
            # No row before or after: no Highlighted message comes, so the
            # empty pane's words ("No contact matches …") follow the filter here.
            self.detail_pane.empty = self.empty_text()
            self.detail_pane.show(None)

    @on(Input.Submitted, "#filter")
    def _filter_done(self, event: Input.Submitted) -> None:
        self.set_focus(self.table)

    # -- adding and editing ----------------------------------------------------

    def forms(self) -> RecordForms[Any, Any] | None:
        """How this list adds and edits records (None: it does neither)."""
        return None

    @work(exclusive=True, group="act")
    async def action_add(self) -> None:
        await self.add_record()

    async def add_record(self) -> None:
        forms = self.forms()
        if forms is not None:
            await self.run_form(
                forms.new(), forms.added, select_saved=True, contacts=forms.contacts
            )

    @work(exclusive=True, group="act")
    async def action_edit(self) -> None:
        row, forms = self.need(), self.forms()
        if row is not None and forms is not None:
            record_id: int = getattr(row, "id")  # noqa: B009 (every row type has one)
            await self.run_edit(
                forms.stored,
                forms.edit,
                record_id,
                forms.saved,
                keep=record_id,
                contacts=forms.contacts,
            )

    def deletion(self, row: R) -> Deletion | None:
        """What deleting ``row`` asks and does (None: this list deletes nothing)."""
        return None

    @work(exclusive=True, group="act")
    async def action_delete(self) -> None:
        row = self.need()
        plan = self.deletion(row) if row is not None else None
        if plan is not None:
            record_id: int = getattr(row, "id")  # noqa: B009 (every row type has one)
            await self.delete(
                plan.question,
                plan.detail,
                plan.delete,
                record_id,
                plan.said,
                contacts=plan.contacts,
            )

    def need(self) -> R | None:
        """The selected row, or None after telling the person nothing is selected."""
        if self.selected is None:
            self.notify(f"No {self.NOUN} selected.", timeout=3)
        return self.selected

    def select(self, key: int) -> None:
        """Put the cursor on record ``key``, clearing a filter that hides it."""
        if not self.table.select_key(key):
            box = self.filter_box
            if box.value:
                box.value = ""
                self._apply_filter("")
            self.table.select_key(key)
        self.table.focus()

    # -- arriving from the search box -------------------------------------------

    def open_record(self, record_id: int) -> None:
        """The cursor on this record, once the list is loaded (in a view that shows it)."""
        self._open_record(record_id)

    @work(exclusive=True, group="open")
    async def _open_record(self, record_id: int) -> None:
        # reload_here, not load_now: a tab first opened here counts as loaded
        # (the keys typed next wait for that), and a failed load is said.
        if self.loaded_version != self.rapport.data_version:
            await self.reload_here(None)
        if not self._select_shown(record_id) and self.show_everything():
            await self.reload_here(None)
            self._select_shown(record_id)
        if not self._select_shown(record_id):
            self.notify(f"That {self.NOUN} is no longer there.", severity="warning", timeout=4)

    def _select_shown(self, record_id: int) -> bool:
        self.select(record_id)
        current = self.table.current
        return current is not None and self.table.key_of(current) == record_id

    def show_everything(self) -> bool:
        """Switch to the view that holds every record (a list with views, such as
        open and done follow-ups); False if the list shows them all already."""
        return False


async def edit_goal_links(screen: TabScreen, kind: str, record_id: int, label: str) -> None:
    """Open the goal picker for a record and save what is ticked (a contact gets roles)."""
    from rapport.tui import data
    from rapport.tui.screens.links import GoalLinkScreen

    try:
        current = await screen.call(data.goal_links, kind, record_id)
    except RapportError as exc:
        screen.notify(str(exc), severity="error")
        return
    goals = await screen.rapport.choices("goal")
    wanted = await screen.app.push_screen_wait(
        GoalLinkScreen(f"Goals {label} serves", goals, current, with_role=kind == "contact")
    )
    if wanted is None:
        return
    await screen.write(
        data.save_goal_links,
        kind,
        record_id,
        current,
        wanted,
        done=lambda count: f"{label} now serves {count} goal{'s' if count != 1 else ''}",
        keep=record_id,
        contacts=kind == "contact",
    )
