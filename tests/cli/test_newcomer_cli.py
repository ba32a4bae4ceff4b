"""What a newcomer met running the README in order and living with the CLI:
the skill a follow-up or interview is about shown where it is read, a
follow-up about a skill serving the goals that need it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

Cli = Any  # tests/conftest.py's Cli: run rapport in-process against one database


@pytest.fixture
def hiring(cli: Cli) -> Cli:
    for args in (
        ("goals", "add", "Lead a platform team"),
        ("goals", "add", "Learn to garden"),
        ("contacts", "add", "Dana Whitfield"),
        ("goals", "need", "platform", "Hiring", "--level", "4"),
        ("me", "skill", "SQL", "--level", "2"),
    ):
        result = cli(*args)
        assert result.exit_code == 0, (args, result.output)
    return cli


def test_followup_skill_shown_in_show_json_and_list(hiring: Cli) -> None:
    added = hiring(
        "followups", "add", "Ask Dana about hiring", "--contact", "Dana", "--skill", "hiring"
    )
    assert added.exit_code == 0, added.output
    assert "Skill:        Hiring" in hiring("followups", "show", "1").output.splitlines()
    shown = json.loads(hiring("followups", "show", "1", "--json").output)
    assert shown["skill"] == {"id": 1, "name": "Hiring"}
    listed = json.loads(hiring("followups", "list", "--json").output)
    assert listed[0]["skill"] == {"id": 1, "name": "Hiring"}
    header, row = hiring("followups", "list").output.splitlines()
    assert header.split()[-1] == "SKILL" and row.endswith("Hiring")


def test_followup_list_without_skills_has_no_skill_column(hiring: Cli) -> None:
    hiring("followups", "add", "Send Dana the deck", "--contact", "Dana")
    assert "SKILL" not in hiring("followups", "list").output


def test_interview_skill_shown(hiring: Cli) -> None:
    assert hiring("interviews", "add", "Dana", "--skill", "Hiring").exit_code == 0
    assert "Skill:          Hiring" in hiring("interviews", "show", "1").output.splitlines()
    shown = json.loads(hiring("interviews", "show", "1", "--json").output)
    assert shown["skill"] == {"id": 1, "name": "Hiring"}


def test_followup_about_a_needed_skill_serves_the_goal_and_its_calendar(hiring: Cli) -> None:
    added = hiring(
        "followups", "add", "Ask Dana about hiring", "--contact", "Dana", "--skill", "Hiring"
    )
    assert added.output.splitlines()[1] == "Serves #1 Lead a platform team, which needs Hiring"
    assert json.loads(hiring("followups", "show", "1", "--json").output)["goals"] == [
        {"id": 1, "title": "Lead a platform team"}
    ]
    calendar = hiring("export", "ics", "-o", "-", "--goal", "platform").output
    assert "SUMMARY:Follow up: ask Dana about hiring" in calendar


def test_followup_about_a_skill_two_goals_need_says_they_need_it(hiring: Cli) -> None:
    hiring("goals", "need", "garden", "Hiring", "--level", "3")
    added = hiring("followups", "add", "Ask Dana about hiring", "--skill", "hiring")
    assert added.output.splitlines()[1] == (
        "Serves #1 Lead a platform team, #2 Learn to garden, which need Hiring"
    )


def test_followup_with_goal_given_keeps_that_goal_alone(hiring: Cli) -> None:
    hiring("followups", "add", "Ask about hiring", "--skill", "Hiring", "--goal", "garden")
    goals = json.loads(hiring("followups", "show", "1", "--json").output)["goals"]
    assert [g["title"] for g in goals] == ["Learn to garden"]


def test_followup_about_a_skill_no_goal_needs_says_so(hiring: Cli) -> None:
    added = hiring("followups", "add", "Ask Dana about SQL", "--contact", "Dana", "--skill", "SQL")
    assert added.exit_code == 0
    assert added.output.splitlines()[1] == (
        "No active goal needs SQL: it serves no goal "
        "(add one with `rapport link followup:1 --goal GOAL`)"
    )


def test_referral_to_someone_new_says_how_to_add_them(cli: Cli, dump) -> None:
    cli("contacts", "add", "Dana Whitfield")
    cli("interviews", "add", "Dana")
    before = dump(cli.db)
    refused = cli("interviews", "done", "1", "--referral", "Lena Park")
    assert refused.exit_code == 3
    assert refused.stderr.strip() == (
        "rapport: no contact matches 'Lena Park'; someone new? "
        "--new-referral 'Lena Park' adds them, introduced by Dana Whitfield"
    )
    assert dump(cli.db) == before


def test_new_referral_is_added_as_introduced_by_the_person_interviewed(cli: Cli) -> None:
    cli("contacts", "add", "Dana Whitfield")
    cli("interviews", "add", "Dana")
    done = cli("interviews", "done", "1", "--new-referral", "Lena Park")
    assert done.exit_code == 0, done.output
    shown = json.loads(cli("interviews", "show", "1", "--json").output)
    assert [p["name"] for p in shown["referrals"]] == ["Lena Park"]
    lena = json.loads(cli("contacts", "show", "Lena", "--json").output)
    assert lena["introduced_by"] == {"id": 1, "name": "Dana Whitfield"}
    assert done.output.splitlines()[1] == (
        "Referred you to Lena Park (new contact #2, introduced by Dana Whitfield)"
    )


def test_referrals_say_who_was_referred_existing_and_new(cli: Cli) -> None:
    cli("contacts", "add", "Dana Whitfield")
    cli("contacts", "add", "Mei Lin")
    cli("interviews", "add", "Dana")
    done = cli(
        "interviews", "done", "1", "--referral", "Mei", "--new-referral", "Lena Park",
        "--new-referral", "Tara Singh", "--no-thank-you",
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    assert done.output.splitlines()[1:] == [
        "Referred you to Lena Park (new contact #3, introduced by Dana Whitfield), "
        "Mei Lin, Tara Singh (new contact #4, introduced by Dana Whitfield)"
    ]


@pytest.mark.parametrize(
    ("names", "said"),
    [
        (
            ["Lena Park", "lena  park"],
            "rapport: new-referral: Lena Park is given twice; give them once",
        ),
        (
            ["Mei Lin"],
            "rapport: new-referral: Mei Lin is a contact already (#2); "
            "did you mean --referral 'Mei Lin'?",
        ),
        ([""], "rapport: new-referral: must not be empty"),
    ],
)
def test_new_referral_refuses_a_name_twice_or_a_contact_already_there(
    cli: Cli, dump, names: list[str], said: str
) -> None:
    cli("contacts", "add", "Dana Whitfield")
    cli("contacts", "add", "Mei Lin")
    cli("interviews", "add", "Dana")
    before = dump(cli.db)
    args = [arg for name in names for arg in ("--new-referral", name)]
    refused = cli("interviews", "done", "1", *args)
    assert refused.exit_code == 2
    assert refused.stderr.strip() == said
    assert dump(cli.db) == before


def test_referral_hint_quotes_a_name_with_an_apostrophe_readably(cli: Cli) -> None:
    cli("contacts", "add", "Dana Whitfield")
    cli("interviews", "add", "Dana")
    refused = cli("interviews", "done", "1", "--referral", "Lena O'Park")
    assert '--new-referral "Lena O\'Park" adds them' in refused.stderr


CALENDAR = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//test//test//EN
BEGIN:VEVENT
UID:summit@example.com
DTSTAMP:20261101T120000Z
DTSTART;VALUE=DATE:20270210
SUMMARY:Platform Summit
ORGANIZER;CN=Wei Zhang:mailto:wei@example.com
ATTENDEE;CN=Dana Whitfield:mailto:dana@example.com
ATTENDEE:mailto:stranger@example.com
END:VEVENT
END:VCALENDAR
"""


