"""An import cleans each distinct value once and builds an empty table's indexes after
its rows: every row still gets its own warnings, and the schema is what it was."""

from __future__ import annotations

from pathlib import Path

from rapport.models import Contact, database
from rapport.services.contacts import create_contact
from rapport.services.exchange import import_linkedin

HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\r\n"


def _schema() -> list[tuple[str, str]]:
    return database.execute_sql(
        "SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name"
    ).fetchall()


def test_the_same_bad_value_on_many_rows_is_reported_on_each(db_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "Connections.csv"
    rows = [
        f"Ann,Lee{i},,not-an-address,Acme,Engineer,01 Mar 2030\r\n"  # a day still to come
        for i in range(3)
    ]
    path.write_text(HEADER + "".join(rows))

    summary = import_linkedin(path)

    assert summary.created == 3
    lines = [(w.line, w.reason.split(":")[0]) for w in summary.warnings]
    assert lines == [(n, field) for n in (2, 3, 4) for field in ("connected on", "email")]
    assert {c.organization.name for c in Contact.select()} == {"Acme"}


def test_an_import_into_an_empty_table_leaves_its_indexes_as_they_were(
    db_path: Path, tmp_path: Path
) -> None:
    schema = _schema()
    path = tmp_path / "Connections.csv"
    path.write_text(HEADER + "Ann,Lee,linkedin.com/in/ann,ann@x.org,Acme,Engineer,\r\n")

    import_linkedin(path)
    create_contact("Bob Ray", email="ann@x.org", allow_duplicate=True)

    assert _schema() == schema
    plan = database.execute_sql(
        "EXPLAIN QUERY PLAN SELECT id FROM contact WHERE email = 'ann@x.org'"
    ).fetchall()
    assert "contact_email" in str(plan)


def test_a_day_that_cannot_be_read_is_reported_on_each_row(db_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "Connections.csv"
    path.write_text(HEADER + "".join(f"Ann,Lee{i},,,Acme,Engineer,someday\r\n" for i in range(2)))

    summary = import_linkedin(path)

    assert [(w.line, w.reason) for w in summary.warnings] == [
        (n, "connected on: 'someday' is not a date; left out") for n in (2, 3)
    ]
    assert [c.connected_on for c in Contact.select()] == [None, None]
