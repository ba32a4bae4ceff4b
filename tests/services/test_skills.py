"""The self-assessment and the gaps: ratings as a history, needs with steps, who closes a gap.

What a person notices: the level they gave last is the one shown, with how it
moved; a goal shows what it and its steps still lack; the people who can help
come warmest first with the reason for the next step; bad input is refused
with words that name the scale or the nearest skill, and nothing is written.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from rapport.errors import NotFound, RapportError, ValidationError
from rapport.models import Expertise, GoalNeed, Skill, SkillRating
from rapport.services import candidates as candidate_service
from rapport.services import contacts, events, gaps, goals, interactions, interviews, links
from rapport.services import expertise as expertise_service
from rapport.services import needs as need_service
from rapport.services import self_assessment as assessment_service
from rapport.services import skills as skill_service
from rapport.services.search import search

TODAY = dt.date(2026, 11, 23)  # the frozen clock's day (tests/conftest.py)


def days_ago(n: int) -> str:
    return (TODAY - dt.timedelta(days=n)).isoformat()


def test_ratings_are_a_history_and_the_latest_is_the_level(db_path: Path) -> None:
    assessment_service.rate_skill("SQL", 2, date=days_ago(90), note="first course")
    assessment_service.rate_skill("sql", "practised", date=days_ago(10))
    result = assessment_service.rate_skill("Sql", "4", note="ran the migration at work")

    assert result.new_skill is False and result.previous is not None
    assert result.previous.level == 3
    history = assessment_service.skill_history("SQL")
    assert [(r.date, r.label) for r in history.ratings] == [
        (TODAY - dt.timedelta(days=90), "2 learning"),
        (TODAY - dt.timedelta(days=10), "3 practised"),
        (TODAY, "4 strong"),
    ]
    (rated,) = assessment_service.self_assessment().skills
    assert (rated.name, rated.label, rated.trend, rated.rated_on) == (
        "SQL",
        "4 strong",
        "up",
        TODAY,
    )
    assert Skill.select().count() == 1


@pytest.mark.parametrize(
    ("typed", "level"), [("1", 1), (5, 5), ("Strong", 4), ("practiced", 3), ("exp", 5)]
)
def test_levels_are_numbers_or_names(typed: object, level: int) -> None:
    assert skill_service.parse_level(typed) == level


@pytest.mark.parametrize("typed", ["0", "6", "great", "", "-1"])
def test_a_level_off_the_scale_names_the_scale(typed: str) -> None:
    with pytest.raises(ValidationError) as caught:
        skill_service.parse_level(typed)
    assert "1 aware, 2 learning, 3 practised, 4 strong, 5 expert" in str(caught.value)


def test_a_rating_to_come_or_off_the_scale_writes_nothing(db_path: Path) -> None:
    with pytest.raises(ValidationError, match=r"date: .* is still to come"):
        assessment_service.rate_skill("Kubernetes", 2, date="tomorrow")
    with pytest.raises(ValidationError, match="level"):
        assessment_service.rate_skill("Kubernetes", 7)
    assert Skill.select().count() == 0 and SkillRating.select().count() == 0


def test_an_unknown_skill_suggests_the_nearest_names(db_path: Path) -> None:
    assessment_service.rate_skill("Kubernetes", 2)
    assessment_service.rate_skill("Public speaking", 3)
    with pytest.raises(NotFound, match="did you mean 'Kubernetes'"):
        assessment_service.skill_history("Kubernets")


def test_the_same_need_twice_updates_it(db_path: Path) -> None:
    goal = goals.create_goal("Lead a platform team")
    _, created = need_service.set_need(goal.id, "Hiring", 3)
    again, created_again = need_service.set_need(goal.id, "hiring", "strong")
    assert (created, created_again) == (True, False)
    assert [(n.skill.name, n.level) for n in GoalNeed.select(GoalNeed, Skill).join(Skill)] == [
        ("Hiring", 4)
    ]
    assert again.target == 4


def test_a_goal_shows_its_own_needs_and_its_steps_with_the_gap(db_path: Path) -> None:
    goal = goals.create_goal("Lead a platform team")
    step = goals.create_goal("Run a hiring loop", parent=goal.id)
    assessment_service.rate_skill("SQL", 2)
    assessment_service.rate_skill("Writing", 5)
    need_service.set_need(goal.id, "SQL", 4)
    need_service.set_need(goal.id, "Writing", 3)
    need_service.set_need(step.id, "Interviewing", 3)

    needs = need_service.goal_needs(goal.id)

    assert [(n.skill, n.step, n.current, n.target, n.gap, n.gap_words) for n in needs] == [
        ("SQL", False, 2, 4, 2, "2 levels to go"),
        ("Writing", False, 5, 3, 0, "met"),
        ("Interviewing", True, None, 3, None, "not rated yet"),
    ]
    assert [n.skill for n in need_service.goal_needs(step.id)] == ["Interviewing"]


def test_candidates_come_from_profiles_and_interviews_with_what_matched(db_path: Path) -> None:
    noted = contacts.create_contact("Ana Ops", notes="runs Kubernetes clusters at Acme")
    titled = contacts.create_contact("Ben Builder", role="Kubernetes engineer")
    advised = contacts.create_contact("Cy Coach")
    interviews.create_interview(advised, advice="learn kubernetes before anything else")
    marked = contacts.create_contact("Dee Done", notes="kubernetes expert")
    contacts.create_contact("Kubernetes Karl")  # the name is no sign of the skill
    contacts.create_contact("Eve Else", notes="python and go")
    expertise_service.set_expertise(marked, "Kubernetes", level=5)

    found = candidate_service.candidates("kubernetes")

    assert {c.name for c in found} == {"Ana Ops", "Ben Builder", "Cy Coach"}
    by_name = {c.name: c for c in found}
    assert by_name["Ana Ops"].matched == ("runs [Kubernetes] clusters at Acme",)
    assert by_name["Cy Coach"].matched == ("interview: learn [kubernetes] before anything else",)
    assert by_name["Ben Builder"].role == "Kubernetes engineer"

    candidate_service.confirm_candidates("Kubernetes", [noted.id, titled.id])
    assert {c.name for c in candidate_service.candidates("kubernetes")} == {"Cy Coach"}
    assert Expertise.select().where(Expertise.confirmed == True).count() == 3  # noqa: E712


def test_confirming_an_unknown_contact_writes_nothing(db_path: Path) -> None:
    ana = contacts.create_contact("Ana Ops", notes="kubernetes")
    assessment_service.rate_skill("Kubernetes", 1)
    with pytest.raises(NotFound):
        candidate_service.confirm_candidates("Kubernetes", [ana.id, 999])
    assert Expertise.select().count() == 0


def test_search_finds_skills_by_name_and_rating_notes(db_path: Path) -> None:
    assessment_service.rate_skill("Terraform", 2, note="modules for the staging account")
    assert [(h.kind, h.title) for h in search("staging")] == [("skill", "Terraform")]
    assessment_service.set_trait("value", "autonomy", note="choosing my own problems")
    assert [(h.kind, h.title) for h in search("autonomy")] == [("trait", "autonomy (value)")]


def test_merge_keeps_the_history_and_the_old_name_finds_it(db_path: Path) -> None:
    goal = goals.create_goal("Lead a platform team")
    dana = contacts.create_contact("Dana")
    assessment_service.rate_skill("Postgres", 2, date=days_ago(30))
    assessment_service.rate_skill("SQL", 3)
    need_service.set_need(goal.id, "Postgres", 5)
    need_service.set_need(goal.id, "SQL", 3)
    expertise_service.set_expertise(dana, "Postgres", level=4)

    moved = skill_service.merge_skills("SQL", "postgres")

    assert moved.words() == "1 rating, 1 goal need, 1 contact's expertise"
    assert [r.level for r in assessment_service.skill_history("Postgres").ratings] == [2, 3]
    assert skill_service.resolve_skill("postgres").name == "SQL"
    assert [(n.skill, n.target) for n in need_service.goal_needs(goal.id)] == [("SQL", 5)]
    assert [s.name for s in skill_service.list_skills()] == ["SQL"]


def test_gaps_list_helpers_confirmed_first_then_warmest(db_path: Path) -> None:
    goal = goals.create_goal("Lead a platform team")
    assessment_service.rate_skill("SQL", 2)
    need_service.set_need(goal.id, "SQL", 4)
    cold = contacts.create_contact("Carl Cold", cadence_days=30)
    warm = contacts.create_contact("Wendy Warm", cadence_days=30)
    never = contacts.create_contact("Nina Never")
    weak = contacts.create_contact("Walt Weak")
    contacts.create_contact("Cody Candidate", notes="writes SQL all day")
    interactions.log_interaction([cold], date=days_ago(100))
    interactions.log_interaction([warm], date=days_ago(3))
    for person, level in ((cold, 5), (warm, 4), (never, None), (weak, 2)):
        expertise_service.set_expertise(person, "SQL", level=level)
    links.link_goal(goal.id, contact=warm, role="mentor")

    (report,) = gaps.gaps_report().goals
    (gap,) = report.gaps

    assert [(h.name, h.source, h.warmth, h.role) for h in gap.people] == [
        ("Wendy Warm", "confirmed", "warm", "mentor"),
        ("Carl Cold", "confirmed", "cold", ""),
        ("Nina Never", "confirmed", "never", ""),
        ("Cody Candidate", "candidate", "never", ""),
    ]
    assert gap.next_step is not None
    assert gap.next_step.action == "ask Wendy Warm to review your SQL"
    assert gap.next_step.reason == (
        "Wendy Warm knows SQL at 4 strong (you need 4 strong) and is warm "
        "(last contacted 3 days ago)"
    )


def test_a_cold_helper_means_reconnect(db_path: Path) -> None:
    goal = goals.create_goal("Lead a platform team")
    need_service.set_need(goal.id, "Hiring", 3)
    cold = contacts.create_contact("Carl Cold", cadence_days=30)
    interactions.log_interaction([cold], date=days_ago(100))
    expertise_service.set_expertise(cold, "Hiring", level=5)

    (gap,) = gaps.gaps_report(goal.id).goals[0].gaps

    assert gap.need.gap is None  # not rated yet: the whole target is the gap
    assert gap.next_step is not None
    assert gap.next_step.action == "reconnect with Carl Cold, who has Hiring"
    assert "is cold (last contacted 100 days ago)" in gap.next_step.reason


def test_a_helper_due_a_touch_is_said_in_words(db_path: Path) -> None:
    goal = goals.create_goal("Lead a platform team")
    need_service.set_need(goal.id, "Hiring", 3)
    due = contacts.create_contact("Dee Due", cadence_days=30)
    interactions.log_interaction([due], date=days_ago(40))
    expertise_service.set_expertise(due, "Hiring", level=5)

    (gap,) = gaps.gaps_report(goal.id).goals[0].gaps

    assert gap.next_step is not None
    assert gap.next_step.reason == (
        "Dee Due knows Hiring at 5 expert (you need 3 practised), "
        "but a touch is due (last contacted 40 days ago)"
    )


def test_gaps_nobody_covers_come_first_with_a_way_to_find_someone(db_path: Path) -> None:
    goal = goals.create_goal("Lead a platform team")
    priya = contacts.create_contact("Priya")
    links.link_goal(goal.id, contact=priya, role="mentor")
    assessment_service.rate_skill("SQL", 1)
    need_service.set_need(goal.id, "SQL", 2)
    need_service.set_need(goal.id, "Kubernetes", 3)
    need_service.set_need(goal.id, "Terraform", 3)
    expertise_service.set_expertise(priya, "SQL", level=3)
    events.create_event("Terraform Day", start=days_ago(-10), notes="all about terraform")

    report = gaps.gaps_report()
    (one,) = report.goals

    assert [(g.need.skill, g.uncovered) for g in one.gaps] == [
        ("Kubernetes", True),
        ("Terraform", True),
        ("SQL", False),
    ]
    kube, terraform, _ = one.gaps
    assert kube.next_step is not None and terraform.next_step is not None
    assert kube.next_step.action == "ask Priya for an introduction to someone who knows Kubernetes"
    assert kube.next_step.reason == "nobody you know has Kubernetes; Priya backs this goal (mentor)"
    assert terraform.next_step.action == "go to Terraform Day (Thu 3 Dec)"
    assert [gap.need.skill for _, gap in report.uncovered] == ["Kubernetes", "Terraform"]


def test_a_met_need_is_no_gap(db_path: Path) -> None:
    goal = goals.create_goal("Lead a platform team")
    assessment_service.rate_skill("Writing", 5)
    need_service.set_need(goal.id, "Writing", 3)
    (gap,) = gaps.gaps_report().goals[0].gaps
    assert (gap.open, gap.people, gap.next_step) == (False, (), None)


def test_asking_a_person_about_a_gap_says_plainly_when_there_is_none_to_ask(
    db_path: Path,
) -> None:
    goal = goals.create_goal("Land an EM role on a platform team")
    rosa = contacts.create_contact("Rosa Delgado")
    links.link_goal(goal.id, contact=rosa, role="mentor")

    with pytest.raises(RapportError) as nothing:
        gaps.ask_about(goal.id, rosa)
    assert str(nothing.value) == (
        "“Land an EM role on a platform team” lacks no skill, so there is nothing to ask "
        "Rosa about (rapport goals need says what a goal needs)"
    )

    need_service.set_need(goal.id, "Hiring", 3)
    need_service.set_need(goal.id, "SQL", 4)
    with pytest.raises(RapportError) as unknown:
        gaps.ask_about(goal.id, rosa)
    assert unknown.value.title == "Nothing known to ask about"
    assert str(unknown.value) == (
        "Rosa Delgado is not known to have a skill “Land an EM role on a platform team” "
        "still lacks (SQL, Hiring): pick one to ask them about, or mark what they know "
        "with rapport contacts expertise"
    )
    assert [n.skill for n in gaps.skills_to_ask(goal.id, rosa)] == ["SQL", "Hiring"]
    assessment_service.rate_skill("Writing", 3)
    with pytest.raises(ValidationError, match="does not lack Writing; it lacks SQL, Hiring"):
        gaps.ask_about(goal.id, rosa, skill="Writing")

    asked = gaps.ask_about(goal.id, rosa, skill="sql")
    assert asked.title == "Ask Rosa about SQL"
    expertise_service.set_expertise(rosa, "Hiring", level=4)
    assert gaps.skills_to_ask(goal.id, rosa) == []  # k asks about what she is known to have
    assert gaps.ask_about(goal.id, rosa).title == "Ask Rosa about Hiring"
