"""The one place rapport asks what time it is, so tests and demos can pin it.

Set ``RAPPORT_NOW`` (an ISO datetime such as ``2026-11-23T09:00``, read as
local wall-clock time) to freeze the clock for a whole process; tests in the
same process monkeypatch :func:`now` instead.
"""

from __future__ import annotations

import datetime as dt
import os
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


@cache
def local_zone_name() -> str:
    """The IANA name of the local time zone (``TZ`` wins), ``UTC`` if unknown."""
    # tzlocal reads TZ, /etc/timezone and /etc/localtime the way each OS does.
    import tzlocal

    try:
        name = tzlocal.get_localzone_name()
    except (ZoneInfoNotFoundError, LookupError, ValueError):
        return "UTC"
    return name or "UTC"


def local_zone() -> dt.tzinfo:
    try:
        return ZoneInfo(local_zone_name())
    except (ZoneInfoNotFoundError, ValueError):
        return dt.UTC


def now() -> dt.datetime:
    """The current local time, timezone-aware."""
    frozen = os.environ.get("RAPPORT_NOW")
    if frozen:
        value = dt.datetime.fromisoformat(frozen)
        if value.tzinfo is None:
            value = value.replace(tzinfo=local_zone())
        return value
    return dt.datetime.now(local_zone())


def today() -> dt.date:
    """Today's date where the person is."""
    return now().date()


def utcnow() -> dt.datetime:
    """Naive UTC, the form every created/updated timestamp is stored in."""
    return now().astimezone(dt.UTC).replace(tzinfo=None)
