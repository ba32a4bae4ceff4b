"""Text safe to keep and to show: control characters dropped on the way in, escaped on the way out.

A terminal obeys the control characters it is sent: OSC 52 sets the
clipboard, other escape sequences retitle the window or hide text; a NUL cuts
a calendar's line.  What rapport keeps never holds them (``without_controls``,
used wherever text comes in); what it prints shows any that an older database
holds as ``\\u001b`` (``escape_controls``), which is also how JSON writes them.
"""

from __future__ import annotations

import re
from typing import Any, TextIO

# The bidirectional embeddings, overrides and isolates (U+202A-U+202E,
# U+2066-U+2069): invisible, they make what follows them on the line show
# in another order (a name reversing the columns after it, "Trojan Source").
# Right-to-left text needs none of them; its marks (U+200E, U+200F) stay.
BIDI_CONTROLS = (*range(0x202A, 0x202F), *range(0x2066, 0x206A))

# C0 and C1 control characters but tab and newline, and DEL: nobody sees them
# when typed, and a terminal obeys them when they are printed (ESC, CSI).  And
# the byte-order mark a pasted file brings along: not text (calendars drop it);
# and the bidirectional controls.
CONTROL = dict.fromkeys(
    c for c in (*range(32), 127, *range(0x80, 0xA0), 0xFEFF, *BIDI_CONTROLS) if c not in (9, 10)
)

# What is printed as it is: a colour or bold (SGR, what click.style writes: it
# can neither move the cursor nor reach the clipboard) and a CRLF line end
# (calendars and CSV); any other control character is escaped.
_SHOWN = re.compile(
    r"\x1b\[[0-9;]*m|\r\n|([\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069])"
)


# Any character without_controls changes: most text holds none, and one regex
# search says so faster than translate looks up every character.
UNCLEAN = re.compile("[\r" + "".join(re.escape(chr(c)) for c in CONTROL) + "]")


def without_controls(text: str) -> str:
    """``text`` with line breaks as ``\\n`` and every control character but tab and
    newline dropped."""
    if not UNCLEAN.search(text):
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n").translate(CONTROL)


def one_line(text: str) -> str:
    """``text`` without control characters, each tab or line break a space, its ends
    stripped: a UID or an address, where inner spaces are kept as they are (unlike
    a name's, services.clean.one_line), so the same calendar always reads the same."""
    return " ".join(without_controls(text).replace("\t", " ").splitlines()).strip()


# Any character _SHOWN may have to escape; and, for ASCII text, the bytes that are none.
_ANY_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_NOT_CONTROL = bytes(c for c in range(128) if not _ANY_CONTROL.match(chr(c)))


def escape_controls(text: str) -> str:
    """``text`` as it can be shown: control characters written as ``\\u001b``."""
    # Nearly all text holds none: looking for one is ten times quicker than
    # _SHOWN's substitution (9 MB of `contacts list --json`: 25 ms against 250).
    if text.isascii():
        if not text.encode("ascii").translate(None, _NOT_CONTROL):
            return text
    elif not _ANY_CONTROL.search(text):
        return text
    return _SHOWN.sub(lambda m: f"\\u{ord(m[1]):04x}" if m[1] else m[0], text)


class EscapedOutput:
    """A text stream that escapes control characters on their way to ``stream``."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        self.stream.write(escape_controls(text))  # bytes raise TypeError, as a text stream does
        return len(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


def unescaped(stream: TextIO) -> TextIO:
    """The stream an EscapedOutput writes to (``stream`` itself if it is none)."""
    return stream.stream if isinstance(stream, EscapedOutput) else stream
