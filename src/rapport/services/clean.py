"""Cleaners shared by every service: text, choices, emails, URLs, dates, edits.

Each cleaner takes what a person typed and either returns the value to store
or raises ValidationError naming the field, so the CLI and the TUI refuse the
same input with the same words.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Collection, Iterable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from rapport import clock, dates
from rapport.errors import Conflict, ValidationError
from rapport.patterns import when_used
from rapport.text import without_controls

if TYPE_CHECKING:
    # Loaded by the writes that use it: a list's tag filter cleans without peewee.
    from peewee import Model

T = TypeVar("T")
Cleaner = Callable[[Any], Any]

_EMAIL = when_used(r"^[^@\s,;<>()\[\]]+@[^@\s,;<>()\[\]]+\.[^@\s,;<>()\[\].]{2,}$")
_URL = when_used(r"^https?://[^\s/]+\.[^\s/]+(/\S*)?$", re.IGNORECASE)
_LINKEDIN = when_used(r"^https?://(?:[a-z0-9-]+\.)*linkedin\.com(/[^?#]*)?", re.IGNORECASE)
# Lone surrogates: what Python makes of bytes that are not UTF-8 (a terminal
# set to another encoding); SQLite cannot store them.
_SURROGATE = when_used("[\ud800-\udfff]")


def plain_text(value: Any, field: str) -> str:
    """Text as rapport keeps it, whatever brought it (a form, a command, an
    import, a restore): line breaks as ``\n``, tabs kept, every other control
    character dropped, so no escape sequence (OSC 52 sets the clipboard) or NUL
    ever reaches a terminal or a calendar.  Raises ValidationError for bytes
    that are not text."""
    text = "" if value is None else str(value)
    if _SURROGATE().search(text):
        raise ValidationError(
            field, "holds bytes that are not UTF-8 text (is your terminal set to UTF-8?)"
        )
    return without_controls(text)


def one_line(value: Any, field: str, *, required: bool = False, max_length: int = 500) -> str:
    """A name or title: control characters dropped, whitespace collapsed."""
    text = " ".join(plain_text(value, field).split())
    if required and not text:
        raise ValidationError(field, "must not be empty")
    if len(text) > max_length:
        raise ValidationError(field, f"is too long ({len(text)} characters, at most {max_length})")
    return text


def one_line_keeps(
    values: Collection[str], *, required: bool = False, max_length: int = 500
) -> bool:
    """Whether :func:`one_line` (with these options) returns each of ``values`` (text)
    as it is: checked on their joined text at once, where an import's 30,000 names
    would otherwise be cleaned one by one.  False says nothing about any one of them.

    Printable ASCII holds no control character, no line break and no surrogate,
    and its only whitespace is the space: a value is kept when it has no space at
    either end and none doubled.
    """
    body = "".join(values)
    if not body.isascii() or not body.isprintable():
        return False
    text = "\n".join(values)
    if "  " in text or " \n" in text or "\n " in text or text.startswith(" ") or text.endswith(" "):
        return False
    return max(map(len, values), default=0) <= max_length and not (required and "" in values)


def free_text(value: Any, field: str = "notes") -> str:
    """Notes, questions, advice: kept as typed, newlines and tabs included
    (other control characters are dropped); only blank space is no text."""
    text = plain_text(value, field).strip("\n ")
    return text if text.strip() else ""


def choice(value: Any, choices: Iterable[str], field: str) -> str:
    """One of ``choices``, matched case-insensitively; ``hiring manager`` = ``hiring-manager``."""
    options = list(choices)
    text = re.sub(r"[\s_]+", "-", str(value or "").strip().lower())
    if text in options:
        return text
    prefixed = [o for o in options if o.startswith(text)] if text else []
    if len(prefixed) == 1:
        return prefixed[0]
    raise ValidationError(field, f"must be one of {', '.join(options)} (got {value!r})")


def email(value: Any, field: str = "email") -> str:
    """An email address, stored in lower case so the same address always matches."""
    text = one_line(value, field).lower()
    if text and not _EMAIL().match(text):
        raise ValidationError(field, f"{text!r} is not an email address")
    return text


def email_keeps(values: Collection[str]) -> bool:
    """Whether :func:`email` returns each of ``values`` as it is (see :func:`one_line_keeps`)."""
    return (
        one_line_keeps(values)
        and all(value == value.lower() for value in values)
        and all(_EMAIL().match(value) for value in values if value)
    )


URL_MAX_LENGTH = 2000


def url(value: Any, field: str = "url") -> str:
    """An http(s) URL; ``example.com/page`` gets ``https://`` in front."""
    text = one_line(value, field, max_length=URL_MAX_LENGTH)
    if not text:
        return ""
    if "://" not in text:
        text = "https://" + text
    if not _URL().match(text):
        raise ValidationError(field, f"{text!r} is not a web address (like https://example.com)")
    return text


def linkedin_url(value: Any, field: str = "linkedin") -> str:
    """A LinkedIn profile address in one canonical form, so the same person matches.

    ``linkedin.com/in/Dana-W/``, ``http://uk.linkedin.com/in/dana-w?trk=x`` and
    ``https://www.linkedin.com/in/dana-w`` all become the last of these.
    """
    text = url(value, field)
    if not text:
        return ""
    match = _LINKEDIN().match(text)
    if not match:
        raise ValidationError(field, f"{text!r} is not a LinkedIn address")
    path = (match.group(1) or "").rstrip("/").lower()
    return "https://www.linkedin.com" + path


