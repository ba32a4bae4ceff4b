"""The self-assessment: skills and their rating history, traits, goal needs, contacts' expertise.

A skill is one record per name whatever its case; merging one into another
keeps the merged name as an alias, so it still finds the skill.  Levels are
the named scale 1 aware, 2 learning, 3 practised, 4 strong, 5 expert, given
as a number or a name.  The current level of a skill is its latest rating
(by date, then by when it was written); ratings are a history, never edited
in place.  Candidates for a skill are contacts not yet marked whose profile
(organization, role, tags, notes) or interviews (notes, advice) mention it,
found through the full-text index.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from peewee import fn

from rapport import clock
from rapport.errors import NotFound, ValidationError
from rapport.models import (
    SKILL_LEVELS,
    TRAIT_KINDS,
    Contact,
    Expertise,
    FollowUp,
    Goal,
    GoalNeed,
    Interview,
    Skill,
    SkillRating,
    Trait,
    database,
)
from rapport.services import clean
from rapport.services.resolve import parse_id, resolve_contact, resolve_goal
from rapport.services.search import build_query

LEVEL_NUMBERS = {name: number for number, name in SKILL_LEVELS.items()}
# "practiced" is how American English spells the scale's third step.
LEVEL_NUMBERS["practiced"] = 3
SCALE = ", ".join(f"{n} {name}" for n, name in SKILL_LEVELS.items())
SUGGESTED = 3  # nearest names offered for an unknown skill
CANDIDATES = 50


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
    record_id = parse_id(ref)
    if record_id is not None:
        found = Skill.get_or_none(Skill.id == record_id)
        if found is None:
            raise NotFound(f"no skill with id {record_id}")
        return found
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


def _skill_for_writing(ref: object) -> tuple[Skill, bool]:
    """The skill named (an existing one, by name, alias or id), or a new one not yet
    saved; and whether it is new.  Nothing is written."""
    if isinstance(ref, Skill) or parse_id(ref) is not None:
        return resolve_skill(ref), False
    name = clean_name(ref)
    found = find_skill(name)
    return (found, False) if found is not None else (Skill(name=name), True)


def _row_of(model: Any, skill: Skill, new: bool, where: Any) -> Any:
    """The row of ``model`` for this skill that ``where`` picks; none for a new skill."""
    return None if new else model.get_or_none(where, model.skill == skill.id)


def _save_if_new(skill: Skill, new: bool) -> None:
    if new:
        skill.save(force_insert=True)


# -- ratings and the self-assessment ------------------------------------------


@dataclass(frozen=True)
class Rating:
    date: dt.date
    level: int
    note: str

    @property
    def label(self) -> str:
        return level_label(self.level)


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
    previous: Rating | None


def _date_of(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def _ordered_ratings(skill_ids: Iterable[int] | None = None) -> dict[int, list[Rating]]:
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
    return {sid: ratings[-1] for sid, ratings in _ordered_ratings(skill_ids).items()}


def rate_skill(name: object, level: Any, *, note: Any = "", date: Any = None) -> RatingResult:
    """Record a rating of a skill (created if new) on ``date`` (today if not given).

    Raises ValidationError for a level off the scale, a date to come or a bad name.
    """
    value = parse_level(level)
    day = clean.past_date(date, "date") if date not in (None, "") else clock.today()
    assert day is not None
    text = clean.free_text(note, "note")
    skill, new = _skill_for_writing(name)
    previous = None if new else current_levels([skill.id]).get(skill.id)
    with database.atomic():
        _save_if_new(skill, new)
        SkillRating.create(skill=skill, level=value, date=day, note=text)
    return RatingResult(skill.id, skill.name, Rating(day, value, text), new, previous)


def moved_since(days: int, *, today: dt.date | None = None) -> dict[int, int]:
    """For each rated skill: how many levels it moved in the last ``days`` days (the
    current level against the one in force that many days ago; 0 for a skill first
    rated within them)."""
    start = (today or clock.today()) - dt.timedelta(days=days)
    moved = {}
    for skill_id, ratings in _ordered_ratings().items():
        before = [r for r in ratings if r.date <= start]
        base = before[-1].level if before else ratings[0].level
        moved[skill_id] = ratings[-1].level - base
    return moved


def skill_history(ref: object) -> SkillHistory:
    """A skill's ratings, oldest first.  Raises NotFound."""
    skill = resolve_skill(ref)
    ratings = _ordered_ratings([skill.id]).get(skill.id, [])
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
    ratings = _ordered_ratings()
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


# -- what goals need -------------------------------------------------------------


