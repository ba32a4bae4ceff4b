"""The command line: a bare ``rapport`` opens the app; subcommands script everything.

Errors a person can fix are printed as one line on stderr (``rapport: ...``)
with the exit code of their kind (see rapport.errors); never a traceback.
"""

from __future__ import annotations

import gc
import importlib
import os
import sys
from collections.abc import Sequence
from typing import Any

import click

from rapport import __version__
from rapport.cli._shared import AppLauncher, State
from rapport.errors import RapportError

# Where each command lives: its module is imported when the command runs (or
# `rapport --help` lists them all), so `rapport followups due` does not load
# the code of the other thirty commands.  Modules under ATTACHED add
# subcommands to another module's group when imported (contacts merge,
# goals' skills), so they load when one of those is asked for; the export
# and import groups load each format's module when its command is asked for
# (rapport.cli.transfer).
COMMANDS = {
    "goals": ("goals", "goals"),
    "contacts": ("contacts", "contacts"),
    "orgs": ("contacts", "orgs"),
    "interactions": ("records", "interactions"),
    "log": ("records", "log"),
    "interviews": ("records", "interviews"),
    "events": ("records", "events"),
    "followups": ("followups", "followups"),
    "link": ("misc", "link"),
    "unlink": ("misc", "unlink"),
    "search": ("misc", "search"),
    "today": ("misc", "today"),
    "review": ("review", "review"),
    "backup": ("misc", "backup"),
    "backups": ("safety", "backups"),
    "restore": ("safety", "restore"),
    "demo": ("misc", "demo"),
    "export": ("transfer", "export"),
    "import": ("transfer", "import_"),
    "me": ("me", "me"),
    "skills": ("skills", "skills"),
    "plan": ("plan", "plan"),
    "sync": ("sync", "sync"),
}
# What `rapport --help` says of each command, so that listing them loads none
# (the first paragraph of each command's help; a test keeps them the same).
SUMMARIES = {
    "backup": "Copy the database safely, even while the app is open.",
    "backups": "List the backups of the database, oldest first, and where they are.",
    "contacts": "The people in your network.",
    "demo": "Open rapport on a copy of the sample network.",
    "events": "Conferences, meetups, workshops, webinars, career fairs.",
    "export": "Write follow-ups, contacts or everything to a file.",
    "followups": "What you owe whom, by when.",
    "goals": "Career goals and their steps.",
    "import": "Bring contacts or events in from a file (all or nothing).",
    "interactions": "Coffees, calls, emails: every touchpoint.",
    "interviews": "Informational interviews and their thank-yous.",
    "link": "Link something to a goal it serves.",
    "me": "Where you stand: your skills, strengths, interests and values.",
    "plan": "Write your career plan as Markdown, goal by goal.",
    "log": "Record a coffee, call or email with someone.",
    "orgs": "Organizations (one per name, whatever its case).",
    "restore": "Replace the database with BACKUP, keeping the database it replaces.",
    "review": "Which relationships serve which goal, how warm they are, and what to do this week.",
    "search": "Search people, goals, follow-ups, notes and advice.",
    "skills": "Skills: yours, the ones your goals need, the ones your contacts have.",
    "sync": "Sync follow-ups and contacts with your phone (through vdirs and vdirsyncer).",
    "today": "What is overdue, due soon, or going cold.",
    "unlink": "Remove a link to a goal.",
}
ATTACHED = {
    "followups": ("followup_changes",),
    "goals": ("skills",),
    "contacts": ("exchange", "skills"),
}


COMMAND_WORDS = "rapport.command_words"  # ctx.meta: the words from the command's name on


def _say(message: str) -> None:
    # One line, whatever the message quotes: SQLite's errors repeat the schema's
    # own text (a CHECK constraint spans lines), file names may hold line breaks.
    click.echo("rapport: " + " ".join(message.split()), err=True)


def _say_usage(exc: click.UsageError, where: str = "rapport") -> None:
    # click's own is four lines (usage, a hint, a blank, the error): one here,
    # saying where the help is.  A group given no command still shows its help.
    if exc.ctx is not None:
        where = exc.ctx.command_path
    _say(f"{exc.format_message().rstrip('.')} (see '{where} --help')")


def _command_named(ctx: click.Context, args: Sequence[str]) -> str:
    """The path of the command ``args`` name under ``ctx``'s group ("rapport me skill"):
    click raises an option's missing value ("requires 2 arguments") with no context."""
    command: click.Command = ctx.command
    path = [ctx.command_path]
    for word in args:
        found = command.get_command(ctx, word) if isinstance(command, click.Group) else None
        if found is None:
            break
        command = found
        path.append(word)
    return " ".join(path)


class SuggestingGroup(click.Group):
    """A group that loads its commands when asked for them: a mistyped one is
    matched ("did you mean") among all of them, not only those loaded so far."""

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        try:
            return super().resolve_command(ctx, args)
        except click.exceptions.NoSuchCommand as exc:
            # "Did you mean" among every command, not only those loaded so far.
            raise click.exceptions.NoSuchCommand(
                exc.command_name, possibilities=self.list_commands(ctx), ctx=ctx
            ) from None


