"""The batch checks that say a cleaner would return text as it is: never wrong, and true
for what exports write (plain names, canonical LinkedIn addresses, lower-case emails)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from rapport import clock
from rapport.errors import ValidationError
from rapport.services import clean

# Characters that cleaners change or refuse, beside plain ones.
_ODD = st.sampled_from(list(" \t\n\r\x00\x1b\x7f\x85\xa0é\ufeffAZ?#/@.:-_"))
_TEXT = st.lists(st.one_of(_ODD, st.characters(max_codepoint=0x7F)), max_size=12).map("".join)
_PREFIXES = st.sampled_from(
    ["", "https://www.linkedin.com", "https://www.linkedin.com/in/", "http://linkedin.com/", "a@b."]
)
_VALUES = st.lists(st.tuples(_PREFIXES, _TEXT).map("".join), min_size=1, max_size=6)


def _kept(cleaner: clean.Cleaner, value: Any) -> bool:
    try:
        return bool(cleaner(value) == value)
    except ValidationError:
        return False


@given(_VALUES, st.booleans(), st.integers(min_value=0, max_value=20))
def test_one_line_keeps_only_what_one_line_keeps(
    values: list[str], required: bool, max_length: int
) -> None:
    if clean.one_line_keeps(values, required=required, max_length=max_length):
        assert all(
            _kept(lambda v: clean.one_line(v, "f", required=required, max_length=max_length), v)
            for v in values
        )


@given(_VALUES)
def test_email_and_linkedin_checks_keep_only_what_their_cleaners_keep(values: list[str]) -> None:
    if clean.email_keeps(values):
        assert all(_kept(clean.email, v) for v in values)
    if clean.linkedin_url_keeps(values):
        assert all(_kept(clean.linkedin_url, v) for v in values)


def test_what_exports_write_is_kept_in_one_check() -> None:
    assert clean.one_line_keeps(["Dana Whitfield", "Sam O'Neil-Smith", ""], max_length=300)
    assert clean.linkedin_url_keeps(["https://www.linkedin.com/in/dana-w-1b735b", ""])
    assert clean.email_keeps(["dana@northwind.example", ""])
    # And what a cleaner changes is not.
    assert not clean.one_line_keeps(["Dana  Whitfield"])
    assert not clean.one_line_keeps(["Dana\nWhitfield"])
    assert not clean.one_line_keeps([""], required=True)
    assert not clean.linkedin_url_keeps(["https://www.linkedin.com/in/Dana-W/"])
    assert not clean.email_keeps(["Dana@Northwind.example"])


@given(
    st.lists(
        st.one_of(
            st.none(),
            st.dates(min_value=dt.date(2026, 1, 1), max_value=dt.date(2027, 12, 31)),
            st.datetimes(min_value=dt.datetime(2026, 1, 1), max_value=dt.datetime(2027, 1, 1)),
        ),
        max_size=5,
    )
)
def test_past_date_keeps_only_days_up_to_today(values: list[Any]) -> None:
    if clean.past_date_keeps(values):
        assert all(_kept(lambda v: clean.past_date(v, "connected on"), v) for v in values)


def test_connection_days_up_to_today_are_kept_in_one_check() -> None:
    today = clock.today()
    assert clean.past_date_keeps([today, None, today - dt.timedelta(days=900)])
    assert not clean.past_date_keeps([today + dt.timedelta(days=1)])
