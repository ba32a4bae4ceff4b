"""Values as contact files write them: dates, birthdays, web addresses, tag lists."""

from __future__ import annotations

import datetime as dt
import re

from rapport.errors import ValidationError
from rapport.importers._engine import ContactDraft

# Month names in English whatever the locale: strptime's %b follows the locale.
_MONTHS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})[ -]([A-Za-z]{3})[A-Za-z]*\.?[ -](\d{4})$")
_ISO = re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})(?:T.*)?$")
_US = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})$")
_NO_YEAR = re.compile(r"^--(\d{2})-?(\d{2})$")


def _date(year: int, month: int, day: int, text: str, field: str) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValidationError(field, f"{text!r} is not a date") from None


def parse_day(text: str, field: str) -> dt.date | None:
    """``03 Aug 2026`` (LinkedIn), ``2026-08-03``, ``20260803`` or ``8/3/2026``; empty is None."""
    text = text.strip()
    if not text:
        return None
    if match := _DAY_MONTH_YEAR.match(text):
        month = _MONTHS.get(match.group(2).lower())
        if month:
            return _date(int(match.group(3)), month, int(match.group(1)), text, field)
    if match := _ISO.match(text):
        year, month, day = (int(g) for g in match.groups())
        return _date(year, month, day, text, field)
    if match := _US.match(text):
        month, day, year = (int(g) for g in match.groups())
        year += 2000 if year < 100 else 0
        return _date(year, month, day, text, field)
    raise ValidationError(field, f"{text!r} is not a date")


def parse_birthday(text: str, *, omit_year: bool = False, field: str = "birthday") -> str:
    """A birthday as rapport stores it: ``1990-02-14``, or ``--0214`` without a year.

    Reads ``--0214``, ``--02-14``, ISO dates, ``8/3/1990``; ``omit_year`` (Apple's
    X-APPLE-OMIT-YEAR) drops the placeholder year.  Outlook's ``0/0/00`` is no
    birthday.  Raises ValidationError.
    """
    text = text.strip()
    if not text or text in ("0/0/00", "0/0/0000"):
        return ""
    if match := _NO_YEAR.match(text):
        month, day = int(match.group(1)), int(match.group(2))
        _date(2000, month, day, text, field)  # 2000 is a leap year: --0229 is a birthday
        return f"--{month:02d}{day:02d}"
    day_value = parse_day(text, field)
    assert day_value is not None
    if omit_year:
        return f"--{day_value.month:02d}{day_value.day:02d}"
    return day_value.isoformat()


def is_linkedin(url: str) -> bool:
    return bool(re.search(r"(^|[/.])linkedin\.com(/|$)", url.strip(), re.IGNORECASE))


def split_list(text: str) -> list[str]:
    """Tags as spreadsheets write them: ``a, b``, ``a;b`` or Google's ``* a ::: b``."""
    parts = re.split(r":::|[;,]", text)
    return [p.strip().removeprefix("* ").strip() for p in parts if p.strip()]


# Google adds every contact to this system group; as a tag it says nothing.
SYSTEM_GROUPS = {"mycontacts", "* mycontacts"}


def person_tags(items: list[str]) -> list[str]:
    return [t for t in items if t.strip().lower() not in SYSTEM_GROUPS]


def add_web_address(draft: ContactDraft, url: str) -> None:
    """A LinkedIn profile goes to its field; another web address is kept in the notes."""
    url = url.strip()
    if not url:
        return
    if is_linkedin(url) and not draft.linkedin_url:
        draft.linkedin_url = url
    elif url not in draft.notes and not is_linkedin(url):
        draft.notes = (draft.notes + "\n" if draft.notes else "") + f"Website: {url}"
