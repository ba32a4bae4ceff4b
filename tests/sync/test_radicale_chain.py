"""The whole chain: rapport, a vdir, vdirsyncer, a Radicale server, and a phone on it.

The caldav client plays the phone: it completes one task, ticks off a monthly
one and moves another on the server; ``rapport sync`` (which runs vdirsyncer)
brings each in, sends rapport's own change up, and a second sync writes
nothing at all.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from rapport.models import Contact, FollowUp, SyncState

PHONE = Path(__file__).resolve().parent / "phone.py"
USER = "dana"


def phone(tools_bin: Path, url: str, *args: str) -> dict[str, dict[str, object]]:
    result = subprocess.run(
        [str(tools_bin / "python"), str(PHONE), url, USER, *args],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout) if args[0] in ("list", "cards") else {}


def rapport(db: Path, *args: str) -> Result:
    from rapport.cli import cli
    from rapport.db import close_database

    close_database()
    result = CliRunner().invoke(cli, ["--db", str(db), *args], prog_name="rapport")
    close_database()
    return result


def make_task_list(tools_bin: Path, radicale: str) -> None:
    """An empty task list on the server, as a phone's first use makes it."""
    make = (
        "import caldav, sys\n"
        "p = caldav.DAVClient(url=sys.argv[1], username=sys.argv[2], password='x').principal()\n"
        "p.make_calendar(name='tasks', cal_id='tasks', supported_calendar_component_set=['VTODO'])"
    )
    subprocess.run([str(tools_bin / "python"), "-c", make, radicale, USER], check=True, timeout=60)


