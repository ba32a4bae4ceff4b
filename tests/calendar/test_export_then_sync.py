"""A one-way vdir export, then the first two-way sync of that folder: nothing changed.

From a newcomer's steps: ``export ics --vdir D --todo`` and then ``export ics
--vdir D --todo --sync`` re-sent an untouched monthly follow-up with a time on
a machine set to Etc/UTC: the sync read the file's UTC time as a moved due,
wrote it back with an unused VTIMEZONE Etc/UTC and raised SEQUENCE, a changed
task on the phone for nothing.  Each kind of follow-up, as events and as
tasks, must come through the first sync byte for byte, and the other way
round too (sync first, then the one-way export).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from icalendar import Calendar

from rapport import clock

LOCAL = "America/Los_Angeles"  # the suite's zone (tests/conftest.py)


@pytest.fixture
def zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str], None]]:
    """Set the machine's time zone, as TZ does for a person's rapport."""
    import tzlocal

    def set_zone(name: str) -> None:
        monkeypatch.setenv("TZ", name)
        time.tzset()
        tzlocal.reload_localzone()
        clock.local_zone_name.cache_clear()

    yield set_zone
    monkeypatch.setenv("TZ", LOCAL)
    set_zone(LOCAL)


def run(cli, *args: str) -> str:
    result = cli(*args)
    assert result.exit_code == 0, result.output + result.stderr
    return result.output


def older_rows(cli, **values: object) -> None:
    """Change the follow-ups' rows as an older rapport or a JSON restore left them."""
    from rapport.db import close_database, open_database
    from rapport.models import FollowUp

    close_database()
    open_database(cli.db)
    FollowUp.update(**values).execute()
    close_database()


HARD_NOTES = 'Slides: "v2", 50% done; ask about C:\\Notes\\talk\nSecond line, with; punctuation'
LONG_TITLE = "Ask Dana about the platform team's on-call rotation " * 6


def all_day(cli, zone) -> None:
    run(cli, "followups", "add", "Send Dana the deck", "--contact", "Dana", "--due", "2026-12-12")


def timed_here(cli, zone) -> None:
    run(cli, "followups", "add", "Call Dana", "--contact", "Dana", "--due", "2026-12-10 10:00")


def timed_etc_utc(cli, zone) -> None:
    zone("Etc/UTC")  # the newcomer's machine: Etc/UTC is written with a Z
    timed_here(cli, zone)


def timed_utc(cli, zone) -> None:
    zone("UTC")
    timed_here(cli, zone)


def timed_elsewhere(cli, zone) -> None:
    zone("Europe/Berlin")  # typed while travelling, exported at home
    run(cli, "followups", "add", "Coffee with Jonas", "--due", "2026-12-03 10:00")
    zone(LOCAL)


def monthly_edited_etc_utc(cli, zone) -> None:
    """The newcomer's own follow-up: monthly, timed, changed three times (SEQUENCE 3)."""
    zone("Etc/UTC")
    due = ("--due", "2026-12-10 10:00", "--repeat", "monthly")
    run(cli, "followups", "add", "Monthly catch-up", "--contact", "Dana", *due)
    for notes in ("agenda", "agenda, v2", "agenda, v3"):
        run(cli, "followups", "edit", "1", "--notes", notes)


def weekly_berlin(cli, zone) -> None:
    zone("Europe/Berlin")
    run(cli, "followups", "add", "Weekly sync", "--due", "2026-12-11 08:30", "--repeat", "weekly")


def done(cli, zone) -> None:
    run(cli, "followups", "add", "Thank Dana", "--contact", "Dana", "--due", "2026-11-20 09:00")
    run(cli, "followups", "done", "1")


def details(cli, zone) -> None:
    run(cli, "goals", "add", "Lead a platform team, 2027; Europe")
    run(cli, "log", "Dana", "--channel", "coffee", "--summary", "Q2 plans", "--date", "2026-11-10")
    run(
        cli,
        "followups",
        "add",
        "Ask Dana for an intro",
        "--contact",
        "Dana",
        "--due",
        "2026-12-02 16:45",
        "--goal",
        "platform",
        "--notes",
        HARD_NOTES,
    )


def long_text(cli, zone) -> None:
    notes = "Über die Plattform, naïve café questions — 東京 " * 12
    run(cli, "followups", "add", LONG_TITLE.strip(), "--due", "2026-12-04 11:00", "--notes", notes)


def control_characters(cli, zone) -> None:
    run(cli, "followups", "add", "Call Dana", "--contact", "Dana", "--due", "2026-12-10")
    older_rows(cli, title="Call\x1b[31m Dana\x07", notes="line\r\nbreak\rand a bell\x07")


