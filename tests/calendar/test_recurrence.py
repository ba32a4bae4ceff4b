"""Recurrence: series re-anchored for export, and expansion that always ends quickly."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from rapport.recurrence import anchored_rule, expand, unlisted_reason

WINDOW = {"start": dt.datetime(2026, 11, 1), "end": dt.datetime(2027, 11, 1)}


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=SECONDLY",
        "FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=31",
        "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30",
        "FREQ=DAILY;BYYEARDAY=366;BYMONTH=1",
        "FREQ=MINUTELY;BYSETPOS=-1;BYMONTH=2;BYMONTHDAY=30",
        "FREQ=YEARLY;BYWEEKNO=53;BYDAY=MO",
    ],
)
def test_absurd_rules_end_quickly_and_say_so(rule: str) -> None:
    started = time.perf_counter()
    result = expand(rule, dt.datetime(2020, 1, 1), **WINDOW)
    assert time.perf_counter() - started < 1.0
    assert not result.complete


@pytest.mark.parametrize(
    ("rule", "count"),
    [
        ("FREQ=WEEKLY;BYDAY=TU,TH", 104),
        ("FREQ=MONTHLY;BYDAY=2TH", 12),
        ("FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1", 12),
        ("FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", 1),
        ("FREQ=MONTHLY;BYMONTHDAY=31", 7),
        ("FREQ=DAILY;COUNT=3", 0),
    ],
)
def test_usual_rules_are_listed_completely(rule: str, count: int) -> None:
    result = expand(rule, dt.datetime(2026, 1, 1, 18), **WINDOW)
    assert result.complete and unlisted_reason(rule) is None
    assert len(result.occurrences) == count


def test_utc_until_is_read_in_the_series_zone() -> None:
    # 2026-12-01 02:00 UTC is 2026-11-30 18:00 in Los Angeles: the occurrence that day counts.
    result = expand(
        "FREQ=DAILY;UNTIL=20261201T020000Z",
        dt.datetime(2026, 11, 28, 18),
        tz="America/Los_Angeles",
        **WINDOW,
    )
    assert [o.day for o in result.occurrences] == [28, 29, 30]


def test_anchored_rule_counts_what_is_left_and_keeps_a_snoozed_series_in_place() -> None:
    start = dt.date(2026, 1, 18)
    assert anchored_rule("FREQ=MONTHLY;COUNT=6", start, dt.date(2026, 3, 18)) == (
        "FREQ=MONTHLY;COUNT=4"
    )
    # Snoozed from the 18th to the 20th: the 20th is an extra first one, then the 18ths again.
    assert anchored_rule("FREQ=MONTHLY", start, dt.date(2026, 3, 20)) == (
        "FREQ=MONTHLY;BYMONTHDAY=18"
    )
    assert anchored_rule("FREQ=WEEKLY", start, dt.date(2026, 1, 20)) == "FREQ=WEEKLY;BYDAY=SU"
    assert anchored_rule("FREQ=MONTHLY", start, start) == "FREQ=MONTHLY"


def test_a_series_that_runs_past_the_last_date_ends_there() -> None:
    # dateutil raised "year 10000 is out of range" on the step after 9999-12-25.
    found = expand(
        "FREQ=WEEKLY",
        dt.date(9999, 12, 25),
        start=dt.datetime(9999, 12, 1),
        end=dt.datetime.max,
    )
    assert found.occurrences == (dt.datetime(9999, 12, 25),) and found.complete
