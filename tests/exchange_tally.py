"""Each contact's exchanges by direction, counted from interaction_contact and as
exchange_count keeps them (migration 0015): tests compare the two."""

from __future__ import annotations

from rapport.models import database


def counted() -> dict[tuple[int, str], int]:
    """What counting the exchanges says, per (contact, direction)."""
    rows = database.execute_sql(
        "SELECT contact_id, direction, COUNT(*) FROM interaction_contact GROUP BY 1, 2"
    )
    return {(c, d): n for c, d, n in rows}


def kept() -> dict[tuple[int, str], int]:
    """What exchange_count holds (a count gone to zero stays as a row of zero)."""
    rows = database.execute_sql("SELECT contact_id, direction, exchanges FROM exchange_count")
    return {(c, d): n for c, d, n in rows if n}
