"""The fast JSON writer behind every ``--json``: byte for byte what json.dumps writes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rapport.jsontext import Records, json_chunks, json_parts_chunks, json_text

scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text()
keys = st.text() | st.integers() | st.booleans() | st.none() | st.floats(allow_nan=False)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(st.text(), inner, max_size=4)
        | st.dictionaries(keys, inner, max_size=3)
    ),
    max_leaves=30,
)


@given(values)
def test_same_text_as_json_dumps(value: Any) -> None:
    assert json_text(value) == json.dumps(value, indent=2, ensure_ascii=False)


def test_a_contact_list_as_scripts_read_it() -> None:
    rows = [
        {"id": 1, "name": 'Zoë "Z" Ng', "tags": [], "goals": ["Lead a team"], "next_due": None},
        {"id": 2, "name": "Ana\tB", "archived": True, "score": 1.5, "extra": {}},
    ]
    assert json_text(rows) == json.dumps(rows, indent=2, ensure_ascii=False)
    assert json.loads(json_text(rows)) == rows


def test_what_json_refuses_is_refused() -> None:
    with pytest.raises(TypeError):
        json_text([{"when": object()}])


@given(st.lists(st.dictionaries(st.text(), st.text() | st.integers(-(2**70), 2**70) | st.none())))
def test_rows_of_text_and_numbers_are_the_same_text(rows: list[dict[str, Any]]) -> None:
    assert json_text(rows) == json.dumps(rows, indent=2, ensure_ascii=False)


def test_every_control_and_line_separator_is_written_as_json_does() -> None:
    text = "".join(map(chr, range(0x80))) + "\u2028\u2029\ufeff\U0001f600 é"
    rows = [{"name": text, text: [text, 1, True, None]}]
    assert json_text(rows) == json.dumps(rows, indent=2, ensure_ascii=False)


def test_a_list_of_plain_rows_is_written_in_c(monkeypatch: pytest.MonkeyPatch) -> None:
    # `contacts list --json` at 30,000 contacts spent 120 ms writing its 9 MB a
    # value at a time in Python; now orjson writes it (the same text).
    import rapport.jsontext as shared

    def by_python(value: str) -> str:
        raise AssertionError("written a string at a time")

    monkeypatch.setattr(shared, "encode_basestring", by_python)
    rows = [{"id": i, "name": f"Dana {i}", "tags": ["a", "b"], "due": None} for i in range(3)]
    assert json_text(rows) == json.dumps(rows, indent=2, ensure_ascii=False)


column_values = (
    st.text()
    | st.integers(-(2**70), 2**70)
    | st.booleans()
    | st.none()
    | st.lists(st.text(), max_size=3)
    | st.tuples(st.text())
    | st.floats(allow_nan=False)
)


@given(
    st.lists(st.text(), min_size=1, max_size=4, unique=True).flatmap(
        lambda keys: st.tuples(
            st.just(tuple(keys)),
            st.lists(st.tuples(*(column_values for _ in keys)), max_size=6),
        )
    )
)
def test_records_are_written_as_json_dumps_writes_their_dicts(keys_rows: Any) -> None:
    keys, rows = keys_rows
    columns = tuple(map(list, zip(*rows, strict=True))) if rows else tuple([] for _ in keys)
    records = Records(keys, columns)
    expected = json.dumps(
        [dict(zip(keys, row, strict=True)) for row in rows], indent=2, ensure_ascii=False
    )
    assert records.dicts() == [dict(zip(keys, row, strict=True)) for row in rows]
    assert json_text(records) == expected
    # Written in pieces of a few objects, the pieces make the same text.
    assert "".join(json_chunks(records, rows=2)) == expected


@given(
    st.lists(st.text(), min_size=1, max_size=3, unique=True).flatmap(
        lambda keys: st.tuples(
            st.just(tuple(keys)),
            st.lists(st.lists(st.tuples(*(column_values for _ in keys)), max_size=3), max_size=4),
        )
    )
)
def test_records_in_parts_are_written_as_one_list(keys_parts: Any) -> None:
    # Each part written where it goes in the list (empty parts, parts that fall
    # back to their dicts): the text of all their objects in one list.
    keys, parts = keys_parts
    records = [
        Records(
            keys, tuple(map(list, zip(*rows, strict=True))) if rows else tuple([] for _ in keys)
        )
        for rows in parts
    ]
    expected = json.dumps(
        [dict(zip(keys, row, strict=True)) for rows in parts for row in rows],
        indent=2,
        ensure_ascii=False,
    )
    assert "".join(json_parts_chunks(records)) == expected


def test_a_contact_list_by_columns_is_written_a_column_at_a_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The 30,000 dicts of `contacts list --json` cost 20-30 ms to build and as
    # much to check for orjson: columns of text, numbers, null and lists of text
    # are written without them.
    records = Records(
        ("id", "name", "tags", "archived", "next_due"),
        (
            [1, 2],
            ['Zoë "Z"', "Ana\tB\u2028"],
            [(), ("a", "b")],
            [False, True],
            [None, "2026-01-02"],
        ),
    )
    expected = json.dumps(records.dicts(), indent=2, ensure_ascii=False)
    monkeypatch.setattr(Records, "dicts", lambda self: pytest.fail("dicts were built"))
    assert json_text(records) == expected


def test_json_output_is_not_searched_for_terminal_colours(
    cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    # click strips colour codes from text written to a pipe: a regular
    # expression over all 9 MB of `contacts list --json` at 30,000 contacts,
    # where JSON has none to strip (a control character is written \u001b).
    import click._compat

    cli("contacts", "add", "Dana Whitfield")

    def refused(value: str) -> str:
        raise AssertionError("JSON was searched for colour codes")

    monkeypatch.setattr(click._compat, "strip_ansi", refused)
    monkeypatch.setattr("click.utils.strip_ansi", refused)
    listed = cli("contacts", "list", "--json").output
    assert [c["name"] for c in json.loads(listed)] == ["Dana Whitfield"]


def test_plain_json_output_is_not_searched_for_control_characters(
    cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Escaping what is printed searched every character of the 9 MB of
    # `contacts list --json` at 30,000 contacts (10 ms), where JSON already
    # writes every C0 control character as \u00XX.  DEL and the C1 controls,
    # which JSON leaves raw, are still escaped on the way to the terminal.
    import sqlite3

    from rapport import text

    cli("contacts", "add", "Dana Whitfield")
    searched: list[object] = []
    escape = text.escape_controls
    monkeypatch.setattr(text, "escape_controls", lambda s: searched.append(s) or escape(s))
    listed = cli("contacts", "list", "--json").stdout
    assert [c["name"] for c in json.loads(listed)] == ["Dana Whitfield"]
    assert not [s for s in searched if isinstance(s, str) and "Dana Whitfield" in s]
    with sqlite3.connect(cli.db) as conn:  # as an older database may hold them
        conn.execute("UPDATE contact SET name = ? WHERE name = ?", ("Dana\x7fW", "Dana Whitfield"))
    conn.close()
    listed = cli("contacts", "list", "--json").stdout  # ASCII with DEL
    assert '"Dana\\u007fW"' in listed and "\x7f" not in listed
    cli("contacts", "add", "Émile")
    with sqlite3.connect(cli.db) as conn:
        conn.execute("UPDATE contact SET name = ? WHERE name = ?", ("Émile\x85", "Émile"))
    conn.close()
    listed = cli("contacts", "list", "--json").stdout  # outside ASCII: NEL, a C1 control
    assert '"Émile\\u0085"' in listed and "\x85" not in listed
    assert [c["name"] for c in json.loads(listed)] == ["Dana\x7fW", "Émile\x85"]


def test_a_long_list_is_written_in_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    # 30,000 contacts' JSON was made whole (9 MB, and the texts of its 330,000
    # values at once) before a byte was written.
    names = [f"Name {i}" for i in range(5)]
    records = Records(("id", "name"), (list(range(5)), names))
    pieces = list(json_chunks(records, rows=2))
    assert len(pieces) == 3
    assert "".join(pieces) == json.dumps(records.dicts(), indent=2, ensure_ascii=False)
    assert list(json_chunks({"a": 1.5})) == [json.dumps({"a": 1.5}, indent=2)]


def test_a_long_list_is_printed_without_its_text_standing_beside_its_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `contacts list --json` at 30,000 held its pieces and the text they make
    # at once, then that text and its bytes (twice the 9 MB it writes; 3,000
    # more pages for the kernel to hand over): the pieces now become the bytes
    # as they come, each freed once copied.
    import tracemalloc

    from rapport.cli._shared import print_json

    count = 40_000
    names = [f"Contact number {i}" for i in range(count)]
    records = Records(("id", "name"), (list(range(count)), names))
    expected = (json.dumps(records.dicts(), indent=2) + "\n").encode()
    out = tmp_path / "out.json"
    with out.open("w", encoding="utf-8") as stdout:
        monkeypatch.setattr("sys.stdout", stdout)
        tracemalloc.start()
        try:
            print_json(records)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    assert out.read_bytes() == expected  # one write, as before
    assert peak < 1.6 * len(expected), peak / len(expected)
