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
