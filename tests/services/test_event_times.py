"""An event's end typed as a time alone is on the event's own day, not today."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from rapport.services import events


def test_an_end_typed_as_a_time_is_on_the_start_day(db_path: Path) -> None:
    made = events.create_event("Meetup", start="2027-03-05 18:30", end="21:00")
    assert (made.end_date, made.end_time) == (dt.date(2027, 3, 5), dt.time(21, 0))
    moved = events.update_event(made.id, end="22:15")
    assert (moved.end_date, moved.end_time) == (dt.date(2027, 3, 5), dt.time(22, 15))
