"""vCard files in and out: what Google, Apple, Outlook and Android export, and our own.

Reading: versions 2.1 (QUOTED-PRINTABLE with CHARSET, bare TYPE words), 3.0
and 4.0; folded lines; Apple's ``item1.`` groups, X-ABShowAs company cards and
X-APPLE-OMIT-YEAR birthdays; PHOTO and other binary properties are passed
over.  vobject's parser splits each content line into name, parameters and
value; lines are unfolded and values decoded (quoted-printable, charsets,
escapes) here, because vobject's components keep only the first part of a
text value holding an unescaped comma (common in 2.1 files).

Writing: vCard 4.0 (or 3.0), written directly as RFC 6350 and RFC 2426 say
(escaped, folded at 75 octets, never QUOTED-PRINTABLE), one card per contact
with a stable UID, so rapport, khard and address books read it back, and a
re-import finds every contact again instead of duplicating it.
"""

from __future__ import annotations

import quopri
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from vobject.base import ParseError, parseLine

from rapport.contentlines import escape, fold
from rapport.dates import parse_birthday, parse_day
from rapport.errors import ImportFailed, ValidationError
from rapport.importers._fields import (
    add_web_address,
    is_linkedin,
    person_tags,
)
from rapport.importers._identity import derived_uid, name_parts
from rapport.importers.drafts import ContactDraft, OrganizationDraft, Parsed, Skipped
from rapport.reading import (
    LINE_BREAK,
    MAX_FILE_BYTES,
    MAX_LINE_CHARS,
    read_bytes,
    too_large,
)
from rapport.text import UNCLEAN, without_controls

BINARY = {"PHOTO", "LOGO", "SOUND", "KEY"}
WHAT = "a vCard file (.vcf)"
_PROPERTY_START = re.compile(r"^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)?[;:]")
_PROPERTY_NAME = re.compile(r"^(?:[A-Za-z0-9-]+\.)?([A-Za-z0-9-]+)")


# -- reading ---------------------------------------------------------------------


# A binary property's first line, and any property's (bytes: read before decoding).
_BINARY_LINE = re.compile(rb"^(?:[A-Za-z0-9-]+\.)?(?:PHOTO|LOGO|SOUND|KEY)[;:]", re.IGNORECASE)
_ANY_PROPERTY = re.compile(rb"^[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)?[;:]")
# An address book with photos can be many times the size of its text.
MAX_BOOK_BYTES = 16 * MAX_FILE_BYTES


def vcard_bytes(path: str | Path) -> bytes:
    """The bytes of a .vcf file; one over MAX_FILE_BYTES is read without its photos.

    Photos and other binary values are passed over by the reader anyway; a
    book too large to hold whole (an Apple export with a photo per person)
    is streamed line by line and its binary values left behind (each line an
    empty one, so line numbers hold), up to MAX_FILE_BYTES of the rest.
    """
    source = Path(path)
    try:
        size = source.stat().st_size
        if size <= MAX_FILE_BYTES:
            return read_bytes(source)
        if size > MAX_BOOK_BYTES:
            raise too_large(source, MAX_BOOK_BYTES)
        with source.open("rb") as file:
            if file.read(4).startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")):
                raise too_large(source)  # UTF-16 or 32: not read line by line as bytes
            file.seek(0)
            return _without_binary(file, source)
    except OSError:
        return read_bytes(source)  # words the error as every importer does


def _without_binary(file: IO[bytes], source: Path) -> bytes:
    kept = bytearray()
    skipping = False
    for raw in iter(lambda: file.readline(1 << 20), b""):
        # Folded (a leading space), or 2.1's unfolded base64: not a property of its own.
        goes_on = raw[:1] in (b" ", b"\t") or bool(raw.strip() and not _ANY_PROPERTY.match(raw))
        skipping = (skipping and goes_on) or bool(_BINARY_LINE.match(raw))
        if skipping:
            kept += b"\n" if raw.endswith(b"\n") else b""
            continue
        kept += raw
        if len(kept) > MAX_FILE_BYTES:
            raise too_large(source)
    return bytes(kept)


