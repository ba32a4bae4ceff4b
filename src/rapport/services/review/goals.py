"""The per-goal review: its people by role, its activity, progress and SMART check."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from rapport.choices import LINK_ROLES
from rapport.connection import execute, parsed
from rapport.dates import humanize_days
from rapport.services.review.items import (
    EventItem,
    FollowUpItem,
    GoalFacts,
    InterviewItem,
    ReviewedGoal,
    day_of,
    followup_item,
    goal_facts,
    goal_ref,
    interview_items,
    long_date,
)
from rapport.services.review.relationships import (
    Reciprocity,
    Relationship,
    in_goals,
    relationships_by_goal,
)
from rapport.services.warmth import WARMTH

WEEKS = 12
WEEK = 7
RECENT_DAYS = 30  # "lately": active contacts, stalled goals, SMART's activity check


@dataclass
class RoleGroup:
    role: str
    relationships: tuple[Relationship, ...]


@dataclass
class SmartIssue:
    """One thing a goal lacks to be SMART: a stable code and a plain sentence."""

    code: str
    text: str


@dataclass
class Progress:
    steps_done: int
    steps_total: int  # steps not dropped
    target_date: dt.date | None
    days_to_target: int | None  # negative once the date has passed
    weekly_activity: tuple[int, ...]  # WEEKS counts, oldest first; the last is the last 7 days
    last_activity: dt.date | None


@dataclass
class GoalReview:
    today: dt.date  # the day it was computed for
    goal: GoalFacts
    roles: tuple[RoleGroup, ...]
    interviews_done: tuple[InterviewItem, ...]
    interviews_planned: tuple[InterviewItem, ...]
    events_attended: tuple[EventItem, ...]
    events_upcoming: tuple[EventItem, ...]
    followups_overdue: tuple[FollowUpItem, ...]
    followups_upcoming: tuple[FollowUpItem, ...]
    reciprocity: Reciprocity
    progress: Progress
    smart: tuple[SmartIssue, ...]

    @property
    def relationships(self) -> list[Relationship]:
        return [r for group in self.roles for r in group.relationships]

    @property
    def warmth_counts(self) -> dict[str, int]:
        counts = Counter(r.status for r in self.relationships)
        return {status: counts[status] for status in WARMTH}


# Most important first, then the soonest target (none last), title, id.  The
# statements of the review are SQL text run through rapport.connection: the
# plain `rapport review` opens SQLite's own connection, without peewee.
GOALS = """
SELECT "t1"."id", "t1"."title", "t1"."specific", "t1"."measure", "t1"."target_date",
       "t1"."status", "t1"."priority", "t1"."parent_id"
FROM "goal" AS "t1"
ORDER BY "t1"."priority", ("t1"."target_date" IS NULL), "t1"."target_date", "t1"."title",
         "t1"."id"
