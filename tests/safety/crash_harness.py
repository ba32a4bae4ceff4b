"""Kill an operation with SIGKILL at random moments, then check what it left behind.

A :class:`CrashCase` is an operation that runs in a child process on the
database ``FOLDER/rapport.db`` (and any input or output files in FOLDER).
The harness prepares a folder once, runs the operation whole (learning how
long it takes, when it writes, and what "everything" looks like), then, for
each kill, runs it on a fresh copy of the folder and SIGKILLs it after a
delay: half of the kills at any moment, half aimed at the moments it writes
(inside its transaction, or while it writes a file).  After each kill:

* the database passes ``PRAGMA integrity_check`` (and FTS5's own check);
* the case's ``judge`` accepts what it left (by default: exactly the state
  before the operation or exactly the state after a whole run, nothing of
  it or all of it);
* a kill that came before its first COMMIT (for an export: before its file
  was renamed into place) left none of it;
* every backup that was published is whole;
* the next run opens it (``CrashCase.reopen``).

The child says where it is as it goes (``phase begin``, ``write``,
``commit``, ``file``, ``publish``): the SQL it sends and the files it
writes are watched, not its code.  Its files are written as to a slow disk
(64 KB, then a pause), so a kill can come while an export is half written.
Children are forked from a server that imported rapport once, so a run
starts in milliseconds, not a second.

Adding an operation (an import, an export, a merge) is one function in
crash_cases.py, decorated with :func:`crash_case`.
"""

from __future__ import annotations

import builtins
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import traceback
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from safety_harness import HERE, contents, integrity, released_fixtures

DATABASE = "rapport.db"
State = object
# The phases after which a change may have reached the disk.  A run killed
# before any that can change its case's state must have left nothing.
COMMITTED = frozenset({"commit", "autowrite"})  # a COMMIT, or a write outside a transaction
PUBLISHED = frozenset({"publish"})  # a file renamed into place


def copy_fixture(folder: Path) -> None:
    """The default preparation: the newest released database, as a person's would be."""
    shutil.copyfile(released_fixtures()[-1], folder / DATABASE)
    (folder / DATABASE).chmod(0o600)


def database_state(folder: Path) -> State:
    """The default state compared: every row and the schema of the database."""
    return contents(folder / DATABASE)


def all_or_nothing(before: State, everything: State, state: State) -> str:
    """The default judge: the state before, or the state after a whole run."""
    if state == before:
        return "nothing"
    if state == everything:
        return "everything"
    raise AssertionError(f"it left part of the operation: {_difference(before, state)}")


def open_with_rapport(folder: Path) -> None:
    """The default check that the next run works: rapport opens the database."""
    from rapport.db import close_database, open_database

    open_database(folder / DATABASE)
    close_database()


Judge = Callable[[State, State, State], str]


@dataclass(frozen=True)
class CrashCase:
    name: str
    run: Callable[[Path], None]  # in the child: the operation, on FOLDER
    prepare: Callable[[Path], None] = copy_fixture  # in the test: fill FOLDER once
    state: Callable[[Path], State] = database_state  # what the judge looks at
    judge: Judge = all_or_nothing  # what may be left: returns the outcome's name
    reopen: Callable[[Path], None] = open_with_rapport  # the next run, in the test
    durable: frozenset[str] = COMMITTED  # the phases that can change the state


CASES: dict[str, CrashCase] = {}


def crash_case(
    name: str,
    *,
    prepare: Callable[[Path], None] = copy_fixture,
    state: Callable[[Path], State] = database_state,
    judge: Judge = all_or_nothing,
    reopen: Callable[[Path], None] = open_with_rapport,
    durable: frozenset[str] = COMMITTED,
) -> Callable[[Callable[[Path], None]], Callable[[Path], None]]:
    """Register the decorated function as the operation of a crash case."""

    def register(run: Callable[[Path], None]) -> Callable[[Path], None]:
        CASES[name] = CrashCase(name, run, prepare, state, judge, reopen, durable)
        return run

    return register


