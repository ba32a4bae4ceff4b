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
        # The street and postcode have no field: kept in the notes, under a heading.
        "notes": "Met at KubeCon NA 2025, hallway track.\nAsk about the platform reorg.\n\n"
        "Also in the vCard (no field for it in rapport):\n"
        "Address (home): 1 Market St, San Francisco, CA, 94105, US",
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
        "Introduced by Dana.\nLoves talking about SRE hiring; ask about on-call.\n\n"
        "Also in the vCard (no field for it in rapport):\n"
        "Department: Engineering\n"
        "Address (work): 500 Pine St, Seattle, WA, 98101, United States"
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
        "\n\nAlso in the vCard (no field for it in rapport):\n"
        "Department: Developer Productivity\n"
        "Address (work): 1 Microsoft Way, Redmond, WA, 98052, United States of America"
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


@pytest.mark.parametrize(
    ("version", "apple", "written"),
    [
        ("4.0", False, "BDAY:--0214"),
        ("3.0", False, "BDAY:--02-14"),
        ("3.0", True, "BDAY;X-APPLE-OMIT-YEAR=1604:1604-02-14"),
    ],
)
def test_a_birthday_without_a_year_is_written_as_the_version_defines(
    db_path: Path, tmp_path: Path, version: str, apple: bool, written: str
) -> None:
    create_contact("Dana Whitfield", birthday="--0214")

    text = export_vcard(version, apple_birthdays=apple)

    assert written in text.splitlines()
    assert ("1604" in text) is apple  # no other client is shown a birthday in 1604
    exported = tmp_path / "out.vcf"
    exported.write_text(text)
    from rapport.db import open_database

    open_database(tmp_path / "fresh.db")
    import_vcard(exported)
    assert contact("Dana Whitfield")["birthday"] == "--0214"


KEPT = """BEGIN:VCARD
VERSION:4.0
FN:Lena Park
N:Park;Lena;;;
ORG:Contoso;Research;Applied ML
ADR;TYPE=work:;Building 4;12 Harbor Rd;Oslo;;0150;Norway
ADR;TYPE=home:;;7 Elm St;Bergen;;5003;Norway
END:VCARD
BEGIN:VCARD
VERSION:4.0
KIND:org
FN:Tailspin Toys
ORG:Tailspin Toys
TEL;TYPE=work:+1 206 555 0100
EMAIL:hello@tailspin.example
URL:https://tailspin.example
END:VCARD
BEGIN:VCARD
VERSION:3.0
N:;;;;
FN:Fabrikam
ORG:Fabrikam;
TEL:+1 425 555 0199
X-ABShowAs:COMPANY
END:VCARD
"""


