"""This week's suggestions: whom to reach out to, ranked by reason, goal and how overdue."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from peewee import JOIN, fn

from rapport.dates import humanize_days
from rapport.models import (
    GOAL_PRIORITIES,
    Contact,
    Event,
    FollowUp,
    Interview,
    Organization,
    database,
)
from rapport.services.review.goals import GoalReview
from rapport.services.review.items import (
    INTERVIEW_COLUMNS,
    GoalRef,
    InterviewItem,
    day_of,
    goal_ref,
    short_date,
)
from rapport.services.review.relationships import Relationship
from rapport.services.touches import last_contacted, met_pairs

THANKS_DAYS = 30  # an interview older than this no longer calls for a thank-you
MET_DAYS = 60  # how far back meeting someone at an event still calls for a follow-up
SUGGESTION_KINDS = ("thank-you", "cold", "never", "due", "met")


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
        *_met_candidates(today),
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


def _thanks_owed(today: dt.date) -> list[tuple[InterviewItem, str]]:
    """Interviews done in the last 30 days with no thank-you sent (nor a thank-you
    follow-up closed for them), with the contact's name and organization."""
    # Asked per interview (a few), not as a list of every done follow-up (45,000).
    thanked = FollowUp.select(FollowUp.id).where(
        FollowUp.interview == Interview.id,
        FollowUp.done == True,  # noqa: E712
    )
    from rapport.loading import load_values

    query = (
        Interview.select()
        .join(Contact)
        .join(Organization, JOIN.LEFT_OUTER)
        .where(
            Interview.status == "done",
            Interview.thank_you_sent == False,  # noqa: E712
            Interview.scheduled_date.between(today - dt.timedelta(days=THANKS_DAYS), today),
            ~fn.EXISTS(thanked),
            Contact.archived == False,  # noqa: E712
        )
    )
    fields = [*INTERVIEW_COLUMNS, Organization.name]
    return [(InterviewItem(*item), org or "") for *item, org in load_values(query, fields)]


def _met_candidates(today: dt.date) -> list[_Candidate]:
    """People met at an event (met at, or recorded as met there) that ended in the
    last 60 days, with no interaction, interview or follow-up with them since."""
    recent = Event.select(Event.id).where(
        Event.start_date >= today - dt.timedelta(days=MET_DAYS),
        fn.coalesce(Event.end_date, Event.start_date) < today,
        Event.status != "skipped",
    )
    pairs = met_pairs(events=recent)
    rows = (
        Contact.select(
            Contact.id,
            Contact.name,
            Organization.name,
            Event.name,
            Event.start_date,
            fn.coalesce(Event.end_date, Event.start_date),
        )
        .join(pairs, on=(Contact.id == pairs.c.contact_id))
        .join(Event, on=(Event.id == pairs.c.event_id))
        .switch(Contact)
        .join(Organization, JOIN.LEFT_OUTER)
        .where(Contact.archived == False)  # noqa: E712
        .tuples()
    )
    met = list(rows)
    if not met:
        return []
    # By the ids of those met (a few hundred at most): the pairs' subquery,
    # written out once in each of three selects, cost peewee more to write than
    # SQLite to run.
    latest = _latest_touches(sorted({row[0] for row in met}))
    result = []
    for cid, name, org, event_name, start, end_text in met:
        end = day_of(end_text) or start
        touched = latest.get(cid)
        if touched is not None and touched > end:
            continue
        days = (today - end).days
        result.append(
            _Candidate(
                tier=SUGGESTION_KINDS.index("met"),
                contact_id=cid,
                name=name,
                organization=org or "",
                kind="met",
                goal=None,
                overdue=days,
                last_contacted=None,
                reasons=[f"met at {event_name} on {short_date(start, today)}, never followed up"],
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
    for cid, day in database.execute_sql(LATEST_TOUCHES.format(marks=marks), contacts):
        day = day_of(day)
        if day is not None and (cid not in result or day > result[cid]):
            result[cid] = day
    return result
