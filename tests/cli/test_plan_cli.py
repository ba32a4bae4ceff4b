"""``rapport plan``: the career plan on one page, missing fields flagged, not hidden.

What a person notices: every active goal (its steps under it, not again on
their own) with why, SMART fields, gaps and who can close them, steps and the
people behind it; a field they have not filled says so with the command that
fills it; -o writes a private file.
"""

from __future__ import annotations

import stat
from pathlib import Path


def headings(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("## ")]


def test_the_demo_plan_has_every_active_goal_with_its_gaps(sample_cli) -> None:
    result = sample_cli("plan")
    assert result.exit_code == 0, result.output
    out = result.output
    assert headings(out) == [
        "## Where I stand",
        "## Lead a platform team by 2027",
        "## Give a talk at a regional conference",
        "## VP of Engineering at a climate company",
        "## Build a peer network in Berlin",
    ]
    assert "- **Interviewing**: 3 practised (rated 19 November 2026, up from 2 learning)" in out
    assert (
        "- **Energy markets**: I am 1 aware, it needs 3 practised. Nobody I know has it. "
        "Next: go to Climate Tech Career Fair (Sat 5 Dec)." in out
    )
    assert "2. **Five informational interviews with platform EMs** (active, by " in out
    assert "- Dana Whitfield (Northwind Cloud), mentor: warm, last contacted " in out


def test_missing_fields_are_flagged_and_o_writes_a_private_file(cli, tmp_path: Path) -> None:
    cli("goals", "add", "Move to Lisbon")
    target = tmp_path / "plan.md"
    result = cli("plan", "--goal", "lisbon", "-o", str(target))
    assert result.output == f"Wrote the plan to {target}\n"
    text = target.read_text(encoding="utf-8")
    assert "**Why:** **missing**: why it matters to you (`rapport goals edit 1 --why ...`)" in text
    assert "- Target: **missing**: when (`rapport goals edit 1 --target DATE`)" in text
    assert "- no skills named yet (`rapport goals need 1 SKILL --level 4`)" in text
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_an_unknown_goal_writes_nothing(cli, tmp_path: Path) -> None:
    cli("goals", "add", "Move to Lisbon")
    target = tmp_path / "plan.md"
    result = cli("plan", "--goal", "berlin", "-o", str(target))
    assert result.exit_code == 3
    assert result.stderr == "rapport: no goal matches 'berlin'\n"
    assert not target.exists()
