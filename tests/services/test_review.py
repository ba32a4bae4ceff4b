"""The review's rules on hand-built networks, with the clock frozen (Monday 23 Nov 2026)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from face_queries import models_in
from rapport.services import contacts, events, followups, goals, interactions, interviews, links
from rapport.services import review as rv
from rapport.services.resolve import resolve_followup

TODAY = dt.date(2026, 11, 23)


def ago(days: int) -> dt.date:
    return TODAY - dt.timedelta(days=days)


def person(name: str, cadence: int | None = 30, **fields: object) -> contacts.Contact:
    return contacts.create_contact(name, cadence_days=cadence, **fields)


def talk(who: object, days_ago: int, direction: str = "mutual", today: dt.date = TODAY) -> None:
    people = who if isinstance(who, list) else [who]
    interactions.log_interaction(
        people, date=today - dt.timedelta(days=days_ago), direction=direction
    )


def relationship(goal: object, name: str) -> rv.Relationship:
    (found,) = [r for r in rv.goal_review(goal).relationships if r.name == name]
    return found


# -- warmth -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "cadence", "status"),
    [
        (0, 30, "warm"),
        (29, 30, "warm"),
        (30, 30, "due"),
        (59, 30, "due"),
        (60, 30, "cold"),
        (400, 30, "cold"),
        (89, 90, "warm"),
        (90, 90, "due"),
        (180, 90, "cold"),
        (None, 30, "never"),
    ],
)
def test_warmth_boundaries(days: int | None, cadence: int, status: str) -> None:
    last = None if days is None else ago(days)
    assert rv.warmth(last, cadence, TODAY) == status


def test_warmth_follows_the_clock(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    goal = goals.create_goal("Lead a platform team")
    dana = person("Dana Whitfield", 30)
    links.link_goal(goal, contact=dana, role="mentor")
    talk(dana, 29)
    first = relationship(goal, "Dana Whitfield")
    assert (first.status, first.days_since, first.next_due) == ("warm", 29, ago(-1))
    monkeypatch.setenv("RAPPORT_NOW", "2026-11-24T09:00:00")
    due = relationship(goal, "Dana Whitfield")
    assert (due.status, due.days_overdue, due.status_label) == ("due", 0, "due")
    monkeypatch.setenv("RAPPORT_NOW", "2026-12-24T09:00:00")
    assert relationship(goal, "Dana Whitfield").status == "cold"


def test_a_done_interview_is_a_contact_and_a_future_interaction_is_not(db_path: Path) -> None:
    goal = goals.create_goal("Informational interviews")
    owen = person("Owen Price", 45)
    links.link_goal(goal, contact=owen)
    talk(owen, -3)  # planned for later this week: not contact yet
    assert relationship(goal, "Owen Price").status == "never"
    interviews.create_interview(owen, when=ago(50), status="done")
    got = relationship(goal, "Owen Price")
    assert (got.last_contacted, got.status) == (ago(50), "due")


def test_no_cadence_means_ninety_days_assumed(db_path: Path) -> None:
    goal = goals.create_goal("Climate")
    sam = person("Samir Haddad", None)
    links.link_goal(goal, contact=sam, role="referrer")
    talk(sam, 89)
    got = relationship(goal, "Samir Haddad")
    assert (got.cadence_days, got.cadence_assumed, got.status) == (90, True, "warm")
    talk(sam, 200)  # an older one changes nothing
    assert relationship(goal, "Samir Haddad").status == "warm"


def test_never_contacted_counts_from_connecting(db_path: Path) -> None:
    goal = goals.create_goal("Climate")
    links.link_goal(goal, contact=person("Nina", 30, connected_on=ago(100)))
    got = relationship(goal, "Nina")
    assert (got.status, got.status_label, got.last_contacted) == ("never", "never contacted", None)
    assert (got.next_due, got.days_overdue) == (ago(70), 70)


def test_people_are_grouped_by_role_in_a_fixed_order_and_archived_ones_left_out(
    db_path: Path,
) -> None:
    goal = goals.create_goal("Lead a platform team")
    for name, role in [("Zed", "peer"), ("Amy", "peer"), ("Bo", "mentor"), ("Cy", "")]:
        links.link_goal(goal, contact=person(name), role=role)
    gone = person("Old Friend")
    links.link_goal(goal, contact=gone, role="sponsor")
    contacts.set_archived(gone, True)
    roles = [(g.role, [r.name for r in g.relationships]) for g in rv.goal_review(goal).roles]
    assert roles == [("mentor", ["Bo"]), ("peer", ["Amy", "Zed"]), ("other", ["Cy"])]


# -- reciprocity --------------------------------------------------------------


@pytest.mark.parametrize(
    ("gave", "asked", "mutual", "verdict", "summary"),
    [
        (0, 0, 0, "none", "nothing exchanged yet"),
        (0, 3, 0, "only-take", "you only take"),
        # A mutual exchange gives as well as takes: not "you only take" beside "mutual 2".
        (0, 3, 2, "take", "you take more than you give"),
        (1, 3, 0, "take", "you take more than you give"),
        (2, 2, 1, "even", "balanced"),
        (0, 0, 4, "even", "balanced"),
        (3, 1, 0, "give", "you give more than you take"),
    ],
)
def test_reciprocity_verdicts(
    gave: int, asked: int, mutual: int, verdict: str, summary: str
) -> None:
    r = rv.Reciprocity(gave, asked, mutual)
    assert (r.balance, r.verdict, r.summary) == (gave - asked, verdict, summary)


def test_reciprocity_example_in_docs_is_what_the_review_gives() -> None:
    import json
    import re

    docs = Path(__file__).parents[2] / "docs" / "review.md"
    (example,) = re.findall(r"^- `RECIPROCITY`: `(\{.*\})`$", docs.read_text(), re.M)
    from rapport.services.review_report import reciprocity_json

    shown = json.loads(example)
    given = rv.Reciprocity(shown["gave"], shown["asked"], shown["mutual"])
    assert shown == reciprocity_json(given)


def test_reciprocity_per_contact_and_per_goal(db_path: Path) -> None:
    goal = goals.create_goal("Lead a platform team")
    dana, priya = person("Dana"), person("Priya")
    links.link_goal(goal, contact=dana, role="mentor")
    links.link_goal(goal, contact=priya, role="hiring-manager")
    talk(dana, 40, "asked")
    talk(dana, 20, "asked")
    talk(dana, 5, "mutual")
    talk([dana, priya], 3, "asked")  # one call with both: each of them was asked
    talk(priya, 2, "gave")
    talk(priya, -5, "gave")  # not happened yet: not counted
    review = rv.goal_review(goal)
    by_name = {r.name: r.reciprocity for r in review.relationships}
    assert by_name["Dana"] == rv.Reciprocity(gave=0, asked=3, mutual=1)
    assert by_name["Dana"].summary == "you take more than you give"  # one was mutual
    assert by_name["Priya"] == rv.Reciprocity(gave=1, asked=1, mutual=0)
    assert review.reciprocity == rv.Reciprocity(gave=1, asked=4, mutual=1)


# -- progress and the SMART check ---------------------------------------------


def test_steps_done_of_total_leave_dropped_steps_out(db_path: Path) -> None:
    parent = goals.create_goal("Lead a platform team", target_date=ago(-40))
    goals.create_goal("Course", parent=parent, status="achieved")
    goals.create_goal("Interviews", parent=parent)
    goals.create_goal("Abandoned idea", parent=parent, status="dropped")
    progress = rv.goal_review(parent).progress
    assert (progress.steps_done, progress.steps_total, progress.days_to_target) == (1, 2, 40)


def test_weekly_activity_buckets_end_today(db_path: Path) -> None:
    goal = goals.create_goal("Lead a platform team")
    dana, priya = person("Dana"), person("Priya")
    for p in (dana, priya):
        links.link_goal(goal, contact=p)
    talk(dana, 0)
    talk(dana, 6)
    talk([dana, priya], 7)  # both behind the goal: one thing done
    talk(priya, 83)
    talk(priya, 84)  # before the 12 weeks
    progress = rv.goal_review(goal).progress
    assert progress.weekly_activity == (1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2)
    assert progress.last_activity == TODAY


def test_activity_counts_linked_interviews_events_and_closed_followups(db_path: Path) -> None:
    goal = goals.create_goal("Give a talk")
    wei = person("Wei")  # not linked to the goal: only the linked records count
    interviews.create_interview(wei, when=ago(10), status="done", goals=[goal])
    interviews.create_interview(wei, when=ago(-3), status="planned", goals=[goal])
    events.create_event("Meetup", start=ago(20), status="attended", goals=[goal])
    events.create_event("Skipped", start=ago(15), status="skipped", goals=[goal])
    done = followups.create_followup("Send abstract", due=ago(1), contact=wei, goals=[goal])
    followups.complete_followup(done)  # closed today
    followups.create_followup("Open one", due=ago(2), goals=[goal])
    progress = rv.goal_review(goal).progress
    assert progress.weekly_activity[-4:] == (0, 1, 1, 1)
    assert sum(progress.weekly_activity) == 3
    assert progress.last_activity == TODAY


def test_goal_lists_interviews_events_and_followups(db_path: Path) -> None:
    goal = goals.create_goal("EM interviews")
    tom = person("Tomás")
    interviews.create_interview(tom, when=ago(25), status="done", goals=[goal])
    interviews.create_interview(tom, when=ago(-5), goals=[goal])
    interviews.create_interview(tom, when=ago(-9), status="cancelled", goals=[goal])
    events.create_event("PlatformCon", start=ago(45), status="attended", goals=[goal])
    events.create_event("Career fair", start=ago(-12), status="registered", goals=[goal])
    followups.create_followup("Overdue", due=ago(3), contact=tom, goals=[goal])
    followups.create_followup("Later", due=ago(-4), goals=[goal])
    review = rv.goal_review(goal)
    assert [(i.contact_name, i.date) for i in review.interviews_done] == [("Tomás", ago(25))]
    assert [i.date for i in review.interviews_planned] == [ago(-5)]
    assert [e.name for e in review.events_attended] == ["PlatformCon"]
    assert [e.name for e in review.events_upcoming] == ["Career fair"]
    assert [(f.title, f.days_overdue, f.contact_name) for f in review.followups_overdue] == [
        ("Overdue", 3, "Tomás")
    ]
    assert [f.title for f in review.followups_upcoming] == ["Later"]


def test_a_parent_goal_counts_its_steps_interviews_and_followups(db_path: Path) -> None:
    parent = goals.create_goal("Lead a platform team")
    step = goals.create_goal("Talk to engineering managers", parent=parent)
    substep = goals.create_goal("Ask about hiring loops", parent=step)
    tom = person("Tomás")
    interviews.create_interview(tom, when=ago(5), status="done", goals=[step])
    interviews.create_interview(tom, when=ago(-5), goals=[parent])
    interviews.create_interview(tom, when=ago(-6), goals=[parent, step])  # counted once
    followups.create_followup("Send notes", due=ago(2), contact=tom, goals=[substep])
    followups.create_followup("Thank", due=ago(-3), goals=[parent])
    review = rv.goal_review(parent)
    assert [(i.date, i.step and i.step.title) for i in review.interviews_done] == [
        (ago(5), "Talk to engineering managers")
    ]
    assert [(i.date, i.step) for i in review.interviews_planned] == [
        (ago(-5), None),
        (ago(-6), None),
    ]
    assert [(f.title, f.step and f.step.title) for f in review.followups_overdue] == [
        ("Send notes", "Ask about hiring loops")
    ]
    assert [(f.title, f.step) for f in review.followups_upcoming] == [("Thank", None)]
    assert review.progress.last_activity == ago(5)
    # The step keeps its own view: its parent's records are not its own.
    assert [i.date for i in rv.goal_review(step).interviews_planned] == [ago(-6)]


def smart_codes(goal: object) -> list[str]:
    return [issue.code for issue in rv.goal_review(goal).smart]


def test_smart_check_names_what_is_missing(db_path: Path) -> None:
    bare = goals.create_goal("Build a peer network in Berlin")
    assert smart_codes(bare) == [
        "not-specific",
        "no-measure",
        "no-target",
        "no-people",
        "no-activity",
    ]
    texts = [issue.text for issue in rv.goal_review(bare).smart]
    assert texts[1] == "It has no measure: how will you know it is reached?"
    assert texts[-1] == "Nothing has been done for it yet."


def test_smart_check_passes_a_complete_goal_and_flags_a_passed_target(db_path: Path) -> None:
    goal = goals.create_goal(
        "Lead a platform team",
        specific="EM of a platform team",
        measure="Signed offer",
        target_date=ago(-100),
    )
    dana = person("Dana")
    links.link_goal(goal, contact=dana)
    talk(dana, 29)
    assert smart_codes(goal) == []
    goals.update_goal(goal, target_date=ago(11))
    (issue,) = rv.goal_review(goal).smart
    assert issue.code == "target-passed"
    assert issue.text == (
        "Its target date, 12 Nov 2026, passed 11 days ago and it is still active: "
        "mark it achieved or set a new date."
    )
    goals.update_goal(goal, status="paused")
    assert smart_codes(goal) == []  # only an active goal is held to it


def test_smart_check_no_activity_in_thirty_days(db_path: Path) -> None:
    goal = goals.create_goal("Climate", specific="VP", measure="Title", target_date=ago(-900))
    sam = person("Samir", 90)
    links.link_goal(goal, contact=sam)
    talk(sam, 30)
    (issue,) = rv.goal_review(goal).smart
    assert issue.text == "Nothing has been done for it in 30 days (last on 24 Oct 2026)."
    talk(sam, 29)
    assert smart_codes(goal) == []


# -- across goals: gaps -------------------------------------------------------


def test_coverage_gaps(db_path: Path) -> None:
    empty = goals.create_goal("Nobody behind it")
    cold = goals.create_goal("All cold")
    mixed = goals.create_goal("One still due")
    goals.create_goal("Paused and empty", status="paused")
    samir, nina, dale = person("Samir"), person("Nina"), person("Dale")
    links.link_goal(cold, contact=samir)
    links.link_goal(cold, contact=nina)  # never contacted counts as not warm
    talk(samir, 61)
    links.link_goal(mixed, contact=samir)
    links.link_goal(mixed, contact=dale)
    talk(dale, 31)
    ravi, old, far, archived = person("Ravi"), person("Old"), person("Far"), person("Gone")
    talk(ravi, 3)
    talk(ravi, 29)
    talk(old, 30)  # before the last 30 days
    talk(far, -2)  # not yet happened
    talk(archived, 1)
    contacts.set_archived(archived, True)
    gaps = rv.build_review().gaps
    assert [g.title for g in gaps.goals_without_people] == [empty.title]
    assert [g.title for g in gaps.goals_all_cold] == [cold.title]
    assert [(c.name, c.interactions, c.last_contacted) for c in gaps.active_unlinked] == [
        ("Ravi", 2, ago(3))
    ]


# -- across goals: suggestions ------------------------------------------------


@pytest.fixture
def network(db_path: Path) -> dict[str, object]:
    """People behind a high and a low priority goal in every state, and others."""
    high = goals.create_goal("Lead a platform team", priority="high")
    low = goals.create_goal("Berlin network", priority="low")
    paused = goals.create_goal("Paused goal", status="paused")
    people: dict[str, object] = {"high": high, "low": low}
    for name, goal, role, days in [
        ("Carl", high, "mentor", 61),  # cold, 31 days overdue
        ("Cleo", low, "peer", 100),  # cold, 70 days overdue, less important goal
        ("Dora", high, "peer", 45),  # due, 15 overdue
        ("Dave", high, "sponsor", 35),  # due, 5 overdue
        ("Dale", low, "peer", 50),  # due, 20 overdue
        ("Walt", high, "peer", 3),  # warm
        ("Pat", paused, "peer", 300),  # cold, but the goal is paused
    ]:
        p = person(name)
        links.link_goal(goal, contact=p, role=role)
        talk(p, days, "asked" if name == "Dora" else "mutual")
        people[name] = p
    nina = person("Nina", connected_on=ago(100))  # never contacted
    links.link_goal(high, contact=nina, role="hiring-manager")
    owen = person("Owen", 45)  # an interview five days ago, no thank-you yet
    links.link_goal(high, contact=owen, role="peer")
    interviews.create_interview(owen, when=ago(5), status="done")
    people["Owen"] = owen
    mia = person("Mia", None, organization="Kestrel")  # met at an event, never since
    meetup = events.create_event("SRE Meetup #41", start=ago(10), status="attended")
    events.add_attendees(meetup, [mia])
    return people


def test_suggestions_are_ranked_by_reason_then_priority_then_how_overdue(
    network: dict[str, object],
) -> None:
    ranked = rv.suggestions(limit=None)
    assert [(s.rank, s.name, s.kind) for s in ranked] == [
        (1, "Owen", "thank-you"),
        (2, "Carl", "cold"),
        (3, "Cleo", "cold"),
        (4, "Nina", "never"),
        (5, "Dora", "due"),
        (6, "Dave", "due"),
        (7, "Dale", "due"),
        (8, "Mia", "met"),
    ]
    assert [s.days_overdue for s in ranked] == [5, 31, 70, 70, 15, 5, 20, 10]


def test_suggestion_reasons_are_words(network: dict[str, object]) -> None:
    reasons = {s.name: s.reasons for s in rv.suggestions(limit=None)}
    assert reasons["Owen"] == ("you owe a thank-you for the interview on 18 Nov",)
    assert reasons["Carl"] == (
        "serves 'Lead a platform team' as mentor, last talked 61 days ago, cadence 30",
    )
    assert reasons["Nina"] == (
        "serves 'Lead a platform team' as hiring manager, never contacted, cadence 30",
    )
    assert reasons["Dora"] == (
        "serves 'Lead a platform team' as peer, last talked 45 days ago, cadence 30",
        "you asked once and never gave: offer something",
    )
    assert reasons["Mia"] == ("met at SRE Meetup #41 on 13 Nov, never followed up",)


def test_a_thank_you_names_the_goal_the_person_serves(network: dict[str, object]) -> None:
    owen, mia = rv.suggestions(limit=None)[0], rv.suggestions(limit=None)[-1]
    assert owen.goal is not None and owen.goal.title == "Lead a platform team"
    assert owen.last_contacted == ago(5)
    assert (mia.goal, mia.organization, mia.last_contacted) == (None, "Kestrel", None)


def test_limit_keeps_the_best(network: dict[str, object]) -> None:
    assert [s.name for s in rv.suggestions(limit=3)] == ["Owen", "Carl", "Cleo"]


def test_one_suggestion_per_person_for_their_most_important_goal(
    network: dict[str, object],
) -> None:
    links.link_goal(network["low"], contact=network["Carl"], role="peer")
    links.link_goal(network["low"], contact=network["Owen"], role="peer")
    ranked = rv.suggestions(limit=None)
    assert [s.name for s in ranked].count("Carl") == 1
    carl = next(s for s in ranked if s.name == "Carl")
    assert carl.reason.startswith("serves 'Lead a platform team' as mentor and 1 more goal,")
    assert [s.name for s in ranked].count("Owen") == 1


def test_a_cold_person_owed_a_thank_you_has_both_reasons(network: dict[str, object]) -> None:
    tess = person("Tess", 10)
    links.link_goal(network["high"], contact=tess, role="peer")
    interviews.create_interview(tess, when=ago(25), status="done")
    first = rv.suggestions(limit=None)[0]
    assert (first.name, first.kind, first.days_overdue) == ("Tess", "thank-you", 25)
    assert first.reasons == (
        "you owe a thank-you for the interview on 29 Oct",
        "serves 'Lead a platform team' as peer, last talked 25 days ago, cadence 10",
    )


def test_talking_again_ends_a_suggestion(network: dict[str, object]) -> None:
    talk(network["Cleo"], 1)
    assert "Cleo" not in [s.name for s in rv.suggestions(limit=None)]


@pytest.mark.parametrize(
    "settle",
    [
        lambda i: interviews.update_interview(i, thank_you_sent=True),
        lambda i: followups.complete_followup(
            followups.create_followup("Thanks", due=ago(4), contact=i.contact, interview=i)
        ),
    ],
    ids=["marked sent", "thank-you follow-up done"],
)
def test_a_thank_you_sent_is_no_longer_owed(
    db_path: Path, settle: Callable[[interviews.Interview], object]
) -> None:
    interview = interviews.create_interview(person("Owen"), when=ago(5), status="done")
    assert [s.kind for s in rv.suggestions()] == ["thank-you"]
    settle(interview)
    assert rv.suggestions() == []


def test_an_old_interview_no_longer_calls_for_a_thank_you(db_path: Path) -> None:
    interviews.create_interview(person("Owen", None), when=ago(31), status="done")
    assert rv.suggestions() == []


@pytest.mark.parametrize(
    ("follow_up", "suggested"),
    [
        (lambda p: None, True),
        (lambda p: talk(p, 10), True),  # on the day of the event: meeting, not following up
        (lambda p: talk(p, 9), False),
        (lambda p: talk(p, -2), False),  # a coffee already planned
        (lambda p: followups.create_followup("Say hi", due=ago(-3), contact=p), False),
        (lambda p: interviews.create_interview(p, when=ago(-6)), False),
        (lambda p: interviews.create_interview(p, when=ago(-6), status="cancelled"), True),
    ],
    ids=["nothing", "event day", "after", "planned", "follow-up", "interview", "cancelled"],
)
def test_met_at_an_event_and_never_followed_up(
    db_path: Path, follow_up: Callable[[object], object], suggested: bool
) -> None:
    event = events.create_event("PyCon", start=ago(10), status="attended")
    mia = person("Mia", None, met_at=event)
    follow_up(mia)
    assert [s.name for s in rv.suggestions()] == (["Mia"] if suggested else [])


def test_the_latest_touches_of_people_met_are_asked_by_their_ids(
    db_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # The pairs' subquery (events, attendees, contacts met at them) written out
    # in each of three selects cost peewee more to write than SQLite to run.
    event = events.create_event("PyCon", start=ago(10), status="attended")
    mia, leo = person("Mia", None, met_at=event), person("Leo", None, met_at=event)
    talk(leo, 3)
    with caplog.at_level(logging.DEBUG, logger="peewee"):
        assert [s.name for s in rv.suggestions()] == ["Mia"]
    (sql, params), *_ = [
        r.msg
        for r in caplog.records
        if isinstance(r.msg, tuple)
        and 'FROM "interaction_contact"' in r.msg[0]
        and 'FROM "follow_up"' in r.msg[0]
    ]
    assert "event" not in sql
    # Each id passed once (numbered marks name it in all three selects): peewee
    # wrote three lists of them a value at a time, 4,000 values at 30,000 contacts.
    assert sorted(params) == sorted([mia.id, leo.id])


def test_events_too_old_skipped_or_today_call_for_nothing(db_path: Path) -> None:
    for name, start, status in [
        ("Long ago", ago(61), "attended"),
        ("Skipped", ago(5), "skipped"),
        ("Today", TODAY, "registered"),
    ]:
        person(f"Met at {name}", None, met_at=events.create_event(name, start=start, status=status))
    person("Seen at the end", None, met_at=events.create_event("Edge", start=ago(60)))
    assert [s.name for s in rv.suggestions()] == ["Seen at the end"]


# -- the weekly check-in ------------------------------------------------------


def checkin_at(monkeypatch: pytest.MonkeyPatch, now: str) -> rv.CheckIn:
    monkeypatch.setenv("RAPPORT_NOW", now)
    return rv.weekly_checkin()


@pytest.mark.parametrize(
    ("now", "since", "until"),
    [
        ("2026-12-02T08:00:00", dt.date(2026, 11, 26), dt.date(2026, 12, 9)),  # a month end
        ("2027-01-03T20:00:00", dt.date(2026, 12, 28), dt.date(2027, 1, 10)),  # a year end
    ],
    ids=["month end", "year end"],
)
def test_weekly_window_across_month_and_year_ends(
    db_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    now: str,
    since: dt.date,
    until: dt.date,
) -> None:
    # Recorded on the week's day itself: an interview is done once it took place.
    monkeypatch.setenv("RAPPORT_NOW", now)
    goal = goals.create_goal("Lead a platform team")
    dana = person("Dana")
    links.link_goal(goal, contact=dana)
    before, first = since - dt.timedelta(days=1), since
    last, after = until, until + dt.timedelta(days=1)
    for day, summary in [(before, "too early"), (first, "first day"), (last, "future")]:
        interactions.log_interaction([dana], date=day, summary=summary)
    interviews.create_interview(dana, when=first, status="done")
    interviews.create_interview(dana, when=before, status="done")
    interviews.create_interview(dana, when=last, status="planned")
    interviews.create_interview(dana, when=after, status="planned")
    events.create_event("Attended", start=first, status="attended")
    events.create_event("Attended before", start=before, status="attended")
    events.create_event("Coming", start=last, status="registered")
    events.create_event("Later", start=after, status="registered")
    for due in (before, last, after):
        followups.create_followup(f"due {due}", due=due, contact=dana)
    zone = dt.timezone(dt.timedelta(hours=-8))  # Los Angeles in winter
    for title, closed in [
        ("closed late the night before", dt.datetime.combine(before, dt.time(23, 30))),
        ("closed just after midnight", dt.datetime.combine(first, dt.time(0, 30))),
    ]:
        f = resolve_followup(followups.create_followup(title, due=before, contact=dana))
        f.done = True
        f.done_at = closed.replace(tzinfo=zone).astimezone(dt.UTC).replace(tzinfo=None)
        f.save()
    c = checkin_at(monkeypatch, now)
    assert (c.since, c.until, c.today) == (since, until, dt.date.fromisoformat(now[:10]))
    assert [i.summary for i in c.interactions] == ["first day"]
    assert [i.date for i in c.interviews_done] == [first]
    assert [e.name for e in c.events_attended] == ["Attended"]
    assert [f.title for f in c.followups_closed] == ["closed just after midnight"]
    assert [f.closed_on for f in c.followups_closed] == [first]
    assert [f.title for f in c.followups_due] == [f"due {before}", f"due {last}"]
    assert c.followups_due[0].days_overdue == (c.today - before).days
    assert [i.date for i in c.interviews_planned] == [last]
    assert [e.name for e in c.events_upcoming] == ["Coming"]
    assert [m.goal.title for m in c.goals_moved] == ["Lead a platform team"]


def test_goals_moved_quiet_and_stalled(db_path: Path) -> None:
    moved, quiet, stalled = (goals.create_goal(t) for t in ("Moved", "Quiet", "Stalled"))
    goals.create_goal("Empty")
    goals.create_goal("Achieved long ago", status="achieved")
    for goal, days in [(moved, 6), (quiet, 7), (stalled, 30)]:
        p = person(f"Someone for {goal.title}", 365)
        links.link_goal(goal, contact=p)
        talk(p, days)
    c = rv.weekly_checkin()
    assert [(m.goal.title, m.this_week) for m in c.goals_moved] == [("Moved", 1)]
    assert [(m.goal.title, m.last_activity) for m in c.goals_quiet] == [("Quiet", ago(7))]
    assert [(m.goal.title, m.last_activity) for m in c.goals_stalled] == [
        ("Empty", None),
        ("Stalled", ago(30)),
    ]


def test_checkin_lists_who_took_part_and_the_top_suggestions(db_path: Path) -> None:
    dana, priya = person("Dana"), person("priya")
    talk([priya, dana], 1, "gave")
    for n in range(7):
        interviews.create_interview(person(f"Owed {n}", None), when=ago(n + 1), status="done")
    c = rv.weekly_checkin()
    (item,) = c.interactions
    assert [p.name for p in item.contacts] == ["Dana", "priya"]
    assert (item.direction, item.date) == ("gave", ago(1))
    assert [s.name for s in c.suggestions] == [f"Owed {n}" for n in (6, 5, 4, 3, 2)]


# -- how it is computed -------------------------------------------------------


@pytest.fixture
def count_queries() -> Iterator[list[str]]:
    seen: list[str] = []

    class Counter(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            seen.append(str(record.msg))

    logger = logging.getLogger("peewee")
    handler, level = Counter(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    yield seen
    logger.removeHandler(handler)
    logger.setLevel(level)


def grow(size: int) -> None:
    """``size`` goals, each with ``size`` people in every state, and their records."""
    for g in range(size):
        goal = goals.create_goal(f"Goal {g}", priority=1 + g % 3, status="active")
        for n in range(size):
            p = person(f"Person {g}-{n}", 30, connected_on=ago(40))
            links.link_goal(goal, contact=p, role="peer")
            if n % 3:
                talk(p, 20 * n, "asked")
            interviews.create_interview(p, when=ago(n), status="done", goals=[goal])
            met = events.create_event(f"Event {g}-{n}", start=ago(n + 1), status="attended")
            events.add_attendees(met, [person(f"Met {g}-{n}", None)])
            followups.create_followup(f"Follow-up {g}-{n}", due=ago(n - 3), goals=[goal])


def test_the_number_of_queries_does_not_grow_with_the_network(
    db_path: Path, count_queries: list[str]
) -> None:
    counts = []
    for size in (2, 6):
        grow(size)
        for call in (rv.build_review, rv.weekly_checkin, rv.suggestions, rv.network_by_goal):
            count_queries.clear()
            call()
            counts.append((call.__name__, len(count_queries)))
    small, large = counts[:4], counts[4:]
    assert small == large
    assert dict(small)["build_review"] <= 15


def test_last_contacted_agrees_with_the_contact_list(sample_db: Path) -> None:
    from_list = {r.id: r.last_contacted for r in contacts.contact_rows()}
    for goal in rv.build_review().goals:
        for r in goal.relationships:
            assert r.last_contacted == from_list[r.contact_id], r.name


def test_unknown_goal_is_refused(db_path: Path) -> None:
    from rapport.errors import NotFound

    with pytest.raises(NotFound):
        rv.goal_review("nothing like this")


def test_the_review_hands_faces_plain_values_only(sample_db: Path) -> None:
    for value in (rv.build_review(), rv.weekly_checkin(), rv.network_by_goal(), rv.suggestions()):
        assert models_in(value) == []


def ana_and_bo_behind_a_goal() -> tuple[contacts.Contact, contacts.Contact]:
    goal = goals.create_goal("Lead a team", priority=1, status="active")
    ana, bo = person("Ana"), person("Bo")
    links.link_goal(goal, contact=ana, role="peer")
    links.link_goal(goal, contact=bo, role="peer")
    return ana, bo


def exchange_plans(caplog: pytest.LogCaptureFixture) -> list[list[str]]:
    """The query plans of the statements that counted exchanges by direction."""
    from rapport.models import database

    return [
        [row[3] for row in database.execute_sql(f"EXPLAIN QUERY PLAN {sql}", params)]
        for sql, params in (r.msg for r in caplog.records if isinstance(r.msg, tuple))
        if 'FROM "interaction_contact"' in sql and '"direction"' in sql
    ]


def test_the_exchanges_are_counted_in_the_index_order_without_sorting_them(
    db_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # Grouping by (contact, direction) sorted every exchange of every linked
    # contact in a temporary tree (100,000 at 30,000 contacts) before counting.
    ana, bo = ana_and_bo_behind_a_goal()
    talk(ana, 3, "gave")
    talk(ana, 5, "asked")
    talk(ana, 9, "gave")
    talk(bo, 2, "mutual")
    with caplog.at_level(logging.DEBUG, logger="peewee"):
        review = rv.build_review()
    counted = {
        p.name: (p.reciprocity.gave, p.reciprocity.asked, p.reciprocity.mutual)
        for p in review.goals[0].relationships
    }
    assert counted == {"Ana": (2, 1, 0), "Bo": (0, 0, 1)}
    plans = exchange_plans(caplog)
    assert plans
    for plan in plans:
        assert not [step for step in plan if "TEMP B-TREE FOR GROUP BY" in step], plan


def test_the_latest_exchange_is_one_seek_per_person_not_a_maximum_over_every_row(
    db_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # MAX(date) beside the counts was computed over every exchange of every
    # linked contact (101,000 at 30,000 contacts): 31 ms against 23 when the
    # latest past date is one seek of the (contact, date) index per person.
    ana, bo = ana_and_bo_behind_a_goal()
    talk(ana, 40, "gave")
    talk(ana, 12, "asked")
    talk(ana, -5, "gave")  # planned, not yet had: neither counted nor latest
    talk(bo, 30)
    interviews.create_interview(bo, when=ago(20), status="done")
    with caplog.at_level(logging.DEBUG, logger="peewee"):
        review = rv.build_review()
    seen = {
        p.name: (p.last_contacted, p.reciprocity.gave, p.reciprocity.asked, p.reciprocity.mutual)
        for p in review.goals[0].relationships
    }
    assert seen == {"Ana": (ago(12), 1, 1, 0), "Bo": (ago(20), 0, 0, 1)}
    (plan,) = exchange_plans(caplog)
    assert "CORRELATED SCALAR SUBQUERY" in " ".join(plan), plan
    # The exchanges themselves are read only as one seek per person: the
    # latest past one, and those dated after today (one per direction).
    searches = [step for step in plan if "interaction_contact" in step]
    past = [s for s in searches if "(contact_id=? AND date<?)" in s]
    later = [s for s in searches if "(contact_id=? AND date>?)" in s]
    assert len(past) == 1 and len(later) == 3 and len(searches) == 4, plan


def test_the_exchanges_are_counted_as_they_are_written_not_read_again(
    db_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # Counting them by direction on every review read every past exchange of
    # every linked person (101,000 at 30,000 contacts, 22 ms): the counts kept
    # in exchange_count (migration 0015) are read by key instead.
    ana, bo = ana_and_bo_behind_a_goal()
    for _ in range(3):
        talk(ana, 3, "gave")
    talk(bo, 2, "asked")
    with caplog.at_level(logging.DEBUG, logger="peewee"):
        review = rv.build_review()
    counted = {
        p.name: (p.reciprocity.gave, p.reciprocity.asked) for p in review.goals[0].relationships
    }
    assert counted == {"Ana": (3, 0), "Bo": (0, 1)}
    (plan,) = exchange_plans(caplog)
    # Exchanges are sought only in the correlated subqueries (the latest past
    # one, those after today), never read as the statement's own rows.
    searches = [step for step in plan if "interaction_contact" in step]
    assert all(s.startswith(("SEARCH seen ", "SEARCH later ")) for s in searches), plan
    kept = [step for step in plan if "exchange_count" in step]
    assert len(kept) == 3 and all("PRIMARY KEY (contact_id=? AND direction=?)" in s for s in kept)


def test_activity_leaves_out_archived_people_and_counts_an_interview_once(db_path: Path) -> None:
    goal = goals.create_goal("Lead a team")
    ana, gone = person("Ana"), person("Gone")
    links.link_goal(goal, contact=ana)
    links.link_goal(goal, contact=gone)
    talk(gone, 1)
    talk([ana, gone], 9)  # with Ana too: still one thing done
    contacts.set_archived(gone, True)
    # An interview with someone behind the goal, linked to the goal as well.
    interviews.create_interview(ana, when=ago(2), status="done", goals=[goal])
    progress = rv.goal_review(goal).progress
    assert progress.weekly_activity[-2:] == (1, 1)
    assert sum(progress.weekly_activity) == 2
    assert progress.last_activity == ago(2)


def test_recent_activity_is_read_from_the_people_behind_the_goals(
    db_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # Reading the 12 weeks of everyone's interactions (38,000 at 30,000
    # contacts) and looking each up among the links took 31 ms and handed
    # Python 24,000 rows; each linked person's weeks are a range of the
    # (contact, date) index, counted per goal and day in SQL.
    from rapport.models import database

    goal = goals.create_goal("Lead a team")
    ana = person("Ana")
    links.link_goal(goal, contact=ana)
    talk(ana, 3)
    with caplog.at_level(logging.DEBUG, logger="peewee"):
        rv.build_review()
    (sql, params), *_ = [
        r.msg
        for r in caplog.records
        if isinstance(r.msg, tuple) and "COUNT(DISTINCT" in r.msg[0] and "goal_link" in r.msg[0]
    ]
    plan = [row[3] for row in database.execute_sql(f"EXPLAIN QUERY PLAN {sql}", params)]
    assert plan[0].startswith("SCAN t1") and "goal_link" in plan[0], plan
    (exchanges,) = [step for step in plan if "interaction_contact" in step]
    assert "(contact_id=? AND date>? AND date<?)" in exchanges, plan


def test_active_contacts_are_counted_before_they_are_looked_up(
    db_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # Joining first looked a contact up for every exchange of the month
    # (23,000 at 30,000 contacts) and grouped the joined rows: 34 ms against 19.
    from rapport.models import database

    ana, bo = person("Ana"), person("Bo")
    talk(ana, 3)
    talk(ana, 4)
    talk(bo, 2)
    with caplog.at_level(logging.DEBUG, logger="peewee"):
        gaps = rv.build_review().gaps
    assert [(c.name, c.interactions) for c in gaps.active_unlinked] == [("Ana", 2), ("Bo", 1)]
    (sql, params), *_ = [
        r.msg for r in caplog.records if isinstance(r.msg, tuple) and 'AS "recent"' in r.msg[0]
    ]
    plan = list(database.execute_sql(f"EXPLAIN QUERY PLAN {sql}", params))
    (exchanges,) = [row for row in plan if "interaction_contact" in row[3]]
    assert exchanges[1] != 0, plan  # inside the grouped subquery, not the join's loop


def test_active_contacts_are_listed_busiest_then_latest_then_by_name_as_python_orders_it(
    db_path: Path,
) -> None:
    # SQLite sorts them now: its text order must stay Python's (code points,
    # upper case before lower, accented letters after both).
    names = ["bob", "Émile", "Zed", "Bob", "ana", "Yan", "Xi"]
    people = {name: person(name) for name in names}
    for name in names:
        talk(people[name], 3)
    talk(people["Yan"], 9)  # busier than the rest
    talk(people["Xi"], 1)  # as busy as Yan, touched later: first
    order = [c.name for c in rv.build_review().gaps.active_unlinked]
    assert order == ["Xi", "Yan", "Bob", "Zed", "ana", "bob", "Émile"]


def test_the_review_reads_only_the_columns_it_shows_of_interviews_and_events(
    db_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # Whole interviews and events (questions, notes, advice, and two
    # timestamps each that peewee parses by trying formats in turn) were read
    # to show a date, a status and a name: 280 of them at 30,000 contacts.
    goal = goals.create_goal("Lead a team")
    ana = person("Ana")
    links.link_goal(goal, contact=ana)
    interviews.create_interview(ana, when=ago(3), status="done", goals=[goal])
    interviews.create_interview(ana, when=ago(-3), goals=[goal])
    meetup = events.create_event("SRE Meetup", start=ago(5), status="attended")
    links.link_goal(goal, event=meetup)
    with caplog.at_level(logging.DEBUG, logger="peewee"):
        review = rv.build_review()
    (one,) = review.goals
    assert [(i.contact_name, i.date, i.thank_you_sent) for i in one.interviews_done] == [
        ("Ana", ago(3), False)
    ]
    assert [i.date for i in one.interviews_planned] == [ago(-3)]
    assert [(e.name, e.start_date) for e in one.events_attended] == [("SRE Meetup", ago(5))]
    assert review.suggestions[0].reasons[0].startswith("you owe a thank-you")
    statements = [r.msg[0] for r in caplog.records if isinstance(r.msg, tuple)]
    read = [sql for sql in statements if '"interview"' in sql or '"event"' in sql]
    assert read
    for column in ('"questions"', '"advice"', '"notes"', '"created_at"', '"updated_at"'):
        assert not [sql for sql in read if column in sql], column


def test_the_review_records_are_plain_dataclasses_cheap_to_define_and_to_fill() -> None:
    # A frozen dataclass generates a __setattr__, a __delattr__ and a __hash__
    # (each an exec) and fills its fields through object.__setattr__: the
    # review's seventeen took 7-8 ms to define at every `rapport review`, and
    # 2,352 relationships cost more to build.  Nothing hashes or changes them;
    # Reciprocity stays frozen, being the one default every untouched person shares.
    import dataclasses
    import inspect

    from rapport.services.review import checkin, coverage, goals, items, relationships, suggest

    frozen = {
        name
        for module in (rv, checkin, coverage, goals, items, relationships, suggest)
        for name, cls in inspect.getmembers(module, inspect.isclass)
        if cls.__module__ == module.__name__
        and dataclasses.is_dataclass(cls)
        and cls.__dataclass_params__.frozen  # type: ignore[attr-defined]
    }
    assert frozen == {"Reciprocity"}


def test_the_people_behind_a_goal_are_suggested_with_one_ref_to_it(db_path: Path) -> None:
    # A ref and a sort key per goal, not per link (2,352 at 30,000 contacts).
    ana_and_bo_behind_a_goal()
    first, second = rv.suggestions()
    assert (first.name, second.name) == ("Ana", "Bo")
    assert first.goal is second.goal
    assert first.goal is not None and first.goal.title == "Lead a team"


def test_a_person_behind_two_goals_is_weighed_once(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Warmth and the next touch are the person's, whatever the goal: worked out
    # per link they cost 2,352 rounds for 1,684 people at 30,000 contacts.
    from rapport.services.review import relationships as rel

    ana, _ = ana_and_bo_behind_a_goal()
    links.link_goal(goals.create_goal("Speak at a meetup", status="active"), contact=ana)
    talk(ana, 40)
    weighed: list[dt.date | None] = []

    def counted(last: dt.date | None, cadence: int | None, today: dt.date) -> str:
        weighed.append(last)
        return rel_warmth(last, cadence, today)

    rel_warmth = rel.warmth
    monkeypatch.setattr(rel, "warmth", counted)
    found = {
        (g.goal.title, p.name): p.status for g in rv.build_review().goals for p in g.relationships
    }
    assert found == {
        ("Lead a team", "Ana"): "due",
        ("Lead a team", "Bo"): "never",
        ("Speak at a meetup", "Ana"): "due",
    }
    assert sorted(weighed, key=str) == sorted([ago(40), None], key=str)


def test_the_review_on_sqlites_own_connection_is_the_one_on_the_models(
    sample_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The plain `rapport review` opens without peewee (open_database(plain=True))
    # and runs the same statements there: the same review, with each date
    # parsed as the models' fields parse it, and not one statement left to the
    # models' connection.
    from rapport.db import close_database, open_database
    from rapport.models import database

    through_models = rv.build_review(), rv.network_by_goal(), rv.suggestions(limit=None)
    assert {s.kind for s in through_models[0].suggestions} >= {"thank-you", "met"}
    close_database()
    open_database(sample_db, plain=True)

    def nowhere(*args: object, **kwargs: object) -> None:
        raise AssertionError("a statement of the review went through the models")

    monkeypatch.setattr(database.obj, "execute_sql", nowhere)
    assert (rv.build_review(), rv.network_by_goal(), rv.suggestions(limit=None)) == through_models
