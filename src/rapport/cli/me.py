"""``rapport me``: the self-assessment: skills rated over time, strengths, interests, values."""

from __future__ import annotations

from typing import Any

import click

from rapport.cli._shared import json_option, needs_db, print_json, table
from rapport.models import SKILL_LEVELS
from rapport.services import self_assessment as assessment_service
from rapport.services import skills as skill_service
from rapport.services.serialize import day

TRENDS = {"up": "↑", "down": "↓", "same": "=", "new": "new", "": ""}
LEVEL_HELP = "A number or its name: " + skill_service.SCALE + "."


@click.group(invoke_without_command=True)
@json_option
@click.pass_context
def me(ctx: click.Context, as_json: bool) -> None:
    """Where you stand: your skills, strengths, interests and values.

    Without a command: show it all.  Rate a skill with
    `rapport me skill "SQL" --level 3`; add a value with `rapport me value "autonomy"`.
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(_show, as_json=as_json)


def assessment_json(found: assessment_service.SelfAssessment) -> dict[str, Any]:
    def traits(items: tuple[assessment_service.TraitItem, ...]) -> list[dict[str, Any]]:
        return [{"phrase": t.phrase, "note": t.note} for t in items]

    return {
        "skills": [
            {
                "id": s.skill_id,
                "name": s.name,
                "level": s.level,
                "level_name": SKILL_LEVELS.get(s.level) if s.level else None,
                "rated_on": day(s.rated_on),
                "note": s.note,
                "previous_level": s.previous,
                "trend": s.trend or None,
                "needed_by": list(s.needed_by),
            }
            for s in found.skills
        ],
        "strengths": traits(found.strengths),
        "interests": traits(found.interests),
        "values": traits(found.values),
    }


@needs_db
def _show(as_json: bool) -> None:
    found = assessment_service.self_assessment()
    if as_json:
        print_json(assessment_json(found))
        return
    click.echo(click.style("Skills", bold=True))
    table(
        ["SKILL", "LEVEL", "RATED ON", "TREND", "NEEDED BY"],
        [
            (
                s.name,
                s.label,
                s.rated_on or "",
                TRENDS[s.trend],
                ", ".join(s.needed_by),
            )
            for s in found.skills
        ],
        empty='  none rated yet: rapport me skill "SQL" --level 3',
    )
    for title, items, kind in (
        ("Strengths", found.strengths, "strength"),
        ("Interests", found.interests, "interest"),
        ("Values", found.values, "value"),
    ):
        click.echo(click.style(f"\n{title}", bold=True))
        if not items:
            click.echo(f'  none yet: rapport me {kind} "..."')
        for t in items:
            click.echo(f"  - {t.phrase}" + (f": {t.note}" if t.note else ""))


@me.command("skill")
@click.argument("name")
@click.option("--level", metavar="LEVEL", help=LEVEL_HELP)
@click.option("--note", metavar="TEXT", help="What the rating rests on.")
@click.option("--date", metavar="DATE", help="When (default today; never in the future).")
@json_option
@needs_db
def skill(name: str, level: str | None, note: str | None, date: str | None, as_json: bool) -> None:
    """Rate skill NAME (with --level), or show how its rating moved (without)."""
    if level is None:
        if note is not None or date is not None:
            raise click.UsageError("--note and --date go with --level (a rating)")
        _history(name, as_json)
        return
    result = assessment_service.rate_skill(name, level, note=note or "", date=date)
    if as_json:
        _history(str(result.skill_id), as_json)
        return
    new = " (a new skill)" if result.new_skill else ""
    # A rating dated before the latest joins the history: say the level stays.
    before = result.stays or (f", was {result.previous.label}" if result.previous else "")
    click.echo(f"Rated {result.name}{new}: {result.rating.label} on {result.rating.date}{before}")


def _history(name: str, as_json: bool) -> None:
    history = assessment_service.skill_history(name)
    if as_json:
        print_json(
            {
                "id": history.skill_id,
                "name": history.name,
                "aliases": list(history.aliases),
                "ratings": [
                    {
                        "date": day(r.date),
                        "level": r.level,
                        "level_name": SKILL_LEVELS[r.level],
                        "note": r.note,
                    }
                    for r in history.ratings
                ],
            }
        )
        return
    aliases = f" (also: {', '.join(history.aliases)})" if history.aliases else ""
    click.echo(click.style(f"{history.name}{aliases}", bold=True))
    if not history.ratings:
        click.echo(f"  not rated yet: rapport me skill {history.name!r} --level 3")
        return
    previous = None
    for r in history.ratings:
        move = "" if previous is None else TRENDS[_trend(previous, r.level)]
        click.echo(f"  {r.date}  {r.label:<12} {move:<3} {r.note}".rstrip())
        previous = r.level


def _trend(before: int, after: int) -> str:
    return "same" if before == after else ("up" if after > before else "down")


def _trait_command(kind: str, example: str) -> click.Command:
    @click.argument("phrase")
    @click.option("--note", metavar="TEXT", help="What it means to you.")
    @click.option("--remove", is_flag=True, help=f"Remove this {kind}.")
    @needs_db
    def command(phrase: str, note: str | None, remove: bool) -> None:
        if remove:
            if note is not None:
                raise click.UsageError("--note does not go with --remove")
            gone = assessment_service.remove_trait(kind, phrase)
            click.echo(f"Removed {kind}: {gone.phrase}")
            return
        item, created = assessment_service.set_trait(kind, phrase, note=note)
        click.echo(f"{'Added' if created else 'Updated'} {kind}: {item.phrase}")

    article = "an" if kind[0] in "aeiou" else "a"  # "an interest"
    command.__doc__ = f"Add {article} {kind} (like {example!r}), or --remove it."
    return click.command(kind)(command)


for _kind, _example in (
    ("strength", "explaining things"),
    ("interest", "developer tools"),
    ("value", "autonomy"),
):
    me.add_command(_trait_command(_kind, _example))