def logical_lines(text: str) -> Iterator[tuple[int, str]]:
    """Unfolded content lines with the line each starts on.

    Folding is a line break followed by a space or tab; in vCard 2.1 a
    quoted-printable value ending in ``=`` goes on on the next line.
    """
    current: str | None = None
    start = 0
    soft_break = False
    for number, raw in enumerate(LINE_BREAK.split(text), 1):
        if current is not None and soft_break:
            current += raw
        elif current is not None and raw[:1] in (" ", "\t"):
            current += raw[1:]
            continue
        else:
            if current is not None:
                yield start, current
            current, start = (raw, number) if raw.strip() else (None, number)
            if current is None:
                soft_break = False
                continue
        head = current.split(":", 1)[0].upper()
        soft_break = current.endswith("=") and "QUOTED-PRINTABLE" in head
        if soft_break:
            current = current[:-1]
    if current is not None:
        yield start, current


def _split(text: str, separator: str) -> list[str]:
    """Split at separators not escaped with a backslash; escapes stay for :func:`unescape`."""
    parts, current, i = [], [], 0
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text):
            current.append(text[i : i + 2])
            i += 2
            continue
        if char == separator:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
        i += 1
    parts.append("".join(current))
    return parts


def unescape(text: str, *, strip: bool = True) -> str:
    """``\\n`` is a line break; ``\\,``, ``\\;``, ``\\:`` (Apple) and ``\\\\`` are the character.

    The result is stripped of surrounding whitespace unless ``strip`` is False.
    """
    value = re.sub(r"\\(.)", lambda m: "\n" if m.group(1) in "nN" else m.group(1), text)
    return value.strip() if strip else value


@dataclass
class _Property:
    name: str
    value: str
    params: dict[str, list[str]]
    types: set[str]
    line: int
    order: int

    @property
    def rank(self) -> tuple[int, int]:
        """Preferred first: 4.0's PREF=1, 3.0's TYPE=pref, 2.1's bare PREF; then file order."""
        pref = self.params.get("PREF")
        if pref and pref[0].isdigit():
            return int(pref[0]), self.order
        return (1 if "pref" in self.types else 101), self.order

    def text(self, *, strip: bool = True) -> str:
        return unescape(self.value, strip=strip)

    def parts(self, separator: str = ";") -> list[str]:
        return [unescape(p) for p in _split(self.value, separator)]


@dataclass
class _Card:
    line: int
    properties: list[_Property] = field(default_factory=list)

    _by_name: dict[str, list[_Property]] | None = None

    def all(self, name: str) -> list[_Property]:
        if self._by_name is None:
            self._by_name = {}
            for prop in sorted(self.properties, key=lambda p: p.rank):
                self._by_name.setdefault(prop.name, []).append(prop)
        return self._by_name.get(name, [])

    def first(self, name: str) -> str:
        found = self.all(name)
        return found[0].text() if found else ""


def _content_line(number: int, text: str) -> _Property:
    """One property, its parameters read by vobject's parser.

    vobject's ContentLine would also decode quoted-printable, but building
    one costs ten times the parse; at 30,000 cards that is most of the import.
    """
    name, raw_params, value, _group = parseLine(text, number)
    params: dict[str, list[str]] = {}
    singletons: list[str] = []
    for param in raw_params:
        if len(param) == 1:
            singletons.append(param[0].upper())  # vCard 2.1: TEL;CELL;PREF
        else:
            params.setdefault(param[0].upper(), []).extend(param[1:])
    encodings = [e.upper() for e in params.get("ENCODING", [])] + singletons
    if "QUOTED-PRINTABLE" in encodings:
        charset = params.get("CHARSET", ["utf-8"])[0]
        value = quopri.decodestring(value.encode("utf-8")).decode(charset)
    types = {s.lower() for s in singletons}
    for listed in params.get("TYPE", []):
        types.update(t.strip().lower() for t in listed.split(",") if t.strip())
    return _Property(name.upper(), value, params, types, number, 0)


