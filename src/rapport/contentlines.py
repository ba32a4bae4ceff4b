"""Content lines as vCard and iCalendar write them: TEXT escaping and folding at 75 octets.

RFC 6350 (vCard 4.0), RFC 2426 (3.0) and RFC 5545 (iCalendar) share both
rules: a TEXT value escapes backslash, semicolon, comma and line breaks, and a
line longer than 75 octets goes on on the next line after one space, never
inside a UTF-8 sequence.  rapport's vCard writer (rapport.importers.vcard) and
its iCalendar writer (rapport.calendar.writer) both use these.
"""

from __future__ import annotations

import re

LINE_OCTETS = 75  # RFC 6350 3.2, RFC 2426 2.6, RFC 5545 3.1

_NEEDS_ESCAPE = re.compile(r"[\\;,\r\n]")


def escape(text: str) -> str:
    """A TEXT value escaped as RFC 6350 (3.4), RFC 2426 (4) and RFC 5545 (3.3.11) say:
    backslash, comma, semicolon, and line breaks as ``\\n``."""
    if not _NEEDS_ESCAPE.search(text):
        return text
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def fold(line: str, first: int = LINE_OCTETS, rest: int = LINE_OCTETS - 1, keep: str = "") -> str:
    """The line with its CRLF, folded so that no line is longer than 75 octets: the
    rest goes on on the next line after one space, never inside a UTF-8 sequence.

    ``first`` and ``rest`` are the octets of text the first line and each
    continuation line (after its space) hold.  A cut that would fall right after
    one of the ASCII characters in ``keep`` (the start of an escape, such as
    ``\\``) moves back one character, so it goes on to the next line with what
    it escapes — as icalendar 7 folds, whose bytes rapport's files keep.  Like
    icalendar's, it does not count a run: a cut inside an escaped backslash
    (``\\\\``) can still leave one at a line's end.  Unfolded, as RFC 5545 reads
    a file, the text is whole either way.
    """
    if len(line) <= first and (line.isascii() or len(line.encode()) <= first):
        return line + "\r\n"
    pieces: list[str] = []
    start, room = 0, first
    if line.isascii():
        while len(line) - start > room:
            end = start + room
            if keep and line[end - 1] in keep and end - 1 > start:
                end -= 1
            pieces.append(line[start:end])
            start, room = end, rest
        pieces.append(line[start:])
        return "\r\n ".join(pieces) + "\r\n"
    data = line.encode()
    while len(data) - start > room:
        end = start + room
        while data[end] & 0xC0 == 0x80:  # a UTF-8 continuation byte: cut before its sequence
            end -= 1
        if keep and data[end - 1] < 0x80 and chr(data[end - 1]) in keep and end - 1 > start:
            end -= 1
        pieces.append(data[start:end].decode())
        start, room = end, rest
    pieces.append(data[start:].decode())
    return "\r\n ".join(pieces) + "\r\n"
