"""What contact formats read files into, and what an import reports: plain values only.

A format reader turns its file into drafts (one per row or card, with its
line number) and the rows it could not read; rapport.services.importing
cleans, matches and writes them and fills in the :class:`ImportSummary`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

ProgressCallback = Callable[[int, int], None]
"""Called as ``progress(done, total)`` while an import runs; ``total`` may grow once."""


@dataclass
class ContactDraft:
    """A person as a file describes them, before cleaning; ``line`` is where they start."""

    line: int
    name: str = ""
    organization: str = ""
    role: str = ""
    emails: list[str] = field(default_factory=list)  # the preferred one first
    phones: list[str] = field(default_factory=list)  # the preferred one first
    linkedin_url: str = ""
    location: str = ""
    how_met: str = ""
    tags: list[str] = field(default_factory=list)
    notes: str = ""
    connected_on: dt.date | str | None = None
    birthday: str = ""
    given_name: str = ""  # as the file gives them; empty when it gives a whole name only
    family_name: str = ""
    vcard_uid: str = ""
    # Skills the file says the person has: (name, level as written, maybe "").
    expertise: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class OrganizationDraft:
    """A company card: an organization, not a person."""

    line: int
    name: str
    website: str = ""
    notes: str = ""


@dataclass
class Skipped:
    """A row left out (or, in ``warnings``, a value left out of a row), and why."""

    line: int
    reason: str

    def __post_init__(self) -> None:
        # A reason quotes values from the file: a 1 MB "email" must not make a 1 MB line.
        if len(self.reason) > 300:
            self.reason = self.reason[:299] + "…"

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


@dataclass
class Parsed:
    """What a reader found in a file: drafts to import and rows it could not read."""

    drafts: list[ContactDraft | OrganizationDraft] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    warnings: list[Skipped] = field(default_factory=list)
    # Values with no field in rapport, kept in the notes; --strict refuses the file for them.
    noted: list[Skipped] = field(default_factory=list)


# How each action reads to a person (a dry run's list, the app's preview).
ACTION_WORDS = {
    "create": "new contact",
    "update": "fill in",
    "merge": "same person as an earlier row",
    "unchanged": "already up to date",
    "create-organization": "new organization",
    "update-organization": "fill in organization",
}


@dataclass
class Change:
    """What the import does (or would do) with one row."""

    line: int
    action: str  # a key of ACTION_WORDS (and so in --json)
    name: str
    detail: str = ""

    def __str__(self) -> str:
        detail = f" ({self.detail})" if self.detail else ""
        return f"line {self.line}: {ACTION_WORDS[self.action]}: {self.name}{detail}"


# The summary's count of each action.
_COUNTED = {
    "create": "created",
    "update": "updated",
    "merge": "merged",
    "unchanged": "unchanged",
    "create-organization": "organizations_created",
    "update-organization": "organizations_updated",
}


@dataclass
class ImportSummary:
    """The outcome of an import, for the CLI's summary and the app's dialog."""

    source: str
    format: str
    dry_run: bool = False
    rows: int = 0
    created: int = 0
    updated: int = 0
    merged: int = 0
    unchanged: int = 0
    organizations_created: int = 0
    organizations_updated: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    warnings: list[Skipped] = field(default_factory=list)
    noted: list[Skipped] = field(default_factory=list)  # values with no field, kept in notes
    changes: list[Change] = field(default_factory=list)
    restored: dict[str, int] = field(default_factory=dict)  # rows by table (JSON restore)
    expertise: int = 0  # skills marked on contacts from a column (unconfirmed)

    def count(self, action: str) -> None:
        attribute = _COUNTED[action]
        setattr(self, attribute, getattr(self, attribute) + 1)

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["skipped"] = [asdict(s) for s in self.skipped]
        data["warnings"] = [asdict(w) for w in self.warnings]
        data["noted"] = [asdict(n) for n in self.noted]
        return data

    def lines(self) -> list[str]:
        """The summary as a person reads it: counts, then every skipped row and left-out value."""
        done = not self.dry_run
        head = f"{self.source} ({self.format}): {_n(self.rows, 'row')} read" + (
            "" if done else " — dry run, nothing was written"
        )
        if self.restored:
            restored = ", ".join(
                _n(n, _RECORDS.get(table, table.replace("_", " ")))
                for table, n in self.restored.items()
                if n
            )
            return [head, f"  {'restored' if done else 'to restore'}: {restored or 'nothing'}"]
        added, updated = ("added", "updated") if done else ("to add", "to update")
        out = [
            head,
            f"  contacts: {self.created} {added}, {self.updated} {updated} (empty fields "
            f"filled), {_n(self.merged, 'duplicate row')} "
            f"{'merged' if done else 'to merge'}, {self.unchanged} already up to date",
        ]
        if self.expertise:
            out.append(
                f"  skills: {_n(self.expertise, 'skill')} {'marked' if done else 'to mark'} on "
                "contacts, unconfirmed (rapport review --gaps shows them)"
            )
        if self.organizations_created or self.organizations_updated:
            out.append(
                f"  organizations: {self.organizations_created} {added}, "
                f"{self.organizations_updated} {updated}"
            )
        out.append(f"  {_n(len(self.skipped), 'row')} skipped")
        out.extend(f"    {s}" for s in self.skipped)
        if self.warnings:
            out.append(f"  {_n(len(self.warnings), 'value')} left out")
            out.extend(f"    {w}" for w in self.warnings)
        if self.noted:
            out.append(f"  {_n(len(self.noted), 'value')} kept in the notes")
            out.extend(f"    {n}" for n in self.noted)
        return out


# What a person calls the rows of a table, where the table's name does not say it.
_RECORDS = {
    "follow_up": "follow-up",
    "follow_up_tombstone": "deleted follow-up",
    "goal_link": "goal link",
    "interaction_contact": "interaction participant",
    "event_attendee": "event attendee",
    "interview_referral": "interview referral",
    "skill_rating": "skill rating",
    "goal_need": "goal need",
    "expertise": "contact skill",
}


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


class ProgressTracker:
    """Reports at most ~200 times, so a worker thread does not flood the app."""

    def __init__(self, callback: ProgressCallback | None, total: int) -> None:
        self.callback = callback
        self.total = max(total, 1)
        self.done = 0
        self._next = 0

    def grow(self, total: int) -> None:
        self.total = max(total, 1)

    def step(self, count: int = 1) -> None:
        self.done += count
        if self.callback and (self.done >= self._next or self.done >= self.total):
            self._next = self.done + max(1, self.total // 200)
            self.callback(min(self.done, self.total), self.total)
