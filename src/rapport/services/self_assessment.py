"""The self-assessment: rating a skill, its history and trend, strengths, interests and values."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rapport import clock
from rapport.errors import NotFound
from rapport.models import TRAIT_KINDS, Goal, GoalNeed, Skill, SkillRating, Trait, database
from rapport.services import clean
from rapport.services.skills import (
    Rating,
    current_levels,
    level_label,
    ordered_ratings,
    parse_level,
    resolve_skill,
    save_if_new,
    skill_for_writing,
)


@dataclass(frozen=True)
class SkillHistory:
    skill_id: int
    name: str
    aliases: tuple[str, ...]
    ratings: tuple[Rating, ...]  # oldest first

    @property
    def current(self) -> Rating | None:
        return self.ratings[-1] if self.ratings else None


@dataclass(frozen=True)
class RatedSkill:
    """A skill as the self-assessment shows it: current level, the one before, who needs it."""

    skill_id: int
    name: str
    level: int | None
    rated_on: dt.date | None
    note: str
    previous: int | None
    needed_by: tuple[str, ...]  # goal titles

    @property
    def label(self) -> str:
        return level_label(self.level) or "not rated yet"

    @property
    def trend(self) -> str:
        """``up``, ``down``, ``same`` against the rating before, ``new`` for a first one."""
        if self.level is None:
            return ""
        if self.previous is None:
            return "new"
        if self.level == self.previous:
            return "same"
        return "up" if self.level > self.previous else "down"


@dataclass(frozen=True)
class TraitItem:
    kind: str
    phrase: str
    note: str


@dataclass(frozen=True)
class SelfAssessment:
    skills: tuple[RatedSkill, ...]
    strengths: tuple[TraitItem, ...]
    interests: tuple[TraitItem, ...]
    values: tuple[TraitItem, ...]


@dataclass(frozen=True)
class RatingResult:
    skill_id: int
    name: str
    rating: Rating
    new_skill: bool
    previous: Rating | None  # the current rating before this one

    @property
    def backdated(self) -> bool:
        """A later rating exists: this one joins the history, and the current level
        stays the later one's (``previous``)."""
        return self.previous is not None and self.rating.date < self.previous.date

    @property
    def stays(self) -> str:
        """What a backdated rating leaves as it was, to follow "Rated NAME: LEVEL"; ""
        for a rating that is the current level now.  Dates as the command line
        writes them (2026-11-03); see stays_said."""
        return self.stays_said(dt.date.isoformat)

    def stays_said(self, day: Callable[[dt.date], str]) -> str:
        """``stays`` with the later rating's date written by ``day`` (the app's
        ``Tue 3 Nov``)."""
        if not self.backdated:
            return ""
        assert self.previous is not None
        return (
            f", kept in its history; the current level stays {self.previous.label}, "
            f"rated later (on {day(self.previous.date)})"
        )


def rate_skill(name: object, level: Any, *, note: Any = "", date: Any = None) -> RatingResult:
    """Record a rating of a skill (created if new) on ``date`` (today if not given).

    Raises ValidationError for a level off the scale, a date to come or a bad name.
    """
    value = parse_level(level)
    day = clean.past_date(date, "date") if date not in (None, "") else clock.today()
    assert day is not None
    text = clean.free_text(note, "note")
    skill, new = skill_for_writing(name)
    previous = None if new else current_levels([skill.id]).get(skill.id)
    with database.atomic():
        save_if_new(skill, new)
        SkillRating.create(skill=skill, level=value, date=day, note=text)
    return RatingResult(skill.id, skill.name, Rating(day, value, text), new, previous)


def moved_since(days: int, *, today: dt.date | None = None) -> dict[int, int]:
    """For each rated skill: how many levels it moved in the last ``days`` days (the
    current level against the one in force that many days ago; 0 for a skill first
    rated within them)."""
    start = (today or clock.today()) - dt.timedelta(days=days)
    moved = {}
    for skill_id, ratings in ordered_ratings().items():
        before = [r for r in ratings if r.date <= start]
        base = before[-1].level if before else ratings[0].level
        moved[skill_id] = ratings[-1].level - base
    return moved


def skill_history(ref: object) -> SkillHistory:
    """A skill's ratings, oldest first.  Raises NotFound."""
    skill = resolve_skill(ref)
    ratings = ordered_ratings([skill.id]).get(skill.id, [])
    return SkillHistory(skill.id, skill.name, tuple(skill.alias_list), tuple(ratings))


def _needed_by() -> dict[int, list[str]]:
    rows = (
        GoalNeed.select(GoalNeed.skill, Goal.title)
        .join(Goal)
        .where(Goal.status == "active")
        .order_by(Goal.priority, Goal.title)
        .tuples()
    )
    result: dict[int, list[str]] = defaultdict(list)
    for skill_id, title in rows:
        result[skill_id].append(title)
    return result


def self_assessment() -> SelfAssessment:
    """Every skill (rated ones by level, highest first; then the unrated ones) and the traits."""
    ratings = ordered_ratings()
    needed = _needed_by()
    skills = []
    for skill_id, name in Skill.select(Skill.id, Skill.name).tuples():
        history = ratings.get(skill_id, [])
        if not history and skill_id not in needed:
            continue  # a skill only contacts have is not part of the self-assessment
        last = history[-1] if history else None
        skills.append(
            RatedSkill(
                skill_id=skill_id,
                name=name,
                level=last.level if last else None,
                rated_on=last.date if last else None,
                note=last.note if last else "",
                previous=history[-2].level if len(history) > 1 else None,
                needed_by=tuple(needed.get(skill_id, ())),
            )
        )
    skills.sort(key=lambda s: (s.level is None, -(s.level or 0), s.name.casefold()))
    traits: dict[str, list[TraitItem]] = {kind: [] for kind in TRAIT_KINDS}
    for kind, phrase, note in (
        Trait.select(Trait.kind, Trait.phrase, Trait.note).order_by(Trait.id).tuples()
    ):
        traits[kind].append(TraitItem(kind, phrase, note))
    return SelfAssessment(
        tuple(skills),
        tuple(traits["strength"]),
        tuple(traits["interest"]),
        tuple(traits["value"]),
    )


def set_trait(kind: str, phrase: Any, *, note: Any = None) -> tuple[TraitItem, bool]:
    """Add a strength, interest or value (or change its note); returns it and whether it is new."""
    kind = clean.choice(kind, TRAIT_KINDS, "kind")
    text = clean.one_line(phrase, kind, required=True, max_length=200)
    existing = Trait.get_or_none(Trait.kind == kind, Trait.phrase == text)
    with database.atomic():
        if existing is None:
            existing = Trait.create(kind=kind, phrase=text, note=clean.free_text(note or ""))
            created = True
        else:
            created = False
            if note is not None:
                existing.note = clean.free_text(note)
                existing.save()
    return TraitItem(kind, existing.phrase, existing.note), created


def remove_trait(kind: str, phrase: Any) -> TraitItem:
    """Remove a strength, interest or value.  Raises NotFound."""
    kind = clean.choice(kind, TRAIT_KINDS, "kind")
    text = clean.one_line(phrase, kind, required=True, max_length=200)
    existing = Trait.get_or_none(Trait.kind == kind, Trait.phrase == text)
    if existing is None:
        raise NotFound(f"no {kind} {text!r} to remove")
    with database.atomic():
        existing.delete_instance()
    return TraitItem(kind, existing.phrase, existing.note)