def _cards(text: str, path: str | Path, skipped: list[Skipped]) -> Iterator[_Card]:
    card: _Card | None = None
    skipping_binary = False
    saw_card = False
    for number, line in logical_lines(text):
        word = line.strip().upper()
        if word == "BEGIN:VCARD":
            if card is not None:
                skipped.append(Skipped(card.line, "card never ends (END:VCARD missing)"))
            card, saw_card, skipping_binary = _Card(number), True, False
            continue
        if card is None:
            if not saw_card and number > 20:
                break
            continue
        if word == "END:VCARD":
            yield card
            card = None
            continue
        if skipping_binary and not _PROPERTY_START.match(line):
            continue  # an old encoder's unfolded base64 photo data
        name = _PROPERTY_NAME.match(line)
        skipping_binary = name is not None and name.group(1).upper() in BINARY
        if skipping_binary:
            continue
        if len(line) > MAX_LINE_CHARS:
            skipped.append(
                Skipped(number, f"a value longer than {MAX_LINE_CHARS:,} characters; card left out")
            )
            card = None
            continue
        try:
            prop = _content_line(number, line)
        except (UnicodeDecodeError, LookupError, ValueError) as exc:
            skipped.append(Skipped(number, f"cannot decode this value ({exc})"))
            card = None
            continue
        except ParseError:
            skipped.append(Skipped(number, f"not a vCard property: {line[:40]!r}"))
            card = None
            continue
        prop.order = len(card.properties)
        card.properties.append(prop)
    if card is not None:
        skipped.append(Skipped(card.line, "card never ends (END:VCARD missing)"))
    if not saw_card:
        raise ImportFailed(f"{path} is not {WHAT}: no BEGIN:VCARD found")


def read_vcard(text: str, path: str | Path) -> Parsed:
    """Drafts, one per card: people, or organizations for company cards."""
    parsed = Parsed()
    for card in _cards(text, path, parsed.skipped):
        try:
            draft = _draft(card, parsed.warnings, parsed.noted)
        except ValidationError as exc:
            parsed.skipped.append(Skipped(card.line, str(exc)))
            continue
        if isinstance(draft, str):
            parsed.skipped.append(Skipped(card.line, draft))
        else:
            parsed.drafts.append(draft)
    parsed.skipped.sort(key=lambda s: s.line)
    return parsed


def _name_parts(card: _Card) -> list[str]:
    """N's family, given, additional names, prefixes and suffixes (empty if no N)."""
    names = card.all("N")
    return (names[0].parts() + [""] * 5)[:5] if names else [""] * 5


def _name(card: _Card) -> str:
    formatted = card.first("FN")
    if formatted:
        return formatted
    family, given, additional, prefix, suffix = _name_parts(card)
    return " ".join(p for p in (prefix, given, additional, family, suffix) if p)


# Heading of the part of a contact's notes that keeps what rapport has no field for.
EXTRA_HEADING = "Also in the vCard (no field for it in rapport):"
# TYPE words that say nothing about which address or number it is.
_PLAIN_TYPES = {"pref", "voice", "internet", "x400"}


@dataclass
class _Extra:
    """Values of a card that rapport has no field for: kept in the notes, named under --strict."""

    lines: list[str] = field(default_factory=list)
    noted: list[Skipped] = field(default_factory=list)

    def keep(self, prop: _Property, label: str, value: str) -> None:
        kinds = sorted(t for t in prop.types if t not in _PLAIN_TYPES)
        labelled = label + (f" ({', '.join(kinds)})" if kinds else "")
        self.lines.append(f"{labelled}: {value}")
        self.noted.append(Skipped(prop.line, f"{labelled} {value!r} has no field in rapport"))

    def notes(self, notes: str) -> str:
        if not self.lines:
            return notes
        block = "\n".join([EXTRA_HEADING, *self.lines])
        return f"{notes}\n\n{block}" if notes else block


def _address(prop: _Property) -> list[str]:
    """ADR's seven parts: PO box, extended, street, city, region, postcode, country."""
    return [p.replace("\n", ", ") for p in (prop.parts() + [""] * 7)[:7]]


