"""How the app writes dates, names and table cells: short, cut to fit, theme colours only."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from textual.content import Content

from rapport.dates import humanize_days

# The app's screens take these from here.
from rapport.words import cut as cut
from rapport.words import day as day
from rapport.words import pad as pad
from rapport.words import plural as plural

DASH = "—"
# What a key that needs a goal says when there is none yet.
NO_GOALS_YET = "No goals yet: add one on the Goals tab (2, then a)."


def short_day(value: dt.date | None, today: dt.date) -> str:
    """``Mon 23 Nov`` this year, ``23 Nov 2025`` otherwise."""
    if value is None:
        return ""
    if value.year == today.year:
        return f"{value:%a} {value.day} {value:%b}"
    return f"{value.day} {value:%b %Y}"


def relative(value: dt.date | None, today: dt.date) -> str:
    """``today``, ``in 3 days``, ``2 days ago`` (weeks and months past two weeks)."""
    if value is None:
        return ""
    days = (value - today).days
    span = abs(days)
    if span < 14:
        return humanize_days(days)
    if span < 60:
        amount = plural(span // 7, "week")
    elif span < 730:
        amount = f"{span // 30} months"
    else:
        amount = f"{span // 365} years"
    return f"in {amount}" if days > 0 else f"{amount} ago"


def clock_time(value: dt.time | None) -> str:
    return value.strftime("%H:%M") if value else ""


def cell(text: str, width: int, style: str = "") -> Content:
    """A table cell: one line, cut to ``width``, in a theme style (``$error``, ``bold``)."""
    return Content.styled(cut(text, width), style)


def interaction_line(date: dt.date, channel: str, summary: str) -> str:
    """``Thu 31 Dec 2026 call: the summary`` (no colon when there is no summary)."""
    head = f"{day(date)} {channel}"
    return f"{head}: {cut(summary, 60)}" if summary.strip() else head


def delete_interaction_words(
    date: dt.date, channel: str, people: str, summary: str
) -> tuple[str, str]:
    """The question and the detail that ask before an interaction is deleted:
    which one, with whom, about what."""
    question = f"Delete the {channel} of {day(date)} with {people or 'nobody'}?"
    about = f"“{cut(summary, 120)}”. " if summary.strip() else ""
    return question, about + (
        "It goes for everyone who took part; their last contact is worked out again."
    )


def listing(items: Iterable[str]) -> str:
    return ", ".join(i for i in items if i)
