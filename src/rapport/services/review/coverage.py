"""Coverage gaps: goals nobody is behind, goals gone cold, busy contacts who serve no goal."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rapport.connection import execute
from rapport.services.review.goals import RECENT_DAYS, GoalReview
from rapport.services.review.items import GoalRef, day_of, goal_ref


@dataclass
class UnlinkedContact:
    """A contact active lately who serves no goal: a link may be missing."""

    contact_id: int
    name: str
    organization: str
    interactions: int
    last_contacted: dt.date


@dataclass
class CoverageGaps:
    goals_without_people: tuple[GoalRef, ...]
    goals_all_cold: tuple[GoalRef, ...]
    active_unlinked: tuple[UnlinkedContact, ...]  # busiest first; all, or the first asked for
    active_unlinked_count: int  # how many there are in all


def coverage_gaps(
    reviews: list[GoalReview], today: dt.date, unlinked: int | None = None
) -> CoverageGaps:
    """The gaps; ``unlinked``: how many active unlinked contacts to list (None: all)."""
    active = [r for r in reviews if r.goal.status == "active"]
    listed, count = _active_unlinked(today, unlinked)
    return CoverageGaps(
        goals_without_people=tuple(goal_ref(r.goal) for r in active if not r.relationships),
        goals_all_cold=tuple(
            goal_ref(r.goal)
            for r in active
            if r.relationships and all(p.status in ("cold", "never") for p in r.relationships)
        ),
        active_unlinked=tuple(listed),
        active_unlinked_count=count,
    )


# Counted per contact first, then each contact looked up once: joining first
# looked a contact up for every exchange of the month (23,000 at 30,000
# contacts) and grouped the joined rows (34 ms against 19).  Busiest first,
# then the latest touched, then by name (SQLite compares text as Python does,
# code point by code point), then in the order the counts came (by contact):
# SQLite sorts the 5,000 rows for less than a key per row costs Python.  The
# number of them all rides on each row (a window over the sorted rows, SQLite
# 3.25), so the terminal's review, which prints ten and says how many more,
# asks for ten and builds ten, not 5,000 (8 ms at 30,000 contacts).
# Written as text: the review runs it on every call, and peewee's builder took
# longer to write it than SQLite to plan it.
ACTIVE_UNLINKED = """
SELECT "t1"."id", "t1"."name", "t2"."name", "recent"."times", "recent"."latest",
       COUNT(*) OVER ()
FROM "contact" AS "t1"
INNER JOIN (
    SELECT "contact_id", COUNT("interaction_id") AS "times", MAX("date") AS "latest"
    FROM "interaction_contact"
    WHERE "date" BETWEEN ? AND ?
    GROUP BY "contact_id"
) AS "recent" ON "recent"."contact_id" = "t1"."id"
LEFT OUTER JOIN "organization" AS "t2" ON "t1"."organization_id" = "t2"."id"
WHERE "t1"."archived" = 0
  AND "t1"."id" NOT IN (SELECT "contact_id" FROM "goal_link" WHERE "contact_id" IS NOT NULL)
ORDER BY "recent"."times" DESC, SUBSTR("recent"."latest", 1, 10) DESC, "t1"."name", "t1"."id"
LIMIT ?
"""


def _active_unlinked(today: dt.date, first: int | None) -> tuple[list[UnlinkedContact], int]:
    """Contacts with interactions in the last 30 days who serve no goal, busiest
    first (the ``first`` of them; None: all), and how many there are in all."""
    since = today - dt.timedelta(days=RECENT_DAYS - 1)
    limit = -1 if first is None else first  # SQLite's LIMIT -1: no limit
    rows = execute(ACTIVE_UNLINKED, (since.isoformat(), today.isoformat(), limit)).fetchall()
    found = [
        UnlinkedContact(cid, name, org or "", count, day_of(last) or since)
        for cid, name, org, count, last, _ in rows
    ]
    return found, rows[0][-1] if rows else 0
