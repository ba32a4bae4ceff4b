"""The gaps between what each goal needs and where the person stands, who can close them,
and the next step for each.

For every need of an active goal (its own and its steps'): the current level
and its date, the target, the gap, and the people who have the skill: those
marked at or above the target (or at a level not known), confirmed ones
before ones filled by an import, then a few candidates whose records mention
the skill; within each, warmest first (the review's warmth: warm, due, cold,
never contacted), then by level, then by name.  A met need lists nobody.

The next step for a gap, in this order of reasons:

1. nobody is known to have the skill: an upcoming event that mentions it, or
   a warm person behind the goal who can introduce someone, or a search;
2. a warm person has it: ask them (a review from a mentor, advice otherwise);
3. only people who went cold or were never contacted have it: reconnect;
4. only candidates mention it: ask whether they know it, then confirm them.

Computed in a fixed number of queries per skill in a gap, so it stays well
under a second on a 30,000-contact network.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from peewee import JOIN

from rapport import clock
from rapport.models import (
    SKILL_LEVELS,
    Contact,
    Event,
    Expertise,
    Goal,
    GoalLink,
    Organization,
    Skill,
    database,
)
from rapport.services.candidates import candidates_for, skill_query
from rapport.services.needs import Need, need_json, needs_of
from rapport.services.resolve import resolve_goal

# The review's own rule for warmth (services/review*).
from rapport.services.review import WARMTH, warmth
from rapport.services.serialize import day
from rapport.services.skills import level_label
from rapport.services.touches import last_contacted

if TYPE_CHECKING:
    from rapport.services.followups import FollowUpRow

CANDIDATES_PER_GAP = 3
PEOPLE_PER_GAP = 10
SOURCES = ("confirmed", "imported", "candidate")


@dataclass(frozen=True)
class Helper:
    """Someone who can help close a gap."""

    contact_id: int
    name: str
    organization: str
    level: int | None
    source: str  # confirmed, imported (from a file, not yet confirmed) or candidate
    warmth: str  # warm, due, cold, never
    last_contacted: dt.date | None
    role: str  # their role for this goal when linked to it, else ""
    matched: tuple[str, ...] = ()

    @property
    def level_label(self) -> str:
        return level_label(self.level) or "level not known"


@dataclass(frozen=True)
class NextStep:
    action: str
    reason: str


@dataclass(frozen=True)
class Gap:
    need: Need
    people: tuple[Helper, ...]
    next_step: NextStep | None  # None when the need is met

    @property
    def open(self) -> bool:
        return self.need.gap != 0

    @property
    def uncovered(self) -> bool:
        """Open, and nobody known (marked or mentioned) has the skill."""
        return self.open and not self.people


@dataclass(frozen=True)
class GoalGaps:
    goal_id: int
    title: str
    parent_id: int | None
    gaps: tuple[Gap, ...]

    @property
    def open_gaps(self) -> list[Gap]:
        return [g for g in self.gaps if g.open]


@dataclass
class GapsReport:
    today: dt.date
    goals: list[GoalGaps] = field(default_factory=list)

    @property
    def uncovered(self) -> list[tuple[GoalGaps, Gap]]:
        """Open gaps nobody in the network covers, each once: a step's gaps are named
        under the goal it is a step of when that goal is in the report too."""
        shown = {g.goal_id for g in self.goals}
        return [
            (g, gap)
            for g in self.goals
            if g.parent_id not in shown
            for gap in g.gaps
            if gap.uncovered
        ]


def gaps_report(goal: object = None, *, today: dt.date | None = None) -> GapsReport:
    """The gaps of every active goal (or of one goal, whatever its status).

    Each goal carries its own needs and its steps'.  Raises NotFound for an
    unknown goal.
    """
    today = today or clock.today()
    if goal is not None:
        record = resolve_goal(goal)
        goals = [(record.id, record.title, record.parent_id)]
    else:
        goals = list(
            Goal.select(Goal.id, Goal.title, Goal.parent)
            .where(Goal.status == "active")
            .order_by(Goal.priority, Goal.target_date.is_null(), Goal.target_date, Goal.title)
            .tuples()
        )
    return GapsReport(today, goal_gaps(goals, today))


def goal_gaps(goals: list[tuple[int, str, int | None]], today: dt.date) -> list[GoalGaps]:
    """For (id, title, parent id) of goals: their gaps with helpers and next steps."""
    needs = needs_of([g[0] for g in goals])
    open_skills = {n.skill_id for ns in needs.values() for n in ns if n.gap != 0}
    helpers = _helpers(open_skills, today)
    roles = _roles({g for g, _, _ in goals} | {n.goal_id for ns in needs.values() for n in ns})
    people = {
        (goal_id, need.goal_id, need.skill_id): _for_goal(
            helpers.get(need.skill_id, []), need, roles, goal_id
        )
        for goal_id, _, _ in goals
        for need in needs.get(goal_id, [])
        if need.gap != 0
    }
    # Events are a next step only where nobody you know has the skill.
    events = _events_about({key[2] for key, found in people.items() if not found}, today)
    result = []
    for goal_id, title, parent_id in goals:
        gaps = []
        for need in needs.get(goal_id, []):
            if need.gap == 0:
                gaps.append(Gap(need, (), None))
                continue
            found = people[(goal_id, need.goal_id, need.skill_id)]
            step = _next_step(need, found, roles.get(goal_id, {}), events.get(need.skill_id), today)
            gaps.append(Gap(need, tuple(found), step))
        # Gaps nobody covers first, then the widest, then by skill.
        gaps.sort(key=lambda g: (not g.uncovered, not g.open, -_width(g.need), g.need.skill))
        result.append(GoalGaps(goal_id, title, parent_id, tuple(gaps)))
    return result


def _width(need: Need) -> int:
    return need.target if need.gap is None else need.gap


@dataclass
class _Person:
    contact_id: int
    name: str
    organization: str
    level: int | None
    source: str
    cadence: int | None
    matched: tuple[str, ...] = ()


def _helpers(skill_ids: set[int], today: dt.date) -> dict[int, list[tuple[_Person, str, Any]]]:
    """For each skill: the people who have it (marked, then a few candidates), with
    their warmth and last contact."""
    if not skill_ids:
        return {}
    people: dict[int, list[_Person]] = defaultdict(list)
    marked = (
        Expertise.select(
            Expertise.skill,
            Expertise.level,
            Expertise.confirmed,
            Contact.id,
            Contact.name,
            Contact.cadence_days,
            Organization.name,
        )
        .join(Contact, on=(Expertise.contact == Contact.id))
        .join(Organization, JOIN.LEFT_OUTER, on=(Contact.organization == Organization.id))
        .where(Expertise.skill.in_(sorted(skill_ids)), Contact.archived == False)  # noqa: E712
    )
    for skill_id, level, confirmed, cid, name, cadence, org in database.execute(marked):
        source = "confirmed" if confirmed else "imported"
        people[skill_id].append(_Person(cid, name, org or "", level, source, cadence))
    for skill in Skill.select().where(Skill.id.in_(sorted(skill_ids))):
        found = candidates_for(skill, limit=CANDIDATES_PER_GAP)
        cadences = dict(
            Contact.select(Contact.id, Contact.cadence_days)
            .where(Contact.id.in_([c.contact_id for c in found]))
            .tuples()
        )
        for c in found:
            people[skill.id].append(
                _Person(
                    c.contact_id,
                    c.name,
                    c.organization,
                    None,
                    "candidate",
                    cadences.get(c.contact_id),
                    c.matched,
                )
            )
    ids = {p.contact_id for ps in people.values() for p in ps}
    last = last_contacted(ids, today=today)
    return {
        skill_id: [
            (p, warmth(last.get(p.contact_id), p.cadence, today), last.get(p.contact_id))
            for p in ps
        ]
        for skill_id, ps in people.items()
    }


def _roles(goal_ids: set[int]) -> dict[int, dict[int, str]]:
    """For each goal: its linked (not archived) contacts and their role for it."""
    rows = (
        GoalLink.select(GoalLink.goal, GoalLink.contact, GoalLink.role)
        .join(Contact, on=(GoalLink.contact == Contact.id))
        .where(GoalLink.goal.in_(sorted(goal_ids)), Contact.archived == False)  # noqa: E712
        .tuples()
    )
    result: dict[int, dict[int, str]] = defaultdict(dict)
    for goal_id, contact_id, role in rows:
        result[goal_id][contact_id] = role or "other"
    return result


def _for_goal(
    found: list[tuple[_Person, str, Any]],
    need: Need,
    roles: dict[int, dict[int, str]],
    goal_id: int,
) -> list[Helper]:
    """Who closes this need: at or above the target (or level not known), best first."""
    mine = {**roles.get(need.goal_id, {}), **roles.get(goal_id, {})}
    chosen = [
        Helper(
            p.contact_id,
            p.name,
            p.organization,
            p.level,
            p.source,
            status,
            seen,
            mine.get(p.contact_id, ""),
            p.matched,
        )
        for p, status, seen in found
        if p.level is None or p.level >= need.target
    ]
    chosen.sort(
        key=lambda h: (
            SOURCES.index(h.source),
            WARMTH.index(h.warmth),
            h.level is None,
            -(h.level or 0),
            h.name.casefold(),
            h.contact_id,
        )
    )
    # A contact marked already is not offered again as a candidate.
    seen_ids: set[int] = set()
    unique = []
    for helper in chosen:
        if helper.contact_id not in seen_ids:
            seen_ids.add(helper.contact_id)
            unique.append(helper)
    return unique[:PEOPLE_PER_GAP]


def _events_about(skill_ids: set[int], today: dt.date) -> dict[int, tuple[str, dt.date]]:
    """For each skill, the first upcoming event (not skipped) whose name or notes mention it."""
    result: dict[int, tuple[str, dt.date]] = {}
    for skill in Skill.select().where(Skill.id.in_(sorted(skill_ids))):
        query = skill_query(skill)
        if query is None:
            continue
        rows = database.execute_sql(
            "SELECT rowid FROM search_index WHERE search_index MATCH ? AND rowid % 8 = 4",
            (query,),
        ).fetchall()
        if not rows:
            continue
        event = (
            Event.select(Event.name, Event.start_date)
            .where(
                Event.id.in_([r[0] // 8 for r in rows]),
                Event.start_date >= today,
                Event.status != "skipped",
            )
            .order_by(Event.start_date)
            .first()
        )
        if event is not None:
            result[skill.id] = (event.name, event.start_date)
    return result


def _days(seen: dt.date | None, today: dt.date) -> str:
    if seen is None:
        return "never contacted"
    days = (today - seen).days
    if days == 0:
        return "last contacted today"
    return f"last contacted {days} day{'s' if days != 1 else ''} ago"


def _next_step(
    need: Need,
    people: list[Helper],
    linked: dict[int, str],
    event: tuple[str, dt.date] | None,
    today: dt.date,
) -> NextStep:
    skill = need.skill
    target = f"{need.target} {SKILL_LEVELS[need.target]}"
    known = [p for p in people if p.source != "candidate"]
    if not people:
        if event is not None:
            name, day = event
            return NextStep(
                f"go to {name} ({day:%a} {day.day} {day:%b})",
                f"nobody you know has {skill}; the event is about it, and you may meet someone",
            )
        introducers = sorted(linked.items(), key=lambda item: (item[1] != "mentor", item[0]))
        if introducers:
            cid, role = introducers[0]
            name = Contact.select(Contact.name).where(Contact.id == cid).scalar()
            return NextStep(
                f"ask {name} for an introduction to someone who knows {skill}",
                f"nobody you know has {skill}; {name} backs this goal ({role})",
            )
        return NextStep(
            f"look for an event, a course or a community about {skill}",
            f"nobody you know has {skill}, and nobody backs this goal yet",
        )
    if known:
        best = known[0]
        # "Dana Whitfield knows Hiring at 5 expert (you need 4 strong)"; marked without
        # a level: "Ken Ito knows Hiring (the level is not marked; you need 3 practised)".
        knows = f"{best.name} knows {skill}" + (
            f" at {best.level_label} (you need {target})"
            if best.level
            else f" (the level is not marked; you need {target})"
        )
        if best.warmth == "warm":
            if best.role == "mentor":
                action = f"ask {best.name} to review your {skill}"
            else:
                action = f"ask {best.name} for advice on {skill}"
            return NextStep(action, f"{knows} and is warm ({_days(best.last_contacted, today)})")
        return NextStep(
            # Nobody "reconnects" with someone they never talked to.
            ("get in touch with" if best.warmth == "never" else "reconnect with")
            + f" {best.name}, who has {skill}",
            f"{knows}, but "
            + {"never": "you never contacted them", "due": "a touch is due"}.get(
                best.warmth, f"is {best.warmth}"
            )
            + (f" ({_days(best.last_contacted, today)})" if best.last_contacted else ""),
        )
    best = people[0]
    mention = best.matched[0] if best.matched else skill
    return NextStep(
        f"ask {best.name} whether they know {skill}, then confirm: "
        f"rapport skills candidates {skill!r} --confirm {best.contact_id}",
        f"nobody is marked as knowing {skill}, but {best.name}'s records mention it: {mention}",
    )


# -- JSON (docs/json.md, "Gaps") ---------------------------------------------------


def helper_json(h: Helper) -> dict[str, Any]:
    return {
        "id": h.contact_id,
        "name": h.name,
        "organization": h.organization or None,
        "level": h.level,
        "level_name": SKILL_LEVELS.get(h.level) if h.level else None,
        "source": h.source,
        "warmth": h.warmth,
        "last_contacted": day(h.last_contacted),
        "role": h.role or None,
        "matched": list(h.matched),
    }


def gap_json(gap: Gap) -> dict[str, Any]:
    need = gap.need
    return {
        **need_json(need),
        "gap_text": need.gap_words,
        "covered": not gap.uncovered,
        "people": [helper_json(h) for h in gap.people],
        "next_step": (
            {"action": gap.next_step.action, "reason": gap.next_step.reason}
            if gap.next_step
            else None
        ),
    }


def gaps_json(report: GapsReport) -> dict[str, Any]:
    """``review --gaps --json``: every goal's gaps, and the ones nobody covers first."""
    return {
        "today": day(report.today),
        "uncovered": [
            {"goal_id": g.goal_id, "skill_id": gap.need.skill_id, "skill": gap.need.skill}
            for g, gap in report.uncovered
        ],
        "goals": [
            {
                "id": g.goal_id,
                "title": g.title,
                "parent_id": g.parent_id,
                "skills": [gap_json(gap) for gap in g.gaps],
            }
            for g in report.goals
        ],
    }


