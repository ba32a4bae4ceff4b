"""Bringing the network in and taking it out: LinkedIn, vCard, CSV and JSON.

The CLI and the app call these functions; each import runs in one
transaction (all or nothing) and returns an :class:`ImportSummary`.  Pass
``progress=callback`` to be told ``callback(done, total)`` as it goes; from
a Textual thread worker, wrap it in ``app.call_from_thread``.  The formats
(rapport.importers) parse and write text; the reading and writing of rows is
here, in rapport.services.importing and in the store's rapport.bulk.

    summary = import_file("Connections.csv", progress=report)   # format guessed
    summary = import_linkedin(path, dry_run=True)
    text = export_vcard(version="3.0")
"""

from __future__ import annotations

import codecs
import datetime as dt
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from dateutil import rrule
from peewee import IntegrityError

from rapport import bulk
from rapport.db import schema_version
from rapport.errors import ImportFailed, ValidationError
from rapport.files import expanded, write_private
from rapport.importers import FORMATS, detect_format
from rapport.importers._identity import name_parts
from rapport.importers.drafts import (
    ImportSummary,
    Parsed,
    ProgressCallback,
    ProgressTracker,
    Skipped,
)
from rapport.models import (
    DIRECTIONS,
    EVENT_KINDS,
    EVENT_ROLES,
    EVENT_STATUSES,
    GOAL_HORIZONS,
    GOAL_STATUSES,
    INTERACTION_CHANNELS,
    INTERVIEW_STATUSES,
    LINK_ROLES,
    Contact,
    Organization,
    database,
)
from rapport.services.clean import positive_int
from rapport.services.expertise import contact_expertise
from rapport.services.importing import FIELDS, run_import
from rapport.services.skills import level_label
from rapport.text import one_line, without_controls

__all__ = [
    "FORMATS",
    "ImportSummary",
    "ProgressCallback",
    "Skipped",
    "detect_format",
    "export_csv",
    "export_json",
    "export_json_chunks",
    "export_vcard",
    "export_vcard_chunks",
    "import_csv",
    "import_file",
    "import_json",
    "import_linkedin",
    "import_vcard",
    "write_export",
]


def _cadence(value: Any, row: dict[str, Any]) -> None:
    positive_int(value, "cadence")  # days are added to dates: a huge number overflows


def _repeat_rule(value: Any, row: dict[str, Any]) -> None:
    # Calendars get each repeating follow-up's rule: dateutil must read it.
    # Only read, not expanded: a rule an older rapport accepted still restores.
    if value:
        start = dt.date.fromisoformat(str(row.get("series_start") or row.get("due_date")))
        rrule.rrulestr(f"RRULE:{value}", dtstart=dt.datetime.combine(start, dt.time()))


def _uid(value: Any, row: dict[str, Any]) -> None:
    # A calendar finds an item again by its UID: one that is blank or holds
    # control characters (line breaks included) would be written into .ics files.
    text = str(value)
    if not text.strip() or text != without_controls(text) or len(text) > 1000:
        raise ValueError(value)
    if "\n" in text or "\t" in text:
        raise ValueError(value)


def _event_uid(value: Any, row: dict[str, Any]) -> None:
    # An imported event's UID as an older rapport kept it, control characters
    # and all (the calendar's reader drops them now): its backups must restore,
    # and the restore drops them as from all the text it keeps.  A tab or line
    # break it kept too (it only stripped a UID's ends; the reader folds them to
    # spaces now, and the next import of that calendar folds the kept UID alike).
    _uid(one_line(str(value)), row)


# Whitespace but the plain space (re's \s is str.isspace's set), and any whitespace.
_NOT_ONE_LINE = re.compile(r"[^\S ]")
_SPACE = re.compile(r"\s")


def _one_line(value: Any, row: dict[str, Any]) -> None:
    # A name, title or address is one line everywhere it is written (a .ics
    # SUMMARY or URL, a vCard line, a list's row); the forms collapse whitespace.
    if _NOT_ONE_LINE.search(str(value)):
        raise ValueError(value)


