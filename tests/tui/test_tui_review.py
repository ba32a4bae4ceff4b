"""Review: a goal's people and their warmth, acting on them, and the network by goal."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from textual.screen import ModalScreen
from tui_helpers import notices, paste, press, screen_text, settle

from rapport.services import followups as followup_service
from rapport.services import interactions as interaction_service
from rapport.services.resolve import resolve_followup
from rapport.services.review import Relationship

VP = "VP of Engineering at a climate company"
BERLIN = "Build a peer network in Berlin"


def screen(pilot: Any) -> Any:
    return pilot.app.screen


def line_text(widget: Any, index: int) -> str:
    return str(widget.get_option_at_index(index).prompt)


def people_lines(pilot: Any) -> dict[str, str]:
    """Each person's line in the relationship table, as shown (without colour)."""
    people = screen(pilot).people
    return {
        item.name: line_text(people, index)
        for index, item in enumerate(people.items)
        if isinstance(item, Relationship)
    }


def goal_line(pilot: Any, title: str) -> str:
    goals = screen(pilot).goal_list
    index = next(i for i, g in enumerate(goals.items) if getattr(g, "title", "") == title)
    return line_text(goals, index)


async def go_to_goal(pilot: Any, title: str) -> None:
    """Move down the goal list to ``title``, as a person would."""
    for _ in range(len(screen(pilot).goal_list.items)):
        if screen(pilot).goal_list.current.title == title:
            return
        await press(pilot, "down")
    raise AssertionError(f"{title} is not in the goal list")


async def go_to_person(pilot: Any, name: str) -> None:
    """Enter the goal's relationship table and move down to ``name``."""
    await press(pilot, "enter")
    assert pilot.app.focused is screen(pilot).people
    for _ in range(len(screen(pilot).people.items)):
        if screen(pilot).people.current.name == name:
            return
        await press(pilot, "down")
    raise AssertionError(f"{name} is not behind this goal")


def test_a_goal_shows_its_people_by_role_with_warmth_in_words(
    sample_db: Path, open_app: Any
) -> None:
    async def scenario() -> None:
        async with open_app(sample_db) as pilot:
            await press(pilot, "7")
            assert screen(pilot).goal_list.current.title == "Lead a platform team by 2027"
            await go_to_goal(pilot, VP)
            headings = [getattr(i, "title", "") for i in screen(pilot).people.items]
            assert headings[0] == "Mentor (1)"
            assert "Referrer (4)" in headings
            lines = people_lines(pilot)
            samir = "Samir Haddad  cold  7 months ago  4 months ago  0/0"
            assert lines["Samir Haddad"].split() == samir.split()
            assert lines["Grace O'Connell"].split()[2] == "warm"
            head = str(screen(pilot).query_one("#goal-head").render())
            assert "7 people: 6 warm · 1 cold" in head
            assert "target Sat 23 Nov 2030" in head
            assert goal_line(pilot, VP).split()[-2:] == ["6/7", "warm"]
            # A step shows as one right under its parent; apart from it, as a goal.
            assert goal_line(pilot, "Five informational interviews with platform EMs")[0] == "↳"
            assert goal_line(pilot, "Finish the new-manager course").startswith("Finish")
            more = screen(pilot).more.plain
            assert "SMART check  nothing missing" in more
            assert "Reciprocity  gave 1, asked 6, mutual 3" in more
            assert "you take more than you give" in more
            assert "Send Leila an updated CV" in more
            weeks = screen(pilot).query_one("#activity").data
            assert len(weeks) == 12 and sum(weeks) == 8

    asyncio.run(scenario())


def test_a_goal_with_nobody_says_what_it_lacks(sample_db: Path, open_app: Any) -> None:
    async def scenario() -> None:
        async with open_app(sample_db) as pilot:
            await press(pilot, "7")
            await go_to_goal(pilot, BERLIN)
            assert goal_line(pilot, BERLIN).split()[-1] == "nobody"
            assert [h.title for h in screen(pilot).people.items] == ["Nobody behind this goal yet"]
            more = screen(pilot).more.plain
            assert "It has no measure: how will you know it is reached?" in more
            assert "Nobody is linked to it: who could help you get there?" in more
            title = str(screen(pilot).query_one("#review-title").render())
            assert "1 with nobody behind it" in title
            await press(pilot, "l")  # nobody to log with: it says so, no form opens
            assert not isinstance(pilot.app.screen, ModalScreen)
            assert "Nobody is behind this goal yet" in notices(pilot)[-1]
            await press(pilot, "c")
            assert screen(pilot).title_text == f"Link contacts to “{BERLIN}”"

    asyncio.run(scenario())


