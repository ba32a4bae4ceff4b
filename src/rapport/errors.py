"""RapportError and its kinds, each with a message a person can act on.

The CLI prints ``str(error)`` as one line on stderr and exits with
``error.exit_code``; the TUI shows the message beside the field it names or as
a notification.
"""

from __future__ import annotations

from collections.abc import Sequence


class RapportError(Exception):
    """Anything rapport can explain to the person in one line."""

    exit_code = 1

    def __init__(self, message: str, title: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.title = title or type(self).__name__

    def __str__(self) -> str:
        return self.message


class ValidationError(RapportError):
    """Bad input for one field; ``field`` names it, ``reason`` says what is wrong."""

    exit_code = 2

    def __init__(self, field: str, reason: str) -> None:
        self.field = field
        self.reason = reason
        super().__init__(f"{field}: {reason}", title="Invalid input")


class NotFound(RapportError):
    """A record named by id or name does not exist."""

    exit_code = 3


class Ambiguous(RapportError):
    """A name matches more than one record; ``candidates`` lists them."""

    exit_code = 4

    def __init__(self, message: str, candidates: Sequence[str]) -> None:
        self.candidates = list(candidates)
        super().__init__(message, title="Which one?")


class ImportFailed(RapportError):
    """A file could not be imported; nothing from it was written."""

    exit_code = 5


class Conflict(RapportError):
    """A record changed since it was opened; saving would overwrite that change."""

    exit_code = 6


class SchemaTooNew(RapportError):
    """The database was written by a newer rapport; it is left untouched."""

    exit_code = 7


class DatabaseUnusable(RapportError):
    """The file is not a rapport database, or is damaged; it is left untouched."""

    exit_code = 8


class BackupFailed(RapportError):
    """A backup could not be written (a full disk, a file-size limit); the database is
    left untouched and is not damaged, so the exit code is the plain one."""


class SyncFailed(RapportError):
    """vdirsyncer failed or is missing; rapport's own half of the round is whole or not begun."""

    exit_code = 9
