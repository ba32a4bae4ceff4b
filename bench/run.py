"""Run the benchmark suite and write bench/RESULTS.md (``make bench``).

    python bench/run.py [--sizes 300,3000,30000] [--stress] [--runs 5] [--no-peers]

For every size it builds (or reuses) the data set from bench/generate.py, then
times what a person runs: whole processes (wall clock, CPU time and peak memory
of each, medians of ``--runs`` runs after one warm-up) and, where the question
is how long the app itself takes, calls inside one process.  khard and todoman,
installed into their own virtualenv under bench/out/, run on the same people,
alternating with rapport run for run.

Each measurement is one small function below.  One that needs a feature this
build does not have (the TUI, ``rapport import linkedin``...) is reported as
"not available in this build", never as a failure of the whole run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import fcntl
import hashlib
import json
import math
import os
import platform
import re
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
PEERS_VENV = OUT / "venv-peers"
PEERS = ("khard==0.22.0", "todoman==4.7.0")
RESULTS = HERE / "RESULTS.md"
FINDINGS = HERE / "FINDINGS.md"
DEFAULT_SIZES = (300, 3_000, 30_000)
STRESS_SIZE = 100_000  # --stress
NOT_AVAILABLE = "not available in this build"


class BenchError(Exception):
    """A measured command failed; the message says how."""


# -- timing ----------------------------------------------------------------------


@dataclass(frozen=True)
class Sample:
    """One run of one process."""

    wall: float  # seconds
    cpu: float  # user + system seconds
    peak_kb: int  # maximum resident set size


@dataclass(frozen=True)
class Stat:
    """Several runs of the same thing, summed up."""

    samples: tuple[Sample, ...]

    @property
    def median(self) -> float:
        return statistics.median(s.wall for s in self.samples)

    @property
    def best(self) -> float:
        return min(s.wall for s in self.samples)

    @property
    def cpu(self) -> float:
        return statistics.median(s.cpu for s in self.samples)

    @property
    def peak_mb(self) -> float:
        return max(s.peak_kb for s in self.samples) / 1024


def run_process(
    argv: Sequence[str], env: dict[str, str], *, stdout: Path | None = None, cwd: Path | None = None
) -> Sample:
    """Run ``argv`` to the end; its wall time, CPU time and peak memory (from wait4)."""
    with tempfile.TemporaryFile() as err:
        out = stdout.open("wb") if stdout else subprocess.DEVNULL
        try:
            started = time.perf_counter()
            proc = subprocess.Popen(argv, env=env, stdout=out, stderr=err, cwd=cwd)
            _, status, usage = os.wait4(proc.pid, 0)
            wall = time.perf_counter() - started
        finally:
            if stdout:
                out.close()  # type: ignore[union-attr]
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            err.seek(0)
            tail = err.read().decode("utf-8", "replace").strip().splitlines()[-3:]
            raise BenchError(
                f"`{' '.join(map(str, argv))}` exited {proc.returncode}: {' / '.join(tail)}"
            )
    return Sample(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss)


def time_process(
    argv: Sequence[str],
    env: dict[str, str],
    runs: int,
    *,
    check: Callable[[Path], None] | None = None,
) -> Stat:
    """Median of ``runs`` runs after one warm-up run, whose output ``check`` inspects;
    QUICK_RUNS for a command quicker than QUICK_S, where a shared machine's noise
    weighs more than the cost of running it again."""
    stat = alternate({"a": (argv, check, None)}, env, runs)["a"]
    if stat.median < QUICK_S and runs < QUICK_RUNS:
        more = alternate({"a": (argv, None, None)}, env, QUICK_RUNS - runs, warm_up=False)["a"]
        stat = Stat(stat.samples + more.samples)
    return stat


Job = tuple[Sequence[str], Callable[[Path], None] | None, Callable[[], None] | None]
QUICK_S = 1.0
QUICK_RUNS = 15


def alternate(
    commands: dict[str, Job],
    env: dict[str, str],
    runs: int,
    *,
    warm_up: bool = True,
    envs: dict[str, dict[str, str]] | None = None,
) -> dict[str, Stat]:
    """Time several commands run for run in ABBA order, so drift hits each alike.

    Each value is (argv, check, before): ``check`` reads the output of the
    first run (the warm-up, or without one the first timed run), ``before``
    (if given) runs ahead of every run, untimed.  ``envs`` gives a command
    its own environment.
    """
    envs = envs or {}
    names = list(commands)
    samples: dict[str, list[Sample]] = {name: [] for name in names}
    with tempfile.TemporaryDirectory() as tmp:
        output = Path(tmp) / "out"
        for n in range(-1 if warm_up else 0, runs):
            for name in names if n % 2 == 0 else reversed(names):
                argv, check, before = commands[name]
                if before:
                    before()
                first = n == (-1 if warm_up else 0)
                sample = run_process(
                    argv, envs.get(name, env), stdout=output if first and check else None
                )
                if first and check:
                    check(output)
                if n >= 0:
                    samples[name].append(sample)
    return {name: Stat(tuple(s)) for name, s in samples.items()}


# -- the context every measurement gets ---------------------------------------


@dataclass
class Context:
    size: int
    folder: Path  # the data set: rapport.db, Connections.csv, contacts.vcf, manifest.json
    manifest: dict[str, Any]
    runs: int
    env: dict[str, str]
    scratch: Path
    peers: Path | None  # the peers' virtualenv, or None when --no-peers
    features: Features
    cache: dict[str, Any] = field(default_factory=dict)  # results shared by measurements

    @property
    def db(self) -> Path:
        return self.folder / "rapport.db"

    def rapport(self, *args: str, db: Path | None = None) -> list[str]:
        return [str(Path(sys.executable).with_name("rapport")), "--db", str(db or self.db), *args]

    def count(self, sql: str) -> int:
        conn = sqlite3.connect(f"{self.db.as_uri()}?mode=ro", uri=True)
        try:
            return int(conn.execute(sql).fetchone()[0])
        finally:
            conn.close()


@dataclass
class Outcome:
    """What one measurement found at one size: a Stat, or why there is none."""

    stat: Stat | None = None
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Measurement:
    key: str
    label: str
    target: float | None  # seconds (or MB when unit is "MB") at 30,000 contacts
    func: Callable[[Context], Outcome]
    unit: str = "s"
    in_process: bool = False
    listed: bool = False  # in the targets table though it has no target of its own
    memory: bool = False  # moving in or out: time and peak memory at every size
    over_floor: bool = False  # the target is the floor (FLOOR_ARGV) + FLOOR_MARGIN


MEASUREMENTS: list[Measurement] = []


def measurement(
    key: str,
    label: str,
    target: float | None = None,
    *,
    unit: str = "s",
    in_process: bool = False,
    listed: bool = False,
    memory: bool = False,
    over_floor: bool = False,
) -> Callable[[Callable[[Context], Outcome]], Callable[[Context], Outcome]]:
    def register(func: Callable[[Context], Outcome]) -> Callable[[Context], Outcome]:
        MEASUREMENTS.append(
            Measurement(key, label, target, func, unit, in_process, listed, memory, over_floor)
        )
        return func

    return register


# -- what this build offers ------------------------------------------------------


@dataclass(frozen=True)
class Features:
    """The commands (with their options) and modules of the rapport under test."""

    commands: dict[str, list[str]]
    tui: bool

    @classmethod
    def probe(cls, env: dict[str, str]) -> Features:
        found = json.loads(worker("features", env=env))
        return cls(found["commands"], found["tui"])

    def options(self, command: str) -> list[str] | None:
        """The options of ``rapport COMMAND`` ("export ics"), or None if there is none."""
        return self.commands.get(command)


def worker(*args: str, env: dict[str, str]) -> str:
    """Run bench/inside.py (rapport imported in its own interpreter); its stdout."""
    argv = [sys.executable, str(HERE / "inside.py"), *args]
    proc = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        tail = " / ".join(proc.stderr.strip().splitlines()[-3:])
        raise BenchError(f"bench/inside.py {' '.join(args)} exited {proc.returncode}: {tail}")
    return proc.stdout


# -- checks on output ------------------------------------------------------------


# Checks read the output from its file, never whole into the runner: the runner
# must stay smaller than the processes it measures (see bench/inside.py).


def expect_json_list(length: int) -> Callable[[Path], None]:
    def check(output: Path) -> None:
        code = "import json, sys; print(len(json.load(open(sys.argv[1], 'rb'))))"
        proc = subprocess.run(
            [sys.executable, "-c", code, str(output)], capture_output=True, text=True, check=False
        )
        got = proc.stdout.strip() or proc.stderr.strip().splitlines()[-1:]
        if got != str(length):
            raise BenchError(f"expected {length} items in the JSON output, got {got}")

    return check


def expect_files(folder: Path, count: int, pattern: str = "*.ics") -> Callable[[Path], None]:
    def check(_: Path) -> None:
        got = sum(1 for _ in folder.glob(pattern))
        if got != count:
            raise BenchError(f"expected {count} files in {folder}, got {got}")

    return check


def expect_events(calendar: Path, count: int) -> Callable[[Path], None]:
    def check(_: Path) -> None:
        with calendar.open("rb") as handle:
            got = sum(1 for line in handle if line.startswith(b"BEGIN:VEVENT"))
        if got != count:
            raise BenchError(f"expected {count} events in {calendar}, got {got}")

    return check


def count_lines(into: dict[str, int], name: str) -> Callable[[Path], None]:
    def check(output: Path) -> None:
        with output.open("rb") as handle:
            into[name] = sum(1 for _ in handle)

    return check


def expect_lines(at_least: int) -> Callable[[Path], None]:
    def check(output: Path) -> None:
        with output.open("rb") as handle:
            got = sum(1 for _ in handle)
        if got < at_least:
            raise BenchError(f"expected at least {at_least} lines of output, got {got}")

    return check


# -- rapport: start-up -------------------------------------------------------------


# Issue 17's goal for the quickest commands is relative: within FLOOR_MARGIN of
# what Python takes to start and import click and peewee, measured here, in the
# environment rapport runs in, the way the commands are timed.
FLOOR_ARGV = ("-c", "import click, peewee")
FLOOR_MARGIN = 0.02
FLOOR_KEY = "floor"
OVER_FLOOR = "over_floor"  # Outcome.extra: the median, run for run, of command - floor


@measurement(FLOOR_KEY, "the floor: `python -c 'import click, peewee'`", listed=True)
def startup_floor(ctx: Context) -> Outcome:
    return Outcome(time_process([sys.executable, *FLOOR_ARGV], ctx.env, ctx.runs))


def against_floor(
    ctx: Context, argv: Sequence[str], check: Callable[[Path], None] | None = None
) -> Outcome:
    """``argv`` timed run for run (ABBA) with the floor, and by how much it exceeds it:
    on a shared machine a floor timed apart can read twice its CPU time (a busy
    moment), and a command judged against it would pass for the wrong reason."""
    runs = max(ctx.runs, QUICK_RUNS)
    jobs: dict[str, Job] = {
        FLOOR_KEY: ([sys.executable, *FLOOR_ARGV], None, None),
        "command": (argv, check, None),
    }
    stats = alternate(jobs, ctx.env, runs)
    command, floor = stats["command"], stats[FLOOR_KEY]
    # The pairs are the runs of one round: what drifted, drifted for both.
    over = statistics.median(
        c.wall - f.wall for c, f in zip(command.samples, floor.samples, strict=True)
    )
    return Outcome(command, extra={FLOOR_KEY: floor.median, OVER_FLOOR: over})


@measurement("help", "`rapport --help`", over_floor=True)
def startup_help(ctx: Context) -> Outcome:
    return against_floor(ctx, ctx.rapport("--help"), check=expect_lines(10))


@measurement("due", "`rapport followups due`", over_floor=True)
def followups_due(ctx: Context) -> Outcome:
    return against_floor(ctx, ctx.rapport("followups", "due"))


def backups_folder(db: Path) -> Path:
    return db.parent / f"{db.stem}-backups"


def wait_for_daily_backup(db: Path, timeout: float = 300) -> None:
    """Until today's backup is whole and its copier gone: a large database's is
    copied by a detached process after the command answered, then checked, and
    neither must weigh on the next run.  The copier holds the backup locked
    (flock, see rapport.backups) until it exits."""
    deadline = time.monotonic() + timeout
    while True:
        found = sorted(backups_folder(db).glob("*-daily.db"))
        if found and not _locked(found[-1]):
            return
        if time.monotonic() > deadline:
            raise BenchError("the first command of the day took no daily backup")
        time.sleep(0.05)


def _locked(path: Path) -> bool:
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return True  # being rotated or replaced: look again
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def steady_state(ctx: Context) -> None:
    """Take today's daily backup now, untimed: every measurement then sees a
    database already opened today, as every command after a day's first does."""
    run_process(ctx.rapport("followups", "due"), ctx.env)
    wait_for_daily_backup(ctx.db)


