"""Warmth: how a relationship stands from the last touch and its cadence (warm, due, cold, never).

The rule is written out in rapport.services.review, which ranks by it; it lives
apart so that `rapport today` and the app's Today say it without loading the review.
"""

from __future__ import annotations

import datetime as dt

DEFAULT_CADENCE_DAYS = 90
WARMTH = ("warm", "due", "cold", "never")
WARMTH_LABELS = {"warm": "warm", "due": "due", "cold": "cold", "never": "never contacted"}


def warmth(last: dt.date | None, cadence_days: int | None, today: dt.date) -> str:
    """``warm``, ``due``, ``cold`` or ``never`` (the rule is in rapport.services.review)."""
    if last is None:
        return "never"
    cadence_days = cadence_days or DEFAULT_CADENCE_DAYS
    days = (today - last).days
    if days < cadence_days:
        return "warm"
    if days < 2 * cadence_days:
        return "due"
    return "cold"


def warmth_label(last: dt.date | None, cadence_days: int | None, today: dt.date) -> str:
    """The word a person reads for ``warmth``: warm, due, cold, never contacted."""
    return WARMTH_LABELS[warmth(last, cadence_days, today)]
