"""Errors raised by the provider adapters; services and tasks branch on their class."""

from __future__ import annotations

from evalplatform.common.errors import ApplicationError


class ProviderError(ApplicationError):
    """The provider refused a request, or answered something we cannot use."""

    def __init__(self, message: str, *, code: str = "", extra: dict[str, object] | None = None):
        super().__init__(message, extra=extra)
        self.code = code


class TransientProviderError(ProviderError):
    """Throttling, a 5xx or a lost connection after the client's own retries: safe to retry
    later, because every create and pay call carries an idempotency token."""


class InvalidProviderRequest(ProviderError):
    """A request we built breaks the provider's published model (pattern, enum, maximum):
    refused before anything is sent."""


class ProviderConfigurationError(ProviderError):
    """Settings or campaign fields do not allow the call (credentials, https, environment)."""