@dataclass(frozen=True)
class Need:
    """A skill a goal (or one of its steps) needs, against where the person stands."""

    goal_id: int
    goal_title: str
    step: bool  # the need is a step's, shown under its goal
    skill_id: int
    skill: str
    target: int
    current: int | None
    rated_on: dt.date | None

    @property
    def gap(self) -> int | None:
        """Levels still to climb (0: met); None when the skill is not rated yet."""
        return None if self.current is None else max(0, self.target - self.current)

    @property
    def gap_words(self) -> str:
        if self.gap is None:
            return "not rated yet"
        if self.gap == 0:
            return "met"
        return f"{self.gap} level{'s' if self.gap != 1 else ''} to go"


def set_need(goal_ref: object, skill_ref: object, level: Any) -> tuple[Need, bool]:
    """A goal needs a skill (created if new) at ``level``; the same need again updates
    its level.  Returns the need and whether it is new."""
    value = parse_level(level)
    goal = resolve_goal(goal_ref)
    skill, new_skill = _skill_for_writing(skill_ref)
    existing = _row_of(GoalNeed, skill, new_skill, GoalNeed.goal == goal.id)
    with database.atomic():
        _save_if_new(skill, new_skill)
        if existing is None:
            GoalNeed.create(goal=goal.id, skill=skill.id, level=value)
        elif existing.level != value:
            existing.level = value
            existing.save()
    current = current_levels([skill.id]).get(skill.id)
    need = Need(
        goal.id,
        goal.title,
        False,
        skill.id,
        skill.name,
        value,
        current.level if current else None,
        current.date if current else None,
    )
    return need, existing is None


def remove_need(goal_ref: object, skill_ref: object) -> tuple[str, str]:
    """Remove a goal's need of a skill; returns (goal title, skill name).  Raises NotFound."""
    goal = resolve_goal(goal_ref)
    skill = resolve_skill(skill_ref)
    deleted = 0
    with database.atomic():
        deleted = GoalNeed.delete().where(GoalNeed.goal == goal.id, GoalNeed.skill == skill.id)
        deleted = deleted.execute()
    if not deleted:
        raise NotFound(f"goal #{goal.id} {goal.title!r} does not need {skill.name!r}")
    return goal.title, skill.name


def descendants(goal_ids: Sequence[int]) -> dict[int, list[int]]:
    """For each goal, itself and all its steps (steps of steps too), itself first."""
    children: dict[int, list[int]] = defaultdict(list)
    for goal_id, parent_id in Goal.select(Goal.id, Goal.parent).tuples():
        if parent_id is not None:
            children[parent_id].append(goal_id)
    result = {}
    for root in goal_ids:
        order, todo, seen = [], [root], set()
        while todo:
            current = todo.pop(0)
            if current in seen:
                continue
            seen.add(current)
            order.append(current)
            todo.extend(sorted(children.get(current, ())))
        result[root] = order
    return result


def needs_of(goal_ids: Sequence[int]) -> dict[int, list[Need]]:
    """Each goal's needs and those of its steps (own first, then the steps', by skill)."""
    family = descendants(goal_ids)
    wanted = {g for members in family.values() for g in members}
    rows = (
        GoalNeed.select(GoalNeed.goal, Goal.title, GoalNeed.skill, Skill.name, GoalNeed.level)
        .join(Goal, on=(GoalNeed.goal == Goal.id))
        .switch(GoalNeed)
        .join(Skill, on=(GoalNeed.skill == Skill.id))
        .where(GoalNeed.goal.in_(sorted(wanted)))
        .tuples()
    )
    by_goal: dict[int, list[tuple[int, str, int, str, int]]] = defaultdict(list)
    skill_ids = set()
    for row in rows:
        by_goal[row[0]].append(row)
        skill_ids.add(row[2])
    levels = current_levels(skill_ids)
    result: dict[int, list[Need]] = {}
    for root, members in family.items():
        needs = []
        for member in members:
            for goal_id, title, skill_id, skill, target in sorted(
                by_goal.get(member, []), key=lambda r: r[3].casefold()
            ):
                current = levels.get(skill_id)
                needs.append(
                    Need(
                        goal_id,
                        title,
                        goal_id != root,
                        skill_id,
                        skill,
                        target,
                        current.level if current else None,
                        current.date if current else None,
                    )
                )
        result[root] = needs
    return result


def goal_needs(goal_ref: object) -> list[Need]:
    """A goal's needs and its steps', with current level, target and gap.  Raises NotFound."""
    goal = resolve_goal(goal_ref)
    return needs_of([goal.id])[goal.id]


# -- what contacts know ----------------------------------------------------------


@dataclass(frozen=True)
class ExpertiseItem:
    contact_id: int
    contact: str
    skill_id: int
    skill: str
    level: int | None
    note: str
    confirmed: bool


