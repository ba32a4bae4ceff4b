"""``rapport sync`` as a person runs it: the config, the round, its report, its errors."""

from __future__ import annotations

import json
import os
import shutil
import stat
import sys
from pathlib import Path

import pytest


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "config.toml"
    monkeypatch.setenv("RAPPORT_CONFIG", str(path))
    (tmp_path / "tasks").mkdir()
    path.write_text(f'[sync]\ntasks = "{tmp_path / "tasks"}"\n')
    return path


def fake_vdirsyncer(tmp_path: Path, body: str) -> Path:
    script = tmp_path / "vdirsyncer"
    script.write_text(f"#!{sys.executable}\nimport sys\n{body}\n")
    script.chmod(0o700)
    return script


def test_sync_sends_then_has_nothing_to_do(sample_cli, config: Path, tmp_path: Path) -> None:
    first = sample_cli("sync")
    assert first.exit_code == 0, first.output
    assert first.output == "13 sent\n"
    assert len(list((tmp_path / "tasks").glob("*.ics"))) == 13
    again = sample_cli("sync", "--json")
    data = json.loads(again.output)
    assert (data["summary"], data["files_written"], data["rows_written"]) == (
        "nothing changed",
        0,
        0,
    )


def test_dry_run_changes_nothing(sample_cli, config: Path, tmp_path: Path) -> None:
    result = sample_cli("sync", "--dry-run")
    assert result.exit_code == 0
    assert result.output == "Dry run, nothing written: would be 13 sent\n"
    assert list((tmp_path / "tasks").iterdir()) == []


def test_bad_settings_and_folders_are_one_line_and_an_exit_code(
    sample_cli, config: Path, tmp_path: Path
) -> None:
    config.write_text('[sync]\ntasks = "/no/such/vdir"\n')
    missing = sample_cli("sync")
    assert missing.exit_code == 3
    assert missing.stderr == (
        "rapport: /no/such/vdir: no such folder; create it, or check [sync] in the config\n"
    )
    config.write_text("[sync]\n")
    unset = sample_cli("sync")
    assert unset.exit_code == 2 and unset.stderr.startswith("rapport: tasks: no vdir to sync")
    config.write_text("[sync\n")
    broken = sample_cli("sync")
    assert broken.exit_code == 2 and broken.stderr.count("\n") == 1