def test_logging_an_interaction_warms_the_relationship(sample_db: Path, open_app: Any) -> None:
    async def scenario() -> None:
        async with open_app(sample_db) as pilot:
            await press(pilot, "7")
            await go_to_goal(pilot, VP)
            await go_to_person(pilot, "Samir Haddad")
            assert people_lines(pilot)["Samir Haddad"].split()[2] == "cold"
            await press(pilot, "l")
            assert screen(pilot).title_text == "Log a coffee with Samir Haddad"
            await paste(pilot, "Coffee about climate funds")
            await press(pilot, "ctrl+s")
            review = screen(pilot)
            assert review.MODE == "review"
            assert review.goal_list.current.title == VP
            assert review.people.current.name == "Samir Haddad"
            assert people_lines(pilot)["Samir Haddad"].split()[2:4] == ["warm", "today"]
            assert goal_line(pilot, VP).split()[-2:] == ["7", "warm"]
            assert "7 people: 7 warm" in str(review.query_one("#goal-head").render())

    asyncio.run(scenario())
    logged = interaction_service.list_interactions(contact="Samir Haddad", limit=1)
    assert logged[0].summary == "Coffee about climate funds"


def test_a_follow_up_added_from_a_goal_serves_it(sample_db: Path, open_app: Any) -> None:
    async def scenario() -> None:
        async with open_app(sample_db) as pilot:
            await press(pilot, "7")
            await go_to_goal(pilot, VP)
            await go_to_person(pilot, "Sofia Rossi")
            await press(pilot, "f")
            await paste(pilot, "Ask Sofia about the Helio hiring plan")
            await press(pilot, "ctrl+s")
            assert "Ask Sofia about the Helio hiring plan" in screen(pilot).more.plain

    asyncio.run(scenario())
    made = [
        r
        for r in followup_service.list_followups()
        if r.title == "Ask Sofia about the Helio hiring plan"
    ]
    assert made[0].contact is not None and made[0].contact.name == "Sofia Rossi"
    assert [g.title for g in made[0].goals] == [VP]


def test_the_network_by_goal_tree(sample_db: Path, open_app: Any) -> None:
    async def scenario() -> None:
        async with open_app(sample_db) as pilot:
            await press(pilot, "7")
            await go_to_goal(pilot, VP)
            await press(pilot, "n")
            tree = screen(pilot).network_tree
            assert pilot.app.focused is tree
            goals = {str(node.label) for node in tree.root.children}
            assert f"{BERLIN}   nobody behind it" in goals
            assert f"{VP}   7 people: 6 warm · 1 cold" in goals
            unlinked = "Active lately, serving no goal   6 people: a link may be missing"
            assert f"{unlinked} (g on Contacts)" in goals
            # The cursor starts on the goal the review showed; its roles and people are open.
            assert tree.current.kind == "goal" and tree.current.goal_title == VP
            await press(pilot, "down", "down")
            assert tree.current.kind == "contact" and tree.current.name == "Grace O'Connell"
            grace = str(tree.cursor_node.label)
            assert grace == "Grace O'Connell (Brightline Health)  warm  last 3 months ago"
            # Logging from the tree: it is drawn again, the cursor still on her.
            await press(pilot, "l")
            await paste(pilot, "Asked about her board work")
            await press(pilot, "ctrl+s")
            assert screen(pilot).network_shown
            assert str(tree.cursor_node.label) == (
                "Grace O'Connell (Brightline Health)  warm  last today"
            )
            # Back to the review, on the goal the tree's cursor was in.
            await press(pilot, "up", "up", "up")
            await press(pilot, "n")
            assert screen(pilot).goal_list.current.title == "Give a talk at a regional conference"
            assert pilot.app.focused is screen(pilot).goal_list

    asyncio.run(scenario())


def test_open_a_person_from_the_tree(sample_db: Path, open_app: Any) -> None:
    async def scenario() -> None:
        async with open_app(sample_db) as pilot:
            await press(pilot, "7", "n")
            tree = screen(pilot).network_tree
            # The people active lately but serving no goal are folded: unfold, then open one.
            unlinked = tree.root.children[-1]
            tree.move_cursor(unlinked)
            await press(pilot, "space", "down")
            assert tree.current.name == "Ravi Patel"
            await press(pilot, "o")
            assert screen(pilot).MODE == "contacts"
            assert screen(pilot).selected.name == "Ravi Patel"

    asyncio.run(scenario())


def test_a_narrow_terminal_puts_the_goals_above(sample_db: Path, open_app: Any) -> None:
    async def scenario() -> None:
        async with open_app(sample_db, size=(80, 24)) as pilot:
            await press(pilot, "7")
            review = screen(pilot)
            goals = review.goal_list.region
            people = review.people.region
            assert goals.bottom <= people.y and goals.width >= 78
            assert people_lines(pilot)["Dana Whitfield"].split()[2] == "warm"

    asyncio.run(scenario())


