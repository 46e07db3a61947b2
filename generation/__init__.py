"""Response generation for evaluation campaigns; never imports Django.

Importing `generation` is cheap: torch and transformers load with the first backend.
"""

from generation.backends import (
    ADAPTER,
    ALL_KINDS,
    GENERATION_KINDS,
    HF_CAUSAL,
    HF_SEQ2SEQ,
    IMPORTED,
    Backend,
    clear_backend_cache,
    load_backend,
)
from generation.errors import (
    AdapterError,
    CheckpointNotFound,
    CorruptCheckpoint,
    EmptyDialogue,
    GenerationError,
    InvalidDecodingSettings,
    TransientGenerationError,
)
from generation.types import DecodingSettings, DialogueInput, GenerationResult, Turn

__all__ = [
    "ADAPTER",
    "ALL_KINDS",
    "GENERATION_KINDS",
    "HF_CAUSAL",
    "HF_SEQ2SEQ",
    "IMPORTED",
    "AdapterError",
    "Backend",
    "CheckpointNotFound",
    "CorruptCheckpoint",
    "DecodingSettings",
    "DialogueInput",
    "EmptyDialogue",
    "GenerationError",
    "GenerationResult",
    "InvalidDecodingSettings",
    "TransientGenerationError",
    "Turn",
    "clear_backend_cache",
    "load_backend",
]
