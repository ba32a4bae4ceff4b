"""Crash safety: an operation killed with SIGKILL leaves all of it or nothing, never damage.

Each case in crash_cases.py runs once whole, then is killed at random
moments, every other kill aimed at the moments it writes (a few kills in
``make test``, many in ``make soak``); see crash_harness.py for what is
checked after each kill.  ``RAPPORT_CRASH_SEED`` replays a run; ``pytest -s``
prints where each kill landed and what it left.
"""

from __future__ import annotations

import os
import random
from collections.abc import Iterator
from pathlib import Path

import crash_cases  # noqa: F401  (registers the cases)
import pytest
from crash_harness import CASES, Server, run_crash_case
from safety_harness import SOAK

KILLS = 25 if SOAK else 3
SEED = int(os.environ.get("RAPPORT_CRASH_SEED", random.randrange(1_000_000)))


@pytest.fixture(scope="module")
def servers() -> Iterator[list[Server]]:
    started: list[Server] = []
    yield started
    for server in started:
        server.close()


@pytest.fixture
def server(servers: list[Server]) -> Server:
    """One process that imported rapport, forking a child for each run.

    Started inside the first test, so that it has the tests' environment:
    the frozen clock (two whole runs write the same timestamps), a private HOME.
    """
    if not servers:
        servers.append(Server())
    return servers[0]


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_killed_operation_leaves_all_or_nothing(
    name: str, server: Server, tmp_path: Path
) -> None:
    report = run_crash_case(CASES[name], server, tmp_path, kills=KILLS, seed=SEED)
    print(report.summary(name))
    assert report.writing is not None, f"{name}: the whole run was never seen writing"
    # Kills land while the operation runs (one may come late: runs vary in speed).
    assert report.killed_in["after it finished"] <= KILLS // 2, report
    assert sum(report.outcomes.values()) == KILLS


def test_a_file_written_atomically_is_whole_or_the_old_one(tmp_path: Path) -> None:
    from rapport.files import atomic_write

    target = tmp_path / "follow-ups.ics"
    target.write_text("the old export")
    with pytest.raises(RuntimeError), atomic_write(target) as handle:
        handle.write("half of the new")
        raise RuntimeError("killed halfway")
    assert target.read_text() == "the old export"
    assert [p.name for p in tmp_path.iterdir()] == ["follow-ups.ics"]
    with atomic_write(target) as handle:
        handle.write("the new export")
    assert target.read_text() == "the new export"
