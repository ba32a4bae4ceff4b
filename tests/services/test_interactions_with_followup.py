"""log_interaction_with_followup: the app's log form writes both or neither."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from rapport.errors import ValidationError
from rapport.services import contacts, followups, interactions


def test_logs_and_creates_the_follow_up_with_the_first_contact(db_path: Path) -> None:
    dana = contacts.create_contact("Dana Whitfield")
    ravi = contacts.create_contact("Ravi Patel")

    interaction, followup = interactions.log_interaction_with_followup(
        [dana.id, ravi.id],
        channel="coffee",
        summary="Talked about the platform team",
        follow_up="Send Dana the draft",
        follow_up_due="+1w",
    )

    assert interaction.date == dt.date(2026, 11, 23)
    assert followup is not None
    assert (followup.title, followup.contact_id, followup.due_date) == (
        "Send Dana the draft",
        dana.id,
        dt.date(2026, 11, 30),
    )


def test_without_words_there_is_no_follow_up(db_path: Path) -> None:
    dana = contacts.create_contact("Dana Whitfield")
    _, followup = interactions.log_interaction_with_followup([dana.id], follow_up="  ")
    assert followup is None
    assert followups.list_followups(status="all") == []


def test_a_bad_follow_up_date_saves_neither(db_path: Path) -> None:
    dana = contacts.create_contact("Dana Whitfield")
    with pytest.raises(ValidationError) as error:
        interactions.log_interaction_with_followup(
            [dana.id], summary="coffee", follow_up="Write", follow_up_due="someday maybe"
        )
    assert error.value.field == "due"
    assert interactions.list_interactions() == []
