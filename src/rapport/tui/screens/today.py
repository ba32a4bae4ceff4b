"""Today: overdue follow-ups, those due this week, this week's suggestions, then who is going
cold; act on each line."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static

from rapport import clock
from rapport.errors import RapportError
from rapport.services import agenda as agenda_service
from rapport.services import followups as followup_service
from rapport.services.agenda import FirstSteps, first_steps
from rapport.services.contacts import ContactRow, cold_among, going_cold
from rapport.services.followups import FollowUpRow
from rapport.services.warmth import WARMTH_LABELS, warmth_label
from rapport.tui.screens.base import TabScreen
from rapport.tui.text import day, listing, plural, relative
from rapport.tui.widgets.grouped import GroupedList, Heading
from rapport.tui.widgets.tables import Column

if TYPE_CHECKING:  # the review's code loads after Today is drawn (see _load_suggestions)
    from rapport.services.review import Suggestion

# Thirty thousand contacts can leave thousands going cold; Today shows the
# most overdue and says how many more there are.
COLD_SHOWN = 100
# The review ranks everyone worth a message; Today shows the top of that list.
SUGGESTIONS_SHOWN = 8
# The strongest reason for a suggestion, in the When column.
SUGGESTION_WORDS = {
    "thank-you": "say thank you",
    **{kind: WARMTH_LABELS[kind] for kind in ("cold", "never", "due")},  # as Review says
    "met": "just met",
    "referred": "new referral",
}


@dataclass(frozen=True)
class AgendaLine:
    """One line of Today: a follow-up, a suggestion for this week, or a contact going cold."""

    kind: str  # "followup", "suggestion" or "cold"
    id: int
    when: str
    what: str
    who: str
    goal: str
    contact_id: int | None
    overdue: bool = False
    due: dt.date | None = None
    person: str = ""
    why: str = ""  # a suggestion's reasons in full
    stamp: dt.datetime | None = None  # a follow-up's updated_at, for acting on it


def _followup_line(row: FollowUpRow, today: dt.date) -> AgendaLine:
    f = row
    due = relative(f.due_date, today)
    if f.due_time is not None:
        due += f" {f.due_time:%H:%M}"
    return AgendaLine(
        kind="followup",
        id=f.id,
        when=due,
        what=f.title,
        who=row.contact.name if row.contact else "",
        goal=listing(g.title for g in row.goals),
        contact_id=row.contact.id if row.contact else None,
        overdue=f.due_date < today,
        due=f.due_date,
        person=row.contact.name if row.contact else "",
        stamp=f.updated_at,
    )


def _cold_line(row: ContactRow, today: dt.date) -> AgendaLine:
    if row.last_contacted:
        what = f"last talked {relative(row.last_contacted, today)}"
    else:
        what = "nothing logged with them yet"
    what += f", every {plural(row.cadence_days or 0, 'day')}"
    return AgendaLine(
        kind="cold",
        id=row.id,
        # The review's warmth words: due, cold or never contacted.
        when=warmth_label(row.last_contacted, row.cadence_days, today),
        what=what,
        who=row.name + (f" ({row.organization})" if row.organization else ""),
        goal=listing(row.goals),
        contact_id=row.id,
        overdue=True,
        due=row.next_due,
        person=row.name,
    )


def followup_lines(days: int = agenda_service.WEEK) -> tuple[dt.date, list[object]]:
    """Overdue and this week's follow-ups under their headings (database thread)."""
    today = clock.today()
    rows = followup_service.due_followups(days, today=today)
    overdue = [r for r in rows if r.due_date < today]
    soon = [r for r in rows if r.due_date >= today]
    lines: list[object] = [Heading(f"Overdue ({len(overdue)})", "" if overdue else "nothing")]
    lines += [_followup_line(r, today) for r in overdue]
    lines.append(Heading(f"Due this week ({len(soon)})", "" if soon else "nothing"))
    lines += [_followup_line(r, today) for r in soon]
    return today, lines


