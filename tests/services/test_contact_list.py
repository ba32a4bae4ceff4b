"""The contact list column by column: the same contacts, order and values as row by row."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from rapport.jsontext import json_text
from rapport.models import database
from rapport.services import contact_list, contacts, interactions, interviews, serialize

TODAY = dt.date(2026, 11, 23)

# Names whose order tells case folding apart: ASCII letters fold, nothing else
# does ("É" after "z", "[" and "_" between "Z" and "a" once folded to lower case).
TRICKY = [
    "zed",
    "Zed",
    "émile",
    "Émile",
    "Ärger",
    "ärger",
    "İlker",
    "ilker",
    "ß",
    "SS",
    "ss",
    "Ωmega",
    "ωmega",
    "[bracket",
    "_under",
    "a",
    "A",
    "Ab",
    "aB",
    "日本",
    "ｆｕｌｌ",
]


def _old_order() -> list[int]:
    """The list's order as its statement had it: ``ORDER BY lower(name), id``."""
    cursor = database.execute_sql("SELECT id FROM contact ORDER BY lower(name), id")
    return [row[0] for row in cursor]


def test_the_list_keeps_the_order_of_lower_name_whatever_the_letters(db_path: Path) -> None:
    for name in TRICKY:
        contacts.create_contact(name, allow_duplicate=True)
    listed = contacts.contact_columns(today=TODAY).id
    assert listed == _old_order()
    names = contacts.contact_columns(today=TODAY).name
    assert names.index("zed") < names.index("émile")  # É is not folded: after every ASCII letter
    assert names.index("[bracket") < names.index("a")  # "Z" folds to "z", so "[" comes before


def test_the_columns_hold_what_the_rows_hold(db_path: Path) -> None:
    dana = contacts.create_contact(
        "Dana", organization="Acme", tags="mentor,peer", cadence_days=30, role="CTO"
    )
    eli = contacts.create_contact("Eli", cadence_days=7, connected_on="2026-11-01")
    fay = contacts.create_contact("Fay", cadence_days=10)  # never contacted nor connected
    contacts.create_contact("Gus", email="gus@example.com")
    interactions.log_interaction([dana.id], date="2026-10-01")
    interviews.create_interview(eli.id, when="2026-11-10", status="done")
    contacts.set_archived(contacts.create_contact("Hal").id, True)
    columns = contacts.contact_columns(archived=None, today=TODAY)
    rows = columns.rows()
    assert [(r.name, r.last_contacted, r.next_due) for r in rows] == [
        ("Dana", dt.date(2026, 10, 1), dt.date(2026, 10, 31)),
        ("Eli", dt.date(2026, 11, 10), dt.date(2026, 11, 17)),
        ("Fay", None, contacts.next_touch_due(10, None, None, _added(fay.id))),
        ("Gus", None, None),
        ("Hal", None, None),
    ]
    assert rows[0].tags == ("mentor", "peer") and rows[0].organization == "Acme"
    assert [r.archived for r in rows] == [False, False, False, False, True]
    # Filtered by it, whether each is archived is the filter's (not read again).
    hidden = contacts.contact_rows(archived=True, today=TODAY)
    assert [(r.name, r.archived) for r in hidden] == [("Hal", True)]
    shown = contacts.contact_rows(today=TODAY)
    assert [(r.name, r.archived) for r in shown] == [
        (n, False) for n in ("Dana", "Eli", "Fay", "Gus")
    ]
    assert [r.name for r in contacts.contact_rows(due_only=True, today=TODAY)] == ["Dana", "Eli"]
    # The JSON, written column by column, is what json.dumps writes for the rows.
    assert json_text(serialize.contact_list(columns)) == _dumps(
        [
            {
                "id": r.id,
                "name": r.name,
                "organization": r.organization or None,
                "role": r.role,
                "email": r.email,
                "tags": list(r.tags),
                "cadence_days": r.cadence_days,
                "archived": r.archived,
                "last_contacted": serialize.day(r.last_contacted),
                "next_due": serialize.day(r.next_due),
                "goals": list(r.goals),
            }
            for r in rows
        ]
    )
    assert _dumps([serialize.contact_row(r) for r in rows]) == json_text(
        serialize.contact_list(columns)
    )


def _dumps(data: object) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False)


def _added(contact_id: int) -> dt.datetime:
    return contacts.contact_record(contact_id).created_at


def test_an_empty_list_has_empty_columns(db_path: Path) -> None:
    columns = contacts.contact_columns(today=TODAY)
    assert columns.rows() == [] and serialize.contact_list(columns).dicts() == []


