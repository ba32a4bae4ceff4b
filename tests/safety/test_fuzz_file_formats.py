"""Bad input, files: any text through .ics, .vcf and .csv and back; hostile files imported.

Two registries, one entry per format:

* ``ROUND_TRIPS[name] = function(folder) -> [(name, notes), ...]``: export
  the contacts of the open database to a file in ``folder``, read that file
  back as another program (or a fresh rapport database) would, and return
  the names and notes found there.  The test fills a new database with any
  Unicode and checks it comes back as the cleaners keep it.
* ``IMPORTERS[name] = Importer(suffix, command)``: the ``rapport import``
  command of a format.  Each is fed truncated, binary, empty, huge-line,
  wrong-encoding and hostile files (spreadsheet formulas, a vCard with 10,000
  properties, an endless FREQ=SECONDLY rule, an absurd COUNT, deep nesting,
  a ZIP bomb): it must finish within TIME_LIMIT_S and either import or exit
  with one line on stderr, leaving the database as it was.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hostile_files import hostile_files
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from safety_harness import contents, examples, integrity
from text_strategies import NASTY, pasted_text

from rapport.services import clean

People = list[tuple[str, str]]
TIME_LIMIT_S = 20


# Thousands of examples each need a new, empty database: each is a copy of one
# made once (making each anew ran every migration, a third of an example's time).
# Its contents are read once too: a copy's are the same, byte for byte.
EMPTY: dict[str, Any] = {}


@pytest.fixture(scope="module", autouse=True)
def empty_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from rapport.db import opened

    path = tmp_path_factory.mktemp("empty") / "empty.db"
    with opened(path):
        pass  # closing checkpoints the WAL: the file alone is the database
    EMPTY["database"] = path
    EMPTY["contents"] = contents(path)
    EMPTY["backup"] = path.with_name("backup.db")
    shutil.copyfile(path, EMPTY["backup"])
    return path


def new_database(path: Path, *, as_created: bool = False) -> Path:
    """A new, empty, upgraded database at ``path``, as rapport creates one (0600).

    ``as_created``: with today's backup beside it, so that its first open backs
    nothing up, as the open that creates a database does not (a copy would be
    backed up and checked there: work a round trip never did before it
    copied, a fifth of its time).
    """
    from rapport import clock
    from rapport.backups import STAMP, backups_folder

    shutil.copyfile(EMPTY["database"], path)
    os.chmod(path, 0o600)
    if as_created:
        folder = backups_folder(path)
        folder.mkdir(mode=0o700)
        os.link(EMPTY["backup"], folder / f"{path.stem}-{clock.now().strftime(STAMP)}-daily.db")
    return path


# -- round trips ------------------------------------------------------------------


def _reimported(folder: Path, path: Path, run_import: Callable[[Path], object]) -> People:
    """The (name, notes) of every contact after importing ``path`` into a new database."""
    from rapport.db import open_database
    from rapport.models import Contact

    open_database(new_database(folder / "reimported.db", as_created=True))
    run_import(path)
    return [(c.name, c.notes) for c in Contact.select()]


def vcard_round_trip(folder: Path) -> People:
    from rapport.services.exchange import export_vcard, import_vcard, write_export

    path = write_export(folder / "contacts.vcf", export_vcard())
    return _reimported(folder, path, lambda p: import_vcard(p, strict=True))


def vcard3_round_trip(folder: Path) -> People:
    from rapport.services.exchange import export_vcard, import_vcard, write_export

    path = write_export(folder / "contacts.vcf", export_vcard("3.0"))
    return _reimported(folder, path, lambda p: import_vcard(p, strict=True))


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_round_trip(folder: Path) -> People:
    from rapport.services.exchange import export_csv, import_csv, write_export

    text = export_csv()
    # What a spreadsheet would run as a formula never starts a cell.
    for row in csv.reader(io.StringIO(text, newline="")):
        assert not [cell for cell in row if cell.startswith(FORMULA_START)], row
    path = write_export(folder / "contacts.csv", text, encoding="utf-8-sig")
    return _reimported(folder, path, lambda p: import_csv(p, strict=True))


def ics_round_trip(folder: Path) -> People:
    """Each contact gets a follow-up titled with its name, with its notes; a calendar
    reads back the title and the notes from the event (two parsers must agree)."""
    from ical.calendar_stream import IcsCalendarStream
    from icalendar import Calendar

    from rapport.models import Contact
    from rapport.services.calendar_files import export_file
    from rapport.services.followups import create_followup

    for person in Contact.select():
        create_followup(person.name, due="+1w", contact=person.id, notes=person.notes)
    path = folder / "follow-ups.ics"
    export_file(path)
    data = path.read_bytes()
    read_by_icalendar = [str(e["DESCRIPTION"]) for e in Calendar.from_ical(data).walk("VEVENT")]
    strict = IcsCalendarStream.calendar_from_ics(data.decode("utf-8"))
    assert sorted(read_by_icalendar) == sorted(e.description or "" for e in strict.events)
    return [_title_and_notes(description) for description in read_by_icalendar]


def _title_and_notes(description: str) -> tuple[str, str]:
    # DESCRIPTION is the title, a blank line, who it is with, then "Notes:" and the notes.
    title = description.split("\n", 1)[0]
    _, marker, notes = description.partition("\n\nNotes:\n")
    return title, notes if marker else ""


ROUND_TRIPS: dict[str, Callable[[Path], People]] = {
    "vcf": vcard_round_trip,
    "vcf-3.0": vcard3_round_trip,
    "csv": csv_round_trip,
    "ics": ics_round_trip,
}


def _name_key(name: str) -> str:
    # People the importers take for one person (same name, no organization).
    return " ".join(clean.normalized(clean.one_line(name, "name")).split())


@pytest.mark.parametrize("name", sorted(ROUND_TRIPS))
@settings(
    max_examples=examples(15),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    people=st.lists(
        st.tuples(pasted_text, pasted_text),
        min_size=1,
        max_size=5,
        unique_by=lambda person: _name_key(person[0]),
    )
)
@example(people=[("".join(NASTY), "".join(NASTY))])
@example(people=[("=cmd|' /C calc'!A0", "+1 415 555 0134"), ("'=already quoted", "'-1")])
@example(people=[("Dana \\N Whit", "C:\\Notes\\new, a\\n; \\\\N\t")])
@example(people=[("\ufeff", "\ufeffnotes"), ("\ufeffDana", "")])
def test_any_text_survives_a_round_trip_through_a_file(
    tmp_path_factory: pytest.TempPathFactory, name: str, people: People
) -> None:
    from rapport.db import close_database, open_database
    from rapport.services.contacts import create_contact

    assume(any(clean.one_line(person, "name") for person, _ in people))
    folder = tmp_path_factory.mktemp(name)
    open_database(new_database(folder / "exported.db", as_created=True))
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


# -- hostile files -----------------------------------------------------------------


@dataclass(frozen=True)
class Importer:
    suffix: str
    command: tuple[str, ...]
    empty_database: bool = False  # json restores only into an empty one


IMPORTERS = {
    "linkedin": Importer(".csv", ("import", "linkedin")),
    "vcard": Importer(".vcf", ("import", "vcard")),
    "csv": Importer(".csv", ("import", "csv")),
    "json": Importer(".json", ("import", "json"), empty_database=True),
    "ics": Importer(".ics", ("import", "ics")),
}

HOSTILE = [(name, label) for name, imp in IMPORTERS.items() for label in hostile_files(imp.suffix)]


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


@pytest.mark.parametrize(("name", "label"), HOSTILE)
def test_an_importer_answers_hostile_files_quickly_and_lands_whole_or_not_at_all(
    request: pytest.FixtureRequest, tmp_path: Path, name: str, label: str
) -> None:
    importer = IMPORTERS[name]
    cli = request.getfixturevalue("cli" if importer.empty_database else "sample_cli")
    if importer.empty_database:
        assert cli("contacts", "list").exit_code == 0  # creates it
    path = tmp_path / f"hostile{importer.suffix}"
    path.write_bytes(hostile_files(importer.suffix)[label]())
    before = contents(cli.db)
    with _time_limit(TIME_LIMIT_S):
        result = cli(*importer.command, str(path))
        if result.exit_code == 0:
            # Taken in: what comes next (the agenda expands repeating events) is quick too.
            for command in (("today",), ("events", "list"), ("contacts", "list")):
                assert cli(*command).exit_code == 0, command
    assert integrity(cli.db) == "ok"
    if result.exit_code != 0:
        assert result.exit_code in (2, 5), result.output
        assert result.stderr.startswith("rapport: ")
        assert result.stderr.count("\n") == 1, result.stderr
        assert contents(cli.db) == before


# -- a rapport JSON export, any shape ------------------------------------------------


@cache
def _table_columns() -> dict[str, list[str]]:
    from rapport.models import ALL_MODELS

    return {m._meta.table_name: [f.column_name for f in m._meta.sorted_fields] for m in ALL_MODELS}


json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True),
    pasted_text,
    st.sampled_from(["2026-11-23", "2026-11-23T09:00:00", "09:00", "", "0", "-1", "FREQ=NOPE"]),
    st.sampled_from([0, -1, 10**12, 2**63, 1e400, "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30"]),
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(pasted_text, inner, max_size=3)
    ),
    max_leaves=6,
)


@cache
def _table_shape(table: str) -> st.SearchStrategy[object]:
    """A table's rows (its columns or any keys, any values), or any value instead.
    Built once per table: building strategies anew for every draw, and
    Hypothesis checking each new one, took a sixth of the test's time."""
    keys = st.one_of(st.sampled_from(_table_columns()[table]), pasted_text)
    rows = st.lists(st.dictionaries(keys, json_values, max_size=6), max_size=3)
    return st.one_of(rows, json_values)