def cold_lines(rows: list[ContactRow] | None, today: dt.date) -> list[object]:
    """Who is going cold, most overdue first (None: still loading)."""
    if rows is None:
        return [Heading("Going cold", "loading…")]
    cold = cold_among(rows, today)
    note = "nobody" if not cold else "time to get back in touch"
    if len(cold) > COLD_SHOWN:
        note = f"the {COLD_SHOWN} most overdue shown; all on Contacts, sorted by next touch"
    return [Heading(f"Going cold ({len(cold):,})", note)] + [
        _cold_line(r, today) for r in cold[:COLD_SHOWN]
    ]


def _suggestion_line(s: Suggestion, today: dt.date) -> AgendaLine:
    reasons = list(s.reasons)
    if s.kind in ("cold", "due", "never"):
        # The first reason names the goal, which has its own column: say when we talked.
        reasons[0] = (
            f"last talked {relative(s.last_contacted, today)}"
            if s.last_contacted
            else "nothing logged with them yet"
        )
    return AgendaLine(
        kind="suggestion",
        id=s.contact_id,
        when=SUGGESTION_WORDS.get(s.kind, s.kind),
        what="; ".join(reasons),
        who=s.name + (f" ({s.organization})" if s.organization else ""),
        goal=s.goal.title if s.goal else "",
        contact_id=s.contact_id,
        person=s.name,
        why=s.reason,
    )


def suggestion_lines(suggestions: list[Suggestion] | None, today: dt.date) -> list[object]:
    """This week's suggestions, best first (None: still being worked out)."""
    if suggestions is None:
        return [Heading("Suggestions for this week", "working them out…")]
    if not suggestions:
        return [Heading("Suggestions for this week (0)", "nobody owed a message this week")]
    return [
        Heading(
            f"Suggestions for this week ({len(suggestions)})",
            "whom to reach out to, strongest reason first",
        ),
        *(_suggestion_line(s, today) for s in suggestions),
    ]


WELCOME = (
    "[b]Welcome to rapport[/b]\n\n"
    "Keep your career goals, the people who can help with them, and the messages\n"
    "you owe them in one private file: you always know whom to talk to next.\n\n"
    "[b]Three first steps[/b]\n"
)
FIRST_STEPS = (
    ("goal", "g", "Add a goal", "what you are working towards"),
    ("contacts", "I", "Import contacts", "a LinkedIn export (Connections.csv) or a vCard file"),
    ("followup", "a", "Add a follow-up", "whom to write to, and by when"),
)
# Today's actions on a line, which have nothing to act on while it welcomes.
LINE_ACTIONS = {"done", "snooze", "open_contact", "log"}
# The first steps' own keys, in the footer only while Today welcomes.
WELCOME_ACTIONS = {"add_goal", "import", "first_followup"}


def welcome_text(steps: FirstSteps) -> str:
    """What rapport is for, and the three first steps with their keys (a ✓ once taken)."""
    lines = [
        f"  {'✓' if getattr(steps, name) else ' '} [b $accent]{key}[/]  {label:<17} [dim]{hint}[/]"
        for name, key, label, hint in FIRST_STEPS
    ]
    return WELCOME + "\n".join(lines) + "\n\n[dim]? lists every key; q quits.[/]"


def _style(line: AgendaLine) -> str:
    return "$text-error" if line.overdue and line.kind == "followup" else "$text-muted"


# Who is a name and its organization: a 22-letter "Firstname Lastname" shows
# whole from 100 columns (25 there, 32 at 120; 18 at 80, cut with "…").
COLUMNS: list[Column[AgendaLine]] = [
    # A day in words with its time ("2 months ago 08:30") takes up to 19 cells:
    # 16 where the room is short, whole where it is not.
    Column("when", "When", lambda r: r.when, min_width=16, max_width=19, style=_style),
    Column("what", "What", lambda r: r.what, min_width=16, weight=5),
    Column("who", "Who", lambda r: r.who, min_width=12, weight=4),
    Column(
        "goal", "Goal", lambda r: r.goal, min_width=10, weight=3, style=lambda r: "$text-accent"
    ),
]


