"""A repeating follow-up and its task on a phone agree on the series, through every sync.

Each test is a person's steps: rapport on one side, a phone editing the vdir
file as phones do (the changed lines, SEQUENCE one up, a later LAST-MODIFIED)
on the other, and what the person would see on either.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from icalendar import Calendar
from test_export_then_sync import entry, older_rows, run
from test_export_then_sync import zone as zone  # the fixture: the machine's time zone

PHONE_LATER = "20301231T000000Z"  # after anything rapport did (the frozen clock is 2026)
PHONE_EARLIER = "20261101T000000Z"  # before anything rapport did


def phone(
    path: Path,
    *,
    put: dict[str, str | None] | None = None,
    add: str = "",
    complete: bool = False,
    modified: str = PHONE_LATER,
) -> None:
    """Edit the task as a phone would: each property in ``put`` replaced by its new line
    (None: removed), ``add`` lines put in, ticked off if ``complete``; SEQUENCE one up."""
    text = re.sub(r"\r\n[ \t]", "", path.read_bytes().decode("utf-8"))
    lines = text.split("\r\n")
    start = next(i for i, line in enumerate(lines) if line in ("BEGIN:VTODO", "BEGIN:VEVENT"))
    end = next(
        i for i, line in enumerate(lines) if i > start and line.startswith(("BEGIN:V", "END:VTODO"))
    )
    head, body, tail = lines[: start + 1], lines[start + 1 : end], lines[end:]
    for name, line in (put or {}).items():
        found = [i for i, old in enumerate(body) if re.match(rf"{name}[;:]", old)]
        if found and line is None:
            del body[found[0]]
        elif found:
            body[found[0]] = line
        elif line is not None:
            body.append(line)
    if complete:
        body = [line for line in body if not line.startswith(("STATUS:", "COMPLETED:"))]
        body += ["STATUS:COMPLETED", "COMPLETED:20261204T180000Z", "PERCENT-COMPLETE:100"]
    body += [line for line in add.split("\r\n") if line]
    for i, line in enumerate(body):
        if line.startswith("SEQUENCE:"):
            body[i] = f"SEQUENCE:{int(line.split(':')[1]) + 1}"
        elif line.startswith("LAST-MODIFIED:"):
            body[i] = f"LAST-MODIFIED:{modified}"
    path.write_bytes("\r\n".join(head + body + tail).encode("utf-8"))


def synced(cli, tmp_path: Path, *add: str, zoneless: bool = False) -> tuple[tuple[str, ...], Path]:
    """The follow-up ``add`` says (``zoneless``: kept with no zone, as an older rapport or
    a JSON restore left it), synced once into a task folder: its command and file."""
    folder = tmp_path / "tasks"
    folder.mkdir()
    run(cli, "followups", "add", *add)
    if zoneless:
        older_rows(cli, tz="")
    export = ("export", "ics", "--vdir", str(folder), "--todo")
    run(cli, *export, "--sync")
    (path,) = folder.glob("*.ics")
    return export, path


def task(path: Path) -> dict[str, str | None]:
    """What the phone shows: the task's start, due, repeat and status as its file says them."""
    found = entry(Calendar.from_ical(path.read_bytes()))

    def value(name: str) -> str | None:
        prop = found.get(name)
        return None if prop is None else prop.to_ical().decode()

    return {name: value(name) for name in ("DTSTART", "DUE", "RRULE", "STATUS")}


def followup(cli) -> dict:
    return json.loads(run(cli, "followups", "show", "1", "--json"))


def quiet(cli, export: tuple[str, ...], path: Path) -> None:
    """A second sync with nothing changed changes and reports nothing."""
    before = path.read_bytes()
    assert run(cli, *export, "--sync").endswith(": nothing changed\n")
    assert path.read_bytes() == before


