"""Write ``tests/data/schema-NNNN.sqlite``: a database of the current schema, as people have them.

A fixture is made once, by the rapport that introduces its schema, and then
kept as it is: it stands for every database that version ever wrote, and
tests/safety/test_versions.py opens each one with today's rapport.  So when
you add a migration, run (from the repository root)::

    .venv/bin/python tests/data/make_fixtures.py

It writes the fixture of the newest schema if it is missing (``--force``
rewrites it).  The fixture holds the demo network plus records with the
text that tends to break things: emoji, right-to-left, combining marks,
control characters, quotes, FTS5 syntax and a long note.
"""

from __future__ import annotations

import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

DATA = Path(__file__).resolve().parent
FROZEN_NOW = "2026-11-23T09:00:00"

ODD_TEXT = [
    ("Zoë 🦊 Ångström", "Café ☕ notes: naïve, ﬁ ligature, e\u0301 combining"),
    ("محمد الأحمد", "ملاحظات من اليمين إلى اليسار\u200f with LTR mixed in"),
    ('Robert"); DROP TABLE contact;--', "quotes \" and ' and NEAR(a b) OR title:x * ^ -y"),
    ("Tab\tand\x07bell", "line one\nline two\r\nline three \x01\x1f"),
    ("Long Notes", "lorem ipsum dolor sit amet " * 4000),
]


def build(path: Path) -> None:
    from rapport.db import close_database, open_database
    from rapport.services.contacts import create_contact
    from rapport.services.interactions import log_interaction
    from rapport.services.sample import load_sample_network

    open_database(path)
    load_sample_network()
    for name, notes in ODD_TEXT:
        contact = create_contact(name, notes=notes, tags=["fixture"])
        log_interaction([contact.id], summary=f"talked to {name}", notes=notes, date="-3d")
    close_database()
    conn = sqlite3.connect(str(path))
    # Everything in the one file, as it is between two runs of rapport.
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def main() -> int:
    os.environ["RAPPORT_NOW"] = FROZEN_NOW
    os.environ["TZ"] = "America/Los_Angeles"
    time.tzset()
    from rapport.db import schema_version

    version = schema_version()
    target = DATA / f"schema-{version:04d}.sqlite"
    if target.exists() and "--force" not in sys.argv:
        print(f"{target} exists (made by the rapport that introduced schema {version}); kept")
        return 0
    with tempfile.TemporaryDirectory() as folder:
        built = Path(folder) / "fixture.db"
        build(built)
        target.write_bytes(built.read_bytes())
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