def test_contacts_list_builds_no_object_per_contact(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    # 30,000 ContactRows took a tenth of `contacts list --json`: the list and
    # its JSON are written from the service's columns.
    cli("contacts", "add", "Dana", "--org", "Acme")
    cli("contacts", "add", "Émile")

    def refused(*args: object, **kwargs: object) -> None:
        raise AssertionError("a ContactRow was built")

    monkeypatch.setattr(contact_list, "ContactRow", refused)
    monkeypatch.setattr(serialize, "contact_row", refused)
    listed = cli("contacts", "list", "--json")
    assert [c["name"] for c in json.loads(listed.output)] == ["Dana", "Émile"]
    table = cli("contacts", "list").output
    assert table.index("Dana") < table.index("Émile")


def test_a_reader_that_stops_early_ends_the_list_as_before(db_path: Path) -> None:
    # The JSON is made in pieces but written at once with its line's end, as it
    # always was: `rapport contacts list --json | head` still exits 0 (a write
    # after the reader left would make it exit 1).
    import subprocess
    import sys

    from rapport.db import close_database

    for i in range(400):
        contacts.create_contact(f"Contact {i:03} with a name long enough", role="Engineer")
    close_database()
    command = [sys.executable, "-m", "rapport", "--db", str(db_path), "contacts", "list"]
    with subprocess.Popen([*command, "--json"], stdout=subprocess.PIPE) as listing:
        assert listing.stdout is not None
        assert listing.stdout.read(10) == b"[\n  {\n    "
        listing.stdout.close()
        assert listing.wait(timeout=60) == 0


def test_going_cold_reads_the_contacts_with_a_cadence_from_their_own_index(
    db_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # `today` scanned every contact's wide row (1,800 pages at 30,000) and
    # sorted the 3,600 with a cadence: migration 0014's partial index holds
    # them alone, in the list's order, with every column the list reads.
    import logging

    later = dt.date(2030, 1, 1)  # every cadence has come due
    for i, name in enumerate(TRICKY):
        contacts.create_contact(name, cadence_days=7 if i % 3 else None, allow_duplicate=True)
    with caplog.at_level(logging.DEBUG, logger="peewee"):
        due = contacts.contact_columns(due_only=True, today=later)
    statements = [
        r.msg
        for r in caplog.records
        if isinstance(r.msg, tuple)
        and ' FROM "contact" AS "t1" ' in r.msg[0]
        and " WHERE " in r.msg[0]
    ]
    assert len(statements) == 1
    sql, params = statements[0]
    plan = [row[3] for row in database.execute_sql(f"EXPLAIN QUERY PLAN {sql}", params)]
    assert plan[0] == "SCAN t1 USING COVERING INDEX contact_cadence_list", plan
    assert not [step for step in plan if "TEMP B-TREE" in step], plan
    every = contacts.contact_columns(today=later)  # the same contacts, in the same order
    assert due.id == [i for i, d in zip(every.id, every.next_due, strict=True) if d is not None]
    assert len(due.id) == len([i for i in range(len(TRICKY)) if i % 3])


@pytest.mark.parametrize(
    "filters",
    [{}, {"due_only": True}, {"archived": None}, {"tag": "mentor"}, {"tag": "nobody's"}],
)
def test_the_list_in_parts_is_the_list_whole(db_path: Path, filters: dict[str, object]) -> None:
    # `contacts list --json` writes a part before it reads the next: the parts
    # (a due filter leaves some of them short, or empty) hold the whole list,
    # in its order, and their JSON is the whole list's.
    from rapport.jsontext import json_parts_chunks

    for i, name in enumerate(TRICKY):
        contact = contacts.create_contact(
            name,
            cadence_days=(7, None, 300)[i % 3],
            tags="mentor" if i % 4 else "",
            allow_duplicate=True,
        )
        if i % 5 == 0:
            interactions.log_interaction([contact.id], date="2026-11-20")
        if i % 7 == 0:
            contacts.set_archived(contact.id, True)
    later = dt.date(2027, 1, 1)  # the weekly cadences are due, the others not
    whole = contact_list.contact_columns(today=later, **filters)  # type: ignore[arg-type]
    parts = list(contact_list.contact_parts(today=later, rows=3, **filters))  # type: ignore[arg-type]
    assert [c for part in parts for c in part.rows()] == whole.rows()
    assert "".join(json_parts_chunks(map(contact_list.json_records, parts))) == _dumps(
        [serialize.contact_row(r) for r in whole.rows()]
    )
    if filters.get("due_only"):
        assert whole.rows() and any(len(part.id) < 3 for part in parts[:-1])  # one cut short
