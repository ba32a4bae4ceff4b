"""Before and after: time the same commands with an older rapport and this one, alternately.

    python bench/compare.py --base 5a00352 [--head REV] [--contacts 30000] [--runs 7] [-- CMD...]
    python bench/compare.py --base c7cf4e7 --empty -- import linkedin {data}/Connections.csv

checks out ``--base`` (git archive, into a temporary folder), builds the data
set with that rapport's schema, and runs each command in COMMANDS (or those
given after ``--``) with both versions on their own copy of it, run for run in
ABBA order so that a busy machine slows both alike.  It prints the medians
(wall and CPU) and their ratio, and whether both printed the same bytes: a fix
that changes what a person sees is not a speed-up.  With ``--empty`` each run is
on a new, empty database instead (an import as a newcomer runs it); ``{data}``
in a command is the data set's folder (Connections.csv, contacts.vcf).

``{out}`` in a command is a path of each version's own (a file or a folder it
writes), and "same output" then also compares what each wrote there, file by
file; with ``--fresh-out`` it is removed before every run, as the bench's
export_vdir_emptied row empties its vdir (CPU time compares; on ext4 without a
journal the kernel's share grows with what was deleted just before, FINDINGS
round 6):

    python bench/compare.py --base 8425b48 --fresh-out -- export ics --vdir {out} --todo
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

import run

COMMANDS = (
    ("--help",),
    ("followups", "due"),
    ("contacts", "list", "--json"),
    ("contacts", "list"),
    ("today",),
    ("search", "platform"),
    ("review",),
    ("review", "--week"),
    ("export", "ics", "-o", "{scratch}/followups.ics"),
)


def checkout(rev: str, into: Path) -> Path:
    """The tree of ``rev`` (committed files only) in ``into``."""
    into.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "-C", str(run.ROOT), "archive", rev], capture_output=True, check=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def emptied(db: Path) -> Callable[[], None]:
    """What removes ``db`` (with its WAL and backups), so that the next run makes it anew."""

    def empty() -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        shutil.rmtree(run.backups_folder(db), ignore_errors=True)

    return empty


def removed(path: Path) -> Callable[[], None]:
    """What removes ``path`` (a file or a folder), so that the next run writes it anew."""

    def remove() -> None:
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)

    return remove


def in_turn(steps: Sequence[Callable[[], None]]) -> Callable[[], None]:
    def run_all() -> None:
        for step in steps:
            step()

    return run_all


def contents(path: Path) -> bytes | dict[str, bytes] | None:
    """What a run wrote at ``path``: a file's bytes, each file of a folder, or None."""
    if path.is_dir():
        return {p.name: p.read_bytes() for p in sorted(path.iterdir()) if p.is_file()}
    return path.read_bytes() if path.exists() else None


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", required=True, help="the git revision to compare with")
    parser.add_argument("--head", help="the revision to compare (default: this working tree)")
    parser.add_argument("--contacts", type=int, default=30_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument(
        "--empty",
        action="store_true",
        help="run each command on a new, empty database, made again before every run",
    )
    parser.add_argument(
        "--fresh-out",
        action="store_true",
        help="remove {out} (each version's own output) before every run",
    )
    parser.add_argument("command", nargs="*", help="one rapport command (after --)")
    args = parser.parse_args(argv)
    commands = [tuple(args.command)] if args.command else list(COMMANDS)
    with tempfile.TemporaryDirectory(prefix="rapport-compare-") as tmp:
        scratch = Path(tmp)
        base = checkout(args.base, scratch / "base")
        old_env = {**os.environ, "PYTHONPATH": str(base / "src")}
        old_env.pop("PYTHONDONTWRITEBYTECODE", None)
        data = scratch / "data"
        # The data set, written through the base's rapport (so in its schema).
        subprocess.run(
            [
                sys.executable,
                str(run.HERE / "generate.py"),
                "--contacts",
                str(args.contacts),
                "--seed",
                str(args.seed),
                "--out",
                str(data),
            ],
            env=old_env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        before_db, after_db = data / "rapport.db", scratch / "after.db"
        shutil.copy(before_db, after_db)  # this rapport migrates its copy on first open
        manifest = {"now": "2026-11-23T09:00:00", "tz": "America/Los_Angeles"}
        env_after = run.child_env(manifest, scratch / "home")
        env_after.pop("PYTHONPATH", None)
        if args.head:
            head = checkout(args.head, scratch / "head")
            env_after["PYTHONPATH"] = str(head / "src")
        envs = {"before": {**env_after, "PYTHONPATH": str(base / "src")}, "after": env_after}
        print(f"{args.base} -> {args.head or 'working tree'}, medians of {args.runs} runs each\n")
        print(
            f"| command at {args.contacts:,} contacts | before | after | after/before |"
            " same output |"
        )
        print("|---|---|---|---|---|")
        for template in commands:
            outputs: dict[str, object] = {}
            jobs: dict[str, run.Job] = {}
            for name, db in (("before", before_db), ("after", after_db)):
                written = scratch / f"{name}-out"
                command = tuple(
                    part.format(scratch=scratch, data=data, out=written) for part in template
                )
                steps = [removed(written)] if args.fresh_out else []
                if args.empty:
                    db = scratch / f"{name}-empty.db"
                    steps.append(emptied(db))
                for step in steps:
                    step()
                argv_ = [sys.executable, "-m", "rapport", "--db", str(db), *command]
                jobs[name] = (argv_, None, in_turn(steps) if steps else None)
                out = scratch / f"{name}.out"
                run.run_process(argv_, envs[name], stdout=out)  # warm-up (and migration)
                # Each version printed its own {out}: the same words are the same output.
                printed = out.read_bytes().replace(str(written).encode(), b"{out}")
                outputs[name] = (printed, contents(written))
            stats = run.alternate(jobs, env_after, args.runs, warm_up=False, envs=envs)
            before, after = stats["before"], stats["after"]
            same = "yes" if outputs["before"] == outputs["after"] else "**no**"
            print(
                f"| `rapport {' '.join(template)}` | {run.seconds(before.median)} "
                f"(CPU {run.seconds(before.cpu)}) | {run.seconds(after.median)} "
                f"(CPU {run.seconds(after.cpu)}) | {after.median / before.median:.2f} | {same} |",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
