"""Goals, interviews, events and follow-ups: their forms, links and actions, key by key."""

from __future__ import annotations

import asyncio
import datetime as dt
from functools import partial
from pathlib import Path
from typing import Any

from textual.widgets import Input
from tui_helpers import notices, paste, press, screen_text, send_keys, settle, type_text

from rapport.services import events as event_service
from rapport.services import followups as followup_service
from rapport.services import goals as goal_service
from rapport.services import interviews as interview_service
from rapport.services.contacts import contact_detail


def rows(pilot: Any) -> list[Any]:
    return pilot.app.screen.table.matching


async def goto(pilot: Any, text: str) -> None:
    await press(pilot, "slash")
    await paste(pilot, text)
    await press(pilot, "enter")


async def new_followup_picking(pilot: Any, title: str, tabs: int, query: str) -> None:
    """A new follow-up titled ``title``, its ``tabs``-th field's picker open, ``query`` typed."""
    await press(pilot, "6", "a")
    await paste(pilot, title)
    await press(pilot, *["tab"] * tabs, "enter")
    await type_text(pilot, query)


async def new_summit(pilot: Any, start: str, end: str) -> None:
    """The new-event form for "Platform Summit" with its start and end typed (not saved)."""
    await press(pilot, "5", "a")
    await paste(pilot, "Platform Summit")
    await press(pilot, "tab", "tab")
    await type_text(pilot, start)
    await press(pilot, "tab")
    await type_text(pilot, end)


def test_from_a_goal_link_contacts_with_a_role(sample_db: Path, open_app: Any) -> None:
    async def scenario() -> None:
        async with open_app(sample_db) as pilot:
            await press(pilot, "2")
            await goto(pilot, "Berlin")
            assert pilot.app.screen.selected.people == 0
            await press(pilot, "c", "enter")  # the contacts picker
            await type_text(pilot, "felix")
            await press(pilot, "enter")  # tick Felix Wagner
            await press(pilot, "ctrl+a", "ctrl+k")
            await type_text(pilot, "lena")
            await press(pilot, "enter", "ctrl+s")  # tick Lena, done picking
            await press(pilot, "tab", "p", "ctrl+s")  # role: peer
            screen = pilot.app.screen
            assert screen.selected.people == 2
            assert "Felix Wagner  peer, never contacted" in screen.detail_pane.plain

    asyncio.run(scenario())
    berlin = next(g for g in goal_service.list_goals() if "Berlin" in g.title)
    people = {(c.name, link.role) for link, c in goal_service.contacts_serving(berlin)}
    assert people == {("Felix Wagner", "peer"), ("Lena Fischer", "peer")}


def test_add_a_goal_with_a_target_date(sample_db: Path, open_app: Any) -> None:
    async def scenario() -> None:
        async with open_app(sample_db) as pilot:
            await press(pilot, "2", "a")
            await paste(pilot, "Mentor two junior engineers")
            await press(pilot, "tab", "tab", "tab", "tab", "tab")  # why, horizon, specific, measure
            await type_text(pilot, "+6m")
            assert pilot.app.screen.field("target_date").said == "→ Sun 23 May 2027"
            await press(pilot, "ctrl+s")
            assert pilot.app.screen.selected.title == "Mentor two junior engineers"

    asyncio.run(scenario())
    made = next(g for g in goal_service.list_goals() if g.title == "Mentor two junior engineers")
    assert made.target_date == dt.date(2027, 5, 23)


def test_marking_an_interview_done_offers_the_thank_you(sample_db: Path, open_app: Any) -> None:
    async def scenario() -> None:
        async with open_app(sample_db) as pilot:
            await press(pilot, "4")
            await goto(pilot, "Victor")
            await press(pilot, "d")
            await paste(pilot, "Platform teams live or die by their roadmap.")
            await press(pilot, "ctrl+s")
            assert pilot.app.screen.selected.status == "done"
            assert "Platform teams live or die" in pilot.app.screen.detail_pane.plain

    asyncio.run(scenario())
    victor = [r for r in interview_service.list_interviews() if r.contact.name == "Victor Dubois"]
    assert victor[0].status == "done"
    thanks = [
        r
        for r in followup_service.list_followups()
        if r.title == "Send Victor a thank-you for the interview"
    ]
    assert thanks and thanks[0].due_date == dt.date(2026, 11, 24)


