"""What every import promises: all or nothing, dry runs, --strict, clear refusals, progress."""

from __future__ import annotations

import itertools
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest
from exchange_helpers import DATA, contact, count_contacts

from rapport.errors import ImportFailed
from rapport.models import Contact, Organization
from rapport.services.exchange import detect_format, import_csv, import_file, import_linkedin

CONNECTIONS = DATA / "linkedin" / "Connections.csv"


def _linkedin_rows(count: int, tail: str = "") -> str:
    rows = [
        f"Person,Number {i},linkedin.com/in/p{i},,Org {i % 7},Engineer,0{1 + i % 9} Mar 2024"
        for i in range(count)
    ]
    return "First Name,Last Name,URL,Email Address,Company,Position,Connected On\r\n" + (
        "\r\n".join(rows) + "\r\n" + tail
    )


def test_a_file_that_breaks_halfway_imports_nothing(db_path: Path, tmp_path: Path) -> None:
    # A quote opened on row 501 and never closed: the CSV is unreadable from there.
    path = tmp_path / "Connections.csv"
    path.write_text(_linkedin_rows(500, 'Broken,"Row,https://x,,Org,Eng,01 Mar 2024\r\n'))

    with pytest.raises(ImportFailed, match=r"line 502: .*nothing was imported"):
        import_linkedin(path)
    assert count_contacts() == 0
    assert Organization.select().count() == 0


def test_undecodable_bytes_halfway_import_nothing_and_name_the_line(
    db_path: Path, tmp_path: Path
) -> None:
    path = tmp_path / "Connections.csv"
    path.write_bytes(_linkedin_rows(300).encode() + "Jürgen,Müller,,,,,\r\n".encode("cp1252"))

    with pytest.raises(ImportFailed, match=r"not utf-8 text .* line 302.*--encoding"):
        import_linkedin(path)
    assert count_contacts() == 0
    assert import_linkedin(path, encoding="cp1252").created == 301
    assert contact("Jürgen Müller")["name"] == "Jürgen Müller"