@pytest.mark.parametrize("dry_run", [True, False])
def test_import_ics_names_the_attendees_it_leaves_out(
    cli: Cli, tmp_path: Path, dry_run: bool
) -> None:
    cli("contacts", "add", "Dana Whitfield", "--email", "dana@example.com")
    calendar = tmp_path / "summit.ics"
    calendar.write_text(CALENDAR)
    result = cli("import", "ics", str(calendar), *(["--dry-run"] if dry_run else []))
    assert result.exit_code == 0, result.output
    # The organizer (on your own calendar, you) is nobody to add: not named.
    assert result.output.splitlines()[-1].endswith(
        "1 of your contacts among the attendees, "
        "1 person not among your contacts, not added (stranger@example.com)"
    )


def test_import_ics_counts_a_contact_at_several_events_once_and_adds_an_organizer(
    cli: Cli, tmp_path: Path
) -> None:
    cli("contacts", "add", "Dana Whitfield", "--email", "dana@example.com")
    cli("contacts", "add", "Wei Zhang", "--email", "wei@example.com")
    second = CALENDAR.replace("summit@", "workshop@").replace("Platform Summit", "Workshop")
    calendar = tmp_path / "two.ics"
    calendar.write_text(CALENDAR.replace("END:VCALENDAR\n", second.split("VERSION:2.0\n")[1]))
    result = cli("import", "ics", str(calendar))
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1].endswith(
        "2 of your contacts among the attendees, "
        "1 person not among your contacts, not added (stranger@example.com)"
    )
    shown = cli("events", "show", "Workshop").output.splitlines()
    assert "Going:   Dana Whitfield, Wei Zhang" in shown


