"""The contact list: contacts by name with their last and next touch, read as plain columns.

Apart from rapport.services.contacts (the models, cleaners and resolvers of a
contact's writes and sheet) so that `rapport contacts list` and its ``--json``
load neither peewee nor the models: the statements are SQLite's text, run
through rapport.connection on whichever connection is open (SQLite's own for
the list, the models' for `today` and the app).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import chain, compress, repeat
from operator import itemgetter
from typing import Any

from rapport import clock, dates
from rapport.connection import execute
from rapport.followup_reads import goal_titles
from rapport.jsontext import Records


@dataclass(frozen=True)
class ContactRow:
    """A contact as a list shows it, with the derived dates."""

    id: int
    name: str
    organization: str
    role: str
    email: str
    tags: tuple[str, ...]
    cadence_days: int | None
    archived: bool
    last_contacted: dt.date | None
    next_due: dt.date | None
    goals: tuple[str, ...] = ()

    def days_overdue(self, today: dt.date) -> int:
        """How many days past the next touch (0 if not due yet or no cadence)."""
        return max(0, (today - self.next_due).days) if self.next_due else 0


@dataclass(frozen=True)
class ContactColumns:
    """The contacts of a list column by column, each a list in the list's order
    and with ContactRow's fields: for a face that writes out thousands of contacts
    without an object for each (``rows()`` gives them as ContactRows)."""

    id: list[int]
    name: list[str]
    organization: list[str]
    role: list[str]
    email: list[str]
    tags: list[tuple[str, ...]]
    cadence_days: list[int | None]
    archived: list[bool]
    last_contacted: list[dt.date | None]
    next_due: list[dt.date | None]
    goals: list[tuple[str, ...]]

    def columns(self) -> list[list[Any]]:
        return [getattr(self, f.name) for f in dataclasses.fields(self)]

    def rows(self) -> list[ContactRow]:
        return list(map(ContactRow, *self.columns()))

    @classmethod
    def of(cls, rows: Iterable[ContactRow]) -> ContactColumns:
        names = [f.name for f in dataclasses.fields(cls)]
        return cls(*([getattr(r, name) for r in rows] for name in names))


# The statements are those peewee wrote for the same selects, as text.
# Each contact's latest done interview (few: hundreds where contacts are tens of
# thousands), read once, grouped, rather than by a subquery for every contact.
_INTERVIEWED = (
    'SELECT "t1"."contact_id", SUBSTR(MAX("t1"."scheduled_date"), 1, 10) '
    'FROM "interview" AS "t1" '
    'WHERE (("t1"."status" = \'done\') AND ("t1"."scheduled_date" <= ?)) '
    'GROUP BY "t1"."contact_id"'
)
# The organizations' names (a few thousand) by id, rather than a join to every
# contact's organization.
_ORGANIZATIONS = 'SELECT "t1"."id", "t1"."name" FROM "organization" AS "t1"'
# Only what the list shows, or needs to work out the next touch: every value read
# costs a Python object, 30,000 times over (whether archived is read only where
# the filter leaves both kinds).  The day a cadence counts from when
# never contacted (next_touch_due): connected, else added; read only for a
# contact with a cadence.  The latest interaction on or before today as ISO
# text ('' for none): the contact's latest of all as contact_touch keeps it
# (migration 0016), sought in the index beside each contact only where that one
# is after today; the later of it and the last interview is picked as text,
# only the winner converted.
_CONTACTS = (
    'SELECT "t1"."id", "t1"."name", "t1"."organization_id", "t1"."role", "t1"."email", '
    '"t1"."tags", "t1"."cadence_days", {archived}'
    'CASE WHEN ("t1"."cadence_days" IS NOT NULL) THEN '
    'COALESCE(SUBSTR("t1"."connected_on", 1, 10), SUBSTR("t1"."created_at", 1, 10)) END, '
    'COALESCE(SUBSTR(CASE WHEN ("t5"."last_on" IS NULL OR "t5"."last_on" <= ?) '
    'THEN "t5"."last_on" '
    'ELSE (SELECT MAX("t2"."date") FROM "interaction_contact" AS "t2" '
    'WHERE (("t2"."contact_id" = "t1"."id") AND ("t2"."date" <= ?))) END, 1, 10), \'\') '
    'FROM "contact" AS "t1" '
    'LEFT JOIN "contact_touch" AS "t5" ON ("t5"."contact_id" = "t1"."id"){where} '
    # lower() and NOCASE both fold ASCII letters alone (SQLite without ICU), so
    # this is the order of lower(name), without lower() on every row.
    'ORDER BY "t1"."name" COLLATE NOCASE, "t1"."id"'
)
_ARCHIVED = '("t1"."archived" = ?)'
_OF_GOAL = (
    '("t1"."id" IN (SELECT "t3"."contact_id" FROM "goal_link" AS "t3" WHERE ("t3"."goal_id" = ?)))'
)
# The stored "a,b,c" padded with commas, so that a tag matches whole.
_TAGGED = "(((',' || \"t1\".\"tags\") || ',') LIKE ? ESCAPE '\\')"
_AT_ORGANIZATION = (
    '("t1"."organization_id" IN '
    '(SELECT "t4"."id" FROM "organization" AS "t4" WHERE ("t4"."name" LIKE ? ESCAPE \'\\\')))'
)


def _literally(text: str) -> str:
    """``text`` for a LIKE pattern (ESCAPE '\\'), its % and _ matching themselves:
    --org % listed every contact with an organization, --tag % every contact."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