def first_and_steady(ctx: Context) -> dict[str, Stat]:
    """`followups due` as the day's first command and as any other, run for run (ABBA)."""
    if "first_and_steady" in ctx.cache:
        return ctx.cache["first_and_steady"]

    # The frozen clock makes every run the same day: removing today's backup
    # before each run makes each one the day's first.
    def first_of_day() -> None:
        wait_for_daily_backup(ctx.db)  # the previous run's, if it is still being copied
        shutil.rmtree(backups_folder(ctx.db), ignore_errors=True)

    def any_other_day() -> None:
        wait_for_daily_backup(ctx.db)  # the copy made after the first command, whole

    argv = ctx.rapport("followups", "due")
    jobs: dict[str, Job] = {
        "first": (argv, None, first_of_day),
        "steady": (argv, None, any_other_day),
    }
    try:
        stats = alternate(jobs, ctx.env, ctx.runs)
    finally:
        steady_state(ctx)
    ctx.cache["first_and_steady"] = stats
    return stats


@measurement(
    "due_first", "`rapport followups due`, the day's first command (daily backup)", listed=True
)
def followups_due_first(ctx: Context) -> Outcome:
    size = ctx.db.stat().st_size / 1024 / 1024
    return Outcome(first_and_steady(ctx)["first"], extra={"database_mb": size})


@measurement(
    "due_first_extra",
    "the day's first command beyond any other day's (run for run, `followups due`)",
    0.05,
)
def followups_due_first_extra(ctx: Context) -> Outcome:
    stats = first_and_steady(ctx)
    extra = tuple(
        Sample(first.wall - steady.wall, first.cpu - steady.cpu, first.peak_kb)
        for first, steady in zip(stats["first"].samples, stats["steady"].samples, strict=True)
    )
    return Outcome(Stat(extra))


