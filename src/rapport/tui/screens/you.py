"""You: the self-assessment: skills with their level, how they moved in 90 days and the
goals that need them; strengths, interests and values; one key to rate a skill."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from textual import work
from textual.binding import Binding, BindingType

from rapport import clock
from rapport.models import SKILL_LEVELS
from rapport.services import candidates as candidate_service
from rapport.services import expertise as expertise_service
from rapport.services import self_assessment as assessment_service
from rapport.services import skills as skill_service
from rapport.tui.screens.base import ListScreen
from rapport.tui.screens.form import FormScreen
from rapport.tui.screens.picker import PickerScreen
from rapport.tui.text import day, listing, short_day
from rapport.tui.widgets.detail import Sheet
from rapport.tui.widgets.fields import Choice, ChoiceField, DateField, TextField
from rapport.tui.widgets.tables import Column, haystack

TREND_DAYS = 90
LEVELS = [skill_service.level_label(n) for n in SKILL_LEVELS]


@dataclass(frozen=True)
class SkillLine:
    id: int
    name: str
    level: int | None
    label: str
    rated_on: dt.date | None
    moved: int | None  # levels moved in the last 90 days; None when not rated
    goals: str
    first: bool = False  # first rated within the 90 days: "new"


def trend(moved: int | None, first: bool = False) -> str:
    """``↑2``, ``↓1``, ``=`` over the last 90 days, ``new`` for a skill first rated
    within them; blank when not rated."""
    if moved is None:
        return ""
    if first:
        return "new"
    if moved == 0:
        return "="
    return ("↑" if moved > 0 else "↓") + str(abs(moved))


def skill_lines() -> tuple[list[SkillLine], list[str]]:
    """The self-assessment's skills (database thread)."""
    found = assessment_service.self_assessment()
    moved = assessment_service.moved_since(TREND_DAYS)
    # A skill rated once long ago has not moved in the 90 days: "=", not "new".
    since = clock.today() - dt.timedelta(days=TREND_DAYS)
    rows = [
        SkillLine(
            s.skill_id,
            s.name,
            s.level,
            s.label,
            s.rated_on,
            moved.get(s.skill_id) if s.level else None,
            ", ".join(s.needed_by),
            s.trend == "new" and s.rated_on is not None and s.rated_on > since,
        )
        for s in found.skills
    ]
    return rows, [haystack(r.name, r.label, r.goals) for r in rows]


def skill_sheet(skill_id: int) -> Sheet:
    """A skill's history and who needs it, then the strengths, interests and values."""
    history = assessment_service.skill_history(skill_id)
    sheet = Sheet().title(history.name, ", ".join(history.aliases))
    current = history.current
    sheet.field("Level", f"{current.label} since {day(current.date)}" if current else "not rated")
    if history.ratings:
        sheet.section(f"History ({len(history.ratings)})", "r rates it again")
        for rating in reversed(history.ratings):
            sheet.entry(day(rating.date), rating.label, rating.note)
    else:
        sheet.section("History", "r rates it")
    found = assessment_service.self_assessment()
    needed = next((s.needed_by for s in found.skills if s.skill_id == skill_id), ())
    experts = [
        e
        for items in expertise_service.contact_expertise().values()
        for e in items
        if e.skill_id == skill_id
    ]
    sheet.section(f"Who has it ({len(experts)})", "c confirms more from your notes")
    for e in sorted(experts, key=lambda e: (-(e.level or 0), e.contact)):
        unconfirmed = "" if e.confirmed else "from an import"
        sheet.entry("", e.contact, listing([skill_service.level_label(e.level), unconfirmed]))
    sheet.section("Goals that need it", "" if needed else "none")
    for title in needed:
        sheet.entry("", title)
    for heading, items in (
        ("Strengths", found.strengths),
        ("Interests", found.interests),
        ("Values", found.values),
    ):
        sheet.section(heading, "" if items else f'rapport me {heading.lower()[:-1]} "..."')
        for item in items:
            sheet.entry("", item.phrase, item.note)
    return sheet


def candidate_choices(skill_id: int) -> list[Choice]:
    """Contacts whose records mention the skill, not yet marked (database thread)."""
    return [
        Choice(c.contact_id, c.name, detail, haystack(c.name, detail))
        for c in candidate_service.candidates_for(skill_id)
        for detail in [listing([c.organization, c.matched[0] if c.matched else ""])]
    ]


