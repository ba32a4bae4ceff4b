"""Two writers: several processes adding and editing at once; every write lands, none is refused.

Three processes write through the services (as the app does) and one through
``rapport`` commands, all on one file, for a few seconds (longer under
``make soak``).  Each logs a write only after it returned; afterwards every
logged write must be in the database, and no writer may have failed, with
"database is locked" or anything else.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from safety_harness import SOAK, connect_raw, integrity, logged, start_writer

SERVICE_WRITERS = 6 if SOAK else 3
SECONDS = 30.0 if SOAK else 2.5


@pytest.fixture
def shared_db(tmp_path: Path) -> Path:
    """A database with one follow-up that every writer edits."""
    from rapport.db import close_database, open_database
    from rapport.services.contacts import create_contact
    from rapport.services.followups import create_followup

    path = open_database(tmp_path / "shared.db")
    create_followup("Shared reminder", due="tomorrow", contact=create_contact("Dana").id)
    close_database()
    return path


def test_concurrent_writers_all_land_and_none_is_refused(shared_db: Path, tmp_path: Path) -> None:
    logs = {f"svc{i}": tmp_path / f"svc{i}.log" for i in range(SERVICE_WRITERS)}
    logs["cli"] = tmp_path / "cli.log"
    writers = [
        start_writer(shared_db, name, SECONDS, log, "cli" if name == "cli" else "services")
        for name, log in logs.items()
    ]
    codes = [w.wait(timeout=SECONDS + 120) for w in writers]

    lines = {name: logged(log) for name, log in logs.items()}
    assert codes == [0] * len(writers)

    conn = connect_raw(shared_db)
    names = dict(conn.execute("SELECT id, name FROM contact"))
    notes = dict(conn.execute("SELECT id, notes FROM contact"))
    summaries = Counter(
        (contact_id, summary)
        for contact_id, summary in conn.execute(
            "SELECT ic.contact_id, i.summary FROM interaction i "
            "JOIN interaction_contact ic ON ic.interaction_id = i.id"
        )
    )
    sequence = conn.execute("SELECT sequence FROM follow_up WHERE id = 1").fetchone()[0]
    conn.close()

    bumps = 0
    for name, entries in lines.items():
        assert any(e.startswith("contact ") for e in entries), f"{name} wrote nothing"
        for entry in entries:
            kind, _, rest = entry.partition(" ")
            if kind == "contact":
                contact_name, contact_id = rest.rsplit(" ", 1)
                assert names.get(int(contact_id)) == contact_name
            elif kind == "edited":
                contact_id, note = rest.split(" ", 1)
                assert notes[int(contact_id)] == note
            elif kind == "logged":
                contact_id, summary = rest.split(" ", 1)
                assert summaries[(int(contact_id), summary)] == 1
            elif kind == "bump":
                bumps += 1
    # Every edit of the shared follow-up raised its SEQUENCE: none was lost.
    assert sequence == bumps
    assert integrity(shared_db) == "ok"
