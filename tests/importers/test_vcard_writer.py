"""rapport writes vCards itself, not through vobject: vobject is the judge here.

For ASCII text the bytes are vobject's; lines are folded at 75 octets and
never inside a UTF-8 sequence; every card parses and reads back the same.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import vobject

from rapport.importers.vcard import contact_card, fold, organization_card
from rapport.services.contacts import create_contact
from rapport.services.exchange import export_vcard, import_vcard


def _vobject_card(kind: str, values: dict[str, Any], version: str, apple: bool = False) -> str:
    """The card as rapport wrote it through vobject before it wrote vCards itself."""
    from rapport.importers._identity import name_parts
    from rapport.importers.vcard import _preferred, stable_uid

    card = vobject.vCard()

    def add(name: str, value: Any, **params: Any) -> None:
        prop = card.add(name)
        prop.value = value
        for key, param in params.items():
            prop.params[key.upper().replace("_", "-")] = param

    def add_uri(value: str) -> None:
        # A URL is a URI value, not TEXT (RFC 6350 5.1, 6.7.8): written as is,
        # where vobject would escape its commas as text.
        prop = card.add("url")
        prop.value = value
        prop.encoded = True

    if kind == "contact":
        given, family = name_parts(values["name"], values["given_name"], values["family_name"])
    else:
        given, family = "", values["name"]
    add("version", version)
    add("prodid", "-//rapport//rapport//EN")
    add("uid", stable_uid(kind, values))
    add("fn", values["name"])
    add("n", vobject.vcard.Name(family=family, given=given))
    if kind == "organization":
        add("org", [values["name"]])
        add("kind", "org") if version == "4.0" else add("x-abshowas", "COMPANY")
        if values["website"]:
            add_uri(values["website"])
        if values["notes"]:
            add("note", values["notes"])
        return str(card.serialize())
    if values["organization"]:
        add("org", [values["organization"]])
    if values["role"]:
        add("title", values["role"])
    internet = [] if version == "4.0" else ["INTERNET"]
    emails = [e for e in [values["email"], *values["other_emails"].split("\n")] if e]
    for index, address in enumerate(emails):
        add("email", address, **_preferred(version, index, internet))
    phones = [p for p in [values["phone"], *values["other_phones"].split("\n")] if p]
    for index, number in enumerate(phones):
        add("tel", number, **_preferred(version, index, []))
    if values["linkedin_url"]:
        add_uri(values["linkedin_url"])
    if values["location"]:
        add("adr", vobject.vcard.Address(city=values["location"]))
    if values["notes"]:
        add("note", values["notes"])
    if values["tags"]:
        add("categories", values["tags"].split(","))
    birthday = values["birthday"]
    month_day = birthday.startswith("--")
    if month_day and apple:
        add("bday", f"1604-{birthday[2:4]}-{birthday[4:6]}", x_apple_omit_year=["1604"])
    elif birthday and version == "4.0":
        add("bday", birthday if month_day else birthday.replace("-", ""))
    elif month_day:
        add("bday", f"--{birthday[2:4]}-{birthday[4:6]}")
    elif birthday:
        add("bday", birthday)
    if values["how_met"]:
        add("x-rapport-how-met", values["how_met"])
    if values["connected_on"]:
        add("x-rapport-connected-on", values["connected_on"].isoformat())
    return str(card.serialize())


def _contact(**changes: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "id": 7,
        "created_at": dt.datetime(2026, 1, 2, 3, 4, 5),
        "name": "Dana Whitfield",
        "given_name": "",
        "family_name": "",
        "vcard_uid": "",
        "organization": "Northwind; Research, Inc.",
        "role": "Staff Engineer",
        "email": "dana@northwind.example",
        "other_emails": "d.w@home.example\nold@x.example",
        "phone": "+1 555 0100",
        "other_phones": "+1 555 0199",
        "linkedin_url": "https://www.linkedin.com/in/dana,w",
        "location": "Portland, OR",
        "notes": "Met at PyCon; talked about C:\\paths, commas, and\nline\r\nbreaks. " * 4,
        "tags": "mentor,platform;team,back\\slash",
        "birthday": "1980-02-14",
        "how_met": "Conference; hallway",
        "connected_on": dt.date(2021, 5, 6),
    }
    return values | changes


CONTACTS = [
    _contact(),
    _contact(birthday="--0214"),
    _contact(given_name="Dana", family_name="Whitfield", vcard_uid="urn:uuid:from-the-phone"),
    _contact(name="Anna Maria de la Cruz", given_name="Anna Maria", family_name="de la Cruz"),
    _contact(
        birthday="",
        other_emails="",
        other_phones="",
        phone="",
        email="",
        organization="",
        role="",
        linkedin_url="",
        location="",
        notes="",
        tags="",
        how_met="",
        connected_on=None,
        name="Prince",
    ),
    _contact(notes="x" * 74, how_met="y" * 75, role="z" * 76, location="w" * 300),
]


@pytest.mark.parametrize("version", ["4.0", "3.0"])
@pytest.mark.parametrize(
    "values", CONTACTS, ids=["full", "no year", "uid", "names", "bare", "long lines"]
)
def test_a_contact_card_is_the_bytes_vobject_writes(values: dict[str, Any], version: str) -> None:
    assert contact_card(values, version) == _vobject_card("contact", values, version)
    assert contact_card(values, version, apple_birthdays=True) == _vobject_card(
        "contact", values, version, apple=True
    )


@pytest.mark.parametrize("version", ["4.0", "3.0"])
def test_a_company_card_is_the_bytes_vobject_writes(version: str) -> None:
    values = {
        "id": 3,
        "created_at": dt.datetime(2025, 1, 1),
        "name": "Northwind; Research, Inc.",
        "website": "https://northwind.example/a,b",
        "notes": "Hiring in Q3;\nask Dana. " * 10,
    }
    assert organization_card(values, version) == _vobject_card("organization", values, version)


WIDE = "Jürgen Müller — 名前の長いメモ、🙂 emoji und Umlaute: äöü ß " * 6


@pytest.mark.parametrize("text", [WIDE, "a" + WIDE, "ab" + WIDE, "🙂" * 40, "é" * 80])
def test_lines_are_folded_at_75_octets_never_inside_a_character(text: str) -> None:
    folded = fold(f"NOTE:{text}").encode()

    lines = folded.split(b"\r\n")
    assert lines[-1] == b""
    assert all(len(line) <= 75 for line in lines)
    assert all(line.startswith(b" ") for line in lines[1:-1])
    for line in lines:
        line.decode()  # each line is whole UTF-8
    unfolded = folded.decode().replace("\r\n ", "").removesuffix("\r\n")
    assert unfolded == f"NOTE:{text}"


@pytest.mark.parametrize("version", ["4.0", "3.0"])
def test_wide_text_reads_back_through_vobject_and_rapport(
    db_path: Path, tmp_path: Path, version: str
) -> None:
    from rapport.db import open_database
    from rapport.models import Contact

    create_contact(
        "Jürgen Müller-Lüdenscheidt 名前",
        notes=WIDE + "\nzweite Zeile; mit, Zeichen\\",
        how_met="Über einen Freund; " + "友達" * 18,  # under 75 characters, over 75 octets
        tags=["größe", "東京"],
    )
    path = tmp_path / "wide.vcf"
    path.write_text(export_vcard(version), encoding="utf-8")

    card = next(vobject.readComponents(path.read_text(encoding="utf-8")))
    assert card.fn.value == "Jürgen Müller-Lüdenscheidt 名前"
    assert card.note.value == WIDE + "\nzweite Zeile; mit, Zeichen\\"
    assert all(len(line) <= 75 for line in path.read_bytes().split(b"\r\n"))

    before = Contact.select().dicts().get()
    open_database(tmp_path / "fresh.db")
    import_vcard(path)
    after = Contact.select().dicts().get()
    for field in ("name", "notes", "how_met", "tags"):
        assert after[field] == before[field]


@pytest.mark.parametrize("version", ["4.0", "3.0"])
def test_a_url_is_written_as_is_not_escaped_as_text(
    db_path: Path, tmp_path: Path, version: str
) -> None:
    from rapport.models import Contact

    create_contact("Zoe Park", linkedin_url="https://www.linkedin.com/in/zo,e")
    path = tmp_path / "zoe.vcf"
    path.write_text(export_vcard(version), encoding="utf-8")

    assert "URL:https://www.linkedin.com/in/zo,e" in path.read_text().splitlines()
    Contact.delete().execute()
    import_vcard(path)
    assert Contact.get().linkedin_url == "https://www.linkedin.com/in/zo,e"
