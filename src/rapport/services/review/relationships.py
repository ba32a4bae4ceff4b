"""Warmth and reciprocity: how each contact behind a goal stands, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from rapport.choices import DIRECTIONS
from rapport.connection import execute, parsed
from rapport.services.review.items import day_of
from rapport.services.touches import next_touch_due
from rapport.services.warmth import DEFAULT_CADENCE_DAYS, WARMTH_LABELS, warmth


# Frozen: one instance is every untouched person's default (_Touches).
@dataclass(frozen=True)
class Reciprocity:
    """What I gave against what I asked, counted in interactions."""

    gave: int = 0
    asked: int = 0
    mutual: int = 0

    @property
    def balance(self) -> int:
        """Gave minus asked: below zero, I take more than I give."""
        return self.gave - self.asked

    @property
    def verdict(self) -> str:
        """``none``, ``only-take`` (asked, and never gave nor exchanged), ``take``,
        ``even`` or ``give``."""
        if not (self.gave or self.asked or self.mutual):
            return "none"
        if self.asked and not (self.gave or self.mutual):
            # A mutual exchange gives too: "you only take" beside "mutual 3" reads false.
            return "only-take"
        if self.asked > self.gave:
            return "take"
        if self.gave > self.asked:
            return "give"
        return "even"

    @property
    def summary(self) -> str:
        return {
            "none": "nothing exchanged yet",
            "only-take": "you only take",
            "take": "you take more than you give",
            "even": "balanced",
            "give": "you give more than you take",
        }[self.verdict]

    @classmethod
    def of(cls, directions: Iterable[str]) -> Reciprocity:
        counts = Counter(directions)
        return cls(counts["gave"], counts["asked"], counts["mutual"])


@dataclass
class Relationship:
    """A contact behind a goal, with their role for it and how warm it is."""

    contact_id: int
    name: str
    organization: str
    role: str  # one of LINK_ROLES; a link without a role is "other"
    note: str
    cadence_days: int  # the contact's, or DEFAULT_CADENCE_DAYS when they have none
    cadence_assumed: bool
    last_contacted: dt.date | None
    next_due: dt.date
    status: str  # one of WARMTH
    days_since: int | None
    days_overdue: int
    reciprocity: Reciprocity

    @property
    def status_label(self) -> str:
        return WARMTH_LABELS[self.status]


def in_goals(only: set[int] | None, column: str) -> tuple[str, tuple[int, ...]]:
    """`` AND column IN (?, ...)`` for the goals in ``only`` and their ids ("" and
    none for None: any goal)."""
    if only is None:
        return "", ()
    goals = tuple(sorted(only))
    return f" AND {column} IN ({', '.join('?' * len(goals))})", goals


def _linked(only: set[int] | None) -> tuple[str, tuple[int, ...]]:
    """SQL text (and its parameters) selecting the ids of contacts linked to the
    goals in ``only`` (None: any goal)."""
    goals, ids = in_goals(only, '"goal_id"')
    return f'SELECT "contact_id" FROM "goal_link" WHERE "contact_id" IS NOT NULL{goals}', ids


@dataclass
class _Touches:
    """One contact's past exchanges: directions counted, and the latest dates."""

    reciprocity: Reciprocity = Reciprocity()
    last_interaction: dt.date | None = None
    last_interview: dt.date | None = None

    @property
    def last(self) -> dt.date | None:
        """Last contacted, as contacts.last_contacted says: the latest of both."""
        return max((d for d in (self.last_interaction, self.last_interview) if d), default=None)


# Each linked person's exchanges by direction, from the counts kept as they
# are written (exchange_count, migration 0015), less those dated after today
# (planned, not had yet: a seek each, mostly finding none).  Counting them
# here read every past exchange of every linked person, 101,000 index entries
# at 30,000 contacts (22 ms, against 7 for this).  The latest past date is one
# seek of the (contact, date) index per person.  ?1 is today, the other
# parameters the goals' ids, if any.  Written as text: the review runs these
# on every call, and peewee's builder took longer to write them than SQLite
# to plan them.
_COUNT = """
       (SELECT "exchanges" FROM "exchange_count"
         WHERE "contact_id" = "linked"."contact_id" AND "direction" = '{direction}')
       - (SELECT COUNT(*) FROM "interaction_contact" AS "later"
         WHERE "later"."contact_id" = "linked"."contact_id" AND "later"."date" > ?1
           AND "later"."direction" = '{direction}')"""
