"""``rapport plan``: the career plan on one page, as Markdown."""

from __future__ import annotations

import click

from rapport.cli._shared import needs_db, output_option, print_or_write
from rapport.services.plan import plan_markdown


@click.command()
@click.option("--goal", metavar="GOAL", help="Plan one goal (an id or part of its title).")
@output_option("Write the plan to FILE instead of printing it")
@needs_db
def plan(goal: str | None, output: str | None) -> None:
    """Write your career plan as Markdown, goal by goal.

    Per active goal: why, where you stand, the gaps and who can close them, the
    steps with their SMART fields (missing ones flagged) and the people behind it.
    """
    print_or_write(plan_markdown(goal), output, "the plan")