HEAVY_MODULES = ("textual", "icalendar", "vobject", "rich")
IMPORT_PROBES = {
    "--help": ("--help",),
    "followups due": ("followups", "due"),
    "contacts list": ("contacts", "list"),
    "search": ("search", "platform"),
    "today": ("today",),
}


def imported_modules(ctx: Context, args: Sequence[str]) -> tuple[set[str], float]:
    """Top-level packages a command imports, and their total import time in seconds."""
    argv = [sys.executable, "-X", "importtime", "-m", "rapport", "--db", str(ctx.db), *args]
    proc = subprocess.run(argv, env=ctx.env, capture_output=True, check=False)
    if proc.returncode != 0:
        raise BenchError(f"{' '.join(argv)} exited {proc.returncode}")
    names: set[str] = set()
    total_us = 0
    for line in proc.stderr.decode().splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if match:
            names.add(match.group(4).split(".")[0])
            if len(match.group(3)) == 1:
                total_us += int(match.group(2))  # top-level imports carry their children
    return names, total_us / 1e6


@measurement("imports", "heavy imports at start-up (textual, icalendar)", None)
def startup_imports(ctx: Context) -> Outcome:
    found: dict[str, list[str]] = {}
    seconds: dict[str, float] = {}
    for label, args in IMPORT_PROBES.items():
        names, took = imported_modules(ctx, args)
        found[label] = sorted(m for m in HEAVY_MODULES if m in names)
        seconds[label] = took
    bad = {k: v for k, v in found.items() if {"textual", "icalendar"} & set(v)}
    note = (
        "textual and icalendar imported by: " + ", ".join(bad)
        if bad
        else "textual and icalendar imported by none of: " + ", ".join(found)
    )
    return Outcome(None, note, {"heavy": found, "import_seconds": seconds})


# -- rapport: lists and search ------------------------------------------------------


@measurement("contacts_json", "`rapport contacts list --json`", 0.25)
def contacts_list_json(ctx: Context) -> Outcome:
    active = ctx.count("SELECT count(*) FROM contact WHERE NOT archived")
    argv = ctx.rapport("contacts", "list", "--json")
    return Outcome(time_process(argv, ctx.env, ctx.runs, check=expect_json_list(active)))


@measurement("contacts_table", "`rapport contacts list` (table)", None)
def contacts_list_table(ctx: Context) -> Outcome:
    active = ctx.count("SELECT count(*) FROM contact WHERE NOT archived")
    argv = ctx.rapport("contacts", "list")
    return Outcome(time_process(argv, ctx.env, ctx.runs, check=expect_lines(active)))


def _search_word(ctx: Context, which: str = "common") -> str:
    return str(ctx.manifest["search"][which])


@measurement("search", "`rapport search WORD` (a common word)", 0.3)
def search_process(ctx: Context) -> Outcome:
    argv = ctx.rapport("search", _search_word(ctx))
    return Outcome(time_process(argv, ctx.env, ctx.runs, check=expect_lines(10)))


@measurement("search_name", "`rapport search SURNAME`", 0.3)
def search_name_process(ctx: Context) -> Outcome:
    argv = ctx.rapport("search", _search_word(ctx, "surname"))
    return Outcome(time_process(argv, ctx.env, ctx.runs, check=expect_lines(2)))


@measurement("today", "`rapport today`", 0.15)
def today_process(ctx: Context) -> Outcome:
    return Outcome(time_process(ctx.rapport("today"), ctx.env, ctx.runs))


# -- rapport: inside the process -----------------------------------------------------


def inside(ctx: Context, what: str, argument: str = "", runs: int = 30) -> Outcome:
    """Median of ``runs`` calls of ``what`` (see bench/inside.py) in one rapport process."""
    args = ["time", str(ctx.db), what, "--arg", argument, "--runs", str(runs)]
    timings = json.loads(worker(*args, env=ctx.env))
    samples = (Sample(w, c, 0) for w, c in zip(timings["wall"], timings["cpu"], strict=True))
    return Outcome(Stat(tuple(samples)))


@measurement("search_sql", "search: the FTS5 query alone (in-process)", 0.010, in_process=True)
def search_sql(ctx: Context) -> Outcome:
    return inside(ctx, "search_sql", _search_word(ctx))


@measurement(
    "search_sql_name", "search: the FTS5 query for a surname (in-process)", 0.010, in_process=True
)
def search_sql_name(ctx: Context) -> Outcome:
    return inside(ctx, "search_sql", _search_word(ctx, "surname"))


@measurement(
    "search_call", "search: `services.search.search()` (in-process)", 0.010, in_process=True
)
def search_call(ctx: Context) -> Outcome:
    return inside(ctx, "search_call", _search_word(ctx))


@measurement("contact_rows", "`contact_rows()` (in-process)", None, in_process=True)
def contact_rows_call(ctx: Context) -> Outcome:
    return inside(ctx, "contact_rows", runs=5)


@measurement("today_call", "`today_agenda()` (in-process)", None, in_process=True)
def today_call(ctx: Context) -> Outcome:
    return inside(ctx, "today", runs=5)


@measurement(
    "contact_detail",
    "`contact_detail()` of the contact with 200 interactions",
    0.1,
    in_process=True,
)
def contact_detail_call(ctx: Context) -> Outcome:
    return inside(ctx, "contact_detail", str(ctx.manifest["heavy_contact"]["id"]), runs=20)


# -- features other branches are building --------------------------------------------


TUI_WORD = "ana s"  # typed into the contact filter, a key at a time


def tui_runs(ctx: Context) -> list[dict[str, Any]]:
    """``ctx.runs`` launches of the app, each in its own process (bench/inside.py tui)."""
    if "tui" not in ctx.cache:
        contact = str(ctx.manifest["heavy_contact"]["id"])
        runs = []
        for _ in range(ctx.runs):
            args = ["tui", str(ctx.db), "--contact", contact, "--word", TUI_WORD]
            args += ["--search", _search_word(ctx)]
            runs.append(json.loads(worker(*args, "--spawned", f"{time.time():.6f}", env=ctx.env)))
        ctx.cache["tui"] = runs
    return ctx.cache["tui"]


def tui_measure(pick: Callable[[dict[str, Any]], list[float]]) -> Callable[[Context], Outcome]:
    def measure(ctx: Context) -> Outcome:
        if not ctx.features.tui:
            return Outcome(note=f"{NOT_AVAILABLE} (no rapport.tui)")
        runs = tui_runs(ctx)
        samples = tuple(Sample(value, 0.0, run["peak_kb"]) for run in runs for value in pick(run))
        return Outcome(Stat(samples))

    return measure


for _key, _label, _target, _unit, _pick in (
    ("tui_launch", "TUI: launch to first screen with data", 1.5, "s", lambda r: [r["launch"]]),
    (
        "tui_today",
        "TUI: launch to Today complete (going cold too)",
        0.5,
        "s",
        lambda r: [r["today_complete"]],
    ),
    (
        "tui_keystroke",
        f"TUI: a keystroke in the contact filter to the result (typing {TUI_WORD!r})",
        0.05,
        "s",
        lambda r: [seconds for _, _, seconds in r["keystrokes"]],
    ),
    (
        "tui_contact",
        "TUI: open a contact with 200 interactions",
        0.1,
        "s",
        lambda r: [r["open_contact"]],
    ),
    (
        "tui_jump",
        "TUI: jump to that contact from Today (app.open_contact)",
        None,
        "s",
        lambda r: [r["jump_to_contact"]],
    ),
    (
        "tui_search",
        "TUI: a keystroke in the search box (ctrl+f) to its results (typing the common word)",
        0.1,
        "s",
        lambda r: [seconds for _, _, seconds in r.get("search_keystrokes", ())],
    ),
    (
        "tui_followups",
        "TUI: first open of the Follow-ups tab (the open ones of 50,000 at 30,000)",
        0.2,
        "s",
        lambda r: [r["followups_tab"]],
    ),
    ("tui_memory", "TUI: peak memory on this database", 250, "MB", lambda r: [r["launch"]]),
):
    measurement(_key, _label, _target, unit=_unit, in_process=True, listed=True)(tui_measure(_pick))


