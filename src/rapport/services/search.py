"""Full-text search over people, interactions, interviews, events, goals, follow-ups, skills.

Whatever a person types is turned into a safe FTS5 query: every word becomes
a quoted prefix term (``pyth`` finds "Python"), ``"exact phrases"`` stay
phrases, ``OR`` between words means either, ``-word`` excludes.  FTS5's own
syntax is never passed through, so no input can raise an SQL error.
Accents and case are ignored.  The index is SQLite FTS5, kept by triggers
(migrations 0001, 0010, 0013).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from rapport.connection import execute, parsed
from rapport.errors import ValidationError

# rowid % 8 of a document: its kind (0 and 7 came last, in migration 0013).
KINDS = {
    1: "contact",
    2: "interaction",
    3: "interview",
    4: "event",
    5: "skill",
    6: "trait",
    7: "goal",
    0: "followup",
}
_CHUNK = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_WORDLIKE = re.compile(r"\w", re.UNICODE)


@dataclass(frozen=True)
class SearchHit:
    kind: str
    id: int
    title: str
    snippet: str
    date: dt.date | None = None
    # The person the record is about (an interaction: the first one logged), if any.
    contact_id: int | None = None


def _quote(text: str, prefix: bool) -> str:
    return '"' + text.replace('"', '""') + '"' + ("*" if prefix else "")


# A search is a few words.  FTS5 parses each OR and each -word one level
# deeper (some 90 levels overflowed its parser: "database error", exit 8) and
# matches thousands of words in seconds each (5,000: 20 s), so more than this
# many words is refused in one line.
MAX_TERMS = 50


def build_query(text: str) -> str | None:
    """The FTS5 MATCH expression for what was typed, or None if nothing is searchable."""
    return _query(text)[0]


def _query(text: str) -> tuple[str | None, int]:
    """build_query's expression, and how many words and phrases it holds."""
    text = text.replace("\x00", " ")
    positive: list[str] = []
    negative: list[str] = []
    pending_or = False
    terms = 0
    for match in _CHUNK.finditer(text):
        negate, phrase, word = match.group(1), match.group(2), match.group(3)
        if word == "OR":
            pending_or = bool(positive)
            continue
        if word in ("AND", "NOT"):
            continue
        if phrase is not None:
            term, target = phrase, negative if negate else positive
            is_phrase = True
        else:
            target = positive
            if word.startswith("-") and len(word) > 1:
                word, target = word[1:], negative
            term, is_phrase = word.strip("*"), False
        if not _WORDLIKE.search(term):
            continue
        quoted = _quote(term, prefix=not is_phrase)
        terms += 1
        if target is positive and pending_or and positive:
            positive[-1] = f"({positive[-1]} OR {quoted})"
        else:
            target.append(quoted)
        pending_or = False
    if not positive:
        return None, terms
    query = " AND ".join(positive)
    for term in negative:
        query = f"({query}) NOT {term}"
    return query, terms


# Interactions are the one kind a network has tens of thousands of (years of
# notes), and bm25 costs about a microsecond a match: of the interactions
# that match, only the newest this many are ranked.  Within a kind a larger
# rowid is a newer record (rowid = id * 8 + kind, and ids grow as records are
# added); across kinds rowids say nothing, so every other kind is always
# ranked, all of it.
RECENT_INTERACTIONS = 2_000
# A person found by name comes before notes that mention them.
_RANK = "bm25(search_index, 10.0, 1.0) * (CASE rowid % 8 WHEN 1 THEN 2.0 ELSE 1.0 END)"


def search(text: str, *, limit: int = 50, mark: tuple[str, str] = ("[", "]")) -> list[SearchHit]:
    """Best matches first: records whose name or title matches, then the rest.

    Each group is ranked by relevance (bm25); interactions among the newest
    RECENT_INTERACTIONS that match.  Raises ValidationError if the text holds
    nothing to search for, or more than MAX_TERMS words.
    """
    query, terms = _query(text)
    if query is None:
        raise ValidationError("search", "type a word to search for (letters or digits)")
    if terms > MAX_TERMS:
        raise ValidationError(
            "search", f"{terms} words are more than a search takes ({MAX_TERMS}); give fewer"
        )
    return _hits(ranked_matches(query, limit=limit, mark=mark))


def ranked_matches(
    query: str, *, limit: int = 50, mark: tuple[str, str] = ("[", "]")
) -> list[tuple[int, str]]:
    """The (rowid, snippet) of the best documents for a query from build_query, best first."""
    # The rowid of the oldest interaction still ranked (0: every one is).
    (oldest,) = execute(
        "SELECT min(rowid) FROM (SELECT rowid FROM search_index"
        " WHERE search_index MATCH ? AND rowid % 8 = 2 ORDER BY rowid DESC LIMIT ?)",
        (query, RECENT_INTERACTIONS),
    ).fetchone()
    in_title = f"title : ({query})"
    rows = _ranked(f"({query}) AND ({in_title})", oldest or 0, limit, mark)
    if len(rows) < limit:
        rows += _ranked(f"({query}) NOT ({in_title})", oldest or 0, limit - len(rows), mark)
    return rows


def _ranked(match: str, oldest: int, limit: int, mark: tuple[str, str]) -> list[tuple[int, str]]:
    sql = (
        "SELECT rowid, snippet(search_index, 1, ?, ?, '…', 10) FROM search_index "
        "WHERE search_index MATCH ? AND (rowid % 8 != 2 OR rowid >= ?) "
        f"ORDER BY {_RANK} LIMIT ?"
    )
    return execute(sql, (mark[0], mark[1], match, oldest, limit)).fetchall()


