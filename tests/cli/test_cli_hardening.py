"""Commands hold under what people and scripts type: huge numbers, '-words', half-done writes."""

from __future__ import annotations

import json
import os
import re
import stat
from pathlib import Path
from typing import Any

import click
import pytest

HUGE = str(2**63)

# Every command that takes a record's number (alone, or a name or a number),
# given one no record can have: "no such record", exit 3 (README, Exit codes),
# whether the argument takes names too or numbers only.
HUGE_ID_COMMANDS = [
    ("contacts", "show", HUGE),
    ("contacts", "edit", HUGE, "--role", "x"),
    ("contacts", "edit", "dana", "--introduced-by", HUGE),
    ("contacts", "edit", "dana", "--met-at", HUGE),
    ("contacts", "delete", HUGE, "--yes"),
    ("contacts", "archive", HUGE),
    ("contacts", "restore", HUGE),
    ("contacts", "expertise", HUGE, "Hiring"),
    ("contacts", "expertise", "dana", HUGE),
    ("contacts", "merge", HUGE, "1", "--yes"),
    ("contacts", "merge", "1", HUGE, "--yes"),
    ("contacts", "add", "New Person", "--introduced-by", HUGE),
    ("contacts", "add", "New Person", "--met-at", HUGE),
    ("contacts", "list", "--goal", HUGE),
    ("goals", "show", HUGE),
    ("goals", "edit", HUGE, "--title", "x"),
    ("goals", "edit", "1", "--parent", HUGE),
    ("goals", "delete", HUGE, "--yes"),
    ("goals", "need", HUGE, "Hiring", "--level", "3"),
    ("goals", "need", "1", HUGE, "--level", "3"),
    ("goals", "add", "x", "--parent", HUGE),
    ("interactions", "show", HUGE),
    ("interactions", "edit", HUGE, "--summary", "x"),
    ("interactions", "delete", HUGE, "--yes"),
    ("interactions", "add", HUGE, "--summary", "x"),
    ("interactions", "list", "--contact", HUGE),
    ("log", HUGE),
    ("interviews", "show", HUGE),
    ("interviews", "edit", HUGE, "--notes", "x"),
    ("interviews", "delete", HUGE, "--yes"),
    ("interviews", "done", HUGE),
    ("interviews", "cancel", HUGE),
    ("interviews", "refer", HUGE, "dana"),
    ("interviews", "refer", "1", HUGE),
    ("interviews", "add", HUGE),
    ("interviews", "add", "dana", "--goal", HUGE),
    ("interviews", "add", "dana", "--skill", HUGE),
    ("interviews", "list", "--contact", HUGE),
    ("events", "show", HUGE),
    ("events", "edit", HUGE, "--name", "x"),
    ("events", "delete", HUGE, "--yes"),
    ("events", "met", HUGE, "dana"),
    ("events", "met", "1", HUGE),
    ("events", "add", "x", "--start", "2026-05-01", "--goal", HUGE),
    ("followups", "show", HUGE),
    ("followups", "edit", HUGE, "--what", "x"),
    ("followups", "edit", "1", "--contact", HUGE),
    ("followups", "delete", HUGE, "--yes"),
    ("followups", "done", "1", HUGE),
    ("followups", "snooze", HUGE),
    ("followups", "reopen", HUGE),
    ("followups", "add", "x", "--interview", HUGE),
    ("followups", "add", "x", "--contact", HUGE),
    ("followups", "add", "x", "--event", HUGE),
    ("followups", "add", "x", "--goal", HUGE),
    ("followups", "add", "x", "--skill", HUGE),
    ("followups", "list", "--contact", HUGE),
    ("followups", "list", "--goal", HUGE),
    ("orgs", "show", HUGE),
    ("orgs", "edit", HUGE, "--industry", "x"),
    ("orgs", "delete", HUGE, "--yes"),
    ("skills", "candidates", HUGE),
    ("skills", "candidates", "1", "--confirm", HUGE),
    ("skills", "delete", HUGE, "--yes"),
    ("skills", "merge", HUGE, "1", "--yes"),
    ("skills", "merge", "1", HUGE, "--yes"),
    ("skills", "rename", HUGE, "New"),
    ("me", "skill", HUGE),
    ("link", f"interview:{HUGE}", "--goal", "1"),
    ("link", f"event:{HUGE}", "--goal", "1"),
    ("link", f"followup:{HUGE}", "--goal", "1"),
    ("link", HUGE, "--goal", "1"),
    ("link", "dana", "--goal", HUGE),
    ("unlink", f"interview:{HUGE}", "--goal", "1"),
    ("unlink", "dana", "--goal", HUGE),
    ("review", "--goal", HUGE),
    ("plan", "--goal", HUGE),
    ("export", "ics", "-o", "-", "--goal", HUGE),
    ("export", "ics", "-o", "-", "--contact", HUGE),
    ("sync", "deleted", "--delete", HUGE),
    ("sync", "deleted", "--restore", HUGE),
    ("sync", "deleted", "--archive", HUGE),
    ("sync", "deleted", "--restore-card", HUGE),
]


