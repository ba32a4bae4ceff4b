"""``rapport demo`` leaves nothing behind, however it ends."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

# The app itself is replaced by a pause: what is tested is the demo's folder.
RUN_DEMO = """
import sys, time
import rapport.cli.misc as misc
def pause(path):
    print(path, flush=True)
    time.sleep(60)
misc._launch = pause
from rapport.cli import cli
cli.main(["demo"], prog_name="rapport")
"""


@pytest.mark.parametrize("number", [signal.SIGHUP, signal.SIGTERM])
def test_closing_the_terminal_removes_the_demo_copy(tmp_path: Path, number: int) -> None:
    demo = subprocess.Popen(
        [sys.executable, "-c", RUN_DEMO], stdout=subprocess.PIPE, text=True, cwd=tmp_path
    )
    assert demo.stdout is not None
    database = Path(demo.stdout.readline().strip())
    assert database.is_file()
    demo.send_signal(number)
    demo.wait(timeout=20)
    deadline = time.monotonic() + 5
    while database.parent.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not database.parent.exists()