"""


def all_goals() -> list[ReviewedGoal]:
    rows = execute(GOALS).fetchall()
    if not rows:
        return []
    columns = [*map(list, zip(*rows, strict=True))]
    columns[4] = parsed(columns[4], dt.date)
    return [ReviewedGoal(*row) for row in zip(*columns, strict=True)]


_Done = tuple[str, int, dt.date]  # something done for a goal: kind, id, day


def goal_reviews(
    goals: list[ReviewedGoal], today: dt.date, only: set[int] | None
) -> list[GoalReview]:
    """Reviews of the goals in ``only`` (None: all), in the order of ``goals``."""
    relationships = relationships_by_goal(today, only)
    talks, met = _recent_touches(today, only)
    steps: dict[int, list[ReviewedGoal]] = defaultdict(list)
    for g in goals:
        if g.parent_id is not None:
            steps[g.parent_id].append(g)
    below = {g.id: _descendants(g, steps) for g in goals}
    # A parent's interviews and follow-ups include its steps': read theirs too.
    with_steps = None if only is None else {d.id for g in only for d in below.get(g, [])} | only
    interviews = _goal_interviews(with_steps)
    events = _goal_events(only)
    followups = _goal_followups(today, with_steps)
    reviews = []
    for g in goals:
        if only is not None and g.id not in only:
            continue
        people = relationships.get(g.id, [])
        goal_interviews = _with_steps(g, below[g.id], interviews)
        goal_followups = sorted(
            _with_steps(g, below[g.id], followups), key=lambda f: (f.due_date, f.id)
        )
        done_interviews = [i for i in goal_interviews if i.status == "done"]
        attended = [e for e in events.get(g.id, []) if e.status == "attended"]
        open_followups = [f for f in goal_followups if f.is_open]
        done: set[_Done] = {
            *met.get(g.id, ()),
            *(("interview", i.id, i.date) for i in done_interviews if i.date),
            *(("event", e.id, e.start_date) for e in attended),
            *(("follow-up", f.id, f.closed_on) for f in goal_followups if f.closed_on),
        }
        done = {item for item in done if item[2] <= today}
        talked = talks.get(g.id, [])
        last = max(
            [item[2] for item in done]
            + [day for day, _ in talked]
            + [p.last_contacted for p in people if p.last_contacted],
            default=None,
        )
        live_steps = [s for s in steps.get(g.id, []) if s.status != "dropped"]
        progress = Progress(
            steps_done=sum(1 for s in live_steps if s.status == "achieved"),
            steps_total=len(live_steps),
            target_date=g.target_date,
            days_to_target=(g.target_date - today).days if g.target_date else None,
            weekly_activity=_weekly([*((item[2], 1) for item in done), *talked], today),
            last_activity=last,
        )
        reviews.append(
            GoalReview(
                today=today,
                goal=goal_facts(g),
                roles=_by_role(people),
                interviews_done=tuple(
                    sorted(done_interviews, key=lambda i: (i.date or dt.date.min, i.id))[::-1]
                ),
                interviews_planned=tuple(
                    sorted(
                        (i for i in goal_interviews if i.status == "planned"),
                        key=lambda i: (i.date or dt.date.max, i.id),
                    )
                ),
                events_attended=tuple(attended[::-1]),
                events_upcoming=tuple(
                    e
                    for e in events.get(g.id, [])
                    if e.status in ("considering", "registered")
                    and (e.end_date or e.start_date) >= today
                ),
                followups_overdue=tuple(f for f in open_followups if f.days_overdue),
                followups_upcoming=tuple(f for f in open_followups if not f.days_overdue),
                reciprocity=Reciprocity(
                    sum(p.reciprocity.gave for p in people),
                    sum(p.reciprocity.asked for p in people),
                    sum(p.reciprocity.mutual for p in people),
                ),
                progress=progress,
                smart=tuple(_smart_check(g, people, last, today)),
            )
        )
    return reviews


def _descendants(goal: ReviewedGoal, steps: dict[int, list[ReviewedGoal]]) -> list[ReviewedGoal]:
    """A goal's steps, their steps and so on, depth first (a cycle is cut)."""
    found: list[ReviewedGoal] = []
    seen = {goal.id}
    todo = list(reversed(steps.get(goal.id, [])))
    while todo:
        step = todo.pop()
        if step.id in seen:
            continue
        seen.add(step.id)
        found.append(step)
        todo.extend(reversed(steps.get(step.id, [])))
    return found


_Item = TypeVar("_Item", InterviewItem, FollowUpItem)


def _with_steps(
    goal: ReviewedGoal, below: list[ReviewedGoal], items: dict[int, list[_Item]]
) -> list[_Item]:
    """A goal's own items, then its steps' (each said which step), each item once."""
    result = list(items.get(goal.id, []))
    seen = {item.id for item in result}
    for step in below:
        for item in items.get(step.id, []):
            if item.id not in seen:
                seen.add(item.id)
                result.append(replace(item, step=goal_ref(step)))
    return result


def _by_role(people: list[Relationship]) -> tuple[RoleGroup, ...]:
    groups = []
    for role in LINK_ROLES:
        members = sorted(
            (p for p in people if p.role == role), key=lambda p: (p.name.lower(), p.contact_id)
        )
        if members:
            groups.append(RoleGroup(role, tuple(members)))
    return tuple(groups)