@pytest.mark.parametrize("args", HUGE_ID_COMMANDS, ids=" ".join)
def test_an_id_no_record_can_have_is_not_found_on_every_command(sample_cli, dump, args) -> None:
    before = dump(sample_cli.db)
    r = sample_cli(*args)
    assert r.exit_code == 3, r.output
    assert r.stderr.startswith("rapport: no ") and r.stderr.count("\n") == 1, r.stderr
    assert f"with id {HUGE}" in r.stderr
    assert dump(sample_cli.db) == before


def test_an_id_that_is_no_number_is_a_usage_error(sample_cli) -> None:
    # Where only a number will do, text is how the command was used, not a record.
    r = sample_cli("followups", "done", "tomorrow")
    assert r.exit_code == 2, r.output
    assert r.stderr.startswith("rapport: Invalid value for 'ID...': 'tomorrow' is not a record")


@pytest.mark.parametrize(
    "args",
    [
        ("followups", "due", "--days", "3000000"),
        ("today", "--days", "3000000"),
        ("search", "dana", "--limit", HUGE),
        ("interactions", "list", "--limit", HUGE),
        ("skills", "candidates", "1", "--limit", HUGE),
    ],
    ids=" ".join,
)
def test_counts_and_days_are_range_checked(sample_cli, args) -> None:
    r = sample_cli(*args)
    assert r.exit_code == 2, r.output
    assert r.stderr.startswith("rapport: Invalid value for") and "range" in r.stderr


def test_a_search_word_starting_with_a_dash_is_a_word(sample_cli) -> None:
    # Above the default limit, which the demo's "platform" reaches (skills say it too).
    everything = json.loads(sample_cli("search", "platform", "--limit", "500", "--json").stdout)
    r = sample_cli("search", "platform", "-strategy", "--limit", "500", "--json")
    assert r.exit_code == 0, r.output
    left = json.loads(r.stdout)
    assert len(left) < len(everything)
    assert not any("strategy" in hit["title"].lower() for hit in left)
    # Its own options still work, wherever they stand.
    assert len(json.loads(sample_cli("search", "--limit", "1", "platform", "--json").stdout)) == 1


def _run(*args: str, env: dict[str, str] | None = None):
    from click.testing import CliRunner

    from rapport.cli import cli
    from rapport.db import close_database

    close_database()
    result = CliRunner().invoke(cli, list(args), env=env, prog_name="rapport")
    close_database()
    return result


DATA = Path(__file__).parent.parent / "data"
LINKEDIN = DATA / "linkedin" / "Connections.csv"


@pytest.mark.parametrize(
    "args",
    [
        ("import", "linkedin", "--dry-run", str(LINKEDIN)),
        ("import", "linkedin", "--dry-run", "missing.csv"),
        ("contacts", "--help"),
        ("contacts", "add", "--help"),
        ("contacts", "show", "4"),
        ("interviews", "done", "1"),
        ("log", "nobody", "--channel", "coffee"),
    ],
    ids=" ".join,
)
def test_a_dry_run_help_or_failing_command_leaves_no_database(tmp_path: Path, args) -> None:
    new = tmp_path / "new.db"
    _run("--db", str(new), *args)
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_a_command_that_succeeds_still_creates_its_database(tmp_path: Path) -> None:
    new = tmp_path / "new.db"
    assert _run("--db", str(new), "contacts", "add", "Dana").exit_code == 0
    assert new.exists()


def test_an_empty_database_path_is_refused(private_environment: Path) -> None:
    r = _run("--db", "", "contacts", "add", "Dana")
    assert (r.exit_code, r.stderr) == (
        2,
        "rapport: --db: is empty; give the path of a database file\n",
    )
    r = _run("contacts", "add", "Dana", env={"RAPPORT_DB": ""})
    assert r.exit_code == 2 and "RAPPORT_DB: is empty" in r.stderr
    assert not list(private_environment.rglob("*.db"))


@pytest.mark.parametrize("kind", ["a folder", "a device", "a named pipe"])
def test_a_folder_device_or_fifo_is_refused_before_it_is_opened(tmp_path: Path, kind) -> None:
    if kind == "a named pipe":
        path = tmp_path / "pipe"
        os.mkfifo(path)
    else:
        path = tmp_path if kind == "a folder" else Path("/dev/null")
    before = path.stat().st_mode
    try:
        for args in (
            ("--db", str(path), "contacts", "list"),
            ("contacts", "list"),
            ("restore", str(LINKEDIN), "--yes"),
            ("backups",),
        ):
            r = _run(*args, env={"RAPPORT_DB": str(path)})
            assert r.exit_code == 8, r.output
            assert r.stderr.startswith(f"rapport: {path} is {kind}") and r.stderr.count("\n") == 1
        assert path.stat().st_mode == before
        assert not any(Path(f"{path}{side}").exists() for side in ("-journal", "-wal", "-shm"))
    finally:
        if path.stat().st_mode != before:  # put a device back as it was
            os.chmod(path, before)
    assert sorted(p.name for p in tmp_path.iterdir()) == (
        [] if kind != "a named pipe" else ["pipe"]
    )


def _everything(path: Path) -> list[str]:
    """Every row of every table, as SQL: what a command must leave as it was."""
    import sqlite3

    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


