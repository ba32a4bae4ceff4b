"""Who a contact is across files: the vCard UID rapport gives it, and its given and family names."""

from __future__ import annotations

import uuid
from typing import Any

_UID_NAMESPACE = uuid.UUID("6f1c2a0e-5d43-4c8e-9a4e-3b0f2f7d9a51")


def derived_uid(kind: str, record_id: int, created: Any) -> str:
    """The UID of a record that came with none: the same at every export, so books update it."""
    return "urn:uuid:" + str(uuid.uuid5(_UID_NAMESPACE, f"{kind}:{record_id}:{created}"))


def guessed_parts(name: str) -> tuple[str, str]:
    """(given, family) as address books guess them: the last word is the family name."""
    given, _, family = name.rpartition(" ")
    return given, family


def name_parts(name: str, given: str, family: str) -> tuple[str, str]:
    """(given, family): as the source gave them while the name still holds them, else guessed.

    A contact renamed since its import is guessed again, as address books do.
    """
    if (given or family) and given in name and family in name:
        return given, family
    return guessed_parts(name)
