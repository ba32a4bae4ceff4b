"""The weekly check-in: the last 7 days done, the next 7 due, and which goals moved."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from peewee import JOIN, fn

from rapport import clock
from rapport.models import (
    Contact,
    Event,
    FollowUp,
    Interaction,
    InteractionContact,
    Interview,
)
from rapport.services.refs import ContactRef
from rapport.services.review.goals import RECENT_DAYS, WEEK, GoalReview, all_goals, goal_reviews
from rapport.services.review.items import (
    EventItem,
    FollowUpItem,
    GoalRef,
    InterviewItem,
    event_item,
    followup_item,
    goal_ref,
    interview_item,
)
from rapport.services.review.suggest import Suggestion, rank_suggestions

CHECKIN_SUGGESTIONS = 5

# A FollowUpItem's fields in the order followup_item takes them.
FOLLOWUP_COLUMNS = (
    FollowUp.id,
    FollowUp.title,
    FollowUp.contact,
    Contact.name,
    FollowUp.due_date,
    FollowUp.done,
    FollowUp.done_at,
)


@dataclass
class InteractionItem:
    id: int
    date: dt.date
    channel: str
    direction: str
    summary: str
    contacts: tuple[ContactRef, ...]


@dataclass
class GoalMove:
    goal: GoalRef
    this_week: int  # activity in the last 7 days
    last_activity: dt.date | None


@dataclass
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


def weekly_checkin(*, today: dt.date | None = None) -> CheckIn:
    """What was done in the last 7 days, what is due in the next 7, which goals moved."""
    today = today or clock.today()
    since = today - dt.timedelta(days=WEEK - 1)
    until = today + dt.timedelta(days=WEEK)
    goals = all_goals()
    active = {g.id for g in goals if g.status == "active"}
    reviews = goal_reviews(goals, today, only=active)
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
        suggestions=tuple(rank_suggestions(reviews, today)[:CHECKIN_SUGGESTIONS]),
    )


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
        move = GoalMove(goal_ref(review.goal), review.progress.weekly_activity[-1], last)
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
        (done if row.status == "done" else planned).append(interview_item(row, row.name))
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
        (past if event.status == "attended" else coming).append(event_item(event))
    return tuple(past), tuple(coming)


def _followups_closed(since: dt.date, today: dt.date) -> list[FollowUpItem]:
    """Follow-ups marked done (or a recurring one's occurrence) in the window."""
    zone = clock.local_zone()

    def utc(day: dt.date) -> dt.datetime:
        local = dt.datetime.combine(day, dt.time(), tzinfo=zone)
        return local.astimezone(dt.UTC).replace(tzinfo=None)

    query = (
        FollowUp.select(*FOLLOWUP_COLUMNS)
        .join(Contact, JOIN.LEFT_OUTER)
        .where(
            FollowUp.done_at >= utc(since),
            FollowUp.done_at < utc(today + dt.timedelta(days=1)),
        )
        .order_by(FollowUp.done_at, FollowUp.id)
    )
    return [followup_item(row, today) for row in query.tuples()]


def _followups_due(today: dt.date, until: dt.date) -> list[FollowUpItem]:
    """Open follow-ups due by ``until``, overdue ones included, soonest first (the
    order of ``rapport followups``)."""
    query = (
        FollowUp.select(*FOLLOWUP_COLUMNS)
        .join(Contact, JOIN.LEFT_OUTER)
        .where(FollowUp.done == False, FollowUp.due_date <= until)  # noqa: E712
        .order_by(
            FollowUp.due_date, FollowUp.due_time.is_null(False), FollowUp.due_time, FollowUp.id
        )
    )
    return [followup_item(row, today) for row in query.tuples()]
