"""Search: words, prefixes, phrases, accents, and text that must never break it."""

from __future__ import annotations

from pathlib import Path

import pytest

from rapport.errors import ValidationError
from rapport.services import contacts, followups, goals, interactions, interviews, orgs
from rapport.services import search as search_service
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
    assert "Architecture review of the paved-road proposal (Jamal Wright)" in titles('"paved road"')
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


def test_goals_and_followups_are_found_and_follow_edits_and_deletes(db_path: Path) -> None:
    dana = contacts.create_contact("Dana Whitfield")
    goal = goals.create_goal(
        "Lead a platform team", why="grow people", measure="a team of six by autumn"
    )
    todo = followups.create_followup(
        "Send the quarterly deck", contact=dana, due="2026-12-01", notes="mention the zephyr pilot"
    )
    assert [(h.kind, h.title) for h in search("platform")] == [("goal", "Lead a platform team")]
    assert [h.kind for h in search("autumn")] == ["goal"]
    assert [(h.kind, h.title, str(h.date)) for h in search("quarterly")] == [
        ("followup", "Send the quarterly deck (Dana Whitfield)", "2026-12-01")
    ]
    assert [h.id for h in search("zephyr")] == [todo.id]
    # What each result is about, for the app to open: the follow-up's person.
    assert [h.contact_id for h in search("zephyr")] == [dana.id]

    goals.update_goal(goal.id, title="Lead an infrastructure team", measure="")
    followups.update_followup(todo.id, title="Send the annual deck", notes="")
    assert titles("platform") == titles("autumn") == titles("quarterly") == titles("zephyr") == []
    assert titles("infrastructure") == ["Lead an infrastructure team"]
    followups.complete_followup(todo.id)
    assert titles("annual") == ["Send the annual deck (Dana Whitfield) [done]"]

    goals.delete_goal(goal.id)
    followups.delete_followup(todo.id)
    assert titles("infrastructure") == titles("annual") == []


def test_names_and_titles_come_before_notes(db_path: Path) -> None:
    contacts.create_contact("Sam Rivers")
    kim = contacts.create_contact("Kim Lee", role="Rivers program lead")
    interactions.log_interaction([kim], summary="Walk by the rivers")
    interactions.log_interaction([kim], notes="Rivers, rivers and more rivers. " * 5)
    hits = [(h.kind, h.title) for h in search("rivers")]
    assert hits[:2] == [("contact", "Sam Rivers"), ("interaction", "Walk by the rivers (Kim Lee)")]
    # Then what matched in a role or in notes only.
    assert set(hits[2:]) == {("contact", "Kim Lee"), ("interaction", "meeting (Kim Lee)")}


def test_only_the_newest_matching_interactions_are_ranked_but_every_person(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search_service, "RECENT_INTERACTIONS", 2)
    dana = contacts.create_contact("Dana", notes="met at the zephyr offsite")
    interviews.create_interview(dana.id, advice="zephyr teams hire in spring")
    logged = [
        interactions.log_interaction([dana], date="2020-01-01", notes=f"zephyr talk {n}")
        for n in range(4)
    ]
    found = {(h.kind, h.id) for h in search("zephyr")}
    assert {i for kind, i in found if kind == "interaction"} == {logged[2].id, logged[3].id}
    assert {kind for kind, _ in found} == {"contact", "interview", "interaction"}


def test_an_excluded_word_also_excludes_title_matches(db_path: Path) -> None:
    kim = contacts.create_contact("Kim Lee")
    interactions.log_interaction([kim], summary="Platform chat", notes="over coffee")
    interactions.log_interaction([kim], summary="Platform review", notes="in the office")
    assert titles("platform -coffee") == ["Platform review (Kim Lee)"]


def test_an_interaction_is_about_the_first_person_logged(db_path: Path) -> None:
    kim = contacts.create_contact("Kim Lee")
    sam = contacts.create_contact("Sam Rivers")
    interactions.log_interaction([kim, sam], summary="Lunch with two")
    assert [(h.kind, h.contact_id) for h in search("lunch")] == [("interaction", kim.id)]


def test_an_interaction_found_says_with_whom(db_path: Path) -> None:
    kim = contacts.create_contact("Kim Lee")
    sam = contacts.create_contact("Sam Rivers")
    ana = contacts.create_contact("Ana Petrović")
    interactions.log_interaction([kim, sam, ana], summary="Lunch with three")
    interactions.log_interaction([ana, kim], summary="Lunch with two")
    interactions.log_interaction([sam], summary="Lunch alone with Sam")
    assert sorted(h.title for h in search("lunch")) == [
        "Lunch alone with Sam (Sam Rivers)",
        "Lunch with three (Kim Lee and 2 more)",
        "Lunch with two (Ana Petrović and 1 more)",
    ]


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


def test_search_on_sqlites_own_connection_is_the_one_on_the_models(
    sample_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The plain `rapport search` opens without peewee (open_database(plain=True))
    # and reads its hits' titles, dates and people by statement there: the same
    # hits, every kind, and not one statement left to the models' connection.
    from rapport.db import close_database, open_database
    from rapport.models import database

    dana = contacts.create_contact("Dana Whitfield Archer", organization="Zephyr Labs")
    contacts.set_archived(dana.id, True)
    done = followups.create_followup("Send Zephyr the deck", due="2026-01-05", contact=dana.id)
    followups.complete_followup(done.id)
    words = ("a", "e", "in", "zephyr", "o", "s", "t", "communication")
    through_models = [search(word, limit=1000) for word in words]
    kinds = {hit.kind for hits in through_models for hit in hits}
    assert kinds == set(search_service.KINDS.values())
    titles = {hit.title for hits in through_models for hit in hits}
    assert {
        "Dana Whitfield Archer (Zephyr Labs) [archived]",
        "Send Zephyr the deck (Dana Whitfield Archer) [done]",
    } <= titles
    close_database()
    open_database(sample_db, plain=True)

    def nowhere(*args: object, **kwargs: object) -> None:
        raise AssertionError("a statement of the search went through the models")

    monkeypatch.setattr(database.obj, "execute_sql", nowhere)
    assert [search(word, limit=1000) for word in words] == through_models
