"""CLI tables line up names in every script: widths in terminal cells (CJK and emoji take two)."""

from __future__ import annotations

from rich.cells import cell_len


def column_starts(line: str, texts: list[str]) -> list[int]:
    """The terminal column where each of ``texts`` starts on ``line``."""
    return [cell_len(line[: line.index(text)]) for text in texts]


def test_contacts_list_lines_up_chinese_and_emoji_names(cli) -> None:
    cli("contacts", "add", "李小龍", "--org", "嘉禾 Golden Harvest")
    cli("contacts", "add", "Ada 🚀 Lovelace", "--org", "Analytical")
    cli("contacts", "add", "Bob Smith", "--org", "Acme")
    lines = cli("contacts", "list").stdout.splitlines()
    header, *rows = lines
    organization = column_starts(header, ["ORGANIZATION", "LAST CONTACT"])
    for row, org in zip(rows, ["Analytical", "Acme", "嘉禾"], strict=True):
        assert column_starts(row, [org, "never"]) == organization, lines
