"""``rapport review``: the relationships behind each goal, and the weekly check-in."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import click

from rapport.choices import GOAL_PRIORITIES
from rapport.cli._shared import (
    json_option,
    output_option,
    print_json,
    print_or_write,
    reads_db_plainly,
    table,
)
from rapport.dates import humanize_days
from rapport.services import review as review_service
from rapport.services.review import CoverageGaps, GoalReview, Review, Suggestion, step_note
from rapport.words import plural

if TYPE_CHECKING:
    from rapport.services.gaps import Gap, GapsReport

SPARK = "▁▂▃▄▅▆▇█"
LISTED = 10  # gaps and suggestions printed before "... and N more"


@click.command()
@click.option("--goal", metavar="GOAL", help="Review one goal (an id or part of its title).")
@click.option(
    "--week", is_flag=True, help="The weekly check-in instead: done, due, goals, suggestions."
)
@click.option(
    "--gaps",
    "show_gaps",
    is_flag=True,
    help="The skills each goal still needs, who can help close each gap, and the next step.",
)
@click.option(
    "--commit",
    "commits",
    multiple=True,
    metavar="PROMISE",
    help="With --week: what you promise for the coming week (repeatable).",
)
@click.option(
    "--missed",
    nargs=2,
    multiple=True,
    metavar="N REASON",
    help="With --week: promise N, one of last week's, did not happen, and what got in "
    "the way (repeatable).",
)
@click.option(
    "--drop",
    "drops",
    multiple=True,
    metavar="N",
    help="With --week: take back promise N, made this week by mistake (repeatable).",
)
@click.option(
    "--on", "on_day", metavar="DATE", help="With --week: read the check-in kept that day."
)
@output_option("With --week: write the check-in to FILE instead of printing it")
@json_option
# The plain review prints from SQL text on SQLite's own connection, without
# peewee and the models (about 30 ms of its start); the others read through
# services that use the models (one goal's resolver, the check-in, skill gaps).
@reads_db_plainly("goal", "week", "show_gaps", "as_json")
def review(
    goal: str | None,
    week: bool,
    show_gaps: bool,
    commits: tuple[str, ...],
    missed: tuple[tuple[str, str], ...],
    drops: tuple[str, ...],
    on_day: str | None,
    output: str | None,
    as_json: bool,
) -> None:
    """Which relationships serve which goal, how warm they are, and what to do this week.

    Without options: every active goal, then coverage gaps and this week's
    suggestions.  --week prints the weekly check-in as Markdown, ready to send
    to an accountability partner (--json for scripts; see docs/review.md).
    --gaps shows the skills each goal still needs and who can help close them.
    """
    if week and show_gaps:
        raise click.UsageError("--gaps and --week are two reviews; give one")
    # The skill gaps, the check-in and the JSON shapes (with the contact,
    # follow-up and search services they read) load for their options alone:
    # 40 ms of the plain review's start.
    if show_gaps:
        from rapport.services import gaps

        found = gaps.gaps_report(goal)
        if as_json:
            print_json(gaps.gaps_json(found))
        else:
            _print_skill_gaps(found)
        return
    if week and goal:
        raise click.UsageError("--week covers every goal; leave out --goal")
    if output is not None and not week:
        raise click.UsageError("-o/--output goes with --week")
    if (commits or missed or drops or on_day) and not week:
        raise click.UsageError("--commit, --missed, --drop and --on go with --week")
    if on_day is not None and (commits or missed or drops or as_json):
        raise click.UsageError(
            "--on reads a kept check-in; it goes without --commit, --missed, --drop, --json"
        )
    if week:
        from rapport.services import promises

        if on_day is not None:
            print_or_write(promises.kept_checkin(on_day), output, "the check-in")
            return
        # A file is written inside the transaction: one that cannot be written
        # leaves the promises as they were, for the retry.
        written = promises.weekly_checkin_text(
            as_json=as_json,
            commits=commits,
            missed=missed,
            drops=drops,
            deliver=None
            if output is None
            else lambda text: print_or_write(text, output, "the check-in"),
        )
        for promise in written.dropped:
            click.echo(f"Dropped promise {promise}", err=True)
        if output is None:
            click.echo(written.text, nl=False)
        return
    if goal is not None:
        one = review_service.goal_review(goal)
        if as_json:
            _print_review_json(one)
        else:
            _print_goal(one)
        return
    if as_json:
        _print_review_json(review_service.build_review())
        return
    # The terminal lists the first few contacts active but serving no goal and
    # counts the rest: 5,000 of them at 30,000 contacts, which --json lists.
    _print_review(review_service.build_review(unlinked=LISTED))


def _print_review_json(found: Review | GoalReview) -> None:
    """The review (or one goal's) as docs/review.md shapes it, each goal with its skills."""
    from rapport.services import gaps
    from rapport.services import review_report as report

    if isinstance(found, Review):
        data = report.review_json(found)
        gaps.add_skills(data["goals"], found.today)
    else:
        data = report.goal_review_json(found)
        gaps.add_skills([data], found.today)
    print_json(data)


def sparkline(counts: Sequence[int]) -> str:
    """One block per count, scaled to the largest: an empty week is the lowest block,
    any activity at least the next one up."""
    top = max(counts, default=0)
    steps = len(SPARK) - 1
    return "".join(SPARK[max(1, round(c / top * steps)) if c else 0] for c in counts)


def _when(days: int | None) -> str:
    return "" if days is None else humanize_days(days)


def _print_review(whole: Review) -> None:
    today = whole.today
    click.echo(click.style(f"Review, {today:%A} {today.day} {today:%B %Y}", bold=True))
    goals = whole.active_goals
    if not goals:
        click.echo('\nNo active goals. Add one: rapport goals add "Lead a platform team by 2027"')
    for one in goals:
        click.echo("")
        _print_goal(one)
    _print_gaps(whole.gaps)
    _print_suggestions(whole.suggestions)


def _print_goal(one: GoalReview) -> None:
    g = one.goal
    progress = one.progress
    click.echo(click.style(f"#{g.id} {g.title}", bold=True))
    about = [f"{GOAL_PRIORITIES.get(g.priority, '')} priority", g.status]
    if g.parent_id:
        about.append(f"step of #{g.parent_id}")
    if g.target_date:
        about.append(f"target {g.target_date} ({_when(progress.days_to_target)})")
    click.echo("  " + ", ".join(about))
    last = progress.last_activity
    steps = (
        f"{progress.steps_done} of {progress.steps_total} done" if progress.steps_total else "none"
    )
    click.echo(
        f"  Steps: {steps}   Activity, 12 weeks: {sparkline(progress.weekly_activity)}"
        f"   last: {_when((last - one.today).days) if last else 'never'}"
    )
    r = one.reciprocity
    click.echo(f"  Reciprocity: gave {r.gave}, asked {r.asked}, mutual {r.mutual}: {r.summary}")
    people = one.relationships
    counts = ", ".join(
        f"{n} {review_service.WARMTH_LABELS[status]}"
        for status, n in one.warmth_counts.items()
        if n
    )
    click.echo(f"  People ({len(people)}){': ' + counts if counts else ''}")
    if people:
        table(
            ["ROLE", "NAME", "WARMTH", "LAST CONTACTED", "NEXT DUE", "GAVE/ASKED"],
            [
                (
                    group.role,
                    p.name + (f" ({p.organization})" if p.organization else ""),
                    p.status_label,
                    _when(-p.days_since) if p.days_since is not None else "never",
                    str(p.next_due),
                    f"{p.reciprocity.gave}/{p.reciprocity.asked}",
                )
                for group in one.roles
                for p in group.relationships
            ],
        )
    thanks = {True: "", False: ", no thank-you sent"}
    _print_list(
        "Interviews",
        [
            *(
                f"done {i.date}: {i.contact_name}{thanks[i.thank_you_sent]}{step_note(i.step)}"
                for i in one.interviews_done
            ),
            *(
                f"planned {i.date or 'undated'}: {i.contact_name}{step_note(i.step)}"
                for i in one.interviews_planned
            ),
        ],
    )
    _print_list(
        "Events",
        [
            *(f"attended {e.start_date}: {e.name}" for e in one.events_attended),
            *(f"{e.status} {e.start_date}: {e.name}" for e in one.events_upcoming),
        ],
    )
    _print_list(
        "Follow-ups",
        [
            *(
                f"{plural(f.days_overdue, 'day')} overdue: {f.title}{step_note(f.step)}"
                for f in one.followups_overdue
            ),
            *(f"due {f.due_date}: {f.title}{step_note(f.step)}" for f in one.followups_upcoming),
        ],
    )
    if one.smart:
        _print_list("SMART check", [issue.text for issue in one.smart])
    elif g.status == "active":
        click.echo("  SMART check: nothing missing")


def _print_list(title: str, lines: Sequence[str]) -> None:
    if not lines:
        click.echo(f"  {title}: none")
        return
    click.echo(f"  {title}:")
    for line in lines:
        click.echo(f"    - {line}")


def _more(total: int) -> None:
    if total > LISTED:
        click.echo(f"    ... and {total - LISTED} more (--json lists them all)")


def _print_gaps(gaps: CoverageGaps) -> None:
    click.echo(click.style("\nCoverage gaps", bold=True))
    if not (gaps.goals_without_people or gaps.goals_all_cold or gaps.active_unlinked_count):
        click.echo("  none: every active goal has someone warm behind it")
        return
    for g in gaps.goals_without_people:
        click.echo(
            f"  - #{g.id} {g.title}: nobody is linked to it (rapport link CONTACT --goal {g.id})"
        )
    for g in gaps.goals_all_cold:
        click.echo(f"  - #{g.id} {g.title}: everyone behind it is cold or never contacted")
    if gaps.active_unlinked_count:
        click.echo("  Active in the last 30 days but serving no goal (a link may be missing):")
        for c in gaps.active_unlinked[:LISTED]:
            org = f" ({c.organization})" if c.organization else ""
            times = "once" if c.interactions == 1 else f"{c.interactions} times"
            click.echo(f"    - #{c.contact_id} {c.name}{org}: {times}, last on {c.last_contacted}")
        _more(gaps.active_unlinked_count)


def _print_suggestions(suggestions: Sequence[Suggestion]) -> None:
    click.echo(click.style("\nSuggestions for this week", bold=True))
    if not suggestions:
        click.echo("  nobody to chase: well done")
    for s in suggestions[:LISTED]:
        org = f" ({s.organization})" if s.organization else ""
        click.echo(f"  {s.rank:>2}. #{s.contact_id} {s.name}{org}: {s.reason}")
    _more(len(suggestions))


def _print_skill_gaps(found: GapsReport) -> None:
    today = found.today
    click.echo(click.style(f"Skill gaps, {today:%A} {today.day} {today:%B %Y}", bold=True))
    if not any(g.gaps for g in found.goals):
        click.echo("\nNo goal names the skills it needs: rapport goals need GOAL SKILL --level 4")
        return
    uncovered = found.uncovered
    if uncovered:
        click.echo(click.style("\nNobody you know has", bold=True))
        for g, gap in uncovered:
            click.echo(f"  - {gap.need.skill}, for #{g.goal_id} {g.title}")
    shown = {g.goal_id for g in found.goals}
    for g in found.goals:
        if g.parent_id in shown:
            continue  # its needs are listed under the goal it is a step of
        click.echo(click.style(f"\n#{g.goal_id} {g.title}", bold=True))
        if not g.gaps:
            click.echo(f"  no skills named: rapport goals need {g.goal_id} SKILL --level 4")
        for gap in g.gaps:
            _print_gap(gap)


def _print_gap(gap: Gap) -> None:
    # The skills service (with difflib) loads with --gaps, not with every review.
    from rapport.services.skills import level_label as skill_label

    need = gap.need
    step = f" (step #{need.goal_id})" if need.step else ""
    current = (
        f"you: {skill_label(need.current)} since {need.rated_on}; {need.gap_words}"
        if need.current
        else "you: not rated yet"
    )
    click.echo(f"  {need.skill}{step}: needs {skill_label(need.target)}; {current}")
    if not gap.open:
        return
    for h in gap.people[:5]:
        org = f" ({h.organization})" if h.organization else ""
        role = f", your {h.role} for this goal" if h.role else ""
        if h.source == "candidate":
            about = "mentions it: " + (h.matched[0] if h.matched else "")
        else:
            unconfirmed = "" if h.source == "confirmed" else ", from an import"
            about = f"{h.level_label}{unconfirmed}"
        click.echo(
            f"    - #{h.contact_id} {h.name}{org}: {about}; "
            f"{review_service.WARMTH_LABELS[h.warmth]}{role}"
        )
    if len(gap.people) > 5:
        click.echo(f"    ... and {len(gap.people) - 5} more (--json lists them)")
    if gap.next_step is not None:
        click.echo(f"    Next: {gap.next_step.action}")
        click.echo(f"      because {gap.next_step.reason}")