def add_tara(open_app: Any, db: Path, tab: str, record: str, key: str) -> None:
    """On ``tab``'s ``record``, ``key`` opens a people picker: Tara Singh is typed
    there as a new person and saved; the record's detail names her."""

    async def scenario() -> None:
        async with open_app(db) as pilot:
            await press(pilot, tab)
            await goto(pilot, record)
            await press(pilot, key, "enter")
            await paste(pilot, "Tara Singh")
            await press(pilot, "enter", "ctrl+s", "ctrl+s")  # create her, done, save
            assert "Tara Singh" in pilot.app.screen.detail_pane.plain

    asyncio.run(scenario())


def test_referrals_can_be_new_people(sample_db: Path, open_app: Any) -> None:
    add_tara(open_app, sample_db, "4", "Owen", "r")
    tara = contact_detail("Tara Singh")
    assert tara.introduced_by is not None and tara.introduced_by.name == "Owen Price"


def test_an_event_that_ends_before_it_starts_is_refused_beside_the_field(
    sample_db: Path, open_app: Any
) -> None:
    async def scenario() -> None:
        async with open_app(sample_db) as pilot:
            await new_summit(pilot, "2026-12-10", "2026-12-09")
            await press(pilot, "ctrl+s")
            form = pilot.app.screen
            assert form.field("end").said == "ends (2026-12-09) before it starts (2026-12-10)"
            await press(pilot, "escape")

    asyncio.run(scenario())
    assert all(r.name != "Platform Summit" for r in event_service.list_events())


def test_follow_ups_done_and_the_done_view(sample_db: Path, open_app: Any) -> None:
    async def scenario() -> None:
        async with open_app(sample_db) as pilot:
            await press(pilot, "6")
            await goto(pilot, "Kwame")
            await press(pilot, "d")
            assert all("Kwame" not in r.title for r in rows(pilot))
            await press(pilot, "v")  # done
            assert any(r.title == "Congratulate Kwame on OpenGrid's grant" for r in rows(pilot))
            await goto(pilot, "Kwame")
            await press(pilot, "d")  # reopen
            await press(pilot, "v", "v")  # all, then open again
            assert any(r.title == "Congratulate Kwame on OpenGrid's grant" for r in rows(pilot))

    asyncio.run(scenario())
    kwame = [r for r in followup_service.list_followups() if "Kwame" in r.title]
    assert kwame and not kwame[0].done


def test_a_recurring_follow_up_moves_to_its_next_date(sample_db: Path, open_app: Any) -> None:
    async def scenario() -> None:
        async with open_app(sample_db) as pilot:
            await press(pilot, "6")
            await goto(pilot, "Monthly mentoring")
            await press(pilot, "d")
            row = pilot.app.screen.selected
            assert row.title == "Monthly mentoring check-in with Dana"
            assert row.due == dt.date(2027, 1, 11)

    asyncio.run(scenario())


def test_done_on_a_follow_up_changed_elsewhere_is_refused_and_shows_the_change(
    sample_db: Path, open_app: Any
) -> None:
    async def scenario() -> None:
        async with open_app(sample_db) as pilot:
            await press(pilot, "6")
            await goto(pilot, "Monthly mentoring")
            shown = pilot.app.screen.selected
            assert shown.due == dt.date(2026, 12, 11)
            # Meanwhile `rapport followups done` in another terminal moves the series on.
            followup_service.complete_followup(shown.id)
            await press(pilot, "d")
            notes = notices(pilot)
            assert any("changed elsewhere" in n for n in notes), notes
            # One occurrence done, not two; the list shows the follow-up as it is now.
            assert followup_service.resolve_followup(shown.id).due_date == dt.date(2027, 1, 11)
            assert pilot.app.screen.selected.due == dt.date(2027, 1, 11)

    asyncio.run(scenario())


