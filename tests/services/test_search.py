"""Search: words, prefixes, phrases, accents, and text that must never break it."""

from __future__ import annotations

from pathlib import Path

import pytest

from rapport.errors import ValidationError
from rapport.services import contacts, interviews, orgs
from rapport.services.search import search


def titles(text: str) -> list[str]:
    return [hit.title for hit in search(text)]


def test_finds_people_by_name_organization_role_and_notes(sample_db: Path) -> None:
    assert titles("whitfield")[0] == "Dana Whitfield (Northwind Cloud)"
    assert "Priya Raman (Helio Energy)" in titles("helio")
    assert any("Lena Fischer" in t for t in titles("vp engineering"))
    assert any(h.kind == "interaction" for h in search("strategy"))


def test_prefixes_accents_and_phrases(sample_db: Path) -> None:
    assert any(t.startswith("Tomás Ibáñez") for t in titles("tomas"))
    assert any(t.startswith("Tomás Ibáñez") for t in titles("Ibáñ"))
    assert "Architecture review of the paved-road proposal" in titles('"paved road"')
    assert titles('"road paved"') == []


def test_interview_advice_is_searchable(sample_db: Path) -> None:
    hits = search("wildly successful")
    assert [(h.kind, h.title) for h in hits] == [("interview", "Interview with Tomás Ibáñez")]


def test_or_and_exclusion(sample_db: Path) -> None:
    both = set(titles("kubernetes OR topologies"))
    assert both == set(titles("topologies"))
    assert not any("Dana" in t for t in titles("mentoring -dana"))


def test_the_index_follows_edits_renames_and_deletes(db_path: Path) -> None:
    dana = contacts.create_contact("Dana", organization="Northwind")
    org = orgs.find_organization("northwind")
    orgs.update_organization(org.id, name="Southwind")
    assert titles("southwind") == ["Dana (Southwind)"]
    assert titles("northwind") == []
    interview = interviews.create_interview(dana.id, advice="keep a brag document")
    contacts.update_contact(dana.id, name="Dana Whitfield")
    assert titles("brag") == ["Interview with Dana Whitfield"]
    assert [h.kind for h in search("whitfield")] == ["contact", "interview"]
    interviews.delete_interview(interview.id)
    contacts.delete_contact(dana.id)
    assert titles("whitfield") == []


@pytest.mark.parametrize(
    "text",
    [
        '"',
        "'",
        "*",
        "AND",
        "OR OR",
        "NOT",
        "a AND",
        "NEAR(a b)",
        "title:x",
        'x" OR 1=1 --',
        "(((",
        "^start",
        "-",
        "--",
        "\x00",
        "🙂",
        "שלום",
        "a" * 5000,
        "col:*",
        "{title body}: x",
    ],
)
def test_any_typed_text_answers_or_says_what_to_type(sample_db: Path, text: str) -> None:
    try:
        hits = search(text)
    except ValidationError as exc:
        assert exc.field == "search"
    else:
        assert isinstance(hits, list)
