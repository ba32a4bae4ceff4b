"""The review: which relationships serve which goal, how warm they are, and what to do this week.

Everything here is computed in a fixed number of SQL queries (grouped, never
one per contact or per goal), so it stays instant on a 30,000-contact network.

**Warmth** of a relationship, from the days since I last contacted the person
(their latest past interaction or done interview) and their stay-in-touch
cadence (90 days when they have none):

* ``never`` (never contacted): no past interaction and no done interview;
* ``warm``: fewer days than the cadence: the next touch is not due yet;
* ``due``: the cadence or more, but less than twice it: the next touch is due
  (from the very day it falls);
* ``cold``: twice the cadence or more: a whole cadence has passed since the
  touch was due.

With a 30-day cadence: 29 days is warm, 30 to 59 days due, 60 days cold.

**Reciprocity** counts past interactions by direction (gave, asked, mutual);
a goal's is the sum over the people behind it, so a group call counts once
per person in it.

**Activity** for a goal is what happened for it: interactions and done
interviews with the people behind it, and the interviews, follow-ups and
events linked to it that were done, closed or attended.  Each goal counts
only its own links (a step is a goal of its own).  Weeks are the 7-day
stretches ending today.

**Suggestions** for this week rank whom to reach out to, in this order of
reasons, then by goal priority (high first), then by how overdue, then by name:

1. you owe a thank-you for an interview done in the last 30 days;
2. a person behind an active goal is cold;
3. a person behind an active goal was never contacted;
4. a person behind an active goal is due;
5. you met someone at an event in the last 60 days and have not followed up
   (no interaction, interview or follow-up with them since).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from peewee import JOIN, Value, fn

from rapport import clock
from rapport.dates import humanize_days
from rapport.models import (
    GOAL_PRIORITIES,
    LINK_ROLES,
    Contact,
    Event,
    FollowUp,
    Goal,
    GoalLink,
    Interaction,
    InteractionContact,
    Interview,
    Organization,
    database,
)
from rapport.services.contacts import last_contacted, next_touch_due
from rapport.services.events import met_pairs
from rapport.services.resolve import resolve_goal

DEFAULT_CADENCE_DAYS = 90
WARMTH = ("warm", "due", "cold", "never")
WARMTH_LABELS = {"warm": "warm", "due": "due", "cold": "cold", "never": "never contacted"}
WEEKS = 12
WEEK = 7
RECENT_DAYS = 30  # "lately": active contacts, stalled goals, SMART's activity check
THANKS_DAYS = 30  # an interview older than this no longer calls for a thank-you
MET_DAYS = 60  # how far back meeting someone at an event still calls for a follow-up
SUGGESTION_KINDS = ("thank-you", "cold", "never", "due", "met")
CHECKIN_SUGGESTIONS = 5


def warmth(last: dt.date | None, cadence_days: int | None, today: dt.date) -> str:
    """``warm``, ``due``, ``cold`` or ``never`` (the rule is in the module docstring)."""
    if last is None:
        return "never"
    cadence_days = cadence_days or DEFAULT_CADENCE_DAYS
    days = (today - last).days
    if days < cadence_days:
        return "warm"
    if days < 2 * cadence_days:
        return "due"
    return "cold"


def warmth_label(last: dt.date | None, cadence_days: int | None, today: dt.date) -> str:
    """The word a person reads for ``warmth``: warm, due, cold, never contacted."""
    return WARMTH_LABELS[warmth(last, cadence_days, today)]


@dataclass(frozen=True)
class Reciprocity:
    """What I gave against what I asked, counted in interactions."""

    gave: int = 0
    asked: int = 0
    mutual: int = 0

    @property
    def balance(self) -> int:
        """Gave minus asked: below zero, I take more than I give."""
        return self.gave - self.asked

    @property
    def verdict(self) -> str:
        """``none``, ``only-take``, ``take``, ``even`` or ``give``."""
        if not (self.gave or self.asked or self.mutual):
            return "none"
        if self.asked and not self.gave:
            return "only-take"
        if self.asked > self.gave:
            return "take"
        if self.gave > self.asked:
            return "give"
        return "even"

    @property
    def summary(self) -> str:
        return {
            "none": "nothing exchanged yet",
            "only-take": "you only take",
            "take": "you take more than you give",
            "even": "balanced",
            "give": "you give more than you take",
        }[self.verdict]

    @classmethod
    def of(cls, directions: Iterable[str]) -> Reciprocity:
        counts = Counter(directions)
        return cls(counts["gave"], counts["asked"], counts["mutual"])


@dataclass(frozen=True)
class Relationship:
    """A contact behind a goal, with their role for it and how warm it is."""

    contact_id: int
    name: str
    organization: str
    role: str  # one of LINK_ROLES; a link without a role is "other"
    note: str
    cadence_days: int  # the contact's, or DEFAULT_CADENCE_DAYS when they have none
    cadence_assumed: bool
    last_contacted: dt.date | None
    next_due: dt.date
    status: str  # one of WARMTH
    days_since: int | None
    days_overdue: int
    reciprocity: Reciprocity

    @property
    def status_label(self) -> str:
        return WARMTH_LABELS[self.status]


@dataclass(frozen=True)
class RoleGroup:
    role: str
    relationships: tuple[Relationship, ...]


@dataclass(frozen=True)
class InterviewItem:
    id: int
    contact_id: int
    contact_name: str
    date: dt.date | None
    status: str
    thank_you_sent: bool


@dataclass(frozen=True)
class EventItem:
    id: int
    name: str
    start_date: dt.date
    end_date: dt.date | None
    status: str
    my_role: str


@dataclass(frozen=True)
class FollowUpItem:
    id: int
    title: str
    contact_id: int | None
    contact_name: str
    due_date: dt.date
    days_overdue: int  # 0 when not overdue
    closed_on: dt.date | None = None  # the local day it (or its last occurrence) was done
    is_open: bool = True


@dataclass(frozen=True)
class SmartIssue:
    """One thing a goal lacks to be SMART: a stable code and a plain sentence."""

    code: str
    text: str


@dataclass(frozen=True)
class Progress:
    steps_done: int
    steps_total: int  # steps not dropped
    target_date: dt.date | None
    days_to_target: int | None  # negative once the date has passed
    weekly_activity: tuple[int, ...]  # WEEKS counts, oldest first; the last is the last 7 days
    last_activity: dt.date | None


@dataclass(frozen=True)
class GoalReview:
    today: dt.date  # the day it was computed for
    goal: Goal
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


@dataclass(frozen=True)
class GoalRef:
    id: int
    title: str
    priority: int


@dataclass(frozen=True)
class UnlinkedContact:
    """A contact active lately who serves no goal: a link may be missing."""

    contact_id: int
    name: str
    organization: str
    interactions: int
    last_contacted: dt.date


@dataclass(frozen=True)
class CoverageGaps:
    goals_without_people: tuple[GoalRef, ...]
    goals_all_cold: tuple[GoalRef, ...]
    active_unlinked: tuple[UnlinkedContact, ...]


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class Review:
    today: dt.date
    goals: tuple[GoalReview, ...]  # every goal, most important first
    gaps: CoverageGaps
    suggestions: tuple[Suggestion, ...]

    @property
    def active_goals(self) -> list[GoalReview]:
        return [g for g in self.goals if g.goal.status == "active"]


@dataclass(frozen=True)
class ContactRef:
    id: int
    name: str


@dataclass(frozen=True)
class InteractionItem:
    id: int
    date: dt.date
    channel: str
    direction: str
    summary: str
    contacts: tuple[ContactRef, ...]


@dataclass(frozen=True)
class GoalMove:
    goal: GoalRef
    this_week: int  # activity in the last 7 days
    last_activity: dt.date | None


@dataclass(frozen=True)
class CheckIn:
    """The weekly check-in: the last 7 days (today included), and today plus the next 7."""

    today: dt.date
    since: dt.date
    until: dt.date
    interactions: tuple[InteractionItem, ...]
    interviews_done: tuple[InterviewItem, ...]
    followups_closed: tuple[FollowUpItem, ...]
    events_attended: tuple[EventItem, ...]
    followups_due: tuple[FollowUpItem, ...]  # open, due by ``until``; overdue ones included
    interviews_planned: tuple[InterviewItem, ...]  # planned, dated by ``until``
    events_upcoming: tuple[EventItem, ...]
    goals_moved: tuple[GoalMove, ...]
    goals_quiet: tuple[GoalMove, ...]  # no activity this week, some in the last 30 days
    goals_stalled: tuple[GoalMove, ...]  # nothing in the last 30 days
    suggestions: tuple[Suggestion, ...]


# -- public entry points ------------------------------------------------------


def build_review(*, today: dt.date | None = None) -> Review:
    """The whole review: every goal, the coverage gaps and this week's suggestions."""
    today = today or clock.today()
    goals = _all_goals()
    reviews = _goal_reviews(goals, today, only=None)
    return Review(
        today=today,
        goals=tuple(reviews),
        gaps=_gaps(reviews, today),
        suggestions=tuple(_suggest(reviews, today)),
    )