def _location(card: _Card, extra: _Extra) -> str:
    """City, region and country of the preferred address; every address part left is extra."""
    location = ""
    for index, prop in enumerate(card.all("ADR")):
        parts = _address(prop)
        whole = ", ".join(p for p in parts if p)
        if index:
            if whole:
                extra.keep(prop, "Address", whole)
            continue
        location = ", ".join(p for p in (parts[3], parts[4], parts[6]) if p) or parts[2]
        if any(p for p in (parts[0], parts[1], parts[5])) or (parts[2] and parts[2] != location):
            extra.keep(prop, "Address", whole)
    return location


def _organization(card: _Card, extra: _Extra) -> str:
    """The organization's name; its units ("Research") and other ORGs are extra."""
    name = ""
    for prop in card.all("ORG"):
        name_of, *units = prop.parts()
        units = [u for u in units if u]
        if not name:
            name = name_of
        elif name_of:
            extra.keep(prop, "Organization", ", ".join([name_of, *units]))
            continue
        if units:
            extra.keep(prop, "Department", ", ".join(units))
    return name


def _phones(card: _Card) -> list[tuple[_Property, str]]:
    return [(p, re.sub(r"^tel:", "", p.text(), flags=re.IGNORECASE)) for p in card.all("TEL")]


def _organization_draft(
    card: _Card, name: str, urls: list[str], notes: str, extra: _Extra
) -> OrganizationDraft:
    """A company's own card: an organization has a website and notes; the rest goes to notes."""
    website = next((u for u in urls if not is_linkedin(u)), "")
    for prop in card.all("URL"):
        if prop.text() and prop.text() != website:
            extra.keep(prop, "Web address", prop.text())
    for prop, number in _phones(card):
        if number:
            extra.keep(prop, "Phone", number)
    for prop in card.all("EMAIL"):
        if prop.text():
            extra.keep(prop, "Email", prop.text())
    for prop in card.all("ADR"):
        whole = ", ".join(p for p in _address(prop) if p)
        if whole:
            extra.keep(prop, "Address", whole)
    return OrganizationDraft(card.line, name, website=website, notes=extra.notes(notes))


# RFC 6715's three levels on rapport's five-step scale.
_RFC6715_LEVELS = {"beginner": "2", "average": "3", "expert": "5"}


def _expertise(card: _Card) -> list[tuple[str, str]]:
    """Skills from rapport's X-RAPPORT-EXPERTISE (LEVEL 1-5) and RFC 6715's EXPERTISE."""
    found = []
    for name in ("X-RAPPORT-EXPERTISE", "EXPERTISE"):
        for prop in card.all(name):
            level = prop.params.get("LEVEL", [""])[0].lower()
            found.append((prop.text(), _RFC6715_LEVELS.get(level, level)))
    return found