@dataclass
class CrashReport:
    seconds_whole: float
    writing: tuple[str, float, float] | None  # the whole run's first write: phase, when, length
    outcomes: Counter[str] = field(default_factory=Counter)  # what the judge found
    killed_in: Counter[str] = field(default_factory=Counter)  # the phase each kill came in

    def summary(self, name: str) -> str:
        window = ""
        if self.writing:
            phase, at, length = self.writing
            window = f", first {phase} at {at:.3f}s for {length:.3f}s"
        return (
            f"{name}: whole run {self.seconds_whole:.2f}s{window}; "
            f"killed in {dict(self.killed_in)}; left {dict(self.outcomes)}"
        )


@dataclass
class Run:
    """One run of a case in a forked child: its phases as (seconds, name), its exit."""

    phases: list[tuple[float, str]]
    status: int  # as os.waitpid gives it
    error: str = ""

    @property
    def finished(self) -> bool:
        return any(name == "done" for _, name in self.phases)

    @property
    def last_phase(self) -> str:
        return self.phases[-1][1] if self.phases else "start"


@dataclass(frozen=True)
class Kill:
    """When to kill a run: ``delay`` seconds after it starts, or after it says ``phase``."""

    delay: float
    phase: str | None = None

    def __str__(self) -> str:
        return f"{self.delay:.3f}s after " + (f"'{self.phase}'" if self.phase else "the start")


