"""Regular expressions compiled when first used, not when their module loads."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache, partial


def when_used(pattern: str, flags: int = 0) -> Callable[[], re.Pattern[str]]:
    """``re.compile(pattern, flags)``, done on the first call and kept.

    A pattern costs about 0.1 ms to compile: rapport.dates' twelve and
    rapport.services.clean's five were 2 ms of the start of every command,
    `followups due` among them, that never parses a date or checks an address.
    """
    return cache(partial(re.compile, pattern, flags))
