"""Today's agenda as the terminal prints it: the same as the rows, without the models."""

from __future__ import annotations

from pathlib import Path

import pytest

from rapport.services.agenda import agenda_columns, today_agenda


def test_the_agenda_on_sqlites_own_connection_is_the_one_on_the_models(
    sample_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `rapport today` opens without peewee (open_database(plain=True)) and reads
    # the follow-ups due and the people going cold by statement: the same
    # follow-ups, split the same way, with the same people, goals and days.
    from rapport.db import close_database, open_database
    from rapport.models import database

    def shown(agenda: object) -> object:
        rows = [*agenda.overdue, *agenda.due_soon]  # type: ignore[attr-defined]
        return (
            [
                (
                    r.id,
                    r.due_date,
                    r.title,
                    r.contact.name if r.contact else "",
                    tuple(g.title for g in r.goals),
                )
                for r in rows
            ],
            len(agenda.overdue),
            agenda.going_cold,
        )  # type: ignore[attr-defined]

    wanted = {days: shown(today_agenda(days=days)) for days in (0, 7, 60)}
    assert all(overdue >= 3 for _, overdue, _ in wanted.values())
    assert any(goals for rows, _, _ in wanted.values() for *_, goals in rows)
    close_database()
    open_database(sample_db, plain=True)

    def nowhere(*args: object, **kwargs: object) -> None:
        raise AssertionError("a statement of the agenda went through the models")

    monkeypatch.setattr(database.obj, "execute_sql", nowhere)
    for days, (rows, overdue, cold) in wanted.items():
        agenda = agenda_columns(days=days)
        due = agenda.due
        got = list(zip(due.id, due.due_date, due.title, due.contact, due.goals, strict=True))
        assert (got, len(agenda.overdue), agenda.going_cold) == (rows, overdue, cold)
        assert agenda.overdue + agenda.due_soon == list(range(len(due.id)))
