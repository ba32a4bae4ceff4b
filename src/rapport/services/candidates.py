"""Candidates for a skill: contacts not yet marked whose profile or interviews mention it.

Their organization, role, tags and notes, and their interviews' notes and
advice, are searched through the full-text index.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rapport.errors import ValidationError
from rapport.models import Expertise, Skill, database
from rapport.services.expertise import ExpertiseItem, expertise_item
from rapport.services.resolve import resolve_contact
from rapport.services.search import build_query
from rapport.services.skills import resolve_skill

CANDIDATES = 50


@dataclass(frozen=True)
class Candidate:
    """A contact not yet marked whose records mention a skill, with what matched."""

    contact_id: int
    name: str
    organization: str
    role: str
    matched: tuple[str, ...]  # snippets, the matching words in [brackets]
    score: float


def skill_query(skill: Skill) -> str | None:
    """The full-text query for a skill's name or any alias, each as a phrase."""
    # Quotes inside a name would end the phrase: they are no part of a word anyway.
    names = (skill.name, *skill.alias_list)
    terms = [build_query('"' + name.replace('"', " ") + '"') for name in names]
    found = [t for t in terms if t]
    return " OR ".join(f"({t})" for t in found) if found else None


def candidates(
    ref: object, *, limit: int = CANDIDATES, mark: tuple[str, str] = ("[", "]")
) -> list[Candidate]:
    """Contacts (not archived, not yet marked for the skill) whose organization, role,
    tags, notes or interviews mention it, best first.  Raises NotFound."""
    skill = resolve_skill(ref)
    return candidates_for(skill, limit=limit, mark=mark)


# Contacts (kind 1) and interviews (kind 3, counted for their contact) whose text
# matches, summed per contact (bm25: lower is better), not archived, not marked
# for the skill; the best ``limit`` with the rowids that matched.  Snippets are
# then made for those rowids alone: a popular skill matches thousands of notes.
_CANDIDATES_SQL = """
WITH hits AS (
    SELECT rowid, rank AS score FROM search_index
    WHERE search_index MATCH ? AND rowid % 8 IN (1, 3)
), owned AS (
    SELECT hits.rowid, hits.score,
           CASE WHEN hits.rowid % 8 = 1 THEN hits.rowid / 8
                ELSE (SELECT contact_id FROM interview WHERE id = hits.rowid / 8) END AS cid
    FROM hits
)
SELECT owned.cid, contact.name, contact.role, organization.name,
       sum(owned.score) AS total, group_concat(owned.rowid)
FROM owned
JOIN contact ON contact.id = owned.cid
LEFT JOIN organization ON organization.id = contact.organization_id
WHERE contact.archived = 0
  AND owned.cid NOT IN (SELECT contact_id FROM expertise WHERE skill_id = ?)
GROUP BY owned.cid
ORDER BY total, contact.name, owned.cid
LIMIT ?
"""


def candidates_for(
    skill: Skill, *, limit: int = CANDIDATES, mark: tuple[str, str] = ("[", "]")
) -> list[Candidate]:
    query = skill_query(skill)
    if query is None:
        return []
    # The body only: a contact's name (the title) mentioning a skill is no sign.
    match = f"body : ({query})"
    rows = database.execute_sql(_CANDIDATES_SQL, (match, skill.id, limit)).fetchall()
    if not rows:
        return []
    rowids = sorted({int(r) for row in rows for r in str(row[5]).split(",")})
    marks = ", ".join("?" * len(rowids))
    snippets = dict(
        database.execute_sql(
            "SELECT rowid, snippet(search_index, 1, ?, ?, '…', 8) FROM search_index"
            f" WHERE search_index MATCH ? AND rowid IN ({marks})",
            (mark[0], mark[1], match, *rowids),
        ).fetchall()
    )
    result = []
    for cid, name, role, org, total, matched in rows:
        words = []
        for rowid in sorted(int(r) for r in str(matched).split(",")):
            prefix = "" if rowid % 8 == 1 else "interview: "
            words.append(prefix + " ".join(str(snippets.get(rowid, "")).split()))
        result.append(Candidate(cid, name, org or "", role, tuple(words), total))
    return result


def confirm_candidates(ref: object, contact_refs: Sequence[object]) -> list[ExpertiseItem]:
    """Mark each of these contacts as knowing the skill (confirmed); every contact is
    found before anything is written.  Raises NotFound, Ambiguous."""
    skill = resolve_skill(ref)
    people = [resolve_contact(r) for r in contact_refs]
    if not people:
        raise ValidationError("confirm", "give the ids of the candidates to confirm")
    done = []
    with database.atomic():
        for contact in people:
            existing = Expertise.get_or_none(
                Expertise.contact == contact.id, Expertise.skill == skill.id
            )
            if existing is None:
                existing = Expertise.create(contact=contact.id, skill=skill.id, confirmed=True)
            elif not existing.confirmed:
                existing.confirmed = True
                existing.save()
            done.append(expertise_item(existing, contact, skill))
    return done