def _expertise_item(e: Expertise, contact: Contact, skill: Skill) -> ExpertiseItem:
    return ExpertiseItem(
        contact.id, contact.name, skill.id, skill.name, e.level, e.note, bool(e.confirmed)
    )


def set_expertise(
    contact_ref: object, skill_ref: object, *, level: Any = None, note: Any = None
) -> tuple[ExpertiseItem, bool]:
    """Mark that a contact has a skill (created if new), at a level if given; again
    updates what is given.  Marked by the person, so confirmed.  Returns it and
    whether it is new."""
    value = None if level in (None, "") else parse_level(level)
    text = None if note is None else clean.free_text(note, "note")
    contact = resolve_contact(contact_ref)
    skill, new_skill = _skill_for_writing(skill_ref)
    existing = _row_of(Expertise, skill, new_skill, Expertise.contact == contact.id)
    with database.atomic():
        _save_if_new(skill, new_skill)
        if existing is None:
            existing = Expertise.create(
                contact=contact.id, skill=skill.id, level=value, note=text or "", confirmed=True
            )
            created = True
        else:
            created = False
            if value is not None:
                existing.level = value
            if text is not None:
                existing.note = text
            existing.confirmed = True
            existing.save()
    return _expertise_item(existing, contact, skill), created


def remove_expertise(contact_ref: object, skill_ref: object) -> ExpertiseItem:
    """Unmark a contact's skill.  Raises NotFound."""
    contact = resolve_contact(contact_ref)
    skill = resolve_skill(skill_ref)
    existing = Expertise.get_or_none(Expertise.contact == contact.id, Expertise.skill == skill.id)
    if existing is None:
        raise NotFound(f"{contact.name} is not marked as knowing {skill.name!r}")
    with database.atomic():
        existing.delete_instance()
    return _expertise_item(existing, contact, skill)


def contact_expertise(
    contact_ids: Iterable[int] | None = None, *, skill_id: int | None = None
) -> dict[int, list[ExpertiseItem]]:
    """Each contact's skills (or only ``skill_id``), by skill name."""
    query = (
        Expertise.select(Expertise, Contact.id, Contact.name, Skill.id, Skill.name)
        .join(Contact, on=(Expertise.contact == Contact.id))
        .switch(Expertise)
        .join(Skill, on=(Expertise.skill == Skill.id))
        .order_by(Skill.name)
    )
    if contact_ids is not None:
        query = query.where(Expertise.contact.in_(list(contact_ids)))
    if skill_id is not None:
        query = query.where(Expertise.skill == skill_id)
    result: dict[int, list[ExpertiseItem]] = defaultdict(list)
    for e in query:
        result[e.contact.id].append(_expertise_item(e, e.contact, e.skill))
    return result


@dataclass(frozen=True)
class Candidate:
    """A contact not yet marked whose records mention a skill, with what matched."""

    contact_id: int
    name: str
    organization: str
    role: str
    matched: tuple[str, ...]  # snippets, the matching words in [brackets]
    score: float


def skill_query(skill: Skill) -> str | None:
    """The full-text query for a skill's name or any alias, each as a phrase."""
    # Quotes inside a name would end the phrase: they are no part of a word anyway.
    names = (skill.name, *skill.alias_list)
    terms = [build_query('"' + name.replace('"', " ") + '"') for name in names]
    found = [t for t in terms if t]
    return " OR ".join(f"({t})" for t in found) if found else None


def candidates(
    ref: object, *, limit: int = CANDIDATES, mark: tuple[str, str] = ("[", "]")
) -> list[Candidate]:
    """Contacts (not archived, not yet marked for the skill) whose organization, role,
    tags, notes or interviews mention it, best first.  Raises NotFound."""
    skill = resolve_skill(ref)
    return candidates_for(skill, limit=limit, mark=mark)


# Contacts (kind 1) and interviews (kind 3, counted for their contact) whose text
# matches, summed per contact (bm25: lower is better), not archived, not marked
# for the skill; the best ``limit`` with the rowids that matched.  Snippets are
# then made for those rowids alone: a popular skill matches thousands of notes.
_CANDIDATES_SQL = """
WITH hits AS (
    SELECT rowid, rank AS score FROM search_index
    WHERE search_index MATCH ? AND rowid % 8 IN (1, 3)
), owned AS (
    SELECT hits.rowid, hits.score,
           CASE WHEN hits.rowid % 8 = 1 THEN hits.rowid / 8
                ELSE (SELECT contact_id FROM interview WHERE id = hits.rowid / 8) END AS cid
    FROM hits
)
SELECT owned.cid, contact.name, contact.role, organization.name,
       sum(owned.score) AS total, group_concat(owned.rowid)
FROM owned
JOIN contact ON contact.id = owned.cid
LEFT JOIN organization ON organization.id = contact.organization_id
WHERE contact.archived = 0
  AND owned.cid NOT IN (SELECT contact_id FROM expertise WHERE skill_id = ?)
GROUP BY owned.cid
ORDER BY total, contact.name, owned.cid
LIMIT ?
"""