def add_skills(goals: list[dict[str, Any]], today: dt.date | None = None) -> None:
    """Give each goal of the review's JSON its ``skills`` part (its gaps), in place."""
    today = today or clock.today()
    found = goal_gaps([(g["id"], g["title"], g["parent_id"]) for g in goals], today)
    for data, gaps in zip(goals, found, strict=True):
        data["skills"] = [gap_json(gap) for gap in gaps.gaps]


# -- the weekly check-in's skills section -------------------------------------------


@dataclass(frozen=True)
class RatingMove:
    skill: str
    date: dt.date
    before: int | None  # the level before this week; None for a first rating
    after: int


@dataclass(frozen=True)
class SkillFollowUp:
    title: str
    skill: str
    contact: str
    closed_on: dt.date


@dataclass(frozen=True)
class WeekSkills:
    since: dt.date
    today: dt.date
    ratings: tuple[RatingMove, ...]
    followups_done: tuple[SkillFollowUp, ...]
    open_gaps: tuple[tuple[GoalGaps, Gap], ...]  # uncovered first


def week_skills(*, today: dt.date | None = None) -> WeekSkills:
    """For ``review --week``: ratings given in the last 7 days (today included), from
    the level before them; follow-ups about a skill closed in those days; and the
    gaps still open for active goals, the ones nobody covers first."""
    from rapport.models import FollowUp, SkillRating

    today = today or clock.today()
    since = today - dt.timedelta(days=6)
    rows = (
        SkillRating.select(SkillRating.skill, Skill.name, SkillRating.date, SkillRating.level)
        .join(Skill)
        .order_by(SkillRating.date, SkillRating.id)
        .where(SkillRating.date <= today)
        .tuples()
    )
    level: dict[int, int] = {}
    moves = []
    for skill_id, name, day_, value in rows:
        if day_ >= since:
            moves.append(RatingMove(name, day_, level.get(skill_id), value))
        level[skill_id] = value
    start = dt.datetime.combine(since, dt.time(), clock.local_zone()).astimezone(dt.UTC)
    closed = (
        FollowUp.select(FollowUp.title, Skill.name, Contact.name, FollowUp.done_at)
        .join(Skill, on=(FollowUp.skill == Skill.id))
        .switch(FollowUp)
        .join(Contact, JOIN.LEFT_OUTER, on=(FollowUp.contact == Contact.id))
        .where(FollowUp.done == True, FollowUp.done_at >= start.replace(tzinfo=None))  # noqa: E712
        .order_by(FollowUp.done_at)
        .tuples()
    )
    done = [
        SkillFollowUp(title, skill, contact or "", _local_day(done_at))
        for title, skill, contact, done_at in closed
    ]
    report = gaps_report(today=today)
    shown = {g.goal_id for g in report.goals}
    open_gaps = [
        (g, gap) for g in report.goals if g.parent_id not in shown for gap in g.gaps if gap.open
    ]
    open_gaps.sort(key=lambda pair: not pair[1].uncovered)
    return WeekSkills(since, today, tuple(moves), tuple(done), tuple(open_gaps))


