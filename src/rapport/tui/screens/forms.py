"""The forms for every kind of record, each a FormScreen built from the service's own cleaners.

A form's fields are named after the service's keyword arguments, so its
values go straight to ``create_*``/``update_*``; each field checks what is
typed with the cleaner from that service's ``CLEANERS``, so the words beside
a field are the words the CLI prints.  The ``save`` functions run on the
database thread.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from rapport import clock, dates
from rapport.dates import birthday_text as text_of_birthday
from rapport.errors import ValidationError
from rapport.models import (
    DIRECTIONS,
    EVENT_KINDS,
    EVENT_ROLES,
    EVENT_STATUSES,
    GOAL_HORIZONS,
    GOAL_PRIORITIES,
    GOAL_STATUSES,
    INTERACTION_CHANNELS,
    INTERVIEW_STATUSES,
    LINK_ROLES,
)
from rapport.services import contacts as contact_service
from rapport.services import events as event_service
from rapport.services import followups as followup_service
from rapport.services import goals as goal_service
from rapport.services import interactions as interaction_service
from rapport.services import interviews as interview_service
from rapport.services import links as link_service
from rapport.services import orgs as org_service
from rapport.services.contacts import ContactDetail, ContactRecord
from rapport.services.events import EventRow
from rapport.services.fields import CONTACT_FIELDS, CONTACT_FORM
from rapport.services.followups import FollowUpRow
from rapport.services.goals import GoalPerson, GoalRow
from rapport.services.interactions import InteractionRow
from rapport.services.interviews import InterviewRow
from rapport.services.orgs import OrganizationRow
from rapport.services.refs import ContactRef
from rapport.tui.screens.form import FormScreen
from rapport.tui.text import day
from rapport.tui.widgets.fields import (
    CheckField,
    Choice,
    ChoiceField,
    DateField,
    Field,
    PickerField,
    TextField,
)
from rapport.words import plural, rule_words

if TYPE_CHECKING:
    from rapport.tui.host import RapportHost

R = TypeVar("R")


def _when_text(day: dt.date | None, time: dt.time | None = None) -> str:
    if day is None:
        return ""
    return str(dates.When(day, time))


def _texts(record: Any, cleaners: dict[str, Any]) -> Any:
    """A maker of text fields for ``record``'s attributes, checked by the service's cleaners."""

    def text(name: str, label: str, **kwargs: Any) -> TextField:
        value = getattr(record, name) if record is not None else ""
        return TextField(name, label, value or "", cleaner=cleaners[name], **kwargs)

    return text


class _Saver(Generic[R]):
    """The save of an add/edit form: ``create(values[first], **rest)`` for a new
    record, else ``update(id, **values)`` refusing to overwrite an edit made
    elsewhere since the form opened (Conflict).  Empty ``clear`` fields are
    sent as "" (which removes them; None would leave them as they were)."""

    def __init__(
        self,
        record: Any,
        create: Callable[..., R],
        update: Callable[..., R],
        first: str,
        clear: Sequence[str] = (),
    ) -> None:
        self.record_id = record.id if record is not None else None
        self.stamp = record.updated_at if record is not None else None
        self.create = create
        self.update = update
        self.first = first
        self.clear = clear

    def __call__(self, values: dict[str, Any]) -> R:
        if self.record_id is None:
            return self.as_new(values)
        values = dict(values)
        for name in self.clear:
            values[name] = values[name] or ""
        return self.update(self.record_id, expected_updated_at=self.stamp, **values)

    def as_new(self, values: dict[str, Any]) -> R:
        """Add the record the form describes (also: again, after it was deleted elsewhere)."""
        values = dict(values)
        return self.create(values.pop(self.first), **values)


def _saver(
    record: Any,
    create: Callable[..., R],
    update: Callable[..., R],
    first: str,
    *,
    clear: Sequence[str] = (),
) -> Callable[[dict[str, Any]], R]:
    return _Saver(record, create, update, first, clear)


def _people(
    app: RapportHost,
    label: str,
    title: str,
    chosen: Sequence[Choice] = (),
    *,
    create: bool = False,
    **kwargs: Any,
) -> PickerField:
    """A field for one or more contacts picked from the whole network."""
    return PickerField(
        "contacts",
        label,
        chosen,
        opener=app.opener("contact", title, multiple=True, create=create),
        multiple=True,
        required=True,
        **kwargs,
    )


# -- contacts ------------------------------------------------------------------


def contact_form(
    app: RapportHost, detail: ContactDetail | None = None
) -> FormScreen[ContactRecord]:
    """Add a contact, or edit the one in ``detail``."""
    c = detail.contact if detail else None
    cleaners = contact_service.CLEANERS
    text = _texts(c, cleaners)

    organization = (
        [Choice(c.organization_id, detail.organization)]
        if c is not None and detail and detail.organization
        else []
    )
    introducer = (
        [Choice(detail.introduced_by.id, detail.introduced_by.name)]
        if detail and detail.introduced_by
        else []
    )
    met_at = [Choice(detail.met_at.id, detail.met_at.name)] if detail and detail.met_at else []
    label = {spec.name: spec.label for spec in CONTACT_FIELDS}
    # The fields that are more than a line of text; any other declared field
    # (services/fields.py) is one, labelled as declared.
    special: dict[str, Field] = {
        "organization": PickerField(
            "organization",
            label["organization"],
            organization,
            opener=app.opener("organization", "Organization", create=True),
            value_of=lambda choice: choice.label,
        ),
        "role": text("role", label["role"], placeholder="e.g. Director of Platform"),
        "other_emails": _list_field(
            c, "other_emails", label["other_emails"], "more addresses, between commas"
        ),
        "other_phones": _list_field(
            c, "other_phones", label["other_phones"], "more numbers, between commas"
        ),
        "linkedin_url": text("linkedin_url", label["linkedin_url"], aliases=["linkedin"]),
        "how_met": text("how_met", label["how_met"], aliases=["how met"], multiline=True),
        "introduced_by": PickerField(
            "introduced_by",
            label["introduced_by"],
            introducer,
            opener=app.opener("contact", "Introduced by"),
        ),
        "met_at": PickerField(
            "met_at", label["met_at"], met_at, opener=app.opener("event", "Met at (event)")
        ),
        "tags": TextField(
            "tags",
            label["tags"],
            ", ".join(c.tag_list) if c is not None else "",
            cleaner=cleaners["tags"],
            placeholder="e.g. mentor, platform",
        ),
        "cadence_days": TextField(
            "cadence_days",
            label["cadence_days"],
            str(c.cadence_days) if c is not None and c.cadence_days else "",
            cleaner=cleaners["cadence_days"],
            aliases=["cadence"],
            placeholder="every N days, e.g. 30",
            meaning=lambda days: f"→ every {plural(days, 'day')}" if days else None,
        ),
        "connected_on": DateField(
            "connected_on",
            label["connected_on"],
            c.connected_on.isoformat() if c is not None and c.connected_on else "",
            cleaner=cleaners["connected_on"],
            with_time=False,
        ),
        "birthday": TextField(
            "birthday",
            label["birthday"],
            c.birthday if c is not None else "",
            cleaner=_birthday,
            placeholder="1990-02-14, or --02-14 without the year",
            meaning=lambda value: f"→ {text_of_birthday(value)}" if value else None,
        ),
        "notes": text("notes", label["notes"], multiline=True),
    }
    fields: list[Field] = [
        text("name", "Name", placeholder="full name"),
        *(special.get(name) or text(name, label[name]) for name in CONTACT_FORM),
    ]
    save = _saver(c, contact_service.create_contact, contact_service.update_contact, "name")
    return FormScreen(f"Edit {c.name}" if c is not None else "New contact", fields, save)


# -- interactions ----------------------------------------------------------------

FIRST_CHANNEL = "coffee"  # what a new log offers
# What each channel logs, as the log form's title says it.
CHANNEL_NOUNS = {
    "email": "email",
    "call": "call",
    "video": "video call",
    "coffee": "coffee",
    "meeting": "meeting",
    "message": "message",
    "event": "talk at an event",
}


def log_title(channel: str, people: Sequence[Choice]) -> str:
    """``Log a coffee with Dana Whitfield``: what the log form records, and with whom."""
    noun = CHANNEL_NOUNS.get(channel, "interaction")
    names = ", ".join(p.label for p in people)
    article = "an" if noun[0] in "aeiou" else "a"
    return f"Log {article} {noun}" + (f" with {names}" if names else "")


def log_form(
    app: RapportHost, people: Sequence[Choice], interaction: InteractionRow | None = None
) -> FormScreen[InteractionRow]:
    """Log a touchpoint with ``people`` (more can be picked), maybe with a follow-up;
    or, given ``interaction``, change it."""
    cleaners = interaction_service.CLEANERS
    i = interaction
    fields: list[Field] = [
        _people(app, "With", "Who was it with?", people),
        ChoiceField("channel", "Channel", INTERACTION_CHANNELS, i.channel if i else FIRST_CHANNEL),
        DateField(
            "date",
            "Date",
            i.date.isoformat() if i else "today",
            cleaner=cleaners["date"],
            required=True,
            meaning=_still_to_come,
        ),
        TextField(
            "summary",
            "Summary",
            i.summary if i else "",
            cleaner=cleaners["summary"],
            placeholder="what it was about",
        ),
        ChoiceField(
            "direction",
            "Direction",
            DIRECTIONS,
            i.direction if i else "mutual",
            hint="I gave help, I asked for help, or mutual",
        ),
        TextField(
            "notes", "Notes", i.notes if i else "", cleaner=cleaners["notes"], multiline=True
        ),
    ]
    if i is not None:
        save = _saver(
            i,
            interaction_service.log_interaction,
            interaction_service.update_interaction,
            "contacts",
        )
        noun = CHANNEL_NOUNS.get(i.channel, "interaction")
        return FormScreen(f"Edit the {noun} of {day(i.date)}", fields, save)
    fields += [
        TextField(
            "follow_up",
            "Follow-up",
            cleaner=_optional_title,
            placeholder="optional: what to do next",
        ),
        DateField("follow_up_due", "Follow-up due", "+1w", aliases=["due"]),
    ]

    def save_new(values: dict[str, Any]) -> InteractionRow:
        interaction, _ = interaction_service.log_interaction_with_followup(
            values.pop("contacts"),
            follow_up=values.pop("follow_up"),
            follow_up_due=values.pop("follow_up_due") or "+1w",
            **values,
        )
        return interaction

    def retitle(form: FormScreen[InteractionRow]) -> str:
        channel, chosen = form.field("channel"), form.field("contacts")
        assert channel is not None and chosen is not None
        return log_title(channel.raw, chosen.raw)

    return FormScreen(log_title(FIRST_CHANNEL, people), fields, save_new, retitle=retitle)


def organization_form(org: OrganizationRow | None = None) -> FormScreen[OrganizationRow]:
    """Add an organization, or change one: its name (for everyone in it), industry,
    website, notes."""
    text = _texts(org, org_service.CLEANERS)
    fields: list[Field] = [
        text("name", "Name"),
        text("industry", "Industry"),
        text("website", "Website", aliases=["url"]),
        text("notes", "Notes", multiline=True),
    ]
    save = _saver(org, org_service.create_organization, org_service.update_organization, "name")
    return FormScreen(f"Edit {org.name}" if org else "New organization", fields, save)


def _list_field(contact: ContactRecord | None, name: str, label: str, example: str) -> TextField:
    """More emails or phones on one line, between commas (stored one per line)."""
    stored = getattr(contact, name) if contact is not None else ""
    cleaner = contact_service.CLEANERS[name]
    return TextField(
        name,
        label,
        ", ".join(stored.splitlines()),
        cleaner=lambda text: cleaner(re.split(r"\s*[,;]\s*", text.strip())),
        placeholder=example,
        meaning=lambda kept: f"→ {len(kept.splitlines())} more" if kept else None,
    )


def _birthday(value: str) -> str:
    """A birthday stored as ``1990-02-14`` or ``--0214`` (the form the importers write)."""
    # The importers' reader: the same dates a vCard or spreadsheet holds are accepted.
    from rapport.dates import parse_birthday

    return parse_birthday(value)


def _still_to_come(day: dt.date) -> str | None:
    """Said beside a log's date after today (as ``rapport log`` notes it): allowed,
    a meeting written down ahead, but it counts as being in touch only from then."""
    return "still to come; it counts from that day" if day > clock.today() else None


def _optional_title(value: str) -> str:
    """A follow-up's words, or empty for no follow-up."""
    from rapport.services import clean

    return clean.one_line(value, "follow-up", max_length=500)


