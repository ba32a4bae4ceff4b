"""Reading a file to import: refusing what is not text, decoding it, numbering its lines.

Everything here runs before the database is touched, so a file that is not
what it claims (a binary, an unknown encoding) changes nothing.
"""

from __future__ import annotations

import codecs
import io
import re
import zipfile
from pathlib import Path

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


def read_bytes(path: str | Path) -> bytes:
    """The file's bytes; ImportFailed (one line) when it cannot be read."""
    source = Path(path)
    try:
        data = source.read_bytes()
    except FileNotFoundError:
        raise ImportFailed(f"{source}: no such file") from None
    except IsADirectoryError:
        raise ImportFailed(f"{source} is a folder, not a file") from None
    except OSError as exc:
        raise ImportFailed(f"cannot read {source}: {exc.strerror}") from None
    if not data.strip():
        raise ImportFailed(f"{source} is empty")
    return data


# The largest member read out of a ZIP: LinkedIn's 30,000 connections take 4 MB;
# a "ZIP bomb" of a few hundred KB can unpack to gigabytes.
MAX_MEMBER_BYTES = 200_000_000


def member_of_zip(data: bytes, path: str | Path, wanted: str) -> bytes | None:
    """The bytes of the member called ``wanted`` (any folder, any case) in a ZIP, else None.

    Raises ImportFailed for a damaged archive or a member too large to be an export.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for info in archive.infolist():
                if Path(info.filename).name.lower() == wanted.lower():
                    if info.file_size > MAX_MEMBER_BYTES:
                        raise ImportFailed(
                            f"{path}: {info.filename} unpacks to {info.file_size:,} bytes, "
                            "far more than any export; nothing was imported"
                        )
                    return archive.read(info)
    except (zipfile.BadZipFile, OSError, RuntimeError) as exc:
        raise ImportFailed(f"{path} is a damaged ZIP archive ({exc})") from None
    return None


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
            raise ImportFailed(f"unknown encoding {encoding!r} (try cp1252 or latin-1)") from None
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
