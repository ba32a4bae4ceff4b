"""Contacts both ways through a vCard vdir: a phone's edits come in, rapport's go out."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import vobject

from rapport.models import Contact
from rapport.services import contacts
from rapport.services.sync_contacts import (
    cards_deleted_elsewhere,
    resolve_deleted_cards,
    sync_contacts,
)


@pytest.fixture
def vdir(db_path: Path, tmp_path: Path) -> Path:
    contacts.create_contact(
        "Dana Whitfield",
        organization="Northwind Cloud",
        role="Director of Platform",
        email="dana@northwind.example",
        phone="+1 415 555 0134",
    )
    contacts.create_contact("Yosef Cohen", email="yosef@example.org")
    folder = tmp_path / "contacts"
    folder.mkdir()
    first = sync_contacts(folder)
    assert first.count("sent") == 2 and first.files_written == 2
    return folder


def card_of(vdir: Path, name: str) -> Path:
    return next(p for p in vdir.glob("*.vcf") if name in p.read_text())


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_bytes().decode()
    assert old in text, old
    path.write_bytes(text.replace(old, new, 1).encode())


def test_nothing_changed_writes_nothing(vdir: Path) -> None:
    before = {p.name: p.stat().st_mtime_ns for p in vdir.iterdir()}
    report = sync_contacts(vdir)
    assert (report.files_written, report.rows_written, report.words()) == (0, 0, "nothing changed")
    assert {p.name: p.stat().st_mtime_ns for p in vdir.iterdir()} == before


def test_a_phone_number_fixed_on_the_phone_comes_back(vdir: Path) -> None:
    dana = card_of(vdir, "Dana")
    edit(dana, "+1 415 555 0134", "+1 415 555 0199")
    edit(dana, "END:VCARD", "X-PHONE-RINGTONE:marimba\r\nEND:VCARD")
    report = sync_contacts(vdir)
    assert report.count("changed") == 1
    assert Contact.get(Contact.name == "Dana Whitfield").phone == "+1 415 555 0199"
    assert sync_contacts(vdir).rows_written == 0
    # A change in rapport goes out onto the same card: the ringtone stays.
    contacts.update_contact(1, role="VP Platform")
    sent = sync_contacts(vdir)
    assert sent.count("sent") == 1 and sent.files_written == 1
    card = vobject.readOne(dana.read_text())
    assert card.title.value == "VP Platform"
    assert card.tel.value == "+1 415 555 0199"
    assert card.contents["x-phone-ringtone"][0].value == "marimba"


def test_a_card_deleted_elsewhere_is_listed_and_archived_on_word(vdir: Path) -> None:
    card_of(vdir, "Yosef").unlink()
    report = sync_contacts(vdir)
    assert report.count("deleted-elsewhere") == 1
    yosef = Contact.get(Contact.name == "Yosef Cohen")
    assert not yosef.archived
    assert [name for _, name, _ in cards_deleted_elsewhere()] == ["Yosef Cohen"]
    resolve_deleted_cards(archive=[yosef.id])
    assert Contact.get_by_id(yosef.id).archived
    assert sync_contacts(vdir).files_written == 0  # no card made again for an archived one


def test_a_card_made_on_the_phone_becomes_a_contact(vdir: Path) -> None:
    card = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:phone-card-1\r\nFN:Priya Raman\r\n"
        "N:Raman;Priya;;;\r\nTEL:+44 20 7946 0000\r\nEND:VCARD\r\n"
    )
    (vdir / "phone-card-1.vcf").write_bytes(card.encode())
    report = sync_contacts(vdir)
    assert report.count("new") == 1
    priya = Contact.get(Contact.name == "Priya Raman")
    assert priya.phone == "+44 20 7946 0000"
    assert sync_contacts(vdir).rows_written == 0
    contacts.update_contact(priya.id, email="priya@example.org")
    assert sync_contacts(vdir).files_written == 1
    assert "priya@example.org" in (vdir / "phone-card-1.vcf").read_text()


def test_a_broken_card_is_named_and_left_alone(vdir: Path) -> None:
    (vdir / "broken.vcf").write_bytes(b"BEGIN:VCARD\r\nFN:No end")
    report = sync_contacts(vdir)
    assert [(c.what, c.title) for c in report.changes] == [("unreadable", "broken.vcf")]
    assert (vdir / "broken.vcf").read_bytes() == b"BEGIN:VCARD\r\nFN:No end"


def test_a_new_card_reads_back_as_what_rapport_recorded(db_path: Path, tmp_path: Path) -> None:
    """The record of a new card is rapport's fields, not a parse: they must be the same."""
    import json

    from rapport.importers.vdir_cards import new_card, read_card
    from rapport.models import SyncState
    from rapport.services.exchange import contact_records

    contacts.create_contact(
        "Ana María de la Cruz",
        organization="Acme, Inc.; Cloud",
        role="Head of Data",
        email="ana@example.com",
        phone="+34 600 000 000",
        location="Madrid",
        birthday="1985-04-12",
        notes="Met at PyCon; likes \\ backslashes,\nand two lines.",
    )
    contacts.create_contact("Li Wei", birthday="--0214")
    folder = tmp_path / "cards"
    sync_contacts(folder, create=True)
    for state in SyncState.select().where(SyncState.vdir == str(folder.resolve())):
        card = read_card(state.href, (folder / state.href).read_bytes())
        assert card.fields == json.loads(state.theirs), card.fields
        # A 4.0 card (one an older export wrote into the vdir) says the same.
        record = next(contact_records(ids=[state.record_id]))
        card = read_card(state.href, new_card(record, "4.0"))
        assert card.fields == json.loads(state.theirs), card.fields