def test_vdirsyncer_missing_means_nothing_is_started(
    sample_cli, config: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    config.write_text(config.read_text() + "vdirsyncer = true\n")
    result = sample_cli("sync")
    assert result.exit_code == 9
    assert "vdirsyncer is not on PATH" in result.stderr
    assert list((tmp_path / "tasks").iterdir()) == []


def test_vdirsyncer_failing_is_summarized_after_rapports_half(
    sample_cli, config: Path, tmp_path: Path
) -> None:
    script = fake_vdirsyncer(
        tmp_path,
        'print("error: Unknown error occurred: 401 Unauthorized", file=sys.stderr)\nsys.exit(1)',
    )
    config.write_text(config.read_text() + f'vdirsyncer = true\nvdirsyncer_command = "{script}"\n')
    result = sample_cli("sync")
    assert result.exit_code == 9
    assert result.stderr == (
        "rapport: vdirsyncer sync rapport failed (exit 1): "
        "error: Unknown error occurred: 401 Unauthorized\n"
    )
    # The first half only takes in, so nothing was half sent.
    assert list((tmp_path / "tasks").iterdir()) == []


def test_a_conflict_vdirsyncer_stops_at_is_told_by_its_first_line(
    sample_cli, config: Path, tmp_path: Path
) -> None:
    # What vdirsyncer 0.19 says when a config has no conflict_resolution.
    said = [
        "error: rapport/tasks: One item changed on both sides. Resolve this conflict "
        "manually, or by setting the `conflict_resolution` parameter in your config file.",
        "error: See also https://vdirsyncer.pimutils.org/en/stable/config.html#pair-section",
        "error: Item ID: followup-4@rapport",
        "error: Item href on side A: followup-4@rapport.ics",
        "error: Item href on side B: /dana/tasks/followup-4@rapport.ics",
        "error: 1 out of 1 tasks failed.",
    ]
    script = fake_vdirsyncer(
        tmp_path, f"print({chr(10).join(said)!r}, file=sys.stderr)\nsys.exit(1)"
    )
    config.write_text(config.read_text() + f'vdirsyncer = true\nvdirsyncer_command = "{script}"\n')
    result = sample_cli("sync")
    assert result.exit_code == 9
    assert result.stderr == f"rapport: vdirsyncer sync rapport failed (exit 1): {said[0]}\n"


def test_the_round_runs_vdirsyncer_around_the_push(
    sample_cli, config: Path, tmp_path: Path
) -> None:
    log = tmp_path / "runs.log"
    script = fake_vdirsyncer(
        tmp_path, f"open({str(log)!r}, 'a').write(' '.join(sys.argv[1:]) + '\\n')"
    )
    config.write_text(
        config.read_text() + f'vdirsyncer = true\nvdirsyncer_command = "{script}"\npair = "phone"\n'
    )
    assert sample_cli("sync").output == "13 sent\n"
    # Once before sending, once to carry what was sent.
    assert log.read_text() == "sync phone\nsync phone\n"
    assert sample_cli("sync").output == "nothing changed\n"
    assert log.read_text().count("\n") == 3


def test_init_writes_configs_without_a_password(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RAPPORT_CONFIG", str(tmp_path / "rapport.toml"))
    monkeypatch.setenv("VDIRSYNCER_CONFIG", str(tmp_path / "vds" / "config"))
    result = cli(
        "sync",
        "init",
        "--url",
        "https://dav.example.org/",
        "--user",
        "dana",
        "--password-command",
        "pass show dav/dana",
    )
    assert result.exit_code == 0, result.output
    text = (tmp_path / "vds" / "config").read_text()
    assert 'password.fetch = ["command", "pass", "show", "dav/dana"]' in text
    assert 'username = "dana"' in text and 'url = "https://dav.example.org/"' in text
    # Both pairs settle vdirsyncer's own conflicts (folder and server both changed):
    # without a rule, vdirsyncer stops every sync at such an item.
    assert text.count('\nconflict_resolution = "b wins"\n') == 2
    assert stat.S_IMODE(os.stat(tmp_path / "vds" / "config").st_mode) == 0o600
    assert "vdirsyncer = true" in (tmp_path / "rapport.toml").read_text()
    again = cli("sync", "init", "--url", "https://dav.example.org/", "--user", "dana")
    assert again.exit_code == 1 and "exists" in again.stderr
    bad = cli("sync", "init", "--url", "dav.example.org", "--user", "dana", "--force")
    assert bad.exit_code == 2 and bad.stderr.startswith("rapport: url:")


def test_deleted_elsewhere_is_listed_then_archived(
    sample_cli, config: Path, tmp_path: Path
) -> None:
    cards = tmp_path / "cards"
    cards.mkdir()
    config.write_text(config.read_text() + f'contacts = "{cards}"\n')
    assert sample_cli("sync").exit_code == 0
    victim = sorted(cards.glob("*.vcf"))[0]
    name = next(
        line[3:].strip() for line in victim.read_text().splitlines() if line.startswith("FN:")
    )
    victim.unlink()
    sorted((tmp_path / "tasks").glob("*.ics"))[0].unlink()
    told = sample_cli("sync")
    assert told.output.endswith(
        "2 deleted elsewhere (kept; confirm with rapport sync deleted)\n"
    ), told.output
    listed = sample_cli("sync", "deleted").output.splitlines()
    assert [line.split()[0] for line in listed] == ["WHAT", "follow-up", "contact"]
    assert name in listed[2]
    followup_id, contact_id = listed[1].split()[1], listed[2].split()[1]
    # A bad id among good ones: nothing is done, the follow-up is still waiting.
    bad = sample_cli("sync", "deleted", "--restore", followup_id, "--archive", "9999")
    assert bad.exit_code == 3
    assert sample_cli("sync", "deleted").output.splitlines() == listed
    done = sample_cli("sync", "deleted", "--archive", contact_id, "--restore", followup_id)
    assert done.output == (
        "0 follow-ups deleted, 1 contact archived, 1 to be sent again at the next sync\n"
    )
    assert sample_cli("sync", "deleted").output == "Nothing deleted elsewhere is waiting for you.\n"
    assert sample_cli("sync").output == "1 sent\n"  # the follow-up's file, back


def test_contacts_alone_can_be_synced(sample_cli, config: Path, tmp_path: Path) -> None:
    cards = tmp_path / "cards"
    cards.mkdir()
    config.write_text(f'[sync]\ncontacts = "{cards}"\n')
    result = sample_cli("sync")
    assert result.exit_code == 0, result.stderr
    assert result.output == f"{len(list(cards.glob('*.vcf')))} sent\n"
    assert len(list(cards.glob("*.vcf"))) > 10
    assert list((tmp_path / "tasks").iterdir()) == []


def test_export_vcard_vdir_writes_the_same_cards_as_sync(
    sample_cli, config: Path, tmp_path: Path
) -> None:
    synced, exported = tmp_path / "synced", tmp_path / "exported"
    synced.mkdir()
    config.write_text(f'[sync]\ncontacts = "{synced}"\n')
    assert sample_cli("sync").exit_code == 0
    result = sample_cli("export", "vcard", "--vdir", str(exported))
    assert result.exit_code == 0, result.stderr
    cards = {p.name: p.read_bytes() for p in synced.glob("*.vcf")}
    assert cards == {p.name: p.read_bytes() for p in exported.glob("*.vcf")}
    assert all(b"\r\nVERSION:3.0\r\n" in card for card in cards.values())
    # A second version in one vdir is refused before anything is written.
    other = tmp_path / "other"
    refused = sample_cli("export", "vcard", "--vdir", str(other), "--version", "4.0")
    assert refused.exit_code == 2 and "--vdir writes vCard 3.0" in refused.stderr
    assert not other.exists()
    # A file export keeps 4.0 as its default.
    assert "VERSION:4.0" in sample_cli("export", "vcard").output


def test_a_moved_vdir_keeps_its_sync_record(
    sample_cli, config: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cards = tmp_path / "cards"
    cards.mkdir()
    config.write_text(config.read_text() + f'contacts = "{cards}"\n')
    assert sample_cli("sync").exit_code == 0
    # A task that does not repeat: done, it leaves the list.
    task = next(
        p for p in sorted((tmp_path / "tasks").glob("*.ics")) if "RRULE" not in p.read_text()
    )
    listed = sample_cli("followups", "list").output.count("\n")
    task.write_text(task.read_text().replace("STATUS:NEEDS-ACTION", "STATUS:COMPLETED"))
    # The person moves both folders (and says so in the config), then syncs.
    moved = tmp_path / "moved"
    moved.mkdir()
    (tmp_path / "tasks").rename(moved / "tasks")
    cards.rename(moved / "cards")
    config.write_text(f'[sync]\ntasks = "{moved / "tasks"}"\ncontacts = "{moved / "cards"}"\n')
    result = sample_cli("sync")
    assert result.exit_code == 0, result.stderr
    # The phone's "done" is taken in, not overwritten by rapport's "open".
    assert result.output.endswith("1 done elsewhere, 2 taken over from an earlier folder\n")
    assert "STATUS:COMPLETED" in (moved / "tasks" / task.name).read_text()
    assert sample_cli("followups", "list").output.count("\n") == listed - 1
    # The same folders reached through a symlink are the same folders.
    (tmp_path / "link").symlink_to(moved)
    link = tmp_path / "link"
    config.write_text(f'[sync]\ntasks = "{link / "tasks"}"\ncontacts = "{link / "cards"}"\n')
    assert sample_cli("sync").output == "nothing changed\n"
    # And by a path relative to where the command runs.
    monkeypatch.chdir(tmp_path)
    relative = sample_cli("export", "ics", "--vdir", "moved/tasks", "--todo", "--sync")
    assert relative.output == "moved/tasks: nothing changed\n"


def test_a_second_calendar_exported_fresh_takes_over_no_deletions(
    sample_cli, config: Path, tmp_path: Path
) -> None:
    # All follow-ups sync with one calendar; one goal's are exported into a second.
    assert sample_cli("sync").output == "13 sent\n"
    second = tmp_path / "goal"
    second.mkdir()
    sample_cli("export", "ics", "--vdir", str(second), "--todo", "--goal", "1")
    # Syncing the second shares its four files' records, not the first's nine others:
    # they were never here, so nothing was "deleted on the phone".
    result = sample_cli("export", "ics", "--vdir", str(second), "--todo", "--sync", "--goal", "1")
    assert result.exit_code == 0, result.stderr
    assert result.output.endswith(f"{second}: 1 taken over from an earlier folder\n")
    assert "follow-up" not in sample_cli("sync", "deleted").output
    assert sample_cli("sync").output == "nothing changed\n"


def test_an_older_export_syncing_first_keeps_a_task_done_on_the_phone(
    sample_cli, config: Path, tmp_path: Path
) -> None:
    # A one-way export into a folder (no sync records), then the config's folder syncs.
    plain = tmp_path / "plain"
    plain.mkdir()
    sample_cli("export", "ics", "--vdir", str(plain), "--todo")
    assert sample_cli("sync").output == "13 sent\n"
    tasks = tmp_path / "tasks"
    task = next(p for p in sorted(tasks.glob("*.ics")) if "RRULE" not in p.read_text())
    task.write_text(task.read_text().replace("STATUS:NEEDS-ACTION", "STATUS:COMPLETED"))
    assert sample_cli("sync").output.endswith("\n1 done elsewhere\n")
    listed = sample_cli("followups", "list").output
    # The older folder now syncs too: its stale copy of the task is not the phone's.
    result = sample_cli("export", "ics", "--vdir", str(plain), "--todo", "--sync")
    assert result.exit_code == 0, result.stderr
    assert "reopened" not in result.output
    assert sample_cli("followups", "list").output == listed
    assert "STATUS:COMPLETED" in (plain / task.name).read_text()


@pytest.mark.parametrize("kind", ["a device", "a named pipe"])
def test_a_config_that_is_no_file_is_refused_unread(sample_cli, tmp_path: Path, kind) -> None:
    # Read as a file, /dev/zero filled memory until a MemoryError traceback and
    # a named pipe waited for a writer forever: in a process of its own, bounded.
    import resource
    import subprocess

    if kind == "a named pipe":
        config = tmp_path / "config.toml"
        os.mkfifo(config)
    else:
        config = Path("/dev/zero")

    def bounded() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    done = subprocess.run(
        [sys.executable, "-m", "rapport", "--db", str(sample_cli.db), "sync"],
        env={**os.environ, "RAPPORT_CONFIG": str(config)},
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=bounded,
    )
    assert done.returncode == 2
    assert done.stderr == (
        f"rapport: config: {config} is not a file (a folder, a device or a pipe)\n"
    )


def test_a_config_file_is_read_no_further_than_a_megabyte(sample_cli, config: Path) -> None:
    # Every input is bounded: a file of some other kind named as the config is not
    # read whole into memory (it was, whatever its size).
    with config.open("a") as file:
        file.write(("# " + "x" * 998 + "\n") * 1001)
    result = sample_cli("sync")
    assert result.exit_code == 2
    assert result.stderr == (
        f"rapport: config: {config} is larger than 1,000,000 bytes; is it a config file?\n"
    )


def test_a_fresh_calendar_after_the_old_one_was_deleted_lists_no_false_deletions(
    sample_cli, config: Path, tmp_path: Path
) -> None:
    assert sample_cli("sync").output == "13 sent\n"
    # The person deletes the synced folder, exports one goal's tasks into a new one
    # and points the config at it: four files share their names with the old records.
    shutil.rmtree(tmp_path / "tasks")
    fresh = tmp_path / "fresh"
    assert sample_cli("export", "ics", "--vdir", str(fresh), "--todo", "--goal", "1").exit_code == 0
    config.write_text(f'[sync]\ntasks = "{fresh}"\n')
    result = sample_cli("sync")
    assert result.exit_code == 0, result.stderr
    # The nine tasks the new folder never held are sent to it, not "deleted elsewhere".
    assert result.output.endswith("\n9 sent, 1 taken over from an earlier folder\n")
    assert "deleted elsewhere" not in result.output
    assert sample_cli("sync", "deleted").output == "Nothing deleted elsewhere is waiting for you.\n"
    assert len(list(fresh.glob("*.ics"))) == 13
    assert sample_cli("sync").output == "nothing changed\n"


def test_a_moved_calendar_offers_exactly_the_task_deleted_on_the_phone(
    sample_cli, config: Path, tmp_path: Path
) -> None:
    assert sample_cli("sync").output == "13 sent\n"
    gone = sorted((tmp_path / "tasks").glob("*.ics"))[0]
    summary = next(line for line in gone.read_text().splitlines() if line.startswith("SUMMARY"))
    title = summary.split(": ")[-1][:20].lower()  # "Follow up with Priya: reply to ..."
    gone.unlink()  # on the phone, just before the folder moves
    moved = tmp_path / "moved"
    (tmp_path / "tasks").rename(moved)
    config.write_text(f'[sync]\ntasks = "{moved}"\n')
    result = sample_cli("sync")
    assert result.exit_code == 0, result.stderr
    assert result.output.endswith(
        "\n1 deleted elsewhere (kept; confirm with rapport sync deleted), "
        "1 taken over from an earlier folder\n"
    )
    offered = sample_cli("sync", "deleted").output.splitlines()
    assert len(offered) == 2 and offered[1].startswith("follow-up")
    # The one task, in the folder it was deleted from.
    assert title in offered[1].lower() and offered[1].endswith("moved")


@pytest.mark.parametrize(
    ("option", "value", "said"),
    [
        # A line break wrote a section of the address's own into vdirsyncer's config.
        ("--url", 'https://dav.example.org/"\n[storage evil]', "rapport: url: "),
        ("--url", "https://dav.example.org/my calendar", "rapport: url: "),
        ("--user", "dana\n[storage evil]", "rapport: user: "),
        # An unbalanced quote was a ValueError traceback from shlex.
        ("--password-command", 'pass show "dav', "rapport: password-command: "),
    ],
    ids=["line break in url", "space in url", "line break in user", "unclosed quote"],
)
def test_init_refuses_what_would_break_the_configs(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, option: str, value: str, said: str
) -> None:
    monkeypatch.setenv("RAPPORT_CONFIG", str(tmp_path / "rapport.toml"))
    monkeypatch.setenv("VDIRSYNCER_CONFIG", str(tmp_path / "vds" / "config"))
    given = {"--url": "https://dav.example.org/", "--user": "dana", option: value}
    result = cli("sync", "init", *(word for pair in given.items() for word in pair))
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(said) and result.stderr.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


def test_init_keeps_a_user_name_as_typed(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Its quotes were dropped ('a"b' became "ab"), a backslash left to break the value.
    monkeypatch.setenv("RAPPORT_CONFIG", str(tmp_path / "rapport.toml"))
    monkeypatch.setenv("VDIRSYNCER_CONFIG", str(tmp_path / "vds" / "config"))
    name = 'DOMAIN\\dana "d"'
    assert cli("sync", "init", "--url", "https://dav.example.org/", "--user", name).exit_code == 0
    lines = (tmp_path / "vds" / "config").read_text().splitlines()
    values = [line.removeprefix("username = ") for line in lines if line.startswith("username")]
    assert [json.loads(v) for v in values] == [name, name]  # vdirsyncer reads values as JSON


@pytest.mark.parametrize("config", ["database", "wal", "backup", "vdirsyncer's config"])
def test_init_writes_no_config_over_the_database_or_the_other_config(
    sample_cli, dump, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, config: str
) -> None:
    # RAPPORT_CONFIG naming the database: `sync init --force` replaced it with
    # four lines of TOML (and one naming the vdirsyncer config wrote one over the other).
    made = sample_cli("backup")
    backup = Path(made.stdout.split()[-1].rstrip("."))
    assert backup.is_file(), made.output
    vdirsyncer = tmp_path / "vds" / "config"
    target = {
        "database": sample_cli.db,
        "wal": Path(f"{sample_cli.db}-wal"),
        "backup": backup,
        "vdirsyncer's config": vdirsyncer,
    }[config]
    monkeypatch.setenv("RAPPORT_CONFIG", str(target))
    monkeypatch.setenv("VDIRSYNCER_CONFIG", str(vdirsyncer))
    before, copy = dump(sample_cli.db), backup.read_bytes()
    result = sample_cli(
        "sync", "init", "--url", "https://dav.example.org/", "--user", "d", "--force"
    )
    assert result.exit_code == 1, result.output
    said = {
        "database": f"cannot write {target}: it is the database itself; give another file",
        "wal": f"cannot write {target}: it is the database's wal file; give another file",
        "backup": f"cannot write {target}: it is one of the database's backups; give another file",
        "vdirsyncer's config": f"{target} is where both vdirsyncer's config and rapport's would "
        "go; give RAPPORT_CONFIG (or VDIRSYNCER_CONFIG) another file",
    }[config]
    assert (result.stdout, result.stderr) == ("", f"rapport: {said}\n")
    assert dump(sample_cli.db) == before and backup.read_bytes() == copy
    assert not vdirsyncer.parent.exists()
