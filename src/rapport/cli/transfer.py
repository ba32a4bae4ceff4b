"""The ``rapport export`` and ``rapport import`` groups; each format adds its commands.

Calendar commands live in ``rapport.cli.calendar``, contact formats in
``rapport.cli.exchange``; both attach themselves to these groups.
"""

from __future__ import annotations

import click


@click.group("export")
def export() -> None:
    """Write follow-ups, contacts or everything to a file."""


@click.group("import")
def import_() -> None:
    """Bring contacts or events in from a file (all or nothing)."""
