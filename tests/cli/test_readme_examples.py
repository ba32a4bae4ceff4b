"""README.md's command examples, run in order on a fresh database as a newcomer
runs them: each exits 0, except the few the README says need other data; then
those of docs/*.md, on the database the README's left, as a newcomer reads on.

The files the imports read are stand-ins for the person's own (a LinkedIn
export, an address book, a spreadsheet, a calendar), put where the README
names them.
"""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path
from typing import Any

import pytest

Cli = Any  # tests/conftest.py's Cli: run rapport in-process against one database

README = Path(__file__).parents[2] / "README.md"
DOCS = sorted((Path(__file__).parents[2] / "docs").glob("*.md"))
DATA = Path(__file__).parents[1] / "data"

# Examples the README says need what a fresh database has not: the ids that
# `contacts duplicates` and `skills candidates` printed, a sync server.
NEEDS_OTHER_DATA = {
    "rapport contacts merge 12 31",
    "rapport skills candidates Hiring --confirm 12 --confirm 31",
}


def sh_commands(page: Path) -> list[str]:
    """Every ``rapport`` line of a page's ``sh`` blocks, continuations joined,
    comments dropped, in order (``rapport sync`` talks to a server: left out)."""
    commands = []
    for block in re.findall(r"```sh\n(.*?)```", page.read_text(encoding="utf-8"), re.S):
        for line in block.replace("\\\n", " ").splitlines():
            line = re.sub(r"\s+#.*$", "", line).strip()
            if line.startswith("rapport ") and not line.startswith("rapport sync"):
                commands.append(" ".join(line.split()))
    return commands


def readme_commands() -> list[str]:
    return sh_commands(README)


def docs_commands() -> list[str]:
    return [command for page in DOCS for command in sh_commands(page)]


def test_the_examples_said_to_need_other_data_are_in_the_readme() -> None:
    assert set(readme_commands()) >= NEEDS_OTHER_DATA


def test_readme_then_docs_examples_run_in_order_on_a_fresh_database(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    (home / "Downloads").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(home)
    shutil.copy(DATA / "linkedin" / "Connections.csv", home)
    shutil.copy(DATA / "vcard" / "google.vcf", home / "contacts.vcf")
    (home / "people.csv").write_text("Full Name,Employer,Mail\nAna Lima,Acme,ana@acme.example\n")
    shutil.copy(DATA / "calendar" / "import_cases.ics", home / "Downloads" / "calendar.ics")
    commands = readme_commands()
    assert len(commands) > 30
    documented = docs_commands()
    assert len(documented) >= 6  # docs/review.md's
    failed = []
    for command in commands + documented:
        if command in NEEDS_OTHER_DATA:
            continue
        args = [
            str(Path(a).expanduser()) if a.startswith("~/") else a for a in shlex.split(command)
        ]
        result = cli(*args[1:])
        if result.exit_code != 0:
            failed.append(f"{command}: exit {result.exit_code}: {result.output.strip()[-200:]}")
        if command.startswith("rapport search "):
            assert "No matches." not in result.output, command
    assert failed == []