# Commands given several things, the LAST of them wrong: each must refuse
# before its first write, so that nothing of the rest is saved.
NOBODY = "Nobody Known"
HALF_WRONG = [
    ("interviews", "done", "3", "--advice", "X", "--referral", "dana", "--referral", NOBODY),
    ("interviews", "done", "2", "--advice", "X"),  # done already: its advice is not overwritten
    ("interviews", "add", "dana", "--at", "tomorrow", "--goal", "no such goal"),
    ("interviews", "edit", "3", "--advice", "X", "--at", "someday"),
    ("interviews", "refer", "3", "dana", NOBODY),
    ("log", "dana", "--summary", "coffee", "--follow-up", "Send it", "--due", "someday"),
    ("log", "dana", NOBODY, "--summary", "coffee"),
    ("events", "add", "Meetup", "--start", "tomorrow", "--goal", "no such goal"),
    ("events", "edit", "3", "--name", "Renamed", "--start", "someday"),
    ("events", "met", "3", "dana", NOBODY),
    ("followups", "add", "Call", "--contact", "dana", "--goal", "no such goal"),
    ("followups", "add", "Call", "--contact", "dana", "--event", "no such event"),
    ("followups", "add", "Call", "--contact", "dana", "--repeat", "sometimes"),
    ("followups", "edit", "1", "--what", "Renamed", "--due", "someday"),
    ("followups", "edit", "1", "--what", "Renamed", "--contact", NOBODY),
    ("followups", "done", "1", "4", "999"),
    ("followups", "snooze", "1", "--until", "someday"),
    ("contacts", "add", "New Person", "--org", "New Org", "--introduced-by", NOBODY),
    ("contacts", "add", "New Person", "--org", "New Org", "--met-at", "no such event"),
    ("contacts", "add", "New Person", "--org", "New Org", "--tag", "x", "--email", "bad"),
    ("contacts", "edit", "dana", "--org", "New Org", "--add-tag", "x", "--email", "bad"),
    ("contacts", "edit", "dana", "--org", "New Org", "--introduced-by", NOBODY),
    # The same tag added and removed: which was meant?  (It was added.)
    ("contacts", "edit", "dana", "--org", "New Org", "--add-tag", "x", "--remove-tag", "#X"),
    ("orgs", "add", "New Org", "--industry", "x", "--website", "bad url"),
    ("goals", "add", "New goal", "--parent", "no such goal"),
    ("goals", "edit", "1", "--title", "Renamed", "--target", "someday"),
    ("interactions", "edit", "32", "--summary", "Renamed", "--with", NOBODY),
    ("link", "dana", "--goal", "no such goal", "--role", "mentor"),
    ("contacts", "merge", "dana", NOBODY, "--yes"),
    ("import", "ics", str(DATA / "calendar" / "import_cases.ics"), "--goal", "no such goal"),
    ("import", "vcard", str(DATA / "vcard" / "apple.vcf"), "--encoding", "no-such-codec"),
    # A codec Python knows that makes no text of bytes: a LookupError traceback.
    ("import", "csv", str(DATA / "csv" / "google-contacts.csv"), "--encoding", "rot13"),
    ("import", "vcard", str(DATA / "vcard" / "apple.vcf"), "--encoding", "base64"),
]


@pytest.mark.parametrize("args", HALF_WRONG, ids=" ".join)
def test_a_command_does_all_it_says_or_nothing(sample_cli, args) -> None:
    before = _everything(sample_cli.db)
    r = sample_cli(*args)
    assert r.exit_code != 0, r.output
    assert r.stderr.startswith("rapport: ") and r.stderr.count("\n") == 1, r.stderr
    assert r.stdout == ""  # nothing announced as done
    assert _everything(sample_cli.db) == before


OSC52 = "\x1b]52;c;aGk=\x07"  # sets the terminal's clipboard
HOSTILE = f"Mal{OSC52}lory\x9b31m\x00"


def _contains_control(text: str) -> bool:
    return any((ord(c) < 32 and c not in "\n\t\r") or 0x7F <= ord(c) < 0xA0 for c in text)


def test_what_an_older_database_holds_is_escaped_on_the_way_to_the_terminal(sample_cli) -> None:
    import sqlite3

    conn = sqlite3.connect(sample_cli.db)
    with conn:
        conn.execute("UPDATE contact SET name = ?, notes = ? WHERE id = 1", (HOSTILE, HOSTILE))
        conn.execute("UPDATE follow_up SET title = ? WHERE contact_id = 1", (HOSTILE,))
    conn.close()
    for args in (
        ("contacts", "list"),
        ("contacts", "show", "1"),
        ("followups", "list"),
        ("today",),
        ("search", "lory"),
        ("export", "csv"),
        ("contacts", "show", f"nobody{OSC52}"),
    ):
        r = sample_cli(*args)
        assert not _contains_control(r.stdout) and not _contains_control(r.stderr), args
        assert "lory" in r.output or "nobody" in r.stderr, args
    assert "Mal\\u001b]52;c;aGk=\\u0007lory\\u009b31m" in sample_cli("contacts", "show", "1").stdout
    data = json.loads(sample_cli("contacts", "show", "1", "--json").stdout)
    assert data["name"] == HOSTILE  # JSON carries the value as it is, escaped as JSON does


