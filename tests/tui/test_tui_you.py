"""The You tab: where you stand, and one key to rate a skill.

What a person notices: pressing 8 shows their skills with the level's name,
how each moved in 90 days and the goals that need it; the detail holds the
history and their strengths, interests and values; r rates the skill under
the cursor and the list shows the new level at once.
"""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Any

from tui_helpers import notices, paste, press, screen_text, type_text

from rapport.services import candidates as candidate_service
from rapport.services import self_assessment as assessment_service


def test_you_shows_skills_with_levels_trend_and_goals(sample_db: Path, open_app: Any) -> None:
    async def scenario() -> None:
        async with open_app(sample_db) as pilot:
            await press(pilot, "8")
            screen = pilot.app.screen
            lines = {r.name: r for r in screen.table.matching}
            assert lines["Platform architecture"].label == "4 strong"
            assert lines["Interviewing"].moved == 1  # 2 learning 150 days ago, 3 now
            assert lines["Storytelling"].moved == 0
            # A skill first rated within the 90 days (Executive presence, 60 days
            # ago) is new; one rated once before them (Storytelling, 100 days ago)
            # has not moved in them.
            cells = [re.split(r"\s{2,}", line.strip()) for line in screen_text(pilot).splitlines()]
            trends = {row[0]: row[2] for row in cells if len(row) > 2}
            assert (
                trends["Executive presence"],
                trends["Storytelling"],
                trends["German"],
                trends["Interviewing"],
            ) == ("new", "=", "=", "↑1")
            assert lines["Budgeting"].label == "not rated yet"
            assert lines["Hiring"].goals.startswith("Five informational interviews")
            await press(pilot, "slash")
            await paste(pilot, "interviewing")
            await press(pilot, "enter")
            detail = screen.detail_pane.plain
            assert "3 practised since Thu 19 Nov 2026" in detail
            assert "Five informational interviews, prepared and done." in detail
            assert "explaining things" in detail and "autonomy" in detail

    asyncio.run(scenario())


def test_r_rates_the_skill_under_the_cursor(sample_db: Path, open_app: Any) -> None:
    async def scenario() -> None:
        async with open_app(sample_db) as pilot:
            await press(pilot, "8", "slash")
            await paste(pilot, "public speaking")
            await press(pilot, "enter", "r")
            await press(pilot, "right", "tab")  # level: 3 practised
            await paste(pilot, "Gave the meetup talk")
            await press(pilot, "ctrl+s")
            screen = pilot.app.screen
            assert screen.selected.label == "3 practised"
            assert "Gave the meetup talk" in screen.detail_pane.plain

    asyncio.run(scenario())
    history = assessment_service.skill_history("Public speaking")
    assert [(r.level, r.note) for r in history.ratings][-1] == (3, "Gave the meetup talk")


def test_a_backdated_rating_says_the_current_level_stays(sample_db: Path, open_app: Any) -> None:
    async def scenario() -> None:
        async with open_app(sample_db) as pilot:
            await press(pilot, "8", "slash")
            await paste(pilot, "public speaking")
            await press(pilot, "enter", "r", "left", "tab", "tab")  # level: 1 aware
            await press(pilot, "ctrl+a", "ctrl+k")
            await paste(pilot, "2026-10-25")
            await press(pilot, "ctrl+s")
            assert pilot.app.screen.selected.label == "2 learning"
            assert notices(pilot)[-1] == (
                "Rated Public speaking: 1 aware, kept in its history; the current level "
                "stays 2 learning, rated later (on Tue 3 Nov)"
            )

    asyncio.run(scenario())


def test_a_goal_shows_its_needs_and_who_can_help(sample_db: Path, open_app: Any) -> None:
    async def scenario() -> None:
        async with open_app(sample_db) as pilot:
            await press(pilot, "2", "slash")
            await paste(pilot, "climate")
            await press(pilot, "enter")
            detail = pilot.app.screen.detail_pane.plain
            assert "Skills it needs (3)" in detail
            lines = [" ".join(line.split()) for line in detail.splitlines()]
            assert (
                "2 levels to go Energy markets 1 aware → 3 practised, nobody you know has it"
                in lines
            )
            assert (
                "1 level to go Executive presence 3 practised → 4 strong, "
                "Grace O'Connell (5 expert, warm)" in lines
            )

    asyncio.run(scenario())


def test_c_confirms_people_whose_notes_mention_the_skill(sample_db: Path, open_app: Any) -> None:
    async def scenario() -> None:
        async with open_app(sample_db) as pilot:
            await press(pilot, "8", "slash")
            await paste(pilot, "public speaking")
            await press(pilot, "enter")
            assert "Who has it (2)" in pilot.app.screen.detail_pane.plain
            await press(pilot, "c")
            await press(pilot, "enter", "ctrl+s")  # tick Ruth Abebe, confirm
            detail = pilot.app.screen.detail_pane.plain
            assert "Who has it (3)" in detail and "Ruth Abebe" in detail

    asyncio.run(scenario())
    assert candidate_service.candidates("Public speaking") == []


def test_typing_a_name_in_the_who_has_it_picker_finds_them(sample_db: Path, open_app: Any) -> None:
    """The picker's choices carried no text to search: typing filtered out everyone."""

    async def scenario() -> None:
        async with open_app(sample_db) as pilot:
            await press(pilot, "8", "slash")
            await paste(pilot, "public speaking")
            await press(pilot, "enter", "c")
            await paste(pilot, "abebe")
            await press(pilot, "enter", "ctrl+s")
            detail = pilot.app.screen.detail_pane.plain
            assert "Who has it (3)" in detail and "Ruth Abebe" in detail

    asyncio.run(scenario())


def test_at_120_columns_the_rated_dates_are_whole(sample_db: Path, open_app: Any) -> None:
    async def scenario() -> list[str]:
        async with open_app(sample_db, (120, 40)) as pilot:
            await press(pilot, "8")
            return screen_text(pilot).splitlines()

    lines = asyncio.run(scenario())
    header = next(line for line in lines if "Rated" in line and "Needed by" in line)
    start = header.index("Rated")
    row = next(line for line in lines if "Platform architecture" in line)
    assert row[start:].startswith("Wed 14 Oct  ")
    rows = [line for line in lines if "practised" in line or "learning" in line]
    assert rows and not any("…" in line[start : start + 12] for line in rows)


def test_a_rates_a_skill_by_name_and_one_escape_leaves_its_form(
    sample_db: Path, open_app: Any
) -> None:
    async def scenario() -> tuple[str, bool, str]:
        async with open_app(sample_db, (120, 40)) as pilot:
            await press(pilot, "8")
            footer = screen_text(pilot).splitlines()[-1]
            await press(pilot, "a")
            title = pilot.app.screen.title_text
            await press(pilot, "escape")
            closed = not pilot.app.screen.is_modal
            await press(pilot, "a")
            await type_text(pilot, "Rust")
            await press(pilot, "ctrl+s")  # at the level it offers, 3 practised
            return footer + "|" + title, closed, screen_text(pilot)

    said, closed, after = asyncio.run(scenario())
    assert "a Rate a skill" in said and said.endswith("|Rate a skill")
    assert closed
    assert any("Rust" in line and "3 practised" in line for line in after.splitlines())
