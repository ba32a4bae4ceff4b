"""One card of a contacts vdir, read for sync and edited in place: rapport's fields only.

As with tasks, a card another client wrote (a phone through vdirsyncer,
khard) is parsed once; rapport reads its fields from it and, to send a
change, sets those properties on the card it read, so photos, extra
addresses, X- properties and everything else the phone keeps survive.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import vobject

from rapport.dates import parse_birthday
from rapport.errors import ValidationError
from rapport.importers._identity import name_parts
from rapport.importers.vcard import birthday_value, contact_card, stable_uid

# The fields a contact and its card share.
CARD_FIELDS = ("name", "email", "phone", "organization", "role", "notes", "birthday", "location")
_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9@._+-]{0,200}$")


class BadCard(ValueError):
    """A vdir file rapport cannot read as one vCard; it is reported and left alone."""


@dataclass
class CardItem:
    """A parsed card file: its UID, rapport's fields as the card says them, and the parse."""

    name: str
    uid: str
    fields: dict[str, str]
    card: Any


def card_filename(uid: str) -> str:
    """The file a card's UID lives in: the UID (without ``urn:uuid:``) when it is a safe name."""
    stem = uid[len("urn:uuid:") :] if uid.lower().startswith("urn:uuid:") else uid
    if _SAFE_NAME.match(stem):
        return f"{stem}.vcf"
    return hashlib.sha256(uid.encode("utf-8")).hexdigest()[:40] + ".vcf"


def _first(card: Any, name: str) -> Any:
    found = card.contents.get(name.lower())
    return found[0] if found else None


def _text(card: Any, name: str) -> str:
    prop = _first(card, name)
    if prop is None:
        return ""
    value = prop.value
    if isinstance(value, list):
        value = value[0] if value else ""
    return str(value).strip()


def _birthday(card: Any) -> str:
    prop = _first(card, "bday")
    if prop is None:
        return ""
    try:
        omit = "X-APPLE-OMIT-YEAR" in prop.params
        return parse_birthday(str(prop.value), omit_year=omit) or ""
    except ValidationError:
        return str(prop.value)


def card_fields(card: Any) -> dict[str, str]:
    """rapport's fields as a parsed card says them ("" for those it has not)."""
    adr = _first(card, "adr")
    return {
        "name": _text(card, "fn"),
        "email": _text(card, "email"),
        "phone": re.sub(r"^tel:", "", _text(card, "tel"), flags=re.IGNORECASE),
        "organization": _text(card, "org"),
        "role": _text(card, "title"),
        "notes": _text(card, "note"),
        "birthday": _birthday(card),
        "location": str(getattr(adr.value, "city", "") or "").strip() if adr is not None else "",
    }


def read_card(name: str, data: bytes) -> CardItem:
    """The card in a vdir file; BadCard for one that is not a single vCard with a UID."""
    try:
        cards = list(vobject.readComponents(data.decode("utf-8-sig")))
    except (vobject.base.ParseError, UnicodeDecodeError, ValueError) as exc:
        raise BadCard(f"not a readable vCard ({str(exc)[:80]})") from None
    if len(cards) != 1 or cards[0].name != "VCARD":
        raise BadCard("not one vCard")
    card = cards[0]
    uid = _text(card, "uid")
    if not uid:
        raise BadCard("the card has no UID")
    return CardItem(name, uid, card_fields(card), card)


def _set(card: Any, name: str, value: Any) -> None:
    """The first ``name`` property set to ``value`` (added if missing, removed if empty)."""
    prop = _first(card, name)
    if value in ("", None, []):
        if prop is not None:
            card.remove(prop)
        return
    if prop is None:
        prop = card.add(name)
    prop.value = value


def edited_card(item: CardItem, send: Mapping[str, str]) -> bytes:
    """The card with rapport's fields in ``send`` set; everything else as it was."""
    card = item.card
    version = _text(card, "version") or "3.0"
    for name, value in send.items():
        if name == "name":
            _set(card, "fn", value)
            given, family = name_parts(value, "", "")
            _set(card, "n", vobject.vcard.Name(family=family, given=given))
        elif name == "email":
            _set(card, "email", value)
        elif name == "phone":
            _set(card, "tel", value)
        elif name == "organization":
            _set(card, "org", [value] if value else "")
        elif name == "role":
            _set(card, "title", value)
        elif name == "notes":
            _set(card, "note", value)
        elif name == "birthday":
            for prop in list(card.contents.get("bday", [])):
                card.remove(prop)
            if value:
                # The export's own form of the date, in the card's version.
                _set(card, "bday", birthday_value(value, version))
        elif name == "location":
            _set(card, "adr", vobject.vcard.Address(city=value) if value else "")
    return str(card.serialize()).encode("utf-8")


def new_card(values: dict[str, Any], version: str) -> bytes:
    """A contact's card when the vdir has none yet: rapport's whole card."""
    return contact_card(values, version).encode("utf-8")


def card_uid(values: dict[str, Any]) -> str:
    """The UID rapport's export gives a contact: its imported card's, else a derived one."""
    return stable_uid("contact", values)