def test_both_sides_changed_the_phone_wins_and_rapports_value_is_kept_in_notes(
    vdir: Path,
) -> None:
    dana = card_of(vdir, "Dana")
    contacts.update_contact(1, role="VP Platform")
    edit(dana, "TITLE:Director of Platform", "TITLE:Head of Platform")
    report = sync_contacts(vdir)
    conflicts = [c for c in report.changes if c.what == "conflict"]
    assert len(conflicts) == 1 and "role in rapport was: 'VP Platform'" in conflicts[0].detail
    record = Contact.get_by_id(1)
    assert record.role == "Head of Platform"
    assert "role in rapport was: 'VP Platform'" in record.notes
    card = vobject.readOne(dana.read_text())
    assert "VP Platform" in card.note.value  # the note on the phone says it too
    assert sync_contacts(vdir).rows_written == 0


def test_a_birthday_set_in_rapport_goes_onto_the_card_as_the_export_writes_it(
    vdir: Path,
) -> None:
    contacts.update_contact(1, birthday="--0214")
    assert sync_contacts(vdir).files_written == 1
    card = vobject.readOne(card_of(vdir, "Dana").read_text())
    assert card.bday.value == "--02-14"  # vCard 3.0's form of a day without a year
    assert sync_contacts(vdir).rows_written == 0


def test_a_birthday_after_today_set_on_the_phone_is_left_out_with_a_word(vdir: Path) -> None:
    # As any field rapport cannot store: the rest of the card comes in, the report
    # says what was left out, and the next sync does not ask again.
    dana = card_of(vdir, "Dana")
    edit(dana, "END:VCARD", "BDAY:20300101\r\nEND:VCARD")
    edit(dana, "Director of Platform", "VP Platform")
    report = sync_contacts(vdir)
    assert [(c.what, c.detail) for c in report.changes] == [
        (
            "unreadable",
            "birthday: '20300101' is after today; give the day they were born "
            "(month and day alone, such as --0214, when the year is not known); left out",
        ),
        ("changed", "role"),
    ]
    dana_now = Contact.get(Contact.name == "Dana Whitfield")
    assert (dana_now.birthday, dana_now.role) == ("", "VP Platform")
    assert sync_contacts(vdir).words() == "nothing changed"


@pytest.fixture
def four_cards(vdir: Path) -> Path:
    contacts.create_contact("Ines Moreau", email="ines@example.org")
    contacts.create_contact("Kofi Mensah", email="kofi@example.org")
    assert sync_contacts(vdir).count("sent") == 2
    return vdir


def test_an_address_book_holding_one_card_of_a_deleted_folder_lists_no_deletions(
    four_cards: Path, tmp_path: Path
) -> None:
    # The synced folder is gone; vdirsyncer downloads another address book holding one card.
    other = tmp_path / "work"
    other.mkdir()
    dana = card_of(four_cards, "Dana")
    (other / dana.name).write_bytes(dana.read_bytes())
    shutil.rmtree(four_cards)
    report = sync_contacts(other)
    assert report.words() == "3 sent, 1 taken over from an earlier folder"
    assert cards_deleted_elsewhere() == []
    assert len(list(other.glob("*.vcf"))) == 4


def test_a_moved_address_book_lists_exactly_the_card_deleted_on_the_phone(
    four_cards: Path, tmp_path: Path
) -> None:
    card_of(four_cards, "Kofi").unlink()
    moved = tmp_path / "moved"
    four_cards.rename(moved)
    report = sync_contacts(moved)
    assert report.words() == (
        "1 deleted elsewhere (kept; confirm with rapport sync deleted), "
        "1 taken over from an earlier folder"
    )
    assert [name for _, name, _ in cards_deleted_elsewhere()] == ["Kofi Mensah"]
    assert report.files_written == 0


def test_an_older_copy_of_an_address_book_keeps_a_number_fixed_on_the_phone(
    vdir: Path, tmp_path: Path
) -> None:
    # The phone stamps Dana's card (REV); a copy of the folder is kept.
    dana = card_of(vdir, "Dana")
    edit(dana, "END:VCARD", "REV:20261101T090000Z\r\nEND:VCARD")
    assert sync_contacts(vdir).words() == "nothing changed"
    older = tmp_path / "older"
    shutil.copytree(vdir, older)
    # Then the phone fixes her number; it comes in.
    edit(dana, "+1 415 555 0134", "+1 415 555 0199")
    edit(dana, "REV:20261101T090000Z", "REV:2026-11-20T10:00:00Z")
    assert sync_contacts(vdir).count("changed") == 1
    # The older copy syncs: its card says it is older, so its old number is not news.
    report = sync_contacts(older)
    assert report.count("changed") == 0
    assert Contact.get(Contact.name == "Dana Whitfield").phone == "+1 415 555 0199"
    assert "+1 415 555 0199" in card_of(older, "Dana").read_text()


def test_a_whole_copy_of_an_address_book_lists_a_card_waiting_for_the_persons_word_once(
    vdir: Path, tmp_path: Path
) -> None:
    card_of(vdir, "Yosef").unlink()
    assert sync_contacts(vdir).count("deleted-elsewhere") == 1
    copy = tmp_path / "copy"
    shutil.copytree(vdir, copy)
    assert sync_contacts(copy).words() == "1 taken over from an earlier folder"
    assert [name for _, name, _ in cards_deleted_elsewhere()] == ["Yosef Cohen"]