def _address(value: Any, row: dict[str, Any]) -> None:
    # A URL or an email address holds no whitespace at all: calendars refuse
    # a URI with a line break in it, and a space ends it.
    if _SPACE.search(str(value)):
        raise ValueError(value)


def _one_of(choices: tuple[str, ...], *, blank: bool = False) -> bulk.ValueCheck:
    """A check that a value is one of ``choices`` (or empty, with ``blank``), as a form's."""

    def check(value: Any, row: dict[str, Any]) -> None:
        if value not in choices and not (blank and value == ""):
            raise ValueError(value)

    return check


# Values the app computes with or chooses from, checked in a restore as the
# services check what people type.  A test holds the contact columns kept on
# one line against what services.contacts.CLEANERS make of two lines.
_VALUE_CHECKS: dict[tuple[str, str], bulk.ValueCheck] = {
    ("contact", "cadence_days"): _cadence,
    ("follow_up", "rrule"): _repeat_rule,
    ("follow_up", "uid"): _uid,
    ("follow_up_tombstone", "uid"): _uid,
    ("event", "ics_uid"): _event_uid,
    **dict.fromkeys(
        [
            ("contact", "name"),
            ("contact", "role"),
            ("contact", "phone"),
            ("contact", "location"),
            ("contact", "birthday"),
            ("contact", "given_name"),
            ("contact", "family_name"),
            ("contact", "vcard_uid"),
            ("contact", "tags"),  # a,b,c: a line break hid a tag from the tag filter
            ("organization", "name"),
            ("organization", "industry"),
            ("event", "name"),
            ("event", "location"),
            ("goal", "title"),
            ("follow_up", "title"),
            ("follow_up_tombstone", "title"),
            ("interaction", "summary"),
            ("skill", "name"),
            ("trait", "phrase"),
            ("promise", "text"),
            ("promise", "reason"),
        ],
        _one_line,
    ),
    **dict.fromkeys(
        [
            ("contact", "email"),
            ("contact", "linkedin_url"),
            ("organization", "website"),
            ("event", "url"),
        ],
        _address,
    ),
    ("goal", "horizon"): _one_of(GOAL_HORIZONS),
    ("goal", "status"): _one_of(GOAL_STATUSES),
    ("event", "kind"): _one_of(EVENT_KINDS),
    ("event", "my_role"): _one_of(EVENT_ROLES),
    ("event", "status"): _one_of(EVENT_STATUSES),
    ("interaction", "channel"): _one_of(INTERACTION_CHANNELS),
    ("interaction", "direction"): _one_of(DIRECTIONS),
    ("interaction_contact", "direction"): _one_of(DIRECTIONS),
    ("interview", "status"): _one_of(INTERVIEW_STATUSES),
    ("goal_link", "role"): _one_of(LINK_ROLES, blank=True),
}


def _contacts(
    reader: Any,
    path: str | Path,
    format_name: str,
    text: str,
    *,
    dry_run: bool,
    strict: bool,
    progress: ProgressCallback | None,
) -> ImportSummary:
    parsed: Parsed = reader(text, path)
    return run_import(
        parsed,
        source=str(path),
        format_name=format_name,
        dry_run=dry_run,
        strict=strict,
        progress=progress,
    )


def import_linkedin(
    path: str | Path,
    *,
    dry_run: bool = False,
    strict: bool = False,
    encoding: str | None = None,
    progress: ProgressCallback | None = None,
) -> ImportSummary:
    """Import LinkedIn's Connections.csv (or the ZIP LinkedIn sends). Raises ImportFailed."""
    from rapport.importers.linkedin import linkedin_text, read_linkedin

    text = linkedin_text(path, encoding)
    return _contacts(
        read_linkedin, path, "LinkedIn", text, dry_run=dry_run, strict=strict, progress=progress
    )


