"""LinkedIn's "Connections" export (Connections.csv, or the ZIP LinkedIn sends) as drafts.

LinkedIn puts a ``Notes:`` preamble of varying length before the header, so
the header is found by its column names.  The current layout has
``First Name, Last Name, URL, Email Address, Company, Position, Connected On``;
older exports have no URL column.  Dates look like ``03 Aug 2026``.
"""

from __future__ import annotations

import datetime as dt
from operator import itemgetter
from pathlib import Path

from rapport.dates import parse_day
from rapport.errors import ImportFailed, ValidationError
from rapport.importers.csv_ import csv_rows
from rapport.importers.drafts import ContactDraft, Parsed, Skipped
from rapport.reading import decode, member_of_zip, read_bytes

COLUMNS = {
    "first name": "first",
    "last name": "last",
    "url": "url",
    "profile url": "url",
    "email address": "email",
    "company": "company",
    "position": "position",
    "connected on": "connected_on",
}
WHAT = "a LinkedIn Connections export (Connections.csv)"
# The columns a draft is made of, in the order read_linkedin takes them.
_FIELDS = ("first", "last", "url", "email", "company", "position", "connected_on")


def linkedin_text(path: str | Path, encoding: str | None = None) -> str:
    """The text of Connections.csv, read from the file or from inside LinkedIn's ZIP."""
    data = read_bytes(path)
    if data.startswith(b"PK\x03\x04"):
        member = member_of_zip(data, path, "Connections.csv")
        if member is None:
            raise ImportFailed(f"{path} is a ZIP archive without Connections.csv in it")
        data = member
    return decode(data, path, WHAT, encoding)


def read_linkedin(text: str, path: str | Path) -> Parsed:
    """Drafts, one per connection; rows without a name are skipped with their line."""
    rows = csv_rows(text, path)
    header: dict[str, int] = {}
    width = 0
    for _, row in rows:
        names = [" ".join(cell.strip().strip("\ufeff").lower().split()) for cell in row]
        if "first name" in names and "last name" in names:
            header = {COLUMNS[n]: i for i, n in enumerate(names) if n in COLUMNS}
            width = len(names)
            break
    if not header:
        raise ImportFailed(
            f"{path} is not {WHAT}: no header row with 'First Name' and 'Last Name' "
            "(for other spreadsheets use rapport import csv)"
        )
    parsed = Parsed()
    # LinkedIn writes every column of every row: a last row short of values,
    # with no line break after it, is where a download or a copy was cut off.
    ends_whole = text.endswith(("\n", "\r"))
    days: dict[str, dt.date | ValidationError | None] = {}
    # As LinkedIn writes every row (each column there): the values at once.
    whole = itemgetter(*map(header.get, _FIELDS)) if set(_FIELDS) <= header.keys() else None
    body = list(rows)
    final = body[-1][1] if body else None
    for line, row in body:
        last = row is final
        if whole is not None and len(row) >= width:
            first, family, url, email, company, position, written = map(str.strip, whole(row))
        else:
            cells = {key: row[i].strip() if i < len(row) else "" for key, i in header.items()}
            first, family, url, email, company, position, written = (
                cells.get(key, "") for key in _FIELDS
            )
        if len(row) > width and any(c.strip() for c in row[width:]):
            parsed.skipped.append(Skipped(line, f"has {len(row)} values, the header {width}"))
            continue
        if last and not ends_whole and len(row) < width:
            parsed.skipped.append(
                Skipped(
                    line,
                    f"the file ends in the middle of this row ({len(row)} of {width} values): "
                    "it looks cut off; download the export again",
                )
            )
            continue
        name = f"{first} {family}".strip()
        if not name:
            parsed.skipped.append(Skipped(line, "no name (LinkedIn hides some members' names)"))
            continue
        draft = ContactDraft(
            line,
            name=name,
            organization=company,
            role=position,
            emails=[email] if email else [],
            linkedin_url=url,
            how_met="LinkedIn",
            given_name=first,
            family_name=family,
        )
        if written not in days:  # 30,000 connections made on a few thousand days
            try:
                days[written] = parse_day(written, "connected on")
            except ValidationError as exc:
                days[written] = exc
        day = days[written]
        if isinstance(day, ValidationError):
            parsed.warnings.append(Skipped(line, f"{day}; left out"))
        else:
            draft.connected_on = day
        parsed.drafts.append(draft)
    return parsed
