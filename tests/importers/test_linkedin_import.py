"""LinkedIn's Connections.csv as LinkedIn ships it, read field by field."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest
from exchange_helpers import DATA, contact, count_contacts

from rapport.errors import ImportFailed
from rapport.services.contacts import update_contact
from rapport.services.exchange import import_linkedin

CONNECTIONS = DATA / "linkedin" / "Connections.csv"


def test_the_current_export_with_preamble_bom_and_quotes_is_read_field_by_field(
    db_path: Path,
) -> None:
    summary = import_linkedin(CONNECTIONS)

    assert (summary.created, summary.organizations_created) == (5, 3)
    assert contact("Dana Whitfield") == {
        "name": "Dana Whitfield",
        "organization": "Northwind Cloud",
        "role": "Director of Platform Engineering",
        "email": "dana@northwind.example",
        "other_emails": [],
        "phone": "",
        "other_phones": [],
        "linkedin_url": "https://www.linkedin.com/in/dana-whitfield",
        "location": "",
        "how_met": "LinkedIn",
        "tags": [],
        "notes": "",
        "connected_on": dt.date(2026, 8, 3),
        "birthday": "",
    }
    priya = contact("Priya Raman")
    assert priya["organization"] == "Contoso, Ltd."
    assert priya["role"] == 'VP, Engineering "Platform & Infra"'
    assert priya["email"] == ""
    assert priya["connected_on"] == dt.date(2025, 2, 14)
    marcus = contact("Marcus O'Neil")
    assert marcus["email"] == "marcus.oneil@example.com"
    assert marcus["role"] == "Engineering Manager, Developer Productivity"
    assert contact("Li Wei 🚀")["organization"] == ""


def test_company_names_in_another_case_are_one_organization(db_path: Path) -> None:
    import_linkedin(CONNECTIONS)

    jose = contact("José Álvarez")
    assert jose["organization"] == "Northwind Cloud"  # the file says NORTHWIND CLOUD
    assert jose["connected_on"] == dt.date(2024, 11, 21)


def test_a_row_without_a_name_is_skipped_with_its_line(db_path: Path) -> None:
    summary = import_linkedin(CONNECTIONS)

    assert [(s.line, s.reason.split(" (")[0]) for s in summary.skipped] == [(8, "no name")]
    assert count_contacts() == 5


def test_the_older_layout_without_a_url_column_imports(db_path: Path) -> None:
    import_linkedin(DATA / "linkedin" / "Connections-2019.csv")

    sam = contact("Sam Okafor")
    assert sam["organization"] == "Tailspin Toys"
    assert sam["role"] == "Recruiter"
    assert sam["email"] == "sam.okafor@tailspin.example"
    assert sam["linkedin_url"] == ""
    assert sam["connected_on"] == dt.date(2018, 3, 8)


def test_reimporting_the_same_file_changes_nothing(db_path: Path) -> None:
    import_linkedin(CONNECTIONS)
    before = {name: contact(name) for name in ("Dana Whitfield", "Priya Raman", "José Álvarez")}

    again = import_linkedin(CONNECTIONS)

    assert (again.created, again.updated, again.unchanged) == (0, 0, 5)
    assert count_contacts() == 5
    assert {name: contact(name) for name in before} == before


def test_an_import_fills_empty_fields_but_never_overwrites_what_was_typed(
    db_path: Path,
) -> None:
    import_linkedin(DATA / "linkedin" / "Connections-2019.csv")
    update_contact("Dana Whitfield", role="Mentor, ex-Northwind", notes="Call her about Q3")

    summary = import_linkedin(CONNECTIONS)

    dana = contact("Dana Whitfield")
    assert dana["role"] == "Mentor, ex-Northwind"
    assert dana["notes"] == "Call her about Q3"
    assert dana["connected_on"] == dt.date(2019, 2, 13)  # the first date stays
    assert dana["email"] == "dana@northwind.example"  # was empty: filled
    assert dana["linkedin_url"] == "https://www.linkedin.com/in/dana-whitfield"
    assert summary.updated == 1
    assert count_contacts() == 6


def test_the_zip_linkedin_sends_is_read_from_inside(db_path: Path, tmp_path: Path) -> None:
    archive = tmp_path / "Basic_LinkedInDataExport_11-23-2026.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.write(CONNECTIONS, "Connections.csv")
        zipped.writestr("Profile.csv", "First Name,Last Name\r\nMe,Myself\r\n")

    assert import_linkedin(archive).created == 5


def test_a_vcard_given_as_linkedin_is_refused_in_one_line(db_path: Path) -> None:
    with pytest.raises(ImportFailed, match="not a LinkedIn Connections export"):
        import_linkedin(DATA / "vcard" / "google.vcf")
    assert count_contacts() == 0


def test_a_file_cut_off_in_the_middle_of_a_row_is_said_and_refused_with_strict(
    db_path: Path, tmp_path: Path
) -> None:
    cut = tmp_path / "Connections.csv"
    cut.write_text(
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\r\n"
        "Dana,Whitfield,https://www.linkedin.com/in/dana,,Northwind,Director,03 Aug 2026\r\n"
        "Marcus,O'Neil,https://www.li"
    )
    said = (
        "line 3: the file ends in the middle of this row (3 of 7 values): it looks cut off; "
        "download the export again"
    )

    with pytest.raises(ImportFailed) as caught:
        import_linkedin(cut, strict=True)
    assert str(caught.value) == f"{cut}: {said}; nothing was imported (--strict)"
    assert count_contacts() == 0

    summary = import_linkedin(cut)
    assert [str(s) for s in summary.skipped] == [said]
    assert count_contacts() == 1  # Dana; not a "Marcus O'Neil" with half a profile address


def test_a_zip_with_two_connections_files_names_both(db_path: Path, tmp_path: Path) -> None:
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as out:
        out.write(CONNECTIONS, "Connections.csv")
        out.write(DATA / "linkedin" / "Connections-2019.csv", "old/Connections.csv")

    with pytest.raises(ImportFailed) as caught:
        import_linkedin(archive)

    assert str(caught.value) == (
        f"{archive} holds 2 files called Connections.csv (Connections.csv, "
        "old/Connections.csv); unpack the one to import and import it; nothing was imported"
    )
    assert count_contacts() == 0
