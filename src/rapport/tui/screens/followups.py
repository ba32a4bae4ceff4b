"""Follow-ups: what I owe whom by when; done, snoozed, linked to goals, exported to a calendar."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import work
from textual.binding import Binding, BindingType

from rapport import clock
from rapport.errors import RapportError, ValidationError
from rapport.services import followups as followup_service
from rapport.services import interviews as interview_service
from rapport.services import undo as undo_service
from rapport.services.followups import FollowUpDetail
from rapport.services.undo import Undone
from rapport.tui.data import interview_choice
from rapport.tui.screens.base import Deletion, ListScreen, RecordForms, TabScreen, edit_goal_links
from rapport.tui.screens.dialogs import PromptModal, Snooze, SnoozeModal
from rapport.tui.screens.forms import followup_form
from rapport.tui.text import day, listing, relative
from rapport.tui.widgets.detail import Sheet
from rapport.tui.widgets.fields import Choice
from rapport.tui.widgets.tables import Column, haystack
from rapport.words import plural, rule_words

if TYPE_CHECKING:
    from rapport.tui.host import RapportHost

VIEWS = ("open", "done", "all")


def export_followups(path: Path) -> str:
    """Write the open follow-ups to an iCalendar file, as `rapport export ics -o`
    does (database thread).  Returns what to tell the person."""
    # icalendar is imported only when a person exports.
    from rapport.services.calendar_files import export_followups_file

    summary = export_followups_file(path)
    wrote = plural(summary.total, "follow-up")
    return f"Wrote {wrote} to {path}; import it into your calendar"


def file_path(example: str) -> Callable[[str], Path]:
    """A cleaner of where to write a file: a file path whose folder exists
    (``example``, like "rapport.ics", is what the messages suggest)."""

    def clean(text: str) -> Path:
        raw = text.strip()
        if not raw:
            raise ValidationError("file", f"give a file name, like ~/{example}")
        path = Path(raw).expanduser()
        if path.is_dir():
            raise ValidationError(
                "file", f"{path} is a folder; add a file name, like {path}/{example}"
            )
        if not path.parent.is_dir():
            raise ValidationError("file", f"the folder {path.parent} does not exist")
        return path

    return clean


ics_path = file_path("rapport.ics")


@dataclass(frozen=True)
class FollowUpLine:
    id: int
    title: str
    due: dt.date
    time: dt.time | None
    contact_id: int | None
    contact: str
    goals: str
    repeat: str
    done: bool
    stamp: dt.datetime  # its updated_at: an action on it is refused if it changed since


def followup_rows(view: str) -> tuple[list[FollowUpLine], list[str]]:
    rows = [
        FollowUpLine(
            id=r.id,
            title=r.title,
            due=r.due_date,
            time=r.due_time,
            contact_id=r.contact.id if r.contact else None,
            contact=r.contact.name if r.contact else "",
            goals=listing(g.title for g in r.goals),
            repeat=rule_words(r.rrule),
            done=r.done,
            stamp=r.updated_at,
        )
        for r in followup_service.list_followups(status=view)
    ]
    return rows, [haystack(r.title, r.contact, r.goals) for r in rows]


async def followup_list(host: RapportHost, view: str) -> tuple[list[FollowUpLine], list[str]]:
    """The follow-ups of ``view`` for the tab, loaded once per change: Today loads
    the open ones ahead, so the tab's first opening finds them (5,000: 0.1 s)."""
    return await host.cached(f"followups-{view}", partial(followup_rows, view))


# Done and snooze, from this tab and from Today: the follow-up as the person
# saw it (``stamp``, its updated_at) is what they act on (Conflict otherwise).


async def mark_done(
    screen: TabScreen, followup_id: int, stamp: dt.datetime | None, *, keep: int | None = None
) -> None:
    await screen.write(
        followup_service.complete_followup,
        followup_id,
        expected_updated_at=stamp,
        done=lambda f: (
            f"Done: {f.title}"
            + (" (u undoes it)" if f.done else f" (next on {day(f.due_date)}; u undoes it)")
        ),
        keep=keep,
        contacts=False,
    )


