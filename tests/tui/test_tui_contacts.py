"""Contacts: add, errors beside fields, filter, sort, edit, link, log, archive, delete."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path
from typing import Any

from tui_helpers import paste, press, send_keys, settle, type_text

from rapport.services import contacts as contact_service
from rapport.services import interactions


def names(pilot: Any) -> list[str]:
    return [row.name for row in pilot.app.screen.table.matching]


def field_message(pilot: Any, name: str) -> str:
    return pilot.app.screen.query_one(f"#field-{name}").said


async def find(pilot: Any, text: str) -> None:
    """Filter the list to ``text`` and go back to it, as a person would."""
    await press(pilot, "slash")
    await press(pilot, "ctrl+a", "ctrl+k")  # whatever was typed before goes
    if text:
        await paste(pilot, text)
    await press(pilot, "enter")


async def log_form_for(pilot: Any, who: str, summary: str) -> None:
    """The log form for the contact found by ``who``, ``summary`` typed (not saved)."""
    await press(pilot, "3")
    await find(pilot, who)
    await press(pilot, "l")
    await paste(pilot, summary)


def test_add_a_contact_through_the_form(sample_db: Path, open_app: Any) -> None:
    async def scenario() -> None:
        async with open_app(sample_db) as pilot:
            await press(pilot, "3", "a")
            await paste(pilot, "Tara Singh")
            await press(pilot, "tab", "enter")  # the organization picker
            await paste(pilot, "Acme Robotics")
            await press(pilot, "enter")  # "Create organization “Acme Robotics”"
            await press(pilot, "tab")
            await paste(pilot, "Staff Engineer")
            await press(pilot, "ctrl+s")
            screen = pilot.app.screen
            assert screen.MODE == "contacts"
            assert screen.selected.name == "Tara Singh"
            assert "Staff Engineer at Acme Robotics" in screen.detail_pane.plain
            assert "Tara Singh" in names(pilot)

    asyncio.run(scenario())
    tara = contact_service.contact_detail("Tara Singh")
    assert (tara.organization, tara.contact.role) == ("Acme Robotics", "Staff Engineer")


def test_a_bad_email_is_shown_beside_the_field_and_nothing_is_saved(
    sample_db: Path, open_app: Any
) -> None:
    async def scenario() -> None:
        async with open_app(sample_db) as pilot:
            await press(pilot, "3", "a")
            await paste(pilot, "Tara Singh")
            await press(pilot, "tab", "tab", "tab")  # organization, role, email
            await type_text(pilot, "tara@")
            # As you type, with the service's own words.
            assert field_message(pilot, "email") == "'tara@' is not an email address"
            await press(pilot, "ctrl+s")
            form = pilot.app.screen
            assert form.title_text == "New contact"
            error = str(form.query_one("#form-error").render())
            assert "see the messages beside the fields" in error
            await press(pilot, "escape", "y")  # discard what was typed
            assert pilot.app.screen.MODE == "contacts"

    asyncio.run(scenario())
    assert all(r.name != "Tara Singh" for r in contact_service.contact_rows(archived=None))


def test_a_duplicate_is_refused_beside_the_field_the_service_names(
    sample_db: Path, open_app: Any
) -> None:
    async def scenario() -> None:
        async with open_app(sample_db) as pilot:
            await press(pilot, "3", "a")
            await paste(pilot, "Dana W")
            await press(pilot, "tab", "tab", "tab")
            await paste(pilot, "dana.whitfield@northwind.example")
            await press(pilot, "ctrl+s")
            assert "Dana Whitfield (Northwind Cloud) has this email already" in field_message(
                pilot, "email"
            )

    asyncio.run(scenario())
    assert not [r for r in contact_service.contact_rows() if r.name == "Dana W"]


def test_the_list_filters_as_you_type_and_sorts_by_column(sample_db: Path, open_app: Any) -> None:
    async def scenario() -> None:
        async with open_app(sample_db) as pilot:
            await press(pilot, "3", "slash")
            await type_text(pilot, "tessel")
            assert names(pilot) == [
                "Felix Wagner",
                "Jonas Berg",
                "Lena Fischer",
                "Noah Feldman",
                "Wei Zhang",
                "Yuki Sato",
            ]
            status = str(pilot.app.screen.query_one("#list-status").render())
            assert status.startswith("6 of 40 contacts")
            # A tag or a goal finds people too.
            await find(pilot, "climate")
            assert "Samir Haddad" in names(pilot)
            await find(pilot, "")
            assert len(names(pilot)) == 40
            await press(pilot, "s", "s", "s")  # name -> organization -> last contact -> next touch
            rows = pilot.app.screen.table.matching
            dues = [r.next_due for r in rows if r.next_due]
            assert dues == sorted(dues)
            assert rows[0].name == "Samir Haddad"  # the most overdue first

    asyncio.run(scenario())


def test_editing_keeps_the_cursor_on_the_contact(sample_db: Path, open_app: Any) -> None:
    async def scenario() -> None:
        async with open_app(sample_db) as pilot:
            await press(pilot, "3")
            for _ in range(12):
                await press(pilot, "down")
            await settle(pilot)
            chosen = pilot.app.screen.selected.name
            await press(pilot, "enter", "tab", "tab")  # enter edits; tab to the role
            await press(pilot, "ctrl+a", "ctrl+k")
            await paste(pilot, "Head of Platform")
            await press(pilot, "ctrl+s")
            screen = pilot.app.screen
            assert screen.selected.name == chosen
            assert screen.table.cursor_row == 12
            assert "Head of Platform" in screen.detail_pane.plain

    asyncio.run(scenario())


def test_link_to_a_goal_and_see_it_in_the_detail(sample_db: Path, open_app: Any) -> None:
    async def scenario() -> None:
        async with open_app(sample_db) as pilot:
            await press(pilot, "3")
            await find(pilot, "Felix Wagner")
            assert "none yet: g links this contact to a goal" in pilot.app.screen.detail_pane.plain
            await press(pilot, "g")
            await type_text(pilot, "berl")  # the goals filter as you type
            assert [g.label for g in pilot.app.screen.shown] == ["Build a peer network in Berlin"]
            await press(pilot, "enter", "tab", "p")  # tick it, then its role: peer
            await press(pilot, "ctrl+s")
            detail = pilot.app.screen.detail_pane.plain
            assert "Build a peer network in Berlin  peer" in detail

    asyncio.run(scenario())
    felix = contact_service.contact_detail("Felix Wagner")
    assert [(g.title, g.role) for g in felix.goals] == [("Build a peer network in Berlin", "peer")]


def test_logging_an_interaction_moves_next_due(sample_db: Path, open_app: Any) -> None:
    async def scenario() -> None:
        async with open_app(sample_db) as pilot:
            await press(pilot, "3")
            await find(pilot, "Samir")
            before = pilot.app.screen.selected
            assert before.next_due < dt.date(2026, 11, 23)
            await press(pilot, "l")
            await paste(pilot, "Coffee about climate VCs")
            await press(pilot, "ctrl+s")
            after = pilot.app.screen.selected
            assert after.name == "Samir Haddad"
            assert after.last_contacted == dt.date(2026, 11, 23)
            assert after.next_due == dt.date(2026, 11, 23) + dt.timedelta(days=90)
            assert "interaction: Coffee about climate VCs" in pilot.app.screen.detail_pane.plain

    asyncio.run(scenario())
    logged = interactions.list_interactions(contact="Samir Haddad", limit=1)[0]
    assert (logged.summary, logged.channel) == (
        "Coffee about climate VCs",
        "coffee",
    )


def test_a_log_dated_ahead_says_beside_the_date_that_it_counts_from_then(
    sample_db: Path, open_app: Any
) -> None:
    """rapport log notes a date still to come; the app's form said nothing, and the
    contact's last contact quietly became a day in the future."""

    async def scenario() -> tuple[str, str]:
        async with open_app(sample_db) as pilot:
            await log_form_for(pilot, "Samir", "Lunch booked")
            await press(pilot, "shift+tab", "ctrl+a", "ctrl+k")
            await type_text(pilot, "next fri")
            ahead = field_message(pilot, "date")
            await press(pilot, "ctrl+a", "ctrl+k")
            await type_text(pilot, "yesterday")
            return ahead, field_message(pilot, "date")

    ahead, past = asyncio.run(scenario())
    assert ahead == "→ Fri 27 Nov 2026: still to come; it counts from that day"
    assert past == "→ Sun 22 Nov 2026"


