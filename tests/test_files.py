"""Writing many files at once (a vdir): all private, each whole, none replaced on failure."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from rapport import files
from rapport.errors import RapportError


@pytest.mark.parametrize("together_from", [1, 1000], ids=["fsync-together", "fsync-each"])
def test_many_files_are_written_whole_and_owner_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, together_from: int
) -> None:
    monkeypatch.setattr(files, "FSYNC_TOGETHER_FROM", together_from)
    (tmp_path / "old.ics").write_bytes(b"old")
    wanted = {tmp_path / f"{n}.ics": f"file {n}".encode() for n in range(40)}
    wanted[tmp_path / "old.ics"] = b"new"
    assert files.write_private_files(wanted.items()) == 41
    for path, data in wanted.items():
        assert path.read_bytes() == data
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in wanted)


@pytest.mark.parametrize("together_from", [1, 1000], ids=["fsync-together", "fsync-each"])
def test_each_file_and_its_folder_are_flushed_never_the_whole_machine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, together_from: int
) -> None:
    import os

    def whole_machine() -> None:
        raise AssertionError("sync(2) flushes every disk of the machine")

    flushed: list[tuple[int, str]] = []  # each flushed file's inode, and its name then
    folders: list[Path] = []
    real_flush = files.flush_descriptor

    def flush(fd: int) -> None:
        flushed.append((os.fstat(fd).st_ino, os.readlink(f"/proc/self/fd/{fd}")))
        real_flush(fd)

    monkeypatch.setattr(os, "sync", whole_machine)
    monkeypatch.setattr(files, "FSYNC_TOGETHER_FROM", together_from)
    monkeypatch.setattr(files, "flush_descriptor", flush)
    monkeypatch.setattr(files, "fsync_folder", folders.append)
    batch = [(tmp_path / f"{n}.ics", f"file {n}".encode()) for n in range(40)]
    assert files.write_private_files(batch) == 40
    # Every file now in place was flushed, under its temporary name, before its rename.
    assert sorted(ino for ino, _ in flushed) == sorted(p.stat().st_ino for p, _ in batch)
    assert all(Path(name).name.endswith(".partial") for _, name in flushed)
    assert {Path(name).parent for _, name in flushed} == {tmp_path}
    assert folders == [tmp_path]


def test_more_files_than_a_process_may_hold_open_are_written(tmp_path: Path) -> None:
    import os
    import resource

    # Many systems let a process hold 1,024 files open; here fewer still, so
    # that a vdir of 2,000 files is more than that.
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    limit = len(os.listdir("/proc/self/fd")) + 700
    resource.setrlimit(resource.RLIMIT_NOFILE, (limit, hard))
    try:
        batch = [(tmp_path / f"{n}.ics", f"file {n}".encode()) for n in range(2000)]
        assert files.write_private_files(batch) == 2000
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
    assert sum(1 for _ in tmp_path.iterdir()) == 2000
    assert (tmp_path / "1999.ics").read_bytes() == b"file 1999"


def test_a_folder_in_the_way_leaves_every_file_as_it_was_in_every_group(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(files, "WRITE_TOGETHER", 2)
    (tmp_path / "a.ics").write_bytes(b"old a")
    (tmp_path / "folder.ics").mkdir()
    batch = [(tmp_path / f"{n}.ics", b"new") for n in range(5)]
    batch += [(tmp_path / "a.ics", b"new a"), (tmp_path / "folder.ics", b"x")]
    with pytest.raises(RapportError, match=r"folder\.ics"):
        files.write_private_files(batch)
    assert (tmp_path / "a.ics").read_bytes() == b"old a"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.ics", "folder.ics"]


def test_a_file_that_cannot_be_written_leaves_every_file_as_it_was(tmp_path: Path) -> None:
    (tmp_path / "a.ics").write_bytes(b"old a")
    (tmp_path / "folder.ics").mkdir()
    batch = [(tmp_path / "a.ics", b"new a"), (tmp_path / "folder.ics", b"x")]
    with pytest.raises(RapportError, match=r"folder\.ics"):
        files.write_private_files(batch)
    assert (tmp_path / "a.ics").read_bytes() == b"old a"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.ics", "folder.ics"]


def _left_behind(folder: Path, name: str, *, hours_old: float) -> Path:
    """A temporary file as a rapport killed while writing ``name`` leaves it."""
    import os
    import time

    partial = folder / f".{name}.{int(hours_old):_>8}.partial"
    partial.write_bytes(b"half of an export, with people's notes")
    then = time.time() - hours_old * 3600
    os.utime(partial, (then, then))
    return partial


def test_what_a_killed_export_left_is_removed_by_the_next(sample_cli, tmp_path: Path) -> None:
    import subprocess
    import sys

    out = tmp_path / "out"
    vdir = out / "vdir"
    vdir.mkdir(parents=True)
    stale = _left_behind(out, "follow-ups.ics", hours_old=2)
    stale_in_vdir = _left_behind(vdir, "some-uid@rapport.ics", hours_old=5)
    # Killed a moment ago: nobody holds it, so it goes at once, not an hour later.
    just_killed = _left_behind(out, "contacts.csv", hours_old=0)
    # Another rapport is writing this one right now (it holds the lock): it stays,
    # as do files rapport did not write.
    fresh = _left_behind(out, "follow-ups.ics", hours_old=0)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, sys, time\n"
            f"f = open({str(fresh)!r}, 'rb')\n"
            "fcntl.flock(f, fcntl.LOCK_EX)\nprint('held', flush=True)\ntime.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline() == "held\n"
    theirs = out / ".notes.partial"
    theirs.write_text("not rapport's")

    try:
        assert sample_cli("export", "ics", "-o", str(out / "follow-ups.ics")).exit_code == 0
        assert sample_cli("export", "ics", "--vdir", str(vdir)).exit_code == 0
    finally:
        holder.kill()
        holder.wait()

    assert not stale.exists() and not stale_in_vdir.exists() and not just_killed.exists()
    assert fresh.exists() and theirs.exists()
    assert (out / "follow-ups.ics").read_bytes().startswith(b"BEGIN:VCALENDAR")


def test_each_file_is_opened_once_and_flushed_through_that_descriptor(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    # Opening a file is what a slow disk charges for: 5,000 files of a vdir
    # were each opened twice, once to write, once again to flush.
    opened: list[str] = []
    real_open = os.open

    def counting_open(path: object, *args: object, **kwargs: object) -> int:
        opened.append(str(path))
        return real_open(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", counting_open)
    batch = [(tmp_path / f"{n}.ics", f"file {n}".encode()) for n in range(40)]
    assert files.write_private_files(batch) == 40
    assert sum(1 for name in opened if name.endswith(".partial")) == 40
    assert all(path.read_bytes() == data for path, data in batch)


@pytest.mark.parametrize("together_from", [1, 1000], ids=["fsync-together", "fsync-each"])
def test_a_file_the_disk_fails_to_flush_is_named_in_one_line_and_none_is_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, together_from: int
) -> None:
    import errno

    flushed = 0

    def failing(fd: int) -> None:
        nonlocal flushed
        flushed += 1
        if flushed == 10:
            raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(files, "FSYNC_TOGETHER_FROM", together_from)
    monkeypatch.setattr(files, "flush_descriptor", failing)
    (tmp_path / "old.ics").write_bytes(b"old")
    batch = [(tmp_path / f"{n}.ics", f"file {n}".encode()) for n in range(40)]
    batch.append((tmp_path / "old.ics", b"new"))
    with pytest.raises(RapportError, match=r"^cannot write .*\.ics: Input/output error$"):
        files.write_private_files(batch)
    # Nothing replaced, nothing half made left behind.
    assert [p.name for p in tmp_path.iterdir()] == ["old.ics"]
    assert (tmp_path / "old.ics").read_bytes() == b"old"
