"""The weekly promise: what the person commits to at a check-in, whether the next week
kept it, and the check-ins themselves, kept to be read again.

A promise is kept when something in the days since it was made obviously
did it: a follow-up closed whose title says the same (most of the
promise's words), or an interaction, a done interview or a closed follow-up
with a person the promise names.  Otherwise it is missed when the person
said so (``--missed N "reason"``), and else still to be asked.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from peewee import JOIN

from rapport import clock
from rapport.errors import NotFound, ValidationError
from rapport.models import (
    Contact,
    FollowUp,
    Interaction,
    InteractionContact,
    Interview,
    Promise,
    SavedCheckIn,
    database,
)
from rapport.services import clean
from rapport.services.resolve import by_id

WEEK = 7
_WORD = re.compile(r"\w+")
# Words that say nothing about what was promised.
_FILLER = {"a", "an", "the", "to", "for", "of", "on", "my", "me", "and", "with", "about", "i"}
SAME_WORDS = 0.6  # the share of a promise's words a follow-up's title must hold


@dataclass(frozen=True)
class PromiseStatus:
    id: int
    text: str
    made_on: dt.date
    state: str  # kept, missed, open (not known: ask)
    evidence: str  # what kept it
    reason: str  # why it was missed


def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(clean.normalized(text)) if w not in _FILLER}


def clean_promises(texts: Sequence[str]) -> list[str]:
    """The promises as they will be stored; ValidationError for an empty one."""
    return [clean.one_line(t, "commit", required=True, max_length=300) for t in texts]


def find_promise(ref: object) -> Promise:
    # by_id, which knows the numbers no row can have (past SQLite's integers).
    try:
        return by_id(Promise, ref, "promise")
    except NotFound:
        raise NotFound(f"no promise {ref!r} (the check-in numbers them)") from None


def _this_weeks_start(today: dt.date) -> dt.date:
    return today - dt.timedelta(days=WEEK - 1)


def _refuse_repeats(texts: Sequence[str], today: dt.date, dropped: Sequence[Promise]) -> None:
    """ValidationError for a promise said twice, in this command or this week (one
    dropped in the same command does not count)."""
    gone = [p.id for p in dropped]
    made = {
        clean.normalized(p.text): p
        for p in Promise.select().where(
            Promise.made_on.between(_this_weeks_start(today), today), Promise.id.not_in(gone)
        )
    }
    said: set[str] = set()
    for text in texts:
        key = clean.normalized(text)
        if key in made:
            first = made[key]
            raise ValidationError(
                "commit",
                f"you already promised “{first.text}” this week (promise {first.id}); "
                f"--drop {first.id} takes a promise back",
            )
        if key in said:
            raise ValidationError("commit", f"“{text}” is promised twice; give it once")
        said.add(key)


def _refuse_unasked(promise: Promise, today: dt.date) -> None:
    """ValidationError for a promise said missed that the check-in does not ask
    about: one of this week (its week is not over) or one from before last week
    (its check-in is past, and the mark would show nowhere)."""
    from rapport.services.review_report import weekday

    made_on: dt.date = promise.made_on
    this_week = _this_weeks_start(today)
    if made_on >= this_week:
        due = made_on + dt.timedelta(days=WEEK)
        raise ValidationError(
            "missed",
            f"promise {promise.id} was made this week ({weekday(made_on)}), so it is too early "
            f"to call it missed: the check-in from {weekday(due)} asks about it "
            f"(--drop {promise.id} takes it back)",
        )
    last_week = this_week - dt.timedelta(days=WEEK)
    if made_on < last_week:
        raise ValidationError(
            "missed",
            f"promise {promise.id} was made on {weekday(made_on)}, before last week: its "
            f"check-in is past; --missed takes a promise made from {weekday(last_week)} "
            f"to {weekday(this_week - dt.timedelta(days=1))}",
        )


def _refuse_history(promise: Promise, today: dt.date) -> None:
    """ValidationError for a promise of an earlier week taken back: whether it was
    kept is on the record (a check-in may have said so), and dropping one still
    asked about would dodge the question."""
    from rapport.services.review_report import weekday

    made_on: dt.date = promise.made_on
    this_week = _this_weeks_start(today)
    if made_on >= this_week:
        return
    asked = made_on >= this_week - dt.timedelta(days=WEEK) and not promise.missed
    raise ValidationError(
        "drop",
        f"promise {promise.id} was made before this week ({weekday(made_on)}): it stays on "
        "the record, and only this week's promises can be taken back"
        + (
            f'; if it did not happen, --missed {promise.id} "what got in the way" says so'
            if asked
            else ""
        ),
    )


def record(
    commits: Sequence[str],
    missed: Sequence[tuple[object, str]],
    *,
    today: dt.date,
    drops: Sequence[object] = (),
) -> tuple[list[Promise], list[Promise]]:
    """Make the promises, mark the missed ones and drop the ones made by mistake, after
    checking all of it; returns the new promises and the dropped ones.  Raises
    ValidationError (an empty text, a promise made twice this week, one said missed
    that the check-in does not ask about, twice, or also dropped, one of an earlier
    week dropped), NotFound (nothing written then)."""
    texts = clean_promises(commits)
    dropped = list({p.id: p for p in (find_promise(ref) for ref in drops)}.values())
    for promise in dropped:
        _refuse_history(promise, today)
    _refuse_repeats(texts, today, dropped)
    misses: dict[int, tuple[Promise, str]] = {}
    for ref, reason in missed:
        why = clean.one_line(reason, "missed", required=True, max_length=300)
        promise = find_promise(ref)
        if promise.id in misses:
            raise ValidationError(
                "missed", f"promise {promise.id} is said missed twice; give it once"
            )
        if any(p.id == promise.id for p in dropped):
            raise ValidationError(
                "missed", f"promise {promise.id} is both missed and dropped; give one of them"
            )
        _refuse_unasked(promise, today)
        misses[promise.id] = (promise, why)
    made = []
    with database.atomic():
        for promise, why in misses.values():
            promise.missed = True
            promise.reason = why
            promise.save()
        for promise in dropped:
            promise.delete_instance()
        for text in texts:
            made.append(Promise.create(made_on=today, text=text))
    return made, dropped


def _done_since(start: dt.date, today: dt.date) -> list[tuple[str, set[str], str]]:
    """What was done from ``start`` to today: (what, names of the people, its words)."""
    done: list[tuple[str, set[str], str]] = []
    rows = (
        Interaction.select(Interaction.date, Interaction.channel, Interaction.summary, Contact.name)
        .join(InteractionContact)
        .join(Contact)
        .where(Interaction.date.between(start, today))
        .tuples()
    )
    for day, channel, summary, name in rows:
        done.append((f"{channel} with {name} on {day:%a} {day.day} {day:%b}", {name}, summary))
    interviews = (
        Interview.select(Interview.scheduled_date, Contact.name)
        .join(Contact)
        .where(Interview.status == "done", Interview.scheduled_date.between(start, today))
        .tuples()
    )
    for day, name in interviews:
        done.append((f"interview with {name} on {day:%a} {day.day} {day:%b}", {name}, ""))
    utc_start = dt.datetime.combine(start, dt.time(), clock.local_zone()).astimezone(dt.UTC)
    closed = (
        FollowUp.select(FollowUp.title, Contact.name)
        .join(Contact, JOIN.LEFT_OUTER)
        .where(FollowUp.done == True, FollowUp.done_at >= utc_start.replace(tzinfo=None))  # noqa: E712
        .tuples()
    )
    for title, name in closed:
        done.append((f"follow-up closed: {title}", {name} if name else set(), title))
    return done


def _kept_by(text: str, done: list[tuple[str, set[str], str]]) -> str:
    wanted = _words(text)
    for what, _, words in done:
        said = _words(words)
        if wanted and said and len(wanted & said) >= SAME_WORDS * len(wanted):
            return what
    for what, names, _ in done:
        for name in names:
            # A person named in the promise by their whole name or their first name.
            parts = clean.normalized(name).split()
            if parts and (clean.normalized(name) in clean.normalized(text) or parts[0] in wanted):
                return what
    return ""


def last_weeks(*, today: dt.date | None = None) -> list[PromiseStatus]:
    """The promises made at the check-ins of the week before this one, kept or not."""
    today = today or clock.today()
    since = today - dt.timedelta(days=WEEK - 1)
    made = list(
        Promise.select()
        .where(
            Promise.made_on.between(since - dt.timedelta(days=WEEK), since - dt.timedelta(days=1))
        )
        .order_by(Promise.id)
    )
    if not made:
        return []
    done = _done_since(min(p.made_on for p in made), today)
    result = []
    for p in made:
        evidence = _kept_by(p.text, done)
        state = "missed" if p.missed else ("kept" if evidence else "open")
        result.append(PromiseStatus(p.id, p.text, p.made_on, state, evidence, p.reason))
    return result


def this_weeks(*, today: dt.date | None = None) -> list[PromiseStatus]:
    """The promises made at this week's check-ins (today's included)."""
    today = today or clock.today()
    made = Promise.select().where(Promise.made_on.between(_this_weeks_start(today), today))
    return [
        # Saying one of this week's missed is refused now; a mark made before shows.
        PromiseStatus(p.id, p.text, p.made_on, "missed" if p.missed else "open", "", p.reason)
        for p in made.order_by(Promise.id)
    ]


def keep_checkin(text: str, *, today: dt.date) -> None:
    """Keep the check-in written today (a later one the same day replaces it)."""
    with database.atomic():
        SavedCheckIn.delete().where(SavedCheckIn.day == today).execute()
        SavedCheckIn.create(day=today, text=text)


def kept_checkin(day: object) -> str:
    """The check-in kept on ``day``.  Raises ValidationError, NotFound (listing the days)."""
    wanted = clean.optional_date(day, "on")
    found = SavedCheckIn.get_or_none(SavedCheckIn.day == wanted)
    if found is None:
        days = [
            str(d)
            for (d,) in SavedCheckIn.select(SavedCheckIn.day).order_by(SavedCheckIn.day).tuples()
        ]
        kept = f"; kept: {', '.join(days[-8:])}" if days else "; none is kept yet"
        raise NotFound(f"no check-in was kept on {wanted}{kept}")
    return str(found.text)


def missed_line(p: PromiseStatus) -> str:
    """``- 3. Send Owen the slides: **missed**: Owen was away``."""
    from rapport.services.review_report import md

    return f"- {p.id}. {md(p.text)}: **missed**" + (f": {md(p.reason)}" if p.reason else "")


def markdown(last: list[PromiseStatus], new: list[PromiseStatus]) -> str:
    """The check-in's ``## Promises`` section; "" when there is no promise to show."""
    from rapport.services.review_report import md

    if not (last or new):
        return ""
    out = ["## Promises", "", "### From last week", ""]
    for p in last:
        if p.state == "kept":
            out.append(f"- {p.id}. {md(p.text)}: **kept** ({md(p.evidence)})")
        elif p.state == "missed":
            out.append(missed_line(p))
        else:
            out.append(
                f"- {p.id}. {md(p.text)}: did it happen? If not: "
                f'`rapport review --week --missed {p.id} "what got in the way"`'
            )
    if not last:
        out.append("- nothing promised")
    out += ["", "### For the coming week", ""]
    out += [missed_line(p) if p.state == "missed" else f"- {p.id}. {md(p.text)}" for p in new] or [
        '- nothing yet: `rapport review --week --commit "..."`'
    ]
    return "\n".join(out) + "\n"


