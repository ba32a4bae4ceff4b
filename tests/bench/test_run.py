"""The benchmark runner's verdicts: the quickest commands are judged against the floor
it measures (python with click and peewee), not against a fixed figure."""

from __future__ import annotations

import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))

import run  # noqa: E402


def _stat(seconds: float) -> run.Stat:
    return run.Stat((run.Sample(seconds, seconds, 40_000),))


def _measurement(key: str) -> run.Measurement:
    return next(m for m in run.MEASUREMENTS if m.key == key)


def test_help_and_due_are_judged_against_the_floor_plus_20_ms() -> None:
    due = _measurement("due")
    floor = 0.060
    assert run.verdict(due, run.Outcome(_stat(0.079), extra={"floor": floor})) == "met"
    # 0.1 s met the old flat 0.3 s; it is 40 ms over a floor of 60 ms.
    assert run.verdict(due, run.Outcome(_stat(0.100), extra={"floor": floor})) == "**missed**"
    # Without the floor beside it, there is nothing to judge by.
    assert run.verdict(_measurement("help"), run.Outcome(_stat(0.05))) == "not measured"


def test_the_report_prints_the_floor_as_a_row_and_the_target_it_gives() -> None:
    floor = run.Outcome(_stat(0.0612))
    results = {
        "floor": {30_000: floor},
        "help": {30_000: run.Outcome(_stat(0.0455), extra={"floor": 0.0612})},
        "due": {30_000: run.Outcome(_stat(0.1285), extra={"floor": 0.0612})},
    }
    text = run.report({}, [30_000], results, {}, 5, 60.0)
    targets = text.split("## Targets")[1].split("\n## ")[0]
    rows = [line for line in targets.splitlines() if line.startswith("| ")]
    assert "| the floor: `python -c 'import click, peewee'` | – | 61.2 ms | 61.2 ms |" in rows[1]
    assert rows[2] == (
        "| `rapport --help` | within 20.0 ms of the floor (< 81.2 ms) | 45.5 ms | 45.5 ms "
        "| 39 MB | met |"
    )
    assert rows[3] == (
        "| `rapport followups due` | within 20.0 ms of the floor (< 81.2 ms) | 128.5 ms "
        "| 128.5 ms | 39 MB | **missed** |"
    )
