"""Today: what is overdue, due and going cold, and acting on a line without leaving the tab."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path
from typing import Any

from tui_helpers import notices, paste, press, screen_text, settle

from rapport.services import followups as followup_service
from rapport.services.resolve import resolve_followup

TODAY = dt.date(2026, 11, 23)


def lines(pilot: Any) -> list[Any]:
    return pilot.app.screen.query_one("#agenda").items


def titles(pilot: Any) -> list[str]:
    return [getattr(item, "title", None) or item.what for item in lines(pilot)]


async def until_cold_shown(pilot: Any) -> None:
    """Until Today shows who is going cold (its last part to load)."""
    deadline = asyncio.get_running_loop().time() + 20
    while not any(t.startswith("Going cold (") for t in titles(pilot)):
        assert asyncio.get_running_loop().time() < deadline, titles(pilot)
        await asyncio.sleep(0.01)


def highlight(pilot: Any, what: str) -> None:
    agenda = pilot.app.screen.query_one("#agenda")
    agenda.highlighted = next(
        i for i, item in enumerate(agenda.items) if getattr(item, "what", "") == what
    )


def test_today_shows_overdue_then_due_then_going_cold(sample_db: Path, open_app: Any) -> None:
    async def scenario() -> None:
        async with open_app(sample_db) as pilot:
            shown = titles(pilot)
            overdue = shown.index("Overdue (4)")
            due = shown.index("Due this week (5)")
            cold = next(i for i, t in enumerate(shown) if t.startswith("Going cold"))
            assert overdue < due < cold
            assert "Send Dana the platform strategy draft" in shown[overdue:due]
            assert "Reply to Priya about the Q2 timeline" in shown[due:cold]
            cold_people = [item.who for item in lines(pilot)[cold + 1 :]]
            assert "Samir Haddad (Larkspur Ventures)" in cold_people
            line = next(x for x in lines(pilot) if getattr(x, "what", "").startswith("Send Dana"))
            assert (line.when, line.who, line.goal) == (
                "2 days ago",
                "Dana Whitfield",
                "Lead a platform team by 2027",
            )

    asyncio.run(scenario())


def test_done_takes_a_follow_up_off_today(sample_db: Path, open_app: Any) -> None:
    async def scenario() -> None:
        async with open_app(sample_db) as pilot:
            highlight(pilot, "Send Dana the platform strategy draft")
            await press(pilot, "d")
            assert "Send Dana the platform strategy draft" not in titles(pilot)
            assert "Overdue (3)" in titles(pilot)

    asyncio.run(scenario())
    done = [r.title for r in followup_service.list_followups(status="done")]
    assert "Send Dana the platform strategy draft" in done


def test_snooze_a_week_moves_the_follow_up(sample_db: Path, open_app: Any) -> None:
    async def scenario() -> None:
        async with open_app(sample_db) as pilot:
            highlight(pilot, "Send Dana the platform strategy draft")
            await press(pilot, "z")
            await press(pilot, "down", "enter")  # the second choice: +1 week
            line = next(x for x in lines(pilot) if getattr(x, "what", "").startswith("Send Dana"))
            assert line.when == "in 7 days"

    asyncio.run(scenario())
    snoozed = next(r for r in followup_service.list_followups() if r.title.startswith("Send Dana"))
    # Overdue, so a week counts from today.
    assert snoozed.due_date == TODAY + dt.timedelta(days=7)


def test_snooze_to_a_typed_date_shows_what_it_means(sample_db: Path, open_app: Any) -> None:
    async def scenario() -> None:
        async with open_app(sample_db) as pilot:
            highlight(pilot, "Send Dana the platform strategy draft")
            await press(pilot, "z", "tab")
            await press(pilot, *"next fri")
            await settle(pilot)
            assert pilot.app.screen.query_one("#field-until").said == "→ Fri 27 Nov 2026"
            await press(pilot, "enter")

    asyncio.run(scenario())
    ids = [r.id for r in followup_service.list_followups() if r.title.startswith("Send Dana")]
    assert resolve_followup(ids[0]).due_date == dt.date(2026, 11, 27)


def test_snooze_to_a_day_passed_says_so_beside_the_field_and_moves_nothing(
    sample_db: Path, open_app: Any
) -> None:
    """Before, the dialog closed and a toast said the day had passed: what was
    typed was lost, and the person had to press z and type it all again."""
    before = next(r for r in followup_service.list_followups() if r.title.startswith("Send Dana"))

    async def scenario() -> None:
        async with open_app(sample_db) as pilot:
            highlight(pilot, "Send Dana the platform strategy draft")
            await press(pilot, "z", "tab")
            await press(pilot, *"yesterday")
            await press(pilot, "enter")
            screen = pilot.app.screen
            assert type(screen).__name__ == "SnoozeModal"  # still open, the words still there
            assert screen.query_one("#field-until").said == (
                "Sun 22 Nov 2026 has passed; snooze moves a follow-up later "
                "(edit its due date to set an earlier one)"
            )
            assert "Sun 22 Nov 2026 has passed" in screen_text(pilot)
            assert notices(pilot) == []
            await press(pilot, *["backspace"] * len("yesterday"), *"tomorrow", "enter")
            line = next(x for x in lines(pilot) if getattr(x, "what", "").startswith("Send Dana"))
            assert line.when == "tomorrow"

    asyncio.run(scenario())
    after = resolve_followup(before.id)
    assert after.due_date == TODAY + dt.timedelta(days=1)


def test_open_contact_goes_to_the_contacts_tab(sample_db: Path, open_app: Any) -> None:
    async def scenario() -> None:
        async with open_app(sample_db) as pilot:
            highlight(pilot, "Reply to Priya about the Q2 timeline")
            await press(pilot, "o")
            screen = pilot.app.screen
            assert screen.MODE == "contacts"
            assert screen.selected.name == "Priya Raman"
            assert "Priya Raman" in screen.detail_pane.plain

    asyncio.run(scenario())


def test_this_weeks_suggestions_come_under_the_follow_ups(sample_db: Path, open_app: Any) -> None:
    async def scenario() -> None:
        async with open_app(sample_db) as pilot:
            shown = titles(pilot)
            due = shown.index("Due this week (5)")
            suggested = shown.index("Suggestions for this week (8)")
            cold = next(i for i, t in enumerate(shown) if t.startswith("Going cold"))
            assert due < suggested < cold
            first = lines(pilot)[suggested + 1]
            assert (first.when, first.who, first.goal) == (
                "say thank you",
                "Owen Price (Northwind Cloud)",
                "Five informational interviews with platform EMs",
            )
            assert first.what == "you owe a thank-you for the interview on 8 Nov"
            samir = lines(pilot)[suggested + 2]
            assert (samir.when, samir.what) == ("cold", "last talked 7 months ago")
            # The cursor on a suggestion shows every reason in full under the list.
            agenda = pilot.app.screen.query_one("#agenda")
            agenda.highlighted = suggested + 2
            await settle(pilot)
            why = pilot.app.screen.query_one("#today-why")
            assert why.display
            assert str(why.render()) == (
                "Why: serves 'VP of Engineering at a climate company' as referrer, "
                "last talked 210 days ago, cadence 90"
            )
            await press(pilot, "l")
            assert pilot.app.screen.title_text == "Log a coffee with Samir Haddad"
            await press(pilot, "escape")
            await press(pilot, "d")  # a person, not a follow-up: nothing is marked done
            assert titles(pilot)[suggested + 2] == "last talked 7 months ago"
            await press(pilot, "o")
            assert pilot.app.screen.MODE == "contacts"
            assert pilot.app.screen.selected.name == "Samir Haddad"

    asyncio.run(scenario())


def test_a_touch_logged_takes_a_person_off_the_suggestions(sample_db: Path, open_app: Any) -> None:
    async def scenario() -> None:
        async with open_app(sample_db) as pilot:
            highlight(pilot, "last talked 7 months ago")
            await press(pilot, "l")
            await paste(pilot, "Caught up about the fund")
            await press(pilot, "ctrl+s")
            suggested = [x.person for x in lines(pilot) if getattr(x, "kind", "") == "suggestion"]
            assert "Samir Haddad" not in suggested
            assert suggested[0] == "Owen Price"

    asyncio.run(scenario())


LONG_NAME = "Anastasia Papadopoulos"  # 22 letters, a long "Firstname Lastname"


def test_who_shows_a_long_name_whole_from_100_columns_and_cuts_it_at_80(
    sample_db: Path, open_app: Any
) -> None:
    from rapport.services import contacts as contact_service

    contact_service.create_contact(LONG_NAME, organization="Helio Energy")
    followup_service.create_followup("Ask about the platform team", due="today", contact=LONG_NAME)

    async def shown_at(size: tuple[int, int]) -> str:
        async with open_app(sample_db, size) as pilot:
            return next(line for line in screen_text(pilot).splitlines() if "Ask about the" in line)

    async def scenario() -> None:
        for size in [(100, 32), (120, 40)]:
            assert LONG_NAME in await shown_at(size), size
        narrow = await shown_at((80, 24))
        # Cut on its line, not wrapped onto the next.
        assert "Anastasia Pap" in narrow
        assert LONG_NAME not in narrow
        assert "…" in narrow.split("Anastasia")[1]

    asyncio.run(scenario())


def test_up_from_the_first_line_stays_on_it_and_down_from_the_last_too(
    sample_db: Path, open_app: Any
) -> None:
    async def scenario() -> None:
        async with open_app(sample_db, size=(120, 40)) as pilot:
            first = pilot.app.screen.line
            assert first is not None and first.what == "Send Owen a thank-you for the interview"
            await press(pilot, "up")
            assert pilot.app.screen.line == first
            assert "Overdue (4)" in screen_text(pilot)  # its heading in view
            await press(pilot, "end")
            last = pilot.app.screen.line
            await press(pilot, "down")
            assert pilot.app.screen.line == last
            await press(pilot, "home", "down")
            assert pilot.app.screen.line != first

    asyncio.run(scenario())


def test_u_undoes_a_done_and_then_a_snooze_and_the_messages_say_so(
    sample_db: Path, open_app: Any
) -> None:
    title = "Send Dana the platform strategy draft"
    said: list[str] = []

    async def scenario() -> None:
        async with open_app(sample_db) as pilot:
            shown = pilot.app.notify
            pilot.app.notify = lambda message, **kw: (said.append(message), shown(message, **kw))
            highlight(pilot, title)
            await press(pilot, "d")
            assert title not in titles(pilot)
            await press(pilot, "u")
            assert title in titles(pilot)
            highlight(pilot, title)
            await press(pilot, "z", "down", "enter")  # a week
            await press(pilot, "u")

    asyncio.run(scenario())
    assert said == [
        f"Done: {title} (u undoes it)",
        f"Undone: {title} is open again, due Sat 21 Nov 2026",
        f"Snoozed to Mon 30 Nov 2026: {title} (u undoes it)",
        f"Undone: {title} is due Sat 21 Nov 2026 again",
    ]
    f = next(r for r in followup_service.list_followups() if r.title == title)
    assert (f.done, f.due_date) == (False, dt.date(2026, 11, 21))


def test_u_asks_before_undoing_what_was_done_before_the_app_was_opened(
    sample_db: Path, open_app: Any, monkeypatch: Any
) -> None:
    """A done from an earlier session (three days ago, or at the command line) was
    undone by u at once, with nothing to say it was not this session's: the person
    saw a follow-up they had long closed come back.  u now names it and when, and
    asks; what was done since the app opened it still undoes at once."""
    title = "Send Dana the reading list"
    monkeypatch.setenv("RAPPORT_NOW", "2026-11-20T17:30:00")  # Friday, an earlier session
    made = followup_service.create_followup(title, due="2026-11-21", contact="Dana Whitfield")
    followup_service.complete_followups([made.id])
    monkeypatch.setenv("RAPPORT_NOW", "2026-11-23T09:00:00")  # the frozen Monday

    async def scenario() -> tuple[str, str]:
        async with open_app(sample_db) as pilot:
            await press(pilot, "u")
            question = str(pilot.app.screen.query_one("#dialog-title").render())
            await press(pilot, "n")
            assert resolve_followup(made.id).done  # kept: nothing was undone
            await press(pilot, "u", "y")
            return question, notices(pilot)[-1]

    question, said = asyncio.run(scenario())
    assert question == f"Undo marking done “{title}” on Fri 20 Nov 2026 at 17:30?"
    assert said == (
        f"Undone: {title} is open again, due Sat 21 Nov 2026 "
        f"(undid marking done “{title}” on Fri 20 Nov 2026 at 17:30)"
    )
    assert not resolve_followup(made.id).done


def test_going_cold_shows_before_the_whole_contact_list_has_loaded(
    sample_db: Path, monkeypatch: Any
) -> None:
    # 30,000 contacts: the contact list takes 0.4 s to load, going cold 40 ms.
    import threading

    from rapport.tui import data
    from rapport.tui.app import RapportApp

    released = threading.Event()
    index = data.contact_index

    def slow_index() -> Any:
        released.wait(30)
        return index()

    monkeypatch.setattr(data, "contact_index", slow_index)

    async def scenario() -> None:
        app = RapportApp(db_path=sample_db)
        async with app.run_test(size=(80, 24)) as pilot:
            await until_cold_shown(pilot)
            cold = [item.who for item in lines(pilot) if getattr(item, "kind", "") == "cold"]
            assert "Samir Haddad (Larkspur Ventures)" in cold
            released.set()

    try:
        asyncio.run(scenario())
    finally:
        released.set()


def test_the_follow_ups_tab_opens_on_the_ones_today_loaded_ahead(
    sample_db: Path, open_app: Any, monkeypatch: Any
) -> None:
    # 5,000 open follow-ups: loading them was half of the tab's first opening.
    from rapport.tui.screens import followups as followups_screen

    async def scenario() -> None:
        async with open_app(sample_db) as pilot:
            loaded = followups_screen.followup_rows

            def not_again(view: str) -> Any:
                if view == "open":
                    raise AssertionError("loaded the open follow-ups again")
                return loaded(view)

            monkeypatch.setattr(followups_screen, "followup_rows", not_again)
            await press(pilot, "6")
            await settle(pilot)
            screen: Any = pilot.app.screen
            assert screen.MODE == "followups"
            titles = [row.title for row in screen.table.matching]
            assert "Send Dana the platform strategy draft" in titles

    asyncio.run(scenario())


def test_going_cold_is_read_while_the_follow_ups_are_drawn(
    sample_db: Path, monkeypatch: Any
) -> None:
    # 30,000 contacts: going cold takes 28 ms to read and the follow-ups 16 to
    # draw; asked one after the other, Today was whole 40-50 ms after it showed.
    import threading

    from rapport.tui.app import RapportApp
    from rapport.tui.screens import today

    asked = threading.Event()
    going_cold = today.going_cold

    def reading(*args: Any, **kwargs: Any) -> Any:
        asked.set()
        return going_cold(*args, **kwargs)

    monkeypatch.setattr(today, "going_cold", reading)
    seen: list[bool] = []
    redraw = today.TodayScreen._redraw

    def drawing(screen: Any) -> None:
        if screen._followups is not None and screen._cold is None and not seen:
            seen.append(asked.wait(5))  # the follow-ups' first drawing
        redraw(screen)

    monkeypatch.setattr(today.TodayScreen, "_redraw", drawing)

    async def scenario() -> None:
        app = RapportApp(db_path=sample_db)
        async with app.run_test(size=(80, 24)) as pilot:
            await until_cold_shown(pilot)
            assert seen == [True]

    asyncio.run(scenario())


def test_the_app_shows_today_before_loading_the_other_tabs_forms_and_services() -> None:
    # The forms and the follow-ups tab (with the services of events, goals,
    # interactions, interviews, links, organizations, skills and undo) took
    # about 5 ms of CPU of every launch; they load when first used (a key on Today,
    # the follow-ups read ahead once Today is whole, another tab).
    import json
    import subprocess
    import sys

    code = (
        "import json, sys\n"
        "import rapport.tui.app, rapport.tui.screens.today\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('rapport.'))))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(json.loads(done.stdout))
    assert {"rapport.services.agenda", "rapport.services.followups"} <= loaded
    later = {
        "rapport.tui.screens.forms",
        "rapport.tui.screens.followups",
        *(
            f"rapport.services.{name}"
            for name in ("events", "goals", "interactions", "interviews", "links", "orgs")
        ),
        "rapport.services.skills",
        "rapport.services.undo",
    }
    assert not later & loaded


def test_a_suggestion_to_reach_someone_you_were_referred_to_says_so(
    db_path: Path, open_app: Any
) -> None:
    from rapport.services import contacts, interviews

    victor = contacts.create_contact("Victor Dubois")
    held = interviews.create_interview(victor.id, when="yesterday")
    interviews.complete_interview(held.id, new_referrals=["Lena Park"], thank_you=False)

    async def scenario() -> None:
        async with open_app(db_path, (120, 30)) as pilot:
            lena = next(x for x in lines(pilot) if getattr(x, "person", "") == "Lena Park")
            assert (lena.kind, lena.when) == ("suggestion", "new referral")
            assert "new referral" in screen_text(pilot)

    asyncio.run(scenario())