def test_ticking_off_a_counted_series_on_the_phone_counts_it_down_to_the_end(
    cli, tmp_path: Path
) -> None:
    """Five daily check-ins ticked off one by one on the phone: each sync moves the task
    to the next day with one fewer left, and the fifth ends it on both sides."""
    export, path = synced(
        cli, tmp_path, "Daily five", "--due", "2026-12-14 08:00", "--repeat", "FREQ=DAILY;COUNT=5"
    )
    for left in (4, 3, 2, 1):
        phone(path, complete=True)
        assert "1 done elsewhere" in run(cli, *export, "--sync")
        shown = task(path)
        assert shown["RRULE"] == f"FREQ=DAILY;COUNT={left}"
        assert shown["DTSTART"] == shown["DUE"] == f"202612{19 - left}T080000"
        assert shown["STATUS"] == "NEEDS-ACTION"
        assert followup(cli)["due_date"] == f"2026-12-{19 - left}"
        quiet(cli, export, path)
    phone(path, complete=True)
    run(cli, *export, "--sync")
    assert followup(cli)["done"] is True
    assert task(path)["STATUS"] == "COMPLETED"
    quiet(cli, export, path)


def test_a_snooze_in_rapport_keeps_the_end_the_phone_set(cli, tmp_path: Path) -> None:
    """The phone ends a weekly series on 13 January; a snooze in rapport moves the task
    off its Wednesday: the phone still ends it then, on its Wednesdays."""
    export, path = synced(cli, tmp_path, "Weekly end", "--due", "2026-12-16", "--repeat", "weekly")
    phone(path, put={"RRULE": "RRULE:FREQ=WEEKLY;UNTIL=20270113"})
    run(cli, *export, "--sync")
    run(cli, "followups", "snooze", "1", "--by", "2d")
    report = run(cli, *export, "--sync")
    assert "1 sent" in report and "conflict" not in report, report
    shown = task(path)
    assert shown["DUE"] == "20261218"
    assert shown["RRULE"] == "FREQ=WEEKLY;UNTIL=20270113;BYDAY=WE"
    assert followup(cli)["repeat"] == "FREQ=WEEKLY;UNTIL=20270113"  # rapport's series ends too
    quiet(cli, export, path)


def test_done_in_rapport_keeps_the_end_the_phone_set(cli, tmp_path: Path) -> None:
    """Five days, changed on the phone to run until the 31st: done in rapport moves the
    task on a day, and the phone's end stays (no COUNT comes back)."""
    export, path = synced(
        cli, tmp_path, "Five days", "--due", "2026-12-16", "--repeat", "FREQ=DAILY;COUNT=5"
    )
    phone(path, put={"RRULE": "RRULE:FREQ=DAILY;UNTIL=20261231"})
    run(cli, *export, "--sync")
    run(cli, "followups", "done", "1")
    assert "1 sent" in run(cli, *export, "--sync")
    assert task(path)["DUE"] == "20261217"
    assert task(path)["RRULE"] == "FREQ=DAILY;UNTIL=20261231"
    quiet(cli, export, path)


def test_a_count_set_on_the_phone_counts_down_as_rapport_completes(cli, tmp_path: Path) -> None:
    """The phone makes a weekly follow-up three times more; rapport ticks off all three:
    the phone counts them down with it, and the third ends the task on both."""
    export, path = synced(
        cli, tmp_path, "Weekly three", "--due", "2026-12-16", "--repeat", "weekly"
    )
    phone(path, put={"RRULE": "RRULE:FREQ=WEEKLY;COUNT=3"})
    run(cli, *export, "--sync")
    run(cli, "followups", "done", "1")
    run(cli, *export, "--sync")
    assert (task(path)["DUE"], task(path)["RRULE"]) == ("20261223", "FREQ=WEEKLY;COUNT=2")
    run(cli, "followups", "done", "1")
    run(cli, "followups", "done", "1")
    run(cli, *export, "--sync")
    assert followup(cli)["done"] is True
    assert task(path)["STATUS"] == "COMPLETED"
    quiet(cli, export, path)


