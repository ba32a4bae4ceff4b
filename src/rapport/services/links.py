"""Links from contacts, interviews, events and follow-ups to the goals they serve.

A contact's link carries its role for that goal (mentor, sponsor, referrer,
hiring manager, peer, other) and a note.  Linking the same thing to the same
goal again updates the role and note.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rapport.errors import NotFound, ValidationError
from rapport.models import (
    LINK_ROLES,
    Contact,
    Event,
    FollowUp,
    Goal,
    GoalLink,
    Interview,
    database,
)
from rapport.services import clean
from rapport.services.goals import GoalPerson
from rapport.services.refs import GoalRef, GoalServed
from rapport.services.resolve import (
    parse_id,
    resolve_contact,
    resolve_event,
    resolve_followup,
    resolve_goal,
    resolve_interview,
)

KINDS = {
    "contact": (Contact, resolve_contact, GoalLink.contact),
    "interview": (Interview, resolve_interview, GoalLink.interview),
    "event": (Event, resolve_event, GoalLink.event),
    "followup": (FollowUp, resolve_followup, GoalLink.follow_up),
}


@dataclass(frozen=True)
class Target:
    """The thing being linked: its kind (a key of KINDS), the record (its id from
    a face: the services read what they need) and its name or title for messages."""

    kind: str
    record: Any
    name: str = ""

    @property
    def label(self) -> str:
        return f"{self.kind} #{parse_id(self.record)}" + (f" {self.name}" if self.name else "")


def parse_target(text: str) -> Target:
    """``interview:3``, ``event:PyCon``, ``followup:12`` or a contact (id or name),
    found and named: a plain value."""
    kind, sep, rest = str(text).partition(":")
    key = kind.strip().lower().replace("-", "")
    if sep and key in KINDS:
        _, resolver, _ = KINDS[key]
        record = resolver(rest.strip())
    else:
        key, record = "contact", resolve_contact(text)
    name = str(getattr(record, "name", None) or getattr(record, "title", ""))
    return Target(key, record.id, name)


def _target(**targets: Any) -> Target:
    given = {k: v for k, v in targets.items() if v is not None}
    if len(given) != 1:
        raise ValidationError("target", "link exactly one contact, interview, event or follow-up")
    ((kind, value),) = given.items()
    key = "followup" if kind == "follow_up" else kind
    _, resolver, _ = KINDS[key]
    return Target(key, resolver(value))


def link_goal(
    goal: object,
    *,
    contact: object = None,
    interview: object = None,
    event: object = None,
    follow_up: object = None,
    role: str = "",
    note: str = "",
    bump: bool = True,
) -> GoalLink:
    """Link one target to a goal (or update the link's role and note).

    A role applies to contacts only.  Linking a follow-up raises its SEQUENCE
    (its calendar categories change) unless ``bump`` is False.
    """
    target = _target(contact=contact, interview=interview, event=event, follow_up=follow_up)
    goal_record = resolve_goal(goal)
    role_value = clean.choice(role, LINK_ROLES, "role") if role else ""
    if role_value and target.kind != "contact":
        raise ValidationError("role", "a role describes a person; link a contact to give one")
    note_value = clean.free_text(note, "note")
    _, _, column = KINDS[target.kind]
    with database.atomic():
        link = GoalLink.get_or_none((GoalLink.goal == goal_record) & (column == target.record.id))
        if link is None:
            link = GoalLink(goal=goal_record, role=role_value, note=note_value)
            setattr(link, column.name, target.record)
            link.save(force_insert=True)
            if target.kind == "followup" and bump:
                target.record.bump()
        else:
            link.role = role_value or link.role
            link.note = note_value or link.note
            link.save()
    return link


def link(target: Target, goal: object, *, role: str = "", note: str = "") -> GoalServed:
    """Link a parsed target (see :func:`parse_target`) to a goal; returns the goal
    it now serves, with the link's role and note."""
    key = "follow_up" if target.kind == "followup" else target.kind
    made = link_goal(goal, role=role, note=note, **{key: target.record})
    return GoalServed(made.goal.id, made.goal.title, made.role, made.note)


def unlink(target: Target, goal: object) -> GoalRef:
    """Remove a target's link to a goal; NotFound if it was not linked."""
    goal_record = resolve_goal(goal)
    _, resolver, column = KINDS[target.kind]
    record = resolver(target.record)
    with database.atomic():
        deleted = (
            GoalLink.delete()
            .where((GoalLink.goal == goal_record) & (column == record.id))
            .execute()
        )
        if not deleted:
            raise NotFound(f"{target.label} is not linked to goal {goal_record.title!r}")
        if target.kind == "followup":
            record.bump()
    return GoalRef(goal_record.id, goal_record.title)


def goals_of(target: Target) -> list[GoalServed]:
    """The goals a target serves (with a contact's role and note), by priority then title."""
    _, _, column = KINDS[target.kind]
    query = (
        GoalLink.select(GoalLink, Goal)
        .join(Goal)
        .where(column == parse_id(target.record))
        .order_by(Goal.priority, Goal.title)
    )
    return [GoalServed(link.goal.id, link.goal.title, link.role, link.note) for link in query]


@dataclass(frozen=True)
class WantedLink:
    """A goal a target should serve, with a contact's role and note for it."""

    goal: object
    role: str = ""
    note: str = ""


def set_goal_links(target: Target, wanted: Sequence[WantedLink]) -> list[GoalServed]:
    """Make ``target`` serve exactly the ``wanted`` goals, in one transaction.

    Links not wanted are removed; new ones are made; a kept contact link takes
    the role and note given (an empty role clears it).  A follow-up's SEQUENCE
    rises once if its goals changed.  Returns the links as they now are.
    Raises ValidationError (a role for something other than a contact),
    NotFound for a goal.
    """
    _, resolver, column = KINDS[target.kind]
    record = resolver(target.record)  # the stored record (a face holds a plain value)
    goals = {}
    for item in wanted:
        goal_record = resolve_goal(item.goal)
        role_value = clean.choice(item.role, LINK_ROLES, "role") if item.role else ""
        if role_value and target.kind != "contact":
            raise ValidationError("role", "a role describes a person; link a contact to give one")
        goals[goal_record.id] = (goal_record, role_value, clean.free_text(item.note, "note"))
    with database.atomic():
        current = {link.goal_id: link for link in GoalLink.select().where(column == record.id)}
        changed = False
        for goal_id, link in current.items():
            if goal_id not in goals:
                link.delete_instance()
                changed = True
        for goal_id, (goal_record, role_value, note_value) in goals.items():
            link = current.get(goal_id)
            if link is None:
                link = GoalLink(goal=goal_record, role=role_value, note=note_value)
                setattr(link, column.name, record)
                link.save(force_insert=True)
                changed = True
            elif (link.role, link.note) != (role_value, note_value):
                link.role, link.note = role_value, note_value
                link.save()
        if changed and target.kind == "followup":
            record.sequence += 1
            record.save()
    return goals_of(target)


def change_goal_links(
    target: Target, opened: Sequence[WantedLink], wanted: Sequence[WantedLink]
) -> list[GoalServed]:
    """Apply what a person changed (from the links ``opened`` as they saw them to
    the ``wanted`` ones) to the links as they are now, in one transaction: a link
    made, removed or changed elsewhere meanwhile stays as it is there unless the
    person changed that same goal.  Returns the links as they now are; raises
    as :func:`set_goal_links`.
    """

    def by_goal(links: Sequence[WantedLink]) -> dict[int, WantedLink]:
        ids = [resolve_goal(w.goal).id for w in links]
        return {i: WantedLink(i, w.role, w.note) for i, w in zip(ids, links, strict=True)}

    before, after = by_goal(opened), by_goal(wanted)
    with database.atomic():
        now = {g.id: WantedLink(g.id, g.role, g.note) for g in goals_of(target)}
        for goal_id in before.keys() - after.keys():
            now.pop(goal_id, None)
        for goal_id, link in after.items():
            if before.get(goal_id) != link:
                now[goal_id] = link
        return set_goal_links(target, list(now.values()))


def link_contacts_to_goal(
    goal: object, contacts: Sequence[object], *, role: str = "", note: str = ""
) -> list[GoalPerson]:
    """Link several contacts to one goal with the same role and note, in one transaction.

    A contact already linked keeps its role and note unless new ones are given
    (as :func:`link_goal` does).  Returns each contact with their link's role and note.
    """
    if not contacts:
        raise ValidationError("contacts", "pick at least one contact")
    goal_record = resolve_goal(goal)
    people = [resolve_contact(c) for c in contacts]
    with database.atomic():
        made = [link_goal(goal_record, contact=p, role=role, note=note) for p in people]
    return [GoalPerson(p.id, p.name, m.role, m.note) for p, m in zip(people, made, strict=True)]
