"""Loading Hugging Face checkpoints from local directories, with clear errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import torch
from transformers import AutoTokenizer

from generation.errors import (
    CheckpointNotFound,
    CorruptCheckpoint,
    TransientGenerationError,
)


def resolve_device(device: str | None) -> str:
    """The device to run on: the one asked for, else CUDA when present, else the CPU."""
    if device:
        return device
    return "cuda" if torch.cuda.is_available() else "cpu"


def dtype_for(device: str) -> torch.dtype:
    """Half precision on GPUs (bf16 where supported: no overflow), float32 on the CPU."""
    if not device.startswith("cuda"):
        return torch.float32
    return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16


def checkpoint_dir(spec: str) -> Path:
    path = Path(spec).expanduser()
    if not path.is_dir():
        raise CheckpointNotFound(spec)
    return path.resolve()


def load_pretrained(
    auto_class: Any, path: Path, device: str, tokenizer_path: Path | None = None
) -> tuple[Any, Any]:
    """(model, tokenizer) from `path`, in eval mode on `device`; never downloads."""
    try:
        tokenizer = AutoTokenizer.from_pretrained(tokenizer_path or path, local_files_only=True)
        model, info = auto_class.from_pretrained(
            path,
            local_files_only=True,
            dtype=dtype_for(device),
            output_loading_info=True,
        )
        model.to(device)
    except torch.OutOfMemoryError as exc:
        raise TransientGenerationError(f"out of memory loading {str(path)!r}: {exc}") from exc
    except Exception as exc:  # any failure on an existing dir means corrupt
        raise CorruptCheckpoint(str(path), f"{type(exc).__name__}: {exc}") from exc
    # transformers initialises missing weights at random and only logs it: an evaluation
    # of a randomly initialised model must fail loudly instead.
    broken = sorted(info.get("missing_keys", ())) + sorted(info.get("mismatched_keys", ()))
    if broken:
        shown = ", ".join(str(name) for name in broken[:5])
        raise CorruptCheckpoint(str(path), f"weights missing or mismatched: {shown}")
    model.eval()
    return model, tokenizer


def eos_ids(model: Any, tokenizer: Any) -> list[int]:
    """Every id that ends a response (chat models often list several)."""
    value = model.generation_config.eos_token_id
    if value is None:
        value = tokenizer.eos_token_id
    if value is None:
        return []
    return [int(v) for v in value] if isinstance(value, list | tuple) else [int(value)]


def cut_at_eos(ids: list[int], stop: list[int]) -> list[int]:
    for index, token in enumerate(ids):
        if token in stop:
            return ids[:index]
    return ids
