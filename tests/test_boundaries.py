"""The core stays importable without Textual, and quick commands stay light.

Each check runs in a fresh interpreter, as harlequin does, so nothing another
test imported can hide a dependency.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

CORE = [
    "rapport.models",
    "rapport.db",
    "rapport.dates",
    "rapport.errors",
    "rapport.clock",
    "rapport.services.goals",
    "rapport.services.contacts",
    "rapport.services.interactions",
    "rapport.services.interviews",
    "rapport.services.events",
    "rapport.services.followups",
    "rapport.services.links",
    "rapport.services.search",
    "rapport.services.agenda",
    "rapport.services.sample",
    "rapport.services.serialize",
    "rapport.services.calendar_files",
    "rapport.services.exchange",
    "rapport.bulk",
    "rapport.recurrence",
]


def modules_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport sys\nprint('\\n'.join(sys.modules))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return set(out.split())


@pytest.mark.parametrize("module", CORE)
def test_the_core_does_not_import_textual(module: str) -> None:
    loaded = modules_after(f"import {module}")
    assert "textual" not in loaded


def test_the_calendar_services_load_icalendar_only_when_a_file_is_read_or_written() -> None:
    loaded = modules_after("import rapport.services.calendar_files, rapport.services.exchange")
    assert "icalendar" not in loaded
    assert "vobject" not in loaded


def test_the_command_line_loads_neither_textual_nor_icalendar() -> None:
    loaded = modules_after("import rapport.cli")
    assert "textual" not in loaded
    assert "icalendar" not in loaded


def test_the_app_starts_without_the_import_and_skill_gap_code() -> None:
    # Loaded when a person imports a file or first looks at a goal's skills:
    # eight modules the launch to Today no longer waits for.
    loaded = modules_after("import rapport.tui.app")
    assert "rapport.services.exchange" not in loaded
    assert "rapport.services.gaps" not in loaded


# Each tab's screen module, and what only it uses, load when the tab first opens.
OTHER_TABS = [
    "rapport.tui.screens.goals",
    "rapport.tui.screens.contacts",
    "rapport.tui.screens.interviews",
    "rapport.tui.screens.events",
    "rapport.tui.screens.review",
    "rapport.tui.screens.you",
    "rapport.tui.screens.organizations",
    "rapport.tui.screens.interactions",
    "rapport.tui.screens.search",
    "rapport.tui.screens.importing",
    "rapport.tui.screens.picker",
]


def test_the_app_starts_without_the_other_tabs_screens() -> None:
    loaded = modules_after("import rapport.tui.app")
    assert sorted(m for m in OTHER_TABS if m in loaded) == []


def test_today_is_drawn_before_the_review_code_loads() -> None:
    # This week's suggestions come from the review of every goal, loaded after
    # Today is drawn: its code (eight modules) need not load before either.
    loaded = modules_after("import rapport.tui.app, rapport.tui.screens.today")
    assert "rapport.services.review" not in loaded
    assert "rapport.tui.screens.review" not in loaded
