"""Repeat rules in words: what the app, the CLI and the calendar files say instead of an RRULE."""

from __future__ import annotations

import pytest

from rapport.words import rule_words


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        ("", ""),
        ("FREQ=DAILY", "every day"),
        ("FREQ=WEEKLY", "every week"),
        ("FREQ=WEEKLY;INTERVAL=2", "every 2 weeks"),
        ("RRULE:FREQ=MONTHLY;INTERVAL=3", "every 3 months"),
        ("FREQ=YEARLY", "every year"),
        ("FREQ=WEEKLY;BYDAY=MO", "every Monday"),
        ("FREQ=WEEKLY;BYDAY=MO,TH", "every Monday and Thursday"),
        ("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "every weekday"),
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", "every 2 weeks on Tuesday"),
        ("FREQ=MONTHLY;BYDAY=1MO", "every month on the first Monday"),
        ("FREQ=MONTHLY;BYDAY=-1FR", "every month on the last Friday"),
        ("FREQ=MONTHLY;BYDAY=TH;BYSETPOS=2", "every month on the second Thursday"),
        ("FREQ=MONTHLY;BYMONTHDAY=15", "every month on the 15th"),
        ("FREQ=MONTHLY;BYMONTHDAY=1,22", "every month on the 1st and 22nd"),
        ("FREQ=MONTHLY;BYMONTHDAY=-1", "every month on the last day"),
        ("FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1", "every year on 1 March"),
        ("FREQ=WEEKLY;COUNT=1", "every week, once"),
        ("FREQ=WEEKLY;COUNT=6", "every week, 6 times"),
        ("FREQ=WEEKLY;UNTIL=20270101", "every week, until Fri 1 Jan 2027"),
        ("FREQ=WEEKLY;BYDAY=MO;UNTIL=20270101T080000Z", "every Monday, until Fri 1 Jan 2027"),
        ("FREQ=HOURLY;INTERVAL=4", "every 4 hours"),
    ],
)
def test_a_rule_reads_as_words(rule: str, words: str) -> None:
    assert rule_words(rule) == words


@pytest.mark.parametrize(
    "rule", ["FREQ=DAILY;BYHOUR=9", "FREQ=SOMETIMES", "not a rule", "FREQ=MONTHLY;BYSETPOS=1"]
)
def test_a_rule_without_plain_words_is_shown_as_written(rule: str) -> None:
    assert rule_words(rule) == rule


def test_a_count_agrees_with_its_noun() -> None:
    from rapport.words import plural

    assert plural(1, "entry", "entries") == "1 entry"
    assert plural(3, "entry", "entries") == "3 entries"
    assert plural(0, "follow-up") == "0 follow-ups"
    assert plural(1204, "person", "people") == "1,204 people"


def test_a_rule_repeated_down_a_list_is_read_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # `followups list` parsed the same five rules 407 times at 30,000 contacts.
    from dateutil import rrule as dateutil_rrule

    read = []
    parse = dateutil_rrule.rrulestr

    def counted(text: str, **options: object) -> object:
        read.append(text)
        return parse(text, **options)

    monkeypatch.setattr(dateutil_rrule, "rrulestr", counted)
    rule = "FREQ=MONTHLY;INTERVAL=3;BYDAY=2TU"
    assert {rule_words(rule) for _ in range(300)} == {rule_words(rule)}
    assert len(read) <= 1