def test_values_without_a_field_are_kept_in_the_notes(db_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "kept.vcf"
    path.write_text(KEPT)

    summary = import_vcard(path)

    # The summary says where they went.
    assert summary.lines()[-7:] == [
        "  6 values kept in the notes",
        "    line 5: Department 'Research, Applied ML' has no field in rapport",
        "    line 6: Address (work) 'Building 4, 12 Harbor Rd, Oslo, 0150, Norway' has no field "
        "in rapport",
        "    line 7: Address (home) '7 Elm St, Bergen, 5003, Norway' has no field in rapport",
        "    line 14: Phone (work) '+1 206 555 0100' has no field in rapport",
        "    line 15: Email 'hello@tailspin.example' has no field in rapport",
        "    line 23: Phone '+1 425 555 0199' has no field in rapport",
    ]

    lena = contact("Lena Park")
    assert (lena["organization"], lena["location"]) == ("Contoso", "Oslo, Norway")
    assert lena["notes"] == (
        "Also in the vCard (no field for it in rapport):\n"
        "Department: Research, Applied ML\n"
        "Address (work): Building 4, 12 Harbor Rd, Oslo, 0150, Norway\n"
        "Address (home): 7 Elm St, Bergen, 5003, Norway"
    )
    tailspin = Organization.get(Organization.name == "Tailspin Toys")
    assert tailspin.website == "https://tailspin.example"
    assert tailspin.notes == (
        "Also in the vCard (no field for it in rapport):\n"
        "Phone (work): +1 206 555 0100\n"
        "Email: hello@tailspin.example"
    )
    fabrikam = Organization.get(Organization.name == "Fabrikam")
    assert "Phone: +1 425 555 0199" in fabrikam.notes


def test_strict_refuses_a_card_whose_values_would_only_be_notes(
    db_path: Path, tmp_path: Path
) -> None:
    path = tmp_path / "kept.vcf"
    path.write_text(KEPT)

    with pytest.raises(ImportFailed) as caught:
        import_vcard(path, strict=True)

    assert str(caught.value) == (
        f"{path}: line 5: Department 'Research, Applied ML' has no field in rapport "
        "(and 5 more); nothing was imported (--strict)"
    )
    assert count_contacts() == 0


def test_given_and_family_names_and_the_uid_are_kept_as_the_source_gives_them(
    db_path: Path, tmp_path: Path
) -> None:
    import csv
    import io
    import json

    from rapport.models import Contact
    from rapport.services.exchange import export_csv, export_json

    card = tmp_path / "sam.vcf"
    card.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:phone-4711\r\nFN:Sam Okafor Jr.\r\n"
        "N:Okafor;Sam;;;Jr.\r\nEND:VCARD\r\n"
    )
    connections = tmp_path / "Connections.csv"
    connections.write_text(
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "Ana,García López,https://www.linkedin.com/in/ana-gl,,,,03 Aug 2026\n"
    )
    import_vcard(card)
    import_linkedin(connections)
    create_contact("Dana Whitfield")  # typed in: its export guesses, as before

    sam = Contact.get(Contact.name == "Sam Okafor Jr.")
    assert (sam.given_name, sam.family_name, sam.vcard_uid) == ("Sam", "Okafor", "phone-4711")
    vcard = export_vcard("3.0").splitlines()
    assert "UID:phone-4711" in vcard  # the address book updates its card, not a copy
    assert "N:Okafor;Sam;;;" in vcard  # not "Jr." as the family name
    assert "N:García López;Ana;;;" in vcard
    assert "N:Whitfield;Dana;;;" in vcard
    rows = {r["name"]: r for r in csv.DictReader(io.StringIO(export_csv()))}
    assert [(rows[n]["given_name"], rows[n]["family_name"]) for n in sorted(rows)] == [
        ("Ana", "García López"),
        ("Dana", "Whitfield"),
        ("Sam", "Okafor"),
    ]
    assert rows["Sam Okafor Jr."]["vcard_uid"] == "phone-4711"
    stored = {c["name"]: c for c in json.loads(export_json())["tables"]["contact"]}
    assert (
        stored["Ana García López"]["given_name"],
        stored["Ana García López"]["family_name"],
    ) == (
        "Ana",
        "García López",
    )
    assert stored["Sam Okafor Jr."]["vcard_uid"] == "phone-4711"


def test_after_a_rename_the_exports_give_the_new_names_parts_not_the_sources(
    db_path: Path, tmp_path: Path
) -> None:
    import csv
    import io
    import json

    from rapport.services.contacts import update_contact
    from rapport.services.exchange import export_csv, export_json

    card = tmp_path / "ana.vcf"
    card.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana García López\r\nN:García López;Ana;;;\r\n"
        "END:VCARD\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nFN:Sam Okafor Jr.\r\n"
        "N:Okafor;Sam;;;Jr.\r\nEND:VCARD\r\n"
    )
    import_vcard(card)

    update_contact("Ana García López", name="Anabel García López")
    update_contact("Sam Okafor Jr.", name="Dr. Sam Okafor Jr.")  # still his name's words

    vcard = export_vcard("3.0").splitlines()
    assert "N:López;Anabel García;;;" in vcard  # guessed, as for a name typed in
    assert "N:Okafor;Sam;;;" in vcard
    stored = json.loads(export_json())["tables"]["contact"]
    assert [(c["given_name"], c["family_name"]) for c in stored] == [("", ""), ("Sam", "Okafor")]
    rows = {r["name"]: r for r in csv.DictReader(io.StringIO(export_csv()))}
    assert (
        rows["Anabel García López"]["given_name"],
        rows["Anabel García López"]["family_name"],
    ) == (
        "Anabel García",
        "López",
    )


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Anabel García López", ("Anabel García", "López")),  # "Ana" is inside a word only
        ("Ana García López", ("Ana", "García López")),
        ("García López Ana", ("Ana", "García López")),  # family name first
        ("Ana García Lópezova", ("Ana García", "Lópezova")),
    ],
)
def test_the_sources_name_parts_are_kept_only_as_whole_words_of_the_name(
    name: str, expected: tuple[str, str]
) -> None:
    from rapport.importers._identity import name_parts

    assert name_parts(name, "Ana", "García López") == expected


