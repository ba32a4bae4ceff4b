"""Kill an operation with SIGKILL at random moments, then check what it left behind.

A :class:`CrashCase` is an operation that runs in a child process on the
database ``FOLDER/rapport.db`` (and any input files in FOLDER).  The harness
prepares a folder once, runs the operation whole (learning how long it takes
and what "everything" looks like), then, for each kill, runs it on a fresh
copy of the folder and SIGKILLs it after a random delay.  After each kill:

* the database passes ``PRAGMA integrity_check`` (and FTS5's own check);
* its state is exactly the state before the operation or exactly the state
  after a whole run: nothing of it, or all of it;
* every backup that was published is whole;
* the next run opens it (``CrashCase.reopen``).

Adding an operation (an import, an export, a merge) is one function in
crash_cases.py, decorated with :func:`crash_case`.  As a script,
``python crash_harness.py CASE FOLDER`` is the child: it says ``ready`` and
runs the case.
"""

from __future__ import annotations

import random
import shutil
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from safety_harness import HERE, contents, integrity, released_fixtures

DATABASE = "rapport.db"
State = object


def copy_fixture(folder: Path) -> None:
    """The default preparation: the newest released database, as a person's would be."""
    shutil.copyfile(released_fixtures()[-1], folder / DATABASE)
    (folder / DATABASE).chmod(0o600)


def database_state(folder: Path) -> State:
    """The default state compared: every row and the schema of the database."""
    return contents(folder / DATABASE)


def open_with_rapport(folder: Path) -> None:
    """The default check that the next run works: rapport opens the database."""
    from rapport.db import close_database, open_database

    open_database(folder / DATABASE)
    close_database()


@dataclass(frozen=True)
class CrashCase:
    name: str
    run: Callable[[Path], None]  # in the child: the operation, on FOLDER
    prepare: Callable[[Path], None] = copy_fixture  # in the test: fill FOLDER once
    state: Callable[[Path], State] = database_state  # what must be all-or-nothing
    reopen: Callable[[Path], None] = open_with_rapport  # the next run, in the test


CASES: dict[str, CrashCase] = {}


def crash_case(
    name: str,
    *,
    prepare: Callable[[Path], None] = copy_fixture,
    state: Callable[[Path], State] = database_state,
    reopen: Callable[[Path], None] = open_with_rapport,
) -> Callable[[Callable[[Path], None]], Callable[[Path], None]]:
    """Register the decorated function as the operation of a crash case."""

    def register(run: Callable[[Path], None]) -> Callable[[Path], None]:
        CASES[name] = CrashCase(name, run, prepare, state, reopen)
        return run

    return register


@dataclass
class CrashReport:
    seconds_whole: float
    outcomes: Counter[str] = field(default_factory=Counter)


def _start(case: CrashCase, folder: Path) -> subprocess.Popen[str]:
    child = subprocess.Popen(
        [sys.executable, str(Path(__file__).resolve()), case.name, str(folder)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    line = child.stdout.readline()
    if line.strip() != "ready":
        child.kill()
        raise AssertionError(f"{case.name} did not start: {line}{child.stderr.read()}")  # type: ignore[union-attr]
    return child


def _check_left_whole(folder: Path, label: str) -> None:
    assert integrity(folder / DATABASE) == "ok", label
    from rapport.backups import list_backups

    for backup in list_backups(folder / DATABASE):
        assert integrity(backup.path) == "ok", f"{label}: backup {backup.path.name} is not whole"


def run_crash_case(case: CrashCase, workdir: Path, *, kills: int, seed: int) -> CrashReport:
    """Run ``case`` whole once, then kill it ``kills`` times; AssertionError on damage."""
    template = workdir / "template"
    template.mkdir()
    case.prepare(template)
    before = case.state(template)

    whole = workdir / "whole"
    shutil.copytree(template, whole)
    child = _start(case, whole)
    started = time.monotonic()
    assert child.stdout is not None
    # Timed to "done", said before the interpreter shuts down (the case may print too).
    lines = iter(child.stdout.readline, "")
    finished = any(line.strip() == "done" for line in lines)
    report = CrashReport(time.monotonic() - started)
    _, errors = child.communicate(timeout=300)
    assert child.returncode == 0 and finished, f"{case.name} failed when left alone: {errors}"
    everything = case.state(whole)
    assert everything != before, f"{case.name} changed nothing"
    _check_left_whole(whole, f"{case.name} run whole")

    rng = random.Random(seed)
    for n in range(kills):
        folder = workdir / f"kill-{n}"
        shutil.copytree(template, folder)
        delay = rng.uniform(0, report.seconds_whole * 0.9)
        child = _start(case, folder)
        time.sleep(delay)
        child.kill()
        child.communicate(timeout=60)
        label = f"{case.name}: kill {n} after {delay:.3f}s (seed {seed})"
        if child.returncode == 0:
            report.outcomes["finished first"] += 1
        _check_left_whole(folder, label)
        state = case.state(folder)
        if state == before:
            report.outcomes["nothing"] += 1
        elif state == everything:
            report.outcomes["everything"] += 1
        else:
            partial = _difference(before, state)
            raise AssertionError(f"{label} left part of the operation: {partial}")
        case.reopen(folder)
        shutil.rmtree(folder)
    return report


def _difference(before: State, after: State) -> str:
    if not (isinstance(before, dict) and isinstance(after, dict)):
        return "the state differs from both before and after"
    changed = [k for k in sorted(set(before) | set(after)) if before.get(k) != after.get(k)]
    return "changed: " + ", ".join(changed)


def main() -> None:
    # This file runs as __main__; the cases register in the module crash_harness.
    import crash_cases
    import crash_harness

    # Imported before "ready", so a kill lands in the operation, not in start-up.
    import rapport.cli
    import rapport.services.sample  # noqa: F401

    assert crash_cases.__name__ == "crash_cases"
    name, folder = sys.argv[1], Path(sys.argv[2])
    print("ready", flush=True)
    crash_harness.CASES[name].run(folder)
    print("done", flush=True)


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    main()
