"""Informational interviews: questions before, notes and advice after, referrals, the thank-you.

Completing an interview creates a thank-you follow-up due the next day,
linked to the same contact, the interview and the interview's goals.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from rapport import clock, dates
from rapport.errors import NotFound, ValidationError
from rapport.models import (
    INTERVIEW_STATUSES,
    Contact,
    GoalLink,
    Interview,
    InterviewReferral,
    database,
)
from rapport.services import clean
from rapport.services.followups import FollowUpRow
from rapport.services.refs import ContactRef, GoalServed, SkillRef, plain
from rapport.services.resolve import (
    resolve_contact,
    resolve_contacts,
    resolve_goal,
    resolve_interview,
)
from rapport.services.skills import optional_skill

CLEANERS: dict[str, clean.Cleaner] = {
    "contact": resolve_contact,
    "status": lambda v: clean.choice(v, INTERVIEW_STATUSES, "status"),
    "questions": partial(clean.free_text, field="questions"),
    "notes": partial(clean.free_text, field="notes"),
    "advice": partial(clean.free_text, field="advice"),
    "thank_you_sent": bool,
    "skill": optional_skill,
}


def held_on_day(value: Any) -> dates.When:
    """The day an interview was held, typed as people say it: today or before.
    Raises ValidationError (field "held on") for a day still to come: an
    interview is marked done once it took place."""
    when = clean.when(value, "held on")
    if when.date > clock.today():
        raise ValidationError(
            "held on",
            f"{when.date:%a %d %b %Y} is still to come: give the day the interview "
            "took place, today or before",
        )
    return when


def _check_done_not_ahead(interview: Interview) -> None:
    """A done interview took place: one dated after today is a slip."""
    day = interview.scheduled_date
    if interview.status == "done" and day is not None and day > clock.today():
        raise ValidationError(
            "when",
            f"a done interview was held, and {day:%a %d %b %Y} is still to come: "
            "give the day it took place, or plan it (status planned)",
        )


def _set_when(interview: Interview, when: Any) -> None:
    if when is None or when == "":
        interview.scheduled_date = None
        interview.scheduled_time = None
        interview.tz = ""
        return
    parsed = clean.when(when, "when")
    interview.scheduled_date = parsed.date
    interview.scheduled_time = parsed.time
    interview.tz = clock.local_zone_name() if parsed.time else ""


def create_interview(
    contact: object,
    *,
    when: Any = None,
    goals: Sequence[object] = (),
    goals_of_skill: bool = False,
    **fields: Any,
) -> InterviewRow:
    """Plan (or record) an interview with a contact; ``when`` is a date word.

    Other fields: status, questions, notes, advice, skill.  With
    ``goals_of_skill`` and no ``goals``, it serves the active goals that need
    its skill.  Returns it as faces show it.  Raises ValidationError,
    NotFound, Ambiguous.
    """
    from rapport.services.links import link_goal

    interview = Interview()
    clean.apply_changes(interview, {"contact": contact, **fields}, CLEANERS)
    _set_when(interview, when)
    _check_done_not_ahead(interview)
    goal_records = [resolve_goal(g) for g in goals]
    if goals_of_skill and not goal_records and interview.skill_id:
        from rapport.services.needs import goals_needing

        goal_records = goals_needing(interview.skill)
    with database.atomic():
        interview.save(force_insert=True)
        for goal in goal_records:
            link_goal(goal, interview=interview)
    return interview_row(interview)


def update_interview(
    ref: object,
    *,
    when: Any = None,
    expected_updated_at: dt.datetime | None = None,
    **fields: Any,
) -> InterviewRow:
    """Change fields of an interview; ``when`` reschedules it.  Returns it as faces show it."""
    interview = resolve_interview(ref)
    with database.atomic():
        changed = clean.apply_changes(interview, fields, CLEANERS)
        if when is not None:
            before = (interview.scheduled_date, interview.scheduled_time)
            _set_when(interview, when)
            if before != (interview.scheduled_date, interview.scheduled_time):
                changed["when"] = interview.scheduled_date
        if "status" in changed or "when" in changed:
            # Only what this edit changes: an old record stays editable as it is.
            _check_done_not_ahead(interview)
        if changed:
            clean.check_unchanged(interview, expected_updated_at)
            interview.save()
    return interview_row(interview)


def complete_interview(
    ref: object,
    *,
    notes: str | None = None,
    advice: str | None = None,
    thank_you: bool = True,
    held_on: Any = None,
    today: dt.date | None = None,
    expected_updated_at: dt.datetime | None = None,
    referrals: Sequence[object] = (),
    new_referrals: Sequence[str] = (),
) -> tuple[InterviewRow, FollowUpRow | None]:
    """Mark an interview done, keep its notes and advice, record the people it
    referred you to (``referrals``, and ``new_referrals``: names of people not
    yet contacts, created as introduced by the person interviewed), and unless
    ``thank_you`` is False create the thank-you follow-up: all or nothing, every
    referral found first.

    ``held_on`` (a date, or a date word) is the day it took place, its time
    kept, today or before (ValidationError for a day still to come); without
    it, an interview with no date, or planned for later, is dated today: it
    was held now.  One already done only takes the notes and advice: its
    thank-you was offered when it was first marked done (no second one).

    Returns the interview (as faces show it) and the follow-up created (None if none was).
    Raises Conflict if it changed since ``expected_updated_at``.
    """
    from rapport.services.followups import create_followup

    today = today or clock.today()
    interview = resolve_interview(ref)
    held = held_on_day(held_on) if held_on is not None else None
    people = [resolve_contact(c) for c in referrals]
    changes: dict[str, Any] = {"status": "done"}
    if notes is not None:
        changes["notes"] = notes
    if advice is not None:
        changes["advice"] = advice
    with database.atomic():
        clean.check_unchanged(interview, expected_updated_at)
        already_done = interview.status == "done"
        clean.apply_changes(interview, changes, CLEANERS)
        if held is not None:
            interview.scheduled_date = held.date
        elif interview.scheduled_date is None or interview.scheduled_date > today:
            interview.scheduled_date = today
        interview.save()
        followup = None
        if thank_you and not interview.thank_you_sent and not already_done:
            goals = [
                link.goal_id
                for link in GoalLink.select(GoalLink.goal).where(GoalLink.interview == interview)
            ]
            contact = interview.contact
            first_name = contact.name.split()[0] if contact.name.split() else contact.name
            followup = create_followup(
                f"Send {first_name} a thank-you for the interview",
                due=today + dt.timedelta(days=1),
                contact=contact,
                interview=interview,
                goals=goals,
            )
        if people or new_referrals:
            refer_contacts(interview, people, new_names=new_referrals, field="new-referral")
    return interview_row(interview), followup


def unknown_contacts(refs: Sequence[object]) -> list[object]:
    """Those of ``refs`` that name no contact (a name matching several is not
    unknown: resolving it says which)."""
    unknown = []
    for ref in refs:
        try:
            resolve_contact(ref)
        except NotFound:
            unknown.append(ref)
    return unknown


def cancel_interview(ref: object) -> InterviewRow:
    return update_interview(ref, status="cancelled")


def add_referrals(ref: object, contacts: Sequence[object]) -> list[ContactRef]:
    """Record the people an interview led to; returns them."""
    interview = resolve_interview(ref)
    people = resolve_contacts(contacts)
    with database.atomic():
        for person in people:
            InterviewReferral.insert(
                interview=interview, contact=person
            ).on_conflict_ignore().execute()
    return [ContactRef(p.id, p.name) for p in people]


def referrals_of(interview: Interview | InterviewRow) -> list[Contact]:
    return list(
        Contact.select()
        .join(InterviewReferral)
        .where(InterviewReferral.interview == interview.id)
        .order_by(Contact.name)
    )


def delete_interview(ref: object) -> InterviewRow:
    """Delete an interview (its referral records and goal links go too); returns what it was."""
    interview = resolve_interview(ref)
    gone = interview_row(interview)
    with database.atomic():
        interview.delete_instance()
    return gone


@dataclass(frozen=True)
class InterviewRow:
    """An interview as the faces list, show and edit it: plain values, whom it is
    with joined; ``updated_at`` lets a form refuse to overwrite an edit made elsewhere."""

    id: int
    scheduled_date: dt.date | None
    scheduled_time: dt.time | None
    tz: str
    status: str
    questions: str
    notes: str
    advice: str
    thank_you_sent: bool
    updated_at: dt.datetime
    contact: ContactRef


def _row(iv: Interview) -> InterviewRow:
    """``iv`` with its contact loaded (joined, or just resolved): nothing here queries."""
    return plain(InterviewRow, iv, contact=ContactRef(iv.contact.id, iv.contact.name))


def interview_row(ref: object) -> InterviewRow:
    """One interview (an id, or the interview itself) as faces show it.  Raises NotFound."""
    return _row(resolve_interview(ref))


def list_interviews(*, status: str | None = None, contact: object = None) -> list[InterviewRow]:
    """Interviews: planned soonest first, then the rest newest first."""
    query = Interview.select(Interview, Contact).join(Contact)
    if status and status != "all":
        query = query.where(Interview.status == clean.choice(status, INTERVIEW_STATUSES, "status"))
    if contact is not None:
        query = query.where(Interview.contact == resolve_contact(contact))
    items = list(query)
    planned = sorted(
        (i for i in items if i.status == "planned"),
        key=lambda i: (i.scheduled_date or dt.date.max, i.scheduled_time or dt.time(), i.id),
    )
    rest = sorted(
        (i for i in items if i.status != "planned"),
        key=lambda i: (i.scheduled_date or dt.date.min, i.id),
        reverse=True,
    )
    return [_row(i) for i in planned + rest]


def refer_contacts(
    ref: object,
    contacts: Sequence[object] = (),
    *,
    new_names: Sequence[str] = (),
    field: str = "contacts",
) -> list[ContactRef]:
    """Record the people an interview led to: existing contacts, and new ones
    created from ``new_names`` as introduced by the person interviewed.

    All in one transaction.  Returns the referred contacts, existing first.
    Raises ValidationError (about ``field``: a new name empty, given twice or
    already a contact's), NotFound, Ambiguous.
    """
    from rapport.services.contacts import create_contact, new_contact_names

    interview = resolve_interview(ref)
    with database.atomic():
        people = [resolve_contact(c) for c in contacts]
        for name in new_contact_names(new_names, field=field):
            made = create_contact(
                name,
                introduced_by=interview.contact_id,
                how_met=f"Referred by {interview.contact.name} in an informational interview",
            )
            people.append(resolve_contact(made))
        return add_referrals(interview, people)


@dataclass(frozen=True)
class InterviewDetail(InterviewRow):
    """One interview as ``show`` and the detail sheet have it: its row, the goals
    it serves and the people it referred you to."""

    goals: tuple[GoalServed, ...]
    referrals: tuple[ContactRef, ...]
    skill: SkillRef | None  # the skill it is about (``--skill``)


def interview_detail(ref: object) -> InterviewDetail:
    """An interview with whom it is with, the goals it serves and its referrals."""
    from rapport.services.links import Target, goals_of

    iv = resolve_interview(ref)
    return InterviewDetail(
        **vars(_row(iv)),
        goals=tuple(goals_of(Target("interview", iv))),
        referrals=tuple(ContactRef(c.id, c.name) for c in referrals_of(iv)),
        skill=SkillRef(iv.skill.id, iv.skill.name) if iv.skill_id else None,
    )