# -- goals --------------------------------------------------------------------------


def goal_form(
    app: RapportHost, goal: GoalRow | None = None, parent: Choice | None = None
) -> FormScreen[GoalRow]:
    cleaners = goal_service.CLEANERS
    g = goal
    text = _texts(g, cleaners)

    parent_choice = [parent] if parent else []
    fields: list[Field] = [
        text("title", "Title", placeholder="e.g. Lead a platform team by 2027"),
        text("why", "Why", multiline=True),
        ChoiceField(
            "horizon",
            "Horizon",
            GOAL_HORIZONS,
            g.horizon if g else "short",
            hint="short: 1–2 years, long: 3–5",
        ),
        text("specific", "Specific", multiline=True),
        text("measure", "Measure", multiline=True),
        DateField(
            "target_date",
            "Target date",
            g.target_date.isoformat() if g is not None and g.target_date else "",
            cleaner=cleaners["target_date"],
            with_time=False,
            aliases=["target"],
        ),
        ChoiceField("status", "Status", GOAL_STATUSES, g.status if g else "active"),
        ChoiceField(
            "priority",
            "Priority",
            list(GOAL_PRIORITIES.values()),
            GOAL_PRIORITIES.get(g.priority, "normal") if g else "normal",
        ),
        PickerField(
            "parent", "Step of", parent_choice, opener=app.opener("goal", "Step of which goal?")
        ),
    ]
    save = _saver(g, goal_service.create_goal, goal_service.update_goal, "title")
    return FormScreen(f"Edit goal: {g.title}" if g else "New goal", fields, save)