def _export_with(cli, tmp_path: Path, change) -> Path:
    cli("contacts", "add", "Dana")
    cli("followups", "add", "Call", "--contact", "dana")
    cli("log", "dana", "--channel", "coffee")
    data = json.loads(cli("export", "json").stdout)
    change(data["tables"])
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_a_json_restore_keeps_no_control_characters(cli, tmp_path: Path) -> None:
    def hostile(tables):
        tables["contact"][0]["name"] = HOSTILE
        tables["follow_up"][0]["notes"] = f"line one\r\nline{OSC52} two"

    path = _export_with(cli, tmp_path, hostile)
    new = tmp_path / "new.db"
    r = _run("--db", str(new), "import", "json", str(path))
    assert r.exit_code == 0, r.output
    data = json.loads(_run("--db", str(new), "export", "json").stdout)
    assert data["tables"]["contact"][0]["name"] == "Mal]52;c;aGk=lory31m"
    assert data["tables"]["follow_up"][0]["notes"] == "line one\nline]52;c;aGk= two"


@pytest.mark.parametrize(
    ("table", "column", "value"),
    [
        ("interaction", "channel", "carrier pigeon"),
        ("interaction_contact", "direction", "sideways"),
        ("follow_up", "uid", ""),
    ],
)
def test_a_json_restore_checks_choices_as_the_forms_do(
    cli, tmp_path: Path, table, column, value
) -> None:
    def hostile(tables):
        tables[table][0][column] = value

    path = _export_with(cli, tmp_path, hostile)
    new = tmp_path / "new.db"
    r = _run("--db", str(new), "import", "json", str(path))
    assert r.exit_code == 5, r.output
    assert f"table {table!r}" in r.stderr and column in r.stderr
    assert not new.exists()


@pytest.mark.parametrize("birthday", ["2030-01-01", "in spring"])
def test_a_json_restore_keeps_a_birthday_as_the_database_held_it(
    cli, tmp_path: Path, birthday: str
) -> None:
    # A restore puts back the database that was: a birthday after today (taken
    # before rapport refused them) stays, as one it cannot read always did.
    def dated(tables):
        tables["contact"][0]["birthday"] = birthday

    path = _export_with(cli, tmp_path, dated)
    new = tmp_path / "new.db"
    assert _run("--db", str(new), "import", "json", str(path)).exit_code == 0
    contacts = json.loads(_run("--db", str(new), "export", "json").stdout)["tables"]["contact"]
    assert contacts[0]["birthday"] == birthday


@pytest.mark.parametrize(("table", "column"), [("contact", "name"), ("contact", "tags")])
def test_a_json_restore_with_a_null_where_none_goes_names_the_row(
    cli, tmp_path: Path, table: str, column: str
) -> None:
    # {"name": null}: "not saved, it breaks a rule of the database (NOT NULL
    # constraint failed: contact.name)", naming no row, exit 1.
    def hostile(tables):
        tables[table][0][column] = None

    path = _export_with(cli, tmp_path, hostile)
    new = tmp_path / "new.db"
    r = _run("--db", str(new), "import", "json", str(path))
    assert (r.exit_code, r.stdout) == (5, "")
    assert r.stderr == (
        f"rapport: table {table!r}, row 1: {column} is null, and every {table} row has one; "
        "nothing was imported\n"
    )
    assert not new.exists()


@pytest.mark.parametrize("uid", ["", "   ", "\x00", "abc\x00@rapport", "two\nlines"])
def test_a_json_restore_refuses_a_follow_up_uid_no_calendar_could_take(
    cli, tmp_path: Path, uid
) -> None:
    def hostile(tables):
        tables["follow_up"][0]["uid"] = uid

    path = _export_with(cli, tmp_path, hostile)
    new = tmp_path / "new.db"
    r = _run("--db", str(new), "import", "json", str(path))
    assert r.exit_code == 5, r.output
    assert "uid" in r.stderr and "nothing was imported" in r.stderr
    assert not new.exists()


def test_on_a_terminal_the_progress_bar_and_bold_headers_still_draw(tmp_path: Path) -> None:
    import pty
    import sys

    def on_a_terminal(*args: str) -> bytes:
        pid, fd = pty.fork()
        if pid == 0:  # the child: rapport, its output a terminal
            os.execv(sys.executable, [sys.executable, "-m", "rapport", *args])
        out = b""
        while True:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
        os.waitpid(pid, 0)
        return out

    db = str(tmp_path / "t.db")
    drawn = on_a_terminal("--db", db, "import", "linkedin", str(LINKEDIN))
    assert b"\x1b[2K" in drawn and b"\\u001b" not in drawn  # the bar redraws its line
    listed = on_a_terminal("--db", db, "contacts", "list")
    assert listed.startswith(b"\x1b[1mID") and b"\\u001b" not in listed


# A "~user" the shell left as it was, since no such user exists: pathlib raises
# RuntimeError for it, which was a traceback wherever a path was expanded.
NO_HOME = "~rapport-no-such-user/x"


