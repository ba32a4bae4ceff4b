"""Reading an input file within bounds: refusing what is not text or too large, decoding it.

Everything here runs before the database is touched, so a file that is not
what it claims (a binary, an unknown encoding, a ZIP bomb) changes nothing.

Every input is bounded, so a hostile file costs seconds and tens of MB, not
minutes and gigabytes: a file (or a ZIP member, however its header lies) is
read up to :data:`MAX_FILE_BYTES`, a ZIP lists up to :data:`MAX_ZIP_MEMBERS`,
a line holds up to :data:`MAX_LINE_CHARS`, and a value quoted in a message
is cut to :data:`MESSAGE_CHARS`.
"""

from __future__ import annotations

import codecs
import io
import os
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from rapport.errors import ImportFailed

# The first bytes of files people pick by mistake, so the message can say what it is.
_MAGIC = (
    (b"PK\x03\x04", "a ZIP archive"),
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office file (.xls/.doc)"),
    (b"\x1f\x8b", "a gzip archive"),
)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
LINE_BREAK = re.compile(r"\r\n|\r|\n")

# LinkedIn's 30,000 connections take 4 MB, a vCard book of 30,000 people (no
# photos) 15 MB: the largest file or ZIP member read is well above any export,
# and small enough that reading it stays under 200 MB of memory.
MAX_FILE_BYTES = 64_000_000
# LinkedIn's full data archive holds a few dozen files.
MAX_ZIP_MEMBERS = 10_000
# A row of a spreadsheet or a vCard value: far longer than any person's notes.
MAX_LINE_CHARS = 1_000_000
# A value from a file quoted in a message, so the message stays one readable line.
MESSAGE_CHARS = 80
_CHUNK = 1 << 20
_LINE = re.compile(rf"[^\r\n]{{0,{MAX_LINE_CHARS}}}(?:\r\n|\r|\n)?")


def shown(text: str, limit: int = MESSAGE_CHARS) -> str:
    """A value from a file as a message quotes it: cut to ``limit`` characters, with ``…``."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _megabytes(count: int) -> str:
    return f"{count // 1_000_000} MB"


def too_large(source: str | Path, limit: int = MAX_FILE_BYTES) -> ImportFailed:
    """The error for a file over ``limit``, which is refused unread."""
    return ImportFailed(
        f"{source} is larger than {_megabytes(limit)}, more than rapport reads from one "
        "file (30,000 LinkedIn connections take 4 MB); nothing was imported"
    )


def read_at_most(source: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The file's bytes, read no further than ``limit``: ImportFailed when there are more.

    Raises OSError when the file cannot be read (each caller words that).
    """
    with source.open("rb") as file:
        size = os.fstat(file.fileno()).st_size
        if size > limit:
            raise too_large(source, limit)
        # As much as the file says it holds, so a small file costs a small buffer
        # (read(limit) would set aside the whole limit), then the rest in pieces
        # (a file that grows as it is read, a pipe) up to one byte past the limit.
        data = _read_capped(file, limit, first=size + 1)
    if data is None:
        raise too_large(source, limit)
    return data


def _read_capped(file: IO[bytes], limit: int, first: int = _CHUNK) -> bytes | None:
    """What ``file`` holds, or None when that is more than ``limit`` bytes.

    Read in pieces and joined only when whole, so what is over the limit
    costs the limit once, not twice.
    """
    pieces = [file.read(first)]
    total = len(pieces[0])
    while total <= limit and (more := file.read(min(_CHUNK, limit + 1 - total))):
        pieces.append(more)
        total += len(more)
    return b"".join(pieces) if total <= limit else None


