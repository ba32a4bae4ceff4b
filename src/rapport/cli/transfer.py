"""The ``rapport export`` and ``rapport import`` groups; each format adds its commands.

Calendar commands live in ``rapport.cli.calendar``, contact formats in
``rapport.cli.exchange``; each attaches itself to these groups when it is
imported, and a group imports the module of the one command it is asked
for (``export ics`` does not load the contact formats).
"""

from __future__ import annotations

import importlib
from typing import Any

import click

from rapport.cli import SuggestingGroup

# Which module each format's command lives in.
EXPORTS = {"csv": "exchange", "ics": "calendar", "json": "exchange", "vcard": "exchange"}
IMPORTS = {
    "csv": "exchange",
    "ics": "calendar",
    "json": "exchange",
    "linkedin": "exchange",
    "vcard": "exchange",
}


class FormatGroup(SuggestingGroup):
    """A group whose commands load with their format's module, when asked for."""

    def __init__(self, *args: Any, formats: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.formats = formats

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *self.formats})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.formats and cmd_name not in self.commands:
            # The module's own decorators add its commands to this group.
            importlib.import_module(f"rapport.cli.{self.formats[cmd_name]}")
        return super().get_command(ctx, cmd_name)


@click.group("export", cls=FormatGroup, formats=EXPORTS)
def export() -> None:
    """Write follow-ups, contacts or everything to a file."""


@click.group("import", cls=FormatGroup, formats=IMPORTS)
def import_() -> None:
    """Bring contacts or events in from a file (all or nothing)."""
