"""rapport.connection: stored dates read without the models as the models read them."""

from __future__ import annotations

import datetime as dt

import peewee
import pytest

from rapport.connection import parsed


@pytest.mark.parametrize(
    ("kind", "field", "stored"),
    [
        (dt.date, peewee.DateField(), ["2026-11-23", None]),
        (dt.date, peewee.DateField(), ["2026-11-23 10:30:00", "", "soon", None]),
        (dt.datetime, peewee.DateTimeField(), ["2026-11-23 10:30:00.250000", "2026-11-23"]),
        (dt.datetime, peewee.DateTimeField(), ["2026-11-23 10:30:00", "", None]),
        (dt.time, peewee.TimeField(), ["10:30:00", None]),
    ],
)
def test_stored_dates_are_parsed_as_the_models_fields_parse_them(
    kind: type[dt.date], field: peewee.Field, stored: list[str | None]
) -> None:
    # The plain review and `followups due` read dates as text: what they make
    # of each (a date, None, or text no format fits, kept as it is) is what
    # the models' fields would have handed them.
    assert parsed(stored, kind) == [field.python_value(value) for value in stored]
