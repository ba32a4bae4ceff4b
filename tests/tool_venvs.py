"""Virtualenvs of the real programs tests run against (khal, todoman, Radicale, vdirsyncer).

Each lives at the top of the checkout, apart from rapport's .venv so their
dependencies never mix, and is made again only when its requirements change.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def ensure_virtualenv(venv: Path, requirements: Path, program: str) -> Path:
    """The bin/ folder of ``venv`` with ``requirements`` installed; made if needed."""
    bin_dir = venv / "bin"
    stamp = venv / ".installed"
    wanted = hashlib.sha256(requirements.read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == wanted and (bin_dir / program).exists():
        return bin_dir
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
    subprocess.run(
        [
            str(bin_dir / "python"),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "-r",
            str(requirements),
        ],
        check=True,
    )
    stamp.write_text(wanted)
    return bin_dir
