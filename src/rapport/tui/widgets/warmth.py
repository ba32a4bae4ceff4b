"""How warm a relationship is, as the app shows it: a word, in a theme colour.

The word always comes with the colour, so the Review reads the same on a
monochrome terminal, to a colour-blind person, and in a screen reader.
"""

from __future__ import annotations

from collections.abc import Mapping

from textual.content import Content

from rapport.services.review import WARMTH
from rapport.tui.text import plural

# Theme tokens, so every Textual theme gives its own colours.
WARMTH_STYLES = {
    "warm": "$text-success",
    "due": "$text-warning",
    "cold": "$text-error",
    "never": "$text-muted",
}

# The same colours by their theme variable names, for widgets (the Tree) that
# draw Rich text rather than Content.
WARMTH_VARIABLES = {
    "warm": "text-success",
    "due": "text-warning",
    "cold": "text-error",
    "never": "",
}


def warmth_style(status: str) -> str:
    return WARMTH_STYLES.get(status, "")


def warmth_summary(counts: Mapping[str, int]) -> Content:
    """``6 people: 5 warm · 1 due`` (each word in its colour; empty counts left out)."""
    total = sum(counts.values())
    if not total:
        return Content.styled("nobody behind it", "$text-error")
    parts: list[str | tuple[str, str]] = [plural(total, "person", "people"), ": "]
    shown = [status for status in WARMTH if counts.get(status)]
    for index, status in enumerate(shown):
        word = "never contacted" if status == "never" else status
        parts.append((f"{counts[status]} {word}", warmth_style(status)))
        if index < len(shown) - 1:
            parts.append(" · ")
    return Content.assemble(*parts)


BACKING_WIDTH = 10  # "96/97 warm"; a larger count drops the word


def backing(people: int, counts: Mapping[str, int] | None) -> tuple[str, str]:
    """How well a goal is backed, in a few characters, and its style.

    ``5/6 warm``: success when everyone is warm, a warning while at least
    half are, an error below that or when nobody is behind the goal.  Before
    the warmth is known (``counts`` None), how many people are linked.
    """
    if counts is None:
        if not people:
            return "nobody", "$text-error"
        return plural(people, "person", "people"), "$text-muted"
    total = sum(counts.values())
    warm = counts.get("warm", 0)
    if not total:
        return "nobody", "$text-error"
    if warm == total:
        return f"{warm} warm", "$text-success"
    style = "$text-warning" if 2 * warm >= total else "$text-error"
    text = f"{warm}/{total} warm"
    return (text if len(text) <= BACKING_WIDTH else f"{warm}/{total}"), style


def all_cold(counts: Mapping[str, int]) -> bool:
    """Whether everyone behind a goal is cold or never contacted (a coverage gap)."""
    return sum(counts.values()) > 0 and not counts.get("warm") and not counts.get("due")