def floating(cli, zone) -> None:
    run(cli, "followups", "add", "Call Dana", "--contact", "Dana", "--due", "2026-12-10 10:00")
    older_rows(cli, tz="")  # a time with no zone: rapport writes it in the local one


def unknown_zone(cli, zone) -> None:
    run(cli, "followups", "add", "Call Dana", "--contact", "Dana", "--due", "2026-12-10 10:00")
    older_rows(cli, tz="Mars/Olympus_Mons")


KINDS = {
    "all-day": (all_day, ()),
    "timed, local zone": (timed_here, ()),
    "timed, Etc/UTC machine": (timed_etc_utc, ()),
    "timed, UTC machine": (timed_utc, ()),
    "timed, another zone": (timed_elsewhere, ()),
    "monthly, edited, Etc/UTC machine": (monthly_edited_etc_utc, ()),
    "weekly, Berlin": (weekly_berlin, ()),
    "alarm an hour before": (timed_etc_utc, ("--alarm", "1h")),
    "no alarm": (timed_here, ("--alarm", "none")),
    "done": (done, ("--include-done",)),
    "goal, contact details, hard notes": (details, ()),
    "long text, folded": (long_text, ()),
    "control characters": (control_characters, ()),
    "floating time": (floating, ()),
    "zone the tz database lacks": (unknown_zone, ()),
}


