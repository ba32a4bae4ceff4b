"""When people were last met and when they are next due, and who was met at which event.

Apart from the contact and event services so that the review, which asks
these of hundreds of people, loads neither (their seven frozen dataclasses
and the rest: 5-6 ms of every `rapport review`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from rapport import clock, dates
from rapport.connection import execute

if TYPE_CHECKING:
    from rapport.models import Contact

# The latest past interaction (then done interview) of each contact; {ids}: the
# contacts asked for, if not all.  SQL text: the plain review asks it without
# peewee (rapport.connection).
TOUCHED = (
    'SELECT "t1"."contact_id", MAX("t1"."date") FROM "interaction_contact" AS "t1" '
    'WHERE ("t1"."date" <= ?){ids} GROUP BY "t1"."contact_id"'
)
INTERVIEWED = (
    'SELECT "t1"."contact_id", MAX("t1"."scheduled_date") FROM "interview" AS "t1" '
    'WHERE ("t1"."status" = ?) AND ("t1"."scheduled_date" <= ?){ids} GROUP BY "t1"."contact_id"'
)


def last_contacted(
    contact_ids: Iterable[int] | None = None, *, today: dt.date | None = None
) -> dict[int, dt.date]:
    """For each contact, the date of the latest past interaction or done interview.

    ``contact_ids`` narrows the query (None: everyone), done in two grouped
    queries whatever the number of contacts.
    """
    today = today or clock.today()
    ids = None if contact_ids is None else list(contact_ids)
    # interaction_contact carries each interaction's date (migration 0006), so
    # this reads one narrow index instead of looking up every interaction.
    marks = "" if ids is None else f' AND ("t1"."contact_id" IN ({", ".join("?" * len(ids))}))'
    day = today.isoformat()
    queries = (
        (TOUCHED.format(ids=marks), (day, *(ids or ()))),
        (INTERVIEWED.format(ids=marks), ("done", day, *(ids or ()))),
    )
    # ISO dates order as text: keep the latest as text, convert each winner once.
    latest: dict[int, str] = {}
    for sql, params in queries:
        for contact_id, last in execute(sql, params):
            if last is None:
                continue
            last = str(last)[:10]
            if contact_id not in latest or last > latest[contact_id]:
                latest[contact_id] = last
    return {contact_id: dt.date.fromisoformat(day) for contact_id, day in latest.items()}


def next_touch_due(
    cadence_days: int | None,
    last: dt.date | None,
    connected_on: dt.date | None,
    created_at: dt.datetime,
) -> dt.date | None:
    """Last contacted + cadence; never contacted counts from connecting (or adding)."""
    if not cadence_days:
        return None
    base = last or connected_on or created_at.date()
    return dates.add_span(base, cadence_days)


def met_pairs(*, events: Any = None, contact: Contact | int | None = None) -> Any:
    """(event_id, contact_id), once each, for everyone I met at an event.

    The people I met at an event are those recorded there (the event's "met
    there") and those whose "met at" names it (where we first met): one fact,
    entered from either side, so every view reads both through this.
    ``events`` (a query of event ids) or ``contact`` narrow it.
    """
    # peewee's query, composed by its callers (the plain review writes its own).
    from rapport.models import Contact, EventAttendee

    attended = EventAttendee.select(
        EventAttendee.event.alias("event_id"), EventAttendee.contact.alias("contact_id")
    )
    first_met = Contact.select(Contact.met_at, Contact.id).where(Contact.met_at.is_null(False))
    if events is not None:
        attended = attended.where(EventAttendee.event.in_(events))
        first_met = first_met.where(Contact.met_at.in_(events))
    if contact is not None:
        attended = attended.where(EventAttendee.contact == contact)
        first_met = first_met.where(Contact.id == contact)
    return (attended | first_met).alias("met")