@pytest.mark.parametrize(
    "args",
    [
        ("export", "json", "-o", NO_HOME),
        ("export", "csv", "-o", NO_HOME),
        ("export", "vcard", "-o", NO_HOME),
        ("export", "vcard", "--vdir", NO_HOME),
        ("export", "ics", "--vdir", NO_HOME, "--sync"),
        ("sync",),
    ],
    ids=" ".join,
)
def test_a_home_folder_nobody_has_is_one_line(
    sample_cli, dump, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args
) -> None:
    here = tmp_path / "here"
    here.mkdir()
    config = here / "config.toml"
    config.write_text(f'[sync]\ntasks = "{NO_HOME}"\n')
    monkeypatch.setenv("RAPPORT_CONFIG", str(config))
    monkeypatch.chdir(here)
    before = dump(sample_cli.db)
    r = sample_cli(*args)
    assert r.exit_code == 2, r.output
    assert r.stderr.endswith(f"{NO_HOME}: no home folder ~rapport-no-such-user to look in\n")
    assert r.stderr.count("\n") == 1
    assert dump(sample_cli.db) == before
    assert [p.name for p in here.iterdir()] == ["config.toml"]  # no folder named "~..."


def test_a_database_or_config_in_a_home_folder_nobody_has_is_one_line(tmp_path: Path) -> None:
    for args, env in [
        (("--db", NO_HOME, "contacts", "list"), {}),
        (("today",), {"RAPPORT_DB": NO_HOME}),
        (("--db", str(tmp_path / "x.db"), "sync"), {"RAPPORT_CONFIG": NO_HOME}),
    ]:
        r = _run(*args, env=env)
        assert r.exit_code == 2, r.output
        assert r.stderr.startswith("rapport: ") and r.stderr.count("\n") == 1, r.stderr
        assert NO_HOME in r.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "args",
    [
        ("export", "json", "-o"),
        ("export", "csv", "-o"),
        ("export", "vcard", "-o"),
        ("export", "ics", "-o"),
        ("plan", "-o"),
        ("review", "--week", "-o"),
        ("backup", "--force"),
    ],
    ids=" ".join,
)
def test_an_output_that_is_a_pipe_is_refused_not_replaced(
    sample_cli, dump, tmp_path: Path, args
) -> None:
    # The new file was renamed over it: a reader waiting on the pipe got nothing,
    # and as root `-o /dev/null` replaced the device itself with the export.
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    before = dump(sample_cli.db)
    r = sample_cli(*args, str(pipe))
    assert r.exit_code == 1, r.output
    assert r.stderr == f"rapport: cannot write {pipe}: it is a named pipe (FIFO)\n"
    assert stat.S_ISFIFO(pipe.stat().st_mode)
    assert dump(sample_cli.db) == before


@pytest.mark.parametrize(
    "args",
    [
        ("export", "json", "-o", ""),
        ("export", "csv", "-o", " "),
        ("export", "vcard", "-o", ""),
        ("export", "ics", "-o", ""),
        ("export", "ics", "--vdir", ""),
        ("export", "ics", "--vdir", "", "--sync"),
        ("export", "vcard", "--vdir", ""),
        ("plan", "-o", ""),
        ("review", "--week", "-o", ""),
        ("backup", ""),
    ],
    ids=repr,
)
def test_an_empty_path_to_write_to_is_refused(
    sample_cli, dump, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args
) -> None:
    # What `--vdir "$VDIR"` gives when VDIR is unset: as "." it wrote a file per
    # follow-up or contact into the current folder (and synced with it).
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    before = dump(sample_cli.db)
    r = sample_cli(*args)
    assert r.exit_code == 2, r.output
    assert r.stderr.startswith("rapport: Invalid value for ") and r.stderr.count("\n") == 1
    assert "is empty; give the path of a file or folder" in r.stderr
    assert list(here.iterdir()) == []
    assert dump(sample_cli.db) == before


@pytest.mark.parametrize(
    "words",
    [
        ["dana", *(f"-w{i}" for i in range(100))],  # FTS5's parser overflowed: "database error"
        ["dana", *(f"OR w{i}" for i in range(100))],
        ["dana"] * 3000,  # matched for seconds (5,000 words: 20 s)
    ],
    ids=["100 -words", "100 ORs", "3000 words"],
)
def test_a_search_of_too_many_words_is_refused_in_one_line(sample_cli, words) -> None:
    r = sample_cli("search", *words)
    assert r.exit_code == 2, r.output
    assert r.stderr.startswith("rapport: search: ") and r.stderr.count("\n") == 1, r.stderr
    assert "more than a search takes (50); give fewer" in r.stderr


RLO, RLI, PDI = "\u202e", "\u2067", "\u2069"  # right-to-left override, isolate, its end
BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")