def test_log_with_a_follow_up_in_the_same_form(sample_db: Path, open_app: Any) -> None:
    async def scenario() -> None:
        async with open_app(sample_db) as pilot:
            await log_form_for(pilot, "Felix", "Berlin meetup plans")
            # summary -> direction -> notes -> follow-up
            await press(pilot, "tab", "tab", "tab")
            await paste(pilot, "Send Felix the talk abstract")
            await press(pilot, "tab")
            await press(pilot, "ctrl+a", "ctrl+k")
            await type_text(pilot, "fri")
            assert field_message(pilot, "follow_up_due") == "→ Fri 27 Nov 2026"
            await press(pilot, "ctrl+s")

    asyncio.run(scenario())
    from rapport.services import followups

    made = [r for r in followups.list_followups() if r.title == "Send Felix the talk abstract"]
    assert made and made[0].due_date == dt.date(2026, 11, 27)
    assert made[0].contact is not None and made[0].contact.name == "Felix Wagner"


def test_archive_hides_and_the_archived_view_restores(sample_db: Path, open_app: Any) -> None:
    async def scenario() -> None:
        async with open_app(sample_db) as pilot:
            await press(pilot, "3")
            await find(pilot, "Yuki")
            await press(pilot, "x")
            await find(pilot, "")
            assert "Yuki Sato" not in names(pilot)
            await press(pilot, "v")
            assert names(pilot) == ["Yuki Sato"]
            await press(pilot, "x")
            assert names(pilot) == []
            await press(pilot, "v")
            assert "Yuki Sato" in names(pilot)

    asyncio.run(scenario())
    assert not contact_service.contact_detail("Yuki Sato").contact.archived


