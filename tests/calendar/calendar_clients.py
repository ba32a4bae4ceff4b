"""A separate virtualenv with khal and todoman, the real clients the calendar tests run.

Created once under ``.venv-cal/`` at the top of the checkout (again only when
``clients/requirements.txt`` changes), so their dependencies never mix with
rapport's.  Run it directly to create or check it: ``python tests/calendar/calendar_clients.py``.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, when run directly
from tool_venvs import ROOT, ensure_virtualenv

VENV = ROOT / ".venv-cal"
REQUIREMENTS = Path(__file__).resolve().parent / "clients" / "requirements.txt"


def ensure_clients() -> Path:
    """The bin/ folder of a virtualenv with khal and todoman, created if needed."""
    return ensure_virtualenv(VENV, REQUIREMENTS, "khal")


if __name__ == "__main__":
    started = time.perf_counter()
    where = ensure_clients()
    print(f"khal and todoman ready in {where} ({time.perf_counter() - started:.1f} s)")