def goal_review(goal: object, *, today: dt.date | None = None) -> GoalReview:
    """The review of one goal (an id, title part or Goal). Raises NotFound, Ambiguous."""
    today = today or clock.today()
    wanted = resolve_goal(goal)
    goals = _all_goals()
    (review,) = _goal_reviews(goals, today, only={wanted.id})
    return review


def network_by_goal(*, today: dt.date | None = None) -> list[GoalReview]:
    """Active goals with their relationships grouped by role: the goal → role → contact tree."""
    today = today or clock.today()
    goals = _all_goals()
    active = {g.id for g in goals if g.status == "active"}
    return _goal_reviews(goals, today, only=active)


def suggestions(*, limit: int | None = 10, today: dt.date | None = None) -> list[Suggestion]:
    """Whom to reach out to this week, best first (``limit``: how many; None for all)."""
    today = today or clock.today()
    goals = _all_goals()
    active = {g.id for g in goals if g.status == "active"}
    ranked = _suggest(_goal_reviews(goals, today, only=active), today)
    return ranked if limit is None else ranked[:limit]


def weekly_checkin(*, today: dt.date | None = None) -> CheckIn:
    """What was done in the last 7 days, what is due in the next 7, which goals moved."""
    today = today or clock.today()
    since = today - dt.timedelta(days=WEEK - 1)
    until = today + dt.timedelta(days=WEEK)
    goals = _all_goals()
    active = {g.id for g in goals if g.status == "active"}
    reviews = _goal_reviews(goals, today, only=active)
    moved, quiet, stalled = _goal_moves(reviews, today)
    interviews_done, interviews_planned = _checkin_interviews(since, today, until)
    events_attended, events_upcoming = _checkin_events(since, today, until)
    return CheckIn(
        today=today,
        since=since,
        until=until,
        interactions=tuple(_checkin_interactions(since, today)),
        interviews_done=interviews_done,
        followups_closed=tuple(_followups_closed(since, today)),
        events_attended=events_attended,
        followups_due=tuple(_followups_due(today, until)),
        interviews_planned=interviews_planned,
        events_upcoming=events_upcoming,
        goals_moved=moved,
        goals_quiet=quiet,
        goals_stalled=stalled,
        suggestions=tuple(_suggest(reviews, today)[:CHECKIN_SUGGESTIONS]),
    )


