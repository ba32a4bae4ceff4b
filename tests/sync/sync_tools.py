"""A separate virtualenv with Radicale, vdirsyncer and caldav: the chain the sync tests run.

Created once under ``.venv-sync/`` at the top of the checkout (again only when
``requirements.txt`` changes), so their dependencies never mix with rapport's.
Run it directly to create or check it: ``python tests/sync/sync_tools.py``.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENV = ROOT / ".venv-sync"
REQUIREMENTS = Path(__file__).resolve().parent / "requirements.txt"


def _stamp() -> str:
    return hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()


def ensure_tools() -> Path:
    """The bin/ folder of a virtualenv with radicale, vdirsyncer and caldav, made if needed."""
    bin_dir = VENV / "bin"
    stamp = VENV / ".installed"
    if stamp.exists() and stamp.read_text() == _stamp() and (bin_dir / "vdirsyncer").exists():
        return bin_dir
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(VENV)], check=True)
    subprocess.run(
        [
            str(bin_dir / "python"),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "-r",
            str(REQUIREMENTS),
        ],
        check=True,
    )
    stamp.write_text(_stamp())
    return bin_dir


if __name__ == "__main__":
    started = time.perf_counter()
    where = ensure_tools()
    print(
        f"radicale, vdirsyncer and caldav ready in {where} ({time.perf_counter() - started:.1f} s)"
    )
