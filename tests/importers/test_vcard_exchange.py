"""vCards from Google, Apple, Outlook and Android, read field by field; and our own export."""

from __future__ import annotations

from pathlib import Path

import pytest
import vobject
from exchange_helpers import DATA, contact, count_contacts

from rapport.errors import ImportFailed
from rapport.models import Organization
from rapport.services.contacts import create_contact
from rapport.services.exchange import export_vcard, import_linkedin, import_vcard

VCARD = DATA / "vcard"


def test_google_contacts_export(db_path: Path) -> None:
    summary = import_vcard(VCARD / "google.vcf")

    assert summary.created == 2 and not summary.skipped
    assert contact("Dana Whitfield") == {
        "name": "Dana Whitfield",
        "organization": "Northwind Cloud",
        "role": "Director, Platform",
        "email": "dana.whitfield@northwind.example",
        "other_emails": ["dana.w@gmail.com"],
        "phone": "+1 415-555-0134",
        "other_phones": ["(415) 555-0100"],
        "linkedin_url": "https://www.linkedin.com/in/dana-whitfield",
        "location": "San Francisco, CA, US",
        "how_met": "",
        "tags": ["mentors"],  # Google's "myContacts" group is not a tag
        "notes": "Met at KubeCon NA 2025, hallway track.\nAsk about the platform reorg.",
        "connected_on": None,
        "birthday": "1985-02-14",
    }
    hannah = contact("Hannah Berg")
    assert hannah["birthday"] == "--0530"
    assert hannah["tags"] == ["stockholm meetup", "starred"]
    assert hannah["notes"] == "Website: https://hannahberg.dev"


def test_apple_contacts_export_with_groups_items_photo_and_company_card(db_path: Path) -> None:
    summary = import_vcard(VCARD / "apple.vcf")

    priya = contact("Priya Raman")
    assert priya["organization"] == "Contoso, Ltd."
    assert priya["role"] == "VP Engineering"
    assert priya["email"] == "priya@contoso.example"  # type=pref wins
    assert priya["other_emails"] == ["priya.raman@icloud.com"]
    assert priya["phone"] == "+1 (206) 555-0199"
    assert priya["other_phones"] == ["+1 (206) 555-0100"]
    assert priya["linkedin_url"] == "https://www.linkedin.com/in/priyaraman"
    assert priya["location"] == "Seattle, WA, United States"
    assert priya["birthday"] == "--0309"  # X-APPLE-OMIT-YEAR hides 1604
    assert priya["notes"] == (
        "Introduced by Dana.\nLoves talking about SRE hiring; ask about on-call."
    )
    tailspin = Organization.get(Organization.name == "Tailspin Toys")
    assert (tailspin.website, tailspin.notes) == (
        "https://tailspin.example",
        "Hiring platform engineers in 2027.",
    )
    assert count_contacts() == 1  # the company card is an organization, not a person
    assert [s.reason for s in summary.skipped] == ["a contact group, not a person"]


def test_outlook_21_quoted_printable_in_windows_1252_and_unescaped_commas(db_path: Path) -> None:
    import_vcard(VCARD / "outlook.vcf")

    marcus = contact("Marcus O'Neil")
    assert marcus["role"] == "Engineering Manager, Developer Productivity"
    assert marcus["organization"] == "Fabrikam"
    assert marcus["email"] == "marcus.oneil@example.com"  # EMAIL;PREF
    assert marcus["other_emails"] == ["marcus@oneil.example"]
    assert marcus["phone"] == "(425) 555-0100"
    assert marcus["other_phones"] == ["(425) 555-0101"]
    assert marcus["location"] == "Redmond, WA, United States of America"
    assert marcus["notes"] == (
        "Coffee every quarter, likes “platform” talk.\nKids: 2\nWebsite: http://www.fabrikam.example"
    )


