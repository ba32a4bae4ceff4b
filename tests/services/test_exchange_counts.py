"""Each contact's exchanges by direction, kept by triggers as they are written
(exchange_count, migration 0015): right after every way exchanges change, so the
review's gave/asked/mutual stay what counting them would say."""

from __future__ import annotations

from pathlib import Path

import pytest

import touch_tally
from exchange_tally import counted, kept
from rapport.db import close_database, open_database
from rapport.models import database
from rapport.services import contacts, goals, interactions, links
from rapport.services import review as rv
from rapport.services.exchange import export_json, import_json
from rapport.services.merge import merge_contacts


def reciprocity() -> dict[str, tuple[int, int, int]]:
    (goal,) = rv.build_review().goals
    return {
        p.name: (p.reciprocity.gave, p.reciprocity.asked, p.reciprocity.mutual)
        for p in goal.relationships
    }


@pytest.fixture
def ana_bo_cy(db_path: Path) -> tuple[int, int, int]:
    goal = goals.create_goal("Lead a team")
    people = [contacts.create_contact(name) for name in ("Ana", "Bo", "Cy")]
    for p in people:
        links.link_goal(goal, contact=p)
    ana, bo, cy = (p.id for p in people)
    interactions.log_interaction([ana], date="-3d", direction="gave")
    interactions.log_interaction([ana, bo], date="-5d", direction="asked")
    interactions.log_interaction([bo, cy], date="-9d", direction="mutual")
    return ana, bo, cy


def test_logging_counts_each_person_in_it(ana_bo_cy: tuple[int, int, int]) -> None:
    assert kept() == counted()
    assert reciprocity() == {"Ana": (1, 1, 0), "Bo": (0, 1, 1), "Cy": (0, 0, 1)}


def test_a_changed_direction_moves_the_counts(ana_bo_cy: tuple[int, int, int]) -> None:
    ana, _, _ = ana_bo_cy
    (row,) = [r for r in interactions.list_interactions(contact=ana) if r.direction == "asked"]
    interactions.update_interaction(row.id, direction="gave")
    assert kept() == counted()
    assert reciprocity()["Ana"] == (2, 0, 0)
    assert reciprocity()["Bo"] == (1, 0, 1)


def test_changed_participants_move_the_counts(ana_bo_cy: tuple[int, int, int]) -> None:
    ana, bo, cy = ana_bo_cy
    (row,) = [r for r in interactions.list_interactions(contact=ana) if r.direction == "asked"]
    interactions.update_interaction(row.id, contacts=[bo, cy])
    assert kept() == counted()
    assert reciprocity() == {"Ana": (1, 0, 0), "Bo": (0, 1, 1), "Cy": (0, 1, 1)}


def test_a_deleted_interaction_is_no_longer_counted(ana_bo_cy: tuple[int, int, int]) -> None:
    ana, _, _ = ana_bo_cy
    (row,) = [r for r in interactions.list_interactions(contact=ana) if r.direction == "asked"]
    interactions.delete_interaction(row.id)
    assert kept() == counted()
    assert reciprocity() == {"Ana": (1, 0, 0), "Bo": (0, 0, 1), "Cy": (0, 0, 1)}


def test_a_deleted_contact_takes_their_counts_and_leaves_the_others(
    ana_bo_cy: tuple[int, int, int],
) -> None:
    ana, _, _ = ana_bo_cy
    contacts.delete_contact(ana)
    assert kept() == counted()
    assert not [key for key in kept() if key[0] == ana]
    assert reciprocity() == {"Bo": (0, 1, 1), "Cy": (0, 0, 1)}


def test_a_merge_adds_the_other_ones_exchanges_once(ana_bo_cy: tuple[int, int, int]) -> None:
    ana, bo, _ = ana_bo_cy
    merge_contacts(ana, bo)  # Bo's two exchanges, one of them shared with Ana
    assert kept() == counted()
    assert reciprocity() == {"Ana": (1, 1, 1), "Cy": (0, 0, 1)}
    (left,) = database.execute_sql(
        "SELECT COUNT(*) FROM exchange_count WHERE contact_id = ?", (bo,)
    ).fetchone()
    assert left == 0


def test_a_restored_json_file_is_counted(ana_bo_cy: tuple[int, int, int], tmp_path: Path) -> None:
    before = reciprocity()
    snapshot = tmp_path / "snapshot.json"
    snapshot.write_text(export_json(), encoding="utf-8")
    close_database()
    open_database(tmp_path / "restored.db")
    import_json(snapshot)
    assert kept() == counted()
    assert reciprocity() == before


def test_a_restore_tallies_at_once_and_puts_the_triggers_back(
    ana_bo_cy: tuple[int, int, int], tmp_path: Path
) -> None:
    def triggers() -> list[tuple[str, str]]:
        return database.execute_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name"
        ).fetchall()

    snapshot = tmp_path / "snapshot.json"
    snapshot.write_text(export_json(), encoding="utf-8")
    close_database()
    open_database(tmp_path / "restored.db")
    schema = triggers()
    import_json(snapshot, dry_run=True)
    assert triggers() == schema and kept() == {}
    import_json(snapshot)
    assert triggers() == schema
    assert kept() == counted() and sum(kept().values()) == 5
    assert touch_tally.kept() == touch_tally.sought() and len(touch_tally.kept()) == 3
    # Kept by the triggers again from then on.
    interactions.log_interaction([ana_bo_cy[0]], date="-1d", direction="gave")
    assert kept() == counted() and sum(kept().values()) == 6
    assert touch_tally.kept() == touch_tally.sought()


def test_a_planned_exchange_counts_from_its_day_on(ana_bo_cy: tuple[int, int, int]) -> None:
    ana, _, _ = ana_bo_cy
    interactions.log_interaction([ana], date="+4d", direction="gave")
    assert kept() == counted()  # kept whatever its date
    assert reciprocity()["Ana"] == (1, 1, 0)  # not had yet
