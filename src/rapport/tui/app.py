"""RapportApp: the tabs, the keys that open them, the command palette, and the shared caches.

``RapportApp(db_path=...)`` is the one way to build the app (``rapport``,
``rapport demo`` and the tests all use it).  Every database call goes
through ``app.backend`` (one database thread); ``app.changed()`` after a
write makes every tab and picker reload what it shows when next opened.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from functools import partial
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar, cast

from textual import events, work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.dom import DOMNode
from textual.notifications import Notification, Notify, SeverityLevel
from textual.reactive import reactive
from textual.screen import ModalScreen, Screen
from textual.worker import Worker

from rapport import clock, heap
from rapport.db import data_version
from rapport.errors import RapportError
from rapport.tui import data
from rapport.tui.backend import Backend
from rapport.tui.host import RapportHost
from rapport.tui.screens.base import TabScreen
from rapport.tui.widgets.fields import Choice, PickerField
from rapport.tui.widgets.navbar import TABS
from rapport.tui.widgets.sync_status import SyncProgress

if TYPE_CHECKING:  # the import's code loads when a person imports, not with the app
    from rapport.services.exchange import ImportSummary
    from rapport.tui.screens.contacts import ContactsScreen
    from rapport.tui.screens.organizations import OrganizationsScreen

T = TypeVar("T")

# Workers that open a dialog or write (a tab's action, a form's picker): the
# keys typed after one wait until it is done or its dialog has the focus.
OPENING = {"act", "picker"}
# A safety valve only: a key waits this long at most for what the key before
# it started (a database busy for longer than this is stuck, not slow).
HOLD_SECONDS = 30.0
# Keys that never wait in line: leaving the app works however busy it is.
UNQUEUED = {"ctrl+q", "ctrl+c"}
KEY_WAIT_SECONDS = 2.0  # a widget busier than this gets the next key anyway
KEY_PASSES = 5  # rounds of messages a key may set off before the next key goes
# From this many contacts, the heap is settled after each load (RapportApp.loaded).
SETTLE_FROM_CONTACTS = 5_000
# One notification on screen at a time per this many rows of terminal (at least one).
TOAST_ROWS = 10

# The views under a tab: (key, mode, name) as the palette lists them.
VIEWS = (
    ("O on Contacts", "organizations", "Organizations"),
    ("L on Contacts", "interactions", "Interactions"),
)

# Where each tab's screen (and each view's) lives: a tab's module, and what
# only it uses (a form, the review's services), loads when it is first opened.
SCREENS = {
    "today": "today:TodayScreen",
    "goals": "goals:GoalsScreen",
    "contacts": "contacts:ContactsScreen",
    "interviews": "interviews:InterviewsScreen",
    "events": "events:EventsScreen",
    "followups": "followups:FollowUpsScreen",
    "review": "review:ReviewScreen",
    "you": "you:YouScreen",
    # Views under Contacts (O and L there), not tabs of their own.
    "organizations": "organizations:OrganizationsScreen",
    "interactions": "interactions:InteractionsScreen",
}


def tab_screen(mode: str) -> type[TabScreen]:
    """The screen class of a tab or view, its module imported if it is not yet."""
    module, name = SCREENS[mode].split(":")
    screen: type[TabScreen] = getattr(import_module(f"rapport.tui.screens.{module}"), name)
    return screen


def open_tab(mode: str) -> TabScreen:
    """A new screen for a tab (Textual calls it, from ``RapportApp.MODES``)."""
    return tab_screen(mode)()


def _action_words(action: str) -> str:
    """An action's name as words ("refresh", "export ics"): what a person may
    type in the palette for a command whose words are others."""
    return action.partition("(")[0].replace("_", " ")


class ActionCommands(Provider):
    """Every action of the open tab, the tabs themselves, and the other tabs'
    actions (``Follow-ups: Export .ics`` opens Follow-ups, then exports), those
    a tab's dialog reaches too (``Review: Export the weekly check-in``)."""

    def _commands(self) -> list[tuple[str, str, Callable[[], Any], str]]:
        """(name, help, what it runs, its action's words) of each command."""
        from rapport.tui.screens.keys import screen_keys, tab_keys

        app = self.app
        screen = self.screen
        # Over a dialog, what its footer shows (its own keys): the tabs, the
        # search box and the tabs' actions wait until it is done.
        dialog = isinstance(screen, ModalScreen)
        found: dict[str, tuple[str, str, Callable[[], Any], str]] = {}
        for binding, node, _ in screen_keys(app, screen):
            if dialog and node is app:
                continue
            name = binding.description
            found[name] = (
                name,
                f"key: {app.get_key_display(binding)}",
                partial(app.run_action, binding.action, node),
                _action_words(binding.action),
            )
        if dialog:
            return list(found.values())
        for keys, name, action in getattr(screen, "DIALOG_ACTIONS", ()):
            found.setdefault(
                name,
                (name, f"keys: {keys}", partial(screen.run_action, action), _action_words(action)),
            )
        # The palette is a dialog, where the search box does not open from a key.
        found["Search"] = (
            "Search",
            "key: ^f, everything as you type",
            partial(app.run_action, "search"),
            "find",
        )
        for key, mode, label in (*TABS, *VIEWS):
            name = f"Go to {label}"
            found.setdefault(
                name, (name, f"key: {key}", partial(app.run_action, f"tab('{mode}')"), "")
            )
        here = getattr(screen, "MODE", "")
        for key, mode, label in (*TABS, *VIEWS):
            if mode == here:
                continue
            tab = tab_screen(mode)
            reached = [
                (f"key: {app.get_key_display(b)}", b.description, b.action)
                for b in tab_keys(tab)
                if b.key != "escape"  # back, leave the filter: nothing to do from elsewhere
            ]
            reached += [
                (f"keys: {keys}", what, action) for keys, what, action in tab.DIALOG_ACTIONS
            ]
            for keys, what, action in reached:
                name = f"{label}: {what}"
                found.setdefault(
                    name,
                    (
                        name,
                        f"{keys} on {label} ({key})",
                        partial(self._run_on_tab, mode, action),
                        _action_words(action),
                    ),
                )
        return list(found.values())

    async def _run_on_tab(self, mode: str, action: str) -> None:
        """Open the tab, and once its list is there, run the action on it."""
        app = self.app
        await app.switch_mode(mode)
        screen = app.screen
        if isinstance(screen, TabScreen):
            await screen.wait_loaded()
        await screen.run_action(action)

    async def discover(self) -> Hits:
        for name, help_text, command, _ in self._commands():
            yield DiscoveryHit(name, command, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, command, words in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), command, help=help_text)
            elif words and (score := matcher.match(words)) > 0:
                # "refresh" finds "Reload from the database" by its action's name.
                yield Hit(score, name, command, help=help_text)


