"""Bad input, files: the hooks for .ics, .vcf and .csv (filled in by the branches bringing them).

Two registries, one entry per format:

* ``ROUND_TRIPS[name] = function(folder) -> [(name, notes), ...]``: export
  the contacts of the open database to a file in ``folder``, import that
  file into a fresh database, and return the names and notes found there.
  The test fills a new database with any Unicode and checks it comes back
  as the cleaners keep it.
* ``IMPORTERS[name] = (suffix, function(path))``: import the file at
  ``path`` into the open database.  Each is fed truncated, binary, empty,
  huge-line, wrong-encoding and hostile files (spreadsheet formulas, a
  vCard with 10,000 properties, an endless FREQ=SECONDLY rule, deep
  nesting): it must finish within TIME_LIMIT_S, and either import or raise
  ImportFailed/ValidationError with one line, leaving the database as it was.

Until a format lands its registry entry is missing and pytest reports the
parametrized test as skipped ("got empty parameter set").
"""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from safety_harness import contents, examples
from text_strategies import pasted_text

from rapport.errors import ImportFailed, ValidationError
from rapport.services import _common as clean

People = list[tuple[str, str]]
ROUND_TRIPS: dict[str, Callable[[Path], People]] = {}
IMPORTERS: dict[str, tuple[str, Callable[[Path], None]]] = {}
TIME_LIMIT_S = 20


def _hostile(suffix: str) -> dict[str, bytes]:
    """Files an importer of ``suffix`` must survive, by label."""
    files = {
        "empty": b"",
        "binary": bytes(range(256)) * 64,
        "huge-line": b"A" * 8_000_000,
        "utf-16": "Name,Email\nZoë,zoe@example.com\n".encode("utf-16"),
        "latin-1": "Name,Email\nZoë,zoe@example.com\n".encode("latin-1"),
        "nul-bytes": b"Name\x00,Email\x00\n\x00\x00\x00\n",
    }
    if suffix == ".csv":
        files["formulas"] = (
            b"First Name,Last Name,Email Address,Company,Position\n"
            b"=cmd|' /C calc'!A0,+SUM(1),@x,-2+3,=HYPERLINK(\"http://x\")\n"
        )
        files["truncated"] = b'First Name,Last Name,Email Address\n"Dana,Whit'
    if suffix == ".vcf":
        card = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Dana\r\n"
        files["10000-properties"] = (
            card + "".join(f"NOTE:{n}\r\n" for n in range(10_000)) + "END:VCARD\r\n"
        ).encode()
        files["truncated"] = card.encode()
        files["nested"] = ("BEGIN:VCARD\r\n" * 5000 + "END:VCARD\r\n" * 5000).encode()
    if suffix == ".ics":
        event = (
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//EN\r\nBEGIN:VEVENT\r\n"
            "UID:a@b\r\nDTSTAMP:20261123T090000Z\r\nDTSTART:20261123T090000Z\r\nSUMMARY:x\r\n"
        )
        files["secondly-forever"] = (
            event + "RRULE:FREQ=SECONDLY\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
        ).encode()
        files["absurd-count"] = (
            event + "RRULE:FREQ=DAILY;COUNT=999999999\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
        ).encode()
        files["truncated"] = event.encode()
        files["nested"] = (
            "BEGIN:VCALENDAR\r\n" + "BEGIN:VEVENT\r\n" * 5000 + "END:VEVENT\r\n" * 5000
        ).encode()
    return files


@contextmanager
def _time_limit(seconds: int) -> Iterator[None]:
    def expired(signum: int, frame: object) -> None:
        raise TimeoutError(f"took more than {seconds}s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.mark.parametrize(
    ("name", "label"),
    [(name, label) for name, (suffix, _) in IMPORTERS.items() for label in _hostile(suffix)],
)
def test_an_importer_answers_hostile_files_quickly_and_lands_whole_or_not_at_all(
    sample_db: Path, tmp_path: Path, name: str, label: str
) -> None:
    suffix, run_import = IMPORTERS[name]
    path = tmp_path / f"hostile{suffix}"
    path.write_bytes(_hostile(suffix)[label])
    before = contents(sample_db)
    with _time_limit(TIME_LIMIT_S):
        try:
            run_import(path)
        except (ImportFailed, ValidationError) as exc:
            assert "\n" not in str(exc)
            assert contents(sample_db) == before


@pytest.mark.parametrize("name", sorted(ROUND_TRIPS))
@settings(
    max_examples=examples(25),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(people=st.lists(st.tuples(pasted_text, pasted_text), min_size=1, max_size=5))
def test_any_text_survives_a_round_trip_through_a_file(
    tmp_path_factory: pytest.TempPathFactory, name: str, people: People
) -> None:
    from rapport.db import close_database, open_database
    from rapport.services.contacts import create_contact

    folder = tmp_path_factory.mktemp(name)
    open_database(folder / "exported.db")
    kept = []
    for person, notes in people:
        if clean.one_line(person, "name"):
            contact = create_contact(person, notes=notes, allow_duplicate=True)
            kept.append((contact.name, contact.notes))
    try:
        back = ROUND_TRIPS[name](folder)
    finally:
        close_database()
    assert sorted(back) == sorted(kept)