def _local_day(utc: dt.datetime) -> dt.date:
    return utc.replace(tzinfo=dt.UTC).astimezone(clock.local_zone()).date()


def week_markdown(week: WeekSkills) -> str:
    """The check-in's ``## Skills`` section (docs/review.md); "" when there is nothing
    to say (no rating, no skill follow-up, no open gap: no skills yet)."""
    from rapport.services.review_report import md, weekday

    if not (week.ratings or week.followups_done or week.open_gaps):
        return ""

    def section(title: str, lines: list[str]) -> list[str]:
        count = f" ({len(lines)})" if lines else ""
        return [f"### {title}{count}", "", *(lines or ["- nothing"]), ""]

    out = ["## Skills", ""]
    out += section(
        "Ratings this week",
        [
            f"- {weekday(m.date)}: {md(m.skill)}, "
            + (f"{level_label(m.before)} → " if m.before else "first rated ")
            + level_label(m.after)
            for m in week.ratings
        ],
    )
    out += section(
        "Skill follow-ups done",
        [
            f"- {weekday(f.closed_on)}: {md(f.title)} ({md(f.skill)}"
            + (f", with {md(f.contact)})" if f.contact else ")")
            for f in week.followups_done
        ],
    )
    out += section(
        "Gaps still open",
        [
            f"- {md(g.title)}: {md(gap.need.skill)}"
            + (f" (for the step {md(gap.need.goal_title)})" if gap.need.step else "")
            + f", {gap.need.gap_words}"
            + (" (nobody you know has it)" if gap.uncovered else "")
            + (f"; next: {md(gap.next_step.action)}" if gap.next_step else "")
            for g, gap in week.open_gaps
        ],
    )
    return "\n".join(out).rstrip("\n") + "\n"


