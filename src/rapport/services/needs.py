"""What goals need: a skill at a target level per goal or step, against the current level."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rapport.errors import NotFound
from rapport.models import SKILL_LEVELS, Goal, GoalNeed, Skill, database
from rapport.services.resolve import resolve_goal
from rapport.services.skills import (
    current_levels,
    parse_level,
    resolve_skill,
    row_of,
    save_if_new,
    skill_for_writing,
)


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
    skill, new_skill = skill_for_writing(skill_ref)
    existing = row_of(GoalNeed, skill, new_skill, GoalNeed.goal == goal.id)
    with database.atomic():
        save_if_new(skill, new_skill)
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


def goals_needing(skill: Skill) -> list[Goal]:
    """The active goals (and steps) that need ``skill``, by priority then title:
    the goals a follow-up or an interview about that skill serves."""
    return list(
        Goal.select()
        .join(GoalNeed, on=(GoalNeed.goal == Goal.id))
        .where((GoalNeed.skill == skill.id) & (Goal.status == "active"))
        .order_by(Goal.priority, Goal.title)
    )
