"""The review as stable JSON and the weekly check-in as Markdown (docs/review.md).

Both the CLI and the TUI render through here, so a check-in saved from the
app reads the same as ``rapport review --week``.  JSON keys come in a fixed
order and are only ever added, never renamed or removed, within a major
version; dates are ``YYYY-MM-DD`` and absent values ``null``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from typing import Any

from rapport.dates import humanize_days
from rapport.models import GOAL_PRIORITIES
from rapport.services.review import (
    CheckIn,
    CoverageGaps,
    EventItem,
    FollowUpItem,
    GoalMove,
    GoalRef,
    GoalReview,
    InteractionItem,
    InterviewItem,
    Reciprocity,
    Relationship,
    Review,
    Suggestion,
    UnlinkedContact,
    step_note,  # noqa: F401  (the app's review reads it here)
)
from rapport.services.serialize import day

MARKDOWN_LIST_LIMIT = 25  # longer lists end with "... and N more": a check-in is read by a person


# -- JSON -------------------------------------------------------------------


def review_json(review: Review, goals: Sequence[GoalReview] | None = None) -> dict[str, Any]:
    """The review: ``goals`` (default: the active ones), gaps and suggestions."""
    shown = review.active_goals if goals is None else goals
    return {
        "today": day(review.today),
        "goals": [goal_review_json(g) for g in shown],
        "gaps": gaps_json(review.gaps),
        "suggestions": [suggestion_json(s) for s in review.suggestions],
    }


def goal_review_json(review: GoalReview) -> dict[str, Any]:
    g = review.goal
    progress = review.progress
    return {
        "id": g.id,
        "title": g.title,
        "status": g.status,
        "priority": g.priority,
        "parent_id": g.parent_id,
        "target_date": day(g.target_date),
        "warmth": review.warmth_counts,
        "relationships": [
            {"role": group.role, "contacts": [relationship_json(r) for r in group.relationships]}
            for group in review.roles
        ],
        "interviews": {
            "done": [_from_step(interview_json(i), i.step) for i in review.interviews_done],
            "planned": [_from_step(interview_json(i), i.step) for i in review.interviews_planned],
        },
        "events": {
            "attended": [event_json(e) for e in review.events_attended],
            "upcoming": [event_json(e) for e in review.events_upcoming],
        },
        "followups": {
            "overdue": [_from_step(followup_json(f), f.step) for f in review.followups_overdue],
            "upcoming": [_from_step(followup_json(f), f.step) for f in review.followups_upcoming],
        },
        "reciprocity": reciprocity_json(review.reciprocity),
        "progress": {
            "steps_done": progress.steps_done,
            "steps_total": progress.steps_total,
            "days_to_target": progress.days_to_target,
            "weekly_activity": list(progress.weekly_activity),
            "last_activity": day(progress.last_activity),
        },
        "smart": [{"code": issue.code, "text": issue.text} for issue in review.smart],
    }


def relationship_json(r: Relationship) -> dict[str, Any]:
    return {
        "id": r.contact_id,
        "name": r.name,
        "organization": r.organization or None,
        "note": r.note,
        "status": r.status,
        "last_contacted": day(r.last_contacted),
        "days_since": r.days_since,
        "next_due": day(r.next_due),
        "days_overdue": r.days_overdue,
        "cadence_days": r.cadence_days,
        "cadence_assumed": r.cadence_assumed,
        "reciprocity": reciprocity_json(r.reciprocity),
    }


def reciprocity_json(r: Reciprocity) -> dict[str, Any]:
    return {
        "gave": r.gave,
        "asked": r.asked,
        "mutual": r.mutual,
        "balance": r.balance,
        "verdict": r.verdict,
        "summary": r.summary,
    }


def _contact(contact_id: int | None, name: str) -> dict[str, Any] | None:
    return None if contact_id is None else {"id": contact_id, "name": name}


def interview_json(i: InterviewItem) -> dict[str, Any]:
    return {
        "id": i.id,
        "contact": _contact(i.contact_id, i.contact_name),
        "date": day(i.date),
        "status": i.status,
        "thank_you_sent": i.thank_you_sent,
    }


def _from_step(item: dict[str, Any], step: GoalRef | None) -> dict[str, Any]:
    """A goal's own item, or one of its steps' with the step it came from."""
    return {**item, "step": None if step is None else {"id": step.id, "title": step.title}}


def event_json(e: EventItem) -> dict[str, Any]:
    return {
        "id": e.id,
        "name": e.name,
        "start_date": day(e.start_date),
        "end_date": day(e.end_date),
        "status": e.status,
        "my_role": e.my_role,
    }


def followup_json(f: FollowUpItem) -> dict[str, Any]:
    return {
        "id": f.id,
        "title": f.title,
        "contact": _contact(f.contact_id, f.contact_name),
        "due_date": day(f.due_date),
        "days_overdue": f.days_overdue,
        "closed_on": day(f.closed_on),
    }


def _goal_ref(g: GoalRef | None) -> dict[str, Any] | None:
    return None if g is None else {"id": g.id, "title": g.title, "priority": g.priority}


def gaps_json(gaps: CoverageGaps) -> dict[str, Any]:
    return {
        "goals_without_people": [_goal_ref(g) for g in gaps.goals_without_people],
        "goals_all_cold": [_goal_ref(g) for g in gaps.goals_all_cold],
        "active_unlinked_contacts": [_unlinked_json(c) for c in gaps.active_unlinked],
    }


def _unlinked_json(c: UnlinkedContact) -> dict[str, Any]:
    return {
        "id": c.contact_id,
        "name": c.name,
        "organization": c.organization or None,
        "interactions": c.interactions,
        "last_contacted": day(c.last_contacted),
    }


def suggestion_json(s: Suggestion) -> dict[str, Any]:
    return {
        "rank": s.rank,
        "contact": {"id": s.contact_id, "name": s.name},
        "organization": s.organization or None,
        "kind": s.kind,
        "reason": s.reason,
        "reasons": list(s.reasons),
        "goal": _goal_ref(s.goal),
        "days_overdue": s.days_overdue,
        "last_contacted": day(s.last_contacted),
    }


def _move_json(m: GoalMove) -> dict[str, Any]:
    return {
        **(_goal_ref(m.goal) or {}),
        "this_week": m.this_week,
        "last_activity": day(m.last_activity),
    }


def _interaction_json(i: InteractionItem) -> dict[str, Any]:
    return {
        "id": i.id,
        "date": day(i.date),
        "channel": i.channel,
        "direction": i.direction,
        "summary": i.summary,
        "contacts": [{"id": c.id, "name": c.name} for c in i.contacts],
    }


def checkin_json(c: CheckIn) -> dict[str, Any]:
    return {
        "today": day(c.today),
        "since": day(c.since),
        "until": day(c.until),
        "done": {
            "interactions": [_interaction_json(i) for i in c.interactions],
            "interviews": [interview_json(i) for i in c.interviews_done],
            "followups_closed": [followup_json(f) for f in c.followups_closed],
            "events_attended": [event_json(e) for e in c.events_attended],
        },
        "due": {
            "followups": [followup_json(f) for f in c.followups_due],
            "interviews": [interview_json(i) for i in c.interviews_planned],
            "events": [event_json(e) for e in c.events_upcoming],
        },
        "goals": {
            "moved": [_move_json(m) for m in c.goals_moved],
            "quiet": [_move_json(m) for m in c.goals_quiet],
            "stalled": [_move_json(m) for m in c.goals_stalled],
        },
        "suggestions": [suggestion_json(s) for s in c.suggestions],
    }


# -- Markdown ---------------------------------------------------------------

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>])")


def md(text: str) -> str:
    """Text a person typed, safe inside a Markdown line (never at its start): it
    reads as typed, with no emphasis, link or HTML made of it by accident."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def weekday(value: dt.date) -> str:
    """``Mon 23 Nov``."""
    return f"{value:%a} {value.day} {value:%b}"