def candidates_for(
    skill: Skill, *, limit: int = CANDIDATES, mark: tuple[str, str] = ("[", "]")
) -> list[Candidate]:
    query = skill_query(skill)
    if query is None:
        return []
    # The body only: a contact's name (the title) mentioning a skill is no sign.
    match = f"body : ({query})"
    rows = database.execute_sql(_CANDIDATES_SQL, (match, skill.id, limit)).fetchall()
    if not rows:
        return []
    rowids = sorted({int(r) for row in rows for r in str(row[5]).split(",")})
    marks = ", ".join("?" * len(rowids))
    snippets = dict(
        database.execute_sql(
            "SELECT rowid, snippet(search_index, 1, ?, ?, '…', 8) FROM search_index"
            f" WHERE search_index MATCH ? AND rowid IN ({marks})",
            (mark[0], mark[1], match, *rowids),
        ).fetchall()
    )
    result = []
    for cid, name, role, org, total, matched in rows:
        words = []
        for rowid in sorted(int(r) for r in str(matched).split(",")):
            prefix = "" if rowid % 8 == 1 else "interview: "
            words.append(prefix + " ".join(str(snippets.get(rowid, "")).split()))
        result.append(Candidate(cid, name, org or "", role, tuple(words), total))
    return result


def confirm_candidates(ref: object, contact_refs: Sequence[object]) -> list[ExpertiseItem]:
    """Mark each of these contacts as knowing the skill (confirmed); every contact is
    found before anything is written.  Raises NotFound, Ambiguous."""
    skill = resolve_skill(ref)
    people = [resolve_contact(r) for r in contact_refs]
    if not people:
        raise ValidationError("confirm", "give the ids of the candidates to confirm")
    done = []
    with database.atomic():
        for contact in people:
            existing = Expertise.get_or_none(
                Expertise.contact == contact.id, Expertise.skill == skill.id
            )
            if existing is None:
                existing = Expertise.create(contact=contact.id, skill=skill.id, confirmed=True)
            elif not existing.confirmed:
                existing.confirmed = True
                existing.save()
            done.append(_expertise_item(existing, contact, skill))
    return done


def need_json(n: Need) -> dict[str, Any]:
    """A need as ``goals show --json`` lists it (docs/json.md)."""
    return {
        "goal_id": n.goal_id,
        "step": n.step,
        "skill_id": n.skill_id,
        "skill": n.skill,
        "target": n.target,
        "target_name": SKILL_LEVELS[n.target],
        "current": n.current,
        "current_name": SKILL_LEVELS.get(n.current) if n.current else None,
        "rated_on": n.rated_on.isoformat() if n.rated_on else None,
        "gap": n.gap,
    }


def parse_expertise_item(name: str, level: str = "") -> tuple[str, int | None]:
    """A skill as a file gives it (``Hiring``, ``5 expert``) as (name, level or None).

    Raises ValidationError for a level off the scale or an empty name.
    """
    level = level.strip()
    if level and level.split()[0].isdigit():
        level = level.split()[0]  # "5 expert", as the export writes it, read by its number
    return clean_name(name, "expertise"), (parse_level(level, "expertise") if level else None)


def mark_imported_expertise(rows: Sequence[tuple[int | None, str, int | None]]) -> int:
    """Mark skills on contacts as an import found them: (contact id, skill name, level).

    Skills are found by name or alias (created when new); a contact already
    marked for a skill keeps what it has.  Rows are unconfirmed until the
    person confirms them.  Returns how many were marked.
    """
    wanted = [(cid, name, level) for cid, name, level in rows if cid is not None]
    if not wanted:
        return 0
    ids: dict[str, int] = {}
    for skill_id, name, aliases in Skill.select(Skill.id, Skill.name, Skill.aliases).tuples():
        for one in (name, *[a for a in aliases.split(",") if a]):
            ids.setdefault(one.casefold(), skill_id)
    marked = 0
    seen: set[tuple[int, int]] = set()
    with database.atomic():
        for contact_id, name, level in wanted:
            key = name.casefold()
            if key not in ids:
                ids[key] = Skill.create(name=name).id
            pair = (contact_id, ids[key])
            if pair in seen:
                continue
            seen.add(pair)
            insert = Expertise.insert(
                contact=contact_id, skill=ids[key], level=level, confirmed=False
            ).on_conflict_ignore()
            marked += database.execute(insert).rowcount
    return marked
