"""Files an importer must survive: broken, huge, wrongly encoded and hostile, by suffix.

``hostile_files(suffix)`` maps a label to a function making the bytes (made
when a test asks, as some are megabytes).  Every suffix gets the kinds any
file can be (empty, binary, one 8 MB line, UTF-16, Latin-1, NUL bytes, a
PDF); each format adds what is hostile to it.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from functools import cache

from safety_harness import SOAK

EIGHT_MB = 8_000_000
# A calendar of years of meetings; a vCard address book of a busy phone.
MANY = 10_000 if SOAK else 2_000

Maker = Callable[[], bytes]


def _any_file() -> dict[str, Maker]:
    return {
        "empty": lambda: b"",
        "blank": lambda: b"\r\n \n\t\n",
        "binary": lambda: bytes(range(256)) * 64,
        "huge-line": lambda: b"A" * EIGHT_MB,
        "utf-16": lambda: "Name,Email\nZoë,zoe@example.com\n".encode("utf-16"),
        "latin-1": lambda: "Name,Email\nZoë,zoe@example.com\n".encode("latin-1"),
        "nul-bytes": lambda: b"Name\x00,Email\x00\n\x00\x00\x00\n",
        "pdf": lambda: b"%PDF-1.7\n" + bytes(range(256)) * 8,
    }


@cache
def zip_bomb() -> bytes:
    """A 2 MB ZIP holding a 300 MB Connections.csv (one row, repeated)."""
    out = io.BytesIO()
    header = b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    rows = (b"Dana,Whit,,,,," + b" " * 1000 + b"\n") * 1000
    with (
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive,
        archive.open("Connections.csv", "w", force_zip64=True) as member,
    ):
        member.write(header)
        for _ in range(300):
            member.write(rows)
    return out.getvalue()


def _csv() -> dict[str, Maker]:
    header = b"First Name,Last Name,Email Address,Company,Position\n"
    return {
        "formulas": lambda: (
            header + b"=cmd|' /C calc'!A0,+SUM(1),@x,-2+3,=HYPERLINK(\"http://x\")\n"
        ),
        "truncated": lambda: b'First Name,Last Name,Email Address\n"Dana,Whit',
        "huge-cell": lambda: header + b'Dana,"' + b"x" * EIGHT_MB + b'",,,\n',
        "10000-columns": lambda: b",".join([b"First Name", b"Last Name"] * 5000) + b"\n",
        "ragged": lambda: header + b"Dana\nWhit,,,,,,,,,,,,,,,,,,\n,,,\n",
        "header-of-line-breaks": lambda: b'"Full\nName","E\nmail"\nDana,d@example.com\n',
        "zip-bomb": zip_bomb,
    }


VCARD = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Dana\r\n"


def _vcard(*lines: str) -> bytes:
    return (VCARD + "".join(f"{line}\r\n" for line in lines) + "END:VCARD\r\n").encode()


def _vcf() -> dict[str, Maker]:
    return {
        "10000-properties": lambda: _vcard(*(f"NOTE:{n}" for n in range(10_000))),
        "truncated": lambda: VCARD.encode(),
        "nested": lambda: ("BEGIN:VCARD\r\n" * 5000 + "END:VCARD\r\n" * 5000).encode(),
        "huge-value": lambda: _vcard("NOTE:" + "x" * EIGHT_MB),
        "huge-photo": lambda: _vcard("PHOTO;ENCODING=b;TYPE=JPEG:" + "QUFB" * (EIGHT_MB // 4)),
        "unknown-charset": lambda: _vcard("N;CHARSET=x-nothing;ENCODING=QUOTED-PRINTABLE:=C3=A9"),
        "bad-quoted-printable": lambda: _vcard("NOTE;ENCODING=QUOTED-PRINTABLE:=FF=FE="),
        "many-cards": lambda: "".join(
            f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person {n}\r\nEND:VCARD\r\n" for n in range(MANY)
        ).encode(),
    }


CALENDAR = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//EN\r\n"
EVENT = "UID:a@b\r\nDTSTAMP:20261123T090000Z\r\nDTSTART:20261123T090000Z\r\nSUMMARY:x\r\n"


def _event(*lines: str) -> bytes:
    body = EVENT + "".join(f"{line}\r\n" for line in lines)
    return (CALENDAR + "BEGIN:VEVENT\r\n" + body + "END:VEVENT\r\nEND:VCALENDAR\r\n").encode()


def _ics() -> dict[str, Maker]:
    days = [f"EXDATE:2026{m:02d}{d:02d}T090000Z" for m in range(1, 13) for d in range(1, 29)]
    return {
        "secondly-forever": lambda: _event("RRULE:FREQ=SECONDLY"),
        "secondly-with-filters": lambda: _event("RRULE:FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=30"),
        "never-matches": lambda: _event("RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30"),
        "absurd-count": lambda: _event("RRULE:FREQ=DAILY;COUNT=999999999"),
        "overflowing-count": lambda: _event("RRULE:FREQ=DAILY;COUNT=99999999999999999999999"),
        "absurd-interval": lambda: _event("RRULE:FREQ=MINUTELY;INTERVAL=999999999"),
        "many-exdates": lambda: _event(*days * 30),
        "truncated": lambda: (CALENDAR + "BEGIN:VEVENT\r\n" + EVENT).encode(),
        "nested": lambda: (
            "BEGIN:VCALENDAR\r\n" + "BEGIN:VEVENT\r\n" * 5000 + "END:VEVENT\r\n" * 5000
        ).encode(),
        "huge-value": lambda: _event("DESCRIPTION:" + "x" * EIGHT_MB),
        "many-events": lambda: (
            CALENDAR
            + "".join(
                f"BEGIN:VEVENT\r\nUID:e{n}@b\r\nDTSTAMP:20261123T090000Z\r\n"
                f"DTSTART:20261201T090000Z\r\nSUMMARY:Event {n}\r\nEND:VEVENT\r\n"
                for n in range(MANY)
            )
            + "END:VCALENDAR\r\n"
        ).encode(),
    }


def _export(tables: bytes) -> bytes:
    return b'{"format": "rapport", "schema_version": 1, "tables": ' + tables + b"}"


def _json() -> dict[str, Maker]:
    deep = b"[" * 100_000 + b"]" * 100_000
    return {
        "nested": lambda: deep,
        "nested-in-a-row": lambda: _export(b'{"contact": [{"id": 1, "name": ' + deep + b"}]}"),
        "huge-number": lambda: b"1" * 100_000,
        "huge-id": lambda: _export(b'{"contact": [{"id": ' + b"9" * 5000 + b', "name": "D"}]}'),
        "tables-a-list": lambda: _export(b"[]"),
        "tables-a-string": lambda: _export(b'"contact"'),
        "table-a-row": lambda: _export(b'{"contact": {"id": 1}}'),
        "row-of-wrong-types": lambda: _export(
            b'{"contact": [{"id": "one", "name": {"a": 1}, "archived": "yes", "created_at": 5}]}'
        ),
        "version-a-bool": lambda: b'{"format": "rapport", "schema_version": true, "tables": {}}',
        "truncated": lambda: _export(b'{"contact": [{"id'),
    }


FORMATS: dict[str, Callable[[], dict[str, Maker]]] = {
    ".csv": _csv,
    ".vcf": _vcf,
    ".ics": _ics,
    ".json": _json,
}


@cache
def hostile_files(suffix: str) -> dict[str, Maker]:
    """Files an importer of ``suffix`` must survive, by label."""
    return {**_any_file(), **FORMATS[suffix]()}
