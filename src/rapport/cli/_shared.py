"""What every command shares: opening the database once, tables, JSON, confirmations, delete."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import update_wrapper
from itertools import chain
from pathlib import Path
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


def announce_backup(path: Path, reason: str) -> None:
    """Tell the person about an automatic backup worth knowing of (on stderr)."""
    if reason == "pre-migrate":
        click.echo(f"rapport: upgrading the database; a copy from before is at {path}", err=True)


def announce_no_backup(error: Exception) -> None:
    """Tell the person today's backup could not be written (the command goes on)."""
    click.echo(f"rapport: {error}", err=True)


def shell_word(text: str) -> str:
    """``text`` as one word to type in a shell: as it is when it can be, in
    double quotes when it holds an apostrophe (Lena O'Park) and nothing a shell
    reads inside them, else in single quotes."""
    import shlex

    quoted = shlex.quote(text)
    if quoted != text and "'" in text and not any(c in text for c in '"$`\\!'):
        return f'"{text}"'
    return quoted


# Runs the app on a database; False when this installation has no app.
AppLauncher = Callable[[Path], bool]


class State:
    """The per-invocation state: which database, whether it is open, how to start the app.

    ``launch_app`` comes from the program (rapport.__main__), the one module
    above both faces: the command line never imports the app itself.
    """

    def __init__(self, db_path: str | None = None, *, launch_app: AppLauncher | None = None):
        self.db_path = db_path
        self.opened: Path | None = None
        self.launch_app = launch_app
        # Set when this command created the file, to what SQLite's data_version
        # then said: the file may go again only if nobody else wrote to it since.
        self.created_at_version: int | None = None

    def open(self, *, plain: bool = False) -> Path:
        """Open the database (``plain``: for rapport.connection's statements alone)."""
        from rapport.db import data_version, open_database, resolve_path

        if self.opened is None:
            existed = resolve_path(self.db_path).exists()
            # A command answers and exits: the day's backup of a large database
            # is made by a detached process rather than before the command.
            self.opened = open_database(
                self.db_path,
                on_backup=announce_backup,
                on_backup_failed=announce_no_backup,
                detach_backup=True,
                plain=plain,
            )
            if not existed:
                self.created_at_version = data_version()
        return self.opened

    def discard_if_new(self) -> None:
        """Remove the database this command created (a dry run's, a failed
        command's): it holds nothing of the person's, and left behind it would
        become their default and be backed up."""
        from rapport.db import close_database, data_version, remove_new_database

        if self.opened is None or self.created_at_version is None:
            return
        if data_version() == self.created_at_version:
            close_database()
            remove_new_database(self.opened)
        self.created_at_version = None


def needs_db(func: F) -> F:
    """Open the database (creating or migrating it) before the command runs.

    A database the command created is removed again when the command fails
    or was a dry run (``dry_run`` among its options).
    """
    return _opening_db(func, plain_unless=None)


def reads_db_plainly(*unless: str) -> Callable[[F], F]:
    """As :func:`needs_db`, for a command that reads through rapport.connection's
    plain statements alone (no peewee, no models) unless one of its options
    ``unless`` is given: `followups due` prints its table in half the start-up."""
    return lambda func: _opening_db(func, plain_unless=unless)


def _opening_db(func: F, plain_unless: tuple[str, ...] | None) -> F:
    @click.pass_context
    def wrapper(ctx: click.Context, *args: Any, **kwargs: Any) -> Any:
        from rapport.db import close_database

        state = ctx.find_object(State)
        assert state is not None, "the rapport group sets State"
        plain = plain_unless is not None and all(
            kwargs[name] in (None, False) for name in plain_unless
        )
        state.open(plain=plain)
        ctx.call_on_close(close_database)
        try:
            result = ctx.invoke(func, *args, **kwargs)
        except click.exceptions.Exit as exc:
            if exc.exit_code != 0:
                state.discard_if_new()
            raise
        except BaseException:
            state.discard_if_new()
            raise
        if kwargs.get("dry_run"):
            state.discard_if_new()
        return result

    return update_wrapper(wrapper, func)  # type: ignore[return-value]


class RecordId(click.ParamType):
    """A record's number as typed (``12`` or ``#12``); the command gets the text back,
    as it would a name.  Text that is no number is a usage error (exit 2); a number
    no record has, however large, is "no such record" (exit 3) as everywhere else:
    the service that looks it up says so."""

    name = "id"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from rapport.services.resolve import parse_id

        if parse_id(value) is None:
            self.fail(f"{value!r} is not a record number", param, ctx)
        return value


