"""Spreadsheets of contacts: reading any CSV (Google, Outlook, a column map) and writing one.

Without a map, common header names are recognized (Google Contacts' and
Outlook's exports, and rapport's own).  ``--map "Name=name,Employer=organization"``
says which column holds what instead.  The export is spreadsheet-safe: a
value that a spreadsheet would run as a formula is neutralized.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from rapport.dates import parse_birthday, parse_day
from rapport.errors import ImportFailed, ValidationError
from rapport.importers._fields import (
    add_web_address,
    expertise_items,
    person_tags,
    split_list,
)
from rapport.importers.drafts import ContactDraft, OrganizationDraft, Parsed, Skipped
from rapport.reading import physical_lines, shown
from rapport.text import without_controls

# What a column can hold; several columns may feed emails, phones and tags.
TARGETS = (
    "name",
    "first_name",
    "middle_name",
    "last_name",
    "organization",
    "role",
    "email",
    "phone",
    "linkedin_url",
    "website",
    "location",
    "how_met",
    "tags",
    "notes",
    "connected_on",
    "birthday",
    "vcard_uid",
    "expertise",
    "ignore",
)
_ALIASES = {
    "linkedin": "linkedin_url",
    "company": "organization",
    "org": "organization",
    "title": "role",
    "skills": "expertise",
}

# Header names as products write them (compared lower-case, spaces collapsed).
_KNOWN: list[tuple[str, str]] = [
    (r"name|full name|display name|contact name", "name"),
    (r"first name|given name|first|given_name", "first_name"),
    (r"middle name|additional name", "middle_name"),
    (r"last name|family name|surname|last|family_name", "last_name"),
    (r"vcard_uid", "vcard_uid"),
    (r"company( name)?|organi[sz]ation( name| 1 - name)?|employer", "organization"),
    (r"job title|position|role|organization( title| 1 - title)", "role"),
    (r"title", "title"),
    (r"e-?mail( \d+)?( address)?( - value)?|e-?mail \d+ address|other emails?", "email"),
    (r"(\w+ )?phone( \d+)?( - value)?|mobile|cell|other phones?", "phone"),
    (r"linkedin( url| profile)?|linkedin_url|profile url", "linkedin_url"),
    (r"(\w+ )?web ?page|website( \d+)?( - value)?|url", "website"),
    (r"location|city|business city|home city|address( \d+)? - city", "location"),
    (r"how met|how we met|how_met", "how_met"),
    (r"tags?|labels|categories|groups?|group membership", "tags"),
    (r"notes?", "notes"),
    (r"connected on|connected_on", "connected_on"),
    (r"birthday|bday|birth date|date of birth", "birthday"),
    (r"expertise|skills?|skills? (&|and) expertise", "expertise"),
    (r"other_emails", "email"),
    (r"other_phones", "phone"),
    (r"first_name|last_name|middle_name", "ignore"),
]
_KNOWN_RE = [(re.compile(f"^(?:{pattern})$"), target) for pattern, target in _KNOWN]

# Google's export has 90 columns, Outlook's about as many.
MAX_COLUMNS = 1_000

# Spreadsheets run a cell starting with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_rows(text: str, path: str | Path, delimiter: str = ",") -> Iterator[tuple[int, list[str]]]:
    """Rows with the line each starts on; blank rows left out.

    A quote left open or a stray quote makes the file unreadable from there:
    ImportFailed names the line, and nothing is imported.
    """
    reader = csv.reader(physical_lines(text, path), delimiter=delimiter, strict=True)
    line = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise ImportFailed(
                f"{path}: line {line}: the file is not valid CSV from here ({exc}); "
                "nothing was imported"
            ) from None
        start, line = line, reader.line_num + 1
        if len(row) > MAX_COLUMNS:
            raise ImportFailed(
                f"{path}: line {start} has {len(row):,} values, more than the {MAX_COLUMNS:,} "
                "columns rapport reads; nothing was imported"
            )
        if "".join(row).strip():  # not a blank row
            yield start, row


def _normal_header(text: str) -> str:
    return " ".join(text.strip().strip("\ufeff").lower().split())


def recognize(header: str) -> str | None:
    """The field a column with this header name holds, or None."""
    name = _normal_header(header)
    for pattern, target in _KNOWN_RE:
        if pattern.match(name):
            return target
    return None


def parse_map(text: str) -> dict[str, str]:
    """``"Name=name,Employer=organization"`` as {header (lower-case): field}.

    Raises ValidationError (field ``map``) for a pair without ``=`` or an unknown field.
    """
    mapping: dict[str, str] = {}
    for pair in (p for p in text.split(",") if p.strip()):
        header, sep, target = pair.rpartition("=")
        target = _ALIASES.get(target.strip().lower(), target.strip().lower())
        if not sep or not header.strip():
            raise ValidationError("map", f"{pair.strip()!r} should be HEADER=field")
        if target not in TARGETS:
            raise ValidationError(
                "map", f"{target!r} is not a field; use one of {', '.join(TARGETS)}"
            )
        mapping[_normal_header(header)] = target
    return mapping


def _neutralized(value: str) -> bool:
    # A formula, or a value that would read as our guard in front of one ("'=x"):
    # both get a quote, so the import can take exactly one off again.
    return value.lstrip("'").startswith(_FORMULA_START)


def _strip_neutralized(value: str) -> str:
    # Undo our own export's formula guard, so a round trip gives back "+1 415...".
    if value[:1] == "'" and _neutralized(value):
        return value[1:]
    return value


def _delimiter(text: str) -> str:
    first = text[:65536].lstrip("\ufeff").split("\n", 1)[0]  # a huge line is not copied
    counts = {d: first.count(d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


def _listed(header: list[str]) -> str:
    # A header cell may hold line breaks, and a header be long: the message stays one line.
    return shown(", ".join(" ".join(h.split()) for h in header), 200)


def read_csv(text: str, path: str | Path, mapping: dict[str, str] | None = None) -> Parsed:
    """Drafts from a spreadsheet whose first row names its columns."""
    rows = csv_rows(text, path, _delimiter(text))
    try:
        _, header = next(rows)
    except StopIteration:
        raise ImportFailed(f"{path} has no rows") from None
    targets = [
        (mapping.get(_normal_header(h)) if mapping is not None else recognize(h)) for h in header
    ]
    if mapping is not None:
        missing = set(mapping) - {_normal_header(h) for h in header}
        if missing:
            raise ImportFailed(
                f"{path} has no column {sorted(missing)[0]!r} (its columns: {_listed(header)})"
            )
    if not {"name", "first_name", "last_name", "organization"} & set(filter(None, targets)):
        raise ImportFailed(
            f"{path}: no name column found among {_listed(header)}; "
            'say which column is which with --map "Full Name=name,Employer=organization"'
        )
    return parse_rows(rows, targets, len(header))


def parse_rows(
    rows: Iterator[tuple[int, list[str]]], targets: list[str | None], width: int
) -> Parsed:
    parsed = Parsed()
    for line, row in rows:
        if len(row) > width:
            parsed.skipped.append(
                Skipped(line, f"has {len(row)} values but the header names {width} columns")
            )
            continue
        values: dict[str, list[str]] = {}
        for target, cell in zip(targets, row, strict=False):
            value = _strip_neutralized(cell)
            if target and target != "ignore" and value.strip():
                # Notes keep their tabs and indents, as when typed; other values are trimmed.
                values.setdefault(target, []).append(value if target == "notes" else value.strip())
        draft = _draft(line, values, parsed.warnings)
        if draft is None:
            parsed.skipped.append(Skipped(line, "no name"))
        else:
            parsed.drafts.append(draft)
    return parsed


def _first(values: dict[str, list[str]], key: str) -> str:
    return values.get(key, [""])[0]


def _several(cell: str) -> list[str]:
    # Google writes several values in one cell as "a ::: b", our export one a line,
    # a person typing into a spreadsheet "a, b" or "a; b".
    return [v.strip() for v in re.split(r":::|[\n,;]", cell) if v.strip()]


_HONORIFICS = {"mr", "mr.", "mrs", "mrs.", "ms", "ms.", "miss", "dr", "dr.", "prof", "prof."}


def _job_title(values: dict[str, list[str]]) -> str:
    # Outlook's "Title" column is Mr./Ms.; elsewhere "Title" is the job title.
    title = _first(values, "title")
    return "" if title.lower() in _HONORIFICS else title


def _draft(
    line: int, values: dict[str, list[str]], warnings: list[Skipped]
) -> ContactDraft | OrganizationDraft | None:
    name = _first(values, "name") or " ".join(
        _first(values, k) for k in ("first_name", "middle_name", "last_name")
    )
    draft = ContactDraft(
        line,
        name=name,
        organization=_first(values, "organization"),
        role=_first(values, "role") or _job_title(values),
        emails=[e for cell in values.get("email", []) for e in _several(cell)],
        phones=[p for cell in values.get("phone", []) for p in _several(cell)],
        location=_first(values, "location"),
        how_met=_first(values, "how_met"),
        tags=person_tags([t for cell in values.get("tags", []) for t in split_list(cell)]),
        notes="\n\n".join(values.get("notes", [])),
        given_name=_first(values, "first_name"),
        family_name=_first(values, "last_name"),
        vcard_uid=_first(values, "vcard_uid"),
    )
    for url in values.get("linkedin_url", []) + values.get("website", []):
        add_web_address(draft, url)
    _dates(draft, values, warnings)
    draft.expertise = [
        pair for cell in values.get("expertise", []) for pair in expertise_items(cell)
    ]
    if not draft.name.strip():
        if not draft.organization:
            return None
        # A company's own row (Google and Outlook keep some): an organization.
        # What only a person has is said to be left out, not dropped unseen.
        personal = {
            "role": draft.role,
            "email": draft.emails,
            "phone": draft.phones,
            "LinkedIn": draft.linkedin_url,
            "location": draft.location,
            "how we met": draft.how_met,
            "tags": draft.tags,
        }
        lost = [label for label, value in personal.items() if value]
        if lost:
            warnings.append(
                Skipped(
                    line,
                    f"no name, so read as the organization {draft.organization!r}; "
                    f"its {', '.join(lost)} left out",
                )
            )
        website = next(iter(values.get("website", [])), "")
        notes = "\n".join(n for n in draft.notes.split("\n") if n != f"Website: {website}")
        return OrganizationDraft(line, draft.organization, website=website, notes=notes)
    return draft


def _dates(draft: ContactDraft, values: dict[str, list[str]], warnings: list[Skipped]) -> None:
    readers: dict[str, Callable[[str], object]] = {
        "connected_on": lambda t: parse_day(t, "connected on"),
        "birthday": parse_birthday,
    }
    for key, reader in readers.items():
        text = _first(values, key)
        try:
            setattr(draft, key, reader(text))
        except ValidationError as exc:
            warnings.append(Skipped(draft.line, f"{exc}; left out"))


# -- export ----------------------------------------------------------------------


def neutralize(value: str) -> str:
    """A cell a spreadsheet shows as text: one starting ``= + - @`` gets a leading quote
    (and so does one already starting with quotes before those, so it reads back as it was)."""
    return "'" + value if _neutralized(value) else value


def contacts_csv(columns: Sequence[str], records: list[dict[str, str]]) -> str:
    """The CSV text (header first) of contacts given as {column: text}, in ``columns``;
    control characters are left out (a spreadsheet or terminal would act on them)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for record in records:
        writer.writerow([neutralize(without_controls(record.get(c, ""))) for c in columns])
    return out.getvalue()
