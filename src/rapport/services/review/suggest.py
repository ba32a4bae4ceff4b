"""This week's suggestions: whom to reach out to, ranked by reason, goal and how overdue."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from rapport.choices import GOAL_PRIORITIES
from rapport.connection import execute, parsed
from rapport.dates import humanize_days
from rapport.services.review.goals import GoalReview
from rapport.services.review.items import (
    GoalRef,
    InterviewItem,
    day_of,
    goal_ref,
    interview_items,
    short_date,
)
from rapport.services.review.relationships import Relationship
from rapport.services.touches import last_contacted

THANKS_DAYS = 30  # an interview older than this no longer calls for a thank-you
# How far back meeting someone at an event, or being referred to them in an
# interview, still calls for reaching out.
MET_DAYS = 60
SUGGESTION_KINDS = ("thank-you", "cold", "never", "due", "referred", "met")


@dataclass
class Suggestion:
    """Someone to reach out to this week, and why, in words."""

    rank: int
    contact_id: int
    name: str
    organization: str
    kind: str  # one of SUGGESTION_KINDS: the strongest reason, which sets the order
    reasons: tuple[str, ...]
    goal: GoalRef | None
    days_overdue: int
    last_contacted: dt.date | None

    @property
    def reason(self) -> str:
        return "; ".join(self.reasons)


@dataclass
class _Candidate:
    tier: int
    contact_id: int
    name: str
    organization: str
    kind: str
    goal: GoalRef | None
    overdue: int  # how overdue (days): larger comes first within a tier and priority
    last_contacted: dt.date | None
    reasons: list[str] = field(default_factory=list)

    def key(self) -> tuple[int, int, int, str, int]:
        priority = self.goal.priority if self.goal else len(GOAL_PRIORITIES) + 1
        return (self.tier, priority, -self.overdue, self.name.lower(), self.contact_id)


def rank_suggestions(reviews: list[GoalReview], today: dt.date) -> list[Suggestion]:
    """Whom to reach out to, ranked as the package docstring says: one suggestion
    per person, placed by their strongest reason, with all their reasons."""
    served = _served(reviews)
    candidates: dict[int, _Candidate] = {}
    for candidate in [
        *_thanks_candidates(today),
        *_goal_candidates(served, today),
        *_lead_candidates(today),
    ]:
        known = candidates.setdefault(candidate.contact_id, candidate)
        if known is candidate:
            continue
        first, second = sorted((known, candidate), key=_Candidate.key)
        first.reasons.extend(r for r in second.reasons if r not in first.reasons)
        first.goal = first.goal or second.goal
        first.last_contacted = first.last_contacted or second.last_contacted
        candidates[candidate.contact_id] = first
    # Someone owed a thank-you or met at an event may serve a goal too: name the
    # most important one.  The few who serve none are asked when we last talked.
    unknown = []
    for candidate in candidates.values():
        if candidate.goal is None and candidate.contact_id in served:
            goal, person = served[candidate.contact_id][0]
            candidate.goal, candidate.last_contacted = goal, person.last_contacted
        elif candidate.goal is None:
            unknown.append(candidate.contact_id)
    if unknown:
        last = last_contacted(unknown, today=today)
        for contact_id in unknown:
            candidates[contact_id].last_contacted = last.get(contact_id)
    ranked = sorted(candidates.values(), key=_Candidate.key)
    return [
        Suggestion(
            rank=n,
            contact_id=c.contact_id,
            name=c.name,
            organization=c.organization,
            kind=c.kind,
            reasons=tuple(c.reasons),
            goal=c.goal,
            days_overdue=max(0, c.overdue),
            last_contacted=c.last_contacted,
        )
        for n, c in enumerate(ranked, start=1)
    ]


def _thanks_candidates(today: dt.date) -> list[_Candidate]:
    return [
        _Candidate(
            tier=SUGGESTION_KINDS.index("thank-you"),
            contact_id=interview.contact_id,
            name=interview.contact_name,
            organization=org,
            kind="thank-you",
            goal=None,
            overdue=(today - interview.date).days,
            last_contacted=None,
            reasons=[
                f"you owe a thank-you for the interview on {short_date(interview.date, today)}"
            ],
        )
        for interview, org in _thanks_owed(today)
        if interview.date is not None
    ]


def _served(reviews: list[GoalReview]) -> dict[int, list[tuple[GoalRef, Relationship]]]:
    """For each person behind an active goal: the goals they serve, most important first."""
    # The goals taken most important first, each person's list comes out in
    # that order: one ref and one sort key a goal, not one a link (2,352).
    served: dict[int, list[tuple[GoalRef, Relationship]]] = defaultdict(list)
    for goal, review in sorted(
        ((goal_ref(r.goal), r) for r in reviews if r.goal.status == "active"),
        key=lambda pair: (pair[0].priority, pair[0].title.lower(), pair[0].id),
    ):
        for person in review.relationships:
            served[person.contact_id].append((goal, person))
    return served


def _goal_candidates(
    served: dict[int, list[tuple[GoalRef, Relationship]]], today: dt.date
) -> list[_Candidate]:
    """One candidate per person behind an active goal who is not warm, for their
    most important goal, saying how many other goals they serve."""
    result = []
    for links in served.values():
        goal, person = links[0]
        if person.status == "warm":
            continue
        role = f" as {person.role.replace('-', ' ')}" if person.role != "other" else ""
        others = len(links) - 1
        also = f" and {others} more goal{'s' if others > 1 else ''}" if others else ""
        if person.status == "never":
            touch = "never contacted"
        else:
            assert person.last_contacted is not None
            touch = f"last talked {humanize_days((person.last_contacted - today).days)}"
        cadence = (
            f"no cadence set ({person.cadence_days} days assumed)"
            if person.cadence_assumed
            else f"cadence {person.cadence_days}"
        )
        reasons = [f"serves '{goal.title}'{role}{also}, {touch}, {cadence}"]
        give = person.reciprocity
        if give.verdict == "only-take":
            times = "once" if give.asked == 1 else f"{give.asked} times"
            reasons.append(f"you asked {times} and never gave: offer something")
        result.append(
            _Candidate(
                tier=SUGGESTION_KINDS.index(person.status),
                contact_id=person.contact_id,
                name=person.name,
                organization=person.organization,
                kind=person.status,
                goal=goal,
                overdue=(today - person.next_due).days,
                last_contacted=person.last_contacted,
                reasons=reasons,
            )
        )
    return result


# Interviews done in a span (?3, ?4) with no thank-you sent nor a thank-you
# follow-up done, as InterviewItem's fields and the organization: the follow-ups
# asked per interview (a few), not as a list of every done one (45,000).
THANKS = """
SELECT "t1"."id", "t1"."contact_id", "t2"."name", "t1"."scheduled_date", "t1"."status",
       "t1"."thank_you_sent", "t3"."name"