def link_contacts_form(app: RapportHost, goal_id: int, title: str) -> FormScreen[list[GoalPerson]]:
    """From a goal: link contacts to it, with their role and a note."""
    fields: list[Field] = [
        _people(app, "Contacts", f"Who serves “{title}”?"),
        ChoiceField("role", "Role", LINK_ROLES, "", allow_blank=True),
        TextField("note", "Note", placeholder="optional"),
    ]

    def save(values: dict[str, Any]) -> list[GoalPerson]:
        return link_service.link_contacts_to_goal(
            goal_id, values["contacts"], role=values["role"], note=values["note"]
        )

    return FormScreen(f"Link contacts to “{title}”", fields, save)


# -- interviews -----------------------------------------------------------------------


def interview_form(
    app: RapportHost, interview: InterviewRow | None = None, contact: Choice | None = None
) -> FormScreen[InterviewRow]:
    cleaners = interview_service.CLEANERS
    iv = interview
    person = [contact] if contact else []
    text = _texts(iv, cleaners)

    fields: list[Field] = [
        PickerField(
            "contact", "With", person, opener=app.opener("contact", "Interview with"), required=True
        ),
        DateField(
            "when",
            "When",
            _when_text(iv.scheduled_date, iv.scheduled_time) if iv is not None else "",
        ),
        ChoiceField("status", "Status", INTERVIEW_STATUSES, iv.status if iv else "planned"),
        text("questions", "Questions", multiline=True),
        text("notes", "Notes", multiline=True),
        text("advice", "Advice", multiline=True),
    ]
    save = _saver(
        iv,
        interview_service.create_interview,
        interview_service.update_interview,
        "contact",
        clear=["when"],
    )
    return FormScreen("Edit interview" if iv else "Plan an informational interview", fields, save)