def test_a_database_error_while_writing_leaves_nothing_behind(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rapport.services import importing

    real = importing.insert_rows

    def fail_on_contacts(model: object, rows: list[dict[str, object]], **options: Any) -> None:
        if model is Contact:
            real(model, rows[:2], **options)  # some rows are in when it breaks
            raise importing.IntegrityError("disk says no")
        real(model, rows, **options)

    monkeypatch.setattr(importing, "insert_rows", fail_on_contacts)

    with pytest.raises(ImportFailed, match="nothing was imported"):
        import_linkedin(CONNECTIONS)
    assert count_contacts() == 0
    assert Organization.select().count() == 0


def test_strict_refuses_the_whole_file_for_one_bad_row(db_path: Path) -> None:
    with pytest.raises(ImportFailed, match=r"line 8: no name.*--strict"):
        import_linkedin(CONNECTIONS, strict=True)
    assert count_contacts() == 0


def test_a_dry_run_says_what_would_happen_and_writes_nothing(db_path: Path) -> None:
    summary = import_linkedin(CONNECTIONS, dry_run=True)

    assert summary.dry_run and summary.created == 5
    assert ("create", "Dana Whitfield (Northwind Cloud)") in [
        (c.action, c.name) for c in summary.changes
    ]
    assert count_contacts() == 0
    assert Organization.select().count() == 0


def test_duplicate_rows_in_one_file_become_one_contact(db_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text(
        "Name,Company,Email,Phone\n"
        "Dana Whitfield,Northwind,dana@northwind.example,\n"
        "dana whitfield,NORTHWIND,,+1 415 555 0134\n"
        "Someone Else,,DANA@northwind.example,\n"
    )

    summary = import_csv(path)

    assert (summary.created, summary.merged) == (1, 2)
    dana = contact("Dana Whitfield")
    assert dana["phone"] == "+1 415 555 0134"
    merges = [c.detail for c in summary.changes if c.action == "merge"]
    assert merges == ["same person as line 2", "same person as line 2"]
    # The third row's name differs: the import says which it kept.
    assert [str(w) for w in summary.warnings] == [
        "line 4: same person as line 2, whose name 'Dana Whitfield' is kept; "
        "'Someone Else' left out"
    ]


def test_the_same_person_twice_in_a_file_keeps_both_rows_notes(
    db_path: Path, tmp_path: Path
) -> None:
    path = tmp_path / "people.csv"
    path.write_text(
        "Name,Email,Notes\n"
        "Dana Whitfield,dana@northwind.example,Met at KubeCon\n"
        "Dana Whitfield,dana@northwind.example,Wants an intro to Priya\n"
    )

    import_csv(path)
    again = import_csv(path)

    assert contact("Dana Whitfield")["notes"] == "Met at KubeCon\n\nWants an intro to Priya"
    assert (again.created, again.updated, again.unchanged, again.merged) == (0, 0, 1, 1)
    assert again.warnings == []


def test_two_different_linkedin_profiles_are_two_people(db_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text(
        "Name,Company,LinkedIn\n"
        "Alex Kim,Contoso,linkedin.com/in/alex-kim-1\n"
        "Alex Kim,Contoso,linkedin.com/in/alex-kim-2\n"
    )

    assert import_csv(path).created == 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "is a PNG image, not"),
        (b"PK\x03\x04\x14\x00\x00\x00", "is a damaged ZIP archive"),
        (b"%PDF-1.7\n%\xe2\xe3", "is a PDF document, not"),
        (b"\x00\x01\x02\x03garbage\x00", "is a binary file, not"),
        (b"", "is empty"),
    ],
)
def test_a_file_that_is_not_what_it_claims_gets_one_line(
    db_path: Path, tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "Connections.csv"
    path.write_bytes(content)

    with pytest.raises(ImportFailed, match=message) as caught:
        import_linkedin(path)
    assert "\n" not in str(caught.value)


def test_a_zip_without_connections_is_refused(db_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "export.zip"
    with zipfile.ZipFile(path, "w") as zipped:
        zipped.writestr("Profile.csv", "First Name,Last Name\r\n")

    with pytest.raises(ImportFailed, match=r"ZIP archive without Connections\.csv"):
        import_linkedin(path)


def test_an_unknown_encoding_name_is_refused(db_path: Path) -> None:
    with pytest.raises(ImportFailed, match="unknown encoding 'klingon'"):
        import_linkedin(CONNECTIONS, encoding="klingon")


def test_progress_is_reported_up_to_the_total(db_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "Connections.csv"
    path.write_text(_linkedin_rows(2000))
    seen: list[tuple[int, int]] = []

    import_linkedin(path, progress=lambda done, total: seen.append((done, total)))

    assert 10 < len(seen) < 500  # often enough for a bar, not a flood for the app
    assert seen[-1][0] == seen[-1][1]
    assert all(a[0] <= b[0] for a, b in itertools.pairwise(seen))


def test_the_format_is_guessed_for_the_apps_import_dialog(db_path: Path) -> None:
    assert detect_format(CONNECTIONS) == "linkedin"
    assert detect_format(DATA / "vcard" / "apple.vcf") == "vcard"
    assert detect_format(DATA / "csv" / "google-contacts.csv") == "csv"
    assert import_file(DATA / "vcard" / "vcard4.vcf").created == 1


def test_importers_load_without_textual() -> None:
    code = (
        "import sys, rapport.importers, rapport.importers.linkedin, rapport.importers.vcard, "
        "rapport.importers.csv_, rapport.importers.json_, rapport.services.merge; "
        "sys.exit('textual' in sys.modules)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def _queries_to_import(rows: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> int:
    from rapport.db import open_database
    from rapport.models import database

    open_database(tmp_path / f"{rows}.db")
    path = tmp_path / f"{rows}.csv"
    path.write_text(_linkedin_rows(rows))
    db_class = type(database.obj)
    real = db_class.execute_sql
    calls = []

    def counting(self: object, sql: str, *args: object, **kwargs: object) -> object:
        calls.append(sql)
        return real(self, sql, *args, **kwargs)

    monkeypatch.setattr(db_class, "execute_sql", counting)
    import_linkedin(path)
    import_linkedin(path)  # and again: nothing to do
    monkeypatch.setattr(db_class, "execute_sql", real)
    return len(calls)


def test_the_number_of_queries_does_not_grow_with_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 30,000 connections import in seconds only if no query runs per row.
    assert _queries_to_import(200, tmp_path, monkeypatch) == _queries_to_import(
        2000, tmp_path, monkeypatch
    )


@pytest.mark.slow
def test_linkedins_maximum_of_30000_connections_imports_in_seconds(
    db_path: Path, tmp_path: Path
) -> None:
    path = tmp_path / "Connections.csv"
    path.write_text(_linkedin_rows(30_000))

    started = time.perf_counter()
    summary = import_linkedin(path)
    seconds = time.perf_counter() - started

    assert summary.created == 30_000
    assert seconds < 20, f"30,000 rows took {seconds:.1f} s"  # about 3 s on a laptop
