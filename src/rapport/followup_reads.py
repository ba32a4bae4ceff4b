"""Follow-ups read as plain columns through the open connection, no model built.

`rapport followups due` prints eight columns of a few hundred follow-ups: read
here as tuples by the statements peewee writes for the same select
(rapport.services.followups), they spare the command the 25 model classes
(rapport.models, 4 ms) and writing the statements (1 ms).  A test holds them
to what the models read.  The goals' titles are read here for the contact
list too (rapport.services.contact_list): one statement, one rule for many ids.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from rapport.connection import execute, parsed

# The open follow-ups due by a day (``?``), with whom, in followups_query's order.
_DUE = (
    'SELECT "t1"."id", "t1"."due_date", "t1"."due_time", "t1"."done", "t1"."title", '
    '"t1"."rrule", "t2"."name" FROM "follow_up" AS "t1" '
    'LEFT OUTER JOIN "contact" AS "t2" ON ("t1"."contact_id" = "t2"."id") '
    'WHERE (("t1"."done" = 0) AND ("t1"."due_date" <= ?)) '
    'ORDER BY "t1"."due_date", ("t1"."due_time" IS NOT NULL), "t1"."due_time", "t1"."id"'
)
# The titles of the goals that follow-ups or contacts serve ({of}: the link's
# column naming them), in goals_by_followup's order.
_GOALS = (
    'SELECT "t1"."{of}", "t2"."title" FROM "goal_link" AS "t1" '
    'INNER JOIN "goal" AS "t2" ON ("t1"."goal_id" = "t2"."id") WHERE ({where}) '
    'ORDER BY "t2"."priority", "t2"."title"'
)
# Thousands of ids make a statement SQLite takes longer to read than to run:
# the links of every follow-up are few, read them all.
_MOST_IDS = 500


def due_columns(until: dt.date) -> list[list[Any]]:
    """The id, due date, due time, done, title, rule and contact's name (None for
    no one) of each open follow-up due by ``until``, one list per column."""
    rows = execute(_DUE, (until.isoformat(),)).fetchall()
    if not rows:
        return [[] for _ in range(7)]
    ids, due_date, due_time, done, title, rrule, name = map(list, zip(*rows, strict=True))
    return [
        ids,
        parsed(due_date, dt.date),
        parsed(due_time, dt.time),
        [*map(bool, done)],
        title,
        rrule,
        name,
    ]


def goal_titles(ids: Sequence[int] | None, of: str = "follow_up_id") -> dict[int, tuple[str, ...]]:
    """The titles of the goals each of ``ids`` serves (None: every one's), by
    priority and title; ``of`` names them: "follow_up_id" or "contact_id"."""
    result: dict[int, list[str]] = defaultdict(list)
    wanted = None if ids is None else set(ids)
    if wanted is not None and not wanted:
        return {}
    if wanted is None or len(wanted) > _MOST_IDS:
        rows = execute(_GOALS.format(of=of, where=f'"t1"."{of}" IS NOT NULL'))
    else:
        marks = ", ".join("?" * len(wanted))
        rows = execute(_GOALS.format(of=of, where=f'"t1"."{of}" IN ({marks})'), sorted(wanted))
    for owner, title in rows:
        if wanted is None or owner in wanted:
            result[owner].append(title)
    return {owner: tuple(titles) for owner, titles in result.items()}