def test_a_repeat_stopped_on_the_phone_then_ticked_off_there_is_done(cli, tmp_path: Path) -> None:
    """The phone stops a monthly catch-up repeating, then ticks it off: it is done in
    rapport too, not reopened for January."""
    export, path = synced(cli, tmp_path, "Catch-up", "--due", "2026-12-20", "--repeat", "monthly")
    phone(path, put={"RRULE": None})
    run(cli, *export, "--sync")
    assert followup(cli)["repeat"] is None
    phone(path, complete=True)
    assert "1 done elsewhere" in run(cli, *export, "--sync")
    assert followup(cli)["done"] is True
    assert task(path)["DUE"] == "20261220" and task(path)["STATUS"] == "COMPLETED"
    quiet(cli, export, path)


def test_a_repeat_stopped_and_ticked_off_on_the_phone_in_one_sync_is_done(
    cli, tmp_path: Path
) -> None:
    export, path = synced(cli, tmp_path, "Catch-up", "--due", "2026-12-20", "--repeat", "monthly")
    phone(path, put={"RRULE": None}, complete=True)
    run(cli, *export, "--sync")
    assert followup(cli)["done"] is True
    assert task(path)["DUE"] == "20261220" and task(path)["STATUS"] == "COMPLETED"
    quiet(cli, export, path)


def test_a_phones_series_that_ran_out_ends_in_rapport(cli, tmp_path: Path) -> None:
    """The phone ends a monthly catch-up before its next date (UNTIL 10 January):
    ticked off on the phone, it is done in rapport, not moved to 20 January."""
    export, path = synced(cli, tmp_path, "Catch-up", "--due", "2026-12-20", "--repeat", "monthly")
    phone(path, put={"RRULE": "RRULE:FREQ=MONTHLY;UNTIL=20270110"})
    run(cli, *export, "--sync")
    phone(path, complete=True)
    run(cli, *export, "--sync")
    assert followup(cli)["done"] is True
    assert task(path)["STATUS"] == "COMPLETED"
    quiet(cli, export, path)


def test_when_the_phone_wins_a_repeat_conflict_rapport_repeats_as_the_phone(
    cli, tmp_path: Path
) -> None:
    """Both change the repeat, the phone last: rapport takes the phone's repeat, the
    notes say in words what rapport's was, and the next date agrees on both."""
    export, path = synced(
        cli, tmp_path, "Monthly check-in", "--due", "2026-12-11", "--repeat", "monthly"
    )
    run(cli, "followups", "edit", "1", "--repeat", "every 2 months")
    phone(path, put={"RRULE": "RRULE:FREQ=MONTHLY;COUNT=3"})
    report = run(cli, *export, "--sync")
    assert "1 conflict kept in notes" in report, report
    shown = followup(cli)
    assert shown["repeat"] == "FREQ=MONTHLY;COUNT=3"
    assert "repeat in rapport was: every 2 months" in shown["notes"], shown["notes"]
    assert task(path)["RRULE"] == "FREQ=MONTHLY;COUNT=3"
    quiet(cli, export, path)
    phone(path, complete=True)
    run(cli, *export, "--sync")
    assert followup(cli)["due_date"] == "2027-01-11"
    assert (task(path)["DUE"], task(path)["RRULE"]) == ("20270111", "FREQ=MONTHLY;COUNT=2")


def test_when_rapport_wins_a_repeat_conflict_the_notes_word_the_phones_repeat(
    cli, tmp_path: Path
) -> None:
    export, path = synced(
        cli, tmp_path, "Monthly check-in", "--due", "2026-12-11", "--repeat", "monthly"
    )
    run(cli, "followups", "edit", "1", "--repeat", "every 2 months")
    phone(path, put={"RRULE": "RRULE:FREQ=MONTHLY;COUNT=3"}, modified=PHONE_EARLIER)
    assert "1 conflict kept in notes" in run(cli, *export, "--sync")
    assert task(path)["RRULE"] == "FREQ=MONTHLY;INTERVAL=2"
    notes = followup(cli)["notes"]
    assert "repeat elsewhere was: every month, 3 times" in notes, notes
    quiet(cli, export, path)


