"""Calendar fixtures: a small network whose follow-ups have fixed UIDs, for golden files."""

from __future__ import annotations

from pathlib import Path

import pytest
from ics_helpers import HARD_NOTES


@pytest.fixture
def calendar_db(db_path: Path) -> Path:
    """Five follow-ups covering all-day, timed in two zones, recurring, and hard text."""
    from rapport.models import FollowUp
    from rapport.services import contacts, followups, goals, interactions

    platform = goals.create_goal("Lead a platform team by 2027")
    talks = goals.create_goal("Speak at a conference, Europe; 2027")
    dana = contacts.create_contact(
        "Dana Whitfield",
        organization="Northwind Cloud",
        role="Director of Platform",
        email="dana@northwind.example",
        phone="+1 415 555 0134",
        linkedin_url="linkedin.com/in/dana-whitfield",
    )
    contacts.create_contact("Yosef Cohen", email="yosef@example.org")
    interactions.log_interaction(
        [dana], date="2026-11-10", channel="coffee", summary="Q2 plans, the EM role"
    )
    specs = [
        ("Send Dana the portfolio link", "2026-11-25", "Dana", "", "", [platform.id]),
        ("Monthly check-in with Dana", "2026-12-11 08:30", "Dana", "monthly", "", [platform.id]),
        (
            "Call Yosef, about the talk; slides",
            "2026-11-26 19:00",
            "Yosef",
            "",
            HARD_NOTES,
            [talks.id],
        ),
        ("Submit the CFP", "2026-12-01", None, "", "", [talks.id, platform.id]),
    ]
    for n, (title, due, contact, repeat, notes, goal_ids) in enumerate(specs, start=1):
        record = followups.create_followup(
            title, due=due, contact=contact, repeat=repeat, notes=notes, goals=goal_ids
        )
        FollowUp.update(uid=f"followup-{n}@rapport").where(FollowUp.id == record.id).execute()
    # One in another zone, as if typed while travelling.
    berlin = followups.create_followup("Coffee with Jonas in Berlin", due="2026-12-03 10:00")
    FollowUp.update(uid="followup-5@rapport", tz="Europe/Berlin").where(
        FollowUp.id == berlin.id
    ).execute()
    return db_path