def discover(vdirsyncer: Path, config: Path, *pairs: str) -> None:
    for pair in pairs:
        found = subprocess.run(
            [str(vdirsyncer), "-c", str(config), "discover", pair],
            input="y\n" * 4,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert found.returncode == 0, found.stderr


@pytest.fixture
def chain(
    network_db: Path,
    tools_bin: Path,
    radicale: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Path:
    """Radicale with an empty task list, vdirsyncer discovered, rapport configured."""
    make_task_list(tools_bin, radicale)
    vdirsyncer_config = tmp_path / "vdirsyncer.conf"
    vdirsyncer_config.write_text(
        f"""[general]
status_path = "{tmp_path / "status"}/"
[pair rapport]
a = "rapport_local"
b = "rapport_remote"
collections = ["from a", "from b"]
[pair rapport_contacts]
a = "contacts_local"
b = "contacts_remote"
collections = ["from a", "from b"]
[storage contacts_local]
type = "filesystem"
path = "{tmp_path / "cards"}/"
fileext = ".vcf"
[storage contacts_remote]
type = "carddav"
url = "{radicale}"
username = "{USER}"
password.fetch = ["command", "echo", "not-checked"]
[storage rapport_local]
type = "filesystem"
path = "{tmp_path / "vdir"}/"
fileext = ".ics"
[storage rapport_remote]
type = "caldav"
url = "{radicale}"
username = "{USER}"
password.fetch = ["command", "echo", "not-checked"]
item_types = ["VTODO"]
"""
    )
    vdirsyncer = tools_bin / "vdirsyncer"
    (tmp_path / "cards" / "contacts").mkdir(parents=True)  # vdirsyncer makes the address book
    discover(vdirsyncer, vdirsyncer_config, "rapport", "rapport_contacts")
    assert (tmp_path / "vdir" / "tasks").is_dir()
    config = tmp_path / "rapport.toml"
    config.write_text(
        f'[sync]\ntasks = "{tmp_path / "vdir" / "tasks"}"\nvdirsyncer = true\n'
        f'contacts = "{tmp_path / "cards" / "contacts"}"\n'
        'pair = ["rapport", "rapport_contacts"]\n'
        f'vdirsyncer_command = "{vdirsyncer}"\nvdirsyncer_config = "{vdirsyncer_config}"\n'
    )
    monkeypatch.setenv("RAPPORT_CONFIG", str(config))
    return network_db


def test_a_phone_completes_and_moves_tasks_and_rapport_agrees(
    chain: Path, tools_bin: Path, radicale: str, tmp_path: Path
) -> None:
    up = rapport(chain, "sync")
    assert up.exit_code == 0, up.output + up.stderr
    assert up.output == "6 sent\n"  # four tasks, two cards
    server = phone(tools_bin, radicale, "list")
    assert len(server) == 4
    assert phone(tools_bin, radicale, "cards") == {
        "Dana Whitfield": "+1 415 555 0134",
        "Yosef Cohen": "",
    }
    assert server["followup-1@rapport"]["summary"] == "Follow up: send Dana the portfolio link"

    phone(tools_bin, radicale, "complete", "followup-1@rapport")
    phone(tools_bin, radicale, "complete", "followup-2@rapport")  # a monthly one
    phone(tools_bin, radicale, "move", "followup-4@rapport", "20261210")
    phone(tools_bin, radicale, "card-phone", "Dana Whitfield", "+1 415 555 0199")
    phone(tools_bin, radicale, "card-delete", "Yosef Cohen")
    came = rapport(chain, "sync", "--json")
    assert came.exit_code == 0, came.output + came.stderr
    report = json.loads(came.output)
    assert report["summary"] == (
        "2 done elsewhere, 1 moved, 1 contact changed elsewhere, "
        "1 deleted elsewhere (kept; confirm with rapport sync deleted)"
    )
    # The monthly one moved on in rapport, and its next date is on the server already.
    monthly = phone(tools_bin, radicale, "list")["followup-2@rapport"]
    assert (monthly["status"], monthly["due"]) == ("NEEDS-ACTION", "2027-01-11")
    assert report["vdirsyncer_runs"] == 2

    from rapport.db import open_database

    open_database(chain)
    assert FollowUp.get(FollowUp.uid == "followup-1@rapport").done
    assert str(FollowUp.get(FollowUp.uid == "followup-2@rapport").due_date) == "2027-01-11"
    assert str(FollowUp.get(FollowUp.uid == "followup-4@rapport").due_date) == "2026-12-10"
    assert Contact.get(Contact.name == "Dana Whitfield").phone == "+1 415 555 0199"
    yosef = Contact.get(Contact.name == "Yosef Cohen")
    assert not yosef.archived  # deleted on the phone: waits for the person's word
    # rapport's own change goes up to the server, one SEQUENCE above the phone's.
    from rapport.services import followups

    # Both of Dana's tasks go back up: the monthly one's next date, and her new
    # number in both descriptions (contacts are synced before follow-ups).
    assert report["passes"][2]["files_written"] == 2
    vdir = tmp_path / "vdir" / "tasks"
    assert "+1 415 555 0199" in (vdir / "followup-1@rapport.ics").read_text()
    followups.update_followup(3, title="Call Yosef about the keynote")
    rows = SyncState.select().count()
    sent = rapport(chain, "sync")
    assert sent.output.splitlines()[1:] == [
        "sent  Call Yosef about the keynote  description, summary",
        "1 sent",
    ], sent.output + sent.stderr
    server = phone(tools_bin, radicale, "list")
    assert server["followup-3@rapport"]["summary"] == "Follow up: call Yosef about the keynote"
    assert server["followup-1@rapport"]["status"] == "COMPLETED"
    assert server["followup-4@rapport"]["due"] == "2026-12-10"

    before = {p.name: p.stat().st_mtime_ns for p in vdir.iterdir()}
    quiet = rapport(chain, "sync", "--json")
    data = json.loads(quiet.output)
    assert (data["summary"], data["files_written"], data["rows_written"]) == (
        "nothing changed",
        0,
        0,
    )
    assert {p.name: p.stat().st_mtime_ns for p in vdir.iterdir()} == before
    open_database(chain)
    assert SyncState.select().count() == rows


def test_a_repeat_the_phone_ends_ends_in_rapport_too(
    chain: Path, tools_bin: Path, radicale: str
) -> None:
    """The phone makes the monthly task twice more, then ticks both off: rapport repeats
    as the phone does, counts down with it, and ends with it; nothing reopens."""
    from rapport.db import open_database

    assert rapport(chain, "sync").output == "6 sent\n"
    phone(tools_bin, radicale, "repeat", "followup-2@rapport", "FREQ=MONTHLY;COUNT=2")
    came = rapport(chain, "sync")
    assert came.output.endswith("\n1 repeat changed elsewhere\n"), came.output + came.stderr
    phone(tools_bin, radicale, "complete", "followup-2@rapport")
    assert rapport(chain, "sync").output.endswith("\n1 done elsewhere\n")
    monthly = phone(tools_bin, radicale, "list")["followup-2@rapport"]
    assert (monthly["status"], monthly["due"], monthly["rrule"]) == (
        "NEEDS-ACTION",
        "2027-01-11",
        "FREQ=MONTHLY;COUNT=1",
    )
    phone(tools_bin, radicale, "complete", "followup-2@rapport")
    rapport(chain, "sync")
    assert phone(tools_bin, radicale, "list")["followup-2@rapport"]["status"] == "COMPLETED"
    open_database(chain)
    assert FollowUp.get(FollowUp.uid == "followup-2@rapport").done
    assert rapport(chain, "sync").output == "nothing changed\n"


@pytest.fixture
def chain_from_init(
    network_db: Path,
    tools_bin: Path,
    radicale: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Path:
    """The same server, configured the way a person does it: ``rapport sync init``, then
    ``vdirsyncer discover``; the folders under vdirsyncer's own data folder."""
    make_task_list(tools_bin, radicale)
    monkeypatch.setenv("RAPPORT_CONFIG", str(tmp_path / "rapport.toml"))
    monkeypatch.setenv("VDIRSYNCER_CONFIG", str(tmp_path / "vdirsyncer.conf"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("PATH", f"{tools_bin}:{os.environ['PATH']}")
    init = ["sync", "init", "--url", radicale, "--user", USER]
    made = rapport(network_db, *init, "--password-command", "echo not-checked")
    assert made.exit_code == 0, made.stderr
    (tmp_path / "data" / "vdirsyncer" / "rapport_contacts" / "contacts").mkdir(parents=True)
    discover(tools_bin / "vdirsyncer", tmp_path / "vdirsyncer.conf", "rapport", "rapport_contacts")
    return network_db


def test_a_task_changed_in_the_folder_and_on_the_phone_does_not_stop_the_sync(
    chain_from_init: Path, tools_bin: Path, radicale: str, tmp_path: Path
) -> None:
    db = chain_from_init
    up = rapport(db, "sync")
    assert up.exit_code == 0, up.output + up.stderr
    assert up.output == "6 sent\n"
    # todoman renames the task in the folder; the phone moves it on the server.
    task = tmp_path / "data" / "vdirsyncer" / "rapport" / "tasks" / "followup-4@rapport.ics"
    text = task.read_text()
    text = text.replace("SUMMARY:Follow up: submit the CFP", "SUMMARY:Submit the CFP today")
    task.write_text(text.replace("SEQUENCE:0", "SEQUENCE:1"))
    phone(tools_bin, radicale, "move", "followup-4@rapport", "20261210")
    # vdirsyncer meets both changes: by the generated rule the server's copy wins,
    # and the round goes on instead of stopping there (exit 9) at every sync.
    came = rapport(db, "sync")
    assert came.exit_code == 0, came.output + came.stderr
    on_phone = phone(tools_bin, radicale, "list")["followup-4@rapport"]
    assert (on_phone["summary"], on_phone["due"]) == ("Follow up: submit the CFP", "2026-12-10")
    assert "\nSUMMARY:Follow up: submit the CFP\n" in task.read_text()

    from rapport.db import open_database

    open_database(db)
    cfp = FollowUp.get(FollowUp.uid == "followup-4@rapport")
    assert (cfp.title, str(cfp.due_date)) == ("Submit the CFP", "2026-12-10")
    quiet = rapport(db, "sync")
    assert (quiet.exit_code, quiet.output) == (0, "nothing changed\n")


def test_a_plain_export_between_syncs_keeps_what_the_phone_did(
    chain: Path, tools_bin: Path, radicale: str, tmp_path: Path
) -> None:
    up = rapport(chain, "sync")
    assert up.exit_code == 0, up.output + up.stderr
    phone(tools_bin, radicale, "complete", "followup-4@rapport")
    # The person's own `vdirsyncer sync` (a timer) brings the phone's done into the folder.
    config = tmp_path / "vdirsyncer.conf"
    pulled = subprocess.run(
        [str(tools_bin / "vdirsyncer"), "-c", str(config), "sync", "rapport"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert pulled.returncode == 0, pulled.stderr
    vdir = tmp_path / "vdir" / "tasks"
    before = {p.name: p.read_bytes() for p in vdir.glob("*.ics")}
    assert b"STATUS:COMPLETED" in before["followup-4@rapport.ics"]
    plain = rapport(chain, "export", "ics", "--vdir", str(vdir), "--todo")
    assert plain.exit_code != 0 and "rapport sync" in plain.stderr, plain.output
    assert {p.name: p.read_bytes() for p in vdir.glob("*.ics")} == before
    came = rapport(chain, "sync", "--json")
    assert came.exit_code == 0, came.output + came.stderr
    assert json.loads(came.output)["summary"] == "1 done elsewhere"
    assert phone(tools_bin, radicale, "list")["followup-4@rapport"]["status"] == "COMPLETED"
