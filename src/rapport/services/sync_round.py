"""``rapport sync``: the settings, and the round of vdir syncs around ``vdirsyncer sync``.

Settings live in ``config.toml`` in the user config folder (platformdirs;
``RAPPORT_CONFIG`` names another file)::

    [sync]
    tasks = "~/.local/share/vdirsyncer/rapport/tasks"   # a VTODO vdir
    contacts = "~/.local/share/vdirsyncer/rapport_contacts/contacts"  # a vCard vdir
    vdirsyncer = true              # run `vdirsyncer sync PAIR...` in the round
    pair = ["rapport", "rapport_contacts"]   # or one name
    # vdirsyncer_command = "/path/to/vdirsyncer"        # else found on PATH
    # vdirsyncer_config = "~/.config/vdirsyncer/config" # else vdirsyncer's own

rapport speaks no CalDAV and stores no password: ``init_vdirsyncer`` writes
a starter vdirsyncer config whose password comes from a command.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapport.calendar.items import ExportOptions
from rapport.errors import ImportFailed, NotFound, RapportError, SyncFailed, ValidationError
from rapport.files import (
    expanded,
    private_folder,
    refuse_database_files,
    same_file,
    write_private,
)
from rapport.reading import read_at_most
from rapport.services.sync import sync_followups
from rapport.services.sync_records import Progress, SyncReport, silent

# vdirsyncer talks to a server; a stuck one must not hang the round forever.
VDIRSYNCER_TIMEOUT = 300
# A config file is a few lines; one larger than this is some other file.
MAX_CONFIG_BYTES = 1_000_000


@dataclass(frozen=True)
class SyncSettings:
    """The [sync] table of rapport's config file."""

    tasks: Path | None = None
    contacts: Path | None = None
    vdirsyncer: bool = False
    pairs: tuple[str, ...] = ("rapport",)
    vdirsyncer_command: str = ""
    vdirsyncer_config: Path | None = None
    source: Path | None = None


@dataclass
class RoundReport:
    """What ``rapport sync`` did: each vdir pass, and vdirsyncer's runs."""

    passes: list[SyncReport] = field(default_factory=list)
    vdirsyncer_runs: int = 0
    dry_run: bool = False

    def words(self) -> str:
        """The passes' changes added up, in words; 'nothing changed' when none."""
        merged = SyncReport("", dry_run=self.dry_run)
        for one in self.passes:
            merged.changes.extend(one.changes)
        return merged.words()

    @property
    def files_written(self) -> int:
        return sum(p.files_written + p.files_removed for p in self.passes)

    @property
    def rows_written(self) -> int:
        return sum(p.rows_written for p in self.passes)

    def as_json(self) -> dict[str, Any]:
        return {
            "dry_run": self.dry_run,
            "summary": self.words(),
            "vdirsyncer_runs": self.vdirsyncer_runs,
            "files_written": self.files_written,
            "rows_written": self.rows_written,
            "passes": [p.as_json() for p in self.passes],
        }


def config_path() -> Path:
    """Where rapport's config file is: RAPPORT_CONFIG, else the user config folder."""
    named = os.environ.get("RAPPORT_CONFIG")
    if named:
        return expanded(named, "RAPPORT_CONFIG")
    import platformdirs

    return platformdirs.user_config_path("rapport") / "config.toml"


def _path(value: Any, name: str) -> Path | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise ValidationError(name, "must be a folder path in quotes")
    return expanded(value, name)


