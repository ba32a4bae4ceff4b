"""Records as plain dicts: the stable ``--json`` shapes documented in docs/json.md.

Keys come in a fixed order and are only ever added, never renamed or removed,
within a major version.  Dates are ``YYYY-MM-DD``, times ``HH:MM``, stored
timestamps UTC ``YYYY-MM-DDTHH:MM:SSZ``; absent values are ``null``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from rapport.models import Contact, Goal, GoalLink
from rapport.services.contact_list import ContactColumns, ContactRow
from rapport.services.contact_list import json_records as contact_list
from rapport.services.contacts import ContactDetail
from rapport.services.fields import CONTACT_FIELDS
from rapport.services.orgs import OrganizationRow
from rapport.services.refs import ContactRef, GoalRef, GoalServed

if TYPE_CHECKING:  # named in annotations alone: a contact list need not load them
    from rapport.services.events import EventRow
    from rapport.services.followups import FollowUpRow
    from rapport.services.goals import GoalRow
    from rapport.services.interactions import InteractionRow
    from rapport.services.interviews import InterviewDetail, InterviewRow
    from rapport.services.search import SearchHit


def occurrence(moment: dt.datetime, time: dt.time | None) -> str:
    """An occurrence of a repeating event: its date, and its time when it has one."""
    return moment.date().isoformat() if time is None else moment.isoformat(timespec="minutes")


def day(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def clock_time(value: dt.time | None) -> str | None:
    return value.strftime("%H:%M") if value else None


def stamp(value: dt.datetime | None) -> str | None:
    return value.replace(microsecond=0).isoformat() + "Z" if value else None


def ref(record: Any) -> dict[str, Any] | None:
    """A reference to another record: its id and name (a goal's title)."""
    if record is None:
        return None
    from rapport.services.goals import GoalRow  # loaded when a record is referred to

    if isinstance(record, Goal | GoalRow | GoalRef):
        return {"id": record.id, "title": record.title}
    return {"id": record.id, "name": record.name}


def goal(g: GoalRow, *, contacts: int | None = None) -> dict[str, Any]:
    data = {
        "id": g.id,
        "title": g.title,
        "why": g.why,
        "horizon": g.horizon,
        "specific": g.specific,
        "measure": g.measure,
        "target_date": day(g.target_date),
        "status": g.status,
        "priority": g.priority,
        "parent_id": g.parent_id,
        "created_at": stamp(g.created_at),
        "updated_at": stamp(g.updated_at),
    }
    if contacts is not None:
        data["contacts"] = contacts
    return data


def goal_link(link: GoalLink | GoalServed) -> dict[str, Any]:
    goal = link.goal if isinstance(link, GoalLink) else link
    return {
        "id": goal.id,
        "title": goal.title,
        "role": link.role or None,
        "note": link.note,
    }


def organization(org: OrganizationRow, contacts: int | None = None) -> dict[str, Any]:
    return {
        "id": org.id,
        "name": org.name,
        "industry": org.industry,
        "website": org.website,
        "notes": org.notes,
        "contacts": contacts,
    }


def contact_row(row: ContactRow) -> dict[str, Any]:
    return contact_list(ContactColumns.of([row])).dicts()[0]  # tags and goals: tuples


def contact_detail(detail: ContactDetail) -> dict[str, Any]:
    c = detail.contact
    data: dict[str, Any] = {"id": c.id, "name": c.name}
    for spec in CONTACT_FIELDS:  # services/fields.py: the keys, their order and kinds
        data[spec.name] = _CONTACT_JSON[spec.json](detail, spec.name)
    data.update(
        {
            "last_contacted": day(detail.last_contacted),
            "next_due": day(detail.next_due),
            "goals": [goal_link(g) for g in detail.goals],
            "introduced": [ref(p) for p in detail.introduced],
            "timeline": [
                {
                    "date": day(e.date),
                    "kind": e.kind,
                    "id": e.id,
                    "title": e.title,
                    "detail": e.detail,
                }
                for e in detail.timeline
            ],
            "created_at": stamp(c.created_at),
            "updated_at": stamp(c.updated_at),
        }
    )
    return data


# How each kind of declared contact field is written (services/fields.py, JSON_KINDS).
_CONTACT_JSON: dict[str, Callable[[ContactDetail, str], Any]] = {
    "text": lambda d, name: getattr(d.contact, name),
    "joined": lambda d, name: getattr(d, name) or None,
    "record": lambda d, name: ref(getattr(d, name)),
    "tags": lambda d, name: d.contact.tag_list,
    "day": lambda d, name: day(getattr(d.contact, name)),
    "lines": lambda d, name: [line for line in getattr(d.contact, name).split("\n") if line],
    "null": lambda d, name: getattr(d.contact, name) or None,
}


def interaction(i: InteractionRow) -> dict[str, Any]:
    return {
        "id": i.id,
        "date": day(i.date),
        "channel": i.channel,
        "direction": i.direction,
        "summary": i.summary,
        "notes": i.notes,
        "contacts": [ref(c) for c in i.contacts],
    }


def interview(iv: InterviewRow) -> dict[str, Any]:
    return {
        "id": iv.id,
        "contact": ref(iv.contact),
        "date": day(iv.scheduled_date),
        "time": clock_time(iv.scheduled_time),
        "tz": iv.tz or None,
        "status": iv.status,
        "questions": iv.questions,
        "notes": iv.notes,
        "advice": iv.advice,
        "thank_you_sent": iv.thank_you_sent,
    }


def interview_detail(d: InterviewDetail) -> dict[str, Any]:
    """``rapport interviews show --json``: the interview, its referrals and goals."""
    return {
        **interview(d),
        "referrals": [ref(p) for p in d.referrals],
        "goals": [goal_link(g) for g in d.goals],
        "skill": ref(d.skill),
    }


def event(
    e: EventRow,
    *,
    attendee_count: int | None = None,
    attendees: Sequence[Contact | ContactRef] | None = None,
    goals: Sequence[GoalLink | GoalServed] | None = None,
) -> dict[str, Any]:
    # The events' service and the words of repeat rules: loaded for events alone
    # (with the goals', 5 ms of `contacts list --json`'s start when serialize did).
    from rapport.services.events import EventDetail, next_dates
    from rapport.words import rule_words

    data: dict[str, Any] = {
        "id": e.id,
        "name": e.name,
        "kind": e.kind,
        "start_date": day(e.start_date),
        "start_time": clock_time(e.start_time),
        "end_date": day(e.end_date),
        "end_time": clock_time(e.end_time),
        "tz": e.tz or None,
        "location": e.location,
        "url": e.url,
        "my_role": e.my_role,
        "status": e.status,
        "notes": e.notes,
        "ics_uid": e.ics_uid,
        "repeat": e.rrule or None,
        "repeat_words": rule_words(e.rrule) or None,
        "next_dates": [
            occurrence(moment, e.start_time)
            for moment in (e.next_dates if isinstance(e, EventDetail) else next_dates(e))
        ],
    }
    if attendee_count is not None:
        data["attendee_count"] = attendee_count
    if attendees is not None:
        data["attendees"] = [ref(c) for c in attendees]
    if attendee_count is not None or attendees is not None:
        # Whether I met them, they are going, or were there while I was not.
        data["attendees_heading"] = e.attendees_heading
    if goals is not None:
        data["goals"] = [goal_link(link) for link in goals]
    return data


def followup(f: FollowUpRow) -> dict[str, Any]:
    return {
        "id": f.id,
        "uid": f.uid,
        "title": f.title,
        "contact": ref(f.contact),
        "due_date": day(f.due_date),
        "due_time": clock_time(f.due_time),
        "tz": f.tz or None,
        "repeat": f.rrule or None,
        "done": f.done,
        "done_at": stamp(f.done_at),
        "sequence": f.sequence,
        "notes": f.notes,
        "interview_id": f.interview_id,
        "event_id": f.event_id,
        "goals": [ref(g) for g in f.goals],
        "skill": ref(f.skill),
    }


def search_hit(hit: SearchHit) -> dict[str, Any]:
    return {
        "kind": hit.kind,
        "id": hit.id,
        "title": hit.title,
        "snippet": hit.snippet,
        "date": day(hit.date),
    }