# The (goal, day, interactions) of the linked people's last weeks (?1, ?2),
# then the done interviews with them; {goals}: the goals asked for, if not all.
TALKS = """
SELECT "t1"."goal_id", "t2"."date", COUNT(DISTINCT "t2"."interaction_id")
FROM "goal_link" AS "t1" CROSS JOIN "contact" AS "t3" CROSS JOIN "interaction_contact" AS "t2"
WHERE "t3"."id" = "t1"."contact_id" AND "t3"."archived" = 0
  AND "t2"."contact_id" = "t1"."contact_id" AND "t2"."date" BETWEEN ? AND ?{goals}
GROUP BY "t1"."goal_id", "t2"."date"
"""
MET = """
SELECT "t1"."goal_id", "t2"."id", "t2"."scheduled_date"
FROM "interview" AS "t2"
INNER JOIN "goal_link" AS "t1" ON "t1"."contact_id" = "t2"."contact_id"
INNER JOIN "contact" AS "t3" ON "t3"."id" = "t2"."contact_id"
WHERE "t3"."archived" = 0 AND "t2"."status" = 'done'
  AND "t2"."scheduled_date" BETWEEN ? AND ?{goals}
"""


def _recent_touches(
    today: dt.date, only: set[int] | None
) -> tuple[dict[int, list[tuple[dt.date, int]]], dict[int, set[_Done]]]:
    """Per goal, what was done with the (not archived) people behind it in the last
    WEEKS weeks: how many interactions on each day (an interaction with two of them
    counts once), and the done interviews.

    Read from the links (CROSS JOIN keeps SQLite to that order): each linked
    person's weeks are one range of the (contact, date) index of
    interaction_contact, where reading those weeks of everyone's interactions
    and looking each up among the links took longer; and counted in SQL, so a
    couple of thousand (goal, day) rows reach Python, not 24,000 exchanges.
    """
    since = today - dt.timedelta(days=WEEKS * WEEK - 1)
    goals, ids = in_goals(only, '"t1"."goal_id"')
    days = (since.isoformat(), today.isoformat())
    counts: dict[int, list[tuple[dt.date, int]]] = defaultdict(list)
    for goal_id, day, count in execute(TALKS.format(goals=goals), (*days, *ids)):
        counts[goal_id].append((day_of(day), count))  # type: ignore[arg-type]
    met: dict[int, set[_Done]] = defaultdict(set)
    for goal_id, interview_id, day in execute(MET.format(goals=goals), (*days, *ids)):
        met[goal_id].add(("interview", interview_id, day_of(day)))  # type: ignore[arg-type]
    return counts, met