# Only a contact with a cadence is ever due.
_WITH_CADENCE = '("t1"."cadence_days" IS NOT NULL)'


def contact_rows(**filters: Any) -> list[ContactRow]:
    """Contacts for a list, sorted by name, one ContactRow each (``filters``:
    :func:`contact_columns`'s)."""
    return contact_columns(**filters).rows()


def contact_columns(
    *,
    archived: bool | None = False,
    goal: object = None,
    tag: str | None = None,
    organization: str | None = None,
    due_only: bool = False,
    today: dt.date | None = None,
) -> ContactColumns:
    """Contacts for a list, sorted by name, column by column, in a fixed number of queries.

    ``archived``: False hides archived contacts, True shows only them, None
    shows all.  ``goal`` (a goal ref), ``tag`` and ``organization`` (part of
    the name) filter; ``due_only`` keeps those whose next touch is today or past.
    A goal is resolved through the models (loaded then).
    """
    parts = list(
        contact_parts(
            archived=archived,
            goal=goal,
            tag=tag,
            organization=organization,
            due_only=due_only,
            today=today,
        )
    )
    if len(parts) == 1:
        return parts[0]
    return ContactColumns(
        *(
            list(chain.from_iterable(c))
            for c in zip(*map(ContactColumns.columns, parts), strict=True)
        )
    )


def contact_parts(
    *,
    archived: bool | None = False,
    goal: object = None,
    tag: str | None = None,
    organization: str | None = None,
    due_only: bool = False,
    today: dt.date | None = None,
    rows: int = 2000,
) -> Iterator[ContactColumns]:
    """:func:`contact_columns` a part of at most ``rows`` contacts at a time (one
    part, perhaps empty, at the least): for a face that writes each part before
    the next is read, so that the next reuses its values' memory (at 30,000
    contacts 4,000 fewer pages for the kernel to hand over)."""
    today = today or clock.today()
    on = today.isoformat()
    interviewed = dict(execute(_INTERVIEWED, (on,)))
    organizations = dict(execute(_ORGANIZATIONS))
    where: list[str] = []
    params: list[Any] = [on, on]
    if archived is not None:
        where.append(_ARCHIVED)
        params.append(int(archived))
    if goal is not None:
        from rapport.services.resolve import resolve_goal

        where.append(_OF_GOAL)
        params.append(resolve_goal(goal).id)
    if tag:
        from rapport.services.clean import tags as clean_tags

        where.append(_TAGGED)
        params.append(f"%,{_literally(clean_tags(tag))},%")
    if organization:
        where.append(_AT_ORGANIZATION)
        params.append(f"%{_literally(organization.strip())}%")
    if due_only:
        where.append(_WITH_CADENCE)
    sql = _CONTACTS.format(
        archived='"t1"."archived", ' if archived is None else "",
        where=" WHERE " + " AND ".join(where) if where else "",
    )
    cursor = execute(sql, params)
    part = cursor.fetchmany(rows)
    # The goals of the contacts of one part by their ids, of more all at once.
    goals = goal_titles([row[0] for row in part] if len(part) < rows else None, of="contact_id")
    while True:
        last = len(part) < rows
        yield _columns(part, archived, interviewed, organizations, goals, due_only, today)
        if last:
            return
        part = cursor.fetchmany(rows)
        if not part:
            return


