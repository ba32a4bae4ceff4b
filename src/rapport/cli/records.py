"""``rapport interactions`` (and ``log``), ``rapport interviews`` and ``rapport events``."""

from __future__ import annotations

import datetime as dt
from typing import Any

import click

from rapport import clock
from rapport.cli._shared import (
    RECORD_ID,
    count,
    delete_command,
    edit_command,
    given,
    json_option,
    needs_db,
    options,
    print_json,
    serves_words,
    shell_word,
    show_command,
    table,
)
from rapport.errors import NotFound, ValidationError
from rapport.models import (
    DIRECTIONS,
    EVENT_KINDS,
    EVENT_ROLES,
    EVENT_STATUSES,
    INTERACTION_CHANNELS,
    INTERVIEW_STATUSES,
)
from rapport.services import events as event_service
from rapport.services import interactions as interaction_service
from rapport.services import interviews as interview_service
from rapport.services import serialize
from rapport.services.events import EventDetail, next_dates
from rapport.services.interactions import InteractionRow
from rapport.services.interviews import InterviewDetail
from rapport.words import rule_words


def when_text(day: dt.date | None, time: dt.time | None) -> str:
    """``2026-11-23 09:30``, ``2026-11-23`` or empty."""
    return f"{day or ''} {serialize.clock_time(time) or ''}".strip()


# -- interactions ------------------------------------------------------------


@click.group()
def interactions() -> None:
    """Coffees, calls, emails: every touchpoint."""


@click.command("log")
@click.argument("contacts", nargs=-1, required=True, metavar="CONTACT...")
@click.option(
    "--channel", default="meeting", show_default=True, type=click.Choice(INTERACTION_CHANNELS)
)
@click.option("--date", default="today", show_default=True, metavar="DATE")
@click.option("--gave", metavar="TEXT", help="I helped them: what I gave (the summary).")
@click.option("--asked", metavar="TEXT", help="I asked for help: what I asked (the summary).")
@click.option("--summary", metavar="TEXT", help="What it was about (a mutual exchange).")
@click.option("--direction", type=click.Choice(DIRECTIONS), help="Set the direction explicitly.")
@click.option("--notes", metavar="TEXT")
@click.option(
    "--follow-up", "follow_up", metavar="TEXT", help="Also create a follow-up with these words."
)
@click.option(
    "--due", default="+1w", show_default=True, metavar="DATE", help="When the follow-up is due."
)
@needs_db
def log(
    contacts: tuple[str, ...],
    channel: str,
    date: str,
    gave: str | None,
    asked: str | None,
    summary: str | None,
    direction: str | None,
    notes: str | None,
    follow_up: str | None,
    due: str,
) -> None:
    """Record a coffee, call or email with someone.

    \b
    rapport log "Dana Whitfield" --channel coffee --gave "intro to Priya" --date yesterday
    """
    texts = [t for t in (gave, asked, summary) if t is not None]
    if len(texts) > 1:
        raise ValidationError("summary", "give one of --gave, --asked or --summary")
    if direction is None:
        direction = "gave" if gave is not None else "asked" if asked is not None else "mutual"
    interaction, followup = interaction_service.log_interaction_with_followup(
        list(contacts),
        follow_up=follow_up or "",
        follow_up_due=due,
        date=date,
        channel=channel,
        summary=texts[0] if texts else "",
        notes=notes or "",
        direction=direction,
    )
    click.echo(
        f"Logged interaction #{interaction.id} on {interaction.date} ({channel}, {direction})"
    )
    if interaction.date > clock.today():
        # Allowed (a meeting planned and written down ahead), but worth saying:
        # it counts as being in touch only from that day (see docs/review.md).
        click.echo(f"Note: {interaction.date:%a %d %b} is still to come; it counts from that day")
    if followup is not None:
        click.echo(f"Added follow-up #{followup.id} due {followup.due_date}: {followup.title}")


interactions.add_command(log, "add")


