"""Errors that services raise and views, commands and the admin turn into messages."""

from __future__ import annotations


class ApplicationError(Exception):
    """A failure the user can act on; the message says what and where."""

    def __init__(self, message: str, *, extra: dict[str, object] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra or {}


class InvalidTransition(ApplicationError):
    """A state change that the state machine does not allow."""


class ImportFailed(ApplicationError):
    """A file could not be imported; nothing was stored."""

    def __init__(self, message: str, *, line: int | None = None, source: str = "") -> None:
        where = ", ".join(part for part in (source, f"line {line}" if line else "") if part)
        super().__init__(f"{where}: {message}" if where else message)
        self.line = line
        self.source = source