def test_bidi_overrides_never_reach_the_terminal_or_a_calendar(sample_cli, tmp_path: Path) -> None:
    # Invisible, an override shows what follows it on the line reversed: in
    # `contacts list` a name turned the columns after it around.  Right-to-left
    # text needs none of them; its marks (U+200F) are kept.
    r = sample_cli(
        "contacts", "add", f"Eve{RLO}Evil \u200fمحمد", "--org", f"Acme{RLO}",
        "--notes", f"a{RLI}b{PDI}", "--tag", f"x{RLO}y",
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    sample_cli("followups", "add", f"Call{RLO} Eve", "--contact", "Eve")
    shown = sample_cli("contacts", "show", "Eve").stdout
    assert "EveEvil \u200fمحمد" in shown and "Acme\n" in shown and "ab" in shown
    assert "xy" in shown
    # What an older database holds is shown escaped, and left out of files.
    import sqlite3

    conn = sqlite3.connect(sample_cli.db)
    with conn:
        conn.execute("UPDATE contact SET name = ? WHERE id = 1", (f"Dana{RLO}Whitfield",))
        conn.execute("UPDATE follow_up SET title = ? WHERE contact_id = 1", (f"Ask{RLO}",))
    conn.close()
    for args in (("contacts", "list"), ("contacts", "show", "1"), ("followups", "list"),
                 ("today",), ("search", "whitfield"), ("contacts", "list", "--json")):  # fmt: skip
        out = sample_cli(*args).stdout
        assert not BIDI.search(out), args
    assert "Dana\\u202eWhitfield" in sample_cli("contacts", "show", "1").stdout
    ics = tmp_path / "f.ics"
    assert sample_cli("export", "ics", "-o", str(ics)).exit_code == 0
    assert not BIDI.search(ics.read_text(encoding="utf-8"))


@pytest.mark.parametrize("version", ["4.0", "3.0"])
def test_what_an_older_database_holds_never_reaches_a_vcard_file(
    sample_cli, tmp_path: Path, version: str
) -> None:
    # The .ics writer dropped control characters; the vCard writer wrote them as
    # they were (an escape sequence, a NUL cutting the card), and a line break in
    # a URL made a property of its own.
    import sqlite3

    conn = sqlite3.connect(sample_cli.db)
    with conn:
        conn.execute(
            "UPDATE contact SET name = ?, notes = ?, linkedin_url = ? WHERE id = 1",
            (HOSTILE + RLO, f"one\rtwo{OSC52}", "https://example.com/in/dana\nEMAIL:eve@evil"),
        )
        conn.execute("UPDATE organization SET name = ? WHERE id = 1", (f"Org{OSC52}",))
    conn.close()
    path = tmp_path / "all.vcf"
    r = sample_cli("export", "vcard", "--version", version, "-o", str(path))
    assert r.exit_code == 0, r.output
    text = path.read_bytes().decode("utf-8")
    assert not _contains_control(text.replace("\r\n", "")) and not BIDI.search(text)
    assert "\r" not in text.replace("\r\n", "")
    assert "FN:Mal]52\\;c\\;aGk=lory31m\r\n" in text
    assert "NOTE:one\\ntwo]52\\;c\\;aGk=\r\n" in text
    assert "URL:https://example.com/in/dana EMAIL:eve@evil\r\n" in text
    assert "\nEMAIL:eve@evil" not in text


def test_an_event_ending_before_it_starts_on_the_same_day_says_the_times(sample_cli, dump) -> None:
    # It said "ends (2027-03-14) before it starts (2027-03-14)": the dates alone.
    before = dump(sample_cli.db)
    r = sample_cli("events", "add", "Meetup", "--start", "2027-03-14 18:30", "--end", "17:00")
    assert (r.exit_code, r.stderr) == (
        2,
        "rapport: end: ends (2027-03-14 17:00) before it starts (2027-03-14 18:30)\n",
    )
    assert dump(sample_cli.db) == before


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (
            ("events", "met", "1", "dana", "#1", "Dana"),
            "Met at PlatformCon Europe: Dana Whitfield\n",
        ),
        (
            ("interviews", "refer", "3", "dana", "1"),
            "Interview #3 referred you to Dana Whitfield\n",
        ),
    ],
    ids=["events met", "interviews refer"],
)
def test_a_person_named_twice_is_told_once(sample_cli, args, said: str) -> None:
    # Recorded once already; the line said "Dana Whitfield, Dana Whitfield".
    r = sample_cli(*args)
    assert (r.exit_code, r.stdout) == (0, said)


@pytest.mark.parametrize("args", [("plan",), ("review", "--week")], ids=" ".join)
def test_a_markdown_file_holds_what_would_have_been_printed(
    sample_cli, tmp_path: Path, args
) -> None:
    # -o wrote an older database's escape sequences as they were (OSC 52 sets the
    # clipboard of whoever `cat`s the file), where `> FILE` wrote them escaped.
    import sqlite3

    conn = sqlite3.connect(sample_cli.db)
    with conn:
        conn.execute("UPDATE goal SET title = ? WHERE id = 1", (HOSTILE,))
        conn.execute("UPDATE contact SET name = ? WHERE id = 1", (f"Dana{OSC52}",))
    conn.close()
    printed = sample_cli(*args).stdout
    path = tmp_path / "out.md"
    assert sample_cli(*args, "-o", str(path)).exit_code == 0
    assert path.read_bytes().decode("utf-8") == printed
    assert "\\u001b" in printed and not _contains_control(printed)


