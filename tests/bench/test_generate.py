"""The benchmark data set: the right sizes, the same every time, and files others can read.

The benchmarks themselves never run in ``make test``; these checks on a small
data set make sure that what they measure is what the issue describes.
"""

from __future__ import annotations

import csv
import datetime as dt
import sqlite3
import sys
from pathlib import Path
from typing import Any

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))

import generate  # noqa: E402

SIZES = generate.Sizes.for_contacts(300)


@pytest.fixture(scope="module")
def data_set(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    folder = tmp_path_factory.mktemp("bench")
    manifest = generate.generate(folder, SIZES, seed=7)
    return folder, manifest


def query(folder: Path, sql: str) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(folder / "rapport.db")
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def count(folder: Path, sql: str) -> int:
    return int(query(folder, sql)[0][0])


def test_sizes_scale_with_the_number_of_contacts() -> None:
    large = generate.Sizes.for_contacts(30_000)
    assert (large.organizations, large.interactions, large.interviews, large.events) == (
        3_000,
        200_000,
        2_000,
        1_500,
    )
    assert (large.followups, large.open_followups, large.goals, large.goal_links) == (
        50_000,
        5_000,
        25,
        3_000,
    )
    assert (SIZES.organizations, SIZES.followups, SIZES.open_followups) == (30, 500, 50)


def test_the_database_holds_what_the_sizes_say(data_set: tuple[Path, dict[str, Any]]) -> None:
    folder, _ = data_set
    assert count(folder, "SELECT count(*) FROM contact") == SIZES.contacts
    assert count(folder, "SELECT count(*) FROM organization") == SIZES.organizations
    assert count(folder, "SELECT count(*) FROM interaction") == SIZES.interactions
    assert count(folder, "SELECT count(*) FROM interview") == SIZES.interviews
    assert count(folder, "SELECT count(*) FROM event") == SIZES.events
    assert count(folder, "SELECT count(*) FROM follow_up") == SIZES.followups
    assert count(folder, "SELECT count(*) FROM follow_up WHERE NOT done") == SIZES.open_followups
    assert count(folder, "SELECT count(*) FROM goal") == SIZES.goals
    assert count(folder, "SELECT count(*) FROM goal_link") == SIZES.goal_links
    assert count(folder, "SELECT count(*) FROM follow_up WHERE rrule != ''") > 0
    # Every interaction is with somebody; the heavy contact has exactly 200.
    assert (
        count(
            folder,
            "SELECT count(*) FROM interaction WHERE id NOT IN "
            "(SELECT interaction_id FROM interaction_contact)",
        )
        == 0
    )
    assert count(folder, "SELECT count(*) FROM interaction_contact WHERE contact_id = 1") == 200
    # Interactions were logged in the order of their ids, as in a person's database.
    assert (
        count(
            folder,
            "SELECT count(*) FROM interaction AS a JOIN interaction AS b ON b.id = a.id + 1"
            " WHERE b.created_at < a.created_at",
        )
        == 0
    )


def test_search_index_holds_every_record(data_set: tuple[Path, dict[str, Any]]) -> None:
    folder, manifest = data_set
    documents = SIZES.contacts + SIZES.interactions + SIZES.interviews + SIZES.events
    documents += SIZES.skills + SIZES.goals + SIZES.followups  # the last two since 0013
    assert count(folder, "SELECT count(*) FROM search_index") == documents
    word = manifest["search"]["surname"]
    assert count(folder, f"SELECT count(*) FROM search_index WHERE title MATCH '{word}'") >= 1
    assert query(folder, "PRAGMA integrity_check") == [("ok",)]
    assert query(folder, "PRAGMA foreign_key_check") == []


def test_skills_needs_and_expertise_have_the_issues_sizes(
    data_set: tuple[Path, dict[str, Any]],
) -> None:
    folder, manifest = data_set
    assert count(folder, "SELECT count(*) FROM skill") == 200
    assert count(folder, "SELECT count(*) FROM expertise") == SIZES.expertise == 50
    needs = query(folder, "SELECT goal_id, count(*) FROM goal_need GROUP BY goal_id")
    assert [n for _, n in needs] == [10] * 20
    assert count(folder, "SELECT count(DISTINCT skill_id) FROM skill_rating") >= 100
    # The candidates benchmark's skill is one that people's notes mention.
    skill = manifest["skill"].lower()
    assert count(folder, f"SELECT count(*) FROM search_index WHERE body MATCH '\"{skill}\"'")


def test_same_seed_same_records(data_set: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    folder, _ = data_set
    again = tmp_path / "again"
    generate.generate(again, SIZES, seed=7)
    for table in ("contact", "interaction", "follow_up", "goal_link"):
        sql = f"SELECT * FROM {table} ORDER BY id"
        assert query(folder, sql) == query(again, sql), table
    assert (folder / "contacts.vcf").read_bytes() == (again / "contacts.vcf").read_bytes()


def test_recurring_follow_ups_fall_on_their_rule(data_set: tuple[Path, dict[str, Any]]) -> None:
    from dateutil import rrule

    folder, _ = data_set
    rows = query(folder, "SELECT rrule, series_start, due_date FROM follow_up WHERE rrule != ''")
    for rule, start, due in rows:
        series = rrule.rrulestr(f"RRULE:{rule}", dtstart=dt.datetime.fromisoformat(start))
        assert dt.datetime.fromisoformat(due) in series, (rule, start, due)


def test_rapport_reads_the_data_set(data_set: tuple[Path, dict[str, Any]]) -> None:
    from rapport.db import close_database, open_database
    from rapport.services.contacts import contact_detail, contact_rows
    from rapport.services.followups import due_followups

    folder, manifest = data_set
    open_database(folder / "rapport.db")
    try:
        today = dt.date.fromisoformat(manifest["today"])
        rows = contact_rows(today=today)
        assert len(rows) == count(folder, "SELECT count(*) FROM contact WHERE NOT archived")
        assert due_followups(7, today=today)
        heavy = contact_detail(1, today=today)
        assert sum(e.kind == "interaction" for e in heavy.timeline) == 200
    finally:
        close_database()


def test_connections_csv_has_linkedins_layout(data_set: tuple[Path, dict[str, Any]]) -> None:
    folder, _ = data_set
    lines = (folder / "Connections.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "Notes:"
    assert lines[1].startswith('"When exporting your connection data')
    assert lines[2] == ""
    rows = list(csv.DictReader(lines[3:]))
    assert list(rows[0]) == list(generate.LINKEDIN_COLUMNS)
    assert len(rows) == SIZES.contacts
    connected = [dt.datetime.strptime(r["Connected On"], "%d %b %Y").date() for r in rows]
    assert connected == sorted(connected, reverse=True)  # newest first, as LinkedIn lists them
    assert all(r["URL"].startswith("https://www.linkedin.com/in/") for r in rows)
    assert 0 < sum(bool(r["Email Address"]) for r in rows) < len(rows)


def test_vcf_is_a_readable_address_book(data_set: tuple[Path, dict[str, Any]]) -> None:
    import vobject

    folder, _ = data_set
    text = (folder / "contacts.vcf").read_bytes().decode("utf-8")
    cards = list(vobject.readComponents(text))
    assert len(cards) == SIZES.contacts
    names = dict(query(folder, "SELECT id, name FROM contact"))
    for card in cards:
        assert card.version.value == "3.0"
        contact_id = int(card.uid.value.rsplit("-", 1)[1])
        assert card.fn.value == names[contact_id]
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))


def test_vcard_escapes_and_folds() -> None:
    assert generate.vcard_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    folded = generate.fold("NOTE:" + "é" * 80)
    assert all(len(line.encode()) <= 75 for line in folded.split("\r\n"))
    assert folded.replace("\r\n ", "").rstrip("\r\n") == "NOTE:" + "é" * 80