def complete_interview_form(
    interview: InterviewRow, contact_name: str
) -> FormScreen[tuple[InterviewRow, FollowUpRow | None]]:
    """Mark an interview done: notes and advice, and the thank-you follow-up offered."""
    cleaners = interview_service.CLEANERS
    fields: list[Field] = [
        TextField("notes", "Notes", interview.notes, cleaner=cleaners["notes"], multiline=True),
        TextField("advice", "Advice", interview.advice, cleaner=cleaners["advice"], multiline=True),
        # The day it was planned for, unless the person says otherwise; one
        # planned for later was held early, today (it cannot be held ahead).
        DateField(
            "held_on",
            "Held on",
            _when_text(min(interview.scheduled_date or clock.today(), clock.today())),
            required=True,
            with_time=False,
            cleaner=interview_service.held_on_day,
        ),
        CheckField(
            "thank_you",
            "Thank-you",
            not interview.thank_you_sent and interview.status != "done",
            says="create a follow-up to thank them, due tomorrow",
        ),
    ]
    interview_id, stamp = interview.id, interview.updated_at

    def save(values: dict[str, Any]) -> tuple[InterviewRow, FollowUpRow | None]:
        return interview_service.complete_interview(
            interview_id, expected_updated_at=stamp, **values
        )

    return FormScreen(f"Interview with {contact_name}: done", fields, save)


def referrals_form(
    app: RapportHost, interview_id: int, contact_name: str
) -> FormScreen[list[ContactRef]]:
    return _people_or_new(
        app,
        "Referred to",
        "Who did they refer you to?",
        partial(interview_service.refer_contacts, interview_id),
        f"Referrals from {contact_name}",
        f"New people are added as contacts introduced by {contact_name}.",
    )


