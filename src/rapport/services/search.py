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

from peewee import JOIN

from rapport.errors import ValidationError
from rapport.models import (
    Contact,
    Event,
    FollowUp,
    Goal,
    Interaction,
    InteractionContact,
    Interview,
    Organization,
    Skill,
    Trait,
    database,
)

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
# added); across kinds rowids say nothing, so every other kind is always
# ranked, all of it.
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


def _by_id(query: Any, model: Any, ids: list[int]) -> dict[int, Any]:
    return {r.id: r for r in query.where(model.id.in_(ids))} if ids else {}


def _first_people(interaction_ids: list[int]) -> dict[int, tuple[int, str, int]]:
    """The first person logged in each interaction (what a search result opens),
    their name and how many others were logged with them."""
    if not interaction_ids:
        return {}
    links = (
        InteractionContact.select(InteractionContact.interaction, Contact.id, Contact.name)
        .join(Contact)
        .where(InteractionContact.interaction.in_(interaction_ids))
        .order_by(InteractionContact.id.desc())
        .tuples()
    )
    people: dict[int, tuple[int, str, int]] = {}
    for interaction, contact_id, name in links.iterator():
        others = people[interaction][2] + 1 if interaction in people else 0
        people[interaction] = (contact_id, name, others)  # the lowest id last: it stays
    return people


def _with_whom(person: tuple[int, str, int] | None) -> str:
    if person is None:
        return ""
    _, name, others = person
    return f" ({name} and {others} more)" if others else f" ({name})"


def _hits(rows: list[tuple[int, str]]) -> list[SearchHit]:
    wanted: dict[int, list[int]] = {k: [] for k in KINDS}
    for rowid, _ in rows:
        wanted.setdefault(rowid % 8, []).append(rowid // 8)
    with_org = Contact.select(Contact, Organization).join(Organization, JOIN.LEFT_OUTER)
    contacts = _by_id(with_org, Contact, wanted[1])
    interactions = _by_id(Interaction.select(), Interaction, wanted[2])
    people = _first_people(wanted[2])
    interviews = _by_id(Interview.select(Interview, Contact).join(Contact), Interview, wanted[3])
    events = _by_id(Event.select(), Event, wanted[4])
    skills = _by_id(Skill.select(), Skill, wanted[5])
    traits = _by_id(Trait.select(), Trait, wanted[6])
    goals = _by_id(Goal.select(), Goal, wanted[7])
    with_contact = FollowUp.select(FollowUp, Contact).join(Contact, JOIN.LEFT_OUTER)
    followups = _by_id(with_contact, FollowUp, wanted[0])
    hits = []
    for rowid, snippet in rows:
        kind, record_id = rowid % 8, rowid // 8
        if kind == 1 and record_id in contacts:
            c = contacts[record_id]
            org = c.organization.name if c.organization_id else ""
            title = c.name + (f" ({org})" if org else "") + (" [archived]" if c.archived else "")
            hits.append(SearchHit("contact", c.id, title, snippet, contact_id=c.id))
        elif kind == 2 and record_id in interactions:
            i = interactions[record_id]
            person = people.get(i.id)
            title = (i.summary or i.channel) + _with_whom(person)
            first = person[0] if person else None
            hits.append(SearchHit("interaction", i.id, title, snippet, i.date, first))
        elif kind == 3 and record_id in interviews:
            iv = interviews[record_id]
            title = f"Interview with {iv.contact.name}"
            hits.append(
                SearchHit("interview", iv.id, title, snippet, iv.scheduled_date, iv.contact_id)
            )
        elif kind == 4 and record_id in events:
            e = events[record_id]
            hits.append(SearchHit("event", e.id, e.name, snippet, e.start_date))
        elif kind == 5 and record_id in skills:
            hits.append(SearchHit("skill", record_id, skills[record_id].name, snippet))
        elif kind == 6 and record_id in traits:
            t = traits[record_id]
            hits.append(SearchHit("trait", t.id, f"{t.phrase} ({t.kind})", snippet))
        elif kind == 7 and record_id in goals:
            g = goals[record_id]
            hits.append(SearchHit("goal", g.id, g.title, snippet, g.target_date))
        elif kind == 0 and record_id in followups:
            f = followups[record_id]
            who = f" ({f.contact.name})" if f.contact_id else ""
            title = f.title + who + (" [done]" if f.done else "")
            hits.append(SearchHit("followup", f.id, title, snippet, f.due_date, f.contact_id))
    return hits
