"""The career plan on one page, as Markdown: per active goal, why, where you stand, the
gaps and who can close them, the steps with their SMART fields, and the people behind it.

A missing field is written as missing (with the command that fills it),
never left out: the plan is where a person sees what they have not decided
yet.  Built from the review, the self-assessment and the gaps, so it says
what they say.
"""

from __future__ import annotations

import datetime as dt

from rapport import clock
from rapport.models import GOAL_PRIORITIES, Goal
from rapport.services import gaps as gap_service
from rapport.services import self_assessment as assessment_service
from rapport.services import skills as skill_service
from rapport.services.goals import contacts_serving, steps_of
from rapport.services.resolve import resolve_goal
from rapport.services.review import GoalReview, goal_review, network_by_goal, warmth_label
from rapport.services.review_report import md, weekday

HORIZONS = {"short": "short-term (1–2 years)", "long": "long-term (3–5 years)"}
TRENDS = {"up": "up from", "down": "down from", "same": "as before:"}


def _long(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _missing(what: str, how: str) -> str:
    return f"**missing**: {what} (`{how}`)"


def plan_markdown(goal: object = None, *, today: dt.date | None = None) -> str:
    """The plan for every active goal (steps under their goal), or for one goal.

    Raises NotFound or Ambiguous for an unknown goal.
    """
    today = today or clock.today()
    if goal is not None:
        record = resolve_goal(goal)
        reviews = [goal_review(record, today=today)]
    else:
        active = network_by_goal(today=today)
        ids = {r.goal.id for r in active}
        # A step is planned under its goal, not again on its own.
        reviews = [r for r in active if r.goal.parent_id not in ids]
    report = gap_service.gaps_report(goal, today=today)
    gaps = {g.goal_id: g for g in report.goals}
    lines = [
        "# My career plan",
        "",
        f"Written on {weekday(today)} {today.year} by rapport: where I want to go and why, "
        "where I stand, what is missing and who can help.",
        "",
    ]
    lines += _where_i_stand()
    if not reviews:
        lines += ["## Goals", "", 'No active goal yet: `rapport goals add "..." --why "..."`', ""]
    for review in reviews:
        lines += _goal(review, gaps.get(review.goal.id), today)
    return "\n".join(lines).rstrip("\n") + "\n"


def _where_i_stand() -> list[str]:
    found = assessment_service.self_assessment()
    lines = ["## Where I stand", "", "### Skills", ""]
    for s in found.skills:
        if s.level is None:
            lines.append(
                f"- **{md(s.name)}**: not rated yet (`rapport me skill {s.name!r} --level N`)"
            )
            continue
        assert s.rated_on is not None
        was = (
            f", {TRENDS[s.trend]} {skill_service.level_label(s.previous)}"
            if s.trend in TRENDS and s.previous
            else ""
        )
        lines.append(f"- **{md(s.name)}**: {s.label} (rated {_long(s.rated_on)}{was})")
    if not found.skills:
        lines.append('- none rated yet (`rapport me skill "SQL" --level 3`)')
    for title, kind, items in (
        ("Strengths", "strength", found.strengths),
        ("Interests", "interest", found.interests),
        ("Values", "value", found.values),
    ):
        lines += ["", f"### {title}", ""]
        lines += [f"- {md(t.phrase)}" + (f": {md(t.note)}" if t.note else "") for t in items]
        if not items:
            lines.append(f'- none yet (`rapport me {kind} "..."`)')
    return [*lines, ""]


def _smart(goal: Goal, today: dt.date) -> list[str]:
    ref = f"rapport goals edit {goal.id}"
    target = (
        f"{_long(goal.target_date)}" + (" (passed)" if goal.target_date < today else "")
        if goal.target_date
        else _missing("when", f"{ref} --target DATE")
    )
    return [
        f"- Specific: {md(goal.specific) or _missing('the outcome', f'{ref} --specific ...')}",
        f"- Measure: {md(goal.measure) or _missing('how you will know', f'{ref} --measure ...')}",
        f"- Target: {target}",
    ]


def _goal(review: GoalReview, found: gap_service.GoalGaps | None, today: dt.date) -> list[str]:
    g = resolve_goal(review.goal.id)  # the whole record: why and SMART fields
    about = [f"{GOAL_PRIORITIES.get(g.priority, '')} priority", HORIZONS.get(g.horizon, g.horizon)]
    if g.status != "active":
        about.append(g.status)
    lines = [f"## {md(g.title)}", "", f"*{', '.join(about)}*", ""]
    why = md(g.why) or _missing("why it matters to you", f"rapport goals edit {g.id} --why ...")
    lines += [f"**Why:** {why}", "", *_smart(g, today), ""]
    lines += ["### Gaps and who can close them", ""]
    open_gaps = [gap for gap in (found.gaps if found else ()) if gap.open]
    met = [
        md(gap.need.skill) + (f" (for the step {md(gap.need.goal_title)})" if gap.need.step else "")
        for gap in (found.gaps if found else ())
        if not gap.open
    ]
    if not found or not found.gaps:
        lines.append(f"- no skills named yet (`rapport goals need {g.id} SKILL --level 4`)")
    for gap in open_gaps:
        need = gap.need
        step = f" (for the step {md(need.goal_title)})" if need.step else ""
        you = (
            f"I am {skill_service.level_label(need.current)}"
            if need.current
            else "I have not rated myself yet"
        )
        people = ", ".join(
            f"{md(h.name)} ({h.level_label if h.source != 'candidate' else 'mentions it'}, "
            f"{h.warmth if h.warmth != 'never' else 'never contacted'}"
            + (f", {h.role}" if h.role else "")
            + ")"
            for h in gap.people[:3]
        )
        lines.append(
            f"- **{md(need.skill)}**{step}: {you}, it needs "
            f"{skill_service.level_label(need.target)}. "
            + (f"Who can help: {people}. " if people else "Nobody I know has it. ")
            + (f"Next: {md(gap.next_step.action)}." if gap.next_step else "")
        )
    if met:
        lines.append(f"- already there: {', '.join(met)}")
    lines += ["", "### Steps", ""]
    steps = steps_of(g)
    for number, step in enumerate(steps, 1):
        state = step.status + (f", by {_long(step.target_date)}" if step.target_date else "")
        lines.append(f"{number}. **{md(step.title)}** ({state})")
        lines += [f"   {line}" for line in _smart(step, today)]
        behind = contacts_serving(step)
        if behind:
            lines.append(
                "   - People: "
                + ", ".join(
                    md(contact.name) + (f" ({link.role})" if link.role else "")
                    for link, contact in behind
                )
            )
    if not steps:
        lines.append(f'- none yet (`rapport goals add "..." --parent {g.id}`)')
    lines += ["", "### People behind it", ""]
    for person in review.relationships:
        org = f" ({md(person.organization)})" if person.organization else ""
        seen = f", last contacted {_long(person.last_contacted)}" if person.last_contacted else ""
        label = warmth_label(person.last_contacted, person.cadence_days, today)
        lines.append(f"- {md(person.name)}{org}, {person.role}: {label}{seen}")
    if not review.relationships:
        lines.append(f"- nobody yet (`rapport link CONTACT --goal {g.id} --role mentor`)")
    return [*lines, ""]