class GivenPath(click.Path):
    """A path to write to, refused when empty: "" names no file (as "." it wrote
    into the current folder, the way `--vdir "$UNSET"` would), as --db refuses it.

    A leading ``~`` is the home folder, as for --db and the config: the shell
    leaves it in ``--output=~/x`` (it made a folder named "~" here)."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from rapport.errors import ValidationError
        from rapport.files import expanded

        if isinstance(value, str) and not value.strip():
            self.fail("is empty; give the path of a file or folder", param, ctx)
        if isinstance(value, str) and value.startswith("~"):
            # A ~user with no home is left as given: the command refuses it
            # in its own one line, as it does for the config's folders.
            with contextlib.suppress(ValidationError):
                value = str(expanded(value, "path"))
        return super().convert(value, param, ctx)


class TextCommand(click.Command):
    """A command whose arguments are text a person typed (search words): a word
    that starts with '-' (``-strategy``) is a word, not an option; only the
    command's own options are options (click's ``--`` is not what people type)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        options = {
            name: param
            for param in self.get_params(ctx)
            if isinstance(param, click.Option)
            for name in (*param.opts, *param.secondary_opts)
        }
        given_options: list[str] = []
        words: list[str] = []
        rest = iter(args)
        for arg in rest:
            if arg == "--":
                words.extend(rest)
                break
            param = options.get(arg.split("=", 1)[0])
            if param is None:
                words.append(arg)
                continue
            given_options.append(arg)
            if not (param.is_flag or param.count or "=" in arg):
                value = next(rest, None)
                if value is None:  # click says which option lacks its value
                    return super().parse_args(ctx, given_options)
                given_options.append(value)
        return super().parse_args(ctx, [*given_options, "--", *words])


# Every number a command takes: ids, and counts bounded where a date or a
# query could not follow (a century of days; a million rows).
RECORD_ID = RecordId()
MAX_DAYS = 36_500
DAYS = click.IntRange(0, MAX_DAYS)


def count(least: int = 1, most: int = 1_000_000) -> click.IntRange:
    """A count typed on the command line: a whole number from ``least`` to ``most``."""
    return click.IntRange(least, most)


json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON (see docs/json.md).")


def options(*decorators: Callable[[Any], Any]) -> Callable[[F], F]:
    """Several click options (or arguments) as one decorator, in the order --help lists them."""

    def apply(func: F) -> F:
        for decorator in reversed(decorators):
            func = decorator(func)
        return func

    return apply


yes_option = click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")


def print_json(data: Any) -> None:
    from rapport.jsontext import json_chunks  # loaded for --json alone

    print_json_chunks(json_chunks(data))


def print_json_chunks(chunks: Iterator[str]) -> None:
    """The JSON text of ``chunks`` (rapport.jsontext's pieces of one value) and a newline."""
    # Made a piece at a time (a long list's values are never all text at
    # once), written at once with its line's end: one write, so a reader that
    # stops early (| head) ends the command as it always did.
    first = next(chunks)
    second = next(chunks, None)
    if second is None:
        _print_json_text(first + "\n")
        return
    # A long list's pieces become the bytes written as they come, each freed
    # once copied: neither the pieces nor the whole text stand beside the
    # bytes (at 30,000 contacts 7 MB less at the peak, 3,000 fewer pages for
    # the kernel to hand over, each a few microseconds).  As bytes only where
    # the text stream would write the same ones: ASCII without DEL (see
    # below), and "\n" is not turned into another os.linesep.
    rest = chain([first, second], chunks, ["\n"])
    del first, second
    from rapport.text import unescaped

    out = unescaped(sys.stdout)
    written = bytearray()
    piece = ""
    if os.linesep == "\n" and getattr(out, "buffer", None) is not None:
        for piece in rest:
            if not piece.isascii() or "\x7f" in piece:
                break
            written += piece.encode("ascii")
        else:
            click.echo(written, nl=False, file=out)  # flushes the text stream first
            return
    _print_json_text(written.decode("ascii") + piece + "".join(rest))


