"""What a vdir export last wrote into a folder, kept in the person's cache folder.

Per file: the follow-up's UID, a digest of everything the file was made
from, whether it was closed, its SEQUENCE, and the file's size, modification
time and inode as written (what vdirsyncer's own etag is made of).  An export
trusts an entry only while the file still has that signature: a file anyone
else wrote, touched or removed is read and compared as if nothing were
remembered.  A cache: losing it costs one slower export, nothing else.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from rapport.errors import RapportError
from rapport.files import private_folder, write_private

# Bump when what export._entry_key digests changes (3: the zone by its tz data, not its VTIMEZONE).
FORMAT = 3


def content_hash(data: bytes) -> str:
    """What a sync record keeps of a file: its bytes decide, nothing is re-serialized."""
    return hashlib.sha256(data).hexdigest()


def signature(path: Path | str) -> tuple[int, int, int] | None:
    """Size, modification time (ns) and inode; None for a file that is not there.
    A file rewritten by anyone (an atomic write is a new inode) gets another."""
    try:
        found = os.stat(path)
    except OSError:
        return None
    return (found.st_size, found.st_mtime_ns, found.st_ino)


def cache_path(folder: Path) -> Path:
    """Where what an export last wrote into ``folder`` is remembered."""
    import platformdirs

    name = hashlib.sha256(str(folder.resolve()).encode("utf-8", "surrogateescape")).hexdigest()
    return platformdirs.user_cache_path("rapport") / "vdir" / f"{name[:40]}.json"


def recorded(folder: Path) -> dict[str, list[Any]]:
    """file name -> [UID, digest, closed, sequence, signature], as last written; {} if
    nothing (readable) is remembered."""
    try:
        data = json.loads(cache_path(folder).read_bytes())
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return {}
    files = data.get("files")
    return files if isinstance(files, dict) else {}


def remember(folder: Path, files: dict[str, list[Any]]) -> None:
    """Keep ``files`` (as :func:`recorded` returns them) for the next export."""
    path = cache_path(folder)
    try:
        private_folder(path.parent)
        write_private(path, json.dumps({"format": FORMAT, "files": files}).encode())
    except RapportError:
        pass  # only a cache: the next export compares every file instead