@interactions.command("list")
@click.option("--contact", metavar="CONTACT")
@click.option("--since", metavar="DATE")
@click.option("--until", metavar="DATE")
@click.option("--limit", default=50, show_default=True, type=count())
@json_option
@needs_db
def interactions_list(
    contact: str | None, since: str | None, until: str | None, limit: int, as_json: bool
) -> None:
    """List interactions, newest first."""
    rows = interaction_service.list_interactions(
        contact=contact, since=since, until=until, limit=limit
    )
    if as_json:
        print_json([serialize.interaction(r) for r in rows])
        return
    table(
        ["ID", "DATE", "CHANNEL", "DIRECTION", "WITH", "SUMMARY"],
        [
            (
                r.id,
                r.date,
                r.channel,
                r.direction,
                ", ".join(c.name for c in r.contacts),
                r.summary,
            )
            for r in rows
        ],
        empty='No interactions logged yet. Log one: rapport log "Dana" --channel coffee',
    )


def _interaction_shown(record: InteractionRow) -> list[tuple[str, Any]]:
    return [
        ("Interaction", f"#{record.id}"),
        ("Date", record.date),
        ("Channel", record.channel),
        ("Direction", record.direction),
        ("With", ", ".join(c.name for c in record.contacts)),
        ("Summary", record.summary),
        ("Notes", record.notes),
    ]


show_command(
    interactions,
    "interaction_id",
    metavar="ID",
    help="Show one interaction.",
    load=interaction_service.interaction_row,
    to_json=serialize.interaction,
    lines=_interaction_shown,
)

edit_command(
    interactions,
    "interaction_id",
    click.option("--date", metavar="DATE"),
    click.option("--channel", type=click.Choice(INTERACTION_CHANNELS)),
    click.option("--direction", type=click.Choice(DIRECTIONS)),
    click.option("--summary"),
    click.option("--notes"),
    click.option("--with", "with_", multiple=True, metavar="CONTACT", help="Replace the contacts."),
    metavar="ID",
    help="Change an interaction.",
    update=lambda ref, with_, **changes: interaction_service.update_interaction(
        ref, contacts=list(with_) or None, **changes
    ),
    updated=lambda r: f"interaction #{r.id}",
    apart=("with_",),
)


delete_command(
    interactions,
    "interaction_id",
    metavar="ID",
    help="Delete an interaction.",
    resolve=interaction_service.interaction_row,
    delete=interaction_service.delete_interaction,
    question=lambda r: f"Delete interaction #{r.id} on {r.date} ({r.summary or r.channel})?",
    deleted=lambda r: f"interaction #{r.id}",
)


# -- interviews --------------------------------------------------------------


@click.group()
def interviews() -> None:
    """Informational interviews and their thank-yous."""


@interviews.command("add")
@click.argument("contact")
@click.option(
    "--at",
    "--when",
    "when",
    metavar="WHEN",
    help="When it is (or was): a date, optionally with a time.",
)
@click.option("--questions", metavar="TEXT", help="Questions prepared (one per line).")
@click.option("--notes", metavar="TEXT")
@click.option("--advice", metavar="TEXT")
@click.option("--status", type=click.Choice(INTERVIEW_STATUSES))
@click.option(
    "--goal", "goals", multiple=True, metavar="GOAL", help="A goal it serves (repeatable)."
)
@click.option("--skill", metavar="SKILL", help="The skill it is about (rapport skills list).")
@needs_db
def interviews_add(contact: str, when: str | None, goals: tuple[str, ...], **fields: Any) -> None:
    """Plan an informational interview with CONTACT.

    With --skill and no --goal it serves the active goals that need the skill.
    """
    record = interview_service.create_interview(
        contact, when=when, goals=list(goals), goals_of_skill=True, **given(**fields)
    )
    at = f" on {record.scheduled_date}" if record.scheduled_date else ""
    click.echo(f"Added interview #{record.id} with {record.contact.name}{at}")
    if fields.get("skill") and not goals:
        detail = interview_service.interview_detail(record.id)
        assert detail.skill is not None
        click.echo(serves_words(detail.goals, detail.skill.name, f"interview:{record.id}"))