def test_import_ics_names_a_person_once_whatever_each_event_calls_them(
    cli: Cli, tmp_path: Path
) -> None:
    def event(uid: str, attendee: str) -> str:
        return (
            f"BEGIN:VEVENT\nUID:{uid}\nDTSTAMP:20261101T120000Z\n"
            f"DTSTART;VALUE=DATE:20270210\nSUMMARY:{uid}\n{attendee}\nEND:VEVENT\n"
        )

    calendar = tmp_path / "two.ics"
    calendar.write_text(
        "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//test//test//EN\n"
        + event("a", "ATTENDEE:mailto:yolanda@x.example")
        + event("b", "ATTENDEE;CN=Yolanda Ruiz:mailto:Yolanda@X.example")
        + event("c", "ATTENDEE;CN=Y. Ruiz:mailto:yolanda@x.example")
        + "END:VCALENDAR\n"
    )
    result = cli("import", "ics", str(calendar))
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1].endswith(
        "1 person not among your contacts, not added (Yolanda Ruiz <yolanda@x.example>)"
    )


def test_people_of_an_event_still_ahead_are_going_not_met(cli: Cli, tmp_path: Path) -> None:
    cli("contacts", "add", "Dana Whitfield", "--email", "dana@example.com")
    calendar = tmp_path / "summit.ics"
    calendar.write_text(CALENDAR)
    cli("import", "ics", str(calendar))
    shown = cli("events", "show", "Summit").output.splitlines()
    assert "Going:   Dana Whitfield" in shown
    assert not any(line.startswith("Met there") for line in shown)
    cli("events", "edit", "Summit", "--status", "attended")
    assert "Met there: Dana Whitfield" in cli("events", "show", "Summit").output.splitlines()


@pytest.mark.parametrize("status", ["considering", "registered"])
def test_people_of_an_event_now_past_are_met_there_not_going(cli: Cli, status: str) -> None:
    cli("events", "add", "Berlin meetup", "--start", "-10d", "--status", status)
    cli("contacts", "add", "Zed Test")
    assert cli("events", "met", "Berlin meetup", "Zed Test").exit_code == 0
    shown = cli("events", "show", "Berlin meetup").output.splitlines()
    assert "Met there: Zed Test" in shown
    assert not any(line.startswith("Going") for line in shown)
    cli("events", "edit", "Berlin meetup", "--status", "skipped")
    assert "Were there: Zed Test" in cli("events", "show", "Berlin meetup").output.splitlines()


def test_people_of_an_event_on_today_are_still_going(cli: Cli) -> None:
    cli("events", "add", "Lunch talk", "--start", "-2d", "--end", "today")
    cli("contacts", "add", "Zed Test")
    cli("events", "met", "Lunch talk", "Zed Test")
    assert "Going:   Zed Test" in cli("events", "show", "Lunch talk").output.splitlines()


def test_today_on_an_empty_database_welcomes_with_first_steps(cli: Cli) -> None:
    lines = cli("today").output.splitlines()
    assert lines[2].startswith("Welcome to rapport")
    assert lines[6:9] == [
        '  [ ] Add a goal       rapport goals add "Lead a platform team" --target 2027-12-31',
        "  [ ] Import contacts  rapport import linkedin Connections.csv  (or import vcard)",
        '  [ ] Add a follow-up  rapport followups add "Send Dana the deck" --contact dana',
    ]
    assert "Overdue" not in cli("today").output
    cli("goals", "add", "Lead a platform team")
    assert "  [x] Add a goal" in cli("today").output


def test_today_after_the_first_steps_lists_as_before(cli: Cli) -> None:
    cli("goals", "add", "Lead a platform team")
    cli("contacts", "add", "Dana Whitfield")
    cli("followups", "add", "Send Dana the deck", "--contact", "Dana", "--due", "+30d")
    out = cli("today").output
    assert "Welcome" not in out and "Overdue (0)" in out