def test_export_writes_the_open_follow_ups_to_a_calendar_file(
    sample_db: Path, open_app: Any, tmp_path: Path
) -> None:
    target = tmp_path / "followups.ics"

    async def scenario() -> None:
        async with open_app(sample_db) as pilot:
            await press(pilot, "6", "x")
            await press(pilot, "ctrl+a", "ctrl+k")
            await paste(pilot, str(target))
            await press(pilot, "enter")
            notes = notices(pilot)
            assert any(f"Wrote 13 follow-ups to {target}" in note for note in notes)

    asyncio.run(scenario())
    text = target.read_text()
    assert text.count("BEGIN:VEVENT") == 13
    assert "SUMMARY:Follow up: send Dana the platform strategy draft" in text


def test_goal_links_of_a_follow_up_from_the_picker(sample_db: Path, open_app: Any) -> None:
    async def scenario() -> None:
        async with open_app(sample_db) as pilot:
            await press(pilot, "6")
            await goto(pilot, "Kwame")
            await press(pilot, "g")
            picker = pilot.app.screen
            titles = [g.label for g in picker.goals]
            for _ in range(titles.index("VP of Engineering at a climate company")):
                await press(pilot, "down")
            await press(pilot, "enter", "ctrl+s")
            assert pilot.app.screen.selected.goals == "VP of Engineering at a climate company"

    asyncio.run(scenario())


def test_a_follow_up_about_an_interview_picked_in_the_form(sample_db: Path, open_app: Any) -> None:
    async def scenario() -> None:
        async with open_app(sample_db) as pilot:
            # due, contact, repeat, event, then the interview's picker
            await new_followup_picking(pilot, "Send Victor the reading list", 5, "victor")
            assert [c.label for c in pilot.app.screen.matches] == ["Interview with Victor Dubois"]
            await press(pilot, "enter", "ctrl+s")
            assert "Interview     with Victor Dubois" in pilot.app.screen.detail_pane.plain
            # From the Interviews tab, f starts one with the person and the interview filled in.
            await press(pilot, "4")
            await goto(pilot, "Owen")
            await press(pilot, "f")
            form = pilot.app.screen
            assert [c.label for c in form.field("contact").chosen] == ["Owen Price"]
            assert [c.label for c in form.field("interview").chosen] == [
                "Interview with Owen Price"
            ]
            await press(pilot, "escape")

    asyncio.run(scenario())
    made = [
        r for r in followup_service.list_followups() if r.title == "Send Victor the reading list"
    ]
    assert made and followup_service.followup_detail(made[0].id).interview_with == "Victor Dubois"


def test_marking_an_interview_done_cannot_date_it_ahead(sample_db: Path, open_app: Any) -> None:
    """An interview is marked done once it took place.  Before, the form offered
    the day it was planned for, a later one, and saved it: done "on" a day still
    to come, it counted as a talk that had not happened (a test said so on
    purpose).  Now one planned for later is offered today, the day it was held
    early, and a day ahead is refused beside the field, nothing saved."""
    planned = next(
        r.scheduled_date
        for r in interview_service.list_interviews()
        if r.contact.name == "Victor Dubois"
    )
    assert planned is not None and planned > dt.date(2026, 11, 23)  # later than the frozen today

    async def scenario() -> tuple[str, str]:
        async with open_app(sample_db) as pilot:
            await press(pilot, "4")
            await goto(pilot, "Victor")
            await press(pilot, "d")
            form = pilot.app.screen
            offered = form.field("held_on").raw
            await press(pilot, "tab", "tab")  # notes, advice, then held on
            await press(pilot, "ctrl+a", "ctrl+k")
            await type_text(pilot, "tomorrow")
            await press(pilot, "ctrl+s")
            said = form.field("held_on").said
            assert pilot.app.screen is form  # still open: nothing was saved
            await press(pilot, "escape", "y")
            return offered, said

    offered, said = asyncio.run(scenario())
    assert offered == "2026-11-23"
    assert said.startswith("Tue 24 Nov 2026 is still to come")
    victor = [r for r in interview_service.list_interviews() if r.contact.name == "Victor Dubois"]
    assert (victor[0].status, victor[0].scheduled_date) == ("planned", planned)