@interviews.command("list")
@click.option(
    "--status", type=click.Choice(("all", *INTERVIEW_STATUSES)), default="all", show_default=True
)
@click.option("--contact", metavar="CONTACT")
@json_option
@needs_db
def interviews_list(status: str, contact: str | None, as_json: bool) -> None:
    """List interviews: planned ones first, soonest first."""
    rows = interview_service.list_interviews(status=status, contact=contact)
    if as_json:
        print_json([serialize.interview(r) for r in rows])
        return
    table(
        ["ID", "WHEN", "WITH", "STATUS", "THANKED", "ADVICE"],
        [
            (
                r.id,
                when_text(r.scheduled_date, r.scheduled_time),
                r.contact.name,
                r.status,
                "yes" if r.thank_you_sent else "",
                r.advice,
            )
            for r in rows
        ],
        empty='No interviews yet. Plan one: rapport interviews add "Dana" --at "next tue 10am"',
    )


def _interview_shown(record: InterviewDetail) -> list[tuple[str, Any]]:
    return [
        ("Interview", f"#{record.id} with {record.contact.name}"),
        ("When", when_text(record.scheduled_date, record.scheduled_time)),
        ("Status", record.status),
        ("Thank-you sent", "yes" if record.thank_you_sent else "no"),
        ("Goals", ", ".join(goal.title for goal in record.goals)),
        ("Questions", record.questions),
        ("Notes", record.notes),
        ("Advice", record.advice),
        ("Referred me to", ", ".join(p.name for p in record.referrals)),
        ("Skill", record.skill.name if record.skill else ""),
    ]


show_command(
    interviews,
    "interview_id",
    metavar="ID",
    help="Show an interview with its questions, notes, advice and referrals.",
    load=interview_service.interview_detail,
    to_json=serialize.interview_detail,
    lines=_interview_shown,
)

edit_command(
    interviews,
    "interview_id",
    click.option("--at", "--when", "when", metavar="WHEN"),
    click.option("--questions"),
    click.option("--notes"),
    click.option("--advice"),
    click.option("--status", type=click.Choice(INTERVIEW_STATUSES)),
    click.option("--thank-you-sent/--thank-you-not-sent", "thank_you_sent", default=None),
    click.option(
        "--skill", metavar="SKILL", help="The skill it is about (rapport skills list); '' for none."
    ),
    metavar="ID",
    help="Change an interview.",
    update=interview_service.update_interview,
    updated=lambda r: f"interview #{r.id}",
    apart=("when",),
)


@interviews.command("done")
@click.argument("interview_id", metavar="ID", type=RECORD_ID)
@click.option("--notes", metavar="TEXT")
@click.option("--advice", metavar="TEXT")
@click.option(
    "--referral",
    "referrals",
    multiple=True,
    metavar="CONTACT",
    help="Someone they referred you to.",
)
@click.option(
    "--new-referral",
    "new_referrals",
    multiple=True,
    metavar="NAME",
    help="Someone they referred you to who is not a contact yet: added, introduced by them.",
)
@click.option(
    "--on",
    "held_on",
    metavar="DATE",
    help="The day it was held: today or before (default: the day it was planned for).",
)
@click.option("--no-thank-you", is_flag=True, help="Do not create the thank-you follow-up.")
@needs_db
def interviews_done(
    interview_id: str,
    notes: str | None,
    advice: str | None,
    referrals: tuple[str, ...],
    new_referrals: tuple[str, ...],
    held_on: str | None,
    no_thank_you: bool,
) -> None:
    """Mark an interview done; creates a thank-you follow-up due tomorrow.

    An interview planned for a later day is dated today (it was held now),
    unless --on gives the day it was held.
    """
    before = interview_service.interview_row(interview_id)
    was_done, planned = before.status == "done", before.scheduled_date
    if was_done:
        # Done twice is a slip, not an edit: what was kept from the first time stays.
        for field, text in (("notes", notes), ("advice", advice)):
            kept = getattr(before, field)
            if text is not None and kept and text.strip() != kept:
                raise ValidationError(
                    field,
                    f"interview #{before.id} was done already and has {field}; "
                    f"change them with `rapport interviews edit {before.id} --{field} ...`",
                )
    for unknown in interview_service.unknown_contacts(referrals):
        # Being referred to someone new is the usual case: say how to add them.
        raise NotFound(
            f"no contact matches {unknown!r}; someone new? "
            f"--new-referral {shell_word(str(unknown))} adds them, "
            f"introduced by {before.contact.name}"
        )
    from rapport.services.contacts import AlreadyContacts

    try:
        record, followup = interview_service.complete_interview(
            before,
            notes=notes,
            advice=advice,
            thank_you=not no_thank_you,
            held_on=held_on,
            referrals=referrals,
            new_referrals=new_referrals,
        )
    except AlreadyContacts as refused:
        # Here the words can name the option to use instead.
        known = refused.known
        pick = shell_word(known[0].name) if len(known) == 1 else str(known[0].id)
        raise AlreadyContacts(refused.field, known, f"did you mean --referral {pick}?") from None
    if was_done:
        click.echo(f"Interview #{record.id} with {record.contact.name} was already done")
    else:
        moved = ""
        if planned is not None and planned != record.scheduled_date:
            held = "today" if held_on is None else f"{record.scheduled_date:%a %d %b}"
            moved = f" (dated {held}; it was planned for {planned:%a %d %b})"
        click.echo(f"Interview #{record.id} with {record.contact.name} is done{moved}")
    if referrals or new_referrals:
        click.echo("Referred you to " + _referred(record, new_referrals))
    if followup is not None:
        click.echo(f"Added follow-up #{followup.id} due {followup.due_date}: {followup.title}")


