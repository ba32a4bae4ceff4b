"""The schema in code: peewee models bound to one database proxy.

The tables themselves are created and changed only by the scripts in
``migrations/``; a test checks that these models and a freshly migrated
database agree.  Stored conventions:

* user-facing dates (due dates, interaction dates, target dates) are local
  calendar dates; times of day are wall-clock times in the record's ``tz``
  (an IANA zone name, empty for "floating" local time);
* ``created_at``/``updated_at``/``done_at`` are naive UTC datetimes;
* tags are stored as one comma-separated, lower-case string.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from peewee import (
    AutoField,
    BooleanField,
    Check,
    DatabaseProxy,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
    TimeField,
)

from rapport import clock

# Re-exported: the modules that use the models read them here.
from rapport.choices import DIRECTIONS as DIRECTIONS
from rapport.choices import GOAL_PRIORITIES as GOAL_PRIORITIES
from rapport.choices import LINK_ROLES as LINK_ROLES
from rapport.errors import Conflict

database = DatabaseProxy()


def _utcnow() -> dt.datetime:
    # Looked up at call time, so a test that freezes the clock freezes this too.
    return clock.utcnow()


def new_uid() -> str:
    """A UID for iCalendar that stays with a follow-up for its whole life."""
    return f"{uuid.uuid4()}@rapport"


class BaseModel(Model):
    id = AutoField()

    class Meta:
        database = database
        legacy_table_names = False
        # A save writes only the fields it changed, so two people editing
        # different fields of one record at once both keep their edit.
        only_save_dirty = True

    def save(self, *args: Any, **kwargs: Any) -> int:
        """Insert or update; Conflict if the row to update was deleted elsewhere."""
        updating = self._pk is not None and not kwargs.get("force_insert")
        rows: int = super().save(*args, **kwargs)
        # peewee answers False when nothing changed and 0 when no row matched.
        if updating and rows == 0 and rows is not False:
            kind = type(self).__name__.lower()
            raise Conflict(f"{kind} {self._pk} was deleted elsewhere; this change was not saved")
        return rows


class Timestamped(BaseModel):
    """A record a person edits: ``updated_at`` detects edits made elsewhere."""

    created_at = DateTimeField(default=_utcnow)
    updated_at = DateTimeField(default=_utcnow)

    def save(self, *args: Any, **kwargs: Any) -> int:
        if self._pk is not None and not kwargs.get("force_insert"):
            # Always later than the value it replaces, even when the clock is
            # coarse, frozen or was set back: an edit must never look unchanged.
            previous = self.updated_at
            now = _utcnow()
            if isinstance(previous, dt.datetime) and now <= previous:
                now = previous + dt.timedelta(microseconds=1)
            self.updated_at = now
        return super().save(*args, **kwargs)


GOAL_HORIZONS = ("short", "long")
GOAL_STATUSES = ("active", "achieved", "paused", "dropped")


class Goal(Timestamped):
    title = TextField()
    why = TextField(default="")
    horizon = TextField(default="short")
    specific = TextField(default="")
    measure = TextField(default="")
    target_date = DateField(null=True)
    status = TextField(default="active")
    priority = IntegerField(default=2)
    parent = ForeignKeyField("self", null=True, backref="steps", on_delete="SET NULL")


class Organization(Timestamped):
    name = TextField(unique=True, collation="NOCASE")
    industry = TextField(default="")
    website = TextField(default="")
    notes = TextField(default="")


EVENT_KINDS = ("conference", "workshop", "meetup", "webinar", "career-fair", "other")
EVENT_ROLES = ("attendee", "speaker", "volunteer", "organizer")
EVENT_STATUSES = ("considering", "registered", "attended", "skipped")


class Event(Timestamped):
    name = TextField()
    kind = TextField(default="meetup")
    start_date = DateField(index=True)
    start_time = TimeField(null=True)
    end_date = DateField(null=True)
    end_time = TimeField(null=True)
    tz = TextField(default="")
    location = TextField(default="")
    url = TextField(default="")
    my_role = TextField(default="attendee")
    status = TextField(default="considering")
    notes = TextField(default="")
    # Events imported from a calendar keep its UID, so re-imports update them.
    ics_uid = TextField(null=True, unique=True)
    ics_sequence = IntegerField(default=0)
    rrule = TextField(default="")
    exdates = TextField(default="")


class Contact(Timestamped):
    name = TextField(index=True)
    organization = ForeignKeyField(
        Organization, null=True, backref="contacts", on_delete="SET NULL"
    )
    role = TextField(default="")
    email = TextField(default="", index=True)
    phone = TextField(default="")
    linkedin_url = TextField(default="", index=True)
    location = TextField(default="")
    how_met = TextField(default="")
    introduced_by = ForeignKeyField("self", null=True, backref="introduced", on_delete="SET NULL")
    met_at = ForeignKeyField(Event, null=True, backref="first_met", on_delete="SET NULL")
    tags = TextField(default="")
    notes = TextField(default="")
    cadence_days = IntegerField(null=True)
    archived = BooleanField(default=False)
    connected_on = DateField(null=True)
    birthday = TextField(default="")
    other_emails = TextField(default="")
    other_phones = TextField(default="")
    # As the source gave them (vCard N, LinkedIn's columns); empty: guessed from name.
    given_name = TextField(default="")
    family_name = TextField(default="")
    vcard_uid = TextField(default="")  # an imported card's UID, written again on export

    @property
    def tag_list(self) -> list[str]:
        return [t for t in self.tags.split(",") if t]


INTERACTION_CHANNELS = ("email", "call", "video", "coffee", "meeting", "message", "event")


class Interaction(Timestamped):
    date = DateField(index=True)
    channel = TextField(default="meeting")
    summary = TextField(default="")
    notes = TextField(default="")
    direction = TextField(default="mutual")


class InteractionContact(BaseModel):
    interaction = ForeignKeyField(Interaction, backref="participants", on_delete="CASCADE")
    # Indexed by the (contact, interaction) pair below.
    contact = ForeignKeyField(
        Contact, backref="interaction_links", on_delete="CASCADE", index=False
    )
    # The interaction's date and direction, copied here by triggers (migrations
    # 0006 and 0008) so "last contacted" and the review read one narrow index
    # instead of every interaction; never set them from code.  Each contact's
    # number of them per direction is kept in exchange_count by triggers too
    # (migration 0015), a table with no model: the review reads it by key; and
    # each contact's latest date in contact_touch (0016), for the contact list.
    date = DateField(null=True)
    direction = TextField(null=True)

    class Meta:
        indexes = (
            (("contact", "interaction"), True),
            (("contact", "date", "direction", "interaction"), False),
            (("date", "contact", "interaction"), False),
        )


INTERVIEW_STATUSES = ("planned", "done", "cancelled")


class Interview(Timestamped):
    contact = ForeignKeyField(Contact, backref="interviews", on_delete="CASCADE")
    scheduled_date = DateField(null=True, index=True)
    scheduled_time = TimeField(null=True)
    tz = TextField(default="")
    status = TextField(default="planned")
    questions = TextField(default="")
    notes = TextField(default="")
    advice = TextField(default="")
    thank_you_sent = BooleanField(default=False)


class InterviewReferral(BaseModel):
    interview = ForeignKeyField(Interview, backref="referrals", on_delete="CASCADE", index=False)
    contact = ForeignKeyField(Contact, backref="referred_by", on_delete="CASCADE")

    class Meta:
        indexes = ((("interview", "contact"), True),)


class EventAttendee(BaseModel):
    event = ForeignKeyField(Event, backref="attendees", on_delete="CASCADE", index=False)
    contact = ForeignKeyField(Contact, backref="events_met", on_delete="CASCADE")

    class Meta:
        indexes = ((("event", "contact"), True),)


class FollowUp(Timestamped):
    title = TextField()
    contact = ForeignKeyField(Contact, null=True, backref="followups", on_delete="CASCADE")
    interview = ForeignKeyField(Interview, null=True, backref="followups", on_delete="SET NULL")
    event = ForeignKeyField(Event, null=True, backref="followups", on_delete="SET NULL")
    due_date = DateField()
    due_time = TimeField(null=True)
    tz = TextField(default="")
    rrule = TextField(default="")
    # The first occurrence of a recurring series; COUNT and UNTIL count from it.
    series_start = DateField(null=True)
    notes = TextField(default="")
    done = BooleanField(default=False)
    done_at = DateTimeField(null=True)
    uid = TextField(unique=True, default=new_uid)
    sequence = IntegerField(default=0)

    class Meta:
        table_name = "follow_up"
        indexes = ((("done", "due_date"), False),)

    def bump(self) -> None:
        """Raise SEQUENCE by one and save, past what is stored even if another
        process raised it since this record was read: calendars ignore an
        update whose SEQUENCE is not higher than the last one they saw."""
        with database.atomic():
            stored = FollowUp.select(FollowUp.sequence).where(FollowUp.id == self.id).scalar()
            self.sequence = max(self.sequence, stored or 0) + 1
            self.save()


class FollowUpTombstone(BaseModel):
    """A deleted follow-up, remembered so a calendar export can cancel it.

    Rows are written by a database trigger, so cascaded deletes are caught too.
    """

    uid = TextField(unique=True)
    title = TextField()
    due_date = DateField()
    due_time = TimeField(null=True)
    tz = TextField(default="")
    sequence = IntegerField()
    deleted_at = DateTimeField()

    class Meta:
        table_name = "follow_up_tombstone"


class FollowUpUndo(BaseModel):
    """How a follow-up was before a done or a snooze, so the last one can be undone.

    Not the person's data (no export carries it): the app's u and
    ``rapport followups undo`` read the newest row and put the follow-up back.
    """

    follow_up = ForeignKeyField(FollowUp, backref="undos", on_delete="CASCADE")
    action = TextField()  # "done" or "snooze"
    due_date = DateField()
    due_time = TimeField(null=True)
    done = BooleanField()
    done_at = DateTimeField(null=True)
    # The done marked the follow-up's interview thanked: undo takes that back too.
    thanked = BooleanField(default=False)
    # The follow-up's updated_at after the action: a change since refuses the undo.
    stamp = DateTimeField()

    class Meta:
        table_name = "follow_up_undo"


class SyncState(BaseModel):
    """Per vdir and UID, the file and both sides' fields as they were at the last sync.

    See migrations/0012_sync_state.py; kept out of ALL_MODELS (and so out of
    ``export json``): it describes folders of this machine, not the network.
    """

    vdir = TextField()
    uid = TextField()
    kind = TextField()  # "todo", "event", "contact"; "folder": the folder's mark (no UID)
    record_id = IntegerField(null=True)  # the contact a card is, when not found by UID
    href = TextField()
    hash = TextField()
    sequence = IntegerField(default=0)
    rapport_sequence = IntegerField(default=0)
    ours = TextField(default="{}")
    theirs = TextField(default="{}")
    gone_at = DateTimeField(null=True)
    synced_at = DateTimeField(default=_utcnow)

    class Meta:
        table_name = "sync_state"
        indexes = ((("vdir", "uid"), True),)


class GoalLink(BaseModel):
    """One goal served by exactly one contact, interview, event or follow-up.

    Each target column is indexed by a partial unique index (migration 0001),
    so the same thing is linked to the same goal at most once.
    """

    goal = ForeignKeyField(Goal, backref="links", on_delete="CASCADE")
    contact = ForeignKeyField(
        Contact, null=True, backref="goal_links", on_delete="CASCADE", index=False
    )
    interview = ForeignKeyField(
        Interview, null=True, backref="goal_links", on_delete="CASCADE", index=False
    )
    event = ForeignKeyField(
        Event, null=True, backref="goal_links", on_delete="CASCADE", index=False
    )
    follow_up = ForeignKeyField(
        FollowUp, null=True, backref="goal_links", on_delete="CASCADE", index=False
    )
    role = TextField(default="")
    note = TextField(default="")
    created_at = DateTimeField(default=_utcnow)

    class Meta:
        table_name = "goal_link"
        constraints = (
            Check(
                "(contact_id IS NOT NULL) + (interview_id IS NOT NULL)"
                " + (event_id IS NOT NULL) + (follow_up_id IS NOT NULL) = 1"
            ),
        )


# Partial indexes that peewee's model declarations cannot express.
PARTIAL_INDEXES = (
    "goal_link_contact",
    "goal_link_interview",
    "goal_link_event",
    "goal_link_follow_up",
    "contact_cadence_list",  # the contacts with a cadence, for going cold (0014)
)

# What rapport keeps for itself beside the person's data (undo, sync state):
# migrated like the rest, never exported.
STATE_MODELS: list[type[BaseModel]] = [FollowUpUndo, SyncState]

ALL_MODELS: list[type[BaseModel]] = [
    Goal,
    Organization,
    Event,
    Contact,
    Interaction,
    InteractionContact,
    Interview,
    InterviewReferral,
    EventAttendee,
    FollowUp,
    FollowUpTombstone,
    GoalLink,
]


# The self-assessment (migration 0010): skills rated on a named five-step scale.
SKILL_LEVELS = {1: "aware", 2: "learning", 3: "practised", 4: "strong", 5: "expert"}
TRAIT_KINDS = ("strength", "interest", "value")


class Skill(Timestamped):
    """A skill, one per name whatever its case; ``aliases`` keeps the names of
    skills merged into it (comma-separated), so those names still find it."""

    name = TextField(unique=True, collation="NOCASE")
    aliases = TextField(default="")
    notes = TextField(default="")

    @property
    def alias_list(self) -> list[str]:
        return [a for a in self.aliases.split(",") if a]


class SkillRating(BaseModel):
    """One dated self-rating: the current level is the latest of them."""

    skill = ForeignKeyField(Skill, backref="ratings", on_delete="CASCADE", index=False)
    level = IntegerField()
    date = DateField()
    note = TextField(default="")
    created_at = DateTimeField(default=_utcnow)

    class Meta:
        table_name = "skill_rating"
        indexes = ((("skill", "date"), False),)


class Trait(Timestamped):
    """A strength, an interest or a value: a short phrase with an optional note."""

    kind = TextField()
    phrase = TextField(collation="NOCASE")
    note = TextField(default="")

    class Meta:
        indexes = ((("kind", "phrase"), True),)


class GoalNeed(BaseModel):
    """A goal (or a step) needs a skill at a target level."""

    goal = ForeignKeyField(Goal, backref="needs", on_delete="CASCADE", index=False)
    skill = ForeignKeyField(Skill, backref="needed_by", on_delete="CASCADE")
    level = IntegerField()
    created_at = DateTimeField(default=_utcnow)

    class Meta:
        table_name = "goal_need"
        indexes = ((("goal", "skill"), True),)


class Expertise(Timestamped):
    """A contact has a skill, at a level when known; ``confirmed`` when the person
    said so (rows filled from an imported column are not, until confirmed)."""

    contact = ForeignKeyField(Contact, backref="expertise", on_delete="CASCADE", index=False)
    skill = ForeignKeyField(Skill, backref="experts", on_delete="CASCADE")
    level = IntegerField(null=True)
    note = TextField(default="")
    confirmed = BooleanField(default=True)

    class Meta:
        indexes = ((("contact", "skill"), True),)


# A follow-up or an interview can name the skill it is about.  Declared here,
# after Skill, and added to the models above, so their classes stay as they were.
FollowUp._meta.add_field(
    "skill", ForeignKeyField(Skill, null=True, backref="followups", on_delete="SET NULL")
)
Interview._meta.add_field(
    "skill", ForeignKeyField(Skill, null=True, backref="interviews", on_delete="SET NULL")
)

ALL_MODELS += [Skill, SkillRating, Trait, GoalNeed, Expertise]


class Promise(BaseModel):
    """What the person commits to at a weekly check-in; ``missed`` with its reason
    when they say it did not happen (kept or not is otherwise worked out)."""

    created_at = DateTimeField(default=_utcnow)
    made_on = DateField(index=True)
    text = TextField()
    missed = BooleanField(default=False)
    reason = TextField(default="")


class SavedCheckIn(BaseModel):
    """A weekly check-in as it was written that day, to be read again."""

    created_at = DateTimeField(default=_utcnow)
    day = DateField(unique=True)
    text = TextField()

    class Meta:
        table_name = "checkin"


ALL_MODELS += [Promise, SavedCheckIn]
