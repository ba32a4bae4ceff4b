"""How quick the app is on a large database: first screen, filtering, a contact, search.

    .venv/bin/python bench/tui_timings.py PATH/TO/big.db [--contact ID] [--word TEXT]
        [--search TEXT]

Runs the app headless (Textual's Pilot) at 120x40 and prints seconds for each
step, as bench/inside.py measures them for `make bench` (one implementation,
there).  Make the database with the benchmark generator; its contact 1 has 200
interactions.
"""

from __future__ import annotations

import argparse
import os
import time

STARTED = time.time()
os.environ.setdefault("RAPPORT_NOW", "2026-11-23T09:00:00")


def main() -> None:
    from inside import tui_timings

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("db")
    parser.add_argument("--contact", type=int, default=1, help="the contact to open")
    parser.add_argument("--word", default="ana s", help="what to type in the contact filter")
    parser.add_argument("--search", default="platform", help="what to type in the search box")
    args = parser.parse_args()
    took = tui_timings(
        args.db, contact=args.contact, word=args.word, spawned=STARTED, search=args.search
    )
    print(f"{took['launch']:7.3f} s  Today's follow-ups shown (from the start of the process)")
    print(f"{took['today_complete']:7.3f} s  Today's going cold shown")
    print(f"{took['contacts_tab']:7.3f} s  Contacts tab shown ({took['contacts']:,} contacts)")
    for typed, rows, seconds in took["keystrokes"]:
        print(f"{seconds:7.3f} s  filter keystroke {typed!r} ({rows:,} rows)")
    print(f"{took['open_contact']:7.3f} s  contact {args.contact} opened ({took['timeline']})")
    print(f"{took['jump_to_contact']:7.3f} s  jumped to contact {args.contact} from Today")
    for typed, hits, seconds in took["search_keystrokes"]:
        print(f"{seconds:7.3f} s  search box keystroke {typed!r} ({hits} shown)")
    print(f"{took['followups_tab']:7.3f} s  Follow-ups tab opened ({took['followups']:,} open)")
    print(f"{took['peak_kb'] / 1024:7.0f} MB peak memory")


if __name__ == "__main__":
    main()
