"""Where rapport's shipped files are: migrations and the demo network.

In a wheel they sit inside the package (``rapport/_migrations``,
``rapport/_sample_data``); in a source checkout they are the top-level
``migrations/`` and ``sample_data/`` folders.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_CHECKOUT = _PACKAGE.parent.parent


def _find(packaged: str, top_level: str) -> Path:
    inside = _PACKAGE / packaged
    if inside.is_dir():
        return inside
    return _CHECKOUT / top_level


def migrations_dir() -> Path:
    return _find("_migrations", "migrations")


def sample_data_dir() -> Path:
    return _find("_sample_data", "sample_data")