def _people_or_new(
    app: RapportHost,
    label: str,
    question: str,
    record: Callable[..., list[ContactRef]],
    title: str,
    note: str,
) -> FormScreen[list[ContactRef]]:
    """Pick contacts, or type new names that become contacts: ``record(existing,
    new_names=...)`` saves both at once (referrals, people met at an event)."""
    fields: list[Field] = [
        _people(
            app, label, question, create=True, hint="pick contacts, or type a new name to add them"
        )
    ]

    def save(values: dict[str, Any]) -> list[ContactRef]:
        existing = [v for v in values["contacts"] if isinstance(v, int)]
        new = [v for v in values["contacts"] if isinstance(v, str)]
        return record(existing, new_names=new)

    return FormScreen(title, fields, save, note=note)


# -- events -------------------------------------------------------------------------------


def event_form(app: RapportHost, event: EventRow | None = None) -> FormScreen[EventRow]:
    cleaners = event_service.CLEANERS
    ev = event
    text = _texts(ev, cleaners)

    fields: list[Field] = [
        text("name", "Name", placeholder="e.g. PyCon US"),
        ChoiceField("kind", "Kind", EVENT_KINDS, ev.kind if ev else "meetup"),
        DateField(
            "start",
            "Starts",
            _when_text(ev.start_date, ev.start_time) if ev is not None else "",
            required=True,
        ),
        DateField(
            "end",
            "Ends",
            _when_text(ev.end_date, ev.end_time) if ev is not None else "",
            time_alone="on the day it starts",
        ),
        text("location", "Location"),
        text("url", "Web address"),
        ChoiceField(
            "my_role", "My role", EVENT_ROLES, ev.my_role if ev else "attendee", aliases=["role"]
        ),
        ChoiceField("status", "Status", EVENT_STATUSES, ev.status if ev else "considering"),
        text("notes", "Notes", multiline=True),
    ]
    save = _saver(ev, event_service.create_event, event_service.update_event, "name", clear=["end"])
    return FormScreen(f"Edit event: {ev.name}" if ev else "New event", fields, save)


def attendees_form(app: RapportHost, event_id: int, name: str) -> FormScreen[list[ContactRef]]:
    return _people_or_new(
        app,
        "Met",
        f"Whom did you meet at {name}?",
        partial(contact_service.meet_at_event, event_id),
        f"People met at {name}",
        f"New people are added as contacts first met at {name}.",
    )


# -- follow-ups -----------------------------------------------------------------------------


def typed_repeat(rule: str, due: dt.date) -> str:
    """A stored rule as the person would type it ("every 2 weeks"), when those
    words read back as the very same rule; else the rule as stored."""
    words = rule_words(rule)
    try:
        same = words != rule and followup_service.parse_repeat(words, start=due) == rule
    except ValidationError:
        same = False
    return words if same else rule


def followup_form(
    app: RapportHost,
    followup: FollowUpRow | None = None,
    contact: Choice | None = None,
    event: Choice | None = None,
    interview: Choice | None = None,
) -> FormScreen[FollowUpRow]:
    cleaners = followup_service.CLEANERS
    fu = followup

    def repeat(text: str) -> str:
        return followup_service.parse_repeat(text)

    fields: list[Field] = [
        TextField(
            "title",
            "What",
            fu.title if fu else "",
            cleaner=cleaners["title"],
            aliases=["what"],
            placeholder="e.g. Send Dana the strategy draft",
        ),
        DateField(
            "due",
            "Due",
            _when_text(fu.due_date, fu.due_time) if fu else "+1w",
            required=True,
        ),
        PickerField(
            "contact",
            "Contact",
            [contact] if contact else [],
            opener=app.opener("contact", "Follow up with"),
        ),
        TextField(
            "repeat",
            "Repeat",
            typed_repeat(fu.rrule, fu.due_date) if fu else "",
            cleaner=repeat,
            placeholder="optional: weekly, monthly, every 2 weeks",
        ),
        PickerField(
            "event",
            "Event",
            [event] if event else [],
            opener=app.opener("event", "About which event?"),
        ),
        PickerField(
            "interview",
            "Interview",
            [interview] if interview else [],
            opener=app.opener("interview", "About which interview?"),
        ),
    ]
    if fu is None:
        # A new follow-up's goals; a stored one's are changed with g on the list.
        fields.append(
            PickerField(
                "goals",
                "Goals",
                [],
                opener=app.opener("goal", "Which goals does it serve?", multiple=True),
                multiple=True,
            )
        )
    fields.append(
        TextField(
            "notes", "Notes", fu.notes if fu else "", cleaner=cleaners["notes"], multiline=True
        )
    )
    save = _saver(
        fu,
        followup_service.create_followup,
        followup_service.update_followup,
        "title",
        clear=["contact", "event", "interview"],
    )
    return FormScreen("Edit follow-up" if fu else "New follow-up", fields, save, focus="title")
