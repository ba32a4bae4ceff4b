"""What a screen may ask of the app it runs in: the one interface screens type against.

Screens and forms never import rapport.tui.app (which opens every screen):
they type the app as this Protocol, and app.py checks that RapportApp
provides it, so the arrows go one way, app -> screens -> host.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from rapport.tui import data
from rapport.tui.backend import Backend
from rapport.tui.widgets.fields import Choice, PickerField

T = TypeVar("T")


class RapportHost(Protocol):
    """The app's shared state and navigation, as the screens use them."""

    backend: Backend
    # Moves on with every write (ours or another rapport's): a screen reloads
    # when its own copy is behind.
    data_version: int
    # The file each export dialog wrote last ("ics", "checkin"), offered next time.
    last_paths: dict[str, str]
    # When the app was opened (naive UTC): what was done before is another session's.
    session_started: dt.datetime

    def changed(self, *, contacts: bool = True) -> None: ...

    def loaded(self) -> None: ...

    async def check_outside(self) -> bool: ...

    async def cached(
        self, name: str, loader: Callable[[], T], *, contacts_only: bool = False
    ) -> T: ...

    async def contacts(self) -> data.ContactIndex: ...

    async def choices(self, kind: str) -> list[Choice]: ...

    def opener(
        self, kind: str, title: str, *, multiple: bool = False, create: bool = False
    ) -> Callable[[PickerField], Any]: ...

    async def open_contact(self, contact_id: int) -> None: ...

    async def show_organization(self, organization_id: int | None) -> None: ...

    async def show_contacts(self, text: str) -> None: ...

    def action_import_contacts(self) -> None: ...