def _weekly(days: Iterable[tuple[dt.date, int]], today: dt.date) -> tuple[int, ...]:
    """Counts per 7-day week, oldest first; the last week ends today."""
    counts = [0] * WEEKS
    for day, count in days:
        age = (today - day).days
        if 0 <= age < WEEKS * WEEK:
            counts[WEEKS - 1 - age // WEEK] += count
    return tuple(counts)


# Each goal's interviews done or planned, as InterviewItem's fields; its events
# by date; its follow-ups open or ever closed, soonest first.
GOAL_INTERVIEWS = """
SELECT "t1"."goal_id", "t2"."id", "t2"."contact_id", "t3"."name", "t2"."scheduled_date",
       "t2"."status", "t2"."thank_you_sent"
FROM "goal_link" AS "t1"
INNER JOIN "interview" AS "t2" ON "t1"."interview_id" = "t2"."id"
INNER JOIN "contact" AS "t3" ON "t2"."contact_id" = "t3"."id"
WHERE "t2"."status" IN ('done', 'planned'){goals}
"""
GOAL_EVENTS = """
SELECT "t1"."goal_id", "t2"."id", "t2"."name", "t2"."start_date", "t2"."end_date",
       "t2"."status", "t2"."my_role"
FROM "goal_link" AS "t1" INNER JOIN "event" AS "t2" ON "t1"."event_id" = "t2"."id"
WHERE 1{goals}
ORDER BY "t2"."start_date", "t2"."id"
"""
GOAL_FOLLOWUPS = """
SELECT "t1"."goal_id", "t2"."id", "t2"."title", "t2"."contact_id", "t3"."name",
       "t2"."due_date", "t2"."done", "t2"."done_at"
FROM "goal_link" AS "t1"
INNER JOIN "follow_up" AS "t2" ON "t1"."follow_up_id" = "t2"."id"
LEFT OUTER JOIN "contact" AS "t3" ON "t2"."contact_id" = "t3"."id"
WHERE ("t2"."done" = 0 OR "t2"."done_at" IS NOT NULL){goals}
ORDER BY "t2"."due_date", "t2"."id"
"""


def _columns(sql: str, only: set[int] | None) -> list[list[Any]]:
    """``sql`` run for the goals in ``only`` (None: all), one list per column."""
    goals, ids = in_goals(only, '"t1"."goal_id"')
    rows = execute(sql.format(goals=goals), ids).fetchall()
    return [*map(list, zip(*rows, strict=True))]


def _goal_interviews(only: set[int] | None) -> dict[int, list[InterviewItem]]:
    result: dict[int, list[InterviewItem]] = defaultdict(list)
    columns = _columns(GOAL_INTERVIEWS, only)
    if not columns:
        return result
    goal_ids, *items = columns
    for goal_id, item in zip(goal_ids, interview_items(*items), strict=True):
        result[goal_id].append(item)
    return result


def _goal_events(only: set[int] | None) -> dict[int, list[EventItem]]:
    result: dict[int, list[EventItem]] = defaultdict(list)
    columns = _columns(GOAL_EVENTS, only)
    if not columns:
        return result
    goal_ids, ids, names, starts, ends, statuses, roles = columns
    for goal_id, *item in zip(
        goal_ids,
        ids,
        names,
        parsed(starts, dt.date),
        parsed(ends, dt.date),
        statuses,
        roles,
        strict=True,
    ):
        result[goal_id].append(EventItem(*item))
    return result


def _goal_followups(today: dt.date, only: set[int] | None) -> dict[int, list[FollowUpItem]]:
    """Follow-ups linked to each goal that are open (soonest first) or were ever
    closed (``closed_on`` set; a recurring one's last closed occurrence counts)."""
    result: dict[int, list[FollowUpItem]] = defaultdict(list)
    columns = _columns(GOAL_FOLLOWUPS, only)
    if not columns:
        return result
    goal_ids, ids, titles, contacts, names, dues, done, done_at = columns
    for goal_id, *row in zip(
        goal_ids,
        ids,
        titles,
        contacts,
        names,
        parsed(dues, dt.date),
        map(bool, done),
        parsed(done_at, dt.datetime),
        strict=True,
    ):
        result[goal_id].append(followup_item(row, today))
    return result


def _smart_check(
    goal: ReviewedGoal, people: list[Relationship], last_activity: dt.date | None, today: dt.date
) -> list[SmartIssue]:
    """What an active goal lacks to be SMART, each as a short plain sentence."""
    if goal.status != "active":
        return []
    issues = []
    if not goal.specific.strip():
        issues.append(
            SmartIssue("not-specific", "It does not say what outcome you want, specifically.")
        )
    if not goal.measure.strip():
        issues.append(
            SmartIssue("no-measure", "It has no measure: how will you know it is reached?")
        )
    if goal.target_date is None:
        issues.append(SmartIssue("no-target", "It has no target date: pick a date to aim for."))
    elif goal.target_date < today:
        issues.append(
            SmartIssue(
                "target-passed",
                f"Its target date, {long_date(goal.target_date)}, passed "
                f"{humanize_days((goal.target_date - today).days)} and it is still active: "
                "mark it achieved or set a new date.",
            )
        )
    if not people:
        issues.append(
            SmartIssue("no-people", "Nobody is linked to it: who could help you get there?")
        )
    if last_activity is None:
        issues.append(SmartIssue("no-activity", "Nothing has been done for it yet."))
    elif (today - last_activity).days >= RECENT_DAYS:
        issues.append(
            SmartIssue(
                "no-activity",
                f"Nothing has been done for it in {RECENT_DAYS} days "
                f"(last on {long_date(last_activity)}).",
            )
        )
    return issues