def load_settings(path: Path | None = None) -> SyncSettings:
    """The [sync] settings; ValidationError naming the file for one rapport cannot read."""
    path = path or config_path()
    if not path.exists():
        return SyncSettings(source=path)
    # A device would be read forever (/dev/zero, until memory runs out) and a
    # named pipe would wait for a writer: a config file is a file of a few lines.
    if not path.is_file():
        raise ValidationError("config", f"{path} is not a file (a folder, a device or a pipe)")
    try:
        data = tomllib.loads(read_at_most(path, MAX_CONFIG_BYTES).decode("utf-8"))
    except ImportFailed:
        raise ValidationError(
            "config", f"{path} is larger than {MAX_CONFIG_BYTES:,} bytes; is it a config file?"
        ) from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ValidationError("config", f"cannot read {path}: {exc}") from None
    table = data.get("sync", {})
    if not isinstance(table, dict):
        raise ValidationError("config", f"{path}: [sync] must be a table")
    pairs = table.get("pair", "rapport")
    return SyncSettings(
        tasks=_path(table.get("tasks"), "tasks"),
        contacts=_path(table.get("contacts"), "contacts"),
        vdirsyncer=bool(table.get("vdirsyncer", False)),
        pairs=tuple(str(p) for p in pairs) if isinstance(pairs, list) else (str(pairs),),
        vdirsyncer_command=str(table.get("vdirsyncer_command", "")),
        vdirsyncer_config=_path(table.get("vdirsyncer_config"), "vdirsyncer_config"),
        source=path,
    )


def _vdirsyncer_command(settings: SyncSettings) -> list[str] | None:
    program = settings.vdirsyncer_command or shutil.which("vdirsyncer")
    if not program:
        return None
    command = [program]
    if settings.vdirsyncer_config is not None:
        command += ["-c", str(settings.vdirsyncer_config)]
    return command