def _referred(interview: interview_service.InterviewRow, new_referrals: tuple[str, ...]) -> str:
    """Whom ``interviews done`` referred you to, the people it added said so:
    a new name is nobody's but theirs (a contact's is refused)."""
    from rapport.services.clean import normalized

    people = interview_service.interview_detail(interview.id).referrals
    new = {normalized(" ".join(n.split())) for n in new_referrals}
    return ", ".join(
        f"{p.name} (new contact #{p.id}, introduced by {interview.contact.name})"
        if normalized(p.name) in new
        else p.name
        for p in people
    )


@interviews.command("cancel")
@click.argument("interview_id", metavar="ID", type=RECORD_ID)
@needs_db
def interviews_cancel(interview_id: str) -> None:
    """Mark an interview cancelled."""
    record = interview_service.cancel_interview(interview_id)
    click.echo(f"Interview #{record.id} with {record.contact.name} is cancelled")


@interviews.command("refer")
@click.argument("interview_id", metavar="ID", type=RECORD_ID)
@click.argument("contacts", nargs=-1, required=True, metavar="CONTACT...")
@needs_db
def interviews_refer(interview_id: str, contacts: tuple[str, ...]) -> None:
    """Record the people an interview referred you to."""
    people = interview_service.add_referrals(interview_id, list(contacts))
    number = interview_id.lstrip("#")  # typed as 12 or #12
    click.echo(f"Interview #{number} referred you to " + ", ".join(p.name for p in people))


delete_command(
    interviews,
    "interview_id",
    metavar="ID",
    help="Delete an interview.",
    resolve=interview_service.interview_row,
    delete=interview_service.delete_interview,
    question=lambda r: f"Delete interview #{r.id} with {r.contact.name}?",
    deleted=lambda r: f"interview #{r.id}",
)


# -- events ------------------------------------------------------------------


event_options = options(
    click.option("--end", metavar="WHEN", help="When it ends."),
    click.option("--kind", type=click.Choice(EVENT_KINDS)),
    click.option("--location"),
    click.option("--url", metavar="URL"),
    click.option("--role", "my_role", type=click.Choice(EVENT_ROLES), help="My role there."),
    click.option("--status", type=click.Choice(EVENT_STATUSES)),
    click.option("--notes"),
)


@click.group()
def events() -> None:
    """Conferences, meetups, workshops, webinars, career fairs."""