def test_delete_asks_and_cancel_keeps_the_contact(sample_db: Path, open_app: Any) -> None:
    async def scenario() -> None:
        async with open_app(sample_db) as pilot:
            await press(pilot, "3")
            await find(pilot, "Yuki")
            await press(pilot, "D")
            assert "Delete Yuki Sato?" in str(pilot.app.screen.query_one("#dialog-title").render())
            await press(pilot, "n")
            assert "Yuki Sato" in names(pilot)
            await press(pilot, "D", "y")
            assert "Yuki Sato" not in names(pilot)

    asyncio.run(scenario())
    assert all(r.name != "Yuki Sato" for r in contact_service.contact_rows(archived=None))


def test_edit_a_logged_interaction_of_a_contact(sample_db: Path, open_app: Any) -> None:
    newest = interactions.list_interactions(contact="Samir Haddad", limit=1)[0]
    assert (newest.channel, newest.date) == ("meeting", dt.date(2026, 4, 27))

    async def scenario() -> None:
        async with open_app(sample_db) as pilot:
            await press(pilot, "3")
            await find(pilot, "Samir")
            await press(pilot, "t", "enter")  # the newest interaction with Samir
            form = pilot.app.screen
            assert form.title_text == "Edit the meeting of Mon 27 Apr 2026"
            await press(pilot, "tab", "tab", "tab")  # channel, date, summary
            await press(pilot, "ctrl+a", "ctrl+k")
            await paste(pilot, "Intro call about climate funds")
            await press(pilot, "ctrl+s")
            assert "interaction: Intro call about climate funds" in (
                pilot.app.screen.detail_pane.plain
            )

    asyncio.run(scenario())
    latest = interactions.list_interactions(contact="Samir Haddad", limit=1)[0]
    assert latest.summary == "Intro call about climate funds"


