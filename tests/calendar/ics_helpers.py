"""Constants the calendar tests share."""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data" / "calendar"

# Text a person might type, which must come through any calendar intact.
HARD_NOTES = (
    "Bring: slides, notes; the clicker.\n"
    "Second line — with emoji 🎉 and Hebrew שלום עולם and Arabic مرحبا.\n"
    "Backslash \\ and a comma, and a semicolon; done.\n" + "A very long note. " * 20
).strip()
