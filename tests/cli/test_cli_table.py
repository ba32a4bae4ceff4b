"""The CLI's tables: every cell measured in terminal cells, cut and padded to its column,
and a plain column (printable ASCII on one line) measured without asking rich per cell."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len, set_cell_size

from rapport.cli._shared import table


def _reference(headers: list[str], rows: list[list[Any]]) -> str:
    """How table() has always laid a table out, a cell at a time (200 columns, no terminal)."""
    cells = [[("" if c is None else str(c)) for c in row] for row in rows]
    widths = [
        max(cell_len(h), *(cell_len(" ".join(r[i].split())) for r in cells))
        for i, h in enumerate(headers)
    ]
    while sum(widths) + 2 * (len(widths) - 1) > 200 and max(widths) > 8:
        widths[widths.index(max(widths))] -= 1

    def cut(text: str, width: int) -> str:
        flat = " ".join(text.split())
        if width <= 0:
            return ""
        if cell_len(flat) <= width:
            return flat
        return set_cell_size(flat, width - 1).rstrip() + "…"

    def pad(text: str, width: int) -> str:
        return text + " " * max(0, width - cell_len(text))

    return "\n".join(
        "  ".join(pad(cut(c, w), w) for c, w in zip(row, widths, strict=True)).rstrip()
        for row in [headers, *cells]
    )


def _printed(headers: list[str], rows: list[list[Any]], capsys: pytest.CaptureFixture[str]) -> str:
    table(headers, rows)
    return capsys.readouterr().out.removesuffix("\n")


CELL = st.one_of(
    st.none(),
    st.integers(),
    st.dates(),
    st.text(alphabet=st.sampled_from("ab Zé龍🚀\n\t  x-"), max_size=30),
    st.text(alphabet=st.sampled_from("abc XYZ,.-"), max_size=120),
)


@given(st.integers(1, 4).flatmap(lambda n: st.lists(st.lists(CELL, min_size=n, max_size=n))))
def test_a_table_is_laid_out_as_it_always_was(rows: list[list[Any]]) -> None:
    if not rows:
        return
    headers = ["ID", "NAME", "WHAT", "GOALS"][: len(rows[0])]
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        table(headers, rows)
    assert out.getvalue().removesuffix("\n") == _reference(headers, rows)


def test_plain_columns_are_measured_without_asking_rich_per_cell(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # 30,000 contacts: asking rich for each of 200,000 cells took most of 0.7 s.
    def refused(*_: object) -> int:
        raise AssertionError("rich measured a plain cell")

    import rich.cells

    from rapport import words

    monkeypatch.setattr(rich.cells, "cell_len", refused)
    monkeypatch.setattr(words, "_cells", lambda: (refused, refused))
    rows = [[n, f"Dana Whitfield {n}", dt.date(2026, 11, n % 28 + 1), None] for n in range(500)]

    printed = _printed(["ID", "NAME", "LAST CONTACT", "GOALS"], rows, capsys)

    assert printed.splitlines()[1] == "0    Dana Whitfield 0    2026-11-01"
    assert len(printed.splitlines()) == 501