def test_android_21_utf8_quoted_printable_photo_and_messy_cards(db_path: Path) -> None:
    summary = import_vcard(VCARD / "android.vcf")

    juergen = contact("Jürgen Müller")
    assert juergen["organization"] == "Siemens"
    assert juergen["phone"] == "+49 151 23456789"
    assert juergen["other_phones"] == ["+49 30 1234567"]
    assert juergen["notes"] == (
        "Getroffen auf der Hannover Messe, sehr hilfsbereit.\nSpricht gern über Kubernetes."
    )
    assert juergen["birthday"] == "1988-07-01"
    amy = contact("Amy Chen")
    assert amy["phone"] == "+1 650 555 0123"  # the vanity number is left out, not the card
    assert [(s.line, s.reason) for s in summary.skipped] == [(18, "no name")]
    assert [w.line for w in summary.warnings] == [24]
    assert "1-800-FLOWERS" in summary.warnings[0].reason


def test_vcard_40_with_pref_numbers_uri_phones_and_kind_org(db_path: Path) -> None:
    import_vcard(VCARD / "vcard4.vcf")

    sam = contact("Sam Okafor")
    assert sam["email"] == "sam.okafor@fastmail.example"  # PREF=1 beats PREF=2
    assert sam["other_emails"] == ["sam@tailspin.example"]
    assert sam["phone"] == "+1-555-555-0142"
    assert sam["birthday"] == "--0214"
    assert sam["tags"] == ["recruiters", "hiring 2027"]
    assert sam["linkedin_url"] == "https://www.linkedin.com/in/sam-okafor"
    works = Organization.get(Organization.name == "Adventure Works")
    assert works.website == "https://adventure-works.example"


def test_linkedin_then_vcard_enriches_the_same_people(db_path: Path) -> None:
    import_linkedin(DATA / "linkedin" / "Connections.csv")

    summary = import_vcard(VCARD / "google.vcf")

    dana = contact("Dana Whitfield")
    assert dana["role"] == "Director of Platform Engineering"  # LinkedIn's stays
    assert dana["email"] == "dana@northwind.example"
    assert dana["other_emails"] == ["dana.whitfield@northwind.example", "dana.w@gmail.com"]
    assert dana["phone"] == "+1 415-555-0134"
    assert dana["birthday"] == "1985-02-14"
    assert dana["tags"] == ["mentors"]
    assert (summary.created, summary.updated) == (1, 1)


def test_a_file_that_is_not_a_vcard_is_refused(db_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "contacts.vcf"
    path.write_text("name,email\nDana,dana@example.com\n")

    with pytest.raises(ImportFailed, match="not a vCard file"):
        import_vcard(path)


def test_a_card_cut_off_at_the_end_is_reported_and_the_rest_imports(
    db_path: Path, tmp_path: Path
) -> None:
    text = (VCARD / "google.vcf").read_text()
    path = tmp_path / "cut.vcf"
    path.write_text(text[: text.rindex("END:VCARD")])

    summary = import_vcard(path)

    assert summary.created == 1
    assert [s.reason for s in summary.skipped] == ["card never ends (END:VCARD missing)"]


def _people(db_path: Path) -> list[dict[str, object]]:
    return [contact(n) for n in ("Dana Whitfield", "Priya Raman", "Jürgen Müller", "Sam Okafor")]


@pytest.mark.parametrize("version", ["4.0", "3.0"])
def test_an_export_reads_back_into_a_new_database_with_every_field(
    db_path: Path, tmp_path: Path, version: str
) -> None:
    from rapport.db import open_database

    for name in ("google.vcf", "apple.vcf", "android.vcf", "vcard4.vcf"):
        import_vcard(VCARD / name)
    import_linkedin(DATA / "linkedin" / "Connections.csv")
    create_contact("Ana =SUM(A1)", how_met="Conference; hallway", tags=["a,b", "x"])
    before = _people(db_path)
    exported = tmp_path / "out.vcf"
    exported.write_text(export_vcard(version))

    # vobject, the library address books in Python use, reads every card.
    cards = list(vobject.readComponents(exported.read_text()))
    assert len(cards) == count_contacts() + 2  # and the two described companies
    assert all(card.version.value == version for card in cards)

    # Back into the same database: nobody is duplicated, nothing changes.
    again = import_vcard(exported)
    assert (again.created, again.updated) == (0, 0)

    open_database(tmp_path / "fresh.db")
    import_vcard(exported)
    assert _people(db_path) == before
    assert contact("Ana =SUM(A1)")["how_met"] == "Conference; hallway"