def test_keys_typed_ahead_go_where_the_keys_before_them_lead(
    sample_db: Path, open_app: Any
) -> None:
    async def scenario() -> None:
        async with open_app(sample_db) as pilot:
            # All at once, as a fast typist or a paste of keys sends them: the
            # tab opens, "a" reaches the filter (not Add), "e" opens the form
            # and what follows lands in its fields, "x" archiving no one.
            await send_keys(pilot, "3", "slash", *"dana", "enter", "e", "tab", "tab")
            await send_keys(pilot, "ctrl+a", "ctrl+k", *"Boss", *["tab"] * 8, "enter", *"felix")
            await send_keys(pilot, "enter", "x")
            await settle(pilot)
            form = pilot.app.screen
            assert form.title_text == "Edit Dana Whitfield"
            assert form.field("role").raw == "Boss"
            assert [c.label for c in form.field("introduced_by").chosen] == ["Felix Wagner"]
            await press(pilot, "escape", "y")  # discard the changes
            screen = pilot.app.screen
            assert screen.query_one("#filter").value == "dana"
            assert screen.table.has_focus
            # In the box a slash is a character; "/" again starts a new filter.
            await send_keys(pilot, "slash", "a", "slash", "b")
            await settle(pilot)
            assert screen.query_one("#filter").value == "a/b"

    asyncio.run(scenario())
    assert not contact_service.contact_detail("Dana Whitfield").contact.archived


def test_birthday_and_other_emails_and_phones_in_the_form(sample_db: Path, open_app: Any) -> None:
    async def scenario() -> None:
        async with open_app(sample_db) as pilot:
            await press(pilot, "3")
            await find(pilot, "Felix")
            await press(pilot, "e", "tab", "tab", "tab", "tab")  # ... email, other emails
            await paste(pilot, "felix@home.example, FELIX@OLD.EXAMPLE")
            assert field_message(pilot, "other_emails") == "→ 2 more"
            await press(pilot, "tab", "tab")  # phone, other phones
            await paste(pilot, "+49 30 1234567")
            form = pilot.app.screen
            form.field("birthday").focus_control()
            await type_text(pilot, "--2-30")
            assert field_message(pilot, "birthday") == "'--2-30' is not a date"
            await press(pilot, "ctrl+a", "ctrl+k")
            await type_text(pilot, "2030-02-14")  # a day that has not come
            assert field_message(pilot, "birthday") == (
                "'2030-02-14' is after today; give the day they were born "
                "(month and day alone, such as --0214, when the year is not known)"
            )
            await press(pilot, "ctrl+a", "ctrl+k")
            await type_text(pilot, "--02-14")
            assert field_message(pilot, "birthday") == "→ 14 February"
            await press(pilot, "ctrl+s")
            detail = pilot.app.screen.detail_pane.plain
            assert "felix@home.example, felix@old.example" in detail
            assert "Birthday      14 February" in detail

    asyncio.run(scenario())
    felix = contact_service.contact_detail("Felix Wagner").contact
    assert felix.other_emails == "felix@home.example\nfelix@old.example"
    assert (felix.other_phones, felix.birthday) == ("+49 30 1234567", "--0214")


