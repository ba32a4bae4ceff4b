"""A separate virtualenv with Radicale, vdirsyncer and caldav: the chain the sync tests run.

Created once under ``.venv-sync/`` at the top of the checkout (again only when
``requirements.txt`` changes), so their dependencies never mix with rapport's.
Run it directly to create or check it: ``python tests/sync/sync_tools.py``.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, when run directly
from tool_venvs import ROOT, ensure_virtualenv

VENV = ROOT / ".venv-sync"
REQUIREMENTS = Path(__file__).resolve().parent / "requirements.txt"


def ensure_tools() -> Path:
    """The bin/ folder of a virtualenv with radicale, vdirsyncer and caldav, made if needed."""
    return ensure_virtualenv(VENV, REQUIREMENTS, "vdirsyncer")


if __name__ == "__main__":
    started = time.perf_counter()
    where = ensure_tools()
    print(
        f"radicale, vdirsyncer and caldav ready in {where} ({time.perf_counter() - started:.1f} s)"
    )