class RapportGroup(SuggestingGroup):
    """The top-level group: loads each command when asked for it, and turns
    rapport's errors, and mistyped commands and options, into one line and an
    exit code."""

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        try:
            return super().make_context(info_name, args, parent, **extra)
        except click.exceptions.NoArgsIsHelpError:
            raise
        except click.UsageError as exc:
            _say_usage(exc)
            raise click.exceptions.Exit(exc.exit_code) from None

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        ctx.meta[COMMAND_WORDS] = list(args)  # for an error click raises without its context
        return super().resolve_command(ctx, args)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *COMMANDS})

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The list of commands, from SUMMARIES for those not loaded (as click writes it)."""
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = []
        for name in names:
            loaded = self.commands.get(name) or click.Command(name, help=SUMMARIES[name])
            if not loaded.hidden:
                rows.append((name, loaded.get_short_help_str(limit)))
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in COMMANDS and cmd_name not in self.commands:
            module, attribute = COMMANDS[cmd_name]
            found = getattr(importlib.import_module(f"rapport.cli.{module}"), attribute)
            if cmd_name in ATTACHED:
                _attach_when_asked(found, ATTACHED[cmd_name])
            self.add_command(found, cmd_name)
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except click.exceptions.NoArgsIsHelpError:
            raise
        except click.UsageError as exc:
            _say_usage(exc, _command_named(ctx, ctx.meta.get(COMMAND_WORDS, ())))
            ctx.exit(exc.exit_code)
        except RapportError as exc:
            _say(str(exc))
            ctx.exit(exc.exit_code)
        except Exception as exc:
            from rapport.db import database_failure

            failure = database_failure(exc)
            if failure is None:
                raise
            _say(str(failure))
            ctx.exit(failure.exit_code)
        return None


@click.group(
    cls=RapportGroup,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.option(
    "--db",
    "db_path",
    metavar="PATH",
    help="Database file (default: $RAPPORT_DB, else rapport.db in your user data folder).",
)
@click.version_option(__version__, prog_name="rapport")
@click.pass_context
def cli(ctx: click.Context, db_path: str | None) -> None:
    """rapport: keep your professional relationships alive, goal by goal.

    Run without a command to open the app.  Names can be given in part
    ("dana") or by id ("12" or "#12"); dates as people say them ("tomorrow",
    "+2w", "next fri", "2027-03-01 9:30").
    """
    # The program (rapport.__main__) hands in a State that knows how to start the app.
    state = ctx.ensure_object(State)
    state.db_path = db_path
    if ctx.invoked_subcommand not in (None, "open", "demo"):
        _escape_output(ctx)
    if "RAPPORT_NOW" in os.environ:
        # Checked before any command (and the app) starts: a frozen clock
        # that is no date is one line here, not a traceback from wherever a
        # command first asks the time.
        from rapport.clock import frozen_now

        frozen_now()
    if ctx.invoked_subcommand is None:
        from rapport.cli.misc import open_app

        ctx.invoke(open_app)


def _escape_output(ctx: click.Context) -> None:
    """Escape control characters in all a command prints (the app draws its own
    screen, so it is left out): names and notes an older database or a file holds
    must not reach the terminal as escape sequences."""
    from rapport.text import EscapedOutput

    streams = sys.stdout, sys.stderr

    def restore() -> None:
        sys.stdout, sys.stderr = streams

    sys.stdout, sys.stderr = EscapedOutput(sys.stdout), EscapedOutput(sys.stderr)
    ctx.call_on_close(restore)


def _attach_when_asked(group: click.Group, modules: tuple[str, ...]) -> None:
    """Load the modules that add subcommands to ``group`` when it is asked for one
    it lacks, or for the list of them (its help): `contacts list` need not load
    `contacts merge` and `contacts expertise` (10 ms)."""
    own_command, own_list = group.get_command, group.list_commands

    def attach() -> None:
        for module in modules:
            importlib.import_module(f"rapport.cli.{module}")

    def get_command(ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in group.commands:
            attach()
        return own_command(ctx, cmd_name)

    def list_commands(ctx: click.Context) -> list[str]:
        attach()
        return own_list(ctx)

    group.get_command = get_command  # type: ignore[method-assign]
    group.list_commands = list_commands  # type: ignore[method-assign]


def command(name: str) -> click.Command:
    """The top-level command ``name``, loaded with every subcommand attached to it."""
    ctx = click.Context(cli)
    found = cli.get_command(ctx, name)
    if found is None:
        raise KeyError(name)
    if isinstance(found, click.Group):  # the formats of export and import load one by one
        for subcommand in found.list_commands(ctx):
            found.get_command(ctx, subcommand)
    return found


def main(launch_app: AppLauncher | None = None) -> None:
    """Run the command line; ``launch_app`` starts the app (see rapport.__main__)."""
    # A command is one short batch: cycle collections would only walk its
    # objects again and again; what it drops is freed by reference counting
    # as it goes.  Measured on the 30,000-contact bench database (CPU time of
    # the command, best of 4, collector on -> off): `contacts list --json`
    # 0.54 -> 0.47 s, `import linkedin` of 30,000 rows 2.44 -> 2.31 s,
    # `export json` 7.90 -> 7.63 s; peak memory the same (137 MB, 1.47 GB).
    # Measure again: bench/generate.py --contacts 30000, then time those
    # commands with and without this line.  The app turns collection back on
    # (rapport.__main__, launch_app).
    gc.disable()
    try:
        cli.main(prog_name="rapport", obj=State(launch_app=launch_app))
    except KeyboardInterrupt:
        click.echo("", err=True)
        sys.exit(130)