def test_marking_an_interview_done_keeps_a_past_date_unless_changed(
    sample_db: Path, open_app: Any
) -> None:
    victor = next(
        r for r in interview_service.list_interviews() if r.contact.name == "Victor Dubois"
    )
    interview_service.update_interview(victor.id, when="2026-11-20 10:00")

    async def scenario() -> None:
        async with open_app(sample_db) as pilot:
            await press(pilot, "4")
            await goto(pilot, "Victor")
            await press(pilot, "d")
            assert pilot.app.screen.field("held_on").raw == "2026-11-20"
            await press(pilot, "ctrl+s")

    asyncio.run(scenario())
    done = interview_service.interview_row(victor.id)
    assert (done.status, done.scheduled_date) == ("done", dt.date(2026, 11, 20))


def test_an_event_ending_earlier_the_same_day_says_at_what_times(
    sample_db: Path, open_app: Any
) -> None:
    """Before, the message named only the days, the same one twice: "ends
    (2026-12-10) before it starts (2026-12-10)"."""

    async def scenario() -> None:
        async with open_app(sample_db) as pilot:
            await new_summit(pilot, "2026-12-10 18:30", "17:00")
            await press(pilot, "ctrl+s")
            form = pilot.app.screen
            assert form.field("end").said == (
                "ends (2026-12-10 17:00) before it starts (2026-12-10 18:30)"
            )
            await press(pilot, "escape", "y")

    asyncio.run(scenario())
    assert all(r.name != "Platform Summit" for r in event_service.list_events())


def test_an_event_end_typed_as_a_time_is_on_the_day_it_starts(
    sample_db: Path, open_app: Any
) -> None:
    async def scenario() -> None:
        async with open_app(sample_db) as pilot:
            await new_summit(pilot, "2026-12-10 18:30", "21:00")
            assert pilot.app.screen.field("end").said == "→ 21:00 on the day it starts"
            await press(pilot, "ctrl+s")

    asyncio.run(scenario())
    made = next(r for r in event_service.list_events() if r.name == "Platform Summit")
    assert (made.end_date, made.end_time) == (dt.date(2026, 12, 10), dt.time(21, 0))


def test_the_export_dialog_offers_the_file_written_last(
    sample_db: Path, open_app: Any, tmp_path: Path
) -> None:
    target = tmp_path / "mine.ics"

    async def scenario() -> str:
        async with open_app(sample_db) as pilot:
            await press(pilot, "6", "x", "ctrl+a", "ctrl+k")
            await paste(pilot, str(target))
            await press(pilot, "enter", "x")
            offered = str(pilot.app.screen.query_one(Input).value)
            await press(pilot, "escape")
            return offered

    assert asyncio.run(scenario()) == str(target)


def test_a_new_follow_up_names_its_goals_in_the_form(sample_db: Path, open_app: Any) -> None:
    async def scenario() -> None:
        async with open_app(sample_db) as pilot:
            # due, contact, repeat, event, interview, then the goals' picker
            await new_followup_picking(pilot, "Ask Dana about the Q3 reorg", 6, "platform team")
            await press(pilot, "enter", "ctrl+s")  # tick it; done
            form = pilot.app.screen
            assert [c.label for c in form.field("goals").chosen] == ["Lead a platform team by 2027"]
            await press(pilot, "ctrl+s")
            detail = pilot.app.screen.detail_pane.plain
            assert "Goals         Lead a platform team by 2027" in detail

    asyncio.run(scenario())


