"""Names in every script line up in the app: cut and padded by terminal cells."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from rich.cells import cell_len
from tui_helpers import press, screen_text

from rapport.services import contacts as contact_service

LONG = "欧阳娜娜的非常长的中文名字和姓氏在这里"


def test_a_long_chinese_name_is_cut_with_an_ellipsis_and_the_columns_stay_aligned(
    sample_db: Path, open_app: Any
) -> None:
    contact_service.create_contact(LONG, organization="北京字节跳动科技有限公司", cadence_days=7)

    async def scenario() -> list[str]:
        async with open_app(sample_db) as pilot:
            await press(pilot, "3", "end")
            return screen_text(pilot).splitlines()

    lines = asyncio.run(scenario())
    header = next(line for line in lines if "Next touch" in line)
    row = next(line for line in lines if "欧阳娜娜" in line)
    assert "欧阳娜娜的非常长的中…" in row  # whole characters, then the ellipsis
    assert "北京字节跳动…" in row
    assert cell_len(row[: row.index("in 7 days")]) == cell_len(header[: header.index("Next touch")])


def test_a_toast_shows_a_wide_character(sample_db: Path, open_app: Any) -> None:
    async def scenario() -> str:
        async with open_app(sample_db, toasts=True) as pilot:
            pilot.app.notify("Saved: 李小龍 (Bruce Lee)", timeout=10)
            await press(pilot, "3")
            return screen_text(pilot)

    assert "Saved: 李小龍 (Bruce Lee)" in asyncio.run(scenario())


def _toast_text(screen: str) -> str:
    """What the toasts say, their lines joined (they sit right of their ▌ edge)."""
    return " ".join(
        line[line.rindex("▌") + 1 :].strip() for line in screen.splitlines() if "▌" in line
    )


def test_at_80x24_a_contact_added_with_a_cjk_name_is_named_whole_in_the_toast(
    sample_db: Path, open_app: Any
) -> None:
    async def scenario() -> str:
        async with open_app(sample_db, (80, 24), toasts=True) as pilot:
            await press(pilot, "3", "a", *"李小龍", "ctrl+s")
            return screen_text(pilot)

    assert "Added 李小龍" in _toast_text(asyncio.run(scenario()))


def test_at_80x24_a_wide_character_where_a_toast_wraps_is_kept(
    sample_db: Path, open_app: Any
) -> None:
    # Every place the wrap can fall: before, on and after each wide character.
    async def scenario() -> list[tuple[str, str]]:
        shown = []
        async with open_app(sample_db, (80, 24), toasts=True) as pilot:
            for pad in range(24, 40):
                message = "Saved " + "x" * pad + " 李小龍 龍龍龍龍龍龍 (Bruce Lee)"
                pilot.app.clear_notifications()
                pilot.app.notify(message, timeout=10)
                await press(pilot, "down")
                shown.append((message, _toast_text(screen_text(pilot))))
        return shown

    for message, toast in asyncio.run(scenario()):
        # The list's scrollbar may show through beside the toast: only letters count.
        assert "".join(c for c in toast if c.isalnum()) == "".join(
            c for c in message if c.isalnum()
        )


def test_a_column_is_as_wide_as_its_widest_text_in_terminal_cells(monkeypatch: Any) -> None:
    # Plain ASCII is measured by its length: rich measured each of 30,000
    # names when the Contacts tab loaded.
    from rapport.tui.widgets import tables

    specs: list[tables.Column[Any]] = [
        tables.Column("name", "Name", lambda r: r),
        tables.Column("n", "N", str, width=3),
    ]
    assert tables.natural_widths(specs, ["Ann", "欧阳娜娜", "Bob Smith"]) == [9, 3]
    assert tables.natural_widths(specs, ["Ann", "欧阳娜娜娜"]) == [10, 3]

    def refused(text: str) -> int:
        raise AssertionError("rich measured plain text")

    monkeypatch.setattr(tables, "cell_len", refused)
    monkeypatch.setattr("rapport.words._cells", lambda: (refused, refused))
    assert tables.natural_widths([specs[0]], ["Dana Whitfield", "Bo"], header_extra=2) == [14]