class RapportApp(App[None]):
    """The terminal app on one rapport database."""

    TITLE = "rapport"
    CSS_PATH = "rapport.tcss"
    # Each tab's screen is built, and its module imported, when the tab is
    # first opened: the app starts with Today's code alone (see tab_screen).
    MODES = {mode: partial(open_tab, mode) for mode in SCREENS}  # noqa: RUF012
    DEFAULT_MODE = "today"
    # While a sync runs: its step and counts (see widgets.sync_status); None otherwise.
    sync_progress: reactive[SyncProgress | None] = reactive(None)
    # How often the app looks for writes made by another rapport (one cheap
    # PRAGMA on the database thread), so an open tab shows them.
    POLL_SECONDS: ClassVar[float] = 2.0
    COMMANDS = App.COMMANDS | {ActionCommands}
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]  # noqa: RUF012

    BINDINGS: ClassVar[list[BindingType]] = [
        # Priority: a tab key opens the tab before the keys typed after it are
        # read, so they act on the new tab ("3/dana" filters Contacts).
        *(
            Binding(key, f"tab('{mode}')", label, show=False, priority=True)
            for key, mode, label in TABS
        ),
        Binding("ctrl+f", "search", "Search"),
        Binding("question_mark", "keys", "Keys"),
        Binding("ctrl+r,f5", "refresh", "Reload from the database", show=False),
        Binding("I", "import_contacts", "Import contacts from a file", show=False),
        Binding("Y", "sync", "Sync with your phone (rapport sync)", show=False),
        Binding("q", "quit", "Quit"),
    ]

    def __init__(self, db_path: Path | str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.db_path = Path(db_path)
        self.backend = Backend(self.db_path)
        self.data_version = 0
        # When this session began (naive UTC, as rapport stores times): u takes
        # back a done or snooze made since at once, and asks about an older one.
        self.session_started = clock.utcnow()
        self.contacts_version = 0
        self._cache: dict[str, tuple[int, Any]] = {}
        self._cache_locks: dict[str, asyncio.Lock] = {}
        self._outside: int | None = None
        # Keys typed ahead, waiting for the one before to be handled.
        self._held: list[events.Key] = []
        self._pumping = False
        self._hold: tuple[Callable[[], bool], float] | None = None
        # The file each export dialog wrote last ("ics"), offered the next time.
        self.last_paths: dict[str, str] = {}
        # The notifications given, oldest first (see notify).
        self._toasts: list[Notification] = []

    def on_mount(self) -> None:
        self.run_worker(self.check_outside(), group="poll")
        self.set_interval(self.POLL_SECONDS, self._poll)

    def on_unmount(self) -> None:
        self.backend.close()

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """A notification, its words shown as written, a few at a time.

        Notifications carry names and notes ("Saved [bold]Ada"): they are
        never read as markup, whatever the caller (Textual's widgets pass
        ``markup=True`` by default), so brackets show and ``[/]`` cannot crash.

        Four "Done: …" in a row covered half an 80×24 screen: one toast is
        shown per TOAST_ROWS rows of terminal (two at 80×24), the oldest giving
        way (a warning or an error last), and the same words again replace the
        toast saying them.  Textual has no limit of its own; a toast goes when
        its notification expires, so those giving way are expired (``timeout``
        0) and the toasts redrawn (one closed by a click is forgotten at once:
        see _unnotify).
        (rapport notifies on the app's loop only, never from a thread.)
        """
        if timeout is None:
            timeout = self.NOTIFICATION_TIMEOUT
        said = (title, message, severity)
        shown = [
            n
            for n in self._toasts
            if not n.has_expired and (n.title, n.message, n.severity) != said
        ]
        # Room for the new one, and for this many of those shown before it.
        cut = max(0, len(shown) - (max(1, self.size.height // TOAST_ROWS) - 1))
        # The oldest give way, but a warning or an error (a save that failed)
        # only once no plain notice is left to go first: three Done in a row
        # must not take it off the screen before it is read.
        going = sorted(shown, key=lambda n: n.severity != "information")[:cut]
        for old in [*(n for n in self._toasts if n not in shown), *going]:
            old.timeout = 0
        note = Notification(message, title, severity, timeout, markup=False)
        self._toasts = [*(n for n in shown if n not in going), note]
        self.post_message(Notify(note))

    def _unnotify(self, notification: Notification, refresh: bool = True) -> None:
        # A toast closed by a click (or gone at its time) no longer takes the room
        # of one still shown.  Textual's Toast calls this private method on a
        # click, and nothing public (textual is pinned to 8.x, see tests/tui).
        if notification in self._toasts:
            self._toasts.remove(notification)
        super()._unnotify(notification, refresh)

    # -- data shared by the tabs ------------------------------------------------

    def changed(self, *, contacts: bool = True) -> None:
        """Something was written: every tab and cache reloads when next used.

        ``contacts=False`` says the write cannot change a contact's row (a
        follow-up, an event), so the contact list, the slowest thing to load
        in a large network, stays as it is.
        """
        self.data_version += 1
        if contacts:
            self.contacts_version += 1

    def loaded(self) -> None:
        """A tab finished loading; in a large network, settle the heap (see below)."""
        hit = self._cache.get("contacts")
        if hit is not None and len(hit[1].rows) >= SETTLE_FROM_CONTACTS:
            # After the frame that shows what was loaded (and the worker is done).
            self.call_after_refresh(self._settle_heap)

    def _settle_heap(self) -> None:
        # Typing brings a full collection every dozen keys or so (each frame
        # leaves strips in Textual's caches that live a while); see rapport.heap.
        heap.settle()

    async def check_outside(self) -> bool:
        """Whether another rapport wrote since the last look; if so, every tab and
        cache reloads when next used (this runs in a worker)."""
        try:
            version = await self.backend.call(data_version)
        except RapportError:
            return False  # the next look will tell; the tab says what failed when it loads
        seen, self._outside = self._outside, version
        if seen is None or seen == version:
            return False
        self.changed()
        return True

    def _poll(self) -> None:
        if any(w.group == "poll" and not w.is_finished for w in self.workers):
            return  # the database thread is busy (an import): look next time
        self.run_worker(self._refresh_from_outside(), group="poll")

    async def _refresh_from_outside(self) -> None:
        if await self.check_outside():
            # The tab in view shows it now; the others when they are opened.
            screen = self.screen
            if isinstance(screen, TabScreen):
                screen.reload()

    def action_refresh(self) -> None:
        """Read everything again (what another rapport wrote shows at once)."""
        self.changed()
        screen = self.screen
        if isinstance(screen, TabScreen):
            screen.reload()

    async def cached(self, name: str, loader: Callable[[], T], *, contacts_only: bool = False) -> T:
        """``loader()``'s result (run on the database thread), loaded once per change
        (once per change to contacts with ``contacts_only``)."""
        lock = self._cache_locks.setdefault(name, asyncio.Lock())
        async with lock:
            version = self.contacts_version if contacts_only else self.data_version
            hit = self._cache.get(name)
            if hit is not None and hit[0] == version:
                return hit[1]
            value = await self.backend.call(loader)
            self._cache[name] = (version, value)
            return value

    async def contacts(self) -> data.ContactIndex:
        return await self.cached("contacts", data.contact_index, contacts_only=True)

    async def choices(self, kind: str) -> list[Choice]:
        if kind == "contact":
            return (await self.contacts()).choices
        loaders = {
            "organization": data.organization_choices,
            "goal": data.goal_choices,
            "event": data.event_choices,
            "interview": data.interview_choices,
        }
        return await self.cached(f"{kind}-choices", loaders[kind])

    def opener(
        self, kind: str, title: str, *, multiple: bool = False, create: bool = False
    ) -> Callable[[PickerField], Any]:
        """What a picker field calls to let the person pick ``kind`` records."""

        async def pick(field: PickerField) -> list[Choice] | None:
            from rapport.tui.screens.picker import PickerScreen

            choices = await self.choices(kind)
            screen = PickerScreen(
                title,
                choices,
                multiple=multiple,
                chosen=field.chosen,
                create=kind if create else None,
                typed=field.typed,
            )
            return await self.push_screen_wait(screen)

        return pick

    # -- keys typed ahead ---------------------------------------------------------
    #
    # Textual hands each key to the widget with focus as it arrives, and looks
    # up the bindings as the key comes back up; keys typed quickly after one
    # that moves the focus or opens a form would reach the old place ("/dana"
    # would press "a", Add, on the list; "e" then "x" would archive).  So the
    # app takes one key at a time: the next waits until the last is handled,
    # and, when it started to open a dialog, until the dialog has the focus.
    #
    # Textual has no way of its own to do this (issue 18 asked; looked for
    # again in Textual 8.2): a binding's action runs as its own task, an action
    # that opens a dialog must be a worker (push_screen_wait), and neither tells
    # the key after it to wait; App has no input queue or hook for keys but
    # on_event, the one place every key passes before it is handed out.

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded and event.key not in UNQUEUED:
            self._held.append(event)
            if not self._pumping:
                self._pumping = True
                self.run_worker(self._pump_keys(), group="keys")
            return
        await super().on_event(event)

    async def _pump_keys(self) -> None:
        try:
            while self._held:
                while self._opening():
                    await asyncio.sleep(0.01)
                key = self._held.pop(0)
                before, screen = set(self.workers), self.screen
                target = self.focused or screen  # where Textual hands the key
                await super().on_event(key)
                await self._handled(target)
                self._hold_after(before, screen)
        finally:
            self._pumping = False

    async def _handled(self, target: DOMNode) -> None:
        """Wait until ``target`` and each node above it (the app last) have read
        what was sent to them: a key as it bubbles up to its binding, and the
        messages handling it posted on the way (an Input's Submitted)."""
        chain = [*(n for n in target.ancestors_with_self if n is not self), self]
        for _ in range(KEY_PASSES):
            for node in chain:
                done = asyncio.Event()
                if node.call_later(done.set):
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(done.wait(), KEY_WAIT_SECONDS)
            if not any(node.message_queue_size for node in chain):
                return

    def _hold_after(self, workers: set[Worker[Any]], screen: Screen[Any]) -> None:
        """After a key: the keys after it wait while what it started gets ready."""
        opening = [w for w in self.workers if w.group in OPENING and w not in workers]
        shown = self.screen
        if opening:
            worker = opening[0]

            def ready() -> bool:
                top = self.screen
                dialog = top is not screen and isinstance(top, ModalScreen)
                return worker.is_finished or (dialog and top.focused is not None)

        elif shown is not screen and isinstance(shown, TabScreen) and shown.loaded_version < 0:
            # A tab opened for the first time: "3" then "e" edits the first
            # contact once the list is there, rather than finding it empty.
            def ready() -> bool:
                return shown.load_tried or self.screen is not shown

        else:
            return
        self._hold = (ready, time.monotonic())

    def _opening(self) -> bool:
        """Whether what a key started is still getting ready."""
        if self._hold is None:
            return False
        ready, since = self._hold
        if ready() or time.monotonic() - since > HOLD_SECONDS:
            self._hold = None
            return False
        return True

    # -- moving between tabs ------------------------------------------------------

    async def action_tab(self, mode: str) -> None:
        """Open a tab, and only then read the next key: "3/dana" typed at once
        filters Contacts rather than landing on a tab still being built."""
        await self.switch_mode(mode)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # A number typed in a dialog (a ChoiceBar, a button) is not a tab key,
        # and a dialog is finished or closed before the search box opens.
        return not (action in ("tab", "search") and isinstance(self.screen, ModalScreen))

    async def open_contact(self, contact_id: int) -> None:
        """Show a contact on the Contacts tab (its archived view if need be)."""
        await self.switch_mode("contacts")
        screen = self.screen
        if isinstance(screen, tab_screen("contacts")):
            cast("ContactsScreen", screen).open_contact(contact_id)

    @work(group="act")
    async def action_search(self) -> None:
        """Search everything as you type; enter opens the result on its own tab."""
        from rapport.tui.screens.search import SearchScreen, open_hit

        hit = await self.push_screen_wait(SearchScreen())
        if hit is not None:
            await open_hit(self, hit)

    def action_import_contacts(self) -> None:
        """Import a LinkedIn, vCard, CSV or JSON file (a preview first, if wanted)."""
        from rapport.tui.screens.importing import ImportScreen, summary_note

        # The file of the last import (or preview) is offered again, as exports do:
        # LinkedIn's next export lands where the last one did.
        dialog = ImportScreen(self.last_paths.get("import", ""))

        def closed(imported: ImportSummary | None) -> None:
            if dialog.summary is not None:
                self.last_paths["import"] = dialog.path_field.raw
            # The tab below reloads as it comes back (app.changed() was called).
            if imported is not None:
                self.notify(summary_note(imported), timeout=6)

        self.push_screen(dialog, closed)

    def action_sync(self) -> None:
        """Run ``rapport sync`` in the background: its steps and counts above the footer
        as it goes, then what it did in words."""
        if self.sync_progress is not None:
            self.notify("A sync is running already.", title="Sync")
            return
        self.sync_progress = ("starting", 0, 0)
        self.run_worker(self._sync(), group="sync")

    async def _sync(self) -> None:
        # icalendar and vobject are loaded only when a sync runs (start-up time).
        from rapport.services.sync_round import RoundReport, round_steps

        loop = asyncio.get_running_loop()

        def progress(what: str, done: int, total: int) -> None:
            # On the thread the step runs on: the status line moves on the app's.
            loop.call_soon_threadsafe(self._sync_moved, (what, done, total))

        report = RoundReport()
        try:
            steps = await self.backend.call(round_steps)
        except RapportError as exc:
            # Nothing configured (or a folder missing): nothing was tried, so
            # neither "Syncing…" nor "failed" would be true.
            self.sync_progress = None
            self.notify(str(exc), title="Sync is not set up", severity="warning", timeout=12)
            return
        self.notify("Syncing with your phone…", title="Sync", timeout=4)
        try:
            for step in steps:
                if step.database:
                    await self.backend.call(step.run, report, progress)
                else:
                    # vdirsyncer talks to the server: off the database thread,
                    # so the tabs go on loading meanwhile.
                    await asyncio.to_thread(step.run, report, progress)
        except RapportError as exc:
            self.notify(str(exc), title="Sync failed", severity="error", timeout=12)
            return
        finally:
            self.sync_progress = None
            if report.passes:  # what came in before a failure is in the database too
                self._synced()
        self.notify(f"Synced: {report.words()}", title="Sync", timeout=8)

    def _sync_moved(self, progress: tuple[str, int, int]) -> None:
        if self.sync_progress is not None:  # a late word after the end changes nothing
            self.sync_progress = progress

    def _synced(self) -> None:
        self.changed()
        screen = self.screen
        if isinstance(screen, TabScreen):
            screen.reload()

    async def show_organization(self, organization_id: int | None) -> None:
        """Organizations, the cursor on this one."""
        await self.switch_mode("organizations")
        screen = self.screen
        if isinstance(screen, tab_screen("organizations")):
            cast("OrganizationsScreen", screen).open_organization(organization_id)

    async def show_contacts(self, text: str) -> None:
        """Contacts, filtered to ``text``."""
        await self.switch_mode("contacts")
        screen = self.screen
        if isinstance(screen, tab_screen("contacts")):
            cast("ContactsScreen", screen).show_matching(text)

    def action_keys(self) -> None:
        """Show the keys of the open tab (its own first), then those of every tab."""
        from rapport.tui.screens.keys import KeysScreen, screen_keys

        screen = self.screen
        if isinstance(screen, ModalScreen):
            return  # a dialog says its keys itself
        lines = [
            (self.get_key_display(binding), binding.description, everywhere)
            for binding, _, everywhere in screen_keys(self, screen)
        ]
        name = next((label for _, mode, label in (*TABS, *VIEWS) if mode == self.current_mode), "")
        self.push_screen(KeysScreen(f"Keys on {name}" if name else "Keys", lines))


# Screens type the app as RapportHost (rapport.tui.host); mypy checks here
# that the app is what they expect.
_AS_SCREENS_SEE_IT: type[RapportHost] = RapportApp