def test_people_met_at_an_event_can_be_new(sample_db: Path, open_app: Any) -> None:
    add_tara(open_app, sample_db, "5", "PlatformCon Europe", "m")
    tara = contact_detail("Tara Singh")
    assert tara.met_at is not None and tara.met_at.name == "PlatformCon Europe"


def test_a_name_typed_straight_on_a_picker_field_is_not_lost(
    sample_db: Path, open_app: Any
) -> None:
    async def scenario() -> None:
        async with open_app(sample_db) as pilot:
            await press(pilot, "5")
            await goto(pilot, "PlatformCon Europe")
            # As fast as a typist: the first letter opens the picker, the rest follow it.
            await press(pilot, "m")
            await send_keys(pilot, *"Tara", "space", *"Singh")
            await settle(pilot)
            assert pilot.app.screen.query_one("#picker-filter", Input).value == "Tara Singh"
            await press(pilot, "enter", "ctrl+s", "ctrl+s")  # create her, done, save
            assert "Tara Singh" in pilot.app.screen.detail_pane.plain

    asyncio.run(scenario())


def test_d_asks_then_deletes_on_every_tab_of_records(sample_db: Path, open_app: Any) -> None:
    shown: dict[str, str] = {}

    async def scenario() -> None:
        async with open_app(sample_db) as pilot:
            for tab, record in (
                ("2", "Berlin"),
                ("4", "Victor"),
                ("5", "Climate Tech"),
                ("6", "Kwame"),
            ):
                await press(pilot, tab)
                await goto(pilot, record)
                await press(pilot, "D")
                shown[record] = str(pilot.app.screen.query_one("#dialog-title").render())
                await press(pilot, "y")

    asyncio.run(scenario())
    assert shown == {
        "Berlin": "Delete the goal “Build a peer network in Berlin”?",
        "Victor": "Delete the interview with Victor Dubois?",
        "Climate Tech": "Delete the event “Climate Tech Career Fair”?",
        "Kwame": "Delete the follow-up “Congratulate Kwame on OpenGrid's grant”?",
    }
    assert not [g for g in goal_service.list_goals("all") if "Berlin" in g.title]
    assert not [r for r in interview_service.list_interviews() if r.contact.name == "Victor Dubois"]
    assert not [e for e in event_service.list_events() if "Climate Tech" in e.name]
    assert not [f for f in followup_service.list_followups(status="all") if "Kwame" in f.title]


def line_of(lines: list[str], text: str) -> str:
    return next(line for line in lines if text in line)


def test_the_events_list_says_whether_i_met_them_they_are_going_or_were_there(
    sample_db: Path, open_app: Any
) -> None:
    # The column said a bare "Met 2" for people going to a fair still ahead, and for
    # those who were at a webinar I skipped; `rapport events list` says which.
    event_service.add_attendees("Climate Tech Career Fair", ["Dana Whitfield", "Priya Raman"])
    event_service.add_attendees("LeadDev webinar", ["Dana Whitfield"])

    async def scenario() -> dict[int, list[str]]:
        shown = {}
        for width, height in ((80, 24), (120, 40)):
            async with open_app(sample_db, size=(width, height)) as pilot:
                await press(pilot, "5")
                shown[width] = screen_text(pilot).splitlines()
        return shown

    for width, lines in asyncio.run(scenario()).items():
        header = next(line for line in lines if "Date ▲" in line)
        assert "People" in header, (width, header)

        row = partial(line_of, lines)
        assert row("PlatformCon Europe").rstrip(" │").endswith("attended     5 met there")
        assert row("Climate Tech Career").rstrip(" │").endswith("registered   2 going")
        assert row("LeadDev webinar").rstrip(" │").endswith("skipped      1 was there")
        assert row("Mentoring workshop").rstrip(" │").endswith("registered")
        # The names keep room to be told apart, even at 80 columns.
        assert "Climate Tech Career Fair" in row("Climate Tech Career")
        assert ("Mentoring workshop for new engineers" in row("Mentoring")) == (width == 120)