class Server:
    """A process that imported rapport once and forks a child per run of a case.

    Protocol (lines): the test sends ``CASE<TAB>FOLDER``; the server forks, the
    child says ``started PID`` and its phases; the test sends ``kill`` or
    ``wait``; the server kills the child if asked (it is not reaped before,
    so the pid cannot be another process's), reaps it, says ``exit STATUS``.
    """

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "--server"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        line = self._line()
        if line != "ready":
            self.close()
            raise AssertionError(f"the crash server did not start: {line!r}")

    def _line(self) -> str:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            raise AssertionError("the crash server died")
        return line.strip()

    def _send(self, line: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()

    def run(self, case: CrashCase, folder: Path, kill: Kill | None = None) -> Run:
        """Run ``case`` on ``folder``, to its end or until ``kill`` says."""
        self._send(f"{case.name}\t{folder}")
        started_line = self._line()
        assert started_line.startswith("started "), started_line
        started = time.monotonic()
        phases: list[tuple[float, str]] = []
        error = ""

        def read() -> str:
            nonlocal error
            line = self._line()
            if line.startswith("phase "):
                phases.append((time.monotonic() - started, line.split(" ", 1)[1]))
            elif line.startswith("error "):
                error = line[6:].replace("\\n", "\n")
            return line

        if kill is not None:
            if kill.phase is not None:
                while not any(name in (kill.phase, "done") for _, name in phases) and not error:
                    read()
            time.sleep(kill.delay)
        self._send("kill" if kill is not None else "wait")
        while True:
            line = read()
            if line.startswith("exit "):
                return Run(phases, int(line.split()[1]), error)

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        self.process.wait(timeout=30)


def _check_left_whole(folder: Path, template: Path, label: str) -> None:
    """The database is whole, and so is every backup the run made."""
    assert integrity(folder / DATABASE) == "ok", label
    from rapport.backups import list_backups

    copied = {b.path.name for b in list_backups(template / DATABASE)}
    for backup in list_backups(folder / DATABASE):
        if backup.path.name not in copied:
            assert integrity(backup.path) == "ok", f"{label}: backup {backup.path.name} is broken"


def _writing_window(run: Run) -> tuple[str, float, float] | None:
    """The first write of a whole run to the database (else to a file): its phase,
    when, and how long until the commit or publish that follows it."""
    for kind, end in (("write", "commit"), ("file", "publish")):
        for n, (at, name) in enumerate(run.phases):
            if name == kind:
                ends = [t for t, later in run.phases[n:] if later == end]
                return name, at, (ends[0] - at if ends else 0.0)
    return None


# A kill that comes after the run finished is tried again this many times, sooner.
LATE_RETRIES = 3


def run_crash_case(
    case: CrashCase, server: Server, workdir: Path, *, kills: int, seed: int
) -> CrashReport:
    """Run ``case`` whole once, then kill it ``kills`` times; AssertionError on damage."""
    template = workdir / "template"
    template.mkdir()
    case.prepare(template)
    before = case.state(template)
    whole = workdir / "whole"
    shutil.copytree(template, whole)
    run = server.run(case, whole)
    assert run.status == 0 and run.finished, f"{case.name} failed when left alone: {run.error}"
    seconds = next(t for t, name in run.phases if name == "done")
    window = _writing_window(run)
    report = CrashReport(seconds, window)
    everything = case.state(whole)
    assert everything != before, f"{case.name} changed nothing"
    _check_left_whole(whole, template, f"{case.name} run whole")

    rng = random.Random(seed)
    for n in range(kills):
        folder = workdir / f"kill-{n}"
        if n % 2 and window:
            kill = Kill(rng.uniform(0, window[2]), phase=window[0])
        else:
            kill = Kill(rng.uniform(0, seconds * 0.8))
        for attempt in range(LATE_RETRIES + 1):
            shutil.copytree(template, folder)
            killed = server.run(case, folder, kill)
            if not killed.finished or attempt == LATE_RETRIES:
                break
            # This run was quicker than the whole one timed above (a warm cache,
            # a quieter machine) and finished before the kill: aim sooner.
            shutil.rmtree(folder)
            kill = Kill(kill.delay / 2, phase=kill.phase)
        label = f"{case.name}: kill {n} {kill}, in '{killed.last_phase}' (seed {seed})"
        assert not killed.error, f"{label}: {killed.error}"
        report.killed_in["after it finished" if killed.finished else killed.last_phase] += 1
        _check_left_whole(folder, template, label)
        state = case.state(folder)
        try:
            outcome = case.judge(before, everything, state)
        except AssertionError as exc:
            raise AssertionError(f"{label}: {exc}") from None
        if not {name for _, name in killed.phases} & case.durable:
            assert outcome == "nothing", f"{label}: nothing was committed, yet it left {outcome}"
        report.outcomes[outcome] += 1
        case.reopen(folder)
        shutil.rmtree(folder)
    shutil.rmtree(whole)
    return report


def _difference(before: State, after: State) -> str:
    if not (isinstance(before, dict) and isinstance(after, dict)):
        return "the state differs from both before and after"
    changed = [k for k in sorted(set(before) | set(after)) if before.get(k) != after.get(k)]
    return "changed: " + ", ".join(changed)


# -- the child ----------------------------------------------------------------------


def _say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


class SqlWatch:
    """A connection's trace callback: says when a transaction opens and first writes.

    Once a transaction has written, the callback is taken off until it ends:
    SQLite hands it every statement with its values written out, which for
    a batched insert costs more than the insert (commit and rollback are
    told by peewee, see _watch_everything).
    """

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.in_transaction = False

    def __call__(self, statement: str) -> None:
        word = statement.lstrip()[:9].upper()
        if word.startswith("BEGIN"):
            self.in_transaction = True
            _say("phase begin")
        elif word.startswith(("INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER")):
            if not self.in_transaction:
                _say("phase autowrite")
            else:
                _say("phase write")
                self.conn.set_trace_callback(None)

    def ended(self, how: str) -> None:
        _say(f"phase {how}")
        self.in_transaction = False
        self.conn.set_trace_callback(self)


class SlowDisk:
    """A file that is written 64 KB at a time, each piece flushed, then a pause: a slow
    disk, so that a kill can land while an export is half written."""

    CHUNK = 64 * 1024
    PAUSE_S = 0.002

    def __init__(self, handle: Any) -> None:
        self.handle = handle

    def write(self, data: Any) -> int:
        for start in range(0, len(data), self.CHUNK):
            self.handle.write(data[start : start + self.CHUNK])
            self.handle.flush()
            time.sleep(self.PAUSE_S)
        return len(data)

    def __enter__(self) -> SlowDisk:
        return self

    def __exit__(self, *exc: object) -> None:
        self.handle.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.handle, name)