def import_vcard(
    path: str | Path,
    *,
    dry_run: bool = False,
    strict: bool = False,
    encoding: str | None = None,
    progress: ProgressCallback | None = None,
) -> ImportSummary:
    """Import a .vcf file (vCard 2.1, 3.0 or 4.0). Raises ImportFailed."""
    from rapport.importers.vcard import WHAT, read_vcard, vcard_bytes
    from rapport.reading import decode

    # Decoded here, not by vobject: a file's encoding errors get one line and a line number.
    text = decode(vcard_bytes(path), path, WHAT, encoding)
    return _contacts(
        read_vcard, path, "vCard", text, dry_run=dry_run, strict=strict, progress=progress
    )


def import_csv(
    path: str | Path,
    *,
    mapping: str | Mapping[str, str] | None = None,
    dry_run: bool = False,
    strict: bool = False,
    encoding: str | None = None,
    progress: ProgressCallback | None = None,
) -> ImportSummary:
    """Import a spreadsheet; ``mapping`` is ``"Header=field,..."`` (else headers are guessed).

    Raises ValidationError for a bad mapping, ImportFailed for the file.
    """
    from rapport.importers.csv_ import parse_map, read_csv
    from rapport.reading import decode, read_bytes

    columns = parse_map(mapping) if isinstance(mapping, str) else mapping
    if columns is not None:
        columns = {" ".join(k.lower().split()): v for k, v in columns.items()}
    text = decode(read_bytes(path), path, "a CSV file", encoding)
    return _contacts(
        lambda t, p: read_csv(t, p, columns),
        path,
        "CSV",
        text,
        dry_run=dry_run,
        strict=strict,
        progress=progress,
    )


def import_json(
    path: str | Path, *, dry_run: bool = False, progress: ProgressCallback | None = None
) -> ImportSummary:
    """Restore a ``rapport export json`` file into the open, empty database."""
    from rapport.importers.json_ import read_json_file, read_snapshot

    source = str(path)
    tables, sequences = read_snapshot(
        read_json_file(path), source, newest=schema_version(), known_tables=bulk.table_names()
    )
    bulk.refuse_unless_empty()
    summary = ImportSummary(source, "rapport JSON", dry_run=dry_run)
    prepared = bulk.prepare_tables(tables, _VALUE_CHECKS)
    tracker = ProgressTracker(progress, sum(map(len, prepared)))
    try:
        with database.atomic() as transaction:
            # Checked again inside the transaction, which holds the write lock:
            # another rapport that wrote meanwhile is named, not a UNIQUE error.
            bulk.refuse_unless_empty()
            summary.restored = bulk.restore_tables(prepared, source, on_chunk=tracker.step)
            bulk.restore_sequences(sequences)
            if dry_run:
                transaction.rollback()
    except (IntegrityError, ValueError) as exc:  # ValueError: a row lacks a column others have
        raise ImportFailed(
            f"{source}: rows do not fit together ({exc}); nothing was imported"
        ) from None
    summary.rows = sum(summary.restored.values())
    summary.created = summary.restored.get("contact", 0)
    summary.organizations_created = summary.restored.get("organization", 0)
    return summary


def import_file(path: str | Path, format_name: str | None = None, **options: Any) -> ImportSummary:
    """Import any supported file, the format guessed when not given (for the app's dialog).

    ``options`` are those of the format's function (dry_run, strict, progress, ...).
    """
    chosen = format_name or detect_format(path)
    importers = {
        "linkedin": import_linkedin,
        "vcard": import_vcard,
        "csv": import_csv,
        "json": import_json,
    }
    if chosen not in importers:
        raise ImportFailed(f"unknown format {chosen!r}; one of {', '.join(FORMATS)}")
    if chosen == "json":
        options = {k: v for k, v in options.items() if k in ("dry_run", "progress")}
    return importers[chosen](path, **options)


# -- export -------------------------------------------------------------------