# Each kind's columns for its hits, by id ({marks}: one ``?`` an id), the
# statements peewee wrote for the models less the columns no hit shows: a hit
# is a few values, and building 30 model instances (with their joined ones)
# cost more than the statements.
_RECORDS = {
    1: 'SELECT "t1"."id", "t1"."name", "t2"."name", "t1"."archived" FROM "contact" AS "t1"'
    ' LEFT OUTER JOIN "organization" AS "t2" ON ("t1"."organization_id" = "t2"."id")'
    ' WHERE ("t1"."id" IN ({marks}))',
    2: 'SELECT "id", "summary", "channel", "date" FROM "interaction" WHERE ("id" IN ({marks}))',
    3: 'SELECT "t1"."id", "t2"."name", "t1"."scheduled_date", "t1"."contact_id"'
    ' FROM "interview" AS "t1" INNER JOIN "contact" AS "t2" ON ("t1"."contact_id" = "t2"."id")'
    ' WHERE ("t1"."id" IN ({marks}))',
    4: 'SELECT "id", "name", "start_date" FROM "event" WHERE ("id" IN ({marks}))',
    5: 'SELECT "id", "name" FROM "skill" WHERE ("id" IN ({marks}))',
    6: 'SELECT "id", "phrase", "kind" FROM "trait" WHERE ("id" IN ({marks}))',
    7: 'SELECT "id", "title", "target_date" FROM "goal" WHERE ("id" IN ({marks}))',
    0: 'SELECT "t1"."id", "t1"."title", "t2"."name", "t1"."done", "t1"."due_date",'
    ' "t1"."contact_id" FROM "follow_up" AS "t1"'
    ' LEFT OUTER JOIN "contact" AS "t2" ON ("t1"."contact_id" = "t2"."id")'
    ' WHERE ("t1"."id" IN ({marks}))',
}
# The first person logged in each interaction: the lowest link id comes last.
_PEOPLE = (
    'SELECT "t1"."interaction_id", "t2"."id", "t2"."name" FROM "interaction_contact" AS "t1"'
    ' INNER JOIN "contact" AS "t2" ON ("t1"."contact_id" = "t2"."id")'
    ' WHERE ("t1"."interaction_id" IN ({marks})) ORDER BY "t1"."id" DESC'
)

# What a hit shows of its record: title, date, the person it opens.
_Shown = tuple[str, dt.date | None, int | None]


def _rows(sql: str, ids: list[int]) -> list[tuple[Any, ...]]:
    return execute(sql.format(marks=", ".join("?" * len(ids))), ids).fetchall()


def _first_people(interaction_ids: list[int]) -> dict[int, tuple[int, str, int]]:
    """The first person logged in each interaction (what a search result opens),
    their name and how many others were logged with them."""
    people: dict[int, tuple[int, str, int]] = {}
    for interaction, contact_id, name in _rows(_PEOPLE, interaction_ids):
        others = people[interaction][2] + 1 if interaction in people else 0
        people[interaction] = (contact_id, name, others)  # the lowest id last: it stays
    return people


def _with_whom(person: tuple[int, str, int] | None) -> str:
    if person is None:
        return ""
    _, name, others = person
    return f" ({name} and {others} more)" if others else f" ({name})"


def _shown(kind: int, ids: list[int]) -> dict[int, _Shown]:
    """What each hit of one kind shows, by record id (records gone since: absent)."""
    rows = _rows(_RECORDS[kind], ids)
    if kind == 1:
        return {
            id_: (
                name + (f" ({org})" if org else "") + (" [archived]" if archived else ""),
                None,
                id_,
            )
            for id_, name, org, archived in rows
        }
    if kind == 2:
        people = _first_people(ids)
        dates = parsed((row[3] for row in rows), dt.date)
        shown: dict[int, _Shown] = {}
        for (id_, summary, channel, _), date in zip(rows, dates, strict=True):
            person = people.get(id_)
            title = (summary or channel) + _with_whom(person)
            shown[id_] = (title, date, person[0] if person else None)
        return shown
    if kind == 3:
        dates = parsed((row[2] for row in rows), dt.date)
        return {
            id_: (f"Interview with {name}", date, contact_id)
            for (id_, name, _, contact_id), date in zip(rows, dates, strict=True)
        }
    if kind in (4, 7):
        dates = parsed((row[2] for row in rows), dt.date)
        return {id_: (title, date, None) for (id_, title, _), date in zip(rows, dates, strict=True)}
    if kind == 5:
        return {id_: (name, None, None) for id_, name in rows}
    if kind == 6:
        return {id_: (f"{phrase} ({trait_kind})", None, None) for id_, phrase, trait_kind in rows}
    dates = parsed((row[4] for row in rows), dt.date)
    return {
        id_: (
            title + (f" ({name})" if contact_id else "") + (" [done]" if done else ""),
            date,
            contact_id,
        )
        for (id_, title, name, done, _, contact_id), date in zip(rows, dates, strict=True)
    }


def _hits(rows: list[tuple[int, str]]) -> list[SearchHit]:
    wanted: dict[int, list[int]] = {}
    for rowid, _ in rows:
        wanted.setdefault(rowid % 8, []).append(rowid // 8)
    shown = {kind: _shown(kind, ids) for kind, ids in wanted.items()}
    hits = []
    for rowid, snippet in rows:
        kind, record_id = rowid % 8, rowid // 8
        found = shown[kind].get(record_id)
        if found is not None:
            title, date, contact_id = found
            hits.append(SearchHit(KINDS[kind], record_id, title, snippet, date, contact_id))
    return hits
