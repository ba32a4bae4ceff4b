"""Values as contact files write them: dates, birthdays, web addresses, tag lists."""

from __future__ import annotations

import re

from rapport.importers.drafts import ContactDraft


def is_linkedin(url: str) -> bool:
    return bool(re.search(r"(^|[/.])linkedin\.com(/|$)", url.strip(), re.IGNORECASE))


def split_list(text: str) -> list[str]:
    """Tags as spreadsheets write them: ``a, b``, ``a;b`` or Google's ``* a ::: b``."""
    parts = re.split(r":::|[;,]", text)
    return [p.strip().removeprefix("* ").strip() for p in parts if p.strip()]


_EXPERTISE_ITEM = re.compile(r"\s*(.*?)\s*(?:\(\s*([^()]*?)\s*\)|:\s*(\w[\w ]*))?\s*")


def expertise_item(text: str) -> tuple[str, str]:
    """``Hiring (5 expert)``, ``Hiring (4)``, ``Hiring: strong`` or ``Hiring`` as
    (name, level as written); the services check both."""
    match = _EXPERTISE_ITEM.fullmatch(text)
    if match is None:
        return text.strip(), ""
    return match.group(1), (match.group(2) or match.group(3) or "").strip()


def expertise_items(cell: str) -> list[tuple[str, str]]:
    """Skills in a spreadsheet cell as people write them: ``SQL; Hiring (4)``."""
    return [expertise_item(item) for item in split_list(cell)]


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
