"""Review of s7-harden: everyday outputs a person gives that still go wrong (failing on purpose)."""

from __future__ import annotations

from pathlib import Path

import pytest

# Each writes one file to the path given after it.
WRITERS = [
    ("export", "ics", "-o"),
    ("export", "json", "-o"),
    ("plan", "-o"),
]


@pytest.mark.parametrize("args", WRITERS, ids=" ".join)
def test_an_output_that_is_a_symlink_updates_the_file_it_points_to(
    sample_cli, tmp_path: Path, args
) -> None:
    # ~/calendar.ics linked into a synced folder (Dropbox, a dotfiles manager):
    # each export replaced the link with a file of its own, so the synced file
    # kept the first day's calendar and nothing said so.
    synced = tmp_path / "cloud"
    synced.mkdir()
    target = synced / "calendar.out"
    target.write_text("yesterday's\n")
    link = tmp_path / "calendar.out"
    link.symlink_to(target)
    r = sample_cli(*args, str(link))
    assert r.exit_code == 0, r.output
    assert link.is_symlink(), "the link was replaced by a file"
    assert target.read_text(encoding="utf-8") != "yesterday's\n"


@pytest.mark.parametrize(
    "args, made",
    [
        (("export", "ics", "--output=~/calendar.ics"), "calendar.ics"),
        (("plan", "--output=~/plan.md"), "plan.md"),
        (("export", "ics", "--vdir=~/tasks"), "tasks"),
    ],
    ids=lambda a: " ".join(a) if isinstance(a, tuple) else a,
)
def test_a_tilde_the_shell_left_is_the_home_folder_as_export_json_takes_it(
    sample_cli, tmp_path: Path, private_environment: Path, monkeypatch, args, made: str
) -> None:
    # bash leaves --output=~/x as it is; `export json --output=~/x` writes to
    # the home folder (files.expanded), these wrote into a folder named "~"
    # here when one was there, else failed "No such file or directory".
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    r = sample_cli(*args)
    assert r.exit_code == 0, r.output
    assert (private_environment / made).exists()
    assert list(here.iterdir()) == []  # no folder named "~"