def contact_records(ids: Sequence[int] | None = None) -> Iterator[dict[str, Any]]:
    """Every contact's (or those with ``ids``) column values, ``organization`` as its name,
    ordered by id; ``expertise`` lists the skills marked on them as (name, level or None)."""
    names = dict(Organization.select(Organization.id, Organization.name).tuples())
    skills = {
        cid: [(e.skill, e.level) for e in items] for cid, items in contact_expertise().items()
    }
    columns = [Contact.id, Contact.name, Contact.created_at, *(getattr(Contact, f) for f in FIELDS)]
    keys = ["id", "name", "created_at", *FIELDS]
    query = Contact.select(*columns).order_by(Contact.id)
    if ids is not None:
        query = query.where(Contact.id.in_(list(ids)))
    for row in query.tuples().iterator():
        record = dict(zip(keys, row, strict=True))
        record["organization"] = names.get(record["organization"], "")
        # Every export writes given and family names: the source's, else the usual guess.
        parts = name_parts(record["name"], record["given_name"], record["family_name"])
        record["given_name"], record["family_name"] = parts
        record["expertise"] = skills.get(record["id"], [])
        yield record


def export_vcard_chunks(version: str = "4.0", *, apple_birthdays: bool = False) -> Iterator[str]:
    """Every contact as vCard text (4.0 or 3.0), and organizations with a website or
    notes, card by card, read in one transaction.  Raises ValidationError for a
    version it does not write (before the first card).

    A birthday without a year is written ``--0214`` (4.0) or ``--02-14`` (3.0);
    ``apple_birthdays`` writes Apple's ``1604-02-14`` with X-APPLE-OMIT-YEAR instead.
    """
    from rapport.importers.vcard import VERSIONS, contact_card, organization_card

    if version not in VERSIONS:
        raise ValidationError("version", f"must be one of {', '.join(VERSIONS)} (got {version!r})")

    def cards() -> Iterator[str]:
        with database.atomic():
            for record in contact_records():
                yield contact_card(record, version, apple_birthdays=apple_birthdays)
            described = Organization.select().where(
                (Organization.website != "") | (Organization.notes != "")
            )
            for org in described.order_by(Organization.id).dicts().iterator():
                yield organization_card(org, version)

    return cards()


def export_vcard(version: str = "4.0", *, apple_birthdays: bool = False) -> str:
    """Every contact as vCard text (see :func:`export_vcard_chunks`)."""
    return "".join(export_vcard_chunks(version, apple_birthdays=apple_birthdays))


def export_csv() -> str:
    """Every contact as spreadsheet-safe CSV (header first)."""
    from rapport.importers.csv_ import contacts_csv

    def text(value: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, list):  # expertise: "Hiring (5 expert); SQL"
            return "; ".join(f"{n} ({level_label(lv)})" if lv else n for n, lv in value)
        return value.isoformat() if isinstance(value, dt.date) else str(value)

    records = [{k: text(v) for k, v in r.items()} for r in contact_records()]
    return contacts_csv(("name", *FIELDS, "expertise"), records)


def export_json_chunks() -> Iterator[str]:
    """The whole database as JSON, piece by piece: every table, row by row, with the
    schema version and the largest id each table ever gave (so that a restore
    never gives a deleted record's number again), read in one transaction (one
    consistent snapshot)."""
    from rapport.importers.json_ import snapshot_chunks

    with database.atomic():
        yield from snapshot_chunks(bulk.schema_version(), bulk.plain_tables(), bulk.sequences())


def export_json() -> str:
    """The whole database as JSON text (see :func:`export_json_chunks`)."""
    return "".join(export_json_chunks())


def write_export(path: str | Path, text: str | Iterable[str], *, encoding: str = "utf-8") -> Path:
    """Write ``text`` (or its pieces, as they come) to ``path`` readable by its owner
    alone, atomically (temp file, rename)."""
    target = expanded(path, "output")
    if isinstance(text, str):
        write_private(target, text.encode(encoding))
    else:
        encoder = codecs.getincrementalencoder(encoding)()  # a BOM (utf-8-sig) once
        write_private(target, (encoder.encode(piece) for piece in text))
    return target