def _run_vdirsyncer(command: list[str], pairs: tuple[str, ...]) -> None:
    pair = " ".join(pairs)
    try:
        result = subprocess.run(
            [*command, "sync", *pairs],
            capture_output=True,
            text=True,
            timeout=VDIRSYNCER_TIMEOUT,
            stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SyncFailed(f"vdirsyncer could not run: {exc}") from None
    if result.returncode != 0:
        lines = [
            line.strip()
            for line in (result.stderr + result.stdout).splitlines()
            if "error" in line.lower()
        ]
        # vdirsyncer writes "error: " before every line of a message: its first says what.
        said = lines[0] if lines else (result.stderr.strip().splitlines() or ["no message"])[-1]
        raise SyncFailed(f"vdirsyncer sync {pair} failed (exit {result.returncode}): {said}")


@dataclass(frozen=True)
class RoundStep:
    """One step of a round: a pass over the vdirs, or a ``vdirsyncer sync``.

    ``run(report, progress)`` does it, adding to the report; a step with
    ``database`` False (vdirsyncer, talking to the server) touches no
    database, so a face may run it off its database thread.
    """

    name: str
    database: bool
    run: Callable[[RoundReport, Progress], None]


def round_steps(
    settings: SyncSettings | None = None, *, dry_run: bool = False, take_new: bool = True
) -> list[RoundStep]:
    """The steps of ``rapport sync``, every setting and folder checked first (see run_round)."""
    settings = settings or load_settings()
    if settings.tasks is None and settings.contacts is None:
        raise ValidationError(
            "tasks",
            f'no vdir to sync: set tasks = "DIR" (or contacts = "DIR") under [sync] in '
            f"{settings.source or config_path()} (or run rapport sync init)",
        )
    command = _vdirsyncer_command(settings) if settings.vdirsyncer else None
    if settings.vdirsyncer and command is None and not dry_run:
        raise SyncFailed(
            "vdirsyncer = true in the config, but vdirsyncer is not on PATH; install it "
            "(pipx install vdirsyncer) or set vdirsyncer = false"
        )
    for folder in (settings.tasks, settings.contacts):
        if folder is not None:
            _checked(folder)

    def passes(name: str, **how: bool) -> RoundStep:
        def run(report: RoundReport, progress: Progress) -> None:
            def tell(what: str, done: int, total: int) -> None:
                progress(f"{name}: {what}", done, total)

            report.passes.extend(_passes(settings, progress=tell, **how))

        return RoundStep(name, True, run)

    if dry_run or command is None:
        return [passes("syncing", dry_run=dry_run, take_new=take_new)]
    assert command is not None
    pairs = settings.pairs
    said = f"vdirsyncer sync {' '.join(pairs)}"

    def vdirsyncer(report: RoundReport, progress: Progress) -> None:
        progress(said, 0, 0)
        _run_vdirsyncer(command, pairs)
        report.vdirsyncer_runs += 1

    def vdirsyncer_if_sent(report: RoundReport, progress: Progress) -> None:
        # The first pass takes in only: anything written was sent by the second.
        if any(p.files_written or p.files_removed for p in report.passes):
            vdirsyncer(report, progress)

    return [
        passes("taking in", take_new=take_new, push=False),
        RoundStep(said, False, vdirsyncer),
        passes("sending", take_new=take_new),
        RoundStep(said, False, vdirsyncer_if_sent),
    ]


def run_round(
    settings: SyncSettings | None = None,
    *,
    dry_run: bool = False,
    take_new: bool = True,
    progress: Progress = silent,
) -> RoundReport:
    """Take in what changed in the vdir, ``vdirsyncer sync``, send and take in, sync again.

    Without vdirsyncer (not configured, or ``vdirsyncer = false``) one pass
    does both ways.  A dry run makes one pass that changes nothing, and does
    not run vdirsyncer (which would change the server).  ``progress`` is told
    each step and its counts as it goes.  Raises ValidationError when no
    vdir is configured, NotFound/RapportError for a missing or unwritable
    one (nothing written), SyncFailed when vdirsyncer fails: its error, with
    every pass before it complete.
    """
    report = RoundReport(dry_run=dry_run)
    for step in round_steps(settings, dry_run=dry_run, take_new=take_new):
        step.run(report, progress)
    return report


def _checked(folder: Path) -> None:
    # Both folders are checked before either is synced: all of the round or none of it.
    if not folder.is_dir():
        raise NotFound(f"{folder}: no such folder; create it, or check [sync] in the config")


def _passes(
    settings: SyncSettings,
    *,
    dry_run: bool = False,
    take_new: bool = True,
    push: bool = True,
    progress: Progress = silent,
) -> list[SyncReport]:
    """One pass over each configured vdir; contacts only take in when ``push`` is False."""
    from rapport.services.sync_contacts import sync_contacts

    done = []
    # Contacts first: a number fixed on the phone then reaches the follow-ups'
    # descriptions in the same round.  They have no take-in-only pass: the
    # first pass of a round skips them (vdirsyncer brings the phone's edits
    # in first, then they are merged).
    if settings.contacts is not None and (push or dry_run):
        done.append(
            sync_contacts(settings.contacts, dry_run=dry_run, take_new=take_new, progress=progress)
        )
    if settings.tasks is not None:
        done.append(
            sync_followups(
                settings.tasks,
                ExportOptions(todo=True),
                dry_run=dry_run,
                take_new=take_new,
                push=push,
                progress=progress,
            )
        )
    return done


VDIRSYNCER_CONFIG = """\
# Written by `rapport sync init`: rapport's follow-ups as tasks on {url}.
# The password is never stored here: vdirsyncer runs the command below.
# conflict_resolution = "b wins": an item changed both in the folder (by
# todoman, khal or khard) and on the server since the last sync takes the
# server's copy, whole.  rapport's own changes never meet one: they go out
# after vdirsyncer has brought the server's copy in and rapport has merged
# them.  Without a rule vdirsyncer would stop every sync at such an item.
[general]
status_path = "{status}"

[pair {pair}]
a = "{pair}_local"
b = "{pair}_remote"
collections = ["from a", "from b"]
conflict_resolution = "b wins"
metadata = ["displayname"]

[storage {pair}_local]
type = "filesystem"
path = "{local}"
fileext = ".ics"

[storage {pair}_remote]
type = "caldav"
url = "{url}"
username = {user}
password.fetch = {fetch}
item_types = ["VTODO"]

[pair {pair}_contacts]
a = "{pair}_contacts_local"
b = "{pair}_contacts_remote"
collections = ["from a", "from b"]
conflict_resolution = "b wins"

[storage {pair}_contacts_local]
type = "filesystem"
path = "{local_contacts}"
fileext = ".vcf"

[storage {pair}_contacts_remote]
type = "carddav"
url = "{url}"
username = {user}
password.fetch = {fetch}
"""


def _quoted(text: str) -> str:
    """A string value both vdirsyncer's config (JSON values) and TOML read back as
    ``text``: quotes, backslashes and control characters escaped."""
    return json.dumps(text, ensure_ascii=False)


# No web address holds these (a space is %20): in the config they would end the
# value, or start a section of the address's own on the next line.
_NOT_IN_URL = re.compile(r'[\s"\\\x00-\x1f\x7f]')


def init_vdirsyncer(
    url: str,
    user: str,
    *,
    password_command: str,
    vdirsyncer_config: Path | None = None,
    data_folder: Path | None = None,
    pair: str = "rapport",
    force: bool = False,
) -> tuple[Path, Path]:
    """Write a starter vdirsyncer config and rapport's [sync] settings; return both paths.

    The vdir is a collection folder under ``data_folder`` (vdirsyncer's
    data folder by default); the password is fetched by
    ``password_command`` (as a shell would split it) each time, never
    written.  Raises ValidationError for a URL that is not http(s) or holds
    what no address does, a user name of more than one line, a command a
    shell could not split; RapportError when a file exists (unless ``force``),
    when either is the database, its journal or one of its backups (whatever
    ``force`` says), or when both are the same file.  Nothing is written then.
    """
    import platformdirs

    if not url.startswith(("https://", "http://")):
        raise ValidationError("url", f"{url!r} is not a CalDAV address (https://...)")
    if _NOT_IN_URL.search(url):
        raise ValidationError(
            "url", f"{url!r} holds a space, a quote, a backslash or a line break; no address does"
        )
    if not user.strip():
        raise ValidationError("user", "must not be empty")
    if re.search(r"[\x00-\x1f\x7f]", user):
        raise ValidationError("user", f"{user!r} holds a line break or a control character")
    try:
        words = shlex.split(password_command)
    except ValueError as exc:  # an unbalanced quote
        raise ValidationError(
            "password-command", f"{password_command!r}: {str(exc).lower()}"
        ) from None
    if not words:
        raise ValidationError("password-command", "give the command that prints the password")
    target = vdirsyncer_config or Path(
        os.environ.get("VDIRSYNCER_CONFIG")
        or platformdirs.user_config_path("vdirsyncer") / "config"
    )
    data = data_folder or platformdirs.user_data_path("vdirsyncer")
    ours = config_path()
    for path in (target, ours):
        refuse_database_files(path)  # --force or not
    if same_file(target, ours):
        raise RapportError(
            f"{ours} is where both vdirsyncer's config and rapport's would go; "
            "give RAPPORT_CONFIG (or VDIRSYNCER_CONFIG) another file"
        )
    for path in (target, ours):
        if path.exists() and not force:
            raise RapportError(f"{path} exists; keep it, or give --force to replace it")
    fetch = "[" + ", ".join(_quoted(p) for p in ["command", *words]) + "]"
    text = VDIRSYNCER_CONFIG.format(
        url=url,
        user=_quoted(user),
        pair=pair,
        status=str(data / "status") + "/",
        local=str(data / pair) + "/",
        local_contacts=str(data / f"{pair}_contacts") + "/",
        fetch=fetch,
    )
    private_folder(target.parent)
    write_private(target, text.encode("utf-8"))
    # vdirsyncer names each collection folder after the server's calendar or
    # address book; the person edits tasks = / contacts = if theirs are others.
    settings = (
        "[sync]\n"
        f"tasks = {_quoted(str(data / pair / 'tasks'))}\n"
        f"contacts = {_quoted(str(data / f'{pair}_contacts' / 'contacts'))}\n"
        "vdirsyncer = true\n"
        f"pair = [{_quoted(pair)}, {_quoted(pair + '_contacts')}]\n"
        f"vdirsyncer_config = {_quoted(str(target))}\n"
    )
    private_folder(ours.parent)
    write_private(ours, settings.encode("utf-8"))
    return target, ours
