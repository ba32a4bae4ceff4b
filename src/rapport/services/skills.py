"""Skills as records: the level scale, names and aliases, current levels, rename, merge, delete.

A skill is one record per name whatever its case; merging one into another
keeps the merged name as an alias, so it still finds the skill.  Levels are
the named scale 1 aware, 2 learning, 3 practised, 4 strong, 5 expert, given
as a number or a name.  The current level of a skill is its latest rating
(by date, then by when it was written); ratings are a history, never edited
in place.  What is built on skills has a module each: ratings and traits in
``self_assessment``, what goals need in ``needs``, what contacts know in
``expertise``, contacts who may know a skill in ``candidates``.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from peewee import fn

from rapport.errors import NotFound, ValidationError
from rapport.models import (
    SKILL_LEVELS,
    Expertise,
    FollowUp,
    GoalNeed,
    Interview,
    Skill,
    SkillRating,
    database,
)
from rapport.services import clean
from rapport.services.resolve import by_id, parse_id

LEVEL_NUMBERS = {name: number for number, name in SKILL_LEVELS.items()}
# "practiced" is how American English spells the scale's third step.
LEVEL_NUMBERS["practiced"] = 3
SCALE = ", ".join(f"{n} {name}" for n, name in SKILL_LEVELS.items())
SUGGESTED = 3  # nearest names offered for an unknown skill


# -- levels and names -------------------------------------------------------


def parse_level(value: Any, field: str = "level") -> int:
    """A level from a number (1-5) or its name; ValidationError naming the scale."""
    if isinstance(value, int) and not isinstance(value, bool) and value in SKILL_LEVELS:
        return value
    text = str(value if value is not None else "").strip().lower()
    # "3 practised", as levels are shown everywhere, is read by its number.
    first, _, rest = text.partition(" ")
    if first.isdigit() and int(first) in SKILL_LEVELS and rest in ("", SKILL_LEVELS[int(first)]):
        return int(first)
    named = [n for name, n in LEVEL_NUMBERS.items() if text and name.startswith(text)]
    if text and len(set(named)) == 1:
        return named[0]
    raise ValidationError(field, f"must be on the scale {SCALE} (got {value!r})")


def level_label(level: int | None) -> str:
    """``3 practised``: the number with its name beside it, as everywhere."""
    return "" if level is None else f"{level} {SKILL_LEVELS[level]}"


def clean_name(value: Any, field: str = "skill") -> str:
    # A comma would split the aliases list a merged name is kept in.
    return clean.one_line(str(value or "").replace(",", " "), field, required=True, max_length=100)


def find_skill(name: str) -> Skill | None:
    """The skill with this name or alias, whatever its case; None if there is none."""
    text = " ".join(str(name).split())
    found = Skill.get_or_none(Skill.name == text)  # the column is COLLATE NOCASE
    if found is not None:
        return found
    wanted = text.casefold()
    for skill in Skill.select().where(Skill.aliases != ""):
        if any(a.casefold() == wanted for a in skill.alias_list):
            return skill
    return None


def nearest_names(name: str) -> list[str]:
    """Existing skill names (and aliases) closest to ``name``, nearest first."""
    names: dict[str, str] = {}
    for skill_name, aliases in Skill.select(Skill.name, Skill.aliases).tuples():
        for one in (skill_name, *[a for a in aliases.split(",") if a]):
            names.setdefault(one.casefold(), one)
    wanted = name.casefold()
    close = difflib.get_close_matches(wanted, list(names), n=SUGGESTED, cutoff=0.5)
    inside = [k for k in names if wanted and (wanted in k or k in wanted) and k not in close]
    return [names[k] for k in [*close, *inside][:SUGGESTED]]


def resolve_skill(ref: object) -> Skill:
    """A skill by id (``12``, ``#12``), name or alias; NotFound suggests the nearest names."""
    if isinstance(ref, Skill):
        return ref
    if parse_id(ref) is not None:
        return by_id(Skill, ref, "skill")
    name = clean_name(ref)
    found = find_skill(name)
    if found is not None:
        return found
    near = nearest_names(name)
    hint = f"; did you mean {' or '.join(repr(n) for n in near)}?" if near else ""
    raise NotFound(f"no skill called {name!r}{hint} (rapport skills list shows them all)")


def optional_skill(value: Any) -> Skill | None:
    """The skill a follow-up or an interview is about: an existing one, or none."""
    return None if value in (None, "") else resolve_skill(value)


def skill_for_writing(ref: object) -> tuple[Skill, bool]:
    """The skill named (an existing one, by name, alias or id), or a new one not yet
    saved; and whether it is new.  Nothing is written."""
    if isinstance(ref, Skill) or parse_id(ref) is not None:
        return resolve_skill(ref), False
    name = clean_name(ref)
    found = find_skill(name)
    return (found, False) if found is not None else (Skill(name=name), True)


def row_of(model: Any, skill: Skill, new: bool, where: Any) -> Any:
    """The row of ``model`` for this skill that ``where`` picks; none for a new skill."""
    return None if new else model.get_or_none(where, model.skill == skill.id)


def save_if_new(skill: Skill, new: bool) -> None:
    if new:
        skill.save(force_insert=True)


# -- ratings, oldest first ----------------------------------------------------


@dataclass(frozen=True)
class Rating:
    date: dt.date
    level: int
    note: str

    @property
    def label(self) -> str:
        return level_label(self.level)


def _date_of(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def ordered_ratings(skill_ids: Iterable[int] | None = None) -> dict[int, list[Rating]]:
    """Each skill's ratings, oldest first (same day: in the order they were written)."""
    query = SkillRating.select(
        SkillRating.skill, SkillRating.date, SkillRating.level, SkillRating.note
    ).order_by(SkillRating.skill, SkillRating.date, SkillRating.id)
    if skill_ids is not None:
        query = query.where(SkillRating.skill.in_(list(skill_ids)))
    result: dict[int, list[Rating]] = defaultdict(list)
    for skill_id, day, level, note in database.execute(query):
        result[skill_id].append(Rating(_date_of(day), level, note))
    return result


def current_levels(skill_ids: Iterable[int] | None = None) -> dict[int, Rating]:
    """The latest rating of each rated skill."""
    return {sid: ratings[-1] for sid, ratings in ordered_ratings(skill_ids).items()}


# -- skills as records ---------------------------------------------------------


@dataclass(frozen=True)
class SkillRow:
    id: int
    name: str
    aliases: tuple[str, ...]
    level: int | None
    ratings: int
    needs: int
    experts: int

    @property
    def label(self) -> str:
        return level_label(self.level) or "not rated yet"


@dataclass(frozen=True)
class SkillImpact:
    """What goes with a skill when it is deleted (or moves when it is merged)."""

    id: int
    name: str
    ratings: int
    needs: int
    experts: int
    followups: int
    interviews: int

    def words(self) -> str:
        parts = [
            (self.ratings, "rating"),
            (self.needs, "goal need"),
            (self.experts, "contact's expertise"),
        ]
        said = [f"{n} {what if n == 1 else _plural(what)}" for n, what in parts if n]
        linked = self.followups + self.interviews
        if linked:
            said.append(f"{linked} follow-up/interview link{'s' if linked != 1 else ''}")
        return ", ".join(said) if said else "nothing else"


def _plural(word: str) -> str:
    return "contacts' expertise" if word == "contact's expertise" else word + "s"


def _counts(model: Any, column: Any) -> dict[int, int]:
    return dict(model.select(column, fn.COUNT(model.id)).group_by(column).tuples())


def list_skills() -> list[SkillRow]:
    """Every skill, by name, with its current level and what uses it."""
    levels = current_levels()
    ratings = _counts(SkillRating, SkillRating.skill)
    needs = _counts(GoalNeed, GoalNeed.skill)
    experts = _counts(Expertise, Expertise.skill)
    rows = []
    for skill_id, name, aliases in (
        Skill.select(Skill.id, Skill.name, Skill.aliases).order_by(Skill.name).tuples()
    ):
        current = levels.get(skill_id)
        rows.append(
            SkillRow(
                skill_id,
                name,
                tuple(a for a in aliases.split(",") if a),
                current.level if current else None,
                ratings.get(skill_id, 0),
                needs.get(skill_id, 0),
                experts.get(skill_id, 0),
            )
        )
    return rows


def skill_impact(ref: object) -> SkillImpact:
    skill = resolve_skill(ref)

    def count(model: Any, column: Any) -> int:
        return int(model.select().where(column == skill.id).count())

    return SkillImpact(
        skill.id,
        skill.name,
        count(SkillRating, SkillRating.skill),
        count(GoalNeed, GoalNeed.skill),
        count(Expertise, Expertise.skill),
        count(FollowUp, FollowUp.skill),
        count(Interview, Interview.skill),
    )


def rename_skill(ref: object, new_name: Any) -> Skill:
    """Rename a skill; refused when another skill has the name (merge them instead)."""
    skill = resolve_skill(ref)
    name = clean_name(new_name, "name")
    other = find_skill(name)
    if other is not None and other.id != skill.id:
        raise ValidationError(
            "name",
            f"{other.name!r} is another skill; to make them one: "
            f"rapport skills merge {other.name!r} {skill.name!r}",
        )
    with database.atomic():
        skill.name = name
        # An alias equal to the new name is the name now.
        skill.aliases = ",".join(a for a in skill.alias_list if a.casefold() != name.casefold())
        skill.save()
    return skill


def merge_skills(keep_ref: object, other_ref: object) -> SkillImpact:
    """Merge OTHER into KEEP: its ratings, needs, expertise and links move over, its
    name becomes an alias of KEEP.  Where both have a need for the same goal or the
    same contact's expertise, the higher level wins.  Returns what moved."""
    keep = resolve_skill(keep_ref)
    other = resolve_skill(other_ref)
    if keep.id == other.id:
        raise ValidationError("skill", f"{keep.name!r} and {other.name!r} are the same skill")
    moved = skill_impact(other)
    with database.atomic():
        SkillRating.update(skill=keep.id).where(SkillRating.skill == other.id).execute()
        kept_needs = {n.goal_id: n for n in GoalNeed.select().where(GoalNeed.skill == keep.id)}
        for need in GoalNeed.select().where(GoalNeed.skill == other.id):
            mine = kept_needs.get(need.goal_id)
            if mine is None:
                need.skill = keep.id
                need.save()
            else:
                if need.level > mine.level:
                    mine.level = need.level
                    mine.save()
                need.delete_instance()
        kept_experts = {
            e.contact_id: e for e in Expertise.select().where(Expertise.skill == keep.id)
        }
        for expert in Expertise.select().where(Expertise.skill == other.id):
            mine = kept_experts.get(expert.contact_id)
            if mine is None:
                expert.skill = keep.id
                expert.save()
                continue
            mine.level = max((x for x in (mine.level, expert.level) if x), default=None)
            mine.confirmed = mine.confirmed or expert.confirmed
            mine.note = "\n".join(n for n in (mine.note, expert.note) if n)
            mine.save()
            expert.delete_instance()
        FollowUp.update(skill=keep.id).where(FollowUp.skill == other.id).execute()
        Interview.update(skill=keep.id).where(Interview.skill == other.id).execute()
        names = [*keep.alias_list, other.name, *other.alias_list]
        seen: set[str] = {keep.name.casefold()}
        aliases = []
        for alias in names:
            if alias.casefold() not in seen:
                seen.add(alias.casefold())
                aliases.append(alias)
        other.delete_instance()
        keep.aliases = ",".join(aliases)
        keep.notes = "\n".join(n for n in (keep.notes, other.notes) if n)
        keep.save()
    return moved


def delete_skill(ref: object) -> SkillImpact:
    """Delete a skill with its ratings, needs and expertise; follow-ups and interviews
    that named it stay, without it.  Returns what went."""
    impact = skill_impact(ref)
    with database.atomic():
        Skill.delete().where(Skill.id == impact.id).execute()
    return impact
