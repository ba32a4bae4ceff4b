"""The benchmark runner's verdicts: the quickest commands are judged against the floor
it measures (python with click and peewee) run for run beside them, not against a
fixed figure nor a floor timed at another moment."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))

import run  # noqa: E402


def _stat(*seconds: float) -> run.Stat:
    return run.Stat(tuple(run.Sample(s, s, 40_000) for s in seconds))


def _measurement(key: str) -> run.Measurement:
    return next(m for m in run.MEASUREMENTS if m.key == key)


def test_help_and_due_are_judged_by_how_far_they_run_over_the_floor() -> None:
    due = _measurement("due")
    met = run.Outcome(_stat(0.079), extra={"floor": 0.060, "over_floor": 0.019})
    assert run.verdict(due, met) == "met"
    # 0.1 s met the old flat 0.3 s; it is 40 ms over a floor of 60 ms.
    missed = run.Outcome(_stat(0.100), extra={"floor": 0.060, "over_floor": 0.040})
    assert run.verdict(due, missed) == "**missed**"
    # Without the floor beside it, there is nothing to judge by.
    assert run.verdict(_measurement("help"), run.Outcome(_stat(0.05))) == "not measured"


def test_the_floor_is_timed_run_for_run_with_the_command(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # A busy moment doubles both: a floor timed apart at such a moment made a
    # command 45 ms over it read as met.
    timed = {"floor": _stat(0.060, 0.130), "command": _stat(0.105, 0.180)}
    seen: list[list[str]] = []

    def alternate(jobs: dict[str, run.Job], env: dict[str, str], runs: int) -> dict[str, run.Stat]:
        seen.append(sorted(jobs))
        return timed

    monkeypatch.setattr(run, "alternate", alternate)
    ctx = run.Context(30_000, tmp_path, {}, 5, {}, tmp_path, None, run.Features({}, False))
    outcome = run.followups_due(ctx)
    assert seen == [["command", "floor"]]
    assert outcome.extra["over_floor"] == pytest.approx(0.0475)
    assert run.verdict(_measurement("due"), outcome) == "**missed**"


def test_the_report_prints_the_floor_as_a_row_and_each_command_beside_its_floor() -> None:
    results = {
        "floor": {30_000: run.Outcome(_stat(0.0612))},
        "help": {
            30_000: run.Outcome(_stat(0.0455), extra={"floor": 0.0612, "over_floor": -0.0157})
        },
        "due": {30_000: run.Outcome(_stat(0.1285), extra={"floor": 0.0612, "over_floor": 0.0673})},
    }
    text = run.report({}, [30_000], results, {}, 5, 60.0)
    targets = text.split("## Targets")[1].split("\n## ")[0]
    rows = [line for line in targets.splitlines() if line.startswith("| ")]
    assert "| the floor: `python -c 'import click, peewee'` | – | 61.2 ms | 61.2 ms |" in rows[1]
    assert rows[2] == (
        "| `rapport --help` | < the floor (61.2 ms run for run) + 20.0 ms "
        "| 45.5 ms (floor - 15.7 ms) | 45.5 ms | 39 MB | met |"
    )
    assert rows[3] == (
        "| `rapport followups due` | < the floor (61.2 ms run for run) + 20.0 ms "
        "| 128.5 ms (floor + 67.3 ms) | 128.5 ms | 39 MB | **missed** |"
    )


def test_the_empty_vdir_row_exports_into_a_new_folder_deleting_nothing_before_a_run(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # Deleting the last run's 5,000 files a moment before a run timed the
    # kernel's search past freed inodes (ext4 without a journal), not the export.
    found: list[list[str]] = []
    deleted: list[str] = []
    real_rmtree = run.shutil.rmtree

    def rmtree(path: Path, ignore_errors: bool = False) -> None:
        deleted.append(Path(path).name)
        real_rmtree(path, ignore_errors=ignore_errors)

    def alternate(jobs: dict[str, run.Job], env: dict[str, str], runs: int) -> dict[str, run.Stat]:
        argv, _check, before = jobs["vdir"]
        vdir = Path(argv[argv.index("--vdir") + 1])
        for n in range(3):
            assert before is not None
            deleted.clear()
            before()
            assert deleted == []
            found.append(sorted(p.name for p in vdir.iterdir()) if vdir.exists() else [])
            vdir.mkdir()
            (vdir / f"run-{n}.ics").write_text("BEGIN:VCALENDAR\r\n")
        return {"vdir": _stat(1.0)}

    monkeypatch.setattr(run, "alternate", alternate)
    monkeypatch.setattr(run.shutil, "rmtree", rmtree)
    features = run.Features({"export ics": ["--vdir", "--todo"]}, False)
    manifest = {"sizes": {"open_followups": 1}}
    ctx = run.Context(30_000, tmp_path, manifest, 3, {}, tmp_path, None, features)
    run.export_vdir(ctx)
    assert found == [[], [], []]
    # What the runs wrote is removed after the row, outside the timing.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["vdir-export"]