# What linkedin_url makes of a profile address: printable ASCII, no upper case,
# no whitespace, no query or fragment, no slash at the end.
_CANONICAL_LINKEDIN = when_used(
    r"(?:https://www\.linkedin\.com(?:/[!-\"$-.0-9:->@\[-~/]*[!-\"$-.0-9:->@\[-~])?)?"
)


def linkedin_url_keeps(values: Collection[str]) -> bool:
    """Whether :func:`linkedin_url` returns each of ``values`` as it is: an export's
    addresses are nearly always written in its canonical form already."""
    return all(map(_CANONICAL_LINKEDIN().fullmatch, values)) and (
        max(map(len, values), default=0) <= URL_MAX_LENGTH
    )


def phone(value: Any, field: str = "phone") -> str:
    text = one_line(value, field, max_length=60)
    if text and not re.fullmatch(r"[\d\s()+\-./xext#*]+", text, re.IGNORECASE):
        raise ValidationError(field, f"{text!r} is not a phone number")
    if text and not re.search(r"\d", text):
        raise ValidationError(field, f"{text!r} has no digits")
    return text


def positive_int(value: Any, field: str, *, allow_none: bool = True) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if allow_none:
            return None
        raise ValidationError(field, "must be given")
    try:
        number = int(str(value).strip())
    except ValueError:
        raise ValidationError(field, f"must be a whole number of days (got {value!r})") from None
    if number <= 0:
        raise ValidationError(field, f"must be a positive number of days (got {number})")
    if number > 36_500:
        raise ValidationError(field, "must be at most 100 years")
    return number


def tags(value: Any, field: str = "tags") -> str:
    """Tags from a list or a comma/space-separated string, stored as ``a,b,c``."""
    if value is None:
        return ""
    items = value if isinstance(value, (list, tuple, set)) else re.split(r"[,\s]+", str(value))
    seen: dict[str, None] = {}
    for item in items:
        tag = one_line(item, field, max_length=60).lower().lstrip("#")
        if tag:
            seen.setdefault(tag.replace(",", ""), None)
    return ",".join(seen)


def optional_date(value: Any, field: str) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value.date() if isinstance(value, dt.datetime) else value
    return dates.parse_optional_date(str(value), field=field)


def required_date(value: Any, field: str) -> dt.date:
    result = optional_date(value, field)
    if result is None:
        raise ValidationError(field, "must be given")
    return result


def past_date(value: Any, field: str) -> dt.date | None:
    """A date that has happened, today at the latest: the day we connected."""
    result = optional_date(value, field)
    if result is not None and result > clock.today():
        raise ValidationError(field, f"{result:%a %d %b %Y} is still to come")
    return result


def past_date_keeps(values: Collection[dt.date | None]) -> bool:
    """Whether :func:`past_date` returns each of ``values`` as it is: days (not
    datetimes) or None, none of them after today."""
    days = [value for value in values if value is not None]
    if not all(day.__class__ is dt.date for day in days):
        return False
    return not days or max(days) <= clock.today()


def when(value: Any, field: str) -> dates.When:
    """A date with an optional time: a When, a date, a datetime or typed text."""
    if isinstance(value, dates.When):
        return value
    if isinstance(value, dt.datetime):
        return dates.When(value.date(), value.time().replace(second=0, microsecond=0))
    if isinstance(value, dt.date):
        return dates.When(value)
    if value is None or not str(value).strip():
        raise ValidationError(field, "must be given")
    return dates.parse_when(str(value), field=field)


def normalized(text: str) -> str:
    """Text folded for matching: case and accents ignored."""
    if text.isascii():  # nothing to decompose: the app folds 30,000 contacts at start
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def check_unchanged(record: Model, expected_updated_at: dt.datetime | None) -> None:
    """Refuse to save over a change made elsewhere since the record was opened."""
    if expected_updated_at is None:
        return
    model = type(record)
    kind = "follow-up" if model.__name__ == "FollowUp" else model.__name__.lower()
    current = model.select(model.updated_at).where(model.id == record.id).scalar()
    if current is None:
        raise Conflict(f"{kind} {record.id} was deleted elsewhere since you opened it")
    if current != expected_updated_at:
        raise Conflict(
            f"{kind} {record.id} was changed elsewhere since you "
            "opened it; reopen it to see the change, then edit again"
        )


def apply_changes(
    record: Model, changes: Mapping[str, Any], cleaners: Mapping[str, Cleaner]
) -> dict[str, Any]:
    """Clean each given field and set it on ``record``; return what actually changed."""
    from peewee import Model

    changed: dict[str, Any] = {}
    for name, raw in changes.items():
        if name not in cleaners:
            raise ValidationError(name, "is not a field that can be set")
        value = cleaners[name](raw)
        # Compare raw column values: a foreign key compares by id, with no query.
        current = record.__data__.get(name)
        if current != (value.id if isinstance(value, Model) else value):
            setattr(record, name, value)
            changed[name] = value
    return changed