def strip_repeat_from_records(cli) -> None:
    """The sync records as a rapport from before b509f97 kept them: no repeat in them."""
    from rapport.db import close_database, open_database
    from rapport.models import SyncState

    close_database()
    open_database(cli.db)
    for state in SyncState.select():
        ours, theirs = json.loads(state.ours), json.loads(state.theirs)
        for fields in (ours, theirs):
            for name in ("rule", "repeat"):
                fields.pop(name, None)
        state.ours, state.theirs = json.dumps(ours), json.dumps(theirs)
        state.save()
    close_database()


def test_after_an_upgrade_a_repeat_set_in_rapport_reaches_the_phone(cli, tmp_path: Path) -> None:
    export, path = synced(cli, tmp_path, "Send portfolio", "--due", "2026-12-13")
    strip_repeat_from_records(cli)
    run(cli, "followups", "edit", "1", "--repeat", "weekly")
    report = run(cli, *export, "--sync")
    assert "conflict" not in report, report
    assert task(path)["RRULE"] == "FREQ=WEEKLY"
    quiet(cli, export, path)


def test_after_an_upgrade_an_end_the_phone_set_before_is_kept_and_taken_in(
    cli, tmp_path: Path
) -> None:
    """An older rapport synced a weekly follow-up whose end the phone had set (COUNT=4)
    and kept no repeat in its record.  A snooze in rapport after the upgrade does not
    send rapport's endless repeat over the phone's: the phone's end is rapport's too."""
    from rapport.calendar.vdir import content_hash, kept, read_item
    from rapport.db import close_database, open_database
    from rapport.models import SyncState

    export, path = synced(cli, tmp_path, "Weekly", "--due", "2026-12-16", "--repeat", "weekly")
    phone(path, put={"RRULE": "RRULE:FREQ=WEEKLY;COUNT=4"})
    close_database()
    open_database(cli.db)
    data = path.read_bytes()
    item = read_item(path.name, data, kind="VTODO")
    assert item is not None
    SyncState.update(
        hash=content_hash(data),
        sequence=item.sequence,
        theirs=json.dumps(kept(item.fields, floating=False)),
    ).execute()
    close_database()
    strip_repeat_from_records(cli)
    run(cli, "followups", "snooze", "1", "--by", "2d")
    report = run(cli, *export, "--sync")
    assert "conflict" not in report, report
    assert (task(path)["DUE"], task(path)["RRULE"]) == ("20261218", "FREQ=WEEKLY;COUNT=4;BYDAY=WE")
    assert followup(cli)["repeat"] == "FREQ=WEEKLY;COUNT=4"
    quiet(cli, export, path)


def test_a_zoneless_repeat_with_an_end_is_not_resent_when_the_machine_travels(
    cli, zone, tmp_path: Path
) -> None:
    export, path = synced(
        cli,
        tmp_path,
        "Zoneless weekly",
        "--due",
        "2026-12-17 10:00",
        "--repeat",
        "FREQ=WEEKLY;UNTIL=20270301",
        zoneless=True,
    )
    phone(path, put={"RRULE": "RRULE:FREQ=WEEKLY;COUNT=3"})
    run(cli, *export, "--sync")
    zone("Europe/Berlin")
    quiet(cli, export, path)
    assert task(path)["RRULE"] == "FREQ=WEEKLY;COUNT=3"