def test_organizations_rename_and_delete_with_confirm(sample_db: Path, open_app: Any) -> None:
    async def scenario() -> None:
        async with open_app(sample_db) as pilot:
            await press(pilot, "3")
            await find(pilot, "Samir")
            await press(pilot, "O")  # Organizations, on Samir's
            screen = pilot.app.screen
            assert screen.MODE == "organizations"
            assert screen.selected.name == "Larkspur Ventures"
            assert "Samir Haddad" in screen.detail_pane.plain
            await press(pilot, "e")
            await press(pilot, "ctrl+a", "ctrl+k")
            await paste(pilot, "Larkspur Climate Ventures")
            await press(pilot, "ctrl+s")
            assert screen.selected.name == "Larkspur Climate Ventures"
            await press(pilot, "D")
            assert "they stay, with no organization" in str(
                pilot.app.screen.query_one("#dialog-note").render()
            )
            await press(pilot, "n")  # kept
            assert screen.selected.name == "Larkspur Climate Ventures"
            await press(pilot, "o")  # its people, on Contacts
            assert names(pilot) == ["Leila Haddadi", "Samir Haddad", "Zara Ahmed"]
            assert "Larkspur Climate Ventures" in pilot.app.screen.detail_pane.plain
            await press(pilot, "O", "D", "y")
            assert "Larkspur Climate Ventures" not in [r.name for r in screen.table.matching]
            await press(pilot, "escape")  # back to Contacts
            assert pilot.app.screen.MODE == "contacts"

    asyncio.run(scenario())
    samir = contact_service.contact_detail("Samir Haddad")
    assert (samir.organization, samir.contact.organization_id) == ("", None)


def test_every_interaction_in_one_list_to_edit_and_delete(sample_db: Path, open_app: Any) -> None:
    async def scenario() -> None:
        async with open_app(sample_db) as pilot:
            await press(pilot, "3", "L")
            screen = pilot.app.screen
            assert screen.MODE == "interactions"
            dates = [r.date for r in screen.table.matching]
            assert dates == sorted(dates, reverse=True)  # newest first
            await find(pilot, "samir")  # who took part, or what was said
            assert {"Samir Haddad", "Leila Haddadi"} <= {r.people for r in screen.table.matching}
            screen.select(next(r.id for r in screen.table.matching if r.people == "Samir Haddad"))
            await settle(pilot)
            await press(pilot, "enter", "tab", "tab", "tab")  # edit: channel, date, summary
            await press(pilot, "ctrl+a", "ctrl+k")
            await paste(pilot, "Intro call about climate funds")
            await press(pilot, "ctrl+s")
            assert screen.selected.summary == "Intro call about climate funds"
            count = len(screen.table.matching)
            await press(pilot, "D", "y")
            assert len(screen.table.matching) == count - 1

    asyncio.run(scenario())
    summaries = [r.summary for r in interactions.list_interactions(limit=None)]
    assert "Intro call about climate funds" not in summaries


def test_the_no_match_message_follows_the_filter(sample_db: Path, open_app: Any) -> None:
    async def scenario() -> None:
        async with open_app(sample_db) as pilot:
            await press(pilot, "3", "slash")
            await type_text(pilot, "zzq")
            assert "No contact matches “zzq”" in pilot.app.screen.detail_pane.plain
            await press(pilot, "backspace")
            assert "No contact matches “zz”" in pilot.app.screen.detail_pane.plain
            await press(pilot, "backspace", "backspace")
            assert "No contact matches" not in pilot.app.screen.detail_pane.plain

    asyncio.run(scenario())


def test_one_esc_leaves_a_form_from_any_field(sample_db: Path, open_app: Any) -> None:
    async def scenario() -> None:
        async with open_app(sample_db) as pilot:
            for keys in (("2", "a", "tab"), ("6", "a", *["tab"] * 6), ("5", "a", *["tab"] * 9)):
                await press(pilot, *keys)  # a multi-line field, a picker, a button
                assert pilot.app.screen.is_modal
                await press(pilot, "escape")
                assert not pilot.app.screen.is_modal

    asyncio.run(scenario())