def _columns(
    rows: list[Any],
    archived: bool | None,
    interviewed: dict[int, str],
    organizations: dict[int, str],
    goals: dict[int, tuple[str, ...]],
    due_only: bool,
    today: dt.date,
) -> ContactColumns:
    """The list's columns of ``rows`` as the list statement reads them (with
    whether each is archived where ``archived``, the filter, is None)."""
    # Raw rows, then column by column: building an object per row costs more
    # than the query.
    read = [list(map(itemgetter(i), rows)) for i in range(10 if archived is None else 9)]
    if archived is None:
        read[7] = list(map(bool, read[7]))
    else:
        read.insert(7, [bool(archived)] * len(rows))
    ids, names, org_ids, roles, mails, tag_texts, cadences, hidden, since, latest = read
    del rows[:], read  # the tuples' memory serves what is built below
    # The later of the latest interaction and the last interview (hundreds of
    # contacts have one), as text.
    for i in compress(range(len(ids)), map(interviewed.__contains__, ids)):
        latest[i] = max(latest[i], interviewed[ids[i]])
    # A day, or a tag list, is shared by many contacts: each distinct text is
    # read once (at 30,000 contacts a few hundred of each).
    day = dt.date.fromisoformat
    days = {text: day(text) for text in set(latest) if text}
    seen = list(map(days.get, latest))
    due: list[dt.date | None] = [None] * len(ids)
    for i in compress(range(len(ids)), cadences):
        due[i] = dates.add_span(seen[i] or day(since[i]), cadences[i])
    # The stored "a,b" as ("a", "b"), empty parts dropped; most have none.
    tag_lists = {
        text: tuple(filter(None, text.split(","))) if text else () for text in set(tag_texts)
    }
    columns = ContactColumns(
        id=ids,
        name=names,
        organization=list(map(organizations.get, org_ids, repeat(""))),
        role=roles,
        email=mails,
        tags=list(map(tag_lists.__getitem__, tag_texts)),
        cadence_days=cadences,
        archived=hidden,
        last_contacted=seen,
        next_due=due,
        goals=list(map(goals.get, ids, repeat(()))),
    )
    if due_only:
        keep = [d is not None and d <= today for d in due]
        columns = ContactColumns(*(list(compress(c, keep)) for c in columns.columns()))
    return columns


def going_cold(today: dt.date | None = None) -> list[ContactRow]:
    """Active contacts whose next touch is due today or overdue, most overdue first."""
    today = today or clock.today()
    return cold_among(contact_rows(due_only=True, today=today), today)


def cold_among(rows: Iterable[ContactRow], today: dt.date) -> list[ContactRow]:
    """Those of ``rows`` going cold (active, next touch due or past), most overdue first.

    For a caller that already holds every contact's row (the app's contact
    list), so that "going cold" needs no second pass over the database.
    """
    due = [r for r in rows if not r.archived and r.next_due is not None and r.next_due <= today]
    return sorted(due, key=lambda r: (r.next_due, r.name.lower()))


def json_records(columns: ContactColumns) -> Records:
    """The contacts of a list as ``serialize.contact_row`` has each, column by
    column: a function call and a dict per contact took a quarter of ``contacts
    list --json`` at 30,000 (jsontext writes Records as it writes the dicts)."""
    return Records(
        _CONTACT_ROW_KEYS,
        (
            columns.id,
            columns.name,
            [name or None for name in columns.organization],
            columns.role,
            columns.email,
            columns.tags,
            columns.cadence_days,
            columns.archived,
            _iso(columns.last_contacted),
            _iso(columns.next_due),
            columns.goals,
        ),
    )


def _iso(column: list[dt.date | None]) -> list[str | None]:
    """Each day of ``column`` as ISO text (None stays None), each distinct day written once."""
    texts: dict[dt.date | None, str | None] = {d: d.isoformat() for d in set(column) if d}
    texts[None] = None
    return list(map(texts.__getitem__, column))


_CONTACT_ROW_KEYS = (
    "id",
    "name",
    "organization",
    "role",
    "email",
    "tags",
    "cadence_days",
    "archived",
    "last_contacted",
    "next_due",
    "goals",
)