# -- per goal ---------------------------------------------------------------


def _all_goals() -> list[Goal]:
    return list(
        Goal.select().order_by(
            Goal.priority, Goal.target_date.is_null(), Goal.target_date, Goal.title, Goal.id
        )
    )


def _day(value: Any) -> dt.date | None:
    # Aggregates and compound selects may come back as text.
    if value is None or isinstance(value, dt.date):
        return value.date() if isinstance(value, dt.datetime) else value
    return dt.date.fromisoformat(str(value)[:10])


def _local_day(utc: dt.datetime | None) -> dt.date | None:
    """The person's calendar day of a stored naive-UTC timestamp."""
    if utc is None:
        return None
    return utc.replace(tzinfo=dt.UTC).astimezone(clock.local_zone()).date()


_Done = tuple[str, int, dt.date]  # something done for a goal: kind, id, day


def _linked(only: set[int] | None) -> Any:
    """A subquery: the ids of contacts linked to the goals in ``only`` (None: any goal)."""
    query = GoalLink.select(GoalLink.contact).where(GoalLink.contact.is_null(False))
    if only is not None:
        query = query.where(GoalLink.goal.in_(sorted(only)))
    return query


def _goal_reviews(goals: list[Goal], today: dt.date, only: set[int] | None) -> list[GoalReview]:
    """Reviews of the goals in ``only`` (None: all), in the order of ``goals``."""
    relationships = _relationships(today, only)
    recent = _recent_touches(today, only, relationships)
    interviews = _goal_interviews(only)
    events = _goal_events(only)
    followups = _goal_followups(today, only)
    steps: dict[int, list[Goal]] = defaultdict(list)
    for g in goals:
        if g.parent_id is not None:
            steps[g.parent_id].append(g)
    reviews = []
    for g in goals:
        if only is not None and g.id not in only:
            continue
        people = relationships.get(g.id, [])
        done_interviews = [i for i in interviews.get(g.id, []) if i.status == "done"]
        attended = [e for e in events.get(g.id, []) if e.status == "attended"]
        open_followups = [f for f in followups.get(g.id, []) if f.is_open]
        done: set[_Done] = {
            *recent.get(g.id, ()),
            *(("interview", i.id, i.date) for i in done_interviews if i.date),
            *(("event", e.id, e.start_date) for e in attended),
            *(("follow-up", f.id, f.closed_on) for f in followups.get(g.id, []) if f.closed_on),
        }
        done = {item for item in done if item[2] <= today}
        last = max(
            [item[2] for item in done] + [p.last_contacted for p in people if p.last_contacted],
            default=None,
        )
        live_steps = [s for s in steps.get(g.id, []) if s.status != "dropped"]
        progress = Progress(
            steps_done=sum(1 for s in live_steps if s.status == "achieved"),
            steps_total=len(live_steps),
            target_date=g.target_date,
            days_to_target=(g.target_date - today).days if g.target_date else None,
            weekly_activity=_weekly(done, today),
            last_activity=last,
        )
        reviews.append(
            GoalReview(
                today=today,
                goal=g,
                roles=_by_role(people),
                interviews_done=tuple(
                    sorted(done_interviews, key=lambda i: (i.date or dt.date.min, i.id))[::-1]
                ),
                interviews_planned=tuple(
                    sorted(
                        (i for i in interviews.get(g.id, []) if i.status == "planned"),
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


@dataclass
class _Touches:
    """One contact's past exchanges: directions counted, and the latest dates."""

    directions: Counter[str] = field(default_factory=Counter)
    last_interaction: dt.date | None = None
    last_interview: dt.date | None = None

    @property
    def last(self) -> dt.date | None:
        """Last contacted, as contacts.last_contacted says: the latest of both."""
        return max((d for d in (self.last_interaction, self.last_interview) if d), default=None)


def _touches(contacts: Any, today: dt.date) -> dict[int, _Touches]:
    """For the contacts a subquery selects: their past interactions by direction and
    their latest interaction and done interview.

    interaction_contact carries each interaction's date and direction
    (migrations 0006, 0008): one index holds all this reads, so no
    interaction (notes and all) is looked up.
    """
    result: dict[int, _Touches] = defaultdict(_Touches)
    exchanges = (
        InteractionContact.select(
            InteractionContact.contact,
            InteractionContact.direction,
            fn.COUNT(InteractionContact.interaction),
            fn.MAX(InteractionContact.date),
        )
        .where(InteractionContact.contact.in_(contacts), InteractionContact.date <= today)
        .group_by(InteractionContact.contact, InteractionContact.direction)
    )
    # Raw rows: aggregates come back as text anyway, and peewee's row objects
    # cost more than the query on a big network.
    for contact_id, direction, count, last in database.execute(exchanges):
        touches = result[contact_id]
        touches.directions[direction] += count
        day = _day(last)
        if day and (touches.last_interaction is None or day > touches.last_interaction):
            touches.last_interaction = day
    interviewed = (
        Interview.select(Interview.contact, fn.MAX(Interview.scheduled_date))
        .where(
            Interview.contact.in_(contacts),
            Interview.status == "done",
            Interview.scheduled_date <= today,
        )
        .group_by(Interview.contact)
    )
    for contact_id, last in interviewed.tuples():
        result[contact_id].last_interview = _day(last)
    return result


def _relationships(today: dt.date, only: set[int] | None) -> dict[int, list[Relationship]]:
    """The (not archived) contacts linked to each goal, with warmth and reciprocity."""
    touches = _touches(_linked(only), today)
    links = (
        GoalLink.select(
            GoalLink.goal,
            GoalLink.role,
            GoalLink.note,
            Contact.id,
            Contact.name,
            Organization.name,
            Contact.cadence_days,
            Contact.connected_on,
            Contact.created_at,
        )
        .join(Contact, on=(GoalLink.contact == Contact.id))
        .join(Organization, JOIN.LEFT_OUTER, on=(Contact.organization == Organization.id))
        .where(Contact.archived == False)  # noqa: E712 (peewee builds SQL from ==)
    )
    if only is not None:
        links = links.where(GoalLink.goal.in_(sorted(only)))
    result: dict[int, list[Relationship]] = defaultdict(list)
    for goal_id, role, note, cid, name, org, cadence, connected, created in links.tuples():
        touched = touches.get(cid) or _Touches()
        seen = touched.last
        every = cadence or DEFAULT_CADENCE_DAYS
        due = next_touch_due(every, seen, connected, created)
        assert due is not None  # a cadence is always given here
        result[goal_id].append(
            Relationship(
                contact_id=cid,
                name=name,
                organization=org or "",
                role=role or "other",
                note=note,
                cadence_days=every,
                cadence_assumed=not cadence,
                last_contacted=seen,
                next_due=due,
                status=warmth(seen, every, today),
                days_since=(today - seen).days if seen else None,
                days_overdue=max(0, (today - due).days),
                reciprocity=Reciprocity.of(touched.directions.elements()),
            )
        )
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


def _recent_touches(
    today: dt.date, only: set[int] | None, people: dict[int, list[Relationship]]
) -> dict[int, set[_Done]]:
    """Per goal: the interactions and done interviews with ``people`` behind it in
    the last WEEKS weeks (an interaction with two of them counts once).

    Driven by the (date, contact, interaction) index of interaction_contact, so it
    reads only those weeks, not everyone's history, and no interaction itself;
    archived contacts are left out here, by ``people``, rather than by a lookup per row.
    """
    since = today - dt.timedelta(days=WEEKS * WEEK - 1)
    talks = (
        InteractionContact.select(
            GoalLink.goal,
            GoalLink.contact,
            Value("interaction"),
            InteractionContact.interaction,
            InteractionContact.date,
        )
        .join(GoalLink, on=(GoalLink.contact == InteractionContact.contact))
        .where(InteractionContact.date.between(since, today))
    )
    interviews = (
        Interview.select(
            GoalLink.goal,
            GoalLink.contact,
            Value("interview"),
            Interview.id,
            Interview.scheduled_date,
        )
        .join(GoalLink, on=(GoalLink.contact == Interview.contact))
        .where(Interview.status == "done", Interview.scheduled_date.between(since, today))
    )
    if only is not None:
        talks = talks.where(GoalLink.goal.in_(sorted(only)))
        interviews = interviews.where(GoalLink.goal.in_(sorted(only)))
    behind = {(goal_id, p.contact_id) for goal_id, group in people.items() for p in group}
    result: dict[int, set[_Done]] = defaultdict(set)
    days: dict[Any, dt.date | None] = {}  # a few dozen days for thousands of rows
    for goal_id, contact_id, kind, record_id, day in database.execute(talks + interviews):
        if (goal_id, contact_id) in behind:
            if day not in days:
                days[day] = _day(day)
            result[goal_id].add((kind, record_id, days[day]))  # type: ignore[arg-type]
    return result


def _weekly(done: Iterable[_Done], today: dt.date) -> tuple[int, ...]:
    """Counts per 7-day week, oldest first; the last week ends today."""
    counts = [0] * WEEKS
    for _, _, day in done:
        age = (today - day).days
        if 0 <= age < WEEKS * WEEK:
            counts[WEEKS - 1 - age // WEEK] += 1
    return tuple(counts)


def _goal_interviews(only: set[int] | None) -> dict[int, list[InterviewItem]]:
    query = (
        GoalLink.select(GoalLink.goal, Interview, Contact.name)
        .join(Interview, on=(GoalLink.interview == Interview.id))
        .join(Contact, on=(Interview.contact == Contact.id))
        .where(Interview.status.in_(["done", "planned"]))
    )
    if only is not None:
        query = query.where(GoalLink.goal.in_(sorted(only)))
    result: dict[int, list[InterviewItem]] = defaultdict(list)
    for link in query.objects():
        result[link.goal_id].append(_interview_item(link, link.name))
    return result


def _interview_item(row: Any, contact_name: str) -> InterviewItem:
    return InterviewItem(
        id=row.id,
        contact_id=row.contact_id,
        contact_name=contact_name,
        date=row.scheduled_date,
        status=row.status,
        thank_you_sent=bool(row.thank_you_sent),
    )


def _goal_events(only: set[int] | None) -> dict[int, list[EventItem]]:
    query = (
        GoalLink.select(GoalLink.goal, Event)
        .join(Event, on=(GoalLink.event == Event.id))
        .order_by(Event.start_date, Event.id)
    )
    if only is not None:
        query = query.where(GoalLink.goal.in_(sorted(only)))
    result: dict[int, list[EventItem]] = defaultdict(list)
    for row in query.objects():
        result[row.goal_id].append(_event_item(row))
    return result


def _event_item(row: Any) -> EventItem:
    return EventItem(
        id=row.id,
        name=row.name,
        start_date=row.start_date,
        end_date=row.end_date,
        status=row.status,
        my_role=row.my_role,
    )


# The columns a FollowUpItem is made of: narrow rows, no models, for speed.
_FOLLOWUP_COLUMNS = (
    FollowUp.id,
    FollowUp.title,
    FollowUp.contact,
    Contact.name,
    FollowUp.due_date,
    FollowUp.done,
    FollowUp.done_at,
)


def _followup_item(row: Sequence[Any], today: dt.date) -> FollowUpItem:
    followup_id, title, contact_id, name, due, done, done_at = row
    return FollowUpItem(
        id=followup_id,
        title=title,
        contact_id=contact_id,
        contact_name=name or "",
        due_date=due,
        days_overdue=0 if done else max(0, (today - due).days),
        closed_on=_local_day(done_at),
        is_open=not done,
    )


def _goal_followups(today: dt.date, only: set[int] | None) -> dict[int, list[FollowUpItem]]:
    """Follow-ups linked to each goal that are open (soonest first) or were ever
    closed (``closed_on`` set; a recurring one's last closed occurrence counts)."""
    query = (
        GoalLink.select(GoalLink.goal, *_FOLLOWUP_COLUMNS)
        .join(FollowUp, on=(GoalLink.follow_up == FollowUp.id))
        .join(Contact, JOIN.LEFT_OUTER, on=(FollowUp.contact == Contact.id))
        .where((FollowUp.done == False) | FollowUp.done_at.is_null(False))  # noqa: E712
        .order_by(FollowUp.due_date, FollowUp.id)
    )
    if only is not None:
        query = query.where(GoalLink.goal.in_(sorted(only)))
    result: dict[int, list[FollowUpItem]] = defaultdict(list)
    for goal_id, *row in query.tuples():
        result[goal_id].append(_followup_item(row, today))
    return result


def _smart_check(
    goal: Goal, people: list[Relationship], last_activity: dt.date | None, today: dt.date
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
                f"Its target date, {_long_date(goal.target_date)}, passed "
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
                f"(last on {_long_date(last_activity)}).",
            )
        )
    return issues


def _long_date(day: dt.date) -> str:
    return f"{day.day} {day:%b %Y}"


def _short_date(day: dt.date, today: dt.date) -> str:
    """``12 Nov``, with the year when it is not this year's."""
    return f"{day.day} {day:%b}" + (f" {day.year}" if day.year != today.year else "")


# -- across goals -------------------------------------------------------------


def _ref(goal: Goal) -> GoalRef:
    return GoalRef(goal.id, goal.title, goal.priority)


def _gaps(reviews: list[GoalReview], today: dt.date) -> CoverageGaps:
    active = [r for r in reviews if r.goal.status == "active"]
    return CoverageGaps(
        goals_without_people=tuple(_ref(r.goal) for r in active if not r.relationships),
        goals_all_cold=tuple(
            _ref(r.goal)
            for r in active
            if r.relationships and all(p.status in ("cold", "never") for p in r.relationships)
        ),
        active_unlinked=tuple(_active_unlinked(today)),
    )


def _active_unlinked(today: dt.date) -> list[UnlinkedContact]:
    """Contacts with interactions in the last 30 days who serve no goal, busiest first."""
    since = today - dt.timedelta(days=RECENT_DAYS - 1)
    query = (
        InteractionContact.select(
            Contact.id,
            Contact.name,
            Organization.name,
            fn.COUNT(InteractionContact.interaction),
            fn.MAX(InteractionContact.date),
        )
        .join(Contact)
        .join(Organization, JOIN.LEFT_OUTER)
        .where(
            InteractionContact.date.between(since, today),
            Contact.archived == False,  # noqa: E712
            Contact.id.not_in(_linked(None)),
        )
        .group_by(Contact.id)
    )
    rows = [
        UnlinkedContact(cid, name, org or "", count, _day(last) or since)
        for cid, name, org, count, last in database.execute(query)
    ]
    return sorted(rows, key=lambda r: (-r.interactions, -r.last_contacted.toordinal(), r.name))


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


def _suggest(reviews: list[GoalReview], today: dt.date) -> list[Suggestion]:
    """Whom to reach out to, ranked as the module docstring says: one suggestion
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
                f"you owe a thank-you for the interview on {_short_date(interview.date, today)}"
            ],
        )
        for interview, org in _thanks_owed(today)
        if interview.date is not None
    ]


def _served(reviews: list[GoalReview]) -> dict[int, list[tuple[GoalRef, Relationship]]]:
    """For each person behind an active goal: the goals they serve, most important first."""
    served: dict[int, list[tuple[GoalRef, Relationship]]] = defaultdict(list)
    for review in reviews:
        if review.goal.status == "active":
            for person in review.relationships:
                served[person.contact_id].append((_ref(review.goal), person))
    for links in served.values():
        links.sort(key=lambda pair: (pair[0].priority, pair[0].title.lower(), pair[0].id))
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
    query = (
        Interview.select(Interview, Contact.name, Organization.name.alias("org"))
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
    return [(_interview_item(row, row.name), row.org or "") for row in query.objects()]


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
    latest = _latest_touches(
        Contact.select(Contact.id).join(pairs, on=(Contact.id == pairs.c.contact_id))
    )
    result = []
    for cid, name, org, event_name, start, end_text in met:
        end = _day(end_text) or start
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
                reasons=[f"met at {event_name} on {_short_date(start, today)}, never followed up"],
            )
        )
    return result


def _latest_touches(contacts: Any) -> dict[int, dt.date]:
    """For each contact in the subquery: the latest date of any interaction, any
    interview not cancelled, or any follow-up, past or planned."""
    touched = (
        InteractionContact.select(InteractionContact.contact, fn.MAX(InteractionContact.date))
        .where(InteractionContact.contact.in_(contacts))
        .group_by(InteractionContact.contact)
    )
    interviewed = (
        Interview.select(Interview.contact, fn.MAX(Interview.scheduled_date))
        .where(Interview.contact.in_(contacts), Interview.status != "cancelled")
        .group_by(Interview.contact)
    )
    followed = (
        FollowUp.select(FollowUp.contact, fn.MAX(FollowUp.due_date))
        .where(FollowUp.contact.in_(contacts))
        .group_by(FollowUp.contact)
    )
    result: dict[int, dt.date] = {}
    for cid, day in (touched + interviewed + followed).tuples():
        day = _day(day)
        if day is not None and (cid not in result or day > result[cid]):
            result[cid] = day
    return result


# -- the weekly check-in ------------------------------------------------------


def _goal_moves(
    reviews: list[GoalReview], today: dt.date
) -> tuple[tuple[GoalMove, ...], tuple[GoalMove, ...], tuple[GoalMove, ...]]:
    moved: list[GoalMove] = []
    quiet: list[GoalMove] = []
    stalled: list[GoalMove] = []
    for review in reviews:
        if review.goal.status != "active":
            continue
        last = review.progress.last_activity
        move = GoalMove(_ref(review.goal), review.progress.weekly_activity[-1], last)
        if move.this_week:
            moved.append(move)
        elif last is not None and (today - last).days < RECENT_DAYS:
            quiet.append(move)
        else:
            stalled.append(move)
    return tuple(moved), tuple(quiet), tuple(stalled)


def _checkin_interactions(since: dt.date, today: dt.date) -> list[InteractionItem]:
    window = Interaction.date.between(since, today)
    who: dict[int, list[ContactRef]] = defaultdict(list)
    names = (
        InteractionContact.select(InteractionContact.interaction, Contact.id, Contact.name)
        .join(Contact)
        .where(InteractionContact.interaction.in_(Interaction.select(Interaction.id).where(window)))
        .order_by(fn.lower(Contact.name), Contact.id)
    )
    for interaction_id, contact_id, name in names.tuples():
        who[interaction_id].append(ContactRef(contact_id, name))
    query = (
        Interaction.select(
            Interaction.id,
            Interaction.date,
            Interaction.channel,
            Interaction.direction,
            Interaction.summary,
        )
        .where(window)
        .order_by(Interaction.date, Interaction.id)
    )
    return [
        InteractionItem(i, day, channel, direction, summary, tuple(who.get(i, ())))
        for i, day, channel, direction, summary in query.tuples()
    ]


def _checkin_interviews(
    since: dt.date, today: dt.date, until: dt.date
) -> tuple[tuple[InterviewItem, ...], tuple[InterviewItem, ...]]:
    done_lately = (Interview.status == "done") & Interview.scheduled_date.between(since, today)
    coming = (Interview.status == "planned") & (Interview.scheduled_date <= until)
    query = (
        Interview.select(Interview, Contact.name)
        .join(Contact)
        .where(done_lately | coming)
        .order_by(Interview.scheduled_date, Interview.scheduled_time, Interview.id)
    )
    done: list[InterviewItem] = []
    planned: list[InterviewItem] = []
    for row in query.objects():
        (done if row.status == "done" else planned).append(_interview_item(row, row.name))
    return tuple(done), tuple(planned)


def _checkin_events(
    since: dt.date, today: dt.date, until: dt.date
) -> tuple[tuple[EventItem, ...], tuple[EventItem, ...]]:
    ends = fn.coalesce(Event.end_date, Event.start_date)
    attended = (Event.status == "attended") & (ends >= since) & (Event.start_date <= today)
    upcoming = (
        Event.status.in_(["considering", "registered"])
        & (ends >= today)
        & (Event.start_date <= until)
    )
    query = (
        Event.select()
        .where(attended | upcoming)
        .order_by(Event.start_date, Event.start_time, Event.id)
    )
    past: list[EventItem] = []
    coming: list[EventItem] = []
    for event in query:
        (past if event.status == "attended" else coming).append(_event_item(event))
    return tuple(past), tuple(coming)


def _followups_closed(since: dt.date, today: dt.date) -> list[FollowUpItem]:
    """Follow-ups marked done (or a recurring one's occurrence) in the window."""
    zone = clock.local_zone()

    def utc(day: dt.date) -> dt.datetime:
        local = dt.datetime.combine(day, dt.time(), tzinfo=zone)
        return local.astimezone(dt.UTC).replace(tzinfo=None)

    query = (
        FollowUp.select(*_FOLLOWUP_COLUMNS)
        .join(Contact, JOIN.LEFT_OUTER)
        .where(
            FollowUp.done_at >= utc(since),
            FollowUp.done_at < utc(today + dt.timedelta(days=1)),
        )
        .order_by(FollowUp.done_at, FollowUp.id)
    )
    return [_followup_item(row, today) for row in query.tuples()]


def _followups_due(today: dt.date, until: dt.date) -> list[FollowUpItem]:
    """Open follow-ups due by ``until``, overdue ones included, soonest first (the
    order of ``rapport followups``)."""
    query = (
        FollowUp.select(*_FOLLOWUP_COLUMNS)
        .join(Contact, JOIN.LEFT_OUTER)
        .where(FollowUp.done == False, FollowUp.due_date <= until)  # noqa: E712
        .order_by(
            FollowUp.due_date, FollowUp.due_time.is_null(False), FollowUp.due_time, FollowUp.id
        )
    )
    return [_followup_item(row, today) for row in query.tuples()]