@measurement(
    "import_linkedin", "`rapport import linkedin` into an empty database", 1.2, memory=True
)
def import_linkedin(ctx: Context) -> Outcome:
    if ctx.features.options("import linkedin") is None:
        return Outcome(note=f"{NOT_AVAILABLE} (no `rapport import linkedin`)")
    fresh = ctx.scratch / "import.db"

    def empty() -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{fresh}{suffix}").unlink(missing_ok=True)

    csv_path = str(ctx.folder / "Connections.csv")
    argv = ctx.rapport("import", "linkedin", csv_path, db=fresh)
    return Outcome(alternate({"import": (argv, None, empty)}, ctx.env, ctx.runs)["import"])


# -- moving in and out: every import and export ------------------------------------


def fresh_database(ctx: Context, name: str) -> tuple[Path, Callable[[], None]]:
    """A path for an empty database, and what empties it again before each run."""
    fresh = ctx.scratch / f"{name}.db"

    def empty() -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{fresh}{suffix}").unlink(missing_ok=True)
        shutil.rmtree(backups_folder(fresh), ignore_errors=True)

    return fresh, empty


def expect_cards(path: Path, at_least: int) -> Callable[[Path], None]:
    def check(_: Path) -> None:
        with path.open("rb") as handle:
            got = sum(1 for line in handle if line.startswith(b"BEGIN:VCARD"))
        if got < at_least:
            raise BenchError(f"expected at least {at_least} cards in {path}, got {got}")

    return check


def expect_snapshot(path: Path) -> Callable[[Path], None]:
    def check(_: Path) -> None:
        with path.open("rb") as handle:
            head = handle.read(40)
            handle.seek(max(0, path.stat().st_size - 8))
            tail = handle.read()
        if not head.startswith(b'{\n  "format": "rapport"') or not tail.endswith(b"}\n"):
            raise BenchError(f"{path} is not a whole rapport JSON export")

    return check


def exported(ctx: Context, kind: str) -> Path:
    """``rapport export KIND`` written once, untimed: the input of the matching import."""
    key = f"exported-{kind}"
    if key not in ctx.cache:
        path = ctx.scratch / f"exported.{kind}"
        run_process(ctx.rapport("export", kind, "-o", str(path)), ctx.env)
        ctx.cache[key] = path
    return Path(ctx.cache[key])


def _export(
    ctx: Context, kind: str, check: Callable[[Path, int], Callable[[Path], None]]
) -> Outcome:
    if ctx.features.options(f"export {kind}") is None:
        return Outcome(note=f"{NOT_AVAILABLE} (no `rapport export {kind}`)")
    target = ctx.scratch / f"export.{kind}"
    argv = ctx.rapport("export", kind, "-o", str(target))
    contacts = ctx.count("SELECT count(*) FROM contact")
    return Outcome(time_process(argv, ctx.env, ctx.runs, check=check(target, contacts)))


@measurement("export_vcard", "`rapport export vcard`", 2.0, memory=True)
def export_vcard(ctx: Context) -> Outcome:
    return _export(ctx, "vcard", expect_cards)


@measurement("export_json", "`rapport export json` (the whole database)", 3.0, memory=True)
def export_json(ctx: Context) -> Outcome:
    return _export(ctx, "json", lambda path, _: expect_snapshot(path))


@measurement("export_csv", "`rapport export csv`", None, memory=True)
def export_csv(ctx: Context) -> Outcome:
    return _export(ctx, "csv", lambda path, contacts: expect_file_lines(path, contacts + 1))


def expect_file_lines(path: Path, at_least: int) -> Callable[[Path], None]:
    def check(_: Path) -> None:
        expect_lines(at_least)(path)

    return check


def expect_rows(db: Path, table: str, at_least: int) -> Callable[[Path], None]:
    def check(_: Path) -> None:
        conn = sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True)
        try:
            got = int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
        finally:
            conn.close()
        if got < at_least:
            raise BenchError(
                f"expected at least {at_least} {table} rows after the import, got {got}"
            )

    return check


def _import(ctx: Context, kind: str, source: Path, table: str, rows: int) -> Outcome:
    if ctx.features.options(f"import {kind}") is None:
        return Outcome(note=f"{NOT_AVAILABLE} (no `rapport import {kind}`)")
    fresh, empty = fresh_database(ctx, f"import-{kind}")
    argv = ctx.rapport("import", kind, str(source), db=fresh)
    job: Job = (argv, expect_rows(fresh, table, rows), empty)
    return Outcome(alternate({kind: job}, ctx.env, ctx.runs)[kind])


@measurement("import_vcard", "`rapport import vcard` into an empty database", None, memory=True)
def import_vcard(ctx: Context) -> Outcome:
    people = ctx.manifest["sizes"]["contacts"]
    return _import(ctx, "vcard", ctx.folder / "contacts.vcf", "contact", people)


@measurement(
    "import_csv", "`rapport import csv` (its own export) into an empty database", None, memory=True
)
def import_csv(ctx: Context) -> Outcome:
    people = ctx.count("SELECT count(*) FROM contact")
    return _import(ctx, "csv", exported(ctx, "csv"), "contact", people)


@measurement(
    "import_json",
    "`rapport import json` (its own export) into an empty database",
    None,
    memory=True,
)
def import_json(ctx: Context) -> Outcome:
    follow_ups = ctx.count("SELECT count(*) FROM follow_up")
    return _import(ctx, "json", exported(ctx, "json"), "follow_up", follow_ups)


def events_calendar(ctx: Context) -> tuple[Path, int]:
    """An .ics file of as many events as the data set has, as a calendar app writes them."""
    count = int(ctx.manifest["sizes"]["events"])
    path = ctx.scratch / "events.ics"
    if not path.exists():
        start = dt.datetime(2026, 1, 5, 9, 0)
        lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//bench//rapport//EN"]
        for n in range(count):
            at = start + dt.timedelta(hours=7 * n)
            lines += [
                "BEGIN:VEVENT",
                f"UID:bench-event-{n}@example.com",
                "DTSTAMP:20260101T000000Z",
                f"DTSTART:{at:%Y%m%dT%H%M%S}",
                f"DTEND:{at + dt.timedelta(hours=2):%Y%m%dT%H%M%S}",
                f"SUMMARY:Meetup {n} on platform engineering",
                f"LOCATION:Hall {n % 12}, Portland",
                "DESCRIPTION:Talks, then drinks\\, and people to meet.",
                "END:VEVENT",
            ]
        lines.append("END:VCALENDAR")
        path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return path, count


@measurement(
    "import_ics", "`rapport import ics` of the events into an empty database", None, memory=True
)
def import_ics(ctx: Context) -> Outcome:
    calendar, count = events_calendar(ctx)
    return _import(ctx, "ics", calendar, "event", count)


