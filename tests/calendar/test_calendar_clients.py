"""Real calendar clients read what rapport writes: khal for events, todoman for tasks.

They run from their own virtualenv (see calendar_clients.py), created once
per checkout; each test gives them a throwaway config, vdir and cache.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from calendar_clients import ensure_clients

from rapport.services.calendar_files import ExportOptions, export_file, export_vdir


@pytest.fixture(scope="session")
def clients_bin() -> Path:
    try:
        return ensure_clients()
    except (subprocess.CalledProcessError, OSError) as exc:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"could not install khal and todoman ({exc})")


class Khal:
    """khal with its own config, vdir and cache in a temporary folder."""

    def __init__(self, bin_dir: Path, root: Path, zone: str, vdir: Path | None = None) -> None:
        self.bin = bin_dir / "khal"
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self.vdir = vdir or root / "calendar"
        self.vdir.mkdir(parents=True, exist_ok=True)
        self.config = root / "khal.conf"
        self.config.write_text(
            f"""[calendars]
[[rapport]]
path = {self.vdir}
type = calendar
[sqlite]
path = {root / "khal.db"}
[locale]
local_timezone = {zone}
default_timezone = {zone}
timeformat = %H:%M
dateformat = %Y-%m-%d
longdateformat = %Y-%m-%d
datetimeformat = %Y-%m-%d %H:%M
longdatetimeformat = %Y-%m-%d %H:%M
[default]
default_calendar = rapport
"""
        )
        self.env = {**os.environ, "HOME": str(root), "TZ": zone}

    def run(self, *args: str) -> str:
        result = subprocess.run(
            [str(self.bin), "-c", str(self.config), *args],
            capture_output=True,
            text=True,
            env=self.env,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    def list(self, start: str = "2026-11-20", end: str = "2027-01-31") -> list[str]:
        out = self.run(
            "list", start, end, "--format", "{start} {end} | {title}", "--day-format", ""
        )
        return [line for line in out.splitlines() if line.strip()]


def test_khal_imports_the_file_and_lists_followups_at_local_times(
    calendar_db: Path, clients_bin: Path, tmp_path: Path
) -> None:
    export_file(tmp_path / "followups.ics", ExportOptions())
    here = Khal(clients_bin, tmp_path / "la", "America/Los_Angeles")
    here.run("import", "--batch", str(tmp_path / "followups.ics"))
    lines = here.list()
    assert "2026-11-25 2026-11-25 | Follow up: send Dana the portfolio link" in lines  # all-day
    assert (
        "2026-11-26 19:00 2026-11-26 19:30 | Follow up: call Yosef, about the talk; slides" in lines
    )
    # 10:00 in Berlin is 01:00 in Los Angeles.
    assert "2026-12-03 01:00 2026-12-03 01:30 | Follow up: coffee with Jonas in Berlin" in lines
    monthly = [line for line in lines if "monthly check-in" in line]
    assert monthly == [
        "2026-12-11 08:30 2026-12-11 09:00 | Follow up: monthly check-in with Dana",
        "2027-01-11 08:30 2027-01-11 09:00 | Follow up: monthly check-in with Dana",
    ]
    # The same file read by someone in Berlin: the same moments, in their time.
    there = Khal(clients_bin, tmp_path / "berlin", "Europe/Berlin")
    there.run("import", "--batch", str(tmp_path / "followups.ics"))
    assert "2026-12-11 17:30 2026-12-11 18:00 | Follow up: monthly check-in with Dana" in (
        there.list()
    )


def test_khal_shows_one_event_after_an_edit_and_a_second_export(
    calendar_db: Path, clients_bin: Path, tmp_path: Path
) -> None:
    from rapport.services import followups

    khal = Khal(clients_bin, tmp_path / "khal", "America/Los_Angeles")
    export_file(tmp_path / "week1.ics", ExportOptions())
    khal.run("import", "--batch", str(tmp_path / "week1.ics"))
    followups.update_followup(1, due="2026-11-27")
    export_file(tmp_path / "week2.ics", ExportOptions())
    khal.run("import", "--batch", str(tmp_path / "week2.ics"))
    portfolio = [line for line in khal.list() if "portfolio" in line]
    assert portfolio == ["2026-11-27 2026-11-27 | Follow up: send Dana the portfolio link"]


def test_khal_reads_the_vdir_and_follows_edits_and_deletions(
    calendar_db: Path, clients_bin: Path, tmp_path: Path
) -> None:
    from rapport.services import followups

    vdir = tmp_path / "vdir"
    khal = Khal(clients_bin, tmp_path / "khal", "America/Los_Angeles", vdir=vdir)
    export_vdir(vdir, ExportOptions())
    assert len(khal.list()) == 6  # five follow-ups, the monthly one twice in the window
    followups.update_followup(1, due="2026-11-27")
    followups.delete_followup(3)
    export_vdir(vdir, ExportOptions())
    lines = khal.list()
    assert [line for line in lines if "portfolio" in line] == [
        "2026-11-27 2026-11-27 | Follow up: send Dana the portfolio link"
    ]
    assert not [line for line in lines if "Yosef" in line]


def test_khal_reads_a_synced_event_vdir_and_a_move_made_in_khal_comes_back(
    calendar_db: Path, clients_bin: Path, tmp_path: Path
) -> None:
    from rapport.models import FollowUp
    from rapport.services import followups
    from rapport.services.sync import sync_followups

    vdir = tmp_path / "vdir"
    events = ExportOptions(todo=False)
    assert sync_followups(vdir, events, create=True).words() == "5 sent"
    khal = Khal(clients_bin, tmp_path / "khal", "America/Los_Angeles", vdir=vdir)
    assert len(khal.list()) == 6  # five follow-ups, the monthly one twice in the window
    # Moved in khal: khal writes the event, moved five days on, into its vdir.
    moved = (vdir / "followup-1@rapport.ics").read_text()
    moved = moved.replace("DTSTART;VALUE=DATE:20261125", "DTSTART;VALUE=DATE:20261130")
    moved = moved.replace("DTEND;VALUE=DATE:20261126", "DTEND;VALUE=DATE:20261201")
    (tmp_path / "moved.ics").write_text(moved)
    khal.run("import", "--batch", str(tmp_path / "moved.ics"))
    assert "khal" in (vdir / "followup-1@rapport.ics").read_text()  # khal's own writing
    came = sync_followups(vdir, events)
    assert came.words() == "1 moved"
    portfolio = FollowUp.get(FollowUp.uid == "followup-1@rapport")
    assert portfolio.due_date.isoformat() == "2026-11-30"
    # Moved in rapport: it goes out, and khal shows it there.
    followups.update_followup(3, due="2026-11-28 19:00")
    assert sync_followups(vdir, events).words() == "1 sent"
    lines = khal.list()
    assert [line for line in lines if "portfolio" in line] == [
        "2026-11-30 2026-11-30 | Follow up: send Dana the portfolio link"
    ]
    assert [line for line in lines if "Yosef" in line] == [
        "2026-11-28 19:00 2026-11-28 19:30 | Follow up: call Yosef, about the talk; slides"
    ]
    quiet = sync_followups(vdir, events)
    assert (quiet.words(), quiet.files_written, quiet.rows_written) == ("nothing changed", 0, 0)


def test_todoman_reads_the_task_vdir(calendar_db: Path, clients_bin: Path, tmp_path: Path) -> None:
    from rapport.services import followups

    vdir = tmp_path / "tasks"
    export_vdir(vdir, ExportOptions(todo=True))
    config = tmp_path / "todoman.py"
    config.write_text(
        f'path = "{vdir}"\ndate_format = "%Y-%m-%d"\ntime_format = "%H:%M"\n'
        f'cache_path = "{tmp_path / "todoman.sqlite3"}"\n'
    )
    env = {**os.environ, "HOME": str(tmp_path), "TZ": "America/Los_Angeles"}

    def todo(*args: str) -> list[dict[str, object]]:
        result = subprocess.run(
            [str(clients_bin / "todo"), "--config", str(config), "--porcelain", "list", *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)

    tasks = {t["summary"]: t for t in todo()}
    assert len(tasks) == 5
    yosef = tasks["Follow up: call Yosef, about the talk; slides"]
    # todoman gives DUE as a Unix time: 2026-11-26 19:00 in Los Angeles.
    assert yosef["due"] == 1795748400
    # (todoman splits CATEGORIES at escaped commas too, so a plain goal title here.)
    assert tasks["Follow up: send Dana the portfolio link"]["categories"] == [
        "Lead a platform team by 2027"
    ]
    assert tasks["Follow up: monthly check-in with Dana"]["recurring"] is True

    followups.complete_followup(1)
    export_vdir(vdir, ExportOptions(todo=True, sync=True))
    assert len(todo()) == 4  # done tasks leave the open list...
    done = todo("--status", "COMPLETED")
    assert [t["summary"] for t in done] == ["Follow up: send Dana the portfolio link"]
    assert done[0]["completed"] is True  # ...and show as ticked
