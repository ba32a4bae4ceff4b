"""Plain references the services hand faces: a person by id and name, a goal a record serves."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ContactRef:
    id: int
    name: str


@dataclass(frozen=True)
class GoalServed:
    """A goal a record serves (a link's role and note matter for a contact's)."""

    id: int
    title: str
    role: str
    note: str
