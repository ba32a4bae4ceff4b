"""Edits never silently overwrite: a save over a change made elsewhere is refused with Conflict.

The app passes the ``updated_at`` it read when it opened a record as
``expected_updated_at``; if the record changed (or went) since, the save is
refused and the other change stays.  Every ``update_*`` service is covered,
and a new one without a case here fails ``test_every_update_service_is_covered``.
"""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from peewee import Model

from rapport.errors import Conflict
from rapport.models import Contact, Event, FollowUp, Goal, Interaction, Interview, Organization
from rapport.services import contacts, events, followups, goals, interactions, interviews, orgs


@dataclass(frozen=True)
class EditCase:
    """How to make a record, and two different edits of one of its fields."""

    update: Callable[..., Any]
    create: Callable[[], Any]
    field: str
    theirs: Any
    mine: Any
    model: type[Model]  # where the record is stored (the services hand back plain values)


def _dana() -> Any:
    return contacts.create_contact("Dana Whitfield")


CASES = {
    "update_goal": EditCase(
        goals.update_goal,
        lambda: goals.create_goal("Lead a team"),
        "why",
        "theirs",
        "mine",
        model=Goal,
    ),
    "update_organization": EditCase(
        orgs.update_organization,
        lambda: orgs.create_organization("Northwind"),
        "notes",
        "theirs",
        "mine",
        model=Organization,
    ),
    "update_contact": EditCase(
        contacts.update_contact, _dana, "notes", "theirs", "mine", model=Contact
    ),
    "update_interaction": EditCase(
        interactions.update_interaction,
        lambda: interactions.log_interaction([_dana().id], summary="coffee"),
        "notes",
        "theirs",
        "mine",
        model=Interaction,
    ),
    "update_interview": EditCase(
        interviews.update_interview,
        lambda: interviews.create_interview(_dana().id),
        "advice",
        "theirs",
        "mine",
        model=Interview,
    ),
    "update_event": EditCase(
        events.update_event,
        lambda: events.create_event("PyCon", start="2026-12-01"),
        "notes",
        "theirs",
        "mine",
        model=Event,
    ),
    "update_followup": EditCase(
        followups.update_followup,
        lambda: followups.create_followup("Write to Dana", due="tomorrow"),
        "notes",
        "theirs",
        "mine",
        model=FollowUp,
    ),
}


def _update_services() -> dict[str, Callable[..., Any]]:
    import rapport.services

    found = {}
    for module_info in pkgutil.iter_modules(rapport.services.__path__):
        module = importlib.import_module(f"rapport.services.{module_info.name}")
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("update_") and function.__module__ == module.__name__:
                found[name] = function
    return found


def test_every_update_service_is_covered() -> None:
    services = _update_services()
    assert set(services) == set(CASES), "add an EditCase for each new update_* service"
    for name, function in services.items():
        assert "expected_updated_at" in inspect.signature(function).parameters, name


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_save_over_a_change_made_elsewhere_is_refused(db_path: Path, name: str) -> None:
    case = CASES[name]
    record = case.create()
    opened_at = record.updated_at  # what the app read when it opened the form

    case.update(record.id, **{case.field: case.theirs})  # someone else saves first
    with pytest.raises(Conflict, match="changed elsewhere"):
        case.update(record.id, expected_updated_at=opened_at, **{case.field: case.mine})

    stored = case.model.get_by_id(record.id)
    assert getattr(stored, case.field) == case.theirs  # their change is kept

    # Reopened, the same edit goes through.
    case.update(record.id, expected_updated_at=stored.updated_at, **{case.field: case.mine})
    assert getattr(case.model.get_by_id(record.id), case.field) == case.mine


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_save_of_a_record_deleted_elsewhere_is_refused(db_path: Path, name: str) -> None:
    case = CASES[name]
    record = case.create()
    opened_at = record.updated_at
    opened = case.model.get_by_id(record.id)  # the row as a service held it
    case.model.delete_by_id(record.id)
    with pytest.raises(Conflict, match="deleted elsewhere"):
        case.update(opened, expected_updated_at=opened_at, **{case.field: case.mine})
    assert case.model.get_or_none(case.model.id == record.id) is None


def test_each_save_moves_updated_at_forward_even_within_one_clock_tick(db_path: Path) -> None:
    # The clock is frozen in tests, as a coarse or stepped-back clock is in life.
    contact = _dana()
    stamps = [contact.updated_at]
    for note in ("one", "two", "three"):
        stamps.append(contacts.update_contact(contact.id, notes=note).updated_at)
    assert stamps == sorted(set(stamps))


def test_edits_of_different_fields_made_at_once_both_land(db_path: Path) -> None:
    from rapport.models import Contact

    contact_id = _dana().id
    mine, theirs = Contact.get_by_id(contact_id), Contact.get_by_id(contact_id)
    theirs.notes = "their notes"
    theirs.save()
    mine.role = "Director"
    mine.save()
    stored = Contact.get_by_id(contact_id)
    assert (stored.notes, stored.role) == ("their notes", "Director")


def test_completing_an_interview_refuses_to_overwrite_notes_changed_elsewhere(
    db_path: Path,
) -> None:
    interview = interviews.create_interview(_dana().id, notes="first draft")
    opened_at = interview.updated_at
    interviews.update_interview(interview.id, notes="edited on the laptop")
    with pytest.raises(Conflict):
        interviews.complete_interview(
            interview.id, notes="typed on the phone", expected_updated_at=opened_at
        )
    assert interviews.resolve_interview(interview.id).notes == "edited on the laptop"
    assert interviews.resolve_interview(interview.id).status == "planned"


def test_expected_updated_at_that_matches_is_not_a_conflict(db_path: Path) -> None:
    contact = _dana()
    updated = contacts.update_contact(
        contact.id, notes="fine", expected_updated_at=contact.updated_at
    )
    assert updated.notes == "fine"
    assert updated.updated_at > contact.updated_at
    assert isinstance(updated.updated_at, dt.datetime)
