"""``rapport review``: the per-goal review, gaps and suggestions, and the weekly check-in.

The JSON and Markdown of the demo network on the frozen day are compared byte
for byte with golden files in tests/data/review/.  After a deliberate change,
rewrite them with ``RAPPORT_UPDATE_GOLDEN=1 make test`` and read the diff.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

GOLDEN = Path(__file__).parent.parent / "data" / "review"


def matches_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("RAPPORT_UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def test_week_markdown_matches_golden(sample_cli) -> None:
    result = sample_cli("review", "--week")
    assert result.exit_code == 0, result.output
    matches_golden("week.md", result.output)
    assert result.output.startswith("# Weekly check-in, 17–23 Nov 2026\n")
    assert "- **14 days overdue**: Send Owen a thank-you for the interview (Owen Price)" in (
        result.output
    )


def test_week_json_matches_golden(sample_cli) -> None:
    result = sample_cli("review", "--week", "--json")
    assert result.exit_code == 0, result.output
    matches_golden("week.json", result.output)
    data = json.loads(result.output)
    assert (data["since"], data["today"], data["until"]) == (
        "2026-11-17",
        "2026-11-23",
        "2026-11-30",
    )
    assert list(data) == [
        "today",
        "since",
        "until",
        "done",
        "due",
        "goals",
        "suggestions",
        "skills",
        "promises",
    ]


def test_review_json_matches_golden(sample_cli) -> None:
    result = sample_cli("review", "--json")
    assert result.exit_code == 0, result.output
    matches_golden("review.json", result.output)
    data = json.loads(result.output)
    assert [g["title"] for g in data["goals"]] == [
        "Five informational interviews with platform EMs",
        "Lead a platform team by 2027",
        "Give a talk at a regional conference",
        "VP of Engineering at a climate company",
        "Build a peer network in Berlin",
    ]
    assert data["suggestions"][0]["reason"] == "you owe a thank-you for the interview on 8 Nov"


def test_one_goal_as_json(sample_cli) -> None:
    result = sample_cli("review", "--goal", "climate", "--json")
    assert result.exit_code == 0, result.output
    goal = json.loads(result.output)
    assert goal["title"] == "VP of Engineering at a climate company"
    people = {c["name"]: c for group in goal["relationships"] for c in group["contacts"]}
    assert people["Samir Haddad"]["status"] == "cold"
    assert people["Samir Haddad"]["days_since"] == 210
    assert goal["warmth"] == {"warm": 6, "due": 0, "cold": 1, "never": 0}
    assert len(goal["progress"]["weekly_activity"]) == 12


def test_review_text_shows_warmth_gaps_and_suggestions(sample_cli) -> None:
    result = sample_cli("review")
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.startswith("Review, Monday 23 November 2026\n")
    assert "#5 VP of Engineering at a climate company" in out
    assert "Samir Haddad (Larkspur Ventures)     cold    210 days ago" in out
    assert "- Nobody is linked to it: who could help you get there?" in out
    assert "#6 Build a peer network in Berlin: nobody is linked to it" in out
    assert "#17 Ravi Patel (Northwind Cloud): once, last on 2026-11-20" in out
    assert "   1. #26 Owen Price (Northwind Cloud): you owe a thank-you" in out
    assert "Finish the new-manager course" not in out  # achieved: not reviewed


def test_one_goal_as_text(sample_cli) -> None:
    out = sample_cli("review", "--goal", "berlin").output
    assert out.splitlines()[:3] == [
        "#6 Build a peer network in Berlin",
        "  low priority, active",
        "  Steps: none   Activity, 12 weeks: ▁▁▁▁▁▁▁▁▁▁▁▁   last: never",
    ]
    assert "Suggestions for this week" not in out


def test_a_parent_goal_shows_its_steps_records_and_says_which_step(cli) -> None:
    assert cli("goals", "add", "Lead a platform team").exit_code == 0
    assert cli("goals", "add", "Talk to EMs", "--parent", "platform").exit_code == 0
    assert cli("contacts", "add", "Dana Whitfield").exit_code == 0
    cli("interviews", "add", "Dana", "--at", "2026-11-30", "--goal", "EMs")
    cli("followups", "add", "Send Dana the deck", "--due", "2026-11-25", "--goal", "EMs")
    out = cli("review", "--goal", "platform team").output
    assert "    - planned 2026-11-30: Dana Whitfield (step: Talk to EMs)" in out
    assert "    - due 2026-11-25: Send Dana the deck (step: Talk to EMs)" in out
    data = json.loads(cli("review", "--goal", "platform team", "--json").output)
    (planned,) = data["interviews"]["planned"]
    assert planned["step"] == {"id": 2, "title": "Talk to EMs"}


def test_week_written_to_a_private_file(sample_cli, tmp_path: Path) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    target = folder / "check-in.md"
    target.write_text("an older check-in", encoding="utf-8")
    result = sample_cli("review", "--week", "-o", str(target))
    assert result.exit_code == 0, result.output
    assert result.output == f"Wrote the check-in to {target}\n"
    assert target.read_text(encoding="utf-8") == sample_cli("review", "--week").output
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in folder.iterdir()] == ["check-in.md"]  # no temporary left


def test_week_to_a_missing_folder_is_one_line(sample_cli, tmp_path: Path) -> None:
    result = sample_cli("review", "--week", "-o", str(tmp_path / "nowhere" / "week.md"))
    assert result.exit_code == 1
    assert result.output.startswith("rapport: cannot write ")
    assert len(result.output.splitlines()) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--week", "--goal", "climate"], "--week covers every goal"),
        (["-o", "x.md"], "-o/--output goes with --week"),
    ],
)
def test_options_that_do_not_go_together(sample_cli, args: list[str], message: str) -> None:
    result = sample_cli("review", *args)
    assert result.exit_code == 2
    assert message in result.output


@pytest.mark.parametrize(
    ("goal", "code", "message"),
    [
        ("nothing like it", 3, "rapport: no goal matches 'nothing like it'\n"),
        ("platform", 4, "rapport: 'platform' matches 2 goals: "),
    ],
)
def test_a_goal_that_cannot_be_found(sample_cli, goal: str, code: int, message: str) -> None:
    result = sample_cli("review", "--goal", goal)
    assert result.exit_code == code
    assert result.output.startswith(message)


def test_an_empty_database(cli) -> None:
    out = cli("review").output
    assert "No active goals. Add one:" in out
    assert "nobody to chase: well done" in out
    week = cli("review", "--week").output
    assert "### Interactions\n\n- nothing\n" in week
    assert week.endswith("## Suggested for this week\n\nNobody: well done.\n")


@pytest.mark.parametrize(
    ("counts", "line"),
    [
        ([0, 0, 0], "▁▁▁"),
        ([0, 1, 8, 4], "▁▂█▅"),
        ([1, 100], "▂█"),
    ],
)
def test_sparkline(counts: list[int], line: str) -> None:
    from rapport.cli.review import sparkline

    assert sparkline(counts) == line


def test_the_terminal_lists_ten_active_unlinked_contacts_and_counts_the_rest(
    cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    # At 30,000 contacts 5,000 are active and serve no goal: the terminal
    # prints ten and says how many more, so it builds ten; --json lists all.
    from rapport.services.review import coverage

    for n in range(13):
        assert cli("contacts", "add", f"Person {n:02}").exit_code == 0
        for _ in range(13 - n):  # Person 00 the busiest
            assert cli("log", f"Person {n:02}", "--date", "2026-11-20").exit_code == 0
    built: list[object] = []

    class Counted(coverage.UnlinkedContact):
        def __init__(self, *args: object) -> None:
            super().__init__(*args)  # type: ignore[arg-type]
            built.append(self)

    monkeypatch.setattr(coverage, "UnlinkedContact", Counted)
    out = cli("review").output
    listed = [line for line in out.splitlines() if line.startswith("    - #")]
    assert listed[0] == "    - #1 Person 00: 13 times, last on 2026-11-20"
    assert listed[9] == "    - #10 Person 09: 4 times, last on 2026-11-20"
    assert len(listed) == 10
    assert "    ... and 3 more (--json lists them all)" in out
    assert len(built) == 10
    data = json.loads(cli("review", "--json").output)
    assert len(data["gaps"]["active_unlinked_contacts"]) == 13