FROM "interview" AS "t1"
INNER JOIN "contact" AS "t2" ON ("t1"."contact_id" = "t2"."id")
LEFT OUTER JOIN "organization" AS "t3" ON ("t2"."organization_id" = "t3"."id")
WHERE ((((("t1"."status" = ?) AND ("t1"."thank_you_sent" = ?))
  AND ("t1"."scheduled_date" BETWEEN ? AND ?))
  AND NOT EXISTS(SELECT "t4"."id" FROM "follow_up" AS "t4"
                 WHERE (("t4"."interview_id" = "t1"."id") AND ("t4"."done" = ?))))
  AND ("t2"."archived" = ?))
"""


def _thanks_owed(today: dt.date) -> list[tuple[InterviewItem, str]]:
    """Interviews done in the last 30 days with no thank-you sent (nor a thank-you
    follow-up closed for them), with the contact's name and organization."""
    since = today - dt.timedelta(days=THANKS_DAYS)
    rows = execute(THANKS, ("done", 0, since.isoformat(), today.isoformat(), 1, 0)).fetchall()
    if not rows:
        return []
    *columns, orgs = map(list, zip(*rows, strict=True))
    return [(item, org or "") for item, org in zip(interview_items(*columns), orgs, strict=True)]


# The people met at events that ended in the last 60 days (?1..?3: since, today,
# "skipped"; the events asked for in each half of the pairs, as
# rapport.services.touches.met_pairs pairs them), with the event's name, start and end.
MET = """
SELECT "t1"."id", "t1"."name", "t2"."name", "t3"."name", "t3"."start_date",
       coalesce("t3"."end_date", "t3"."start_date")
FROM "contact" AS "t1"
INNER JOIN (
    SELECT "t4"."event_id" AS "event_id", "t4"."contact_id" AS "contact_id"
    FROM "event_attendee" AS "t4"
    WHERE ("t4"."event_id" IN ({events}))
    UNION
    SELECT "t1"."met_at_id", "t1"."id" FROM "contact" AS "t1"
    WHERE (("t1"."met_at_id" IS NOT NULL) AND ("t1"."met_at_id" IN ({events})))
) AS "met" ON ("t1"."id" = "met"."contact_id")
INNER JOIN "event" AS "t3" ON ("t3"."id" = "met"."event_id")
LEFT OUTER JOIN "organization" AS "t2" ON ("t1"."organization_id" = "t2"."id")
WHERE ("t1"."archived" = ?4)
""".format(
    events='SELECT "t3"."id" FROM "event" AS "t3" WHERE ((("t3"."start_date" >= ?1)'
    ' AND (coalesce("t3"."end_date", "t3"."start_date") < ?2)) AND ("t3"."status" != ?3))'
)
# The people interviews done in the same span (?1, ?2) referred you to, in MET's
# columns: whom the interview was with for the event's name, its day for both
# the start and the end.
REFERRED = """
SELECT "t1"."id", "t1"."name", "t2"."name", "t4"."name", "t3"."scheduled_date",
       "t3"."scheduled_date"
FROM "interview_referral" AS "r"
INNER JOIN "interview" AS "t3" ON ("t3"."id" = "r"."interview_id")
INNER JOIN "contact" AS "t1" ON ("t1"."id" = "r"."contact_id")
INNER JOIN "contact" AS "t4" ON ("t4"."id" = "t3"."contact_id")
LEFT OUTER JOIN "organization" AS "t2" ON ("t1"."organization_id" = "t2"."id")
WHERE "t3"."status" = 'done' AND "t3"."scheduled_date" BETWEEN ?1 AND ?2
  AND "t1"."archived" = ?4
"""
# Both in one statement: the review's queries stay as many however the network grows.
LEADS = f"SELECT 'met', * FROM ({MET}) UNION ALL SELECT 'referred', * FROM ({REFERRED})"