@pytest.mark.parametrize("kind", ["json", "csv", "vcard"])
def test_an_export_file_holds_what_standard_output_would(
    sample_cli, tmp_path: Path, kind: str
) -> None:
    # JSON escapes C0 characters itself but wrote CSI (U+009B) and bidi overrides
    # an older database holds as they were into the file (stdout escaped them).
    import sqlite3

    conn = sqlite3.connect(sample_cli.db)
    with conn:
        conn.execute("UPDATE contact SET name = ? WHERE id = 1", (HOSTILE + RLO,))
    conn.close()
    printed = sample_cli("export", kind).stdout
    path = tmp_path / f"all.{kind}"
    assert sample_cli("export", kind, "-o", str(path)).exit_code == 0
    written = path.read_bytes().decode("utf-8-sig")
    # (CliRunner gives CRLF line ends as LF)
    assert written.replace("\r\n", "\n") == printed.removeprefix("\ufeff")
    assert not _contains_control(written.replace("\r\n", "")) and not BIDI.search(written)
    if kind == "json":
        contact = json.loads(written)["tables"]["contact"][0]
        assert contact["name"] == HOSTILE + RLO  # JSON reads the escapes back as the text


def _rapport(*args: str, **popen: Any):
    import subprocess
    import sys

    return subprocess.Popen(
        [sys.executable, "-m", "rapport", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        **popen,
    )


def test_an_export_piped_into_head_is_no_database_error(sample_cli) -> None:
    # `rapport export json | head`: the closed pipe stopped the export inside its
    # read transaction, and closing the database then said "database error:
    # Attempting to close database while transaction is open" (exit 8).
    with _rapport("--db", str(sample_cli.db), "export", "json") as process:
        assert process.stdout is not None and process.stderr is not None
        assert process.stdout.read(10) == b'{\n  "forma'
        process.stdout.close()  # the sample's 90 KB outgrow the pipe: the next write fails
        said = process.stderr.read()
        code = process.wait(timeout=60)
    assert (code, said) == (1, b"")  # as click ends any command whose reader went away


def test_an_export_that_fills_the_disk_says_so(sample_cli, tmp_path: Path) -> None:
    import resource
    import signal

    def small_files() -> None:  # a full disk, as far as this export can tell
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (64_000, 64_000))

    path = tmp_path / "all.json"
    with _rapport(
        "--db", str(sample_cli.db), "export", "json", "-o", str(path), preexec_fn=small_files
    ) as process:
        _, said = process.communicate(timeout=60)
    assert (process.returncode, said) == (
        1,
        f"rapport: cannot write {path}: File too large\n".encode(),
    )
    assert not path.exists()


@pytest.mark.parametrize(
    ("args", "side"),
    [
        (("export", "json", "-o"), ""),
        (("export", "csv", "-o"), ""),
        (("export", "vcard", "-o"), ""),
        (("export", "ics", "-o"), ""),
        (("plan", "-o"), ""),
        (("review", "--week", "-o"), ""),
        (("export", "json", "-o"), "-wal"),
        (("backup", "--force"), "-wal"),
    ],
    ids=lambda value: " ".join(value) if isinstance(value, tuple) else value or "database",
)
def test_nothing_is_written_over_the_database(sample_cli, dump, args, side: str) -> None:
    # `rapport export json -o rapport.db` replaced the person's database with
    # the export (and a backup to its -wal file replaced SQLite's journal).
    before = dump(sample_cli.db)
    target = f"{sample_cli.db}{side}"
    r = sample_cli(*args, target)
    assert r.exit_code == 1, r.output
    what = "the database itself" if not side else "the database's wal file"
    assert r.stderr == f"rapport: cannot write {target}: it is {what}; give another file\n"
    assert dump(sample_cli.db) == before
    assert sample_cli.db.read_bytes().startswith(b"SQLite format 3\x00")


def test_percent_and_underscore_in_a_filter_match_themselves(sample_cli) -> None:
    # They were LIKE's wildcards: --org % listed everyone with an organization,
    # --tag % everyone, and --org R_D also found "RAD" and "R&D".
    sample_cli("contacts", "add", "Rae Dunn", "--org", "R_D Labs", "--tag", "c_level")
    sample_cli("contacts", "add", "Perc Ent", "--org", "100% Renewables", "--tag", "100%")
    sample_cli("contacts", "add", "Rad Worker", "--org", "RAD Labs", "--tag", "cxlevel")

    def names(*args: str) -> list[str]:
        return [
            c["name"] for c in json.loads(sample_cli("contacts", "list", *args, "--json").stdout)
        ]

    assert names("--org", "%") == ["Perc Ent"]
    assert names("--org", "R_D") == ["Rae Dunn"]
    assert names("--tag", "%") == []
    assert names("--tag", "100%") == ["Perc Ent"]
    assert names("--tag", "c_level") == ["Rae Dunn"]
    assert len(names("--org", "labs")) == 2  # a part of the name still finds it


def _every_command() -> list[tuple[str, ...]]:
    from rapport.cli import COMMANDS

    # The app (a bare `rapport`) and the daily commands with their usual arguments,
    # then every command as its name alone.
    daily = [(), ("today",), ("contacts", "list", "--json"), ("followups", "due"), ("search", "x")]
    return daily + [(name,) for name in sorted(COMMANDS)]