def week_json(week: WeekSkills) -> dict[str, Any]:
    """The check-in's ``skills`` part (docs/review.md)."""
    return {
        "ratings": [
            {"skill": m.skill, "date": day(m.date), "before": m.before, "after": m.after}
            for m in week.ratings
        ],
        "followups_done": [
            {
                "title": f.title,
                "skill": f.skill,
                "contact": f.contact or None,
                "closed_on": day(f.closed_on),
            }
            for f in week.followups_done
        ],
        "open_gaps": [
            {"goal": {"id": g.goal_id, "title": g.title}, **gap_json(gap)}
            for g, gap in week.open_gaps
        ],
    }


# -- acting on a gap -------------------------------------------------------------------


def _open_gaps_with(goal: object, contact: object) -> tuple[Any, Any, list[Gap], Gap | None]:
    """The goal, the contact, the goal's open gaps (one per skill) and the widest of
    them the contact is known to close (None if none)."""
    from rapport.services.resolve import resolve_contact

    record = resolve_goal(goal)
    person = resolve_contact(contact)
    (found,) = goal_gaps([(record.id, record.title, record.parent_id)], clock.today())
    open_gaps: list[Gap] = []
    for gap in found.open_gaps:  # a skill the goal and one of its steps need: asked once
        if all(g.need.skill_id != gap.need.skill_id for g in open_gaps):
            open_gaps.append(gap)
    known = next((g for g in open_gaps if any(h.contact_id == person.id for h in g.people)), None)
    return record, person, open_gaps, known