def test_one_timeline_entry_is_one_entry(sample_db: Path, open_app: Any) -> None:
    from rapport.services import contacts as contacts_service
    from rapport.services import interactions as interaction_service

    contacts_service.create_contact("Zed Zhou")
    interaction_service.log_interaction(["Zed Zhou"], channel="coffee", summary="first chat")

    async def scenario() -> str:
        async with open_app(sample_db, size=(120, 40)) as pilot:
            await press(pilot, "3", "slash")
            await paste(pilot, "Zed Zhou")
            await press(pilot, "enter")
            return str(pilot.app.screen.detail_pane.plain)

    detail = asyncio.run(scenario())
    assert "Timeline 1 entry " in " ".join(detail.split())


def test_the_contact_form_asks_the_declared_fields_in_the_declared_order(
    sample_db: Path, open_app: Any
) -> None:
    from rapport.services.fields import CONTACT_FIELDS, CONTACT_FORM
    from rapport.tui.widgets.fields import Field

    label = {spec.name: spec.label for spec in CONTACT_FIELDS}

    async def scenario() -> None:
        async with open_app(sample_db) as pilot:
            await press(pilot, "3", "a")
            shown = [(f.field_name, f.label_text) for f in pilot.app.screen.query(Field)]
            assert shown == [("name", "Name"), *((name, label[name]) for name in CONTACT_FORM)]

    asyncio.run(scenario())


def test_a_text_field_declared_once_is_asked_by_the_form_and_saved(
    sample_db: Path, open_app: Any, monkeypatch: Any
) -> None:
    # The short path of docs/ARCHITECTURE.md: a column with a cleaner, declared in
    # services/fields.py, and the form asks it with no code of its own.
    from rapport.services import fields
    from rapport.tui.screens import forms

    declared = (*fields.CONTACT_FIELDS, fields.FieldSpec("given_name", None, label="Given name"))
    monkeypatch.setattr(forms, "CONTACT_FIELDS", declared)
    monkeypatch.setattr(forms, "CONTACT_FORM", (*fields.CONTACT_FORM, "given_name"))

    async def scenario() -> None:
        async with open_app(sample_db) as pilot:
            await press(pilot, "3", "a")
            await paste(pilot, "Tara Singh")
            field = pilot.app.screen.query_one("#field-given_name")
            assert field.label_text == "Given name"
            field.query_one("Input").focus()
            await paste(pilot, "Tara")
            await press(pilot, "ctrl+s")
            assert pilot.app.screen.MODE == "contacts"

    asyncio.run(scenario())
    assert contact_service.contact_detail("Tara Singh").contact.given_name == "Tara"


def test_the_sheet_and_contacts_show_call_each_field_the_same(
    sample_db: Path, sample_cli: Any, open_app: Any
) -> None:
    """Every label `rapport contacts show` prints is the label of the same value on the
    app's sheet (the name and its role at the organization head the sheet, unlabelled)."""
    sample_cli(
        "contacts",
        "edit",
        "Dana Whitfield",
        "--other-emails",
        "dana@home.example",
        "--other-phones",
        "+1 415 555 0199",
        "--birthday",
        "1984-05-02",
        "--met-at",
        "PlatformCon",
    )
    shown = sample_cli("contacts", "show", "Dana Whitfield").output
    printed = {
        line.split(":", 1)[0]
        for line in shown.split("\n\n", 1)[0].splitlines()
        if not line.startswith(" ")
    } - {"Contact", "Organization", "Role"}

    async def scenario() -> str:
        async with open_app(sample_db, (120, 50)) as pilot:
            await press(pilot, "3")
            await find(pilot, "Dana Whitfield")
            return str(pilot.app.screen.detail_pane.plain)

    sheet = asyncio.run(scenario())
    labels = {line[:14].strip() for line in sheet.splitlines() if line[:1] != " "}
    assert {"Other emails", "Other phones", "Connected on", "Next touch", "Met at"} <= printed
    assert printed - labels == set(), sheet
    assert "dana@home.example" in sheet and "+1 415 555 0199" in sheet