COUNTED = f"""
SELECT "linked"."contact_id",
       (SELECT MAX("seen"."date") FROM "interaction_contact" AS "seen"
         WHERE "seen"."contact_id" = "linked"."contact_id" AND "seen"."date" <= ?1),
       {", ".join(_COUNT.format(direction=d) for d in DIRECTIONS)}
FROM (SELECT DISTINCT "contact_id" FROM ({{linked}})) AS "linked"
"""
INTERVIEWED = """
SELECT "contact_id", MAX("scheduled_date") FROM "interview"
WHERE "contact_id" IN ({linked}) AND "status" = 'done' AND "scheduled_date" <= ?
GROUP BY "contact_id"
"""


def _touches(only: set[int] | None, today: dt.date) -> dict[int, _Touches]:
    """For the contacts linked to the goals in ``only`` (None: any goal): their past
    interactions by direction and their latest interaction and done interview."""
    linked, goals = _linked(only)
    day = today.isoformat()
    result: dict[int, _Touches] = defaultdict(_Touches)
    for contact_id, last, *counts in execute(COUNTED.format(linked=linked), (day, *goals)):
        touches = result[contact_id]
        touches.reciprocity = Reciprocity(*(n or 0 for n in counts))
        touches.last_interaction = day_of(last)
    for contact_id, last in execute(INTERVIEWED.format(linked=linked), (*goals, day)):
        result[contact_id].last_interview = day_of(last)
    return result


# The links to (not archived) people, with what the review shows of them;
# {goals}: the goals asked for, if not all.
LINKS = """
SELECT "t1"."goal_id", "t1"."role", "t1"."note", "t2"."id", "t2"."name", "t3"."name",
       "t2"."cadence_days", "t2"."connected_on", "t2"."created_at"
FROM "goal_link" AS "t1"
INNER JOIN "contact" AS "t2" ON "t1"."contact_id" = "t2"."id"
LEFT OUTER JOIN "organization" AS "t3" ON "t2"."organization_id" = "t3"."id"
WHERE "t2"."archived" = 0{goals}
"""


def relationships_by_goal(today: dt.date, only: set[int] | None) -> dict[int, list[Relationship]]:
    """The (not archived) contacts linked to each goal, with warmth and reciprocity."""
    touches = _touches(only, today)
    goals, ids = in_goals(only, '"t1"."goal_id"')
    rows = execute(LINKS.format(goals=goals), ids).fetchall()
    result: dict[int, list[Relationship]] = defaultdict(list)
    if not rows:
        return result
    *columns, connected_on, created_at = map(list, zip(*rows, strict=True))
    # How a person stands (the fields after the note) is worked out once,
    # however many goals they serve: 1,684 people behind 2,352 links at 30,000
    # contacts.
    standing: dict[int, tuple[Any, ...]] = {}
    for goal_id, role, note, cid, name, org, cadence, connected, created in zip(
        *columns, parsed(connected_on, dt.date), parsed(created_at, dt.datetime), strict=True
    ):
        stands = standing.get(cid)
        if stands is None:
            touched = touches.get(cid) or _Touches()
            seen = touched.last
            every = cadence or DEFAULT_CADENCE_DAYS
            due = next_touch_due(every, seen, connected, created)
            assert due is not None  # a cadence is always given here
            stands = standing[cid] = (
                every,
                not cadence,
                seen,
                due,
                warmth(seen, every, today),
                (today - seen).days if seen else None,
                max(0, (today - due).days),
                touched.reciprocity,
            )
        result[goal_id].append(Relationship(cid, name, org or "", role or "other", note, *stands))
    return result
