"""The real chain for sync tests: Radicale on a free localhost port, vdirsyncer, a caldav phone."""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sync_tools import ensure_tools


@pytest.fixture(scope="session")
def tools_bin() -> Path:
    # Never a skip: a sync test that cannot reach its server must fail, not pass.
    try:
        return ensure_tools()
    except (subprocess.CalledProcessError, OSError) as exc:
        pytest.fail(f"could not install radicale, vdirsyncer and caldav into .venv-sync ({exc})")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def radicale(tools_bin: Path, tmp_path: Path) -> Iterator[str]:
    """A Radicale server with no auth and a throwaway storage folder; its URL."""
    port = _free_port()
    log = (tmp_path / "radicale.log").open("wb")
    server = subprocess.Popen(
        [
            str(tools_bin / "python"),
            "-m",
            "radicale",
            "--config",
            "",  # no config file of the machine's: only what is given here
            "--server-hosts",
            f"127.0.0.1:{port}",
            "--auth-type",
            "none",
            "--storage-filesystem-folder",
            str(tmp_path / "radicale-storage"),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(
                        f"Radicale did not start: {(tmp_path / 'radicale.log').read_text()}"
                    )
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


@pytest.fixture
def network_db(db_path: Path) -> Path:
    """Four follow-ups with fixed UIDs: one with Dana, a repeating one, one timed, one alone."""
    from rapport.models import FollowUp
    from rapport.services import contacts, followups

    contacts.create_contact(
        "Dana Whitfield", email="dana@northwind.example", phone="+1 415 555 0134"
    )
    contacts.create_contact("Yosef Cohen")
    specs = [
        ("Send Dana the portfolio link", "2026-11-25", "Dana", ""),
        ("Monthly check-in with Dana", "2026-12-11", "Dana", "monthly"),
        ("Call Yosef about the talk", "2026-11-26 19:00", "Yosef", ""),
        ("Submit the CFP", "2026-12-01", None, ""),
    ]
    for n, (title, due, contact, repeat) in enumerate(specs, start=1):
        record = followups.create_followup(title, due=due, contact=contact, repeat=repeat)
        FollowUp.update(uid=f"followup-{n}@rapport").where(FollowUp.id == record.id).execute()
    return db_path