def _watch_everything() -> None:
    """Trace rapport's SQL and its file writes (see SqlWatch and rapport.files)."""
    from peewee import Database, SqliteDatabase

    import rapport.files

    connect, commit, rollback = SqliteDatabase._connect, Database.commit, Database.rollback
    watches: dict[int, SqlWatch] = {}

    def traced(self: SqliteDatabase) -> object:
        conn = connect(self)
        watches[id(conn)] = SqlWatch(conn)
        conn.set_trace_callback(watches[id(conn)])
        return conn

    def ending(how: str, end: Callable[[Database], object]) -> Callable[[Database], object]:
        def wrapped(self: Database) -> object:
            watch = watches.get(id(self._state.conn))
            if watch is not None:
                watch.ended(how)
            return end(self)

        return wrapped

    SqliteDatabase._connect = traced  # type: ignore[method-assign]
    Database.commit = ending("commit", commit)  # type: ignore[method-assign]
    Database.rollback = ending("rollback", rollback)  # type: ignore[method-assign]

    # Every temporary file and every rename into place goes through these two,
    # whether one file is written (atomic_write) or many (write_private_files).
    open_temporary, rename = rapport.files._open_temporary, rapport.files._rename_into_place

    def opened_temporary(path: Path, suffix: str = ".partial") -> tuple[int, Path]:
        _say("phase file")
        return open_temporary(path, suffix)

    def renamed(temporary: Path, path: Path) -> None:
        _say("phase publish")
        rename(temporary, path)

    rapport.files._open_temporary = opened_temporary  # type: ignore[assignment]
    rapport.files._rename_into_place = renamed  # type: ignore[assignment]

    def slow_open(*args: Any, **kwargs: Any) -> SlowDisk:
        return SlowDisk(builtins.open(*args, **kwargs))

    rapport.files.open = slow_open  # type: ignore[attr-defined]


def _child(name: str, folder: Path) -> None:
    import crash_harness

    try:
        crash_harness.CASES[name].run(folder)
    except BaseException:
        _say("error " + traceback.format_exc().replace("\n", "\\n"))
        os._exit(1)
    _say("phase done")
    os._exit(0)


def serve() -> None:
    """Read ``CASE<TAB>FOLDER`` lines; run each in a forked child; say ``exit STATUS``."""
    # This file runs as __main__; the cases register in the module crash_harness.
    import crash_cases  # noqa: F401

    # Imported before any fork, so a run spends its time in the operation
    # (and runs take about as long as each other: no import in some only).
    import icalendar  # noqa: F401
    import vobject  # noqa: F401

    import rapport.calendar.export
    import rapport.calendar.import_
    import rapport.cli
    import rapport.importers.csv_
    import rapport.importers.json_
    import rapport.importers.linkedin
    import rapport.importers.vcard
    import rapport.services.calendar_files
    import rapport.services.merge
    import rapport.services.sample  # noqa: F401

    _watch_everything()
    _say("ready")
    while line := sys.stdin.readline():
        name, folder = line.rstrip("\n").split("\t")
        pid = os.fork()
        if pid == 0:
            _say(f"started {os.getpid()}")
            _child(name, Path(folder))
        if sys.stdin.readline().strip() == "kill":
            os.kill(pid, signal.SIGKILL)  # not reaped yet: still this child's pid
        _, status = os.waitpid(pid, 0)
        _say(f"exit {status}")


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    assert sys.argv[1:] == ["--server"]
    serve()
