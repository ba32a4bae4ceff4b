"""Contact formats: LinkedIn, vCard, CSV and rapport's JSON, read into drafts, written as text.

Readers turn a file into :mod:`~rapport.importers.drafts` (``linkedin``,
``vcard``, ``csv_``), writers turn plain records into text (``vcard``,
``csv_``, ``json_``).  None of them knows the database: the imports and
exports people run are rapport.services.exchange, which reads and writes
through the services and the store's bulk paths.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["FORMATS", "detect_format"]

FORMATS = ("linkedin", "vcard", "csv", "json")


def detect_format(path: str | Path) -> str:
    """Which importer reads this file: by its extension, else by its first bytes."""
    from rapport.reading import read_bytes

    suffix = Path(path).suffix.lower()
    if suffix in (".vcf", ".vcard"):
        return "vcard"
    if suffix == ".json":
        return "json"
    if suffix == ".zip":
        return "linkedin"
    head = read_bytes(path)[:4096].decode("utf-8", "replace").lower()
    if "begin:vcard" in head:
        return "vcard"
    if head.lstrip("\ufeff \r\n").startswith("{"):
        return "json"
    if "first name" in head and "connected on" in head:
        return "linkedin"
    return "csv"