def as_json_data(last: list[PromiseStatus], new: list[PromiseStatus]) -> dict[str, object]:
    def one(p: PromiseStatus) -> dict[str, object]:
        return {
            "id": p.id,
            "text": p.text,
            "made_on": p.made_on.isoformat(),
            "state": p.state,
            "kept_by": p.evidence or None,
            "reason": p.reason or None,
        }

    return {"last_week": [one(p) for p in last], "this_week": [one(p) for p in new]}


@dataclass(frozen=True)
class CheckInText:
    """The check-in as written, and the promises dropped on the way ("3: Ask Ken ...")."""

    text: str
    dropped: tuple[str, ...]


def weekly_checkin_text(
    *,
    as_json: bool = False,
    commits: Sequence[str] = (),
    missed: Sequence[tuple[object, str]] = (),
    drops: Sequence[object] = (),
    deliver: Callable[[str], None] | None = None,
    today: dt.date | None = None,
) -> CheckInText:
    """The weekly check-in (Markdown, or JSON text) with its skills and promises parts.

    Given promises to make, missed ones to mark or ones to drop, it records them
    first and keeps the check-in written, all in one transaction; nothing is
    written when one of them is refused (ValidationError, NotFound), nor when
    ``deliver`` (given the text inside the transaction: writing it to a file)
    raises.
    """
    import json

    from rapport.services import gaps, review, review_report

    today = today or clock.today()
    with database.atomic():
        _, dropped = record(commits, missed, today=today, drops=drops)
        checkin = review.weekly_checkin(today=today)
        skills = gaps.week_skills(today=today)
        last, new = last_weeks(today=today), this_weeks(today=today)
        sections = [gaps.week_markdown(skills), markdown(last, new)]
        text = review_report.checkin_markdown(checkin) + "".join(
            f"\n{section}" for section in sections if section
        )
        if commits or missed or drops:
            keep_checkin(text, today=today)
        if as_json:
            data = review_report.checkin_json(checkin)
            data["skills"] = gaps.week_json(skills)
            data["promises"] = as_json_data(last, new)
            text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
        if deliver is not None:
            deliver(text)
    return CheckInText(text, tuple(f"{p.id}: {p.text}" for p in dropped))
