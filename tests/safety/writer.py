"""One writer of the two-writers test, run as its own process.

``python writer.py DB NAME SECONDS LOG MODE`` adds and edits records in a
loop for SECONDS, through the services (MODE ``services``) or through
``rapport`` commands in new processes (``cli``), and appends a line to LOG after each write that
returned.  Any failure is written to LOG as ``ERROR ...`` and ends the writer.

Lines: ``contact NAME ID``, ``edited ID NOTE``, ``logged ID SUMMARY``, ``bump``.
With ``batches`` it instead adds contacts BATCH at a time, each batch in one
transaction, and logs ``batch N``.
"""

from __future__ import annotations

import subprocess
import sys
import time
import traceback
from pathlib import Path


def service_writer(db: Path, name: str, seconds: float, log) -> None:  # type: ignore[no-untyped-def]
    from rapport.db import open_database
    from rapport.services import contacts, followups, interactions

    open_database(db)
    shared = followups.list_followups(status="open")[0].id
    deadline = time.monotonic() + seconds
    n = 0
    while time.monotonic() < deadline:
        n += 1
        contact = contacts.create_contact(f"{name}-{n}", organization="Shared Org", notes="new")
        log(f"contact {name}-{n} {contact.id}")
        note = f"edited by {name} round {n}"
        contacts.update_contact(contact.id, notes=note, expected_updated_at=contact.updated_at)
        log(f"edited {contact.id} {note}")
        summary = f"{name} talked to {name}-{n}"
        interactions.log_interaction([contact.id], summary=summary, channel="call")
        log(f"logged {contact.id} {summary}")
        followups.update_followup(shared, notes=f"{name} {n}")
        log("bump")


BATCH = 20


def batch_writer(db: Path, name: str, seconds: float, log) -> None:  # type: ignore[no-untyped-def]
    from rapport.db import open_database
    from rapport.models import database
    from rapport.services import contacts

    open_database(db)
    deadline = time.monotonic() + seconds
    n = 0
    while time.monotonic() < deadline:
        n += 1
        with database.atomic():
            for i in range(BATCH):
                contacts.create_contact(f"{name} batch {n} #{i}", notes="x" * 2000)
        log(f"batch {n}")
        # A breath between batches, as any program that is not a loop takes:
        # with none, SQLite's busy handler (which sleeps and retries, no queue)
        # let a restore wait for the lock until this writer had finished, so
        # it raced nothing.
        time.sleep(0.02)


def cli_writer(db: Path, name: str, seconds: float, log) -> None:  # type: ignore[no-untyped-def]
    def rapport(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "rapport", "--db", str(db), *args],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"rapport {' '.join(args)} -> {done.returncode}: {done.stderr}")
        return done.stdout

    deadline = time.monotonic() + seconds
    n = 0
    while time.monotonic() < deadline:
        n += 1
        out = rapport("contacts", "add", f"{name}-{n}", "--org", "Shared Org", "--notes", "new")
        contact_id = int(out.split("#")[1].split(":")[0])
        log(f"contact {name}-{n} {contact_id}")
        note = f"edited by {name} round {n}"
        rapport("contacts", "edit", str(contact_id), "--notes", note)
        log(f"edited {contact_id} {note}")
        summary = f"{name} talked to {name}-{n}"
        rapport("log", str(contact_id), "--summary", summary, "--channel", "call")
        log(f"logged {contact_id} {summary}")
        rapport("followups", "edit", "1", "--notes", f"{name} {n}")
        log("bump")


def main() -> None:
    db, name, seconds, log_path = Path(sys.argv[1]), sys.argv[2], float(sys.argv[3]), sys.argv[4]
    mode = sys.argv[5] if len(sys.argv) > 5 else "services"
    writer = {"services": service_writer, "cli": cli_writer, "batches": batch_writer}[mode]
    with open(log_path, "a", encoding="utf-8", buffering=1) as handle:

        def log(line: str) -> None:
            handle.write(line + "\n")

        try:
            writer(db, name, seconds, log)
        except BaseException:
            log("ERROR " + traceback.format_exc().replace("\n", " | "))
            sys.exit(1)


if __name__ == "__main__":
    main()
