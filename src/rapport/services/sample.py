"""The demo network in ``sample_data/network.json``, loaded through the services.

Dates in the file are relative ("-3d", "+2w 10:00") and are read against the
day it is loaded, so the demo always has something overdue, something due
this week and someone going cold.  Loading goes through the same validated
service functions as the CLI, in one transaction.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from rapport import clock, dates
from rapport.models import Contact, FollowUp, database
from rapport.resources import sample_data_dir
from rapport.services import (
    contacts,
    events,
    expertise,
    followups,
    goals,
    interactions,
    interviews,
    links,
    needs,
    self_assessment,
)
from rapport.services.orgs import create_organization
from rapport.services.resolve import resolve_contact


def sample_path() -> Path:
    return sample_data_dir() / "network.json"


def load_sample_network(
    path: Path | None = None, *, today: dt.date | None = None
) -> dict[str, int]:
    """Load the demo network into the open (empty) database; return counts by kind."""
    data = json.loads((path or sample_path()).read_text(encoding="utf-8"))
    today = today or clock.today()
    noon = dt.datetime.combine(today, dt.time(12))

    def when(text: str) -> dates.When:
        return dates.parse_when(text, now=noon)

    def day(text: str) -> dt.date:
        return when(text).date

    with database.atomic():
        goal_ids = _load_goals(data["goals"], day)
        for org in data["organizations"]:
            create_organization(
                org["name"], industry=org.get("industry", ""), website=org.get("website", "")
            )
        event_ids: dict[str, int] = {}
        for spec in data["events"]:
            event = events.create_event(
                spec["name"],
                start=when(spec["start"]),
                end=when(spec["end"]) if spec.get("end") else None,
                kind=spec.get("kind", "meetup"),
                location=spec.get("location", ""),
                url=spec.get("url", ""),
                my_role=spec.get("my_role", "attendee"),
                status=spec.get("status", "considering"),
                notes=spec.get("notes", ""),
                goals=[goal_ids[g] for g in spec.get("goals", [])],
            )
            event_ids[spec["key"]] = event.id
        _load_contacts(data["contacts"], goal_ids, event_ids, day, today)
        for spec in data["interactions"]:
            interactions.log_interaction(
                spec["with"],
                date=day(spec["date"]),
                channel=spec["channel"],
                summary=spec.get("summary", ""),
                notes=spec.get("notes", ""),
                direction=spec.get("direction", "mutual"),
            )
        interview_ids = _load_interviews(data["interviews"], goal_ids, when)
        for spec in data["followups"]:
            followup = followups.create_followup(
                spec["title"],
                due=when(spec["due"]),
                contact=spec.get("contact"),
                repeat=spec.get("repeat", ""),
                notes=spec.get("notes", ""),
                interview=interview_ids.get(spec.get("interview", "")),
                event=event_ids.get(spec.get("event", "")),
                goals=[goal_ids[g] for g in spec.get("goals", [])],
            )
            if spec.get("done"):
                followups.complete_followup(followup)
                # Done when it was due, not on the day the demo was loaded.
                closed = dt.datetime.combine(followup.due_date, dt.time(12), clock.local_zone())
                done_at = closed.astimezone(dt.UTC)
                FollowUp.update(done_at=done_at.replace(tzinfo=None)).where(
                    FollowUp.id == followup.id
                ).execute()
        _load_self(data, goal_ids, day)
    return {
        "goals": len(data["goals"]),
        "contacts": len(data["contacts"]),
        "interactions": len(data["interactions"]),
        "interviews": len(data["interviews"]),
        "events": len(data["events"]),
        "followups": len(data["followups"]),
    }


def _load_goals(specs: list[dict[str, Any]], day: Any) -> dict[str, int]:
    ids: dict[str, int] = {}
    for spec in specs:
        goal = goals.create_goal(
            spec["title"],
            why=spec.get("why", ""),
            horizon=spec.get("horizon", "short"),
            specific=spec.get("specific", ""),
            measure=spec.get("measure", ""),
            target_date=day(spec["target"]) if spec.get("target") else None,
            status=spec.get("status", "active"),
            priority=spec.get("priority", "normal"),
            parent=ids[spec["parent"]] if spec.get("parent") else None,
        )
        ids[spec["key"]] = goal.id
    return ids


def _load_contacts(
    specs: list[dict[str, Any]],
    goal_ids: dict[str, int],
    event_ids: dict[str, int],
    day: Any,
    today: dt.date,
) -> None:
    for spec in specs:
        contact = contacts.create_contact(
            spec["name"],
            organization=spec.get("organization"),
            role=spec.get("role", ""),
            email=spec.get("email", ""),
            phone=spec.get("phone", ""),
            linkedin_url=spec.get("linkedin", ""),
            location=spec.get("location", ""),
            how_met=spec.get("how_met", ""),
            met_at=event_ids.get(spec.get("met_at", "")),
            tags=spec.get("tags", []),
            notes=spec.get("notes", ""),
            cadence_days=spec.get("cadence"),
            connected_on=day(spec["connected"]) if spec.get("connected") else None,
        )
        # Pretend the contact was added when we connected (or a year ago), so
        # "never contacted" reminders count from a believable day.
        added = contact.connected_on or today - dt.timedelta(days=365)
        Contact.update(created_at=dt.datetime.combine(added, dt.time(9))).where(
            Contact.id == contact.id
        ).execute()
        for link in spec.get("goals", []):
            links.link_goal(
                goal_ids[link["goal"]],
                contact=contact,
                role=link.get("role", ""),
                note=link.get("note", ""),
            )
    for spec in specs:
        if spec.get("introduced_by"):
            contacts.update_contact(
                resolve_contact(spec["name"]), introduced_by=spec["introduced_by"]
            )


def _load_interviews(
    specs: list[dict[str, Any]], goal_ids: dict[str, int], when: Any
) -> dict[str, int]:
    ids: dict[str, int] = {}
    for spec in specs:
        interview = interviews.create_interview(
            spec["with"],
            when=when(spec["when"]),
            questions=spec.get("questions", ""),
            notes=spec.get("notes", ""),
            advice=spec.get("advice", ""),
            status=spec.get("status", "planned"),
            thank_you_sent=spec.get("thank_you_sent", False),
            goals=[goal_ids[g] for g in spec.get("goals", [])],
        )
        if spec.get("referrals"):
            interviews.add_referrals(interview, spec["referrals"])
        ids[spec["with"]] = interview.id
    return ids


def _load_self(data: dict[str, Any], goal_ids: dict[str, int], day: Any) -> None:
    """The self-assessment with its history, what each goal needs, who knows what."""
    me = data.get("self", {})
    for spec in me.get("ratings", []):
        self_assessment.rate_skill(
            spec["skill"], spec["level"], date=day(spec["date"]), note=spec.get("note", "")
        )
    for kind in ("strength", "interest", "value"):
        for spec in me.get(kind + "s", []):
            self_assessment.set_trait(kind, spec["phrase"], note=spec.get("note"))
    for spec in data.get("needs", []):
        needs.set_need(goal_ids[spec["goal"]], spec["skill"], spec["level"])
    for spec in data.get("expertise", []):
        expertise.set_expertise(
            spec["contact"], spec["skill"], level=spec.get("level"), note=spec.get("note")
        )