def folder_bytes(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.ics"))}


def sequences(cli) -> dict[str, int]:
    listed = json.loads(run(cli, "followups", "list", "--status", "all", "--json"))
    return {f["uid"]: f["sequence"] for f in listed}


def zones_unused_or_missing(data: bytes) -> tuple[set[str], set[str]]:
    """Read by icalendar: (VTIMEZONEs no property uses, TZIDs used without a VTIMEZONE)."""
    calendar = Calendar.from_ical(data)
    written = {str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")}
    used = {
        str(value.params["TZID"])
        for component in calendar.walk()
        if component.name in ("VEVENT", "VTODO")
        for value in component.values()
        if hasattr(value, "params") and "TZID" in value.params
    }
    return written - used, used - written


def set_up(cli, zone, folder: Path, kind: str, mode: tuple[str, ...]) -> tuple[str, ...]:
    """Dana, the follow-up of ``kind``; the export command into ``folder`` for it."""
    make, options = KINDS[kind]
    dana = ("--org", "Northwind", "--email", "d@nw.example", "--phone", "+1 415 555 0134")
    run(cli, "contacts", "add", "Dana Whitfield", *dana, "--linkedin", "linkedin.com/in/dana")
    make(cli, zone)
    return ("export", "ics", "--vdir", str(folder), *mode, *options)


@pytest.mark.parametrize("mode", [("--todo",), ()], ids=["tasks", "events"])
@pytest.mark.parametrize("kind", list(KINDS))
def test_the_first_sync_after_a_plain_export_finds_nothing_changed(
    cli, zone, tmp_path: Path, kind: str, mode: tuple[str, ...]
) -> None:
    folder = tmp_path / "calendar"
    export = set_up(cli, zone, folder, kind, mode)
    first = run(cli, *export)
    assert "; 1 file written" in first, first
    exported, numbered = folder_bytes(folder), sequences(cli)
    assert len(exported) == 1
    synced = run(cli, *export, "--sync")
    assert synced == f"{folder}: nothing changed\n"
    assert folder_bytes(folder) == exported  # no SEQUENCE grew, no VTIMEZONE came
    assert sequences(cli) == numbered
    assert run(cli, *export, "--sync") == f"{folder}: nothing changed\n"
    for name, data in exported.items():
        assert zones_unused_or_missing(data) == (set(), set()), name


@pytest.mark.parametrize("mode", [("--todo",), ()], ids=["tasks", "events"])
@pytest.mark.parametrize("kind", ["monthly, edited, Etc/UTC machine", "floating time", "done"])
def test_a_plain_export_after_a_sync_keeps_the_files_and_the_next_sync_is_quiet(
    cli, zone, tmp_path: Path, kind: str, mode: tuple[str, ...]
) -> None:
    folder = tmp_path / "calendar"
    folder.mkdir()
    export = set_up(cli, zone, folder, kind, mode)
    run(cli, *export, "--sync")
    synced, numbered = folder_bytes(folder), sequences(cli)
    plain = run(cli, *export)
    assert f"{len(synced)} unchanged" in plain and "0 removed" in plain, plain
    after = folder_bytes(folder)
    assert {name: after[name] for name in synced} == synced
    assert run(cli, *export, "--sync") == f"{folder}: nothing changed\n"
    assert folder_bytes(folder) == after and sequences(cli) == numbered


@pytest.mark.parametrize("mode", [("--todo",), ()], ids=["tasks", "events"])
@pytest.mark.parametrize(
    ("machine", "tzid"), [("Etc/UTC", None), ("UTC", None), ("Europe/Berlin", "Europe/Berlin")]
)
def test_a_due_moved_in_rapport_goes_out_with_only_the_zone_it_uses(
    cli, zone, tmp_path: Path, mode: tuple[str, ...], machine: str, tzid: str | None
) -> None:
    zone(machine)
    folder = tmp_path / "calendar"
    export = set_up(cli, zone, folder, "timed, local zone", mode)
    run(cli, *export)
    run(cli, *export, "--sync")
    run(cli, "followups", "edit", "1", "--due", "2026-12-11 11:30")
    assert run(cli, *export, "--sync").endswith(f"{folder}: 1 sent\n")
    (data,) = folder_bytes(folder).values()
    assert zones_unused_or_missing(data) == (set(), set())
    calendar = Calendar.from_ical(data)
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ([tzid] if tzid else [])
    item = entry(calendar)
    moment = (item.get("DUE") or item["DTSTART"]).dt
    assert (moment.date().isoformat(), moment.strftime("%H:%M")) == ("2026-12-11", "11:30")
    assert moment.utcoffset() == clock.local_zone().utcoffset(moment.replace(tzinfo=None))
    # A real client on that machine reads the file rapport edited at the same moment.
    assert client_sees(folder, tmp_path, mode, machine) == moment.timestamp()
    assert run(cli, *export, "--sync") == f"{folder}: nothing changed\n"


def client_sees(folder: Path, root: Path, mode: tuple[str, ...], machine: str) -> float:
    """When todoman (tasks) or khal (events), in ``machine``'s zone, says the item is due."""
    import datetime as dt
    import os
    import subprocess

    from calendar_clients import ensure_clients

    bin_dir = ensure_clients()  # fails, never skips, as the suite's other client tests
    env = {**os.environ, "HOME": str(root), "TZ": machine}
    if mode:
        config = root / "todoman.py"
        config.write_text(
            f'path = "{folder}"\ndate_format = "%Y-%m-%d"\ntime_format = "%H:%M"\n'
            f'cache_path = "{root / "todoman.sqlite3"}"\n'
        )
        argv = [str(bin_dir / "todo"), "--config", str(config), "--porcelain", "list"]
    else:
        config = root / "khal.conf"
        config.write_text(
            f"[calendars]\n[[rapport]]\npath = {folder}\ntype = calendar\n"
            f"[sqlite]\npath = {root / 'khal.db'}\n[locale]\nlocal_timezone = {machine}\n"
            f"default_timezone = {machine}\ntimeformat = %H:%M\ndateformat = %Y-%m-%d\n"
            "longdateformat = %Y-%m-%d\ndatetimeformat = %Y-%m-%d %H:%M\n"
            "longdatetimeformat = %Y-%m-%d %H:%M\n"
        )
        argv = [str(bin_dir / "khal"), "-c", str(config), "list", "2026-12-01", "2026-12-31"]
        argv += ["--format", "{start}", "--day-format", ""]
    done = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    if mode:
        (task,) = json.loads(done.stdout)
        return float(task["due"])
    (start,) = [line for line in done.stdout.splitlines() if line.strip()]
    local = dt.datetime.strptime(start, "%Y-%m-%d %H:%M").replace(tzinfo=clock.local_zone())
    return local.timestamp()


@pytest.fixture
def round_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``rapport sync``'s settings: the task folder alone, no vdirsyncer (README)."""
    folder = tmp_path / "tasks"
    config = tmp_path / "config.toml"
    config.write_text(f'[sync]\ntasks = "{folder}"\nvdirsyncer = false\n')
    monkeypatch.setenv("RAPPORT_CONFIG", str(config))
    return folder


def test_rapport_sync_of_a_folder_a_plain_export_wrote_sends_nothing(
    cli, zone, round_config: Path
) -> None:
    export = set_up(cli, zone, round_config, "monthly, edited, Etc/UTC machine", ("--todo",))
    run(cli, *export)
    exported = folder_bytes(round_config)
    report = json.loads(run(cli, "sync", "--json"))
    assert (report["summary"], report["files_written"]) == ("nothing changed", 0)
    assert folder_bytes(round_config) == exported


def older_record(cli, **fields: str) -> None:
    """The sync record as a rapport before this fix kept it (its due said "Etc/UTC")."""
    from rapport.db import close_database, open_database
    from rapport.models import SyncState

    close_database()
    open_database(cli.db)
    for state in SyncState.select():
        for side in ("ours", "theirs"):
            values = json.loads(getattr(state, side))
            values.update(fields)
            setattr(state, side, json.dumps(values, sort_keys=True))
        state.save()
    close_database()


def test_an_older_record_of_a_utc_machine_takes_a_move_made_elsewhere_without_a_conflict(
    cli, zone, round_config: Path
) -> None:
    export = set_up(cli, zone, round_config, "timed, Etc/UTC machine", ("--todo",))
    run(cli, *export, "--sync")
    older_record(cli, due="2026-12-10T10:00:00 Etc/UTC")
    quiet = json.loads(run(cli, "sync", "--json"))
    assert (quiet["summary"], quiet["rows_written"]) == ("nothing changed", 0)
    older_record(cli, due="2026-12-10T10:00:00 Etc/UTC")
    (path,) = round_config.glob("*.ics")
    moved = path.read_text().replace("DUE:20261210T100000Z", "DUE:20261211T120000Z")
    path.write_text(moved.replace("SEQUENCE:0", "SEQUENCE:1"))
    assert run(cli, "sync") == "WHAT   ITEM       DETAIL\n" + (
        "moved  Call Dana  2026-12-11T12:00:00 UTC\n1 moved\n"
    )
    shown = json.loads(run(cli, "followups", "show", "1", "--json"))
    assert (shown["due_date"], shown["due_time"], shown["notes"]) == ("2026-12-11", "12:00", "")


def synced_once(
    cli, zone, tmp_path: Path, kind: str, mode: tuple[str, ...]
) -> tuple[Path, tuple[str, ...], Path]:
    """The folder, its export command and its one file, after a first sync of ``kind``."""
    folder = tmp_path / "calendar"
    folder.mkdir()
    export = set_up(cli, zone, folder, kind, mode)
    run(cli, *export, "--sync")
    (path,) = folder.glob("*.ics")
    return folder, export, path


def entry(calendar: Calendar):
    """The VEVENT or VTODO of a vdir file."""
    return next(c for c in calendar.walk() if c.name in ("VEVENT", "VTODO"))


@pytest.mark.parametrize("mode", [("--todo",), ()], ids=["tasks", "events"])
def test_a_title_changed_in_rapport_goes_out_with_its_reminders_words(
    cli, zone, tmp_path: Path, mode: tuple[str, ...]
) -> None:
    folder, export, path = synced_once(cli, zone, tmp_path, "timed, local zone", mode)
    # The phone's own reminder, a day before, in its own words: it stays as it is.
    alarm = (
        b"BEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:Tomorrow!\r\nTRIGGER:-P1D\r\nEND:VALARM\r\n"
    )
    end = b"END:VTODO\r\n" if mode else b"END:VEVENT\r\n"
    path.write_bytes(path.read_bytes().replace(end, alarm + end))
    assert run(cli, *export, "--sync") == f"{folder}: nothing changed\n"
    run(cli, "followups", "edit", "1", "--what", "Call Dana about the offsite")
    assert run(cli, *export, "--sync").endswith(f"{folder}: 1 sent\n")
    calendar = Calendar.from_ical(path.read_bytes())
    item = entry(calendar)
    assert str(item["SUMMARY"]) == "Follow up: call Dana about the offsite"
    words = sorted(str(alarm["DESCRIPTION"]) for alarm in item.walk("VALARM"))
    assert words == ["Follow up: call Dana about the offsite", "Tomorrow!"]


@pytest.mark.parametrize("mode", [("--todo",), ()], ids=["tasks", "events"])
def test_a_repeat_changed_or_stopped_in_rapport_reaches_the_phone(
    cli, zone, tmp_path: Path, mode: tuple[str, ...]
) -> None:
    folder, export, path = synced_once(cli, zone, tmp_path, "weekly, Berlin", mode)

    def rule() -> str | None:
        found = entry(Calendar.from_ical(path.read_bytes())).get("RRULE")
        return None if found is None else found.to_ical().decode()

    assert rule() == "FREQ=WEEKLY"
    run(cli, "followups", "edit", "1", "--repeat", "monthly")
    assert run(cli, *export, "--sync").endswith(f"{folder}: 1 sent\n")
    assert rule() == "FREQ=MONTHLY"
    run(cli, "followups", "edit", "1", "--repeat", "none")
    assert run(cli, *export, "--sync").endswith(f"{folder}: 1 sent\n")
    assert rule() is None
    calendar = Calendar.from_ical(path.read_bytes())
    if mode:  # a task that does not repeat is due, it does not start (as the export writes)
        assert "DTSTART" not in next(iter(calendar.walk("VTODO")))
    assert zones_unused_or_missing(path.read_bytes()) == (set(), set())
    assert run(cli, *export, "--sync") == f"{folder}: nothing changed\n"
