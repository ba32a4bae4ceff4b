"""Full-text search over contacts, interactions, interviews, events, skills and traits (FTS5).

Whatever a person types is turned into a safe FTS5 query: every word becomes
a quoted prefix term (``pyth`` finds "Python"), ``"exact phrases"`` stay
phrases, ``OR`` between words means either, ``-word`` excludes.  FTS5's own
syntax is never passed through, so no input can raise an SQL error.
Accents and case are ignored.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from peewee import JOIN

from rapport.errors import ValidationError
from rapport.models import (
    Contact,
    Event,
    Interaction,
    Interview,
    Organization,
    Skill,
    Trait,
    database,
)

KINDS = {1: "contact", 2: "interaction", 3: "interview", 4: "event", 5: "skill", 6: "trait"}
_CHUNK = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_WORDLIKE = re.compile(r"\w", re.UNICODE)


@dataclass(frozen=True)
class SearchHit:
    kind: str
    id: int
    title: str
    snippet: str
    date: dt.date | None = None


def _quote(text: str, prefix: bool) -> str:
    return '"' + text.replace('"', '""') + '"' + ("*" if prefix else "")


def build_query(text: str) -> str | None:
    """The FTS5 MATCH expression for what was typed, or None if nothing is searchable."""
    text = text.replace("\x00", " ")
    positive: list[str] = []
    negative: list[str] = []
    pending_or = False
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
        if target is positive and pending_or and positive:
            positive[-1] = f"({positive[-1]} OR {quoted})"
        else:
            target.append(quoted)
        pending_or = False
    if not positive:
        return None
    query = " AND ".join(positive)
    for term in negative:
        query = f"({query}) NOT {term}"
    return query


# Interactions are the one kind a network has tens of thousands of (years of
# notes), and bm25 costs about a microsecond a match: of the interactions
# that match, only the newest this many are ranked.  Within a kind a larger
# rowid is a newer record (rowid = id * 8 + kind, and ids grow as records are
# added); across kinds rowids say nothing, so contacts, interviews and events
# are always ranked, all of them.
RECENT_INTERACTIONS = 2_000
# A person found by name comes before notes that mention them.
_RANK = "bm25(search_index, 10.0, 1.0) * (CASE rowid % 8 WHEN 1 THEN 2.0 ELSE 1.0 END)"


def search(text: str, *, limit: int = 50, mark: tuple[str, str] = ("[", "]")) -> list[SearchHit]:
    """Best matches first: records whose name or title matches, then the rest.

    Each group is ranked by relevance (bm25); interactions among the newest
    RECENT_INTERACTIONS that match.  Raises ValidationError if the text holds
    nothing to search for.
    """
    query = build_query(text)
    if query is None:
        raise ValidationError("search", "type a word to search for (letters or digits)")
    return _hits(ranked_matches(query, limit=limit, mark=mark))


def ranked_matches(
    query: str, *, limit: int = 50, mark: tuple[str, str] = ("[", "]")
) -> list[tuple[int, str]]:
    """The (rowid, snippet) of the best documents for a query from build_query, best first."""
    # The rowid of the oldest interaction still ranked (0: every one is).
    (oldest,) = database.execute_sql(
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
    return database.execute_sql(sql, (mark[0], mark[1], match, oldest, limit)).fetchall()


def _hits(rows: list[tuple[int, str]]) -> list[SearchHit]:
    wanted: dict[int, list[int]] = {k: [] for k in KINDS}
    for rowid, _ in rows:
        wanted.setdefault(rowid % 8, []).append(rowid // 8)
    contacts = (
        {
            c.id: c
            for c in Contact.select(Contact, Organization)
            .join(Organization, JOIN.LEFT_OUTER)
            .where(Contact.id.in_(wanted[1]))
        }
        if wanted[1]
        else {}
    )
    interactions = (
        {i.id: i for i in Interaction.select().where(Interaction.id.in_(wanted[2]))}
        if wanted[2]
        else {}
    )
    interviews = (
        {
            i.id: i
            for i in Interview.select(Interview, Contact)
            .join(Contact)
            .where(Interview.id.in_(wanted[3]))
        }
        if wanted[3]
        else {}
    )
    events = {e.id: e for e in Event.select().where(Event.id.in_(wanted[4]))} if wanted[4] else {}
    skills = {s.id: s for s in Skill.select().where(Skill.id.in_(wanted[5]))} if wanted[5] else {}
    traits = {t.id: t for t in Trait.select().where(Trait.id.in_(wanted[6]))} if wanted[6] else {}
    hits = []
    for rowid, snippet in rows:
        kind, record_id = rowid % 8, rowid // 8
        if kind == 1 and record_id in contacts:
            c = contacts[record_id]
            org = c.organization.name if c.organization_id else ""
            title = c.name + (f" ({org})" if org else "") + (" [archived]" if c.archived else "")
            hits.append(SearchHit("contact", c.id, title, snippet))
        elif kind == 2 and record_id in interactions:
            i = interactions[record_id]
            hits.append(SearchHit("interaction", i.id, i.summary or i.channel, snippet, i.date))
        elif kind == 3 and record_id in interviews:
            iv = interviews[record_id]
            hits.append(
                SearchHit(
                    "interview",
                    iv.id,
                    f"Interview with {iv.contact.name}",
                    snippet,
                    iv.scheduled_date,
                )
            )
        elif kind == 4 and record_id in events:
            e = events[record_id]
            hits.append(SearchHit("event", e.id, e.name, snippet, e.start_date))
        elif kind == 5 and record_id in skills:
            hits.append(SearchHit("skill", record_id, skills[record_id].name, snippet))
        elif kind == 6 and record_id in traits:
            t = traits[record_id]
            hits.append(SearchHit("trait", t.id, f"{t.phrase} ({t.kind})", snippet))
    return hits
