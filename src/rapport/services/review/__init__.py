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
events linked to it that were done, closed or attended.  A parent goal
counts its steps' interviews and follow-ups too (each says which step it came
from; their events and people stay the step's own).  Weeks are the 7-day
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
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rapport import clock
from rapport.services.review.coverage import CoverageGaps, UnlinkedContact, coverage_gaps
from rapport.services.review.goals import (
    RECENT_DAYS,
    WEEK,
    WEEKS,
    GoalReview,
    Progress,
    RoleGroup,
    SmartIssue,
    all_goals,
    goal_reviews,
)
from rapport.services.review.items import (
    EventItem,
    FollowUpItem,
    GoalFacts,
    GoalRef,
    InterviewItem,
    step_note,
)
from rapport.services.review.relationships import Reciprocity, Relationship
from rapport.services.review.suggest import (
    MET_DAYS,
    SUGGESTION_KINDS,
    THANKS_DAYS,
    Suggestion,
    rank_suggestions,
)
from rapport.services.warmth import (
    DEFAULT_CADENCE_DAYS,
    WARMTH,
    WARMTH_LABELS,
    warmth,
    warmth_label,
)

if TYPE_CHECKING:
    from rapport.services.refs import ContactRef
    from rapport.services.review.checkin import CheckIn, GoalMove, InteractionItem, weekly_checkin

# The weekly check-in loads when asked for (`review --week`, the app's check-in):
# the plain review, every goal's, does not need its code.  Nor the names of
# people it lists (the shared refs, five frozen dataclasses: 2-3 ms).
_CHECKIN = frozenset({"CheckIn", "GoalMove", "InteractionItem", "weekly_checkin"})


def __getattr__(name: str) -> Any:
    if name in _CHECKIN:
        from rapport.services.review import checkin

        return getattr(checkin, name)
    if name == "ContactRef":
        from rapport.services.refs import ContactRef

        return ContactRef
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "DEFAULT_CADENCE_DAYS",
    "MET_DAYS",
    "RECENT_DAYS",
    "SUGGESTION_KINDS",
    "THANKS_DAYS",
    "WARMTH",
    "WARMTH_LABELS",
    "WEEK",
    "WEEKS",
    "CheckIn",
    "ContactRef",
    "CoverageGaps",
    "EventItem",
    "FollowUpItem",
    "GoalFacts",
    "GoalMove",
    "GoalRef",
    "GoalReview",
    "InteractionItem",
    "InterviewItem",
    "Progress",
    "Reciprocity",
    "Relationship",
    "Review",
    "RoleGroup",
    "SmartIssue",
    "Suggestion",
    "UnlinkedContact",
    "build_review",
    "goal_review",
    "network_by_goal",
    "step_note",
    "suggestions",
    "warmth",
    "warmth_label",
    "weekly_checkin",
]


@dataclass
class Review:
    today: dt.date
    goals: tuple[GoalReview, ...]  # every goal, most important first
    gaps: CoverageGaps
    suggestions: tuple[Suggestion, ...]

    @property
    def active_goals(self) -> list[GoalReview]:
        return [g for g in self.goals if g.goal.status == "active"]


def build_review(*, today: dt.date | None = None, unlinked: int | None = None) -> Review:
    """The whole review: every goal, the coverage gaps and this week's suggestions.

    ``unlinked``: how many of the contacts active lately who serve no goal to
    list, busiest first (None: all of them); the gaps count them all either way.
    """
    today = today or clock.today()
    goals = all_goals()
    reviews = goal_reviews(goals, today, only=None)
    return Review(
        today=today,
        goals=tuple(reviews),
        gaps=coverage_gaps(reviews, today, unlinked),
        suggestions=tuple(rank_suggestions(reviews, today)),
    )


def goal_review(goal: object, *, today: dt.date | None = None) -> GoalReview:
    """The review of one goal (an id, title part or Goal). Raises NotFound, Ambiguous."""
    # Only a review of one goal looks a goal up by its words (with the
    # resolver's cleaning rules and refs: 2 ms the plain review does without).
    from rapport.services.resolve import resolve_goal

    today = today or clock.today()
    wanted = resolve_goal(goal)
    goals = all_goals()
    (review,) = goal_reviews(goals, today, only={wanted.id})
    return review


def network_by_goal(*, today: dt.date | None = None) -> list[GoalReview]:
    """Active goals with their relationships grouped by role: the goal → role → contact tree."""
    today = today or clock.today()
    goals = all_goals()
    active = {g.id for g in goals if g.status == "active"}
    return goal_reviews(goals, today, only=active)


def suggestions(*, limit: int | None = 10, today: dt.date | None = None) -> list[Suggestion]:
    """Whom to reach out to this week, best first (``limit``: how many; None for all)."""
    today = today or clock.today()
    goals = all_goals()
    active = {g.id for g in goals if g.status == "active"}
    ranked = rank_suggestions(goal_reviews(goals, today, only=active), today)
    return ranked if limit is None else ranked[:limit]
