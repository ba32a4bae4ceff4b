"""Plain references the services hand faces: a person, an event, a goal a record serves."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, fields
from operator import attrgetter
from typing import Any, TypeVar

T = TypeVar("T")

# Per plain kind: what reads its own fields off a record, in their order.
_READERS: dict[type, Callable[[object], tuple[Any, ...]]] = {}


def plain(kind: type[T], record: object, **joined: Any) -> T:
    """A ``kind`` (a frozen dataclass) holding ``record``'s attributes of the same
    names, read once here; ``joined`` gives the fields the service read beside it
    (a name from another table, a count), declared last in ``kind``.

    Lists build thousands of these: the reader is made once per kind."""
    read = _READERS.get(kind)
    if read is None:
        names = [f.name for f in fields(kind)]  # type: ignore[arg-type]
        own = names[: len(names) - len(joined)]
        assert set(names) - set(own) == set(joined), f"{kind.__name__}: joined fields go last"
        read = _READERS[kind] = attrgetter(*own)
    return kind(*read(record), **joined)


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
class SkillRef:
    id: int
    name: str


@dataclass(frozen=True)
class GoalRef:
    id: int
    title: str


@dataclass(frozen=True)
class GoalServed:
    """A goal a record serves (a link's role and note matter for a contact's)."""

    id: int
    title: str
    role: str
    note: str