def _draft(
    card: _Card, warnings: list[Skipped], noted: list[Skipped]
) -> ContactDraft | OrganizationDraft | str:
    """A draft for the card, or the reason it is skipped.

    A value with no field in rapport is kept under :data:`EXTRA_HEADING` in
    the notes, and listed in ``noted`` (an import with --strict refuses it).
    """
    kind = (card.first("KIND") or card.first("X-ADDRESSBOOKSERVER-KIND")).lower()
    if kind == "group":
        return "a contact group, not a person"
    extra = _Extra()
    organization = _organization(card, extra)
    urls = [p.text() for p in card.all("URL")]
    # Notes keep their tabs and indents, as typed (the notes cleaner trims the rest).
    notes = "\n\n".join(n for n in (p.text(strip=False) for p in card.all("NOTE")) if n)
    name = _name(card)
    is_company = kind in ("org", "organization") or card.first("X-ABSHOWAS").upper() == "COMPANY"
    if is_company or (not name and organization):
        company = _organization_draft(card, organization or name, urls, notes, extra)
        noted.extend(extra.noted)
        return company
    if not name:
        return "no name"
    title, role = card.first("TITLE"), card.first("ROLE")
    if title and role and role != title:
        extra.keep(card.all("ROLE")[0], "Role", role)
    for prop in card.all("NICKNAME"):
        if prop.text():
            extra.keep(prop, "Nickname", prop.text())
    draft = ContactDraft(
        card.line,
        name=name,
        organization=organization,
        role=title or role,
        emails=[p.text() for p in card.all("EMAIL")],
        phones=[number for _, number in _phones(card)],
        location=_location(card, extra),
        given_name=_name_parts(card)[1],
        family_name=_name_parts(card)[0],
        vcard_uid=card.first("UID"),
        how_met=card.first("X-RAPPORT-HOW-MET"),
        tags=person_tags([t for p in card.all("CATEGORIES") for t in p.parts(",") if t]),
        notes=notes,
    )
    for profile in card.all("X-SOCIALPROFILE"):
        if "linkedin" in profile.types:
            user = profile.params.get("X-USER", [""])[0]
            value = profile.text()
            add_web_address(draft, value if "://" in value else f"linkedin.com/in/{user}")
    for url in urls:
        add_web_address(draft, url)
    draft.notes = extra.notes(draft.notes)
    noted.extend(extra.noted)
    for prop in card.all("BDAY")[:1]:
        try:
            omit = "X-APPLE-OMIT-YEAR" in prop.params
            draft.birthday = parse_birthday(prop.text(), omit_year=omit)
        except ValidationError as exc:
            warnings.append(Skipped(prop.line, f"{exc}; left out"))
    draft.expertise = _expertise(card)
    connected = card.all("X-RAPPORT-CONNECTED-ON")[:1]
    for prop in connected:
        try:
            draft.connected_on = parse_day(prop.text(), "connected on")
        except ValidationError as exc:
            warnings.append(Skipped(prop.line, f"{exc}; left out"))
    return draft


# -- writing ---------------------------------------------------------------------

VERSIONS = ("4.0", "3.0")


def stable_uid(kind: str, values: dict[str, Any]) -> str:
    """The UID an imported card came with, else the one rapport derives (stable): the
    same in a file export and in a vdir, so a card synced once is never sent twice."""
    return str(values.get("vcard_uid") or derived_uid(kind, values["id"], values["created_at"]))


_NEEDS_QUOTES = re.compile(r"[,;:]")


def content_line(name: str, value: str, params: dict[str, list[str]] | None = None) -> str:
    """``NAME;PARAM=A,B:value`` (value already escaped), folded, with its CRLF.

    Parameters come sorted by name; a parameter value holding ``,;:`` is quoted.
    No control character is written, whatever an older database holds (ESC,
    NUL, a bidirectional override), and a line break left in a value that is
    not escaped (a URL) becomes a space rather than a property of its own.
    """
    head = name
    for key in sorted(params or ()):
        assert params is not None
        head += f";{key}=" + ",".join(
            f'"{v}"' if _NEEDS_QUOTES.search(v) else v for v in params[key]
        )
    line = f"{head}:{value}"
    if UNCLEAN.search(line) or "\n" in line:
        line = without_controls(line).replace("\n", " ")
    return fold(line)


def _preferred(version: str, index: int, kind: list[str]) -> dict[str, list[str]]:
    if index:
        return {"TYPE": kind} if kind else {}
    if version == "4.0":
        return {"PREF": ["1"], **({"TYPE": kind} if kind else {})}
    return {"TYPE": [*kind, "pref"]}


def _card(kind: str, values: dict[str, Any], version: str, lines: list[str]) -> str:
    """BEGIN, VERSION, PRODID and a UID that stays the same across exports (so address
    books update rather than duplicate), the other lines, END."""
    head = f"BEGIN:VCARD\r\nVERSION:{version}\r\nPRODID:-//rapport//rapport//EN\r\n" + content_line(
        "UID", escape(stable_uid(kind, values))
    )
    return head + "".join(lines) + "END:VCARD\r\n"


def birthday_value(birthday: str, version: str) -> str:
    """BDAY's value as each version writes it; a birthday without a year in that version's
    own form.

    4.0 (RFC 6350) writes ``--0214``; 3.0 (RFC 2426 takes ISO 8601's dates,
    whose truncated form has no year) ``--02-14``, as Google's 3.0 export does;
    khard, Google and rapport read both.
    """
    month_day = birthday.startswith("--")
    if version == "4.0":
        return birthday if month_day else birthday.replace("-", "")
    return f"--{birthday[2:4]}-{birthday[4:6]}" if month_day else birthday