def read_bytes(path: str | Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The file's bytes; ImportFailed (one line) when it cannot be read or is over ``limit``."""
    source = Path(path)
    try:
        data = read_at_most(source, limit)
    except FileNotFoundError:
        raise ImportFailed(f"{source}: no such file") from None
    except IsADirectoryError:
        raise ImportFailed(f"{source} is a folder, not a file") from None
    except OSError as exc:
        raise ImportFailed(f"cannot read {source}: {exc.strerror}") from None
    if not data or data.isspace():  # as not data.strip(), without a copy of the file
        raise ImportFailed(f"{source} is empty")
    return data


def _member_count(data: bytes) -> int:
    # The count the archive's end record gives, read before zipfile builds an
    # object per member (a 64 MB ZIP of empty members would hold a million).
    end = zipfile._EndRecData(io.BytesIO(data))  # type: ignore[attr-defined]
    return int(end[zipfile._ECD_ENTRIES_TOTAL]) if end else 0  # type: ignore[attr-defined]


def member_of_zip(
    data: bytes, path: str | Path, wanted: str, limit: int = MAX_FILE_BYTES
) -> bytes | None:
    """The bytes of the member called ``wanted`` (any folder, any case) in a ZIP, else None.

    The member is unpacked up to ``limit`` bytes whatever its header says, so
    a ZIP bomb is refused in a second.  Raises ImportFailed for a damaged
    archive, one with too many members, a member over ``limit``, or two
    members called ``wanted`` (it names both: which one is the export is the
    person's call).
    """
    try:
        members = _member_count(data)
        if members > MAX_ZIP_MEMBERS:
            raise ImportFailed(
                f"{path} holds {members:,} files, more than the {MAX_ZIP_MEMBERS:,} rapport "
                "looks through; nothing was imported"
            )
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            found = [
                info
                for info in archive.infolist()
                if Path(info.filename).name.lower() == wanted.lower() and not info.is_dir()
            ]
            if len(found) > 1:
                names = ", ".join(shown(info.filename) for info in found[:3])
                raise ImportFailed(
                    f"{path} holds {len(found)} files called {wanted} ({names}); "
                    "unpack the one to import and import it; nothing was imported"
                )
            if not found:
                return None
            with archive.open(found[0]) as member:
                unpacked = _read_capped(member, limit)
    except (zipfile.BadZipFile, OSError, RuntimeError, EOFError) as exc:
        raise ImportFailed(f"{path} is a damaged ZIP archive ({shown(str(exc))})") from None
    if unpacked is None:
        raise ImportFailed(
            f"{path}: {shown(found[0].filename)} unpacks to more than {_megabytes(limit)}, "
            "far more than any export; nothing was imported"
        )
    return unpacked


# Text up to this long is split into its lines at once (30,000 LinkedIn rows are
# 3.5 MB, 30,000 contacts of a CSV export 6.5 MB); longer text, up to the 64 MB a
# file may hold, a line at a time, so that its lines are not all held at once.
_SPLIT_AT_ONCE_CHARS = 16_000_000


def physical_lines(text: str, path: str | Path) -> Iterator[str]:
    r"""The lines of ``text``, each with its line break; ImportFailed for one over the limit.

    Broken at ``\r\n``, ``\r`` or ``\n`` as Python's universal newlines do.
    """
    if len(text) > _SPLIT_AT_ONCE_CHARS:
        return _lines_one_by_one(text, path)
    # str.splitlines does it in C, but also breaks at \v, \f, \x1c-\x1e, \x85,
    # \u2028 and \u2029: when it made more lines than there are universal line
    # breaks, there was one of those, and the lines are matched one by one.
    lines = text.splitlines(keepends=True)
    breaks = text.count("\n") + text.count("\r") - text.count("\r\n")
    unbroken_end = 1 if text and not text.endswith(("\n", "\r")) else 0
    if len(lines) == breaks + unbroken_end and max(map(len, lines), default=0) <= MAX_LINE_CHARS:
        return iter(lines)
    return _lines_one_by_one(text, path)


def _lines_one_by_one(text: str, path: str | Path) -> Iterator[str]:
    """physical_lines, matched one at a time (a file's text is not copied whole again),
    saying which line is over the limit."""
    position, end, number = 0, len(text), 0
    while position < end:
        number += 1
        match = _LINE.match(text, position)
        assert match is not None  # the pattern matches the empty string
        line = match.group()
        if match.end() < end and not line.endswith(("\n", "\r")):
            raise ImportFailed(
                f"{path}: line {number} is longer than {MAX_LINE_CHARS:,} characters, "
                "more than any row of an export; nothing was imported"
            )
        position = match.end()
        yield line


def _unknown_encoding(name: str) -> ImportFailed:
    return ImportFailed(f"unknown encoding {name!r} (try cp1252 or latin-1)")


def decode(data: bytes, path: str | Path, what: str, encoding: str | None = None) -> str:
    """The text of a file that should be ``what`` (for messages), newlines kept.

    A byte order mark decides the encoding; else ``encoding`` if given, else
    UTF-8.  Raises ImportFailed for a binary file, an unknown encoding name,
    or bytes the encoding cannot read (with the line they are on).
    """
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise _unknown_encoding(encoding) from None
    chosen = encoding
    body = data
    for bom, name in _BOMS:
        if data.startswith(bom):
            chosen, body = name, data
            break
    else:
        for magic, kind in _MAGIC:
            if data.startswith(magic):
                raise ImportFailed(f"{path} is {kind}, not {what}")
        if b"\x00" in data[:4096]:
            raise ImportFailed(f"{path} is a binary file, not {what}")
    chosen = chosen or "utf-8"
    try:
        text = body.decode(chosen)
    except LookupError:  # a codec lookup() knows that makes no text (rot13, base64, zlib)
        raise _unknown_encoding(chosen) from None
    except UnicodeDecodeError as exc:
        line = body[: exc.start].count(b"\n") + 1
        hint = "" if encoding else "; if it was saved in another encoding, give it with --encoding"
        raise ImportFailed(
            f"{path} is not {chosen} text (unreadable byte 0x{body[exc.start]:02x} on line "
            f"{line}){hint}; nothing was imported"
        ) from None
    if "\x00" in text:
        raise ImportFailed(f"{path} is a binary file, not {what}")
    return text