@measurement("export_ics", "`rapport export ics` of the open follow-ups", 0.8, memory=True)
def export_ics(ctx: Context) -> Outcome:
    if ctx.features.options("export ics") is None:
        return Outcome(note=f"{NOT_AVAILABLE} (no `rapport export ics`)")
    target = ctx.scratch / "followups.ics"
    argv = ctx.rapport("export", "ics", "-o", str(target))
    check = expect_events(target, ctx.manifest["sizes"]["open_followups"])
    return Outcome(time_process(argv, ctx.env, ctx.runs, check=check))


def _vdir_export(ctx: Context, folder: str) -> Outcome:
    """Time exporting every open follow-up to a vdir; ``folder`` says what each run
    finds there: "new" (a folder no file was ever written to), "emptied" (the last
    run's files deleted a moment before) or "kept" (the last run's files)."""
    if not {"--vdir", "--todo"} <= set(ctx.features.options("export ics") or []):
        return Outcome(note=f"{NOT_AVAILABLE} (no `rapport export ics --vdir --todo`)")
    vdir = ctx.scratch / "vdir-export"
    used = ctx.scratch / "vdir-export-used"
    for leftover in (vdir, used):
        shutil.rmtree(leftover, ignore_errors=True)

    def emptied() -> None:
        shutil.rmtree(vdir, ignore_errors=True)

    def new() -> None:
        # The last run's folder is moved aside, not deleted: on ext4 without a
        # journal (this machine's), a file created moments after thousands were
        # deleted costs the kernel a search past each freed inode, which would
        # time the runner's own rmtree instead of the export (FINDINGS, round 6).
        if vdir.exists():
            used.mkdir(exist_ok=True)
            vdir.rename(used / str(len(list(used.iterdir()))))

    before = {"new": new, "emptied": emptied, "kept": None}[folder]
    argv = ctx.rapport("export", "ics", "--todo", "--vdir", str(vdir))
    check = expect_files(vdir, ctx.manifest["sizes"]["open_followups"])
    job: Job = (argv, check, before)
    try:
        return Outcome(alternate({"vdir": job}, ctx.env, ctx.runs)["vdir"])
    finally:
        shutil.rmtree(used, ignore_errors=True)


@measurement(
    "export_vdir", "`rapport export ics --vdir --todo` into an empty folder", 2.0, memory=True
)
def export_vdir(ctx: Context) -> Outcome:
    return _vdir_export(ctx, "new")


@measurement(
    "export_vdir_emptied",
    "`rapport export ics --vdir --todo` into a folder whose files were deleted a moment before",
    memory=True,
)
def export_vdir_emptied(ctx: Context) -> Outcome:
    return _vdir_export(ctx, "emptied")


@measurement(
    "export_vdir_again",
    "`rapport export ics --vdir --todo` again, nothing changed",
    0.3,
    memory=True,
)
def export_vdir_again(ctx: Context) -> Outcome:
    return _vdir_export(ctx, "kept")


# -- rapport sync: every contact and open follow-up into vdirs, then again --------------

# Issue 15's targets are for 5,000 contacts and 1,000 open follow-ups (6,000
# files): a first sync into empty vdirs under 5 s, one with nothing changed
# under 1 s.  The runner's targets are at 30,000 contacts, whose data set has
# 5,000 open follow-ups (35,000 files); both syncs read or write every file, so
# the targets grow with the files, as the data set does with the contacts.
SYNC_FILES_IN_ISSUE = 5_000 + 1_000
SYNC_FILES_AT_30000 = 30_000 + 5_000
SYNC_FIRST_TARGET = round(5.0 * SYNC_FILES_AT_30000 / SYNC_FILES_IN_ISSUE, 1)
SYNC_AGAIN_TARGET = round(1.0 * SYNC_FILES_AT_30000 / SYNC_FILES_IN_ISSUE, 1)


def _sync_setup(ctx: Context) -> tuple[list[str], dict[str, str], Callable[[], None]] | None:
    """A copy of the database opened today, a config naming two vdirs, and what
    empties the vdirs and the sync record again; None when this build has no sync."""
    if ctx.features.options("sync") is None:
        return None
    db = ctx.scratch / "sync.db"
    tasks, cards = ctx.scratch / "sync-tasks", ctx.scratch / "sync-cards"
    config = ctx.scratch / "sync.toml"
    config.write_text(f'[sync]\ntasks = "{tasks}"\ncontacts = "{cards}"\n', encoding="utf-8")
    env = {**ctx.env, "RAPPORT_CONFIG": str(config)}
    if not db.exists():
        shutil.copyfile(ctx.db, db)
        run_process(ctx.rapport("followups", "due", db=db), env)
        wait_for_daily_backup(db)

    def empty() -> None:
        for folder in (tasks, cards):
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
        conn = sqlite3.connect(db)
        with conn:
            conn.execute("DELETE FROM sync_state")
        conn.close()

    return ctx.rapport("sync", db=db), env, empty


def expect_synced(ctx: Context, words: str) -> Callable[[Path], None]:
    """The sync said ``words`` ("N sent"), and each vdir holds what it should."""
    cards = ctx.count("SELECT COUNT(*) FROM contact WHERE archived = 0")
    tasks = ctx.manifest["sizes"]["open_followups"]

    def check(output: Path) -> None:
        said = output.read_text(encoding="utf-8").strip()
        wanted = words.format(sent=cards + tasks)
        if said != wanted:
            raise BenchError(f"rapport sync said {said!r}, not {wanted!r}")
        expect_files(ctx.scratch / "sync-tasks", tasks)(output)
        expect_files(ctx.scratch / "sync-cards", cards, "*.vcf")(output)

    return check


@measurement(
    "sync_first",
    "`rapport sync` into empty vdirs (every contact and open follow-up)",
    SYNC_FIRST_TARGET,
    memory=True,
)
def sync_first(ctx: Context) -> Outcome:
    setup = _sync_setup(ctx)
    if setup is None:
        return Outcome(note=f"{NOT_AVAILABLE} (no `rapport sync`)")
    argv, env, empty = setup
    job: Job = (argv, expect_synced(ctx, "{sent} sent"), empty)
    return Outcome(alternate({"sync": job}, env, ctx.runs, envs={"sync": env})["sync"])


@measurement("sync_again", "`rapport sync` again, nothing changed", SYNC_AGAIN_TARGET, memory=True)
def sync_again(ctx: Context) -> Outcome:
    setup = _sync_setup(ctx)
    if setup is None:
        return Outcome(note=f"{NOT_AVAILABLE} (no `rapport sync`)")
    argv, env, empty = setup
    empty()
    run_process(argv, env)  # the first sync, untimed
    job: Job = (argv, expect_synced(ctx, "nothing changed"), None)
    stat = alternate({"sync": job}, env, ctx.runs, warm_up=False, envs={"sync": env})["sync"]
    return Outcome(stat)


@measurement("review", "`rapport review` across all goals", 0.2)
def review(ctx: Context) -> Outcome:
    if ctx.features.options("review") is None:
        return Outcome(note=f"{NOT_AVAILABLE} (no `rapport review`)")
    return Outcome(time_process(ctx.rapport("review"), ctx.env, ctx.runs))


@measurement("review_gaps", "`rapport review --gaps` across all goals", 0.5)
def review_gaps(ctx: Context) -> Outcome:
    if "--gaps" not in (ctx.features.options("review") or []):
        return Outcome(note=f"{NOT_AVAILABLE} (no `rapport review --gaps`)")
    return Outcome(time_process(ctx.rapport("review", "--gaps"), ctx.env, ctx.runs))


