"""``rapport goals``: career goals, SMART, short- and long-term, broken into steps."""

from __future__ import annotations

from typing import Any

import click

from rapport.cli._shared import (
    delete_command,
    details,
    edit_command,
    given,
    json_option,
    needs_db,
    options,
    print_json,
    table,
)
from rapport.models import GOAL_HORIZONS, GOAL_PRIORITIES, GOAL_STATUSES
from rapport.services import goals as goal_service
from rapport.services import needs as need_service
from rapport.services import serialize
from rapport.services import skills as skill_service
from rapport.services.resolve import resolve_goal

# The fields shared by add and edit.
goal_options = options(
    click.option("--why", help="The vision behind it, in your words."),
    click.option(
        "--horizon",
        type=click.Choice(GOAL_HORIZONS),
        help="short (1-2 years) or long (3-5 years).",
    ),
    click.option("--specific", help="S: the specific outcome."),
    click.option("--measure", help="M: how you will know it is reached."),
    click.option("--target", "target_date", metavar="DATE", help="T: the target date."),
    click.option("--status", type=click.Choice(GOAL_STATUSES)),
    click.option(
        "--priority",
        type=click.Choice(list(GOAL_PRIORITIES.values())),
        help="high, normal or low.",
    ),
    click.option("--parent", metavar="GOAL", help="Make this a step of another goal."),
)


@click.group()
def goals() -> None:
    """Career goals and their steps."""


@goals.command("add")
@click.argument("title")
@goal_options
@needs_db
def add(title: str, **fields: Any) -> None:
    """Add a goal called TITLE."""
    goal = goal_service.create_goal(title, **given(**fields))
    click.echo(f"Added goal #{goal.id}: {goal.title}")


@goals.command("list")
@click.option(
    "--status", default="active", show_default=True, type=click.Choice(("all", *GOAL_STATUSES))
)
@json_option
@needs_db
def list_(status: str, as_json: bool) -> None:
    """List goals, most important first."""
    items = goal_service.list_goals(status)
    counts = goal_service.link_counts()
    if as_json:
        print_json([serialize.goal(g, contacts=counts.get(g.id, 0)) for g in items])
        return
    table(
        ["ID", "GOAL", "HORIZON", "TARGET", "STATUS", "PRIORITY", "PEOPLE", "STEP OF"],
        [
            (
                g.id,
                g.title,
                g.horizon,
                g.target_date or "",
                g.status,
                GOAL_PRIORITIES.get(g.priority, ""),
                counts.get(g.id, 0),
                f"#{g.parent_id}" if g.parent_id else "",
            )
            for g in items
        ],
        empty='No goals yet. Add one: rapport goals add "Lead a platform team by 2027"',
    )


@goals.command("show")
@click.argument("goal")
@json_option
@needs_db
def show(goal: str, as_json: bool) -> None:
    """Show a goal, its steps and what serves it."""
    record = resolve_goal(goal)
    links = goal_service.contacts_serving(record)
    steps = goal_service.steps_of(record)
    needs = need_service.goal_needs(record)
    if as_json:
        data = serialize.goal(record)
        data["steps"] = [serialize.goal(s) for s in steps]
        data["contacts"] = [
            {"id": c.id, "name": c.name, "role": link.role or None, "note": link.note}
            for link, c in links
        ]
        data["needs"] = [need_service.need_json(n) for n in needs]
        print_json(data)
        return
    details(
        [
            ("Goal", f"#{record.id} {record.title}"),
            ("Why", record.why),
            ("Horizon", record.horizon),
            ("Specific", record.specific),
            ("Measure", record.measure),
            ("Target", record.target_date),
            ("Status", record.status),
            ("Priority", GOAL_PRIORITIES.get(record.priority)),
            ("Step of", f"#{record.parent.id} {record.parent.title}" if record.parent_id else None),
        ]
    )
    if steps:
        click.echo("\nSteps:")
        for step in steps:
            click.echo(
                f"  #{step.id} [{step.status}] {step.title}"
                + (f" (by {step.target_date})" if step.target_date else "")
            )
    click.echo(
        "\nSkills it needs:"
        if needs
        else f"\nNo skills named yet: rapport goals need {record.id} SKILL --level 3"
    )
    if needs:
        table(
            ["SKILL", "CURRENT", "TARGET", "GAP"],
            [
                (
                    n.skill + (f" (step #{n.goal_id})" if n.step else ""),
                    skill_service.level_label(n.current) or "not rated yet",
                    skill_service.level_label(n.target),
                    n.gap_words,
                )
                for n in needs
            ],
        )
    click.echo(
        "\nPeople behind it:"
        if links
        else f"\nNobody is linked to this goal yet: rapport link CONTACT --goal {record.id}"
    )
    for link, contact in links:
        role = f" ({link.role})" if link.role else ""
        click.echo(
            f"  #{contact.id} {contact.name}{role}" + (f": {link.note}" if link.note else "")
        )


edit_command(
    goals,
    "goal",
    click.option("--title"),
    goal_options,
    help="Change a goal's fields (give only the ones to change).",
    update=goal_service.update_goal,
    updated=lambda r: f"goal #{r.id}: {r.title}",
)


delete_command(
    goals,
    "goal",
    help="Delete a goal (its links go; its steps become goals of their own).",
    resolve=resolve_goal,
    delete=goal_service.delete_goal,
    question=lambda r: f"Delete goal #{r.id} {r.title!r} and its links?",
    deleted=lambda r: f"goal #{r.id}: {r.title}",
)
