"""The command line as a person uses it: every group, errors as one line, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rapport.models import Contact, Goal


def test_add_list_show_edit_delete_a_contact(cli) -> None:
    r = cli(
        "contacts",
        "add",
        "Dana Whitfield",
        "--org",
        "Northwind",
        "--email",
        "dana@nw.example",
        "--cadence",
        "30",
        "--tag",
        "mentor",
        "--tag",
        "platform",
    )
    assert r.exit_code == 0, r.output
    assert r.stdout == "Added contact #1: Dana Whitfield\n"
    listed = cli("contacts", "list")
    assert "Dana Whitfield" in listed.stdout and "Northwind" in listed.stdout
    shown = cli("contacts", "show", "dana")
    assert "Stay in touch: every 30 days" in shown.stdout
    assert "Tags:          mentor, platform" in shown.stdout
    assert "Last contact:  never\n" in shown.stdout  # as the app's sheet calls it
    assert (
        cli("contacts", "edit", "dana", "--role", "Director", "--remove-tag", "platform").exit_code
        == 0
    )
    data = json.loads(cli("contacts", "show", "1", "--json").stdout)
    assert (data["role"], data["tags"]) == ("Director", ["mentor"])
    r = cli("contacts", "delete", "dana", input="n\n")
    assert r.exit_code == 1 and "Aborted" in r.output
    assert json.loads(cli("contacts", "list", "--json").stdout)[0]["name"] == "Dana Whitfield"
    assert cli("contacts", "delete", "dana", "--yes").exit_code == 0
    assert json.loads(cli("contacts", "list", "--json").stdout) == []


def test_bad_input_is_one_line_on_stderr_with_the_exit_code_of_its_kind(cli) -> None:
    cli("contacts", "add", "Dana Whitfield")
    cli("contacts", "add", "Dana Li")
    cases = [
        (
            ("contacts", "add", "X", "--email", "bad"),
            2,
            "rapport: email: 'bad' is not an email address\n",
        ),
        (("log", "nobody"), 3, "rapport: no contact matches 'nobody'\n"),
        (("log", "Dana Whitfield", "--date", "someday"), 2, None),
        (("followups", "show", "99"), 3, "rapport: no follow-up with id 99\n"),
        (("contacts", "edit", "dana", "--role", "x"), 4, None),
    ]
    for args, code, message in cases:
        r = cli(*args)
        assert r.exit_code == code, (args, r.output)
        assert r.stdout == ""
        assert r.stderr.count("\n") == 1 and r.stderr.startswith("rapport: ")
        assert "Traceback" not in r.stderr
        if message:
            assert r.stderr == message
    ambiguous = cli("log", "dana")
    assert "#1 Dana Whitfield" in ambiguous.stderr and "#2 Dana Li" in ambiguous.stderr


def test_log_is_quick_and_resets_the_next_touch(cli) -> None:
    cli("contacts", "add", "Dana Whitfield", "--cadence", "30", "--connected-on", "2026-01-01")
    before = json.loads(cli("contacts", "list", "--json").stdout)[0]
    assert before["next_due"] == "2026-01-31"
    r = cli(
        "log",
        "Dana Whitfield",
        "--channel",
        "coffee",
        "--gave",
        "intro to Priya",
        "--date",
        "yesterday",
    )
    assert r.stdout == "Logged interaction #1 on 2026-11-22 (coffee, gave)\n"
    after = json.loads(cli("contacts", "list", "--json").stdout)[0]
    assert (after["last_contacted"], after["next_due"]) == ("2026-11-22", "2026-12-22")
    listed = json.loads(cli("interactions", "list", "--json").stdout)
    assert listed[0]["summary"] == "intro to Priya" and listed[0]["direction"] == "gave"
    assert cli("log", "dana", "--gave", "a", "--asked", "b").exit_code == 2


def test_log_can_create_the_follow_up_in_the_same_breath(cli) -> None:
    cli("contacts", "add", "Dana Whitfield")
    r = cli("log", "dana", "--summary", "catch-up", "--follow-up", "Send the deck", "--due", "fri")
    assert "Added follow-up #1 due 2026-11-27: Send the deck" in r.stdout


def test_goals_group(cli) -> None:
    r = cli(
        "goals",
        "add",
        "Lead a platform team by 2027",
        "--target",
        "2027-12-31",
        "--priority",
        "high",
        "--measure",
        "EM offer",
        "--horizon",
        "short",
    )
    assert r.exit_code == 0
    cli("goals", "add", "Finish course", "--parent", "platform")
    listed = json.loads(cli("goals", "list", "--json").stdout)
    assert [g["title"] for g in listed] == ["Lead a platform team by 2027", "Finish course"]
    assert listed[1]["parent_id"] == 1
    assert cli("goals", "edit", "course", "--status", "achieved").exit_code == 0
    shown = cli("goals", "show", "platform").stdout
    assert "[achieved] Finish course" in shown
    assert "Nobody is linked to this goal yet" in shown
    # A step names the goal it serves (read by the service: no query in the face).
    assert "Step of:  #1 Lead a platform team by 2027" in cli("goals", "show", "course").stdout
    assert cli("goals", "edit", "platform").exit_code == 2  # nothing to change
    assert cli("goals", "delete", "course", "--yes").exit_code == 0
    assert Goal.select().count() == 1


def test_link_and_unlink(cli) -> None:
    cli("goals", "add", "Lead a platform team")
    cli("contacts", "add", "Dana Whitfield")
    cli("events", "add", "PyCon", "--start", "2027-05-14", "--kind", "conference")
    cli("followups", "add", "Email Dana", "--contact", "dana", "--due", "fri")
    r = cli("link", "Dana Whitfield", "--goal", "platform", "--role", "mentor", "--note", "monthly")
    assert (
        r.stdout == "Linked contact #1 Dana Whitfield to goal #1 Lead a platform team as mentor\n"
    )
    assert cli("link", "event:pycon", "--goal", "platform").exit_code == 0
    assert cli("link", "followup:1", "--goal", "1").exit_code == 0
    shown = json.loads(cli("contacts", "show", "dana", "--json").stdout)
    assert shown["goals"] == [
        {"id": 1, "title": "Lead a platform team", "role": "mentor", "note": "monthly"}
    ]
    assert json.loads(cli("followups", "show", "1", "--json").stdout)["goals"] == [
        {"id": 1, "title": "Lead a platform team"}
    ]
    assert cli("unlink", "event:1", "--goal", "platform").exit_code == 0
    again = cli("unlink", "event:1", "--goal", "platform")
    assert again.exit_code == 3 and "is not linked" in again.stderr


def test_followups_group(cli) -> None:
    cli("contacts", "add", "Dana Whitfield")
    cli("followups", "add", "Late", "--contact", "dana", "--due", "-2d")
    cli(
        "followups",
        "add",
        "Monthly check-in",
        "--contact",
        "dana",
        "--due",
        "2026-11-30 08:30",
        "--repeat",
        "monthly",
    )
    cli("followups", "add", "Far away", "--due", "+3m")
    due = json.loads(cli("followups", "due", "--json").stdout)
    assert [f["title"] for f in due] == ["Late", "Monthly check-in"]
    assert due[1]["due_time"] == "08:30" and due[1]["repeat"] == "FREQ=MONTHLY"
    r = cli("followups", "done", "2")
    assert r.stdout == "Done for now: #2 Monthly check-in; next on 2026-12-30\n"
    assert cli("followups", "done", "1").stdout == "Done: #1 Late\n"
    assert cli("followups", "done", "1").stdout == "Already done: #1 Late\n"
    assert cli("followups", "snooze", "3", "--by", "+1w").exit_code == 0
    assert cli("followups", "snooze", "3", "--until", "2027-03-01").stdout.endswith(
        "to 2027-03-01\n"
    )
    listed = json.loads(cli("followups", "list", "--status", "all", "--json").stdout)
    assert {f["title"]: f["done"] for f in listed} == {
        "Late": True,
        "Monthly check-in": False,
        "Far away": False,
    }
    assert cli("followups", "edit", "3", "--repeat", "every 2 weeks").exit_code == 0
    assert cli("followups", "delete", "3", "--yes").exit_code == 0
    assert cli("followups", "due", "--days", "1").stdout == "Nothing due by tomorrow.\n"
    assert cli("followups", "due", "--days", "0").stdout == "Nothing due today.\n"


def test_interviews_group(cli) -> None:
    cli("contacts", "add", "Tomás Ibáñez")
    cli("contacts", "add", "Fatima Al-Sayed")
    cli("goals", "add", "Five EM interviews")
    r = cli(
        "interviews",
        "add",
        "tomas",
        "--at",
        "fri 16:00",
        "--questions",
        "What surprised you?",
        "--goal",
        "EM",
    )
    assert r.stdout == "Added interview #1 with Tomás Ibáñez on 2026-11-27\n"
    r = cli("interviews", "done", "1", "--advice", "Pick one customer", "--referral", "fatima")
    assert r.stdout.startswith(
        "Interview #1 with Tomás Ibáñez is done (dated today; it was planned for Fri 27 Nov)\n"
    )
    assert "Added follow-up #1 due 2026-11-24" in r.stdout
    # Done again (a second terminal, a habit): no second thank-you.
    again = cli("interviews", "done", "1", "--notes", "Follow their newsletter")
    assert again.stdout == "Interview #1 with Tomás Ibáñez was already done\n"
    assert len(json.loads(cli("followups", "list", "--json").stdout)) == 1
    assert json.loads(cli("interviews", "show", "1", "--json").stdout)["notes"] == (
        "Follow their newsletter"
    )
    shown = json.loads(cli("interviews", "show", "1", "--json").stdout)
    assert shown["status"] == "done" and shown["advice"] == "Pick one customer"
    assert shown["referrals"] == [{"id": 2, "name": "Fatima Al-Sayed"}]
    assert shown["goals"][0]["title"] == "Five EM interviews"
    cli("interviews", "add", "fatima")
    r = cli("interviews", "done", "2", "--no-thank-you")
    assert "follow-up" not in r.stdout
    assert cli("interviews", "cancel", "2").exit_code == 0
    assert [i["status"] for i in json.loads(cli("interviews", "list", "--json").stdout)] == [
        "cancelled",
        "done",
    ]


def test_interview_done_with_an_unknown_referral_changes_nothing(cli) -> None:
    cli("contacts", "add", "Dana Whitfield")
    cli("interviews", "add", "dana", "--at", "2026-11-20")
    r = cli("interviews", "done", "1", "--advice", "Ship it", "--referral", "nobody")
    assert r.exit_code != 0
    assert r.stderr == (
        "rapport: no contact matches 'nobody'; someone new? "
        "--new-referral nobody adds them, introduced by Dana Whitfield\n"
    )
    shown = json.loads(cli("interviews", "show", "1", "--json").stdout)
    assert (shown["status"], shown["advice"], shown["referrals"]) == ("planned", "", [])
    assert json.loads(cli("followups", "list", "--json").stdout) == []


def test_an_interview_is_not_done_on_a_day_still_to_come(cli) -> None:
    """Before, `interviews add --status done --at tomorrow` and the same edit were
    taken: a talk that had not happened counted as held.  `interviews done --on`
    gives the day it was held, and refuses one ahead the same way."""
    cli("contacts", "add", "Dana Whitfield")
    cli("interviews", "add", "dana", "--at", "fri 10:00")
    refused = [
        cli("interviews", "done", "1", "--on", "tomorrow", "--advice", "Ship it"),
        cli("interviews", "edit", "1", "--status", "done"),
        cli("interviews", "add", "dana", "--at", "tomorrow", "--status", "done"),
    ]
    for r in refused:
        assert r.exit_code == 2, r.output
        assert r.stderr.count("\n") == 1 and "is still to come" in r.stderr, r.stderr
    assert refused[0].stderr == (
        "rapport: held on: Tue 24 Nov 2026 is still to come: give the day the interview "
        "took place, today or before\n"
    )
    listed = json.loads(cli("interviews", "list", "--json").stdout)
    assert [(i["status"], i["advice"]) for i in listed] == [("planned", "")]
    assert json.loads(cli("followups", "list", "--json").stdout) == []
    r = cli("interviews", "done", "1", "--on", "yesterday")
    assert r.stdout.startswith(
        "Interview #1 with Dana Whitfield is done (dated Sun 22 Nov; it was planned for Fri 27 Nov)"
    )
    assert json.loads(cli("interviews", "show", "1", "--json").stdout)["date"] == "2026-11-22"


def test_events_group(cli) -> None:
    cli("contacts", "add", "Wei Zhang")
    r = cli(
        "events",
        "add",
        "PlatformCon",
        "--start",
        "2027-06-10 09:00",
        "--end",
        "2027-06-11 17:00",
        "--kind",
        "conference",
        "--location",
        "Amsterdam",
        "--role",
        "speaker",
    )
    assert r.exit_code == 0, r.output
    assert cli("events", "met", "platformcon", "wei").exit_code == 0
    shown = json.loads(cli("events", "show", "1", "--json").stdout)
    assert (shown["start_time"], shown["end_date"], shown["my_role"]) == (
        "09:00",
        "2027-06-11",
        "speaker",
    )
    assert shown["attendees"] == [{"id": 1, "name": "Wei Zhang"}]
    # Where we first met is one of the people met there, from whichever side it was said.
    assert cli("contacts", "add", "Mia Okafor", "--met-at", "platformcon").exit_code == 0
    shown = json.loads(cli("events", "show", "1", "--json").stdout)
    assert [a["name"] for a in shown["attendees"]] == ["Mia Okafor", "Wei Zhang"]
    assert json.loads(cli("events", "list", "--json").stdout)[0]["attendee_count"] == 2
    bad = cli("events", "add", "Oops", "--start", "2027-06-10", "--end", "2027-06-01")
    assert bad.exit_code == 2 and "end: ends" in bad.stderr
    assert cli("events", "edit", "platformcon", "--status", "registered").exit_code == 0
    assert json.loads(cli("events", "list", "--json").stdout)[0]["status"] == "registered"


def test_events_list_says_whether_i_met_the_people_or_they_are_going(cli) -> None:
    """The list's MET column counted the people of every event alike: the attendees
    an import brought in for a conference still ahead read as met.  Its column now
    says it in the words of `events show` and import ics, and --json names them."""
    cli("contacts", "add", "Wei Zhang")
    cli("contacts", "add", "Mia Okafor")
    cli("events", "add", "PlatformCon", "--start", "2026-10-20", "--status", "attended")
    cli("events", "add", "DevOpsDays", "--start", "2027-02-05", "--status", "registered")
    cli("events", "add", "Webinar", "--start", "2026-11-04", "--status", "skipped")
    cli("events", "met", "platformcon", "wei", "mia")
    cli("events", "met", "devopsdays", "wei")
    cli("events", "met", "webinar", "mia")
    lines = cli("events", "list").stdout.splitlines()
    column = lines[0].index("PEOPLE")
    assert [line[column:].split("  ")[0] for line in lines[1:]] == [
        "2 met there",
        "1 was there",
        "1 going",
    ]
    listed = json.loads(cli("events", "list", "--json").stdout)
    assert [(e["attendee_count"], e["attendees_heading"]) for e in listed] == [
        (2, "Met there"),
        (1, "Were there"),
        (1, "Going"),
    ]
    shown = json.loads(cli("events", "show", "devopsdays", "--json").stdout)
    assert shown["attendees_heading"] == "Going"
    assert "Going:" in cli("events", "show", "devopsdays").stdout


def test_orgs_group(cli) -> None:
    assert cli("orgs", "add", "Northwind", "--industry", "Cloud").exit_code == 0
    dup = cli("orgs", "add", "NORTHWIND")
    assert dup.exit_code == 2 and "exists already" in dup.stderr
    cli("contacts", "add", "Dana", "--org", "northwind")
    listed = json.loads(cli("orgs", "list", "--json").stdout)
    assert listed == [
        {
            "id": 1,
            "name": "Northwind",
            "industry": "Cloud",
            "website": "",
            "notes": "",
            "contacts": 1,
        }
    ]
    assert cli("orgs", "edit", "north", "--website", "northwind.example").exit_code == 0
    assert (
        json.loads(cli("orgs", "show", "1", "--json").stdout)["website"]
        == "https://northwind.example"
    )
    assert cli("orgs", "delete", "northwind", "--yes").exit_code == 0
    assert Contact.get().organization_id is None


def test_archive_and_restore(cli) -> None:
    cli("contacts", "add", "Dana")
    assert "undo: rapport contacts restore 1" in cli("contacts", "archive", "dana").stdout
    assert json.loads(cli("contacts", "list", "--json").stdout) == []
    assert [
        c["name"] for c in json.loads(cli("contacts", "list", "--archived", "--json").stdout)
    ] == ["Dana"]
    cli("contacts", "restore", "dana")
    assert [c["name"] for c in json.loads(cli("contacts", "list", "--json").stdout)] == ["Dana"]


@pytest.mark.parametrize("text", ['"', "AND", "NEAR(", "*", 'x" OR 1=1'])
def test_search_never_shows_an_sql_error(sample_cli, text: str) -> None:
    r = sample_cli("search", text)
    assert r.exit_code in (0, 2)
    assert "Traceback" not in r.output and "sqlite" not in r.output.lower()


def test_today_shows_what_is_owed(sample_cli) -> None:
    out = sample_cli("today").stdout
    assert out.startswith("Today, Monday 23 November 2026")
    assert "Send Dana the platform strategy draft with Dana Whitfield" in out
    assert "Going cold" in out
    # In the review's words: 210 days since, every 90 is cold; 40 every 30 is due.
    assert "Samir Haddad (Larkspur Ventures): cold, last talked 210 days ago, every 90" in out
    assert "Noah Feldman (Tessellate): due, last talked 40 days ago, every 30 days" in out


def test_today_prints_its_agenda_in_one_write(sample_cli, monkeypatch) -> None:
    # A large network's going-cold list is thousands of lines: a flush each
    # was a tenth of `rapport today`.
    import click

    echoed: list[str] = []
    echo = click.echo

    def counted(message: object = None, *args: object, **kwargs: object) -> None:
        echoed.append(str(message))
        echo(message, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(click, "echo", counted)
    out = sample_cli("today").stdout

    assert len(echoed) == 1 and "Going cold" in out and "Samir Haddad" in out


def test_backup_writes_a_copy_beside_the_database(cli, tmp_path) -> None:
    cli("contacts", "add", "Dana")
    r = cli("backup")
    assert r.exit_code == 0
    written = Path(r.stdout.removeprefix("Backed up to ").strip())
    assert written.parent == cli.db.with_name("cli-backups")
    assert written.name.endswith("-manual.db") and written.is_file()
    target = tmp_path / "elsewhere.db"
    assert cli("backup", str(target)).stdout == f"Backed up to {target}\n"


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (
            ["log", "dana", "--channel", "pigeon"],
            "rapport: Invalid value for '--channel': 'pigeon' is not one of 'email', 'call', "
            "'video', 'coffee', 'meeting', 'message', 'event' (see 'rapport log --help')\n",
        ),
        (["--colour"], "rapport: No such option '--colour' (see 'rapport --help')\n"),
        (
            ["contcts", "list"],
            "rapport: No such command 'contcts'. Did you mean 'contacts'? (see 'rapport --help')\n",
        ),
        (
            ["contacts", "show"],
            "rapport: Missing argument 'CONTACT' (see 'rapport contacts show --help')\n",
        ),
    ],
)
def test_a_mistyped_command_or_option_is_one_line(cli, args: list[str], said: str) -> None:
    result = cli(*args)
    assert (result.exit_code, result.stderr, result.stdout) == (2, said, "")


def test_a_group_without_its_command_shows_its_help(cli) -> None:
    result = cli("contacts")
    assert result.exit_code == 2 and "Commands:" in result.output


def test_dates_that_cannot_be_yet_are_refused_and_planned_ones_noted(cli) -> None:
    cli("contacts", "add", "Dana Whitfield")
    cli("followups", "add", "Send the deck", "--contact", "dana", "--due", "+3d")

    connected = cli("contacts", "edit", "dana", "--connected-on", "tomorrow")
    assert connected.exit_code == 2
    assert connected.stderr == "rapport: connected on: Tue 24 Nov 2026 is still to come\n"
    snoozed = cli("followups", "snooze", "1", "--until", "yesterday")
    assert snoozed.exit_code == 2
    assert "Sun 22 Nov 2026 has passed; snooze moves a follow-up later" in snoozed.stderr
    assert json.loads(cli("followups", "list", "--json").stdout)[0]["due_date"] == "2026-11-26"

    planned = cli("log", "dana", "--channel", "call", "--date", "fri")
    assert planned.exit_code == 0
    assert planned.stdout.endswith("Note: Fri 27 Nov is still to come; it counts from that day\n")


def test_backup_never_replaces_a_file_unless_told(cli, tmp_path) -> None:
    cli("contacts", "add", "Dana")
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes")

    refused = cli("backup", str(notes))
    assert refused.exit_code != 0
    assert (
        refused.output
        == f"rapport: {notes} already exists; give another name, or --force to replace it\n"
    )
    assert notes.read_text() == "my notes"

    assert cli("backup", str(notes), "--force").exit_code == 0
    assert notes.read_bytes().startswith(b"SQLite format 3")

    nowhere = cli("backup", str(tmp_path / "no-such-folder" / "b.db"))
    assert nowhere.output == (
        f"rapport: could not back up to {tmp_path / 'no-such-folder' / 'b.db'}: "
        "No such file or directory\n"
    )


def test_birthday_and_other_ways_to_reach_someone(cli) -> None:
    r = cli(
        "contacts",
        "add",
        "Dana",
        "--birthday",
        "--0214",
        "--other-emails",
        "dana@home.example, D@Work.example",
        "--other-phones",
        "+1 415 555 0100",
    )
    assert r.exit_code == 0, r.output
    shown = json.loads(cli("contacts", "show", "dana", "--json").stdout)
    assert shown["birthday"] == "--0214"
    assert shown["other_emails"] == ["dana@home.example", "d@work.example"]
    assert shown["other_phones"] == ["+1 415 555 0100"]
    text = cli("contacts", "show", "dana").stdout
    assert "Birthday:     14 February\n" in text
    assert "Other phones: +1 415 555 0100\n" in text
    bad = cli("contacts", "edit", "dana", "--birthday", "Feb 30")
    assert bad.exit_code == 2 and bad.stderr.startswith("rapport: birthday:")
    assert cli("contacts", "edit", "dana", "--birthday", "1990-02-14").exit_code == 0
    assert json.loads(cli("contacts", "show", "dana", "--json").stdout)["birthday"] == "1990-02-14"


def test_a_birthday_after_today_is_refused(cli) -> None:
    # `contacts add "Dana Li" --birthday 2030-01-01` was taken.  Today is 2026-11-23.
    said = (
        "rapport: birthday: '{}' is after today; give the day they were born "
        "(month and day alone, such as --0214, when the year is not known)\n"
    )
    added = cli("contacts", "add", "Dana Li", "--birthday", "2030-01-01")
    assert (added.exit_code, added.stdout, added.stderr) == (2, "", said.format("2030-01-01"))
    assert not cli.db.exists()
    assert cli("contacts", "add", "Dana Li", "--birthday", "2026-11-23").exit_code == 0
    edited = cli("contacts", "edit", "dana", "--birthday", "2026-11-24")
    assert (edited.exit_code, edited.stderr) == (2, said.format("2026-11-24"))
    assert cli("contacts", "edit", "dana", "--birthday", "--1124").exit_code == 0  # no year
    assert json.loads(cli("contacts", "show", "dana", "--json").stdout)["birthday"] == "--1124"


def test_an_edit_with_nothing_to_change_points_to_help_once(cli) -> None:
    cli("goals", "add", "Lead a platform team")
    r = cli("goals", "edit", "1")
    assert r.exit_code == 2
    assert r.stderr == (
        "rapport: give at least one field to change (see 'rapport goals edit --help')\n"
    )


def test_a_referral_names_the_interview_as_typed_with_or_without_hash(cli) -> None:
    cli("contacts", "add", "Dana Whitfield")
    cli("contacts", "add", "Priya Raman")
    cli("interviews", "add", "Dana Whitfield")
    r = cli("interviews", "refer", "#1", "Priya")
    assert r.exit_code == 0, r.output
    assert r.stdout == "Interview #1 referred you to Priya Raman\n"