@events.command("add")
@click.argument("name")
@click.option(
    "--start", required=True, metavar="WHEN", help="When it starts (a date, optionally a time)."
)
@event_options
@click.option("--goal", "goals", multiple=True, metavar="GOAL")
@needs_db
def events_add(name: str, start: str, goals: tuple[str, ...], **fields: Any) -> None:
    """Add an event called NAME."""
    record = event_service.create_event(name, start=start, goals=list(goals), **given(**fields))
    click.echo(f"Added event #{record.id}: {record.name} on {record.start_date}")


@events.command("list")
@click.option(
    "--when", type=click.Choice(("upcoming", "past", "all")), default="all", show_default=True
)
@click.option("--status", type=click.Choice(("all", *EVENT_STATUSES)))
@json_option
@needs_db
def events_list(when: str, status: str | None, as_json: bool) -> None:
    """List events by date."""
    rows = event_service.list_events(when=when, status=status)
    if as_json:
        print_json([serialize.event(r, attendee_count=r.attendee_count) for r in rows])
        return
    table(
        ["ID", "START", "EVENT", "KIND", "STATUS", "MY ROLE", "PEOPLE", "WHERE", "REPEATS"],
        [
            (
                r.id,
                r.start_date,
                r.name,
                r.kind,
                r.status,
                r.my_role,
                r.people_words,
                r.location,
                repeats_next(r.rrule, next_dates(r, count=1), r.start_time),
            )
            for r in rows
        ],
        empty="No events yet. Add one: "
        'rapport events add "PyCon" --start 2027-05-14 --kind conference',
    )


def next_words(moment: dt.datetime, time: dt.time | None) -> str:
    """An occurrence as `events show` and `events list` print it: 2026-12-01 18:00."""
    return f"{moment:%Y-%m-%d}" + (f" {moment:%H:%M}" if time is not None else "")


def repeats_next(rule: str, coming: list[dt.datetime], time: dt.time | None) -> str:
    """A repeating event's rule in words and its next date, for `events list`."""
    if not rule:
        return ""
    after = f", next {next_words(coming[0], time)}" if coming else ", no more dates"
    return rule_words(rule) + after


def _event_shown(record: EventDetail) -> list[tuple[str, Any]]:
    start = f"{record.start_date} {serialize.clock_time(record.start_time) or ''}".strip()
    end = f"{record.end_date or ''} {serialize.clock_time(record.end_time) or ''}".strip()
    return [
        ("Event", f"#{record.id} {record.name}"),
        ("Kind", record.kind),
        ("Starts", start),
        ("Ends", end),
        ("Time zone", record.tz),
        ("Repeats", rule_words(record.rrule)),
        ("Next", ", ".join(next_words(m, record.start_time) for m in record.next_dates)),
        ("Where", record.location),
        ("URL", record.url),
        ("My role", record.my_role),
        ("Status", record.status),
        ("Goals", ", ".join(goal.title for goal in record.goals)),
        (record.attendees_heading, ", ".join(c.name for c in record.attendees)),
        ("Notes", record.notes),
    ]


show_command(
    events,
    "event",
    help="Show an event and whom I met there.",
    load=event_service.event_detail,
    to_json=lambda e: serialize.event(e, attendees=e.attendees, goals=e.goals),
    lines=_event_shown,
)

edit_command(
    events,
    "event",
    click.option("--name"),
    click.option("--start", metavar="WHEN"),
    event_options,
    help="Change an event.",
    update=event_service.update_event,
    updated=lambda r: f"event #{r.id}: {r.name}",
    apart=("start", "end"),
)


@events.command("met")
@click.argument("event")
@click.argument("contacts", nargs=-1, required=True, metavar="CONTACT...")
@needs_db
def events_met(event: str, contacts: tuple[str, ...]) -> None:
    """Record the contacts I met at EVENT."""
    people = event_service.add_attendees(event, list(contacts))
    met_at = event_service.event_row(event).name
    click.echo(f"Met at {met_at}: " + ", ".join(p.name for p in people))


delete_command(
    events,
    "event",
    help="Delete an event.",
    resolve=event_service.event_row,
    delete=event_service.delete_event,
    question=lambda r: f"Delete event #{r.id} {r.name}?",
    deleted=lambda r: f"event #{r.id}: {r.name}",
)
