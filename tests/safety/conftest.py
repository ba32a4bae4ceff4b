"""Fixtures of the safety tests: released databases, and a rapport that knows one more migration."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import settings
from safety_harness import SOAK, released_fixtures


@pytest.fixture
def current_fixture(tmp_path: Path) -> Path:
    """A copy of the newest released database (the demo network and odd text)."""
    source = released_fixtures()[-1]
    copy = tmp_path / "person" / "rapport.db"
    copy.parent.mkdir(mode=0o700)
    shutil.copyfile(source, copy)
    copy.chmod(0o600)
    return copy


NewerRapport = Callable[..., Path]


@pytest.fixture
def newer_rapport(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> NewerRapport:
    """``newer_rapport(up_body, ...)``: make rapport see one more migration per body given.

    Each body is the source of an ``up(migrator, db)`` function's body; the
    new migrations are numbered after the real ones, so they stay new
    whatever migrations other branches add.
    """

    def install(*bodies: str) -> Path:
        from rapport.resources import migrations_dir

        real = sorted(migrations_dir().glob("[0-9][0-9][0-9][0-9]_*.py"))
        folder = tmp_path / "newer-migrations"
        folder.mkdir()
        for path in real:
            shutil.copyfile(path, folder / path.name)
        number = int(real[-1].name[:4])
        for n, body in enumerate(bodies, start=number + 1):
            indented = "\n".join("    " + line for line in body.strip().splitlines())
            (folder / f"{n:04d}_test_step.py").write_text(
                f"def up(migrator, db):\n{indented}\n\n\ndef down(migrator, db):\n    pass\n"
            )
        monkeypatch.setattr("rapport.dbfile.migrations_folder", lambda: folder)
        return folder

    return install


# Under `make soak` the property tests try many more inputs.
settings.register_profile("soak", max_examples=3000, deadline=None)
if SOAK:
    settings.load_profile("soak")