def rating_form(name: str | None = None, level: int | None = None) -> FormScreen[Any]:
    """Rate a skill (a new one when ``name`` is None): level, note, date."""
    fields: list[Any] = []
    if name is None:
        fields.append(
            TextField("name", "Skill", cleaner=skill_service.clean_name, placeholder="SQL")
        )
    fields += [
        ChoiceField("level", "Level", LEVELS, skill_service.level_label(level or 3)),
        TextField("note", "Note", placeholder="what the rating rests on"),
        DateField("date", "Date", "today", with_time=False),
    ]

    def save(values: dict[str, Any]) -> assessment_service.RatingResult:
        when = values.get("date")
        return assessment_service.rate_skill(
            values.get("name") or name,
            values["level"],
            note=values.get("note") or "",
            date=when.date if when is not None else None,
        )

    # A new skill starts at its name; a known one at its level.
    first = "level" if name else "name"
    return FormScreen(f"Rate {name}" if name else "Rate a skill", fields, save, focus=first)


def rated_words(r: assessment_service.RatingResult) -> str:
    """The toast after a rating (a backdated one says the current level stays)."""
    stays = r.stays_said(lambda d: short_day(d, clock.today()))
    return f"Rated {r.name}: {r.rating.label}{stays}"


class YouScreen(ListScreen[SkillLine]):
    """Where you stand: your skills, and what you are good at, drawn to and care about."""

    MODE = "you"
    NOUN, NOUNS = "skill", "skills"
    EMPTY = 'No skill rated yet: a rates one (or rapport me skill "SQL" --level 3).'
    SORT = None

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "rate", "Rate this skill"),
        Binding("a", "add", "Rate a skill"),
        Binding("c", "candidates", "Confirm who has it"),
    ]
    # Rating a first skill (a) before filtering a handful of them.
    FOOTER_FIRST = ("add", "rate", "candidates", "filter")

    def columns(self) -> Sequence[Column[SkillLine]]:
        today = clock.today()
        return [
            Column("name", "Skill", lambda r: r.name, min_width=14, weight=3),
            Column("level", "Level", lambda r: r.label, width=13, sort=lambda r: -(r.level or 0)),
            Column(
                "trend",
                "90 days",
                lambda r: trend(r.moved, r.first),
                width=7,
                sort=lambda r: -(r.moved or 0),
            ),
            # As Goals' Target: "Wed 14 Oct" this year, "14 Oct 2025" before; the
            # column is as wide as the longest of these, so no date is ever cut.
            Column(
                "rated",
                "Rated",
                lambda r: short_day(r.rated_on, today),
                width=11,
                sort=lambda r: r.rated_on or dt.date.min,
            ),
            Column("goals", "Needed by", lambda r: r.goals, min_width=10, weight=3),
        ]

    def filter_hint(self) -> str:
        return "skill, level, goal"

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # "a" rates any skill, a new one too: its own form, not a forms() record
        # form, so the list's rule (no forms, no add) does not apply.
        if action == "add":
            return True
        return super().check_action(action, parameters)

    async def fetch(self) -> tuple[Sequence[SkillLine], Sequence[str]]:
        return await self.call(skill_lines)

    def describe(self, row: SkillLine) -> Sheet:
        return skill_sheet(row.id)

    @work(exclusive=True, group="act")
    async def action_rate(self) -> None:
        row = self.need()
        if row is not None:
            await self.run_form(
                rating_form(row.name, row.level),
                rated_words,
                keep=row.id,
                contacts=False,
            )

    @work(exclusive=True, group="act")
    async def action_candidates(self) -> None:
        """Tick the people whose notes, role or interviews mention the skill: they have it."""
        row = self.need()
        if row is None:
            return
        choices = await self.call(candidate_choices, row.id)
        if not choices:
            self.notify(f"Nobody you know mentions {row.name} (beyond those marked).", timeout=4)
            return
        picked = await self.app.push_screen_wait(
            PickerScreen(
                f"Who has {row.name}? (enter ticks, ctrl+s confirms)", choices, multiple=True
            )
        )
        if not picked:
            return
        await self.write(
            candidate_service.confirm_candidates,
            row.id,
            [c.id for c in picked],
            done=lambda done: f"Marked {len(done)} as having {row.name}",
            keep=row.id,
            contacts=False,
        )

    @work(exclusive=True, group="act")
    async def action_add(self) -> None:
        await self.run_form(
            rating_form(),
            rated_words,
            select_saved=False,
            contacts=False,
        )
