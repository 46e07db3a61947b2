"""Errors raised by the generation package.

Every error names the thing at fault (a checkpoint path, a dialogue key, an adapter) so
that the campaign page can show it to the researcher as is.
"""

from __future__ import annotations


class GenerationError(Exception):
    """Base class of every error this package raises on purpose."""


class TransientGenerationError(GenerationError):
    """A failure worth retrying later (e.g. CUDA out of memory even at batch size 1)."""


class CheckpointNotFound(GenerationError):
    def __init__(self, path: str) -> None:
        super().__init__(f"checkpoint not found: {path!r} is not an existing directory")
        self.path = path


class CorruptCheckpoint(GenerationError):
    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"checkpoint {path!r} could not be loaded: {reason}")
        self.path = path
        self.reason = reason


class AdapterError(GenerationError):
    def __init__(self, adapter: str, reason: str) -> None:
        super().__init__(f"adapter {adapter!r} failed: {reason}")
        self.adapter = adapter
        self.reason = reason


class EmptyDialogue(GenerationError):
    def __init__(self, key: str) -> None:
        super().__init__(f"dialogue {key!r} has no non-empty turn to respond to")
        self.key = key


class InvalidDecodingSettings(GenerationError, ValueError):
    """Also a ValueError so that form / serializer validation code can catch it generically."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"invalid decoding setting {field!r}: {reason}")
        self.field = field
        self.reason = reason
