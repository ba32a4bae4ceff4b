"""Plain references the services hand faces: a person, an event, a goal a record serves."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from typing import Any, TypeVar

T = TypeVar("T")


def plain(kind: type[T], record: object, **joined: Any) -> T:
    """A ``kind`` (a frozen dataclass) holding ``record``'s attributes of the same
    names, read once here; ``joined`` gives the fields the service read beside it
    (a name from another table, a count)."""
    names = [f.name for f in fields(kind) if f.name not in joined]  # type: ignore[arg-type]
    return kind(**{name: getattr(record, name) for name in names}, **joined)


@dataclass(frozen=True)
class ContactRef:
    id: int
    name: str


@dataclass(frozen=True)
class EventRef:
    id: int
    name: str
    start_date: dt.date


@dataclass(frozen=True)
class GoalServed:
    """A goal a record serves (a link's role and note matter for a contact's)."""

    id: int
    title: str
    role: str
    note: str
