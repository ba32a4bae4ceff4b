"""Spreadsheets in (Google, Outlook, a column map) and out (spreadsheet-safe)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from exchange_helpers import DATA, contact, count_contacts

from rapport.errors import ImportFailed, ValidationError
from rapport.importers.csv_ import neutralize
from rapport.models import Organization
from rapport.services.contacts import create_contact
from rapport.services.exchange import export_csv, import_csv

CSV = DATA / "csv"


def test_google_contacts_csv(db_path: Path) -> None:
    summary = import_csv(CSV / "google-contacts.csv")

    dana = contact("Dana Whitfield")
    assert dana["organization"] == "Northwind Cloud"
    assert dana["role"] == "Director, Platform"
    assert dana["email"] == "dana.whitfield@northwind.example"
    assert dana["other_emails"] == ["dana.w@gmail.com"]  # Google's "a ::: b"
    assert dana["phone"] == "+1 415-555-0134"
    assert dana["other_phones"] == ["(415) 555-0100"]
    assert dana["linkedin_url"] == "https://www.linkedin.com/in/dana-whitfield"
    assert dana["location"] == "San Francisco"
    assert dana["tags"] == ["mentors"]
    assert dana["birthday"] == "1985-02-14"
    assert dana["notes"] == "Met at KubeCon NA 2025, hallway track.\nAsk about the platform reorg."
    assert contact("Hannah Berg")["tags"] == ["stockholm meetup", "starred"]
    assert contact("Hannah Berg")["birthday"] == "--0530"
    assert Organization.get_or_none(Organization.name == "Adventure Works") is not None
    assert summary.created == 3


def test_outlook_csv_in_windows_1252(db_path: Path) -> None:
    with pytest.raises(ImportFailed, match="--encoding"):
        import_csv(CSV / "outlook-contacts.csv")

    summary = import_csv(CSV / "outlook-contacts.csv", encoding="cp1252")

    juergen = contact("Jürgen Müller")
    assert juergen["role"] == "Head of Platform"  # not "Dr.", Outlook's Title column
    assert juergen["organization"] == "Siemens"
    assert juergen["location"] == "München"
    assert juergen["birthday"] == "1988-07-01"
    assert sorted([juergen["phone"], *juergen["other_phones"]]) == [
        "+49 151 23456789",
        "+49 30 1234567",
    ]
    marcus = contact("Marcus O'Neil")
    assert marcus["birthday"] == ""  # Outlook's 0/0/00
    assert marcus["other_emails"] == ["marcus@oneil.example"]
    assert [(w.line, w.reason.split(":")[0]) for w in summary.warnings] == [
        (4, "birthday"),
        (4, "email"),
    ]
    assert contact("Sam Okafor")["role"] == "Recruiter"


def test_a_column_map_and_semicolons(db_path: Path) -> None:
    import_csv(
        CSV / "custom-semicolon.csv",
        mapping="Full Name=name,Employer=organization,Mail=email,Where=location,Labels=tags",
    )

    aisha = contact("Aisha Bello")
    assert (aisha["organization"], aisha["email"], aisha["location"]) == (
        "Contoso, Ltd.",
        "aisha@contoso.example",
        "Lagos",
    )
    assert aisha["tags"] == ["mentor", "hiring"]
    assert count_contacts() == 2


def test_addresses_typed_between_commas_are_several_and_the_summary_reads(
    db_path: Path, tmp_path: Path
) -> None:
    sheet = tmp_path / "typed.csv"
    sheet.write_text(
        "Name,Email,Other emails,Phone\n"
        'Ana Lima,ana@lima.example,"ana@home.example; bad-one, al@work.example",'
        '"+1 650 555 0123, +1 650 555 0199"\n'
    )

    dry = import_csv(sheet, dry_run=True)
    summary = import_csv(sheet)

    ana = contact("Ana Lima")
    assert ana["other_emails"] == ["ana@home.example", "al@work.example"]
    assert ana["other_phones"] == ["+1 650 555 0199"]
    assert dry.lines()[1].startswith("  contacts: 1 to add, 0 to update")
    assert summary.lines()[1].startswith("  contacts: 1 added, 0 updated")
    assert summary.lines()[-1] == "    line 2: email: 'bad-one' is not an email address; left out"


def test_a_row_with_a_company_and_no_name_is_the_company_and_says_what_it_left(
    db_path: Path, tmp_path: Path
) -> None:
    sheet = tmp_path / "with-companies.csv"
    sheet.write_text(
        "Name,Company,Email,Website\n"
        ",NoName Co,hello@noname.example,https://noname.example\n"
        ",Bare Co,,\n"
    )

    summary = import_csv(sheet)

    assert count_contacts() == 0
    org = Organization.get(Organization.name == "NoName Co")
    assert (org.website, org.notes) == ("https://noname.example", "")
    assert [str(w) for w in summary.warnings] == [
        "line 2: no name, so read as the organization 'NoName Co'; its email left out"
    ]


def test_a_map_naming_a_missing_column_or_field_is_refused(db_path: Path) -> None:
    with pytest.raises(ImportFailed, match="no column 'employer name'"):
        import_csv(CSV / "custom-semicolon.csv", mapping="Full Name=name,Employer Name=org")
    with pytest.raises(ValidationError, match="'salary' is not a field"):
        import_csv(CSV / "custom-semicolon.csv", mapping="Full Name=salary")


def test_a_sheet_without_a_name_column_says_how_to_map(db_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "odd.csv"
    path.write_text("Who,Where\nDana,SF\n")

    with pytest.raises(ImportFailed, match="--map"):
        import_csv(path)


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ('=HYPERLINK("http://evil.example")', '\'=HYPERLINK("http://evil.example")'),
        ("+1 415 555 0134", "'+1 415 555 0134"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("Dana", "Dana"),
        ("a=b", "a=b"),
    ],
)
def test_values_a_spreadsheet_would_run_are_neutralized(value: str, shown: str) -> None:
    assert neutralize(value) == shown


def test_the_export_is_spreadsheet_safe_and_reads_back(db_path: Path, tmp_path: Path) -> None:
    create_contact(
        "=cmd|' /C calc'!A0",
        organization="@evil",
        phone="+1 415 555 0134",
        notes="-  a note\nsecond line",
        tags=["a", "b"],
        birthday="--0214",
    )
    text = export_csv()

    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1][:2] == ["'=cmd|' /C calc'!A0", "'@evil"]
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)

    path = tmp_path / "out.csv"
    path.write_text(text)
    again = import_csv(path)
    assert (again.created, again.unchanged) == (0, 1)
    from rapport.db import open_database

    open_database(tmp_path / "fresh.db")
    import_csv(path)
    person = contact("=cmd|' /C calc'!A0")
    assert (person["organization"], person["phone"], person["birthday"]) == (
        "@evil",
        "+1 415 555 0134",
        "--0214",
    )
    assert person["notes"] == "-  a note\nsecond line"
    assert person["tags"] == ["a", "b"]


def test_a_birthday_after_today_is_left_out_with_a_word(db_path: Path, tmp_path: Path) -> None:
    # It came in as a birthday (2030-01-01): a day that has not come cannot be one.
    sheet = tmp_path / "dates.csv"
    sheet.write_text("Name,Birthday\nAna Lima,2030-01-01\nBo Chen,1990-02-14\nCy Ode,--0301\n")
    summary = import_csv(sheet)
    assert [contact(n)["birthday"] for n in ("Ana Lima", "Bo Chen", "Cy Ode")] == [
        "",
        "1990-02-14",
        "--0301",
    ]
    assert summary.lines()[-1] == (
        "    line 2: birthday: '2030-01-01' is after today; give the day they were born "
        "(month and day alone, such as --0214, when the year is not known); left out"
    )