def date_span(start: dt.date, end: dt.date) -> str:
    """``17–23 Nov 2026``, ``28 Nov – 4 Dec 2026``, ``28 Dec 2026 – 3 Jan 2027``."""
    if start.year != end.year:
        return f"{start.day} {start:%b %Y} – {end.day} {end:%b %Y}"
    if start.month != end.month:
        return f"{start.day} {start:%b} – {end.day} {end:%b %Y}"
    return f"{start.day}–{end.day} {end:%b %Y}"


def _who(names: Iterable[str]) -> str:
    listed = [md(n) for n in names if n]
    return f" ({', '.join(listed)})" if listed else ""


def _section(title: str, lines: list[str]) -> list[str]:
    count = f" ({len(lines)})" if lines else ""
    shown = lines[:MARKDOWN_LIST_LIMIT]
    if len(lines) > len(shown):
        shown.append(f"- ... and {len(lines) - len(shown)} more")
    return [f"### {title}{count}", "", *(shown or ["- nothing"]), ""]


def _due_words(f: FollowUpItem, today: dt.date) -> str:
    if f.days_overdue:
        return f"**{f.days_overdue} day{'s' if f.days_overdue > 1 else ''} overdue**"
    if f.due_date == today:
        return "**today**"
    return weekday(f.due_date)