def _birthday(birthday: str, version: str, apple: bool) -> str:
    """The BDAY line (see :func:`birthday_value`).  Apple Contacts writes a birthday
    without a year as the year 1604 with X-APPLE-OMIT-YEAR instead: only with
    ``apple``, as that would show other clients a birthday in 1604.
    """
    if birthday.startswith("--") and apple:
        day = f"1604-{birthday[2:4]}-{birthday[4:6]}"
        return content_line("BDAY", day, {"X-APPLE-OMIT-YEAR": ["1604"]})
    return content_line("BDAY", escape(birthday_value(birthday, version)))


def contact_card(
    values: dict[str, Any], version: str = "4.0", *, apple_birthdays: bool = False
) -> str:
    """One contact (its column values, ``organization`` as a name) as vCard text.

    ``apple_birthdays`` writes a birthday without a year as Apple does (see
    :func:`_birthday`).  Written directly, not through vobject (0.7 ms a card,
    20 s for 30,000): properties in vobject's order (VERSION, PRODID, UID, then
    by name), so its output and this are the same bytes for ASCII text; vobject
    folds non-ASCII lines by characters, this by octets, as the RFCs say.
    """
    given, family = name_parts(values["name"], values["given_name"], values["family_name"])
    lines = []
    if values["location"]:
        lines.append(content_line("ADR", f";;;{escape(values['location'])};;;"))
    if values["birthday"]:
        lines.append(_birthday(values["birthday"], version, apple_birthdays))
    if values["tags"]:
        lines.append(content_line("CATEGORIES", ",".join(map(escape, values["tags"].split(",")))))
    internet = [] if version == "4.0" else ["INTERNET"]
    emails = [values["email"], *values["other_emails"].split("\n")]
    for index, address in enumerate(a for a in emails if a):
        lines.append(content_line("EMAIL", escape(address), _preferred(version, index, internet)))
    lines.append(content_line("FN", escape(values["name"])))
    lines.append(content_line("N", f"{escape(family)};{escape(given)};;;"))
    if values["notes"]:
        lines.append(content_line("NOTE", escape(values["notes"])))
    if values["organization"]:
        lines.append(content_line("ORG", escape(values["organization"])))
    phones = [values["phone"], *values["other_phones"].split("\n")]
    for index, number in enumerate(p for p in phones if p):
        lines.append(content_line("TEL", escape(number), _preferred(version, index, [])))
    if values["role"]:
        lines.append(content_line("TITLE", escape(values["role"])))
    if values["linkedin_url"]:
        lines.append(content_line("URL", values["linkedin_url"]))  # a URI, not TEXT: no escapes
    if values["connected_on"]:
        lines.append(content_line("X-RAPPORT-CONNECTED-ON", values["connected_on"].isoformat()))
    for skill, level in values.get("expertise", []):
        # rapport's own property (README): RFC 6715's EXPERTISE has a three-step
        # LEVEL and is a 4.0 property only; this one keeps the five-step scale.
        params = {"LEVEL": [str(level)]} if level else None
        lines.append(content_line("X-RAPPORT-EXPERTISE", escape(skill), params))
    if values["how_met"]:
        lines.append(content_line("X-RAPPORT-HOW-MET", escape(values["how_met"])))
    return _card("contact", values, version, lines)


def organization_card(values: dict[str, Any], version: str = "4.0") -> str:
    """A company card: KIND:org in 4.0, Apple's X-ABShowAs:COMPANY in 3.0."""
    name = escape(values["name"])
    lines = [content_line("FN", name)]
    if version == "4.0":
        lines.append(content_line("KIND", "org"))
    lines.append(content_line("N", f"{name};;;;"))
    if values["notes"]:
        lines.append(content_line("NOTE", escape(values["notes"])))
    lines.append(content_line("ORG", name))
    if values["website"]:
        lines.append(content_line("URL", values["website"]))  # a URI, not TEXT
    if version != "4.0":
        lines.append(content_line("X-ABSHOWAS", "COMPANY"))
    return _card("organization", values, version, lines)
