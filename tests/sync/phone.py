"""The "phone": a CalDAV client (the caldav library) acting on the server's tasks.

Run by the sync tests with .venv-sync's Python, where caldav lives:
``phone.py URL USER list|complete UID|move UID YYYYMMDD|repeat UID RRULE`` for tasks, ``cards|
card-phone NAME NUMBER|card-delete NAME`` for the address book (plain CardDAV
requests through the same client).  It edits a task as a phone app does: the
fields it changes, SEQUENCE one up, LAST-MODIFIED now.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys

import caldav
import icalendar

PROPFIND = '<?xml version="1.0"?><propfind xmlns="DAV:"><prop><getetag/></prop></propfind>'


def _cards(url: str, user: str) -> tuple[caldav.DAVClient, dict[str, tuple[str, str]]]:
    """The client, and each card of the address book "contacts" by FN: (its URL, its text)."""
    client = caldav.DAVClient(url=url, username=user, password="not-checked")
    book = f"{url}{user}/contacts/"
    listing = client.request(book, "PROPFIND", PROPFIND, {"Depth": "1"})
    body = listing.raw if isinstance(listing.raw, str) else listing.raw.decode()
    cards = {}
    for href in re.findall(r"<[^>]*href>([^<]+\.vcf)</", body):
        address = url.rstrip("/") + href
        text = client.request(address, "GET").raw
        text = text if isinstance(text, str) else text.decode()
        name = re.search(r"^FN:(.*?)\r?$", text, flags=re.MULTILINE)
        cards[name.group(1) if name else href] = (address, text)
    return client, cards


def _tasks(url: str, user: str) -> list[caldav.Todo]:
    client = caldav.DAVClient(url=url, username=user, password="not-checked")
    calendar = client.principal().calendars()[0]
    return list(calendar.todos(include_completed=True))


def _edit(task: caldav.Todo, change: dict[str, object]) -> None:
    calendar = icalendar.Calendar.from_ical(task.data)
    todo = next(c for c in calendar.walk("VTODO"))
    for name, value in change.items():
        todo.pop(name, None)
        todo.add(name, value)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    sequence = int(todo.get("SEQUENCE", 0)) + 1
    for name, value in (("SEQUENCE", sequence), ("LAST-MODIFIED", now), ("DTSTAMP", now)):
        todo.pop(name, None)
        todo.add(name, value)
    task.data = calendar.to_ical().decode()
    task.save()


def main(url: str, user: str, action: str, *args: str) -> None:
    if action.startswith("card"):
        client, cards = _cards(url, user)
        if action == "cards":
            phones = {
                name: (re.findall(r"^TEL[^:]*:(.*?)\r?$", text, flags=re.MULTILINE) or [""])[0]
                for name, (_, text) in cards.items()
            }
            print(json.dumps(phones, sort_keys=True))
        elif action == "card-phone":
            address, text = cards[args[0]]
            text = re.sub(r"^(TEL[^:]*:).*?(\r?)$", rf"\g<1>{args[1]}\2", text, flags=re.MULTILINE)
            client.request(address, "PUT", text, {"Content-Type": "text/vcard"})
        elif action == "card-delete":
            client.request(cards[args[0]][0], "DELETE")
        return
    tasks = {str(t.icalendar_component["UID"]): t for t in _tasks(url, user)}
    if action == "list":
        shown = {}
        for uid, task in tasks.items():
            todo = task.icalendar_component
            due = todo.get("DUE")
            shown[uid] = {
                "summary": str(todo.get("SUMMARY", "")),
                "status": str(todo.get("STATUS", "")),
                "due": due.dt.isoformat() if due is not None else None,
                "sequence": int(todo.get("SEQUENCE", 0)),
                "rrule": todo["RRULE"].to_ical().decode() if "RRULE" in todo else None,
            }
        print(json.dumps(shown, sort_keys=True))
    elif action == "complete":
        now = dt.datetime.now(dt.UTC).replace(microsecond=0)
        _edit(tasks[args[0]], {"STATUS": "COMPLETED", "COMPLETED": now, "PERCENT-COMPLETE": 100})
    elif action == "move":
        _edit(tasks[args[0]], {"DUE": dt.datetime.strptime(args[1], "%Y%m%d").date()})
    elif action == "repeat":
        _edit(tasks[args[0]], {"RRULE": icalendar.vRecur.from_ical(args[1])})
    else:
        raise SystemExit(f"unknown action {action}")


if __name__ == "__main__":
    main(*sys.argv[1:])
