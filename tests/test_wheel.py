"""``pip install .`` (not editable) gives a complete rapport: migrations and the
demo network travel inside the wheel."""

from __future__ import annotations

import json
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_the_wheel_installs_and_works_outside_the_checkout(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(wheels),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = wheels.glob("rapport-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "rapport/_migrations/0001_initial.py" in names
    assert "rapport/_sample_data/network.json" in names

    # A fresh venv that sees this environment's dependencies but not the
    # editable rapport: a plain path in a .pth file is not a site dir, so the
    # editable install's own .pth inside it is never processed.
    target = tmp_path / "venv"
    venv.create(target, with_pip=False)
    site = next((target / "lib").glob("python*/site-packages"))
    (site / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    python = target / "bin" / "python"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--no-deps",
            "-q",
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    rapport = target / "bin" / "rapport"
    where = subprocess.run(
        [str(python), "-c", "import rapport, sys; print(rapport.__file__)"],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    ).stdout
    assert str(target) in where  # the wheel, not the checkout

    db = tmp_path / "data" / "rapport.db"
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "RAPPORT_NOW": "2026-11-23T09:00"}
    made = subprocess.run(
        [str(rapport), "--db", str(db), "goals", "add", "Lead a platform team"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    assert made.returncode == 0, made.stderr
    listed = subprocess.run(
        [str(rapport), "--db", str(db), "goals", "list", "--json"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        check=True,
    )
    assert [g["title"] for g in json.loads(listed.stdout)] == ["Lead a platform team"]
    sample = subprocess.run(
        [
            str(python),
            "-c",
            "from rapport.services.sample import sample_path; print(sample_path())",
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        check=True,
    ).stdout.strip()
    assert sample.startswith(str(target)) and Path(sample).is_file()