def _goal_line(m: GoalMove, today: dt.date) -> str:
    title = md(m.goal.title)
    priority = GOAL_PRIORITIES.get(m.goal.priority, "")
    tag = f" ({priority} priority)" if priority == "high" else ""
    if m.this_week:
        things = "thing" if m.this_week == 1 else "things"
        return f"- {title}{tag}: {m.this_week} {things} done this week"
    if m.last_activity is None:
        return f"- {title}{tag}: nothing done for it yet"
    return f"- {title}{tag}: last activity {humanize_days((m.last_activity - today).days)}"


def suggestion_line(s: Suggestion) -> str:
    """``**Name** (Organization): reason``, the words a suggestion is read in."""
    org = f" ({md(s.organization)})" if s.organization else ""
    return f"**{md(s.name)}**{org}: {md(s.reason)}"


def checkin_markdown(c: CheckIn) -> str:
    """The weekly check-in as Markdown, to send to an accountability partner."""
    today = c.today
    lines = [f"# Weekly check-in, {date_span(c.since, today)}", ""]
    lines += [f"## Done in the last 7 days ({date_span(c.since, today)})", ""]
    lines += _section(
        "Interactions",
        [
            f"- {weekday(i.date)}: {i.channel} with "
            + (", ".join(md(p.name) for p in i.contacts) or "nobody")
            + (f": {md(i.summary)}" if i.summary else "")
            + f" ({i.direction})"
            for i in c.interactions
        ],
    )
    lines += _section(
        "Interviews done",
        [f"- {weekday(i.date)}: {md(i.contact_name)}" for i in c.interviews_done if i.date],
    )
    lines += _section(
        "Follow-ups closed",
        [
            f"- {weekday(f.closed_on)}: {md(f.title)}{_who([f.contact_name])}"
            for f in c.followups_closed
            if f.closed_on
        ],
    )
    lines += _section(
        "Events attended",
        [f"- {weekday(e.start_date)}: {md(e.name)}" for e in c.events_attended],
    )
    lines += [f"## Due by {weekday(c.until)}", ""]
    lines += _section(
        "Follow-ups",
        [
            f"- {_due_words(f, today)}: {md(f.title)}{_who([f.contact_name])}"
            for f in c.followups_due
        ],
    )
    lines += _section(
        "Interviews planned",
        [
            f"- {weekday(i.date)}: {md(i.contact_name)}"
            + (" (the date has passed: mark it done or move it)" if i.date < today else "")
            for i in c.interviews_planned
            if i.date
        ],
    )
    lines += _section(
        "Events",
        [f"- {weekday(e.start_date)}: {md(e.name)} ({e.status})" for e in c.events_upcoming],
    )
    lines += ["## Goals", ""]
    lines += _section("Moved this week", [_goal_line(m, today) for m in c.goals_moved])
    lines += _section("Quiet this week", [_goal_line(m, today) for m in c.goals_quiet])
    lines += _section(
        "Stalled: nothing in 30 days", [_goal_line(m, today) for m in c.goals_stalled]
    )
    lines += ["## Suggested for this week", ""]
    lines += [f"{s.rank}. {suggestion_line(s)}" for s in c.suggestions] or ["Nobody: well done."]
    return "\n".join(lines).rstrip("\n") + "\n"