def test_a_title_edit_on_the_phone_after_travelling_leaves_a_zoneless_due_alone(
    cli, zone, tmp_path: Path
) -> None:
    export, path = synced(
        cli, tmp_path, "Zoneless call", "--due", "2026-12-15 10:00", zoneless=True
    )
    due = task(path)["DUE"]
    zone("Europe/Berlin")
    quiet(cli, export, path)
    phone(path, put={"SUMMARY": "SUMMARY:Follow up: zoneless call re Q3"})
    report = run(cli, *export, "--sync")
    assert "1 renamed" in report and "moved" not in report and "sent" not in report, report
    assert task(path)["DUE"] == due
    assert "TZID=America/Los_Angeles:20261215T100000" in path.read_text()


def test_a_reminder_worded_on_the_phone_is_not_rewritten_by_a_rename_in_rapport(
    cli, tmp_path: Path
) -> None:
    run(cli, "contacts", "add", "Dana Whitfield")
    export, path = synced(
        cli, tmp_path, "Call Dana", "--contact", "Dana", "--due", "2026-12-12 10:00"
    )
    mine = (
        "BEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:Follow up with Sam first if Dana is out"
        "\r\nTRIGGER:-P1D\r\nEND:VALARM"
    )
    text = path.read_bytes().decode().replace("END:VTODO", mine + "\r\nEND:VTODO")
    path.write_bytes(text.encode())
    phone(path, add="X-PHONE:1")
    run(cli, *export, "--sync")
    run(cli, "followups", "edit", "1", "--what", "Call Dana about the offsite")
    run(cli, *export, "--sync")
    words = sorted(
        str(a["DESCRIPTION"]) for a in entry(Calendar.from_ical(path.read_bytes())).walk("VALARM")
    )
    assert words == [
        "Follow up with Sam first if Dana is out",
        "Follow up: call Dana about the offsite",
    ]


PHONE_TASK = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Phone//Tasks//EN\r\n"
    "BEGIN:VTODO\r\nUID:ph-1\r\nDTSTAMP:20261201T090000Z\r\n"
    "LAST-MODIFIED:20261201T090000Z\r\nSEQUENCE:0\r\nSUMMARY:Buy milk\r\n"
    "DESCRIPTION:2 litres\\, oat\r\nDUE;VALUE=DATE:20261215\r\n"
    "STATUS:NEEDS-ACTION\r\nEND:VTODO\r\nEND:VCALENDAR\r\n"
)


def made_on_the_phone(cli, tmp_path: Path, name: str, text: str) -> tuple[tuple[str, ...], Path]:
    """A task the phone made, ``name`` in a task folder, taken in: the command and its file."""
    folder = tmp_path / "tasks"
    folder.mkdir()
    path = folder / name
    path.write_bytes(text.encode())
    export = ("export", "ics", "--vdir", str(folder), "--todo")
    assert "1 new from elsewhere" in run(cli, *export, "--sync")
    return export, path


def test_a_due_moved_on_the_phone_rewrites_nothing_else(cli, tmp_path: Path) -> None:
    export, path = made_on_the_phone(cli, tmp_path, "ph-1.ics", PHONE_TASK)
    phone(path, put={"DUE": "DUE;VALUE=DATE:20261216"})
    assert run(cli, *export, "--sync").endswith(": 1 moved\n")
    found = entry(Calendar.from_ical(path.read_bytes()))
    assert (str(found["SUMMARY"]), str(found["DESCRIPTION"])) == ("Buy milk", "2 litres, oat")
    quiet(cli, export, path)


def test_a_repeat_changed_in_rapport_is_told_as_a_repeat_in_words(cli, tmp_path: Path) -> None:
    """The report says "repeat", not the record's field name; the conflict notes say the
    repeat as the person typed it, not its RRULE."""
    export, path = synced(cli, tmp_path, "Monthly", "--due", "2026-12-11", "--repeat", "monthly")
    run(cli, "followups", "edit", "1", "--repeat", "every 2 months")
    report = run(cli, *export, "--sync")
    assert re.search(r"^sent +Monthly +description, repeat$", report, re.MULTILINE), report
    phone(path, put={"RRULE": "RRULE:FREQ=MONTHLY;COUNT=3"})
    report = run(cli, *export, "--sync")
    assert re.search(
        r"^repeat changed elsewhere +Monthly +every month, 3 times$", report, re.MULTILINE
    ), report
    assert report.endswith(": 1 repeat changed elsewhere\n"), report


