"""Each contact's latest exchange date, kept by triggers as exchanges are written
(contact_touch, migration 0016): right after every way exchanges change, the
contact list's "last contacted" is what seeking the exchanges would say."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from rapport.db import close_database, open_database
from rapport.models import database
from rapport.services import contact_list, contacts, interactions
from rapport.services.exchange import export_json, import_json
from rapport.services.merge import merge_contacts
from touch_tally import kept, sought

TODAY = dt.date(2026, 11, 23)  # the frozen clock's day (tests/conftest.py)


def last_contacted() -> dict[str, dt.date | None]:
    return {r.name: r.last_contacted for r in contact_list.contact_rows(today=TODAY)}


def days(*ago: int) -> list[dt.date]:
    return [TODAY - dt.timedelta(days=n) for n in ago]


@pytest.fixture
def ana_bo_cy(db_path: Path) -> tuple[int, int, int]:
    ana, bo, cy = (contacts.create_contact(name).id for name in ("Ana", "Bo", "Cy"))
    interactions.log_interaction([ana], date="-3d")
    interactions.log_interaction([ana, bo], date="-5d")
    interactions.log_interaction([bo, cy], date="-9d")
    return ana, bo, cy


def the_one(contact: int, on: dt.date) -> int:
    (row,) = [r for r in interactions.list_interactions(contact=contact) if r.date == on]
    return row.id


def test_logging_keeps_each_persons_latest(ana_bo_cy: tuple[int, int, int]) -> None:
    assert kept() == sought()
    assert last_contacted() == dict(zip(["Ana", "Bo", "Cy"], days(3, 5, 9), strict=True))
    contacts.create_contact("Di")
    assert last_contacted()["Di"] is None


def test_an_earlier_date_for_the_latest_seeks_the_next(ana_bo_cy: tuple[int, int, int]) -> None:
    ana, _, _ = ana_bo_cy
    interactions.update_interaction(the_one(ana, *days(3)), date="-20d")
    assert kept() == sought()
    assert last_contacted()["Ana"] == days(5)[0]


def test_a_later_date_raises_the_latest(ana_bo_cy: tuple[int, int, int]) -> None:
    _, _, cy = ana_bo_cy
    interactions.update_interaction(the_one(cy, *days(9)), date="-1d")
    assert kept() == sought()
    assert last_contacted() == dict(zip(["Ana", "Bo", "Cy"], days(3, 1, 1), strict=True))


def test_changed_participants_move_the_latest(ana_bo_cy: tuple[int, int, int]) -> None:
    ana, _, cy = ana_bo_cy
    interactions.update_interaction(the_one(ana, *days(3)), contacts=[cy])
    assert kept() == sought()
    assert last_contacted() == dict(zip(["Ana", "Bo", "Cy"], days(5, 5, 3), strict=True))


def test_a_deleted_interaction_is_no_longer_the_latest(ana_bo_cy: tuple[int, int, int]) -> None:
    ana, _, cy = ana_bo_cy
    interactions.delete_interaction(the_one(ana, *days(3)))
    interactions.delete_interaction(the_one(cy, *days(9)))
    assert kept() == sought()
    assert last_contacted() == {"Ana": days(5)[0], "Bo": days(5)[0], "Cy": None}


def test_a_deleted_contact_takes_their_row_and_leaves_the_others(
    ana_bo_cy: tuple[int, int, int],
) -> None:
    ana, _, _ = ana_bo_cy
    contacts.delete_contact(ana)
    assert kept() == sought()
    (left,) = database.execute_sql(
        "SELECT COUNT(*) FROM contact_touch WHERE contact_id = ?", (ana,)
    ).fetchone()
    assert left == 0
    assert last_contacted() == dict(zip(["Bo", "Cy"], days(5, 9), strict=True))


def test_a_merge_takes_the_later_of_the_two(ana_bo_cy: tuple[int, int, int]) -> None:
    _, bo, cy = ana_bo_cy
    merge_contacts(cy, bo)  # Bo's latest (5 days ago) is later than Cy's (9)
    assert kept() == sought()
    assert last_contacted() == dict(zip(["Ana", "Cy"], days(3, 5), strict=True))


def test_a_restored_json_file_keeps_the_latest(
    ana_bo_cy: tuple[int, int, int], tmp_path: Path
) -> None:
    before = last_contacted()
    snapshot = tmp_path / "snapshot.json"
    snapshot.write_text(export_json(), encoding="utf-8")
    close_database()
    open_database(tmp_path / "restored.db")
    import_json(snapshot)
    assert kept() == sought()
    assert last_contacted() == before


def test_a_planned_exchange_is_kept_but_not_last_contacted(
    ana_bo_cy: tuple[int, int, int],
) -> None:
    ana, bo, _ = ana_bo_cy
    interactions.log_interaction([ana], date="+4d")
    interactions.log_interaction([bo], date="+1d")
    assert kept() == sought()  # kept whatever its date
    assert kept()[ana] == (TODAY + dt.timedelta(days=4)).isoformat()
    # The list still shows the latest one had: on or before today.
    assert last_contacted() == dict(zip(["Ana", "Bo", "Cy"], days(3, 5, 9), strict=True))
    tomorrow = TODAY + dt.timedelta(days=1)
    on_the_day = {r.name: r.last_contacted for r in contact_list.contact_rows(today=tomorrow)}
    assert on_the_day["Bo"] == tomorrow
