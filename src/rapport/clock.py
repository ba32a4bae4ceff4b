"""The one place rapport asks what time it is, so tests and demos can pin it.

Set ``RAPPORT_NOW`` (an ISO datetime such as ``2026-11-23T09:00``, read as
local wall-clock time) to freeze the clock for a whole process; tests in the
same process monkeypatch :func:`now` instead.  A value that is no such date
and time is a ValidationError naming the variable, never a traceback.
"""

from __future__ import annotations

import datetime as dt
import os
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from rapport.errors import ValidationError

FROZEN = "RAPPORT_NOW"
FROZEN_YEARS = (1900, 9000)


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


def frozen_now() -> dt.datetime | None:
    """The time ``RAPPORT_NOW`` freezes the clock at (naive unless it gives an
    offset); None when it is not set.  Raises ValidationError naming it for a
    value that is no ISO date and time."""
    frozen = os.environ.get(FROZEN)
    if not frozen:
        return None
    try:
        value = dt.datetime.fromisoformat(frozen)
    except ValueError:
        value = None
    # Days counted from the last years there are (a week on, the day after)
    # would overflow: no one keeps their network then.
    if value is None or not FROZEN_YEARS[0] <= value.year <= FROZEN_YEARS[1]:
        raise ValidationError(
            FROZEN,
            f"{frozen!r:.60} is not a date and time; give an ISO one such as "
            f"2026-11-23T09:00 (years {FROZEN_YEARS[0]} to {FROZEN_YEARS[1]}), "
            "or unset it for the real clock",
        ) from None
    return value


def now() -> dt.datetime:
    """The current local time, timezone-aware (ValidationError: see :func:`frozen_now`)."""
    value = frozen_now()
    if value is not None:
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