MOZILLA_TASK = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Mozilla.org/NONSGML Mozilla Calendar V1.1//EN\r\n"
    "BEGIN:VTODO\r\nUID:moz-1\r\nDTSTAMP:20261201T090000Z\r\nSUMMARY:Call Jonas\r\n"
    "DUE;TZID=/mozilla.org/20050126_1/Europe/Berlin:20261215T100000\r\n"
    "STATUS:NEEDS-ACTION\r\nEND:VTODO\r\nEND:VCALENDAR\r\n"
)


def test_a_vendors_zone_name_comes_in_without_a_warning(cli, tmp_path: Path) -> None:
    """icalendar warns (GloballyUniqueTZIDGuessed, with a path into site-packages) when
    it reads /mozilla.org/.../Europe/Berlin as Europe/Berlin: the person sees none of it."""
    import warnings

    folder = tmp_path / "tasks"
    folder.mkdir()
    (folder / "moz-1.ics").write_bytes(MOZILLA_TASK.encode())
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        run(cli, "export", "ics", "--vdir", str(folder), "--todo", "--sync")
    assert [str(w.message) for w in caught] == []
    assert (followup(cli)["due_time"], followup(cli)["tz"]) == ("10:00", "Europe/Berlin")


PHONE_WEEKLY = PHONE_TASK.replace("UID:ph-1", "UID:ph-2").replace(
    "DUE;VALUE=DATE:20261215\r\n",
    "DTSTART;VALUE=DATE:20261215\r\nDUE;VALUE=DATE:20261215\r\nRRULE:FREQ=WEEKLY;COUNT=2\r\n",
)


def test_a_task_repeating_on_the_phone_repeats_in_rapport(cli, tmp_path: Path) -> None:
    """Made on the phone to repeat twice: ticked off in rapport, it goes on to the next
    week on both sides, not done on the phone after its first time."""
    export, path = made_on_the_phone(cli, tmp_path, "ph-2.ics", PHONE_WEEKLY)
    assert followup(cli)["repeat"] == "FREQ=WEEKLY;COUNT=2"
    run(cli, "followups", "done", "1")
    run(cli, *export, "--sync")
    shown = task(path)
    assert (shown["DUE"], shown["RRULE"], shown["STATUS"]) == (
        "20261222",
        "FREQ=WEEKLY;COUNT=1",
        "NEEDS-ACTION",
    )
    quiet(cli, export, path)


def test_a_dry_run_of_a_repeat_coming_in_changes_nothing(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    export, path = synced(cli, tmp_path, "Weekly", "--due", "2026-12-16", "--repeat", "weekly")
    config = tmp_path / "config.toml"
    config.write_text(f'[sync]\ntasks = "{path.parent}"\nvdirsyncer = false\n')
    monkeypatch.setenv("RAPPORT_CONFIG", str(config))
    phone(path, put={"RRULE": "RRULE:FREQ=WEEKLY;COUNT=3"}, complete=True)
    before, shown = path.read_bytes(), followup(cli)
    dry = run(cli, "sync", "--dry-run")
    assert "would be 1 done elsewhere, 1 repeat changed elsewhere" in dry, dry
    assert (path.read_bytes(), followup(cli)) == (before, shown)
    run(cli, "sync")
    assert (task(path)["DUE"], task(path)["RRULE"]) == ("20261223", "FREQ=WEEKLY;COUNT=2")
    quiet(cli, export, path)
