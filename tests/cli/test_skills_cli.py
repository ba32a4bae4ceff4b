"""``rapport me``, ``skills``, ``goals need``, ``contacts expertise``, ``review --gaps``.

What a person notices: each command says what it did in one line; bad input
gets one line on stderr naming the scale or the nearest skill, an exit code,
and the database exactly as it was.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

import pytest

Cli = Any  # tests/conftest.py's Cli: run rapport in-process against one database


@pytest.fixture
def network(cli: Cli) -> Cli:
    for args in (
        ("goals", "add", "Lead a platform team"),
        ("goals", "add", "Run a hiring loop", "--parent", "1"),
        ("contacts", "add", "Dana Whitfield", "--notes", "runs Kubernetes at Acme"),
        ("contacts", "add", "Priya Raman", "--cadence", "30"),
        ("log", "Priya", "--summary", "coffee", "--date", "-3d"),
        ("link", "Priya", "--goal", "1", "--role", "mentor"),
        ("me", "skill", "SQL", "--level", "2", "--date", "2026-09-01", "--note", "a course"),
        ("me", "skill", "sql", "--level", "strong"),
        ("goals", "need", "1", "SQL", "--level", "5"),
        ("goals", "need", "2", "Hiring", "--level", "3"),
        ("goals", "need", "1", "Kubernetes", "--level", "3"),
        ("contacts", "expertise", "Priya", "SQL", "--level", "5", "--note", "DBA for years"),
    ):
        result = cli(*args)
        assert result.exit_code == 0, (args, result.output)
    return cli


def test_me_shows_levels_with_names_trend_and_goals(network: Cli) -> None:
    out = network("me").output
    assert "SQL         4 strong       2026-11-23  ↑      Lead a platform team" in out
    assert "Kubernetes  not rated yet" in out
    data = json.loads(network("me", "--json").output)
    sql = data["skills"][0]
    assert (sql["name"], sql["level"], sql["level_name"], sql["previous_level"]) == (
        "SQL",
        4,
        "strong",
        2,
    )
    assert sql["trend"] == "up" and sql["needed_by"] == ["Lead a platform team"]


def test_me_skill_shows_how_the_rating_moved(network: Cli) -> None:
    result = network("me", "skill", "sql")
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        "SQL",
        "  2026-09-01  2 learning       a course",
        "  2026-11-23  4 strong     ↑",
    ]


def test_a_rating_dated_before_the_latest_says_the_level_stays(cli: Cli) -> None:
    # The README's own pair: a rating today, then one dated three weeks back.
    first = cli("me", "skill", "SQL", "--level", "3", "--note", "ran the migration at work")
    assert first.output == "Rated SQL (a new skill): 3 practised on 2026-11-23\n"
    older = cli("me", "skill", "sql", "--level", "strong", "--date", "2026-11-02")
    assert older.output == (
        "Rated SQL: 4 strong on 2026-11-02, kept in its history; the current level stays "
        "3 practised, rated later (on 2026-11-23)\n"
    )
    assert "SQL    3 practised  2026-11-23  ↓" in cli("me").output
    assert cli("me", "skill", "SQL").output.splitlines() == [
        "SQL",
        "  2026-11-02  4 strong",
        "  2026-11-23  3 practised  ↓   ran the migration at work",
    ]
    assert "- **SQL**: 3 practised (rated 23 November 2026, down from 4 strong)" in (
        cli("plan").output
    )
    later = cli("me", "skill", "sql", "--level", "4")
    assert later.output == "Rated SQL: 4 strong on 2026-11-23, was 3 practised\n"


def test_traits_are_added_updated_and_removed(network: Cli) -> None:
    assert network("me", "value", "autonomy").output == "Added value: autonomy\n"
    network("me", "value", "Autonomy", "--note", "choosing my problems")
    network("me", "interest", "developer tools")
    data = json.loads(network("me", "--json").output)
    assert data["values"] == [{"phrase": "autonomy", "note": "choosing my problems"}]
    assert network("me", "interest", "developer tools", "--remove").exit_code == 0
    assert json.loads(network("me", "--json").output)["interests"] == []


def test_goals_show_lists_needs_of_the_goal_and_its_steps(network: Cli) -> None:
    out = network("goals", "show", "1").output
    assert "Kubernetes        not rated yet  3 practised  not rated yet" in out
    assert "SQL               4 strong       5 expert     1 level to go" in out
    assert "Hiring (step #2)  not rated yet  3 practised  not rated yet" in out
    needs = json.loads(network("goals", "show", "1", "--json").output)["needs"]
    assert [(n["skill"], n["step"], n["gap"]) for n in needs] == [
        ("Kubernetes", False, None),
        ("SQL", False, 1),
        ("Hiring", True, None),
    ]


def test_the_same_need_twice_updates_it(network: Cli) -> None:
    result = network("goals", "need", "1", "sql", "--level", "4")
    assert result.output == (
        "#1 Lead a platform team now needs SQL at 4 strong (you: 4 strong; met)\n"
    )
    needs = json.loads(network("goals", "show", "1", "--json").output)["needs"]
    assert [(n["skill"], n["target"]) for n in needs if n["skill"] == "SQL"] == [("SQL", 4)]


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (("me", "skill", "SQL", "--level", "6"), 2, "1 aware, 2 learning, 3 practised"),
        (("me", "skill", "SQL", "--level", "guru"), 2, "4 strong, 5 expert (got 'guru')"),
        (("me", "skill", "SQL", "--level", "3", "--date", "+2d"), 2, "is still to come"),
        (("me", "skill", "Kubernets"), 3, "did you mean 'Kubernetes'"),
        (("me", "skill", "SQL", "--note", "x"), 2, "--note and --date go with --level"),
        (("goals", "need", "1", "SQL", "--level", "0"), 2, "must be on the scale"),
        (("goals", "need", "nope", "Go", "--level", "3"), 3, "no goal matches 'nope'"),
        (("goals", "need", "1", "Kubernets", "--remove"), 3, "did you mean 'Kubernetes'"),
        (("contacts", "expertise", "Priya", "Rust", "--level", "9"), 2, "must be on the scale"),
        (("contacts", "expertise", "Nobody", "Rust"), 3, "no contact matches"),
        (("skills", "rename", "SQL", "kubernetes"), 2, "merge"),
        (("skills", "merge", "SQL", "sql", "--yes"), 2, "are the same skill"),
        (("skills", "candidates", "kubernetez", "--confirm", "1"), 3, "did you mean"),
        (("skills", "candidates", "Kubernetes", "--confirm", "1", "--confirm", "99"), 3, "99"),
        (("followups", "add", "ask Priya", "--skill", "SQLL"), 3, "did you mean 'SQL'"),
        (("review", "--gaps", "--week"), 2, "give one"),
        (("me", "value", "nothing", "--remove"), 3, "no value 'nothing' to remove"),
        (("contacts", "expertise", "Dana", "SQL", "--remove"), 3, "is not marked as knowing"),
        (("goals", "need", "1", "SQL"), 2, "give --level (or --remove)"),
    ],
)
def test_bad_input_is_one_line_an_exit_code_and_no_change(
    network: Cli, dump, args: tuple[str, ...], code: int, words: str
) -> None:
    before = dump(network.db)
    result = network(*args)
    assert result.exit_code == code, result.output
    assert words in result.stderr and len(result.stderr.splitlines()) == 1
    assert dump(network.db) == before


def test_skills_list_merge_and_delete_say_what_goes(network: Cli, dump) -> None:
    network("me", "skill", "Postgres", "--level", "3")
    network("contacts", "expertise", "Dana", "Postgres")
    result = network("skills", "merge", "SQL", "postgres", input="n\n")
    assert "Merge 'Postgres' into 'SQL' (1 rating, 1 contact's expertise move)?" in result.output
    assert result.exit_code == 1
    assert network("skills", "merge", "SQL", "postgres", "--yes").exit_code == 0
    listed = json.loads(network("skills", "list", "--json").output)
    assert [(s["name"], s["aliases"], s["ratings"]) for s in listed] == [
        ("Hiring", [], 0),
        ("Kubernetes", [], 0),
        ("SQL", ["Postgres"], 3),
    ]
    before = dump(network.db)
    refused = network("skills", "delete", "postgres", input="n\n")
    assert (
        "Delete skill 'SQL' and with it: 3 ratings, 1 goal need, 2 contacts' expertise?"
        in refused.output
    )
    assert dump(network.db) == before
    assert network("skills", "delete", "sql", "--yes").exit_code == 0
    assert [s["name"] for s in json.loads(network("skills", "list", "--json").output)] == [
        "Hiring",
        "Kubernetes",
    ]


def test_candidates_show_what_matched_and_confirm_marks_them(network: Cli) -> None:
    data = json.loads(network("skills", "candidates", "kubernetes", "--json").output)
    assert data == [
        {
            "id": 1,
            "name": "Dana Whitfield",
            "organization": None,
            "role": "",
            "matched": ["runs [Kubernetes] at Acme"],
        }
    ]
    done = network("skills", "candidates", "kubernetes", "--confirm", "1")
    assert done.output == "Marked #1 Dana Whitfield as knowing Kubernetes\n"
    assert json.loads(network("skills", "candidates", "kubernetes", "--json").output) == []


def test_review_gaps_says_who_closes_each_gap_and_the_next_step(network: Cli) -> None:
    out = network("review", "--gaps").output
    assert "Nobody you know has\n  - Hiring, for #1 Lead a platform team" in out
    assert (
        "  SQL: needs 5 expert; you: 4 strong since 2026-11-23; 1 level to go\n"
        "    - #2 Priya Raman: 5 expert; warm, your mentor for this goal\n"
        "    Next: ask Priya Raman to review your SQL\n"
        "      because Priya Raman knows SQL at 5 expert (you need 5 expert) and is warm"
        " (last contacted 3 days ago)\n"
    ) in out
    # The step's own needs show under its goal, not again on their own.
    assert "#2 Run a hiring loop" not in out


def test_the_reason_for_a_helper_is_a_sentence_whatever_is_known_of_them(cli: Cli) -> None:
    for args in (
        ("goals", "add", "Land an EM role"),
        ("goals", "need", "1", "Hiring", "--level", "3"),
        ("contacts", "add", "Ken Ito"),
        ("contacts", "expertise", "Ken", "Hiring"),  # no level: not known how well
    ):
        assert cli(*args).exit_code == 0, args
    never = cli("review", "--gaps").output
    assert (
        "    Next: get in touch with Ken Ito, who has Hiring\n"
        "      because Ken Ito knows Hiring (the level is not marked; you need 3 practised), "
        "but you never contacted them\n"
    ) in never
    cli("log", "Ken", "--summary", "coffee", "--date", "-2d")
    assert (
        "      because Ken Ito knows Hiring (the level is not marked; you need 3 practised) "
        "and is warm (last contacted 2 days ago)\n"
    ) in cli("review", "--gaps").output
    cli("contacts", "expertise", "Ken", "Hiring", "--level", "4")
    assert (
        "      because Ken Ito knows Hiring at 4 strong (you need 3 practised) "
        "and is warm (last contacted 2 days ago)\n"
    ) in cli("review", "--gaps").output


def test_review_json_gives_every_goal_its_skills(network: Cli) -> None:
    whole = json.loads(network("review", "--json").output)
    assert [
        [(s["skill"], s["gap"], s["covered"]) for s in g["skills"]] for g in whole["goals"]
    ] == [
        [("Hiring", None, False), ("Kubernetes", None, True), ("SQL", 1, True)],
        [("Hiring", None, False)],
    ]
    gaps = json.loads(network("review", "--gaps", "--goal", "1", "--json").output)
    sql = gaps["goals"][0]["skills"][2]
    assert sql["people"][0] == {
        "id": 2,
        "name": "Priya Raman",
        "organization": None,
        "level": 5,
        "level_name": "expert",
        "source": "confirmed",
        "warmth": "warm",
        "last_contacted": "2026-11-20",
        "role": "mentor",
        "matched": [],
    }
    assert gaps["uncovered"] == [{"goal_id": 1, "skill_id": 2, "skill": "Hiring"}]


def test_a_followup_names_its_skill(network: Cli) -> None:
    result = network("followups", "add", "ask Priya to review my SQL", "--skill", "sql")
    assert result.exit_code == 0
    conn = sqlite3.connect(network.db)
    try:
        row = conn.execute("SELECT skill.name FROM follow_up JOIN skill ON skill.id = skill_id")
        assert row.fetchall() == [("SQL",)]
    finally:
        conn.close()


def test_the_weekly_checkin_says_how_skills_moved(network: Cli) -> None:
    network("me", "skill", "Hiring", "--level", "1", "--date", "-30d")
    network("me", "skill", "Hiring", "--level", "2", "--date", "-2d")
    network(
        "followups", "add", "Ask Priya to review my SQL", "--contact", "Priya", "--skill", "SQL"
    )
    network("followups", "done", "1")
    out = network("review", "--week").output
    skills = out[out.index("## Skills") :]
    assert skills.splitlines()[:12] == [
        "## Skills",
        "",
        "### Ratings this week (2)",
        "",
        "- Sat 21 Nov: Hiring, 1 aware → 2 learning",
        "- Mon 23 Nov: SQL, 2 learning → 4 strong",
        "",
        "### Skill follow-ups done (1)",
        "",
        "- Mon 23 Nov: Ask Priya to review my SQL (SQL, with Priya Raman)",
        "",
        "### Gaps still open (3)",
    ]
    assert "- Lead a platform team: Kubernetes, not rated yet (nobody" not in skills
    week = json.loads(network("review", "--week", "--json").output)["skills"]
    assert [(r["skill"], r["before"], r["after"]) for r in week["ratings"]] == [
        ("Hiring", 1, 2),
        ("SQL", 2, 4),
    ]
    assert [(g["goal"]["id"], g["skill"], g["covered"]) for g in week["open_gaps"]] == [
        (1, "Hiring", False),
        (1, "Kubernetes", True),
        (1, "SQL", True),
    ]


def test_rename_keeps_history_and_the_old_name_is_free_again(network: Cli) -> None:
    result = network("skills", "rename", "sql", "SQL (Postgres)")
    assert result.output == "Renamed skill #1: SQL -> SQL (Postgres)\n"
    history = json.loads(network("me", "skill", "sql (postgres)", "--json").output)
    assert [r["level"] for r in history["ratings"]] == [2, 4]
    assert network("me", "skill", "SQL").exit_code == 3  # not an alias: renamed, not merged


def test_an_interview_names_its_skill(network: Cli) -> None:
    result = network("interviews", "add", "Dana", "--when", "+3d", "--skill", "kubernetes")
    assert result.exit_code == 0, result.output
    refused = network("interviews", "add", "Dana", "--skill", "kubernetez")
    assert refused.exit_code == 3 and "did you mean 'Kubernetes'" in refused.stderr
    conn = sqlite3.connect(network.db)
    try:
        row = conn.execute("SELECT skill.name FROM interview JOIN skill ON skill.id = skill_id")
        assert row.fetchall() == [("Kubernetes",)]
    finally:
        conn.close()


def test_me_help_says_an_interest(cli: Cli) -> None:
    out = cli("me", "--help").output
    assert "interest  Add an interest (like 'developer tools'), or --remove it." in out
    assert "strength  Add a strength (like 'explaining things'), or --remove it." in out