def test_the_uid_of_a_40_card_is_kept_and_written_again(db_path: Path) -> None:
    from rapport.models import Contact

    import_vcard(VCARD / "vcard4.vcf")

    assert Contact.get(Contact.name == "Sam Okafor").vcard_uid == (
        "8a8e2c1e-4b0f-4bd5-9d5b-0b6f6f0e2a11"
    )
    assert "UID:8a8e2c1e-4b0f-4bd5-9d5b-0b6f6f0e2a11" in export_vcard().splitlines()


def test_a_card_is_found_again_by_its_uid_after_its_name_and_email_changed(
    db_path: Path, tmp_path: Path
) -> None:
    from rapport.models import Contact

    card = tmp_path / "sam.vcf"
    card.write_text(
        "BEGIN:VCARD\r\nVERSION:4.0\r\nUID:phone-4711\r\nFN:Sam Okafor\r\n"
        "EMAIL:sam@tailspin.example\r\nEND:VCARD\r\n"
    )
    import_vcard(card)
    dana = create_contact("Dana Whitfield")
    exported = tmp_path / "all.vcf"
    exported.write_text(export_vcard())
    # Renamed and given new addresses on the phone; the cards keep their UIDs.
    exported.write_text(
        exported.read_text()
        .replace("FN:Sam Okafor", "FN:Samuel Okafor")
        .replace("sam@tailspin.example", "samuel@okafor.example")
        .replace("FN:Dana Whitfield", "FN:Dana W.")
    )

    summary = import_vcard(exported)

    assert (summary.created, count_contacts()) == (0, 2)
    sam = Contact.get(Contact.vcard_uid == "phone-4711")
    assert (sam.name, sam.email) == ("Sam Okafor", "sam@tailspin.example")  # nothing overwritten
    assert sam.other_emails == "samuel@okafor.example"
    assert Contact.get_by_id(dana.id).name == "Dana Whitfield"


def test_two_people_whose_cards_share_a_uid_stay_two_people(db_path: Path, tmp_path: Path) -> None:
    from rapport.models import Contact

    path = tmp_path / "reused.vcf"
    path.write_text(
        "".join(
            f"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:abc-1\r\n{lines}END:VCARD\r\n"
            for lines in (
                "FN:Ann Lee\r\nEMAIL:ann@x.org\r\n",
                "FN:Bob Stone\r\nEMAIL:bob@y.org\r\n",
                "FN:Ann Lee\r\nTEL:+1 555 0100\r\n",
            )
        )
    )

    summary = import_vcard(path)

    assert summary.created == 2
    ann = Contact.get(Contact.name == "Ann Lee")
    bob = Contact.get(Contact.name == "Bob Stone")
    assert (ann.email, ann.other_emails, ann.phone) == ("ann@x.org", "", "+1 555 0100")
    assert (bob.email, bob.vcard_uid) == ("bob@y.org", "")  # the UID stays Ann's alone
    assert export_vcard("3.0").count("UID:abc-1") == 1


def test_a_card_skipped_later_leaves_what_earlier_cards_kept_in_the_notes_listed(
    db_path: Path, tmp_path: Path
) -> None:
    path = tmp_path / "two.vcf"
    path.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Lena Park\r\nORG:Contoso;Research\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nN:;;;;\r\nADR:;;1 Main St;;;;\r\nEND:VCARD\r\n"
    )

    summary = import_vcard(path)

    assert [str(n) for n in summary.noted] == [
        "line 4: Department 'Research' has no field in rapport"
    ]
    with pytest.raises(ImportFailed, match="line 4: Department 'Research'"):
        import_vcard(path, strict=True)


def test_a_birthday_after_today_is_left_out_with_a_word(db_path: Path, tmp_path: Path) -> None:
    # BDAY:20300101 came in as the birthday; --MMDD (no year) is a birthday as ever.
    path = tmp_path / "cards.vcf"
    path.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana Lima\r\nBDAY:20300101\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Bo Chen\r\nBDAY:--0214\r\nEND:VCARD\r\n"
    )
    summary = import_vcard(path)
    assert (contact("Ana Lima")["birthday"], contact("Bo Chen")["birthday"]) == ("", "--0214")
    assert summary.lines()[-1] == (
        "    line 4: birthday: '20300101' is after today; give the day they were born "
        "(month and day alone, such as --0214, when the year is not known); left out"
    )