@pytest.mark.parametrize("args", _every_command(), ids=lambda args: " ".join(args) or "(app)")
def test_a_clock_frozen_at_no_date_is_one_line_on_every_command(tmp_path: Path, args) -> None:
    # `RAPPORT_NOW=garbage rapport today` printed fromisoformat's traceback, exit 1.
    def no_app(path: Path) -> bool:
        raise AssertionError("the app started on a clock that is no date")

    from click.testing import CliRunner

    from rapport.cli import State, cli

    r = CliRunner().invoke(
        cli,
        ["--db", str(tmp_path / "new.db"), *args],
        env={"RAPPORT_NOW": "garbage"},
        obj=State(launch_app=no_app),
        prog_name="rapport",
    )
    assert (r.exit_code, r.stdout) == (2, ""), r.output
    assert r.stderr == (
        "rapport: RAPPORT_NOW: 'garbage' is not a date and time; give an ISO one such as "
        "2026-11-23T09:00 (years 1900 to 9000), or unset it for the real clock\n"
    )
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("frozen", ["9999-12-31T23:59", "0001-01-01", "2026-02-30"])
def test_a_clock_frozen_where_days_cannot_be_counted_is_one_line(tmp_path: Path, frozen) -> None:
    # 9999-12-31T23:59 was an OverflowError traceback (its UTC is in the year 10000).
    r = _run("--db", str(tmp_path / "new.db"), "today", env={"RAPPORT_NOW": frozen})
    assert (r.exit_code, r.stdout) == (2, ""), r.output
    assert r.stderr.startswith(f"rapport: RAPPORT_NOW: '{frozen}' is not a date and time")
    assert list(tmp_path.iterdir()) == []


# Every command with -o/--output, as it prints when given no -o (export ics
# must be given one: there '-o -' is how it prints).
OUTPUT_COMMANDS = [
    ("plan",),
    ("review", "--week"),
    ("export", "json"),
    ("export", "csv"),
    ("export", "vcard"),
    ("export", "ics"),
]


def _commands_with_an_output() -> list[str]:
    from rapport.cli import COMMANDS, command

    found = []

    def walk(path: str, cmd: click.Command) -> None:
        if any("-o" in p.opts for p in cmd.params):
            found.append(path)
        if isinstance(cmd, click.Group):
            for name, sub in cmd.commands.items():
                walk(f"{path} {name}", sub)

    for name in COMMANDS:
        walk(name, command(name))
    return sorted(found)


def test_every_output_option_is_in_the_standard_output_test() -> None:
    assert _commands_with_an_output() == sorted(
        " ".join(a[:2]).replace(" --week", "") for a in OUTPUT_COMMANDS
    )


@pytest.mark.parametrize("args", OUTPUT_COMMANDS, ids=" ".join)
def test_a_dash_output_is_standard_output(
    sample_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args
) -> None:
    # `rapport plan -o -` wrote a file named "-" and said "Wrote the plan to -".
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    printed = sample_cli(*args, "-o", "-")
    assert printed.exit_code == 0, printed.output
    assert list(here.iterdir()) == []
    if args != ("export", "ics"):
        assert printed.stdout == sample_cli(*args).stdout
    else:
        assert printed.stdout.startswith("BEGIN:VCALENDAR")
    assert "Wrote " not in printed.stderr and not printed.stdout.startswith("Wrote ")
    # A file named "-" is still there to be written, as ./-
    written = sample_cli(*args, "-o", "./-")
    assert written.exit_code == 0, written.output
    assert "Wrote" in written.output and "to ./-" in written.output
    assert [p.name for p in here.iterdir()] == ["-"]


@pytest.mark.parametrize("args", [("export", "json", "-o"), ("plan", "-o")], ids=" ".join)
def test_nothing_is_written_over_a_backup(sample_cli, args) -> None:
    # A backup is the person's data of yesterday: an export written over it lost it.
    backup = Path(sample_cli("backup").stdout.split()[-1].rstrip("."))
    copy = backup.read_bytes()
    r = sample_cli(*args, str(backup))
    assert (r.exit_code, r.stderr) == (
        1,
        f"rapport: cannot write {backup}: it is one of the database's backups; give another file\n",
    )
    assert backup.read_bytes() == copy


def test_backup_force_refreshes_the_persons_own_copy_in_the_backups_folder(sample_cli) -> None:
    # A nightly `rapport backup --force FOLDER/nightly.db` stopped refreshing its
    # copy the second night: every .db there counted as one of rapport's backups.
    first = Path(sample_cli("backup").stdout.split()[-1].rstrip("."))
    own = first.parent / "nightly.db"
    assert sample_cli("backup", str(own)).exit_code == 0
    sample_cli("contacts", "add", "Nadia Night")
    again = sample_cli("backup", "--force", str(own))
    assert (again.exit_code, again.stdout) == (0, f"Backed up to {own}\n")
    assert "Nadia Night" in own.read_bytes().decode("utf-8", "replace")
    # rapport's own timestamped copies stay refused.
    kept = first.read_bytes()
    refused = sample_cli("backup", "--force", str(first))
    assert (refused.exit_code, refused.stderr) == (
        1,
        f"rapport: cannot write {first}: it is one of the database's backups; give another file\n",
    )
    assert first.read_bytes() == kept


def test_backup_to_a_dash_is_refused_not_a_file_named_dash(
    sample_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `rapport backup -` wrote a file named "-" and said "Backed up to -".
    monkeypatch.chdir(tmp_path)
    r = sample_cli("backup", "-")
    assert r.exit_code == 2
    assert "standard output" in r.stderr and "./-" in r.stderr
    assert not (tmp_path / "-").exists()