def test_today_with_goals_and_people_but_no_follow_up_lists_instead_of_welcoming(
    cli: Cli,
) -> None:
    cli("goals", "add", "Lead a platform team")
    cli("contacts", "add", "Dana Whitfield")
    out = cli("today").output
    assert "Welcome" not in out
    assert "Overdue (0)" in out and "Going cold (0)" in out


def test_interview_about_a_needed_skill_serves_the_goal(hiring: Cli) -> None:
    added = hiring("interviews", "add", "Dana", "--skill", "Hiring")
    assert added.output.splitlines()[1] == "Serves #1 Lead a platform team, which needs Hiring"
    goals = json.loads(hiring("interviews", "show", "1", "--json").output)["goals"]
    assert [g["title"] for g in goals] == ["Lead a platform team"]
    other = hiring("interviews", "add", "Dana", "--skill", "SQL")
    assert other.output.splitlines()[1] == (
        "No active goal needs SQL: it serves no goal "
        "(add one with `rapport link interview:2 --goal GOAL`)"
    )


def test_someone_you_were_referred_to_is_suggested_until_contacted(cli: Cli) -> None:
    cli("contacts", "add", "Dana Whitfield")
    cli("interviews", "add", "Dana", "--at", "-3d")
    cli("interviews", "done", "1", "--new-referral", "Lena Park", "--no-thank-you")

    def suggested() -> list[tuple[str, str, str]]:
        found = json.loads(cli("review", "--json").output)["suggestions"]
        return [(s["contact"]["name"], s["kind"], s["reason"]) for s in found]

    assert (
        "Lena Park",
        "referred",
        "referred by Dana Whitfield in the interview on 20 Nov, not contacted since",
    ) in suggested()
    cli("log", "Lena", "--channel", "email", "--summary", "hello from Dana's intro")
    assert "Lena Park" not in [name for name, _, _ in suggested()]


def edit_refuses_an_unknown_skill_and_clears_one(
    hiring: Cli, dump: Any, group: str, *other_change: str
) -> None:
    """The same check as add: an existing skill, or one line, exit 3, nothing
    changed (``other_change`` neither); '' takes record 1's skill away."""
    before = dump(hiring.db)
    refused = hiring(group, "edit", "1", "--skill", "SQLL", *other_change)
    assert refused.exit_code == 3
    assert refused.stderr.splitlines() == [refused.stderr.strip()]
    assert "did you mean 'SQL'" in refused.stderr
    assert dump(hiring.db) == before
    assert hiring(group, "edit", "1", "--skill", "").exit_code == 0
    assert json.loads(hiring(group, "show", "1", "--json").output)["skill"] is None


def test_followup_edit_sets_and_clears_its_skill(hiring: Cli, dump) -> None:
    """`followups add` took --skill and `followups edit` did not: a follow-up
    added without one could not be given one (click: no such option)."""
    hiring("followups", "add", "Ask Dana about her team", "--contact", "Dana")
    edited = hiring("followups", "edit", "1", "--skill", "hiring")
    assert edited.exit_code == 0, edited.output
    assert edited.output == "Updated follow-up #1: Ask Dana about her team\n"
    shown = json.loads(hiring("followups", "show", "1", "--json").output)
    assert shown["skill"] == {"id": 1, "name": "Hiring"}
    assert shown["sequence"] == 1  # a calendar that has it updates it
    edit_refuses_an_unknown_skill_and_clears_one(hiring, dump, "followups", "--what", "Renamed")


def test_interview_edit_sets_and_clears_its_skill(hiring: Cli, dump) -> None:
    """`interviews add` took --skill and `interviews edit` did not: an interview
    planned without one could not be given one (click: no such option)."""
    hiring("interviews", "add", "Dana", "--at", "2026-12-01 10:00")
    edited = hiring("interviews", "edit", "1", "--skill", "hiring")
    assert edited.exit_code == 0, edited.output + edited.stderr
    assert edited.output == "Updated interview #1\n"
    assert "Skill:          Hiring" in hiring("interviews", "show", "1").output.splitlines()
    shown = json.loads(hiring("interviews", "show", "1", "--json").output)
    assert shown["skill"] == {"id": 1, "name": "Hiring"}
    edit_refuses_an_unknown_skill_and_clears_one(
        hiring, dump, "interviews", "--notes", "Bring the org chart"
    )