def _lead_candidates(today: dt.date) -> list[_Candidate]:
    """People met at an event (met at, or recorded as met there) that ended in the
    last 60 days, and people an interview done in that time referred you to, with
    no interaction, interview or follow-up with them since: a lead cools if
    nobody acts on it."""
    since = today - dt.timedelta(days=MET_DAYS)
    rows = execute(LEADS, (since.isoformat(), today.isoformat(), "skipped", 0)).fetchall()
    if not rows:
        return []
    kinds, ids, names, orgs, places, starts, ends = map(list, zip(*rows, strict=True))
    leads = zip(kinds, ids, names, orgs, places, parsed(starts, dt.date), ends, strict=True)
    # By the ids of those met (a few hundred at most): the pairs' subquery,
    # written out once in each of three selects, cost peewee more to write than
    # SQLite to run.
    latest = _latest_touches(sorted(set(ids)))
    result = []
    for kind, cid, name, org, place, start, end_text in leads:
        end = day_of(end_text) or start
        touched = latest.get(cid)
        # Met: a touch after the event's end.  Referred: a touch on the day of the
        # interview counts too (the intro email sent that evening).
        if touched is not None and (touched > end or (kind == "referred" and touched == end)):
            continue
        when = short_date(start, today)
        reason = (
            f"met at {place} on {when}, never followed up"
            if kind == "met"
            else f"referred by {place} in the interview on {when}, not contacted since"
        )
        result.append(
            _Candidate(
                tier=SUGGESTION_KINDS.index(kind),
                contact_id=cid,
                name=name,
                organization=org or "",
                kind=kind,
                goal=None,
                overdue=(today - end).days,
                last_contacted=None,
                reasons=[reason],
            )
        )
    return result


# The latest day of each kind of touch, for the ids in ?1..?n (each list of
# marks names them all).  Written as text: peewee wrote the three ``IN``
# lists a value at a time (1,300 people met at 30,000 contacts: 4,000 values),
# which took it longer than SQLite to run them.
LATEST_TOUCHES = """
SELECT "contact_id", MAX("date") FROM "interaction_contact"
WHERE "contact_id" IN ({marks}) GROUP BY "contact_id"
UNION ALL
SELECT "contact_id", MAX("scheduled_date") FROM "interview"
WHERE "contact_id" IN ({marks}) AND "status" != 'cancelled' GROUP BY "contact_id"
UNION ALL
SELECT "contact_id", MAX("due_date") FROM "follow_up"
WHERE "contact_id" IN ({marks}) GROUP BY "contact_id"
"""


def _latest_touches(contacts: list[int]) -> dict[int, dt.date]:
    """For each of ``contacts`` (ids): the latest date of any interaction, any
    interview not cancelled, or any follow-up, past or planned."""
    marks = ", ".join(f"?{n}" for n in range(1, len(contacts) + 1))
    result: dict[int, dt.date] = {}
    for cid, day in execute(LATEST_TOUCHES.format(marks=marks), contacts):
        day = day_of(day)
        if day is not None and (cid not in result or day > result[cid]):
            result[cid] = day
    return result
