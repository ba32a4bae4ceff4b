"""Contacts' skills travel with them: CSV and vCard out and back, a "Skills" column in.

What a person notices: exporting their network and importing it elsewhere
keeps who knows what (as marks to confirm, since a file said so, not they);
a spreadsheet's "Skills" column fills expertise; a level off the scale is
left out with its line number, the rest of the row kept.
"""

from __future__ import annotations

from pathlib import Path

from rapport.db import close_database, open_database
from rapport.models import Contact, Expertise, Skill
from rapport.services.contacts import create_contact
from rapport.services.exchange import export_csv, export_vcard, import_csv, import_vcard

DEMO_EXPERTS = [
    ("Aiko Tanaka", "Budgeting", 4),
    ("Aiko Tanaka", "Hiring", 4),
    ("Dana Whitfield", "Hiring", 5),
    ("Dana Whitfield", "Platform architecture", 5),
]


def marks(confirmed: bool | None = None) -> list[tuple[str, str, int | None]]:
    query = Expertise.select(Contact.name, Skill.name, Expertise.level).join_from(
        Expertise, Contact
    )
    query = query.join_from(Expertise, Skill)
    if confirmed is not None:
        query = query.where(Expertise.confirmed == confirmed)
    return sorted(query.tuples())


def test_csv_and_vcard_exports_carry_expertise_back(sample_db: Path, tmp_path: Path) -> None:
    before = marks()
    assert set(DEMO_EXPERTS) <= set(before)
    (tmp_path / "all.csv").write_text(export_csv(), encoding="utf-8")
    (tmp_path / "all.vcf").write_text(export_vcard(), encoding="utf-8")
    assert "X-RAPPORT-EXPERTISE;LEVEL=5:Hiring" in export_vcard("3.0")

    for name, importer in (("all.csv", import_csv), ("all.vcf", import_vcard)):
        close_database()
        open_database(tmp_path / f"{name}.db")
        summary = importer(tmp_path / name)
        # Marked from a file: the same people and levels, waiting to be confirmed.
        assert marks(confirmed=False) == before, name
        assert summary.expertise == len(before)
        assert f"skills: {len(before)} skills marked on contacts, unconfirmed" in "\n".join(
            summary.lines()
        )
        # The same file again marks nothing twice.
        assert importer(tmp_path / name).expertise == 0


def test_a_skills_column_fills_expertise(db_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text(
        "Name,Company,Skills\n"
        'Dana,Northwind,"SQL; Hiring (4), kubernetes: expert"\n'
        "Priya,Helio,Go (9); sql\n",
        encoding="utf-8",
    )
    summary = import_csv(path)
    assert marks() == [
        ("Dana", "Hiring", 4),
        ("Dana", "SQL", None),
        ("Dana", "kubernetes", 5),
        ("Priya", "SQL", None),
    ]
    assert [(w.line, w.reason) for w in summary.warnings] == [
        (
            3,
            "expertise: must be on the scale 1 aware, 2 learning, 3 practised, 4 strong, "
            "5 expert (got '9'); left out",
        )
    ]
    assert Skill.select().count() == 3  # "sql" found the SQL of the row before


def test_rfc_6715_expertise_is_read_on_rapports_scale(db_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "one.vcf"
    path.write_text(
        "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Ruth Abebe\r\n"
        "EXPERTISE;LEVEL=beginner:chemistry\r\nEXPERTISE;LEVEL=expert:distributed systems\r\n"
        "END:VCARD\r\n",
        encoding="utf-8",
    )
    import_vcard(path)
    assert marks() == [("Ruth Abebe", "chemistry", 2), ("Ruth Abebe", "distributed systems", 5)]


def test_skills_land_on_the_people_imported_after_the_newest_contact_was_deleted(
    db_path: Path, tmp_path: Path
) -> None:
    # The import counted on SQLite numbering new contacts right after the largest
    # id there; a deleted contact's number is not given again (migration 0017),
    # so Dana's skill was marked on the contact after her, or on nobody.
    from rapport.services.contacts import delete_contact

    create_contact("Ana Lima")
    delete_contact(create_contact("Gone Soon").id)
    path = tmp_path / "people.csv"
    path.write_text("Name,Skills\nDana,Hiring (4)\nPriya,SQL\n", encoding="utf-8")
    import_csv(path)
    assert marks() == [("Dana", "Hiring", 4), ("Priya", "SQL", None)]