@st.composite
def export_shapes(draw: st.DrawFn) -> object:
    """Something shaped like `rapport export json`: real tables and columns, any values."""
    names = sorted(_table_columns())
    tables = {}
    for table in draw(st.lists(st.sampled_from(names), max_size=4, unique=True)):
        tables[table] = draw(_table_shape(table))
    export = {"format": "rapport", "schema_version": draw(st.one_of(st.just(1), json_values))}
    export["tables"] = draw(st.one_of(st.just(tables), json_values))
    return draw(st.one_of(st.just(export), json_values))


@cache
def demo_export(sample_db: Path) -> dict[str, Any]:
    from click.testing import CliRunner

    from rapport.cli import cli

    result = CliRunner().invoke(cli, ["--db", str(sample_db), "export", "json"])
    return json.loads(result.stdout)


def damaged_exports(export: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    """The demo network's export with a few values replaced by anything."""
    tables = export["tables"]
    places = [
        (table, n, column)
        for table, rows in tables.items()
        for n, row in enumerate(rows)
        for column in row
    ]

    def damage(changes: list[tuple[tuple[str, int, str], object]]) -> dict[str, Any]:
        copy = json.loads(json.dumps(export))
        for (table, n, column), value in changes:
            copy["tables"][table][n][column] = value
        return copy

    return st.lists(st.tuples(st.sampled_from(places), json_values), min_size=1, max_size=3).map(
        damage
    )


# What a person does next with a restored database: each must answer, never crash.
AFTER_A_RESTORE = [
    ("today",),
    ("contacts", "list"),
    ("contacts", "show", "1"),
    ("goals", "list"),
    ("followups", "list"),
    ("events", "list"),
    ("interviews", "list"),
    ("review",),
    ("search", "dana"),
    ("export", "ics", "-o"),
    ("export", "vcard", "-o"),
    ("export", "csv", "-o"),
]


def _restore_and_use(folder: Path, export: object) -> bool:
    """Restore ``export`` into a new database: refused in one line with the database
    unchanged (False), or taken in whole and then every command of AFTER_A_RESTORE
    works (True)."""
    from click.testing import CliRunner

    from rapport.cli import cli

    database = new_database(folder / "restored.db")
    path = folder / "export.json"
    path.write_text(json.dumps(export), encoding="utf-8")
    before = EMPTY["contents"]

    def run(*args: str) -> Any:
        result = CliRunner().invoke(cli, ["--db", str(database), *args])
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            args,
            result.exception,
        )
        return result

    result = run("import", "json", str(path))
    if result.exit_code != 0:
        assert result.stderr.startswith("rapport: ") and result.stderr.count("\n") == 1
        assert contents(database) == before
        return False
    assert integrity(database) == "ok"
    for command in AFTER_A_RESTORE:
        out = [str(folder / f"out.{command[1]}")] if command[0] == "export" else []
        run(*command, *out)
    return True