@measurement(
    "skill_candidates", "`rapport skills candidates SKILL` (a skill many notes name)", 0.15
)
def skill_candidates(ctx: Context) -> Outcome:
    if ctx.features.options("skills candidates") is None or "skill" not in ctx.manifest:
        return Outcome(note=f"{NOT_AVAILABLE} (no `rapport skills candidates`)")
    argv = ctx.rapport("skills", "candidates", str(ctx.manifest["skill"]))
    return Outcome(time_process(argv, ctx.env, ctx.runs))


# -- side by side with khard and todoman ---------------------------------------------


@dataclass
class Pair:
    """rapport and a peer doing the same job, timed alternately."""

    label: str
    rapport: Stat | None = None
    peer: Stat | None = None
    note: str = ""
    target: float | None = None  # the ratio to stay under, at the largest size

    @property
    def ratio(self) -> float | None:
        if self.rapport and self.peer:
            return self.rapport.median / self.peer.median
        return None


def ensure_peers() -> Path | None:
    """A virtualenv with khard and todoman, apart from rapport's own (created once)."""
    python = PEERS_VENV / "bin" / "python"
    stamp = PEERS_VENV / ".installed"
    wanted = "\n".join(PEERS)
    if stamp.exists() and stamp.read_text() == wanted:
        return PEERS_VENV
    print(f"  installing {', '.join(PEERS)} into {PEERS_VENV}", file=sys.stderr)
    try:
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(PEERS_VENV)], check=True)
        subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *PEERS],
            check=True,
        )
    except subprocess.CalledProcessError as exc:
        print(f"  could not install the peers ({exc}); side by side skipped", file=sys.stderr)
        return None
    stamp.write_text(wanted)
    return PEERS_VENV


def split_vcf(vcf: Path, vdir: Path) -> int:
    """One .vcf file per card, named by its UID: the vdir layout khard reads."""
    if vdir.exists():
        shutil.rmtree(vdir)
    vdir.mkdir(parents=True)
    count = 0
    card: list[str] = []
    with vcf.open(encoding="utf-8", newline="") as lines:  # newline="": keep the CRLFs
        for line in lines:
            card.append(line)
            if line.startswith("END:VCARD"):
                uid = next((x[4:].strip() for x in card if x.startswith("UID:")), None)
                name = uid or hashlib.sha1("".join(card).encode()).hexdigest()
                (vdir / f"{name}.vcf").write_text("".join(card), encoding="utf-8", newline="")
                card, count = [], count + 1
    return count


def khard_config(ctx: Context) -> Path:
    vdir = ctx.scratch / "vdir-contacts"
    split_vcf(ctx.folder / "contacts.vcf", vdir)
    config = ctx.scratch / "khard.conf"
    config.write_text(f"[addressbooks]\n[[bench]]\npath = {vdir}\n", encoding="utf-8")
    return config


def side_by_side(ctx: Context) -> list[Pair]:
    """khard against rapport on contacts; todoman against rapport on follow-ups."""
    pairs: list[Pair] = []
    if ctx.peers is None:
        return [
            Pair("khard and todoman", note="skipped (--no-peers, or they could not be installed)")
        ]
    khard = str(ctx.peers / "bin" / "khard")
    config = str(khard_config(ctx))
    active = ctx.count("SELECT count(*) FROM contact WHERE NOT archived")
    word = _search_word(ctx)
    jobs = [
        (
            "list every contact: `rapport contacts list` / `khard list`",
            (ctx.rapport("contacts", "list"), expect_lines(active), None),
            ([khard, "-c", config, "list"], expect_lines(ctx.size), None),
        ),
        (
            f"search {word!r}: `rapport search` / `khard list WORD`",
            (ctx.rapport("search", word), expect_lines(2), None),
            ([khard, "-c", config, "list", word], expect_lines(2), None),
        ),
    ]
    for label, ours, theirs in jobs:
        try:
            # No warm-up: at 30,000 contacts one khard run takes ~20 s; rapport's
            # files are warm from the measurements above, khard's vdir was just written.
            stats = alternate({"rapport": ours, "peer": theirs}, ctx.env, ctx.runs, warm_up=False)
            pairs.append(Pair(label, stats["rapport"], stats["peer"]))
        except BenchError as exc:
            pairs.append(Pair(label, note=f"failed: {exc}"))
    pairs.extend(todoman_pairs(ctx))
    return pairs


# Issue 17: rapport lists every open follow-up in under a fifth of todoman's time.
RATIO_TARGETS = {"every open follow-up: `rapport followups list` / `todo list`": 0.2}


def todoman_pairs(ctx: Context) -> list[Pair]:
    """todoman reading rapport's own VTODO vdir, against rapport on the same follow-ups."""
    labels = (
        "due this week: `rapport followups due` / `todo list --due 168`",
        "every open follow-up: `rapport followups list` / `todo list`",
    )
    export = ctx.features.options("export ics") or []
    if not {"--vdir", "--todo"} <= set(export):
        note = "pending calendar export (`rapport export ics --vdir --todo`)"
        return [Pair(label, note=note) for label in labels]
    assert ctx.peers is not None
    vdir = ctx.scratch / "vdir-todos"
    shutil.rmtree(vdir, ignore_errors=True)
    run_process(ctx.rapport("export", "ics", "--todo", "--vdir", str(vdir)), ctx.env)
    config = ctx.scratch / "todoman.py"
    config.write_text(
        f'path = "{vdir}"\ndate_format = "%Y-%m-%d"\ntime_format = "%H:%M"\n'
        f'cache_path = "{ctx.scratch / "todoman-cache.sqlite3"}"\n',
        encoding="utf-8",
    )
    todo = [str(ctx.peers / "bin" / "todo"), "--config", str(config), "list"]
    pairs = []
    for label, ours, theirs in (
        (labels[0], ctx.rapport("followups", "due"), [*todo, "--due", "168"]),
        (labels[1], ctx.rapport("followups", "list"), todo),
    ):
        lines: dict[str, int] = {}
        jobs: dict[str, Job] = {
            "rapport": (ours, count_lines(lines, "rapport"), None),
            "peer": (theirs, count_lines(lines, "peer"), None),
        }
        try:
            # With a warm-up: todoman builds its cache on the first run.
            stats = alternate(jobs, ctx.env, ctx.runs)
        except BenchError as exc:
            pairs.append(Pair(label, note=f"failed: {exc}"))
            continue
        # rapport prints a header line; todoman's "due" is by the machine's clock, not the
        # benchmark's frozen day, so its list can differ when the two are not the same day.
        note = f"{lines['rapport'] - 1:,} and {lines['peer']:,} follow-ups listed"
        target = RATIO_TARGETS.get(label)
        pairs.append(Pair(label, stats["rapport"], stats["peer"], note, target))
    return pairs


# -- data sets ------------------------------------------------------------------------


def generator_fingerprint() -> str:
    digest = hashlib.sha256()
    for name in ("generate.py", "vocabulary.py"):
        digest.update((HERE / name).read_bytes())
    for migration in sorted((ROOT / "migrations").glob("*.py")):
        digest.update(migration.read_bytes())
    return digest.hexdigest()[:16]