class TodayScreen(TabScreen):
    """What needs doing now; every line can be acted on without leaving the tab."""

    MODE = "today"

    DEFAULT_CSS = """
    TodayScreen #welcome {
        height: auto;
        padding: 1 2;
    }
    TodayScreen #today-why {
        display: none;
        height: auto;
        max-height: 3;
        padding: 0 1;
        color: $text-muted;
        background: $boost;
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self._cold: list[ContactRow] | None = None
        self._suggested: list[Suggestion] | None = None
        self._followups: tuple[dt.date, list[object]] | None = None
        # Held, not looked up: the suggestions can arrive as the app quits,
        # after Textual removed the screen's widgets (see ListScreen).
        self.title_line = Static("", id="today-title", markup=False)
        self.agenda = GroupedList(COLUMNS, id="agenda")
        self.why_line = Static("", id="today-why", markup=False)
        self.welcome = Static("", id="welcome")
        self.welcome.display = False
        self._steps: FirstSteps | None = None
        self._prefetched = False

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("d", "done", "Done"),
        Binding("z", "snooze", "Snooze"),
        Binding("u", "undo", "Undo done/snooze", show=False),
        Binding("g", "add_goal", "Add goal"),
        Binding("I", "import", "Import contacts"),
        Binding("a", "first_followup", "Add follow-up"),
        Binding("a", "add_followup", "Add follow-up", show=False),
        Binding("o", "open_contact", "Open contact"),
        Binding("l", "log", "Log interaction"),
    ]
    # What a person does with a follow-up due or someone going cold (done,
    # snooze, log what happened) before opening their contact; on a first run,
    # the first steps.
    FOOTER_FIRST = ("add_goal", "import", "first_followup", "done", "snooze", "log")

    def compose_body(self) -> ComposeResult:
        yield self.title_line
        yield self.welcome
        yield self.agenda
        yield self.why_line

    @property
    def welcoming(self) -> bool:
        return bool(self.welcome.display)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # While it welcomes, the footer shows the first steps, not line actions.
        if action in LINE_ACTIONS:
            return not self.welcoming
        if action in WELCOME_ACTIONS:
            return self.welcoming
        return True

    def on_mount(self) -> None:
        self.agenda.focus()

    async def load_now(self, keep: int | None) -> None:
        # Follow-ups come quickly; then who is going cold, read for the contacts
        # with a cadence alone (30,000 contacts: 40 ms, where the whole contact
        # list took 0.4 s).  The contact list (shared with Contacts and the
        # pickers) loads after that, so the Contacts tab opens at once.
        # This week's suggestions come last: they come with the review of every
        # goal, which takes about a second in a large network.
        # Who is going cold is asked with the follow-ups, not after them: the
        # database thread reads it while this one draws the follow-ups (at
        # 30,000 contacts 28 ms read, 16 drawn).
        version = self.rapport.data_version
        self._steps = await self.call(first_steps)
        followups = asyncio.ensure_future(self.call(followup_lines))
        cold = asyncio.ensure_future(
            self.rapport.cached("going-cold", going_cold, contacts_only=True)
        )
        try:
            self._followups = await followups
            self._redraw()
            self._cold = await cold
        except BaseException:
            # The follow-ups failed or this load was cancelled: so is the other read.
            cold.cancel()
            with contextlib.suppress(BaseException):
                await cold
            raise
        self.loaded_version = version
        self._redraw()
        await self.rapport.contacts()
        self._load_suggestions()
        if not self._prefetched:
            self._prefetched = True
            self._prefetch_followups()

    @work(group="prefetch")
    async def _prefetch_followups(self) -> None:
        # Once, after the suggestions: the Follow-ups tab then opens on them.
        from rapport.tui.screens.followups import followup_list

        await followup_list(self.rapport, "open")

    @work(exclusive=True, group="suggest")
    async def _load_suggestions(self) -> None:
        from rapport.tui.screens.review import whole_review

        try:
            whole = await whole_review(self.rapport)
        except RapportError as exc:
            self.notify(str(exc), title="Could not work out suggestions", severity="error")
            return
        self._suggested = list(whole.suggestions[:SUGGESTIONS_SHOWN])
        self._redraw()

    def _redraw(self) -> None:
        if self._followups is None:
            return
        today, followups = self._followups
        self._show(
            today,
            followups + suggestion_lines(self._suggested, today) + cold_lines(self._cold, today),
        )

    def _show(self, today: dt.date, lines: list[object]) -> None:
        count = sum(isinstance(x, AgendaLine) for x in lines)
        # A new network, with nothing to look at yet: say what rapport is for.
        steps = self._steps
        welcoming = not count and steps is not None and steps.welcome
        title = f"Today, {day(today)}"
        self.title_line.update(
            title if welcoming else f"{title}  ·  {plural(count, 'thing')} to look at"
        )
        if welcoming and steps is not None:
            self.welcome.update(welcome_text(steps))
        if welcoming != self.welcoming:
            self.welcome.display = welcoming
            self.agenda.display = not welcoming
            self.refresh_bindings()
        current = self.line
        self.agenda.show(
            lines,
            keep=None
            if current is None
            else lambda line: (line.kind, line.id) == (current.kind, current.id),
        )

    @property
    def line(self) -> AgendaLine | None:
        current = self.agenda.current
        return current if isinstance(current, AgendaLine) else None

    def _followup(self) -> AgendaLine | None:
        line = self.line
        if line is not None and line.kind != "followup":
            self.notify(
                "That line is a person, not a follow-up: press l to log a touch with them.",
                timeout=4,
            )
            return None
        return line

    def action_first_followup(self) -> None:
        self.action_add_followup()

    @work(exclusive=True, group="act")
    async def action_add_followup(self) -> None:
        from rapport.tui.screens.forms import followup_form

        await self.run_form(
            followup_form(self.rapport), lambda f: f"Added: {f.title}", contacts=False
        )

    @work(exclusive=True, group="act")
    async def action_add_goal(self) -> None:
        from rapport.tui.screens.forms import goal_form

        await self.run_form(
            goal_form(self.rapport), lambda g: f"Added the goal: {g.title}", contacts=False
        )

    def action_import(self) -> None:
        self.rapport.action_import_contacts()

    @work(exclusive=True, group="act")
    async def action_done(self) -> None:
        from rapport.tui.screens.followups import mark_done

        line = self._followup()
        if line is not None:
            await mark_done(self, line.id, line.stamp)

    @work(exclusive=True, group="act")
    async def action_snooze(self) -> None:
        from rapport.tui.screens.followups import snooze

        line = self._followup()
        if line is not None and line.due is not None:
            await snooze(self, line.id, line.what, line.due, line.stamp)

    @work(exclusive=True, group="act")
    async def action_undo(self) -> None:
        from rapport.tui.screens.followups import undo_last

        await undo_last(self)

    async def action_open_contact(self) -> None:
        line = self.line
        if line is None or line.contact_id is None:
            self.notify("This line is not about anyone.", timeout=3)
            return
        await self.rapport.open_contact(line.contact_id)

    @on(GroupedList.Highlighted, "#agenda")
    def _why(self, event: GroupedList.Highlighted) -> None:
        """Under the list, the full reasons of the suggestion the cursor is on."""
        line = event.row
        why = self.why_line
        shown = isinstance(line, AgendaLine) and line.kind == "suggestion"
        why.display = shown
        if shown:
            why.update(f"Why: {line.why}")

    @on(GroupedList.Chosen, "#agenda")
    async def _chosen(self) -> None:
        await self.action_open_contact()

    @work(exclusive=True, group="act")
    async def action_log(self) -> None:
        line = self.line
        if line is not None:
            await self.log_with(line.contact_id, line.person)
