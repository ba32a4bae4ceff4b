"""``--json`` output is a contract with people's scripts: compared byte for byte.

Set RAPPORT_UPDATE_GOLDEN=1 to rewrite the files after an intended change,
then read the diff: keys may be added, never renamed or removed.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

GOLDEN = Path(__file__).parent.parent / "data" / "json"
UID = re.compile(r'"uid": "[0-9a-f-]+@rapport"')

COMMANDS = {
    "goals_list": ("goals", "list", "--status", "all", "--json"),
    "goals_show": ("goals", "show", "platform team", "--json"),
    "contacts_list": ("contacts", "list", "--json"),
    "contacts_show": ("contacts", "show", "Dana Whitfield", "--json"),
    "orgs_list": ("orgs", "list", "--json"),
    "interactions_list": ("interactions", "list", "--limit", "5", "--json"),
    "interviews_list": ("interviews", "list", "--json"),
    "interviews_show": ("interviews", "show", "1", "--json"),
    "events_list": ("events", "list", "--json"),
    "events_show": ("events", "show", "platformcon", "--json"),
    "followups_due": ("followups", "due", "--json"),
    "followups_show": ("followups", "show", "2", "--json"),
    "search": ("search", "platform", "--limit", "5", "--json"),
    "search_goals_followups": ("search", "berlin", "--limit", "3", "--json"),
    "today": ("today", "--json"),
}


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_json_output_is_stable(sample_cli, name: str) -> None:
    result = sample_cli(*COMMANDS[name])
    assert result.exit_code == 0, result.output
    # UIDs are random per database; everything else is fixed by the frozen clock.
    text = UID.sub('"uid": "UID"', result.stdout)
    path = GOLDEN / f"{name}.json"
    if os.environ.get("RAPPORT_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def _keys(value: object) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _keys(v)}
    return set()


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_key_of_the_output_is_in_docs_json_md(name: str) -> None:
    """docs/json.md is where a script's author reads what a key means: each key
    the golden output has is named there (as `key` or "key")."""
    import json

    doc = (Path(__file__).parents[2] / "docs" / "json.md").read_text(encoding="utf-8")
    named = set(re.findall(r'`"?([a-z_]+)"?`', doc)) | set(re.findall(r'"([a-z_]+)"', doc))
    golden = json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))
    assert sorted(_keys(golden) - named) == []