def data_set(size: int, seed: int) -> tuple[Path, dict[str, Any]]:
    """The data set for ``size`` contacts, built unless an identical one is on disk."""
    folder = OUT / "data" / str(size)
    manifest_path = folder / "manifest.json"
    fingerprint = generator_fingerprint()
    if manifest_path.exists():
        manifest = json.loads(manifest_path.read_text())
        if manifest.get("fingerprint") == fingerprint and manifest.get("seed") == seed:
            return folder, manifest
    print(f"  generating {size:,} contacts into {folder}", file=sys.stderr)
    # The backups of an earlier data set would stand for today's (the clock is frozen).
    shutil.rmtree(backups_folder(folder / "rapport.db"), ignore_errors=True)
    # In its own process, so the runner stays small (see bench/inside.py).
    subprocess.run(
        [
            sys.executable,
            str(HERE / "generate.py"),
            "--contacts",
            str(size),
            "--seed",
            str(seed),
            "--out",
            str(folder),
        ],
        check=True,
    )
    manifest = json.loads(manifest_path.read_text())
    manifest["fingerprint"] = fingerprint
    manifest_path.write_text(json.dumps(manifest, indent=2) + "\n")
    return folder, manifest


def child_env(manifest: dict[str, Any], home: Path) -> dict[str, str]:
    """The environment every measured process runs in: pinned day and zone, private home."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RAPPORT_", "XDG_"))}
    # Bytecode caching on, as on a person's machine (some sandboxes turn it off).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.update(
        RAPPORT_NOW=str(manifest["now"]),
        TZ=str(manifest["tz"]),
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_DATA_HOME=str(home / ".local" / "share"),
        XDG_CACHE_HOME=str(home / ".cache"),
        COLUMNS="120",
        LANG="C.UTF-8",
    )
    return env


# -- the machine -----------------------------------------------------------------------


CALIBRATION = "x = 0\nfor i in range(10_000_000):\n    x += i\n"


def calibration() -> str:
    """CPU seconds of a fixed pure-Python loop: how fast the machine was at that moment.

    A shared machine's speed drifts; this puts figures from different runs side by side.
    """
    usage = run_process([sys.executable, "-c", CALIBRATION], dict(os.environ))
    return f"{usage.cpu:.2f} s"


def machine() -> dict[str, str]:
    from importlib.metadata import version

    cpu = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        memory = Path("/proc/meminfo").read_text().splitlines()[0].split()[1]
        ram = f"{int(memory) / 1024 / 1024:.0f} GB"
    except (OSError, IndexError, ValueError):
        ram = "unknown"
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "describe", "--always", "--dirty"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return {
        "CPU": cpu,
        "cores": str(os.cpu_count()),
        "memory": ram,
        "OS": f"{platform.system()} {platform.release()}",
        "Python": platform.python_version(),
        "SQLite": sqlite3.sqlite_version,
        "peewee": version("peewee"),
        "click": version("click"),
        "rapport commit": commit or "unknown",
        "load average at start": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "a 10,000,000-step Python loop at start (CPU)": calibration(),
    }


# -- report -----------------------------------------------------------------------------


def seconds(value: float | None) -> str:
    if value is None:
        return "–"
    if value < 0.001:
        return f"{value * 1e6:.0f} µs"
    if value < 1:
        return f"{value * 1000:.1f} ms"
    return f"{value:.2f} s"


def growth(small: float | None, large: float | None, factor: float) -> str:
    """How cost grows with size: the k in time ∝ n^k (k <= 1: linear or better)."""
    if not small or not large or factor <= 1:
        return "–"
    return f"n^{math.log(large / small) / math.log(factor):.2f}"


def growth_steps(values: Sequence[float | None], sizes: Sequence[int]) -> str:
    """The growth between each pair of neighbouring sizes, "n^0.98 → n^1.02"."""
    steps = [
        growth(values[i], values[i + 1], sizes[i + 1] / sizes[i]) for i in range(len(sizes) - 1)
    ]
    return " → ".join(steps) or "–"


def size_header(sizes: Sequence[int]) -> list[str]:
    return [
        "| what | " + " | ".join(f"{s:,}" for s in sizes) + " | growth |",
        "|---|" + "---|" * len(sizes) + "---|",
    ]


def value_of(m: Measurement, outcome: Outcome | None) -> float | None:
    if outcome is None or outcome.stat is None:
        return None
    return outcome.stat.peak_mb if m.unit == "MB" else outcome.stat.median


def show(m: Measurement, value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:.0f} MB" if m.unit == "MB" else seconds(value)


def verdict(m: Measurement, outcome: Outcome | None) -> str:
    if m.over_floor:
        over = outcome.extra.get(OVER_FLOOR) if outcome else None
        if over is None:
            return "not measured"
        return "met" if over <= FLOOR_MARGIN else "**missed**"
    value = value_of(m, outcome)
    if m.target is None:
        return ""
    if value is None:
        return "not measured"
    return "met" if value <= m.target else "**missed**"


def target_text(m: Measurement, outcome: Outcome | None) -> str:
    if m.over_floor:
        floor = outcome.extra.get(FLOOR_KEY) if outcome else None
        beside = f" ({seconds(floor)} run for run)" if floor is not None else ""
        return f"< the floor{beside} + {seconds(FLOOR_MARGIN)}"
    if m.target is None:
        return "–"
    return f"{m.target:.0f} MB" if m.unit == "MB" else f"< {seconds(m.target)}"


def measured_text(m: Measurement, outcome: Outcome | None) -> str:
    text = show(m, value_of(m, outcome))
    over = outcome.extra.get(OVER_FLOOR) if outcome and m.over_floor else None
    if over is not None:
        text += f" (floor + {seconds(over)})" if over >= 0 else f" (floor - {seconds(-over)})"
    return text


def report(
    info: dict[str, str],
    sizes: Sequence[int],
    results: dict[str, dict[int, Outcome]],
    pairs: dict[int, list[Pair]],
    runs: int,
    took: float,
) -> str:
    largest = max(sizes)
    lines = [
        "# rapport benchmarks",
        "",
        f"Written by `make bench` (bench/run.py) on {dt.date.today().isoformat()} in "
        f"{took / 60:.1f} minutes. Whole-process figures are the median wall-clock time of "
        f"{runs} runs ({QUICK_RUNS} for a command under {QUICK_S:.0f} s) after one warm-up "
        "run (CPU time and peak memory beside them); in-process "
        "figures are medians of repeated calls; TUI figures are medians over that many "
        "launches of the app, each in its own process. Data: bench/generate.py, seed 1; every "
        "run sees the same day (RAPPORT_NOW) and time zone.",
        "",
        "Steady state: the first command of a day copies the database into its backups "
        "folder (rapport.backups). The runner takes that backup before measuring, so every "
        "figure is for a database already opened today; the cost of the day's first "
        "command is its own row below.",
        "",
        "## Machine",
        "",
        "| | |",
        "|---|---|",
        *[f"| {k} | {v} |" for k, v in info.items()],
        "",
        f"## Targets at {largest:,} contacts",
        "",
        "| what | target | measured | CPU | peak memory | verdict |",
        "|---|---|---|---|---|---|",
    ]
    for m in MEASUREMENTS:
        if m.target is None and m.key != "imports" and not m.listed and not m.over_floor:
            continue
        outcome = results.get(m.key, {}).get(largest)
        if m.key == "imports":
            lines.append(
                f"| {m.label} | not imported | {outcome.note if outcome else '–'} | | | "
                + (
                    "met"
                    if outcome and "imported by none" in outcome.note
                    else "**missed**"
                    if outcome
                    else ""
                )
                + " |"
            )
            continue
        target = target_text(m, outcome)
        stat = outcome.stat if outcome else None
        measured = measured_text(m, outcome) if stat else (outcome.note if outcome else "–")
        lines.append(
            f"| {m.label} | {target} | {measured} | "
            f"{seconds(stat.cpu) if stat and stat.cpu else ''} | "
            f"{f'{stat.peak_mb:.0f} MB' if stat and not m.in_process else ''} | "
            f"{verdict(m, outcome)} |"
        )
    lines += [
        "",
        "## Growth with the size of the network",
        "",
        "Medians; growth is k in time ∝ contacts^k between neighbouring sizes "
        "(k ≤ 1: linear or better; a whole process has a fixed start-up cost, so small "
        "k at small sizes is expected).",
        "",
        *size_header(sizes),
    ]
    for m in MEASUREMENTS:
        row = results.get(m.key, {})
        values = [value_of(m, row.get(s)) for s in sizes]
        if all(v is None for v in values):
            continue
        lines.append(
            f"| {m.label} | "
            + " | ".join(show(m, v) for v in values)
            + f" | {growth_steps(values, sizes)} |"
        )
    moving = [m for m in MEASUREMENTS if m.memory and results.get(m.key)]
    if moving:
        lines += [
            "",
            "## Moving in and out",
            "",
            "Every import and export, whole processes: median wall-clock time and the "
            "peak memory of the process at each size, and the growth of the time.",
            "",
            *size_header(sizes),
        ]
        for m in moving:
            row = results[m.key]
            stats = [row[s].stat if s in row else None for s in sizes]
            cells = [f"{seconds(st.median)}, {st.peak_mb:.0f} MB" if st else "–" for st in stats]
            values = [st.median if st else None for st in stats]
            lines.append(
                f"| {m.label} | " + " | ".join(cells) + f" | {growth_steps(values, sizes)} |"
            )
    lines += ["", "## Side by side with khard and todoman", ""]
    lines += [
        "Same people, same machine, the two commands alternating run for run (ABBA); "
        "ratio = rapport / peer (below 1: rapport is faster). rapport's search covers "
        "contacts, interactions, interviews and events; khard's covers the address book.",
        "",
        "| size | job | rapport | peer | ratio | note |",
        "|---|---|---|---|---|---|",
    ]
    for size in sizes:
        for pair in pairs.get(size, []):
            if pair.rapport and pair.peer:
                note = pair.note
                if pair.target is not None and pair.ratio is not None and size == largest:
                    met = "met" if pair.ratio < pair.target else "**missed**"
                    note += f"; target ratio < {pair.target}: {met}"
                lines.append(
                    f"| {size:,} | {pair.label} | {seconds(pair.rapport.median)} | "
                    f"{seconds(pair.peer.median)} | {pair.ratio:.2f} | {note} |"
                )
            else:
                lines.append(f"| {size:,} | {pair.label} | – | – | – | {pair.note} |")
    imports = results.get("imports", {}).get(largest)
    if imports and imports.extra:
        lines += [
            "",
            "## Start-up imports",
            "",
            "`python -X importtime -m rapport ...`: heavy packages each command loads, and "
            "the time spent importing.",
            "",
            "| command | heavy packages | import time |",
            "|---|---|---|",
        ]
        for label, heavy in imports.extra["heavy"].items():
            took_s = imports.extra["import_seconds"][label]
            lines.append(
                f"| `rapport {label}` | {', '.join(heavy) or 'none'} | {seconds(took_s)} |"
            )
    notes = [
        (m.label, s, o.note)
        for m in MEASUREMENTS
        for s, o in results.get(m.key, {}).items()
        if o.note and o.stat is None and m.key != "imports" and s == largest
    ]
    if notes:
        lines += ["", "## Not measured in this build", ""]
        lines += [f"- {label}: {note}" for label, _, note in notes]
    lines += [
        "",
        "## Reproduce",
        "",
        "```sh",
        "make bench                                  # everything: about 10 minutes",
        "make bench BENCH_ARGS='--sizes 300,3000'    # quicker",
        "make bench BENCH_ARGS='--sizes 30000 --only review,export_ics'  # some rows",
        ".venv/bin/python bench/generate.py --contacts 30000 --seed 1 --out /tmp/bench",
        ".venv/bin/python bench/tui_timings.py bench/out/data/30000/rapport.db  # the app",
        ".venv/bin/python bench/compare.py --base REV --contacts 30000  # before/after",
        "```",
    ]
    if FINDINGS.exists():
        lines += ["", FINDINGS.read_text(encoding="utf-8").rstrip()]
    return "\n".join(lines) + "\n"


# -- main ---------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes",
        default=",".join(map(str, DEFAULT_SIZES)),
        help="contact counts, comma-separated (default: %(default)s)",
    )
    parser.add_argument(
        "--stress", action="store_true", help="add a 100,000-contact size (a stress run)"
    )
    parser.add_argument("--runs", type=int, default=5, help="timed runs per command (min 5)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-peers", action="store_true", help="skip khard and todoman")
    parser.add_argument(
        "--only",
        help="run only these measurements (comma-separated keys; todoman: the todoman pairs)",
    )
    parser.add_argument("--out", type=Path, default=RESULTS, help="where to write the report")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    sizes = sorted(
        {int(s.replace("_", "")) for s in args.sizes.split(",")}
        | ({STRESS_SIZE} if args.stress else set())
    )
    only = set(args.only.split(",")) if args.only else None
    if only and any(m.over_floor and m.key in only for m in MEASUREMENTS):
        only.add(FLOOR_KEY)  # the rows judged against the floor show it beside them
    info = machine()
    # --only todoman: the todoman pairs alone (khard takes minutes at 30,000).
    side = not args.no_peers and (not only or "todoman" in only)
    peers = ensure_peers() if side else None
    results: dict[str, dict[int, Outcome]] = {}
    pairs: dict[int, list[Pair]] = {}
    features: Features | None = None
    for size in sizes:
        folder, manifest = data_set(size, args.seed)
        with tempfile.TemporaryDirectory(prefix="rapport-bench-") as tmp:
            scratch = Path(tmp)
            env = child_env(manifest, scratch / "home")
            features = features or Features.probe(env)
            ctx = Context(
                size=size,
                folder=folder,
                manifest=manifest,
                runs=max(args.runs, 5),
                env=env,
                scratch=scratch,
                peers=peers,
                features=features,
            )
            steady_state(ctx)
            for m in MEASUREMENTS:
                if only and m.key not in only:
                    continue
                print(f"  {size:>6,}  {m.label}", file=sys.stderr, end="", flush=True)
                try:
                    outcome = m.func(ctx)
                except BenchError as exc:
                    outcome = Outcome(note=f"failed: {exc}")
                results.setdefault(m.key, {})[size] = outcome
                print(
                    f": {show(m, value_of(m, outcome)) if outcome.stat else outcome.note}",
                    file=sys.stderr,
                )
            if side:
                pairs[size] = todoman_pairs(ctx) if only and peers else side_by_side(ctx)
                for pair in pairs[size]:
                    ratio = f"ratio {pair.ratio:.2f}" if pair.ratio else pair.note
                    print(f"  {size:>6,}  {pair.label}: {ratio}", file=sys.stderr)
    info["load average at end"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    info["a 10,000,000-step Python loop at end (CPU)"] = calibration()
    # A child's peak memory as wait4 reports it is at least the parent's own peak.
    info["runner's own peak memory"] = (
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
    )
    took = time.perf_counter() - started
    args.out.write_text(report(info, sizes, results, pairs, max(args.runs, 5), took))
    print(f"wrote {args.out} in {took / 60:.1f} minutes", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