async def snooze(
    screen: TabScreen,
    followup_id: int,
    title: str,
    due: dt.date,
    stamp: dt.datetime | None,
    *,
    keep: int | None = None,
) -> None:
    """Ask how long (+1d, +1w, a date), then move the follow-up."""
    choice: Snooze | None = await screen.app.push_screen_wait(SnoozeModal(title, due))
    if choice is not None:
        await screen.write(
            followup_service.snooze_followup,
            followup_id,
            by=choice.by,
            until=choice.until,
            expected_updated_at=stamp,
            done=lambda f: f"Snoozed to {day(f.due_date)}: {f.title} (u undoes it)",
            keep=keep,
            contacts=False,
        )


async def undo_last(screen: TabScreen) -> None:
    """Take back the last done or snooze (from any tab, or the command line): at
    once when it was made in this session; one made before the app was opened
    (days ago, or by `rapport followups undo`'s neighbour commands) the person may
    not remember, so u names it and when, and asks first."""
    pending = await screen.call(undo_service.newest)
    earlier = ""
    if pending is not None and pending.at < screen.rapport.session_started:
        earlier = pending.words()
        if not await screen.confirm(
            f"Undo {earlier}?",
            "That was before rapport was opened this time: u undoes what you did "
            "since at once, and asks about anything older.",
            yes="Undo",
            no="Keep",
            danger=False,
        ):
            return

    def said(undone: Undone) -> str:
        if undone.action == "done" and not undone.done:
            words = f"Undone: {undone.title} is open again, due {day(undone.due_date)}"
        else:
            words = f"Undone: {undone.title} is due {day(undone.due_date)} again"
        return words + (f" (undid {earlier})" if earlier else "")

    await screen.write(
        undo_service.undo_last,
        only=pending.undo_id if pending is not None else None,
        done=said,
        contacts=False,
    )


def followup_sheet(followup_id: int) -> Sheet:
    today = clock.today()
    f = followup_service.followup_detail(followup_id)
    sheet = Sheet().title(f.title, "done" if f.done else "open")
    due = day(f.due_date) + (f" {f.due_time:%H:%M}" if f.due_time else "")
    sheet.field(
        "Due",
        f"{due} ({relative(f.due_date, today)})",
        "$text-error" if not f.done and f.due_date < today else "",
    )
    sheet.field("Repeats", rule_words(f.rrule))
    if f.contact:
        sheet.field("With", f.contact.name)
        sheet.field("Reach them", listing([f.email, f.phone]))
    if f.interview_id:
        sheet.field("Interview", f"with {f.interview_with}")
    if f.event:
        sheet.field("Event", f.event.name)
    sheet.field("Goals", listing(goal.title for goal in f.goals) or "none (g links)")
    sheet.block("Notes", f.notes)
    return sheet


