"""Fixtures for the app's tests: the demo network copied per test, and the app on it.

Loading the demo network through the services takes a noticeable part of a
second; the app's tests build it once per session and give each test its
own copy of the file.
"""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from tui_helpers import record_notices, settle

# The day tests/conftest.py freezes the clock at (a session fixture runs
# before its per-test freezing, so it sets the same day itself).
FROZEN_NOW = "2026-11-23T09:00:00"


@pytest.fixture(scope="session")
def sample_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from rapport import clock
    from rapport.db import close_database, open_database
    from rapport.services.sample import load_sample_network

    path = tmp_path_factory.mktemp("sample") / "template.db"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("RAPPORT_NOW", FROZEN_NOW)
        clock.local_zone_name.cache_clear()
        open_database(path)
        load_sample_network()
        close_database()
    return path


@pytest.fixture
def sample_db(sample_template: Path, tmp_path: Path) -> Iterator[Path]:
    """The demo network loaded on the frozen day: a private copy, open."""
    from rapport.db import close_database, open_database

    copy = tmp_path / "rapport.db"
    shutil.copyfile(sample_template, copy)
    copy.chmod(0o600)
    yield open_database(copy)
    close_database()


@pytest.fixture
def open_app() -> Callable[..., Any]:
    """``async with open_app(db) as pilot:`` the app on ``db``, loaded, at 80x24
    (``toasts=True`` draws notifications on the screen)."""
    from rapport.tui.app import RapportApp

    @asynccontextmanager
    async def opener(
        db: Path, size: tuple[int, int] = (80, 24), *, toasts: bool = False
    ) -> AsyncIterator[Pilot[Any]]:
        app = RapportApp(db_path=db)
        record_notices(app)
        # Textual leaves notifications off screen in tests unless asked.
        async with app.run_test(size=size, notifications=toasts) as pilot:
            await settle(pilot)
            yield pilot

    return opener


@pytest.fixture(scope="session", autouse=True)
def _parse_css_once() -> Iterator[None]:
    """Every app of the session parses the same stylesheets: parse each once.

    Textual caches parsed CSS per app; the tests start a new app each, and
    parsing was a tenth of their time.  The cache is keyed by the theme's
    variables too, as Textual's own is by stylesheet.  Stylesheet._parse_rules
    is private: Textual 8 has no public way to share parsed CSS between apps
    (each App builds its own Stylesheet), so textual is pinned to 8.x for it
    (and for the two internals tui_helpers names).
    """
    from textual.css.stylesheet import Stylesheet

    parse_rules = Stylesheet._parse_rules
    parsed: dict[object, Any] = {}

    def cached(self: Stylesheet, css: str, read_from: Any, *args: Any, **kwargs: Any) -> Any:
        variables = tuple(sorted(self._variables.items()))
        key = (css, read_from, args, tuple(sorted(kwargs.items())), variables)
        if key not in parsed:
            parsed[key] = parse_rules(self, css, read_from, *args, **kwargs)
        return parsed[key]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Stylesheet, "_parse_rules", cached)
        yield