def test_the_review_of_an_empty_database(db_path: Path, open_app: Any) -> None:
    async def scenario() -> None:
        async with open_app(db_path) as pilot:
            await press(pilot, "7")
            assert [h.title for h in screen(pilot).goal_list.items] == ["No goals yet"]
            await press(pilot, "l", "f", "c")
            assert not isinstance(pilot.app.screen, ModalScreen)
            await press(pilot, "n")
            tree = screen(pilot).network_tree
            assert [str(n.label) for n in tree.root.children] == [
                "No active goals yet: add one on the Goals tab (2)."
            ]

    asyncio.run(scenario())


def test_the_tree_takes_the_colours_of_a_new_theme(sample_db: Path, open_app: Any) -> None:
    async def scenario() -> None:
        async with open_app(sample_db) as pilot:
            await press(pilot, "7", "n")
            tree = screen(pilot).network_tree

            def warm_colour() -> str:
                label = tree.root.children[0].label  # "... 6 people: 6 warm"
                span = next(s for s in label.spans if label.plain[s.start : s.end] == "6 warm")
                return str(span.style.color.triplet.hex)  # type: ignore[union-attr]

            assert warm_colour() == pilot.app.theme_variables["text-success"].lower()
            dark = warm_colour()
            pilot.app.theme = "textual-light"
            # The app refreshes its styles, then says the theme changed, in later turns.
            await pilot.pause(0.2)
            await press(pilot)
            assert warm_colour() == pilot.app.theme_variables["text-success"].lower() != dark

    asyncio.run(scenario())


def test_a_goals_skill_gaps_and_k_asks_a_person_about_one(sample_db: Path, open_app: Any) -> None:
    async def scenario() -> None:
        async with open_app(sample_db) as pilot:
            await press(pilot, "7")
            await go_to_goal(pilot, VP)
            more = [" ".join(line.split()) for line in screen(pilot).more.plain.splitlines()]
            assert "Skill gaps 3 open: k asks a person about one" in more
            assert "2 to go Energy markets nobody you know has it" in more
            assert "next: go to Climate Tech Career Fair (Sat 5 Dec)" in more
            await go_to_person(pilot, "Grace O'Connell")
            # rapport picks the skill: k says what it would add, and adds it on a yes.
            await press(pilot, "k")
            asked = pilot.app.screen
            assert str(asked.query_one("#dialog-title").render()) == (
                "Add the follow-up “Ask Grace about Executive presence”, due Wed 25 Nov 2026?"
            )
            assert screen_text(pilot).splitlines()[-1].startswith(" y Add  n Cancel")
            await press(pilot, "n")
            assert not [n for n in notices(pilot) if n.startswith("Follow-up due")]
            await press(pilot, "k", "y")
            assert notices(pilot)[-1] == (
                "Follow-up due Wed 25 Nov 2026: Ask Grace about Executive presence"
            )
            while screen(pilot).people.current.name != "Samir Haddad":
                await press(pilot, "down")
            # Not known to have a skill the goal lacks: k asks which one to ask about.
            await press(pilot, "k")
            picker = pilot.app.screen
            assert str(picker.query_one("#dialog-title").render()) == (
                f"A follow-up to ask Samir Haddad about which skill {VP} still needs?"
            )
            offered = [str(o.prompt) for o in picker.options.options]
            assert offered == [
                "Energy markets  2 levels to go",
                "Hiring  2 levels to go",
                "Executive presence  1 level to go",
            ]
            await paste(pilot, "energy")
            await press(pilot, "enter")
            assert notices(pilot)[-1] == (
                "Follow-up due Wed 25 Nov 2026: Ask Samir about Energy markets"
            )

    asyncio.run(scenario())
    asked = [r.title for r in followup_service.list_followups() if r.title.startswith("Ask Samir")]
    assert asked == ["Ask Samir about Energy markets"]
    (made,) = [
        r
        for r in followup_service.list_followups()
        if r.title == "Ask Grace about Executive presence"
    ]
    assert made.contact is not None and made.contact.name == "Grace O'Connell"
    assert [g.title for g in made.goals] == [VP]
    assert resolve_followup(made.id).skill.name == "Executive presence"


def test_with_no_goal_at_all_the_review_keys_say_to_add_one(db_path: Path, open_app: Any) -> None:
    async def scenario() -> list[str]:
        async with open_app(db_path, size=(120, 40)) as pilot:
            await press(pilot, "7", "l", "f", "o", "c")
            await settle(pilot)
            return notices(pilot)

    said = asyncio.run(scenario())
    # No "this goal" to speak of: each key says what to do first.
    assert said == ["No goals yet: add one on the Goals tab (2, then a)."] * 4


def test_with_no_goal_the_review_list_says_how_to_add_one_whole_at_120_columns(
    db_path: Path, open_app: Any
) -> None:
    async def scenario() -> str:
        async with open_app(db_path, size=(120, 40)) as pilot:
            await press(pilot, "7")
            return screen_text(pilot)

    shown = asyncio.run(scenario())
    assert "No goals yet  add one on Goals (2, then a) " in shown
