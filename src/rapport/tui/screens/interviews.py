"""Informational interviews: questions before, notes and advice after, referrals, the thank-you."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from textual import work
from textual.binding import Binding, BindingType

from rapport import clock
from rapport.services import interviews as interview_service
from rapport.services.followups import FollowUpRow
from rapport.services.interviews import InterviewRow
from rapport.tui.data import interview_choice
from rapport.tui.screens.base import Deletion, ListScreen, RecordForms, edit_goal_links
from rapport.tui.screens.forms import (
    complete_interview_form,
    followup_form,
    interview_form,
    referrals_form,
)
from rapport.tui.text import day, listing, relative, short_day
from rapport.tui.widgets.detail import Sheet
from rapport.tui.widgets.fields import Choice
from rapport.tui.widgets.tables import Column, haystack


@dataclass(frozen=True)
class InterviewLine:
    id: int
    contact_id: int
    contact: str
    date: dt.date | None
    time: dt.time | None
    status: str
    thank_you_sent: bool
    order: int


def interview_rows() -> tuple[list[InterviewLine], list[str]]:
    rows = [
        InterviewLine(
            id=r.id,
            contact_id=r.contact.id,
            contact=r.contact.name,
            date=r.scheduled_date,
            time=r.scheduled_time,
            status=r.status,
            thank_you_sent=r.thank_you_sent,
            order=index,
        )
        for index, r in enumerate(interview_service.list_interviews())
    ]
    return rows, [haystack(r.contact, r.status) for r in rows]


def interview_with_contact(interview_id: int) -> tuple[InterviewRow, Choice]:
    """An interview and whom it is with, for its forms (database thread)."""
    interview = interview_service.interview_row(interview_id)
    return interview, Choice(interview.contact.id, interview.contact.name)


def interview_sheet(interview_id: int) -> Sheet:
    today = clock.today()
    iv = interview_service.interview_detail(interview_id)
    sheet = Sheet().title(f"Interview with {iv.contact.name}", iv.status)
    if iv.scheduled_date:
        when = day(iv.scheduled_date)
        if iv.scheduled_time:
            when += f" {iv.scheduled_time:%H:%M}"
        sheet.field("When", f"{when} ({relative(iv.scheduled_date, today)})")
    else:
        sheet.field("When", "not scheduled")
    sheet.field("Thank-you", "sent" if iv.thank_you_sent else "not sent yet")
    sheet.field("Goals", listing(goal.title for goal in iv.goals) or "none (g links)")
    sheet.block("Questions", iv.questions)
    sheet.block("Notes", iv.notes)
    sheet.block("Advice", iv.advice)
    referrals = iv.referrals
    if referrals:
        sheet.section(f"Referred me to ({len(referrals)})", "r adds more")
        sheet.text(listing(p.name for p in referrals))
    return sheet


def _when(row: InterviewLine) -> str:
    if row.date is None:
        return "not scheduled"
    text = short_day(row.date, clock.today())
    return text + (f" {row.time:%H:%M}" if row.time else "")


class InterviewsScreen(ListScreen[InterviewLine]):
    MODE = "interviews"
    NOUN, NOUNS = "interview", "interviews"
    EMPTY = "No interviews yet. Press a to plan one."

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add", "Add"),
        Binding("e", "edit", "Edit"),
        Binding("d", "complete", "Done"),
        Binding("r", "referrals", "Referrals"),
        Binding("g", "goals", "Goals"),
        Binding("f", "follow_up", "Follow-up", show=False),
        Binding("l", "log", "Log", show=False),
        Binding("o", "open_contact", "Open contact", show=False),
        Binding("D,delete", "delete", "Delete", show=False),
    ]

    def columns(self) -> Sequence[Column[InterviewLine]]:
        return [
            Column("when", "When", _when, min_width=16, max_width=19, sort=lambda r: r.order),
            Column("contact", "With", lambda r: r.contact, min_width=14),
            Column("status", "Status", lambda r: r.status, width=9),
            Column(
                "thanks",
                "Thank-you",
                lambda r: "sent" if r.thank_you_sent else ("owed" if r.status == "done" else ""),
                width=9,
                style=lambda r: (
                    "$text-warning" if r.status == "done" and not r.thank_you_sent else ""
                ),
            ),
        ]

    def filter_hint(self) -> str:
        return "name, status"

    async def fetch(self) -> tuple[Sequence[InterviewLine], Sequence[str]]:
        return await self.call(interview_rows)

    def describe(self, row: InterviewLine) -> Sheet:
        return interview_sheet(row.id)

    def forms(self) -> RecordForms[Any, Any]:
        return RecordForms(
            new=lambda: interview_form(self.rapport),
            stored=interview_with_contact,
            edit=lambda stored: interview_form(self.rapport, *stored),
            added=lambda iv: "Interview planned",
            saved=lambda iv: "Interview saved",
        )

    @work(exclusive=True, group="act")
    async def action_complete(self) -> None:
        row = self.need()
        if row is None:
            return

        def said(result: tuple[InterviewRow, FollowUpRow | None]) -> str:
            followup = result[1]
            thanks = f"; thank-you due {day(followup.due_date)}" if followup else ""
            return f"Interview with {row.contact} done{thanks}"

        await self.run_edit(
            interview_with_contact,
            lambda stored: complete_interview_form(stored[0], stored[1].label),
            row.id,
            said,
            keep=row.id,
        )

    @work(exclusive=True, group="act")
    async def action_referrals(self) -> None:
        row = self.need()
        if row is not None:
            await self.run_form(
                referrals_form(self.rapport, row.id, row.contact),
                lambda people: f"Referrals: {listing(p.name for p in people)}",
                keep=row.id,
            )

    @work(exclusive=True, group="act")
    async def action_goals(self) -> None:
        row = self.need()
        if row is not None:
            await edit_goal_links(self, "interview", row.id, f"The interview with {row.contact}")

    @work(exclusive=True, group="act")
    async def action_follow_up(self) -> None:
        row = self.need()
        if row is None:
            return
        interview, contact = await self.call(interview_with_contact, row.id)
        await self.run_form(
            followup_form(self.rapport, contact=contact, interview=interview_choice(interview)),
            lambda f: f"Follow-up due {day(f.due_date)}: {f.title}",
            keep=row.id,
            contacts=False,
        )

    @work(exclusive=True, group="act")
    async def action_log(self) -> None:
        row = self.need()
        if row is not None:
            await self.log_with(row.contact_id, row.contact, keep=row.id)

    async def action_open_contact(self) -> None:
        row = self.need()
        if row is not None:
            await self.rapport.open_contact(row.contact_id)

    def deletion(self, row: InterviewLine) -> Deletion:
        return Deletion(
            f"Delete the interview with {row.contact}?",
            "Its notes, advice and referral records go too; the people stay.",
            interview_service.delete_interview,
            f"Deleted the interview with {row.contact}",
        )