def _print_json_text(text: str) -> None:
    from rapport.text import unescaped

    # JSON writes every C0 control character as \u00XX (a newline in its text is
    # layout), so raw it can hold only DEL and, outside ASCII, the C1 controls:
    # ASCII text without DEL is written as it is, not searched again character
    # by character on its way out (9 MB of `contacts list --json`: 10 ms).
    # color=True: there is no escape sequence for click to strip when the
    # output is not a terminal (a regular expression over 9 MB, 5-7 ms).
    out = unescaped(sys.stdout) if text.isascii() and "\x7f" not in text else None
    click.echo(text, nl=False, color=True, file=out)


def given(**values: Any) -> dict[str, Any]:
    """The options a person actually gave (click leaves the others as None)."""
    return {k: v for k, v in values.items() if v is not None}


def changes_to_make(fields: dict[str, Any], *others: object) -> dict[str, Any]:
    """The fields an edit command was given; a usage error if it was given nothing
    (``others``: options kept apart from the fields, such as a new date)."""
    changes = given(**fields)
    if not changes and all(other is None or other == () for other in others):
        raise click.UsageError("give at least one field to change")
    return changes


def serves_words(goals: Sequence[Any], skill: str, target: str) -> str:
    """What a follow-up or interview about ``skill`` (added with no --goal) was
    linked to: the goals that need the skill, so their calendar and review hold
    it; or, when none does, how to link it (``target``: ``followup:12``)."""
    if goals:
        served = ", ".join(f"#{g.id} {g.title}" for g in goals)
        return f"Serves {served}, which {'needs' if len(goals) == 1 else 'need'} {skill}"
    return (
        f"No active goal needs {skill}: it serves no goal "
        f"(add one with `rapport link {target} --goal GOAL`)"
    )


def table(
    headers: Sequence[str], rows: Iterable[Sequence[Any]], *, empty: str = "Nothing to show."
) -> None:
    """Print rows in aligned columns that fit the terminal; long cells are cut with …"""
    # Column by column: a plain column (printable ASCII on one line, as nearly
    # all are) is measured and padded by str methods in one sweep; the 30,000
    # rows of `contacts list` took 0.5 s a cell at a time.
    body = list(rows)
    if not body:
        click.echo(empty)
        return
    columns = [
        _column([h, *column]) for h, column in zip(headers, zip(*body, strict=True), strict=True)
    ]
    widths = [max(sizes) for _, sizes, _ in columns]
    available = _terminal_width() if sys.stdout.isatty() else 200
    gap = 2
    while sum(widths) + gap * (len(widths) - 1) > available and max(widths) > 8:
        widest = widths.index(max(widths))
        widths[widest] -= 1
    padded = [_padded(*column, w) for column, w in zip(columns, widths, strict=True)]
    lines = list(map(str.rstrip, map("  ".join, zip(*padded, strict=True))))
    if sys.stdout.isatty():
        lines[0] = click.style(lines[0], bold=True)
    # One write: click.echo flushes after each call, a system call per line.
    click.echo("\n".join(lines))


def _column(cells: Sequence[Any]) -> tuple[list[str], list[int], bool]:
    """A column's cells as one-line text, how many terminal cells each takes, and
    whether it is plain (every character one cell)."""
    # rich (for wide characters) is loaded when a table is printed, not at start-up.
    from rapport.words import cells as width

    texts = ["" if c is None else str(c) for c in cells] if None in cells else [*map(str, cells)]
    joined = "\0".join(texts)
    plain = (
        joined.replace("\0", "").isprintable()
        and joined.isascii()
        and "  " not in joined
        and " \0" not in joined
        and "\0 " not in joined
        and not joined.startswith(" ")
        and not joined.endswith(" ")
    )
    if plain:  # one line, single spaces: as " ".join(text.split()) leaves it
        return texts, [*map(len, texts)], True
    texts = [" ".join(t.split()) for t in texts]
    return texts, [width(t) for t in texts], False


def _padded(texts: list[str], sizes: list[int], plain: bool, width: int) -> list[str]:
    """A column's texts cut to ``width`` terminal cells and padded to it."""
    from rapport.words import cut, pad

    if plain and max(sizes) <= width:
        return [t.ljust(width) for t in texts]
    return [
        t + " " * (width - n) if n <= width else pad(cut(t, width), width)
        for t, n in zip(texts, sizes, strict=True)
    ]


def details(pairs: Iterable[tuple[str, Any]]) -> None:
    """Print ``label: value`` lines, skipping empty values; multi-line values indented."""
    shown = [(k, v) for k, v in pairs if v not in (None, "", [], ())]
    width = max((len(k) for k, _ in shown), default=0)
    for key, value in shown:
        text = str(value)
        first, *rest = text.split("\n")
        click.echo(f"{key + ':':<{width + 1}} {first}")
        for line in rest:
            click.echo(" " * (width + 2) + line)


