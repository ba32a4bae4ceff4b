"""Hypothesis strategies for what people paste into rapport: any Unicode, and the nasty parts.

Shared by the fuzz tests here and, later, by the round trips through .ics,
.vcf and .csv files (test_fuzz_file_formats.py).
"""

from __future__ import annotations

from hypothesis import strategies as st

NASTY = [
    "\x00",  # NUL
    "\x1b[2J",  # ESC: a terminal escape (clear screen)
    "\x9b31m",  # CSI, the one-byte escape
    "\x07\x08\x7f",  # bell, backspace, DEL
    "\r\n",
    "\t",
    "\u200f",  # right-to-left mark
    "\u202e",  # right-to-left override
    "\u200b\ufeff",  # zero-width space, byte-order mark
    "e\u0301\u0301\u0301",  # combining marks stacked
    "🦊👩‍👩‍👧‍👦🏳️‍🌈",  # emoji, ZWJ sequences
    "محمد",  # Arabic
    "עברית",  # Hebrew
    "日本語",
    "\U0001f600" * 3,
    '"',
    "'",
    "\\",
    "C:\\Notes\\new",  # a backslash before N: an escaped line break to some parsers
    "%s",
    "{0}",
    "[bold]markup[/bold]",
    "<script>",
    "=cmd|' /C calc'!A0",  # a spreadsheet formula
    "NEAR(a b)",
    "title:x",
    "*",
    "^",
]

# Any text but lone surrogates (they are tested on their own: they are
# what undecodable terminal bytes become, and are refused).
any_char = st.characters(exclude_categories=("Cs",))

pasted_text = st.lists(
    st.one_of(st.text(any_char, max_size=20), st.sampled_from(NASTY)), max_size=12
).map("".join)

# A long note, as pasted from a document: 100 KB.
long_text = st.text(any_char, min_size=1, max_size=30).map(
    lambda unit: (unit * (100_000 // len(unit) + 1))[:100_000]
)
