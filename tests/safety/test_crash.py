"""Crash safety: an operation killed with SIGKILL leaves all of it or nothing, never damage.

Each case in crash_cases.py runs once whole, then is killed at random
moments (a few in ``make test``, many in ``make soak``); see crash_harness.py
for what is checked after each kill.  ``RAPPORT_CRASH_SEED`` replays a run.
"""

from __future__ import annotations

import os
import random
from pathlib import Path

import crash_cases  # noqa: F401  (registers the cases)
import pytest
from crash_harness import CASES, run_crash_case
from safety_harness import SOAK

KILLS = 25 if SOAK else 3
SEED = int(os.environ.get("RAPPORT_CRASH_SEED", random.randrange(1_000_000)))


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_killed_operation_leaves_all_or_nothing(name: str, tmp_path: Path) -> None:
    report = run_crash_case(CASES[name], tmp_path, kills=KILLS, seed=SEED)
    # Every kill landed while the operation was still running.
    assert report.outcomes["finished first"] == 0, report
    assert report.outcomes["nothing"] + report.outcomes["everything"] == KILLS
