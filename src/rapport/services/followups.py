"""Follow-ups: what I owe whom, by when, maybe repeating.

Every change to a follow-up raises its SEQUENCE, so a calendar that imported
an earlier export updates the event instead of adding a second one.  Its UID
never changes; marking a recurring follow-up done moves it to its next
occurrence (dateutil.rrule) under the same UID.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from dataclasses import fields as dataclass_fields
from functools import partial
from typing import Any

from peewee import JOIN

from rapport import clock, dates
from rapport.errors import ValidationError
from rapport.followup_reads import goal_titles
from rapport.models import (
    Contact,
    Event,
    FollowUp,
    Goal,
    GoalLink,
    Interview,
    Skill,
    database,
)
from rapport.services import clean
from rapport.services.due import FollowUpColumns, due_until
from rapport.services.refs import ContactRef, EventRef, GoalRef, SkillRef, plain
from rapport.services.resolve import (
    resolve_contact,
    resolve_event,
    resolve_followup,
    resolve_interview,
)

# The repeat rules' validation and arithmetic (dateutil.rrule), skills and undo
# are loaded by the writes that use them: `followups due` and `today` only read.

_FREQUENCIES = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
_NAMED = {
    "daily": "FREQ=DAILY",
    "weekly": "FREQ=WEEKLY",
    "biweekly": "FREQ=WEEKLY;INTERVAL=2",
    "fortnightly": "FREQ=WEEKLY;INTERVAL=2",
    "monthly": "FREQ=MONTHLY",
    "quarterly": "FREQ=MONTHLY;INTERVAL=3",
    "yearly": "FREQ=YEARLY",
    "annually": "FREQ=YEARLY",
}
_EVERY = re.compile(r"^every\s+(?:(\d{1,3})\s+)?(day|week|month|year)s?$")
_BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
REPEAT_HELP = (
    "daily, weekly, biweekly, monthly, quarterly, yearly, every 3 weeks, every monday, or an RRULE"
)


def parse_repeat(text: Any, *, start: dt.date | None = None) -> str:
    """An RRULE value (no ``RRULE:`` prefix) from what a person typed; "" for none.

    Refuses rules that repeat more often than daily or never occur.
    """
    raw = " ".join(str(text or "").split())
    if not raw or raw.lower() in ("none", "never", "no"):
        return ""
    lower = raw.lower()
    if lower in _NAMED:
        rule = _NAMED[lower]
    elif match := _EVERY.match(lower):
        interval = int(match.group(1) or 1)
        if interval < 1:
            raise ValidationError("repeat", "the interval must be at least 1")
        rule = f"FREQ={match.group(2).upper()}LY".replace("DAYLY", "DAILY")
        if interval > 1:
            rule += f";INTERVAL={interval}"
    elif lower.startswith("every "):
        try:
            weekday = dates.parse_when(lower[6:], field="repeat").date.weekday()
        except ValidationError:
            raise ValidationError("repeat", f"can't read {raw!r}; try {REPEAT_HELP}") from None
        rule = f"FREQ=WEEKLY;BYDAY={_BYDAY[weekday]}"
    else:
        rule = re.sub(r"^RRULE:", "", raw.upper().replace(" ", ""))
    _check_rule(rule, start or clock.today(), raw)
    return rule


# The parts of an RRULE a follow-up may use.  The others (BYSETPOS, BYWEEKNO,
# BYYEARDAY, BYHOUR, ...) can make a rule that never occurs, which dateutil
# only finds out by stepping to the year 9999: seconds of waiting.
_RULE_PARTS = ("FREQ", "INTERVAL", "COUNT", "UNTIL", "BYDAY", "BYMONTHDAY", "BYMONTH", "WKST")
_DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _rule_parts(rule: str, raw: str) -> dict[str, str]:
    parts: dict[str, str] = {}
    for part in filter(None, rule.split(";")):
        name, sep, value = part.partition("=")
        if not sep or not value:
            raise ValidationError("repeat", f"can't read {raw!r}; try {REPEAT_HELP}")
        if name in parts:
            # dateutil would take the last FREQ, a calendar maybe the first.
            raise ValidationError("repeat", f"{raw!r} gives {name} twice")
        if name not in _RULE_PARTS:
            raise ValidationError(
                "repeat", f"a follow-up's rule can use {', '.join(_RULE_PARTS)} (not {name})"
            )
        parts[name] = value
    return parts


def _numbers(value: str, raw: str) -> list[int]:
    try:
        return [int(v) for v in value.split(",")]
    except ValueError:
        raise ValidationError("repeat", f"{raw!r} is not a valid RRULE") from None


def _check_rule(rule: str, start: dt.date, raw: str) -> None:
    """Refuse a rule rapport cannot keep: unreadable, too frequent, or never occurring."""
    if "\n" in rule:
        raise ValidationError("repeat", f"can't read {raw!r}; try {REPEAT_HELP}")
    parts = _rule_parts(rule, raw)
    if "FREQ" not in parts:
        raise ValidationError("repeat", f"can't read {raw!r}; try {REPEAT_HELP}")
    if parts["FREQ"] not in _FREQUENCIES:
        raise ValidationError(
            "repeat",
            "a follow-up repeats at most daily (FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY)",
        )
    if not all(1 <= n <= 999 for n in _numbers(parts.get("INTERVAL", "1"), raw)):
        raise ValidationError("repeat", "INTERVAL must be between 1 and 999")
    if not all(n >= 1 for n in _numbers(parts.get("COUNT", "1"), raw)):
        raise ValidationError("repeat", "COUNT must be at least 1")
    if "COUNT" in parts and "UNTIL" in parts:
        # RFC 5545 3.3.10: a rule MUST NOT carry both; calendars may take either end.
        raise ValidationError(
            "repeat", f"{raw!r} ends both after COUNT times and UNTIL a day: give one of them"
        )
    months = _numbers(parts.get("BYMONTH", "1,2,3,4,5,6,7,8,9,10,11,12"), raw)
    month_days = _numbers(parts.get("BYMONTHDAY", "1"), raw)
    longest = max((_DAYS_IN_MONTH[m - 1] for m in months if 1 <= m <= 12), default=0)
    if not any(1 <= abs(d) <= longest for d in month_days):
        raise ValidationError("repeat", f"{raw!r} names days that its months do not have")
    from rapport.recurrence import series_rule, unlisted_reason

    # dateutil would search for an occurrence of a rule that (almost) never
    # matches for seconds; such rules are refused before it is asked.
    reason = unlisted_reason(rule)
    if reason:
        raise ValidationError(
            "repeat", f"rapport cannot repeat by {raw!r} ({reason}); try {REPEAT_HELP}"
        )
    try:
        # series_rule reads UNTIL as a day or a UTC moment, as rapport's repeats do.
        parsed = series_rule(rule, start)
        first = parsed.after(dt.datetime.combine(start, dt.time()), inc=True)
    except (ValueError, TypeError, OverflowError) as exc:
        raise ValidationError("repeat", f"{raw!r} is not a valid RRULE ({exc})") from None
    if first is None:
        raise ValidationError("repeat", f"{raw!r} never occurs on or after {start}")


def _contact(value: Any) -> Contact | None:
    return None if value in (None, "") else resolve_contact(value)


def _interview(value: Any) -> Interview | None:
    return None if value in (None, "") else resolve_interview(value)


def _event(value: Any) -> Event | None:
    return None if value in (None, "") else resolve_event(value)


def _skill(value: Any) -> Skill | None:
    from rapport.services.skills import optional_skill

    return optional_skill(value)


CLEANERS: dict[str, clean.Cleaner] = {
    "title": partial(clean.one_line, field="what", required=True, max_length=500),
    "contact": _contact,
    "interview": _interview,
    "event": _event,
    "notes": partial(clean.free_text, field="notes"),
    "skill": _skill,
}


def _set_due(followup: FollowUp, due: Any, *, own_zone: bool = False) -> None:
    """The due typed in the machine's zone; with ``own_zone`` (a snooze), a time of day
    stays in the zone the follow-up was due in, as it was, zone-less or not."""
    when = clean.when(due, "due")
    timed = followup.due_time is not None
    followup.due_date = when.date
    followup.due_time = when.time
    if not (own_zone and timed and when.time):
        followup.tz = clock.local_zone_name() if when.time else ""


def create_followup(
    title: str,
    *,
    due: Any,
    contact: object = None,
    repeat: str = "",
    notes: str = "",
    interview: object = None,
    event: object = None,
    goals: Sequence[object] = (),
    skill: object = None,
    goals_of_skill: bool = False,
) -> FollowUpRow:
    """Create a follow-up due at ``due`` (a date word, date or datetime).

    ``repeat`` takes the words of :func:`parse_repeat`; ``goals`` are goal
    refs it serves; ``skill`` an existing skill it is about.  With
    ``goals_of_skill`` and no ``goals``, it serves the active goals that need
    the skill (as Review's "ask about a skill" links the goal).  Returns it as
    faces show it.  Raises ValidationError, NotFound, Ambiguous.
    """
    from rapport.services.links import link_goal

    followup = FollowUp(title="")
    clean.apply_changes(
        followup,
        {
            "title": title,
            "contact": contact,
            "notes": notes,
            "interview": interview,
            "event": event,
            "skill": skill,
        },
        CLEANERS,
    )
    _set_due(followup, due)
    followup.rrule = parse_repeat(repeat, start=followup.due_date)
    followup.series_start = followup.due_date if followup.rrule else None
    if goals_of_skill and not goals and followup.skill_id:
        from rapport.services.needs import goals_needing

        goals = goals_needing(followup.skill)
    with database.atomic():
        followup.save(force_insert=True)
        for goal in goals:
            link_goal(goal, follow_up=followup, bump=False)
    return _row(followup)


def _bump(followup: FollowUp) -> None:
    followup.bump()


def update_followup(
    ref: object,
    *,
    due: Any = None,
    repeat: str | None = None,
    expected_updated_at: dt.datetime | None = None,
    **fields: Any,
) -> FollowUpRow:
    """Change a follow-up; any real change raises its SEQUENCE by one.  Returns it
    as faces show it."""
    followup = resolve_followup(ref)
    _update(followup, due=due, repeat=repeat, expected_updated_at=expected_updated_at, **fields)
    return _row(followup)


def _update(
    followup: FollowUp,
    *,
    due: Any = None,
    repeat: str | None = None,
    expected_updated_at: dt.datetime | None = None,
    own_zone: bool = False,
    **fields: Any,
) -> None:
    with database.atomic():
        changed = clean.apply_changes(followup, fields, CLEANERS)
        if due is not None:
            before = (followup.due_date, followup.due_time)
            _set_due(followup, due, own_zone=own_zone)
            if (followup.due_date, followup.due_time) != before:
                changed["due"] = followup.due_date
        if repeat is not None:
            rule = parse_repeat(repeat, start=followup.due_date)
            if rule != followup.rrule:
                followup.rrule = rule
                followup.series_start = followup.due_date if rule else None
                changed["repeat"] = rule
        if changed:
            clean.check_unchanged(followup, expected_updated_at)
            _bump(followup)


def next_occurrence(followup: FollowUp) -> dt.date | None:
    """The date of the occurrence after the current one, or None if the series ends."""
    if not followup.rrule:
        return None
    from rapport.recurrence import series_rule

    # series_rule reads UNTIL as a day or a UTC moment (a phone writes the latter).
    rule = series_rule(followup.rrule, followup.series_start or followup.due_date)
    try:
        following = rule.after(dt.datetime.combine(followup.due_date, dt.time()))
    except ValueError:  # "year 10000 is out of range": no later date there is
        return None
    return following.date() if following else None


def complete_followup(
    ref: object, *, expected_updated_at: dt.datetime | None = None
) -> FollowUpRow:
    """Mark done.  A recurring follow-up moves to its next occurrence instead
    (same UID), and is done only when its series ends.  Returns it as faces show it.

    ``expected_updated_at``: the version the person acted on; Conflict if it
    changed since (done twice from two windows would skip an occurrence).
    """
    followup = resolve_followup(ref)
    clean.check_unchanged(followup, expected_updated_at)
    if not followup.done:
        _complete(followup)
    return _row(followup)


def _complete(followup: FollowUp) -> None:
    from rapport.services import undo

    was = undo.before(followup)
    with database.atomic():
        following = next_occurrence(followup)
        if following is not None:
            followup.due_date = following
        else:
            followup.done = True
            _mark_interview_thanked(followup)
        followup.done_at = clock.utcnow()
        _bump(followup)
        undo.remember("done", followup, was)


def complete_followups(refs: Sequence[object]) -> list[tuple[FollowUpRow, bool]]:
    """Mark several follow-ups done, all or none: every ref is resolved before
    the first is changed.  Returns each (as faces show it) with whether it was
    done already.  Raises NotFound before anything is written."""
    records = [resolve_followup(ref) for ref in refs]
    done = []
    with database.atomic():
        for record in records:
            already = bool(record.done)
            if not already:
                _complete(record)
            done.append((_row(record), already))
    return done


def _mark_interview_thanked(followup: FollowUp) -> None:
    """Closing the follow-up of an interview already held is the thank-you."""
    if followup.interview_id is None:
        return
    (
        Interview.update(thank_you_sent=True, updated_at=clock.utcnow())
        .where(
            (Interview.id == followup.interview_id)
            & (Interview.status == "done")
            & (Interview.thank_you_sent == False)  # noqa: E712 (SQL, not Python)
        )
        .execute()
    )


def reopen_followup(ref: object, *, expected_updated_at: dt.datetime | None = None) -> FollowUpRow:
    """Mark a done follow-up open again; returns it as faces show it."""
    followup = resolve_followup(ref)
    clean.check_unchanged(followup, expected_updated_at)
    if followup.done:
        followup.done = False
        followup.done_at = None
        _bump(followup)
    return _row(followup)


def snooze_until(value: Any) -> dates.When:
    """The day (and maybe time) a follow-up is snoozed ``until``: typed as people say
    it, today or later.  Raises ValidationError (field "until") otherwise."""
    when = clean.when(value, "until")
    if when.date < clock.today():
        raise ValidationError(
            "until",
            f"{when.date:%a %d %b %Y} has passed; snooze moves a follow-up later "
            "(edit its due date to set an earlier one)",
        )
    return when


def snooze_followup(
    ref: object,
    *,
    by: str | None = None,
    until: Any = None,
    expected_updated_at: dt.datetime | None = None,
) -> FollowUpRow:
    """Move a follow-up later: ``by`` a span (+1d, +1w), counted from today when it
    is overdue and from its due date otherwise, or ``until`` a date.  Returns it
    as faces show it."""
    followup = resolve_followup(ref)
    clean.check_unchanged(followup, expected_updated_at)
    if (by is None) == (until is None):
        raise ValidationError("snooze", "give either a span (+1d, +1w) or a date")
    if by is not None:
        base = max(followup.due_date, clock.today())
        new_date = dates.add_span(base, dates.parse_offset(by, field="by"))
        when = dates.When(new_date, followup.due_time)
    else:
        when = snooze_until(until)
        if when.time is None:
            when = dates.When(when.date, followup.due_time)
    from rapport.services import undo

    was = undo.before(followup)
    with database.atomic():
        _update(followup, due=when, own_zone=True)
        if (followup.due_date, followup.due_time) != (was.due_date, was.due_time):
            undo.remember("snooze", followup, was)
    return _row(followup)


def delete_followup(ref: object) -> FollowUpRow:
    """Delete a follow-up; a tombstone remembers it so calendars can cancel it.
    Returns what it was."""
    followup = resolve_followup(ref)
    gone = _row(followup)
    with database.atomic():
        followup.delete_instance()
    return gone


@dataclass(frozen=True)
class FollowUpRow:
    """A follow-up as the faces list, show and act on it: plain values, whom it is
    with and the goals it serves joined; ``updated_at`` lets an action refuse to
    overwrite a change made elsewhere."""

    id: int
    uid: str
    title: str
    due_date: dt.date
    due_time: dt.time | None
    tz: str
    rrule: str
    done: bool
    done_at: dt.datetime | None
    sequence: int
    notes: str
    interview_id: int | None
    event_id: int | None
    updated_at: dt.datetime
    contact: ContactRef | None
    goals: tuple[GoalRef, ...]
    skill: SkillRef | None  # the skill it is about (``--skill``)

    @property
    def contact_id(self) -> int | None:
        return self.contact.id if self.contact else None

    def days_until(self, today: dt.date) -> int:
        return (self.due_date - today).days


# FollowUpRow's own fields, as the follow_up table's fields (``interview_id`` is
# the interview field's column).
_ROW_FIELDS = [
    FollowUp._meta.combined[f.name]
    for f in dataclass_fields(FollowUpRow)
    if f.name not in ("contact", "goals", "skill")
]


def _row(f: FollowUp, goals: Sequence[Goal] | None = None) -> FollowUpRow:
    """``f`` with its contact loaded (joined, or just set); ``goals`` read beside it
    (None: read here)."""
    if goals is None:
        goals = goals_by_followup([f.id]).get(f.id, [])
    contact = f.contact if f.contact_id else None
    return plain(
        FollowUpRow,
        f,
        contact=ContactRef(contact.id, contact.name) if contact else None,
        goals=tuple(GoalRef(g.id, g.title) for g in goals),
        skill=SkillRef(f.skill.id, f.skill.name) if f.skill_id else None,
    )


def followup_row(ref: object) -> FollowUpRow:
    """One follow-up as the lists show it: whom it is with and its goals, joined."""
    return _row(resolve_followup(ref))


@dataclass(frozen=True)
class FollowUpDetail(FollowUpRow):
    """One follow-up as the detail sheet and its form have it: its row, how to
    reach whom it is with, whom the interview it follows was with, the event."""

    email: str
    phone: str
    interview_with: str
    event: EventRef | None


def followup_detail(ref: object) -> FollowUpDetail:
    """A follow-up with its contact's email and phone, its interview and event, joined."""
    f = resolve_followup(ref)
    contact = f.contact if f.contact_id else None
    return FollowUpDetail(
        **vars(_row(f)),
        email=contact.email if contact else "",
        phone=contact.phone if contact else "",
        interview_with=f.interview.contact.name if f.interview_id else "",
        event=EventRef(f.event.id, f.event.name, f.event.start_date) if f.event_id else None,
    )


def goals_by_followup(ids: Sequence[int]) -> dict[int, list[Goal]]:
    result: dict[int, list[Goal]] = defaultdict(list)
    if not ids:
        return result
    from rapport.loading import load_keyed

    wanted = set(ids)
    query = GoalLink.select().join(Goal).order_by(Goal.priority, Goal.title)
    # Thousands of ids make a statement peewee takes longer to write than
    # SQLite to run: the links of every follow-up are few, read them all.
    if len(wanted) > 500:
        query = query.where(GoalLink.follow_up.is_null(False))
    else:
        query = query.where(GoalLink.follow_up.in_(sorted(wanted)))
    for followup_id, goal in load_keyed(query, GoalLink.follow_up, Goal):
        if followup_id in wanted:
            result[followup_id].append(goal)
    return result


def _loaded(query: Any) -> list[tuple[FollowUp, list[Goal]]]:
    from rapport.loading import load_joined

    items = load_joined(query, FollowUp.contact)
    goals = goals_by_followup([f.id for f in items])
    return [(f, goals.get(f.id, [])) for f in items]


def list_followups(
    *,
    status: str = "open",
    contact: object = None,
    goal: object = None,
    since: object = None,
    until: object = None,
) -> list[FollowUpRow]:
    """Follow-ups by due date; ``status`` is open, done or all."""
    from rapport.loading import load_values

    query = followups_query(status=status, contact=contact, goal=goal, since=since, until=until)
    # The row shows whom a follow-up is with by name: the join reads the
    # contact's id and name, not every column of 5,000 contacts (notes and all).
    found = load_values(
        query.join(Contact, JOIN.LEFT_OUTER, on=(FollowUp.contact == Contact.id))
        .switch(FollowUp)
        .join(Skill, JOIN.LEFT_OUTER, on=(FollowUp.skill == Skill.id)),
        [*_ROW_FIELDS, Contact.id, Contact.name, Skill.id, Skill.name],
    )
    goals = goals_by_followup([row[0] for row in found])
    make: Callable[..., FollowUpRow] = FollowUpRow  # the values come in its fields' order
    return [
        make(
            *own,
            None if contact_id is None else ContactRef(contact_id, name),
            tuple(GoalRef(g.id, g.title) for g in goals.get(own[0], ())),
            None if skill_id is None else SkillRef(skill_id, skill),
        )
        for *own, contact_id, name, skill_id, skill in found
    ]


def followup_columns(
    *,
    status: str = "open",
    contact: object = None,
    goal: object = None,
    since: object = None,
    until: object = None,
) -> FollowUpColumns:
    """What :func:`list_followups` lists, in its order, with only the fields a list
    shows: 5,000 open follow-ups read as eight columns, not as FollowUpRows of
    sixteen fields (the uid, notes, stamps and links no list prints)."""
    from rapport.loading import load_columns

    query = followups_query(status=status, contact=contact, goal=goal, since=since, until=until)
    columns = load_columns(
        query.join(Contact, JOIN.LEFT_OUTER, on=(FollowUp.contact == Contact.id))
        .switch(FollowUp)
        .join(Skill, JOIN.LEFT_OUTER, on=(FollowUp.skill == Skill.id)),
        [
            FollowUp.id,
            FollowUp.due_date,
            FollowUp.due_time,
            FollowUp.done,
            FollowUp.title,
            FollowUp.rrule,
            Contact.name,
            Skill.name,
        ],
    )
    *shown, skills = columns
    return FollowUpColumns.read(shown, goal_titles(columns[0]), skills=skills)


def stored_followups(
    *,
    status: str = "open",
    contact: object = None,
    goal: object = None,
    since: object = None,
    until: object = None,
) -> list[tuple[FollowUp, list[Goal]]]:
    """What :func:`list_followups` lists, as the stored follow-ups (contact joined)
    with their goals: for the services that write them out (a calendar)."""
    return _loaded(
        followups_query(status=status, contact=contact, goal=goal, since=since, until=until)
    )


def followups_query(
    *,
    status: str = "open",
    contact: object = None,
    goal: object = None,
    since: object = None,
    until: object = None,
) -> Any:
    """The select of :func:`stored_followups` (follow-ups alone, in its order), for a
    caller that reads other columns of the same follow-ups."""
    from rapport.services.resolve import resolve_goal

    status = clean.choice(status, ("open", "done", "all"), "status")
    query = FollowUp.select().order_by(
        FollowUp.due_date, FollowUp.due_time.is_null(False), FollowUp.due_time, FollowUp.id
    )
    if status != "all":
        query = query.where(FollowUp.done == (status == "done"))
    if contact is not None:
        query = query.where(FollowUp.contact == resolve_contact(contact))
    if goal is not None:
        goal_id = resolve_goal(goal).id
        query = query.where(
            FollowUp.id.in_(GoalLink.select(GoalLink.follow_up).where(GoalLink.goal == goal_id))
        )
    if since is not None:
        query = query.where(FollowUp.due_date >= clean.required_date(since, "from"))
    if until is not None:
        query = query.where(FollowUp.due_date <= clean.required_date(until, "to"))
    return query


def due_followups(days: int = 7, *, today: dt.date | None = None) -> list[FollowUpRow]:
    """Open follow-ups overdue or due within ``days`` days, soonest first."""
    return list_followups(status="open", until=due_until(days, today))