@settings(
    max_examples=examples(25),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(export=export_shapes())
@example(export={"format": "rapport", "schema_version": 1, "tables": {"contact": [{"id": 1e400}]}})
@example(export={"format": "rapport", "schema_version": 1, "tables": {"contact": [{"id": 1}, {}]}})
@example(export={"format": "rapport", "schema_version": 1, "tables": {"\n": None}})
def test_a_json_file_of_any_shape_is_restored_whole_or_refused_in_one_line(
    tmp_path_factory: pytest.TempPathFactory, export: object
) -> None:
    _restore_and_use(tmp_path_factory.mktemp("restore"), export)


@settings(
    max_examples=examples(12),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_a_damaged_export_is_refused_or_restored_into_a_working_database(
    tmp_path_factory: pytest.TempPathFactory, sample_template: Path, data: st.DataObject
) -> None:
    export = data.draw(damaged_exports(demo_export(sample_template)))
    _restore_and_use(tmp_path_factory.mktemp("restore"), export)


@pytest.mark.parametrize(
    ("table", "column", "value"),
    [
        ("contact", "cadence_days", 10**12),  # date + cadence overflowed in every list
        ("contact", "cadence_days", "every week"),  # SQLite kept text in an integer column
        ("contact", "archived", "no"),  # read as True
        ("contact", "name", {"first": "Dana"}),  # stored as the text of a dict
        ("follow_up", "rrule", "FREQ=NOPE"),  # the calendar export crashed on it
        ("interaction", "id", 1e400),  # crashed the restore itself
        ("goal_link", "contact_id", None),  # SQLite's message spanned lines (the CHECK's text)
        ("contact", "linkedin_url", "\r"),  # the calendar export crashed on it
        ("contact", "email", "dana@example.com\n"),  # one line wherever it is written
        ("contact", "name", "Dana\u2028Whitfield"),
        ("follow_up", "title", "Send\rthe link"),
        ("interaction", "summary", "Coffee\x0bthen a call"),
    ],
)
def test_damage_found_by_the_fuzz_is_refused(
    tmp_path: Path, sample_template: Path, table: str, column: str, value: object
) -> None:
    export = json.loads(json.dumps(demo_export(sample_template)))
    row = next(r for r in export["tables"][table] if r[column] is not None)
    row[column] = value
    assert not _restore_and_use(tmp_path, export)


def test_the_demo_export_itself_is_restored_and_works(
    tmp_path: Path, sample_template: Path
) -> None:
    assert _restore_and_use(tmp_path, demo_export(sample_template))
