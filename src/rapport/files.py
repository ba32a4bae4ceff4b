"""Writing personal data to disk: atomically, readable by its owner alone.

A file is written to a temporary file in the same folder and renamed over the
target, so a crash, a full disk or a bad path leaves any old file intact.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from rapport.errors import RapportError


def write_private(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically; the file is mode 0600.

    Raises RapportError (one line naming the path) when it cannot be written;
    the old file, if any, is then left as it was.
    """
    path = Path(path)
    if path.is_dir():
        raise RapportError(f"cannot write {path}: it is a folder")
    folder = path.parent if str(path.parent) else Path(".")
    try:
        # mkstemp creates the file 0600, so the data is never readable by others.
        fd, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise RapportError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise RapportError(f"cannot write {path}: {exc.strerror or exc}") from None


def private_folder(path: Path) -> Path:
    """Create ``path`` (mode 0700) if it does not exist; RapportError if impossible."""
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise RapportError(f"{path} is a file, not a folder")
    try:
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise RapportError(f"cannot create folder {path}: {exc.strerror or exc}") from None
    return path
