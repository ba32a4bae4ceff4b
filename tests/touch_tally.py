"""Each contact's latest exchange date, sought in interaction_contact and as
contact_touch keeps it (migration 0016): tests compare the two."""

from __future__ import annotations

from rapport.models import database


def sought() -> dict[int, str]:
    """Each contact's latest participation date, sought among them all."""
    rows = database.execute_sql(
        "SELECT contact_id, MAX(date) FROM interaction_contact"
        " WHERE date IS NOT NULL GROUP BY contact_id"
    )
    return dict(rows.fetchall())


def kept() -> dict[int, str]:
    """What contact_touch holds (a row of NULL is a contact with none left)."""
    rows = database.execute_sql("SELECT contact_id, last_on FROM contact_touch")
    return {c: d for c, d in rows if d is not None}
