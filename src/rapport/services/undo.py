"""Undo of the last done or snooze of a follow-up, for the app's u and `rapport followups undo`.

Each done and snooze keeps how the follow-up was before it (its due date and
time, done or not), newest last, in the database: the app and the command
line undo the same thing.  An undo puts those values back under a new
SEQUENCE, so a calendar that imported the change updates again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rapport import clock
from rapport.errors import Conflict, NotFound
from rapport.models import FollowUp, FollowUpUndo, Interview, database
from rapport.words import moment

# Done and snooze remembered (older ones are forgotten).
KEPT = 20


@dataclass(frozen=True)
class Before:
    """A follow-up's values that a done or a snooze changes, as they were."""

    due_date: dt.date
    due_time: dt.time | None
    done: bool
    done_at: dt.datetime | None
    unthanked_interview: int | None  # the interview done and not yet thanked, if any


def action_words(action: str, title: str, at: dt.datetime, *, number: int | None = None) -> str:
    """A done or snooze as the app and ``followups undo`` name it, with when it was
    made (``at``, naive UTC, shown where the person is): 'marking done “Send Dana
    the deck” on Fri 20 Nov 2026 at 17:30', 'snoozing #2 “Call Dana” on ...'."""
    doing = "marking done" if action == "done" else "snoozing"
    which = f"#{number} “{title}”" if number is not None else f"“{title}”"
    return f"{doing} {which} on {moment(at)}"


@dataclass(frozen=True)
class Undone:
    """What an undo put back: the follow-up's id, title and the values it has again,
    and when the done or snooze it took back was made (``at``, naive UTC)."""

    action: str
    followup_id: int
    title: str
    due_date: dt.date
    due_time: dt.time | None
    done: bool
    at: dt.datetime

    def words(self, *, number: bool = False) -> str:
        """The done or snooze taken back, and when (see :func:`action_words`)."""
        shown = self.followup_id if number else None
        return action_words(self.action, self.title, self.at, number=shown)


def before(followup: FollowUp) -> Before:
    """The values of ``followup`` an action is about to change."""
    unthanked = None
    if followup.interview_id is not None:
        unthanked = (
            Interview.select(Interview.id)
            .where(
                (Interview.id == followup.interview_id)
                & (Interview.status == "done")
                & (Interview.thank_you_sent == False)  # noqa: E712 (SQL, not Python)
            )
            .scalar()
        )
    return Before(followup.due_date, followup.due_time, followup.done, followup.done_at, unthanked)


def remember(action: str, followup: FollowUp, was: Before) -> None:
    """Keep how ``followup`` was before ``action`` ("done" or "snooze") changed it."""
    thanked = False
    if was.unthanked_interview is not None:
        thanked = bool(
            Interview.select(Interview.thank_you_sent)
            .where(Interview.id == was.unthanked_interview)
            .scalar()
        )
    with database.atomic():
        FollowUpUndo.create(
            follow_up=followup.id,
            action=action,
            due_date=was.due_date,
            due_time=was.due_time,
            done=was.done,
            done_at=was.done_at,
            thanked=thanked,
            stamp=followup.updated_at,
        )
        newest = FollowUpUndo.select(FollowUpUndo.id).order_by(FollowUpUndo.id.desc())
        FollowUpUndo.delete().where(FollowUpUndo.id.not_in(newest.limit(KEPT))).execute()


@dataclass(frozen=True)
class Pending:
    """The newest done or snooze, which an undo would take back: which it is, the
    follow-up's title, and when it was done (naive UTC, as stored)."""

    undo_id: int
    action: str
    followup_id: int
    title: str
    at: dt.datetime

    def words(self) -> str:
        """The done or snooze an undo would take back, and when (see :func:`action_words`)."""
        return action_words(self.action, self.title, self.at)


def newest() -> Pending | None:
    """What :func:`undo_last` would undo now, or None when there is nothing."""
    last = (
        FollowUpUndo.select(
            FollowUpUndo.id,
            FollowUpUndo.action,
            FollowUpUndo.follow_up,
            FollowUp.title,
            FollowUpUndo.stamp,
        )
        .join(FollowUp)
        .order_by(FollowUpUndo.id.desc())
        .limit(1)
        .tuples()
        .first()
    )
    return None if last is None else Pending(*last)


def undo_last(only: int | None = None) -> Undone:
    """Put back the follow-up the newest done or snooze changed, as it was before;
    with ``only`` (a Pending's ``undo_id``), that one alone.

    Raises NotFound when there is nothing to undo, and Conflict (forgetting
    that undo, so the one before comes next) when the follow-up was changed
    since: putting the old values back would throw that change away; Conflict
    too when ``only`` is no longer the newest (another done or snooze came
    after it: nothing is undone).
    """
    last = FollowUpUndo.select().order_by(FollowUpUndo.id.desc()).first()
    if last is None:
        raise NotFound("nothing to undo: done and snooze of a follow-up can be undone")
    if only is not None and last.id != only:
        raise Conflict("another done or snooze came since you asked; nothing was undone")
    followup = FollowUp.get_by_id(last.follow_up_id)  # (a deleted one took its undo along)
    if followup.updated_at != last.stamp:
        last.delete_instance()
        raise Conflict(
            f"“{followup.title}” was changed since it was {_said(last.action)}; "
            "nothing was undone, so that change stays"
        )
    with database.atomic():
        followup.due_date, followup.due_time = last.due_date, last.due_time
        followup.done, followup.done_at = last.done, last.done_at
        followup.bump()
        if last.thanked and followup.interview_id is not None:
            Interview.update(thank_you_sent=False, updated_at=clock.utcnow()).where(
                Interview.id == followup.interview_id
            ).execute()
        last.delete_instance()
    return Undone(
        last.action,
        followup.id,
        followup.title,
        followup.due_date,
        followup.due_time,
        followup.done,
        last.stamp,
    )


def _said(action: str) -> str:
    return "marked done" if action == "done" else "snoozed"