def skills_to_ask(goal: object, contact: object) -> list[Need]:
    """The skills the goal still needs, to pick one to ask the contact about, when they
    are not known to have any of them (asking someone who may know is what an
    informational question is for); [] when they are (ask_about takes the widest gap
    they close) or when the goal lacks nothing.  Raises NotFound, Ambiguous."""
    _, _, open_gaps, known = _open_gaps_with(goal, contact)
    return [] if known is not None else [g.need for g in open_gaps]


@dataclass(frozen=True)
class Question:
    """The follow-up :func:`ask_about` makes, before it is made (for a face to
    confirm): its title, due day, the skill, the goal and whom it asks."""

    title: str
    due: dt.date
    skill_id: int
    skill: str
    goal_id: int
    goal: str
    contact_id: int
    contact: str


def question_to_ask(
    goal: object, contact: object, *, skill: object = None, due: object = "+2d"
) -> Question:
    """What :func:`ask_about` would add, nothing written: about ``skill`` when given
    (one the goal still needs), else about the widest of the goal's open gaps the
    contact is known to close.  Raises NotFound, Ambiguous, ValidationError
    (``skill`` is no open gap of the goal), RapportError (nothing to ask: the goal
    lacks no skill, or the contact is not known to have any it lacks)."""
    from rapport.errors import RapportError, ValidationError
    from rapport.services import clean
    from rapport.services.skills import resolve_skill

    record, person, open_gaps, gap = _open_gaps_with(goal, contact)
    first = person.name.split()[0]
    names = ", ".join(g.need.skill for g in open_gaps)
    if not open_gaps:
        raise RapportError(
            f"“{record.title}” lacks no skill, so there is nothing to ask {first} about "
            "(rapport goals need says what a goal needs)",
            title="Nothing to ask",
        )
    if skill is not None:
        wanted = resolve_skill(skill)
        gap = next((g for g in open_gaps if g.need.skill_id == wanted.id), None)
        if gap is None:
            raise ValidationError(
                "skill", f"“{record.title}” does not lack {wanted.name}; it lacks {names}"
            )
    elif gap is None:
        raise RapportError(
            f"{person.name} is not known to have a skill “{record.title}” still lacks "
            f"({names}): pick one to ask them about, or mark what they know with "
            f"rapport contacts expertise",
            title="Nothing known to ask about",
        )
    return Question(
        title=f"Ask {first} about {gap.need.skill}",
        due=clean.when(due, "due").date,
        skill_id=gap.need.skill_id,
        skill=gap.need.skill,
        goal_id=record.id,
        goal=record.title,
        contact_id=person.id,
        contact=person.name,
    )


def ask_about(
    goal: object, contact: object, *, skill: object = None, due: object = "+2d"
) -> FollowUpRow:
    """The follow-up "Ask NAME about SKILL", linked to the goal, the contact and the
    skill, that :func:`question_to_ask` describes (and raises as it does)."""
    from rapport.services.followups import create_followup

    question = question_to_ask(goal, contact, skill=skill, due=due)
    return create_followup(
        question.title,
        due=question.due,
        contact=question.contact_id,
        goals=[question.goal_id],
        skill=question.skill_id,
    )