class FollowUpsScreen(ListScreen[FollowUpLine]):
    MODE = "followups"
    NOUN, NOUNS = "follow-up", "follow-ups"
    EMPTY = "No follow-ups yet. Press a to add one."

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add", "Add"),
        Binding("d", "done", "Done"),
        Binding("z", "snooze", "Snooze"),
        Binding("u", "undo", "Undo done/snooze", show=False),
        Binding("e", "edit", "Edit"),
        Binding("x", "export", "Export .ics"),
        Binding("g", "goals", "Goals", show=False),
        Binding("v", "view", "Open/done/all", show=False),
        Binding("o", "open_contact", "Open contact", show=False),
        Binding("l", "log", "Log", show=False),
        Binding("D,delete", "delete", "Delete", show=False),
    ]

    def __init__(self) -> None:
        self.view = "open"
        super().__init__()

    def columns(self) -> Sequence[Column[FollowUpLine]]:
        today = clock.today()

        def due(r: FollowUpLine) -> str:
            return relative(r.due, today) + (f" {r.time:%H:%M}" if r.time else "")

        return [
            Column(
                "due",
                "Due",
                due,
                min_width=16,
                max_width=19,  # "11 months ago 08:30", whole where there is room
                sort=lambda r: (r.due, r.time or dt.time()),
                style=lambda r: "$text-error" if not r.done and r.due < today else "",
            ),
            Column("title", "What", lambda r: r.title, min_width=18, max_width=60, weight=3),
            Column("contact", "With", lambda r: r.contact, min_width=10, max_width=30),
            # Past this, the rest of a long goal list is in the detail beside.
            Column("goals", "Goal", lambda r: r.goals, min_width=8, max_width=40),
            Column("repeat", "", lambda r: "↻" if r.repeat else ("✓" if r.done else ""), width=1),
        ]

    def filter_hint(self) -> str:
        return "what, who, goal"

    def status_prefix(self) -> str:
        return f"{self.view}: " if self.view != "open" else ""

    def empty_text(self) -> str:
        if self.table.total:
            return super().empty_text()
        if self.view == "done":
            return "Nothing done yet. d on a follow-up marks it done; v shows the others."
        return f"No {'open ' if self.view == 'open' else ''}follow-ups. Press a to add one."

    async def fetch(self) -> tuple[Sequence[FollowUpLine], Sequence[str]]:
        return await followup_list(self.rapport, self.view)

    def describe(self, row: FollowUpLine) -> Sheet:
        return followup_sheet(row.id)

    def forms(self) -> RecordForms[Any, Any]:
        return RecordForms(
            new=lambda: followup_form(self.rapport),
            stored=followup_with_links,
            edit=lambda stored: followup_form(self.rapport, *stored),
            added=lambda f: f"Added: {f.title}",
            saved=lambda f: f"Saved: {f.title}",
            contacts=False,
        )

    @work(exclusive=True, group="act")
    async def action_done(self) -> None:
        row = self.need()
        if row is None:
            return
        if row.done:
            await self.write(
                followup_service.reopen_followup,
                row.id,
                expected_updated_at=row.stamp,
                done=f"Reopened: {row.title}",
                keep=row.id,
                contacts=False,
            )
            return
        await mark_done(self, row.id, row.stamp, keep=row.id)

    @work(exclusive=True, group="act")
    async def action_snooze(self) -> None:
        row = self.need()
        if row is not None:
            await snooze(self, row.id, row.title, row.due, row.stamp, keep=row.id)

    @work(exclusive=True, group="act")
    async def action_undo(self) -> None:
        await undo_last(self)

    @work(exclusive=True, group="act")
    async def action_goals(self) -> None:
        row = self.need()
        if row is not None:
            await edit_goal_links(self, "followup", row.id, f"“{row.title}”")

    def show_everything(self) -> bool:
        if self.view == "all":
            return False
        self.view = "all"
        return True

    def action_view(self) -> None:
        self.view = VIEWS[(VIEWS.index(self.view) + 1) % len(VIEWS)]
        self.notify(f"Showing {self.view} follow-ups", timeout=2)
        self.reload()

    async def action_open_contact(self) -> None:
        row = self.need()
        if row is not None and row.contact_id is not None:
            await self.rapport.open_contact(row.contact_id)

    @work(exclusive=True, group="act")
    async def action_log(self) -> None:
        row = self.need()
        if row is not None:
            await self.log_with(row.contact_id, row.contact, keep=row.id)

    @work(exclusive=True, group="act")
    async def action_export(self) -> None:
        path = await self.app.push_screen_wait(
            PromptModal(
                "Export follow-ups to a calendar file",
                "File",
                self.rapport.last_paths.get("ics", str(Path("~/rapport-followups.ics"))),
                cleaner=ics_path,
                note="An .ics file Google, Apple and Outlook calendars can import.",
            )
        )
        if path is None:
            return
        self.rapport.last_paths["ics"] = str(path)
        try:
            message = await self.call(export_followups, path)
        except RapportError as exc:
            self.notify(str(exc), severity="warning", timeout=6)
            return
        self.notify(message, timeout=5)

    def deletion(self, row: FollowUpLine) -> Deletion:
        return Deletion(
            f"Delete the follow-up “{row.title}”?",
            "A calendar that imported it will see it cancelled at the next export.",
            followup_service.delete_followup,
            f"Deleted: {row.title}",
            contacts=False,
        )


def followup_with_links(
    followup_id: int,
) -> tuple[FollowUpDetail, Choice | None, Choice | None, Choice | None]:
    """A follow-up with its contact, event and interview as picker choices (database thread)."""
    f = followup_service.followup_detail(followup_id)
    contact = Choice(f.contact.id, f.contact.name) if f.contact else None
    event = Choice(f.event.id, f.event.name) if f.event else None
    interview = (
        interview_choice(interview_service.interview_row(f.interview_id))
        if f.interview_id
        else None
    )
    return f, contact, event, interview