def confirm(question: str, yes: bool) -> None:
    """Ask before something that cannot be undone; --yes skips the question."""
    if not yes:
        click.confirm(question, abort=True)


# What -o takes for standard output, as for every export ("-o -").
STANDARD_OUTPUT = "-"


def output_option(help: str, *, dest: str = "output") -> Callable[[F], F]:
    """``-o/--output FILE``: where a command writes its document; ``-`` (as when
    it is not given) is standard output.  The command gets the text typed (None
    when not given): :func:`output_file` says which file it names."""
    return click.option(
        "-o",
        "--output",
        dest,
        type=GivenPath(dir_okay=False, allow_dash=True),
        metavar="FILE",
        help=f"{help} ('-' for standard output).",
    )


def output_file(output: str | None) -> Path | None:
    """The file an -o option names; None for standard output (``-``, or no -o).

    A file named "-" is ``./-``: the text is kept as typed, never a Path, which
    would make the two the same.
    """
    return None if output in (None, STANDARD_OUTPUT) else Path(output)


def print_or_write(text: str, output: str | None, what: str) -> None:
    """Print ``text``, or write it to the file ``output`` names (readable by its
    owner alone) and say so; ``-`` prints it (see :func:`output_file`).

    The file holds what would have been printed, control characters escaped: a
    Markdown file is read with `cat` and sent on, and an escape sequence an older
    database holds would reach a terminal from it (`> FILE` wrote it escaped).
    """
    path = output_file(output)
    if path is None:
        click.echo(text, nl=False)
        return
    from rapport.files import write_private
    from rapport.text import escape_controls

    write_private(path, escape_controls(text).encode("utf-8"))
    click.echo(f"Wrote {what} to {output}")


def delete_command(
    group: click.Group,
    argument: str,
    *,
    help: str,
    resolve: Callable[[str], Any],
    delete: Callable[[Any], object],
    question: Callable[[Any], str],
    deleted: Callable[[Any], str],
    metavar: str | None = None,
) -> click.Command:
    """Add ``delete ARGUMENT [--yes]`` to ``group``: ``question`` is asked before,
    ``deleted`` says what went (both given the resolved record)."""

    @group.command("delete", help=help)
    @click.argument(argument, metavar=metavar)
    @yes_option
    @needs_db
    def command(yes: bool, **arguments: str) -> None:
        record = resolve(arguments[argument])
        confirm(question(record), yes)
        delete(record)
        click.echo(f"Deleted {deleted(record)}")

    return command


def edit_command(
    group: click.Group,
    argument: str,
    *decorators: Callable[[Any], Any],
    help: str,
    update: Callable[..., Any],
    updated: Callable[[Any], str],
    metavar: str | None = None,
    apart: Sequence[str] = (),
) -> click.Command:
    """Add ``edit ARGUMENT [options]`` to ``group``: the options given are the
    changes (a usage error if none).  Those named in ``apart`` (a new date, tags
    to add) go to ``update`` as they are, None or () when not given."""

    @group.command("edit", help=help)
    @click.argument(argument, metavar=metavar)
    @options(*decorators)
    @needs_db
    def command(**values: Any) -> None:
        ref = values.pop(argument)
        kept = {name: values.pop(name) for name in apart}
        changes = changes_to_make(values, *kept.values())
        record = update(ref, **kept, **changes)
        click.echo(f"Updated {updated(record)}")

    return command


def show_command(
    group: click.Group,
    argument: str,
    *,
    help: str,
    load: Callable[[str], Any],
    to_json: Callable[[Any], Any],
    lines: Callable[[Any], Sequence[tuple[str, Any]]],
    metavar: str | None = None,
) -> click.Command:
    """Add ``show ARGUMENT [--json]`` to ``group``: what ``load`` returns,
    printed as ``lines`` (label, value), or with --json as ``to_json`` says."""

    @group.command("show", help=help)
    @click.argument(argument, metavar=metavar)
    @json_option
    @needs_db
    def command(as_json: bool, **arguments: str) -> None:
        record = load(arguments[argument])
        if as_json:
            print_json(to_json(record))
            return
        details(lines(record))

    return command


def _terminal_width() -> int:
    # shutil (with the compression modules it loads) only where a terminal is asked.
    import shutil

    return shutil.get_terminal_size((120, 24)).columns
